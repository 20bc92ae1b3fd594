#!/bin/sh
# The record counts kept by triggers (db/004_counts.sql) against count(*)
# over the tables, through demo data, bundle imports that insert and update,
# status changes, deletes and restores travelling in bundles.
. tests/lib.sh
setup_office

office() {
    mkdir -p "$T/$1"
    cp "$CFG" "$T/$1/config.ini"
    set_config "$T/$1/config.ini" office code "$2"
    set_config "$T/$1/config.ini" office level "$3"
    set_config "$T/$1/config.ini" forms dir "$T/forms"
    "$TIPDESK" -c "$T/$1/config.ini" init >/dev/null
}
td() { o=$1; shift; "$TIPDESK" -c "$T/$o/config.ini" "$@"; }
q() { sqlite3 -batch "$T/$1/db/tipdesk.db" "$2"; }
newest() { ls -t "$T/$1"/exports/*.tipx | head -1; }
NOW="strftime('%Y-%m-%dT%H:%M:%SZ', 'now')"
# Rows of record_counts that differ from counting the table, as text
# ("" when every kept count is right), and how many rows are checked.
wrong() {
    q "$1" "SELECT group_concat(tbl || '/' || status || '/' || deleted || ': kept ' || n || ', counted ' || c, '; ')
            FROM (SELECT k.tbl, k.status, k.deleted, k.n, CASE k.tbl
                WHEN 'cases' THEN (SELECT count(*) FROM cases WHERE status = k.status AND (deleted_at IS NOT NULL) = k.deleted)
                WHEN 'prosecutions' THEN (SELECT count(*) FROM prosecutions WHERE status = k.status AND (deleted_at IS NOT NULL) = k.deleted)
                WHEN 'events' THEN (SELECT count(*) FROM events WHERE status = k.status AND (deleted_at IS NOT NULL) = k.deleted)
                END AS c FROM record_counts k) WHERE n IS NOT c"
}
# The same for quality_counts (db/008_quality_counts.sql): the records not
# deleted that leave each recommended field empty, against a recount.
CASE_EMPTY="CASE k.field WHEN 'registered_on' THEN registered_on IS NULL WHEN 'identified_by' THEN identified_by IS NULL
    WHEN 'sex' THEN sex IS NULL OR sex = 'U' WHEN 'birth_date/age' THEN birth_date IS NULL AND age IS NULL
    WHEN 'home_province' THEN home_province IS NULL WHEN 'home_district' THEN home_district IS NULL
    WHEN 'trafficking_status' THEN trafficking_status IS NULL WHEN 'exploitation' THEN exploitation IS NULL
    WHEN 'exploitation_country' THEN exploitation_country IS NULL WHEN 'case_status' THEN case_status IS NULL
    WHEN '*' THEN registered_on IS NULL OR identified_by IS NULL OR sex IS NULL OR sex = 'U'
        OR (birth_date IS NULL AND age IS NULL) OR home_province IS NULL OR home_district IS NULL
        OR trafficking_status IS NULL OR exploitation IS NULL OR exploitation_country IS NULL OR case_status IS NULL END"
PROS_EMPTY="CASE k.field WHEN 'investigated_on' THEN investigated_on IS NULL WHEN 'verdict' THEN verdict IS NULL
    WHEN 'exploitation' THEN exploitation IS NULL WHEN 'province' THEN province IS NULL
    WHEN '*' THEN investigated_on IS NULL OR verdict IS NULL OR exploitation IS NULL OR province IS NULL END"
EVENT_EMPTY="CASE k.field WHEN 'start_on' THEN start_on IS NULL WHEN 'pillar' THEN pillar IS NULL
    WHEN 'event_type' THEN event_type IS NULL WHEN 'province' THEN province IS NULL
    WHEN 'participants' THEN participants_f IS NULL AND participants_m IS NULL AND participants_u IS NULL
    WHEN '*' THEN start_on IS NULL OR pillar IS NULL OR event_type IS NULL OR province IS NULL
        OR (participants_f IS NULL AND participants_m IS NULL AND participants_u IS NULL) END"
qwrong() {
    q "$1" "SELECT group_concat(tbl || '/' || status || '/' || field || ': kept ' || n || ', counted ' || c, '; ')
            FROM (SELECT k.tbl, k.status, k.field, k.n, CASE k.tbl
                WHEN 'cases' THEN (SELECT count(*) FROM cases WHERE deleted_at IS NULL AND status = k.status AND ($CASE_EMPTY))
                WHEN 'prosecutions' THEN (SELECT count(*) FROM prosecutions WHERE deleted_at IS NULL AND status = k.status AND ($PROS_EMPTY))
                WHEN 'events' THEN (SELECT count(*) FROM events WHERE deleted_at IS NULL AND status = k.status AND ($EVENT_EMPTY))
                END AS c FROM quality_counts k) WHERE n IS NOT c"
}
# The same for case_help (db/012_counted_events_help.sql): per case, its
# assistance rows and completed reintegrations, against a recount, both ways.
hwrong() {
    q "$1" "SELECT group_concat(u || ': kept ' || ifnull(kn, '-') || '/' || ifnull(kr, '-')
                                || ', counted ' || ifnull(cn, '-') || '/' || ifnull(cr, '-'), '; ')
            FROM (SELECT h.case_uuid AS u, h.n AS kn, h.reintegrated AS kr, c.n AS cn, c.r AS cr
                  FROM case_help h LEFT JOIN (SELECT case_uuid, count(*) AS n, count(CASE WHEN type = 'Reintegration'
                      AND status = 'Completed' THEN 1 END) AS r FROM case_assistance GROUP BY 1) c ON c.case_uuid = h.case_uuid
                  UNION ALL
                  SELECT c.case_uuid, NULL, NULL, c.n, 0 FROM (SELECT case_uuid, count(*) AS n FROM case_assistance GROUP BY 1) c
                  WHERE c.case_uuid NOT IN (SELECT case_uuid FROM case_help))
            WHERE kn IS NOT cn OR kr IS NOT cr"
}
# An edit made at office $1 by SQL, as a clerk's save would leave it.
edit() {
    q "$1" "UPDATE $2 SET $3, rev = rev + 1, updated_at = $NOW WHERE id = $4;
            INSERT INTO audit_log(at, user, office, tbl, uuid, action, rev, changes)
            SELECT $NOW, 'clerk', office, '$2', uuid, 'update', rev, '{}' FROM $2 WHERE id = $4"
}

office d1 LA1301 district
office c LA centre
check "every kind x status x deleted has a kept count" test "$(q c 'SELECT count(*) FROM record_counts')" = 18
check "a new database counts nothing" test "$(q c 'SELECT sum(n) FROM record_counts')" = 0
td d1 demo --cases 120 --prosecutions 15 --events 20 --seed 21 >/dev/null
check "demo data: kept counts match count(*)" test -z "$(wrong d1)"
check "demo data: kept empty-field counts match a recount" test -z "$(qwrong d1)"
check "demo data: kept assistance per case matches a recount" test -z "$(hwrong d1)"
check "demo data has empty recommended fields to count" test "$(q d1 "SELECT sum(n) FROM quality_counts WHERE field = '*'")" -gt 0
check "demo data has drafts to count" test "$(q d1 "SELECT n FROM record_counts WHERE tbl = 'cases' AND status = 'draft' AND deleted = 0")" -gt 0

td d1 export bundle --unsealed >/dev/null 2>&1
td c import --accept-unsigned "$(newest d1)" >/dev/null
check "bundle import (inserts): kept counts match count(*)" test -z "$(wrong c)"
check "bundle import (inserts): kept empty-field counts match a recount" test -z "$(qwrong c)"
check "bundle import (inserts): kept assistance per case matches a recount" test -z "$(hwrong c)"
check "centre holds the district's cases" test "$(q c "SELECT sum(n) FROM record_counts WHERE tbl = 'cases'")" = 120

# Status changes, deletes and a restore at the district travel as updates.
d=$(q d1 "SELECT id FROM cases WHERE status = 'draft' LIMIT 1")
edit d1 cases "status = 'complete'" "$d"
edit d1 cases "status = 'verified', deleted_at = $NOW" 3
edit d1 prosecutions "deleted_at = $NOW" 2
edit d1 events "deleted_at = $NOW" 4
edit d1 events "deleted_at = NULL" 4
edit d1 events "status = 'draft'" 5
edit d1 cases "sex = 'U', case_status = NULL" 5
edit d1 prosecutions "verdict = NULL, status = 'draft'" 3
check "edits at the district: kept counts match count(*)" test -z "$(wrong d1)"
check "edits at the district: kept empty-field counts match a recount" test -z "$(qwrong d1)"
check "edits at the district: kept assistance per case matches a recount" test -z "$(hwrong d1)"
td d1 export bundle --unsealed >/dev/null 2>&1
td c import --accept-unsigned "$(newest d1)" > "$T/out"
check "the edits arrive as updates" grep -q "updated" "$T/out"
check "bundle import (updates): kept counts match count(*)" test -z "$(wrong c)"
check "bundle import (updates): kept empty-field counts match a recount" test -z "$(qwrong c)"
check "bundle import (updates): kept assistance per case matches a recount" test -z "$(hwrong c)"
check "the deleted case is counted as deleted at the centre" \
    test "$(q c "SELECT sum(n) FROM record_counts WHERE tbl = 'cases' AND deleted = 1")" = 1
# Records removed outright (a dropped duplicate) are counted out too.
q c "DELETE FROM case_events WHERE case_uuid = (SELECT uuid FROM cases WHERE id = 7);
     DELETE FROM case_screening WHERE case_uuid = (SELECT uuid FROM cases WHERE id = 7);
     DELETE FROM case_assistance WHERE case_uuid = (SELECT uuid FROM cases WHERE id = 7);
     DELETE FROM prosecution_victims WHERE case_uuid = (SELECT uuid FROM cases WHERE id = 7);
     DELETE FROM cases WHERE id = 7"
check "a removed row: kept counts match count(*)" test -z "$(wrong c)"
check "a removed row: kept empty-field counts match a recount" test -z "$(qwrong c)"
check "a removed row: kept assistance per case matches a recount" test -z "$(hwrong c)"

# Assistance rows changed by SQL one by one: type, status, moved to another
# case, removed; the kept rows follow (and a case left with none has none).
u1=$(q d1 "SELECT case_uuid FROM case_assistance ORDER BY id LIMIT 1")
u2=$(q d1 "SELECT uuid FROM cases WHERE uuid NOT IN (SELECT case_uuid FROM case_assistance) LIMIT 1")
q d1 "UPDATE case_assistance SET type = 'Reintegration', status = 'Completed' WHERE id = (SELECT min(id) FROM case_assistance)"
check "an assistance row made a completed reintegration: counted" test -z "$(hwrong d1)"
q d1 "UPDATE case_assistance SET case_uuid = '$u2' WHERE id = (SELECT min(id) FROM case_assistance)"
check "an assistance row moved to a case with none: counted on both" test -z "$(hwrong d1)"
check "the case it moved to is now helped" test "$(q d1 "SELECT n FROM case_help WHERE case_uuid = '$u2'")" = 1
q d1 "DELETE FROM case_assistance WHERE case_uuid = '$u1'"
check "every row of a case removed: the case is no longer helped" \
    test "$(q d1 "SELECT count(*) FROM case_help WHERE case_uuid = '$u1'")" = 0
check "after the removals: kept assistance per case matches a recount" test -z "$(hwrong d1)"
