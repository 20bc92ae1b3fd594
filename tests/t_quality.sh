#!/bin/sh
# The quality report's possible duplicate persons: the same name (case and
# spaces ignored) and birth date, or age without one; deleted records left
# out; refs in order within a group whatever order they were entered in;
# and found by walking an index, not by sorting every case.
. tests/lib.sh
setup_office
"$TIPDESK" -c "$CFG" init >/dev/null 2>&1 || { fail "init"; exit 1; }
DB="$T/db/tipdesk.db"
NOW="'2026-01-01T00:00:00Z'"
add() {  # ID REF FIRST LAST BIRTH AGE [DELETED]
    sql "INSERT INTO cases(id, uuid, ref, office, status, created_at, created_by, updated_at, updated_by,
                           first_name, last_name, birth_date, age, deleted_at)
         VALUES ($1, printf('00000000-0000-4000-8000-%012d', $1), '$2', 'LA1301', 'complete', $NOW, 't', $NOW, 't',
                 '$3', '$4', $5, $6, ${7:-NULL})"
}
add 1 LA1301-2026-0009 "ສົມສັກ" "ແກ້ວມະນີ" "'1990-04-01'" NULL
add 2 LA1301-2026-0003 "ສົມ ສັກ" "ແກ້ວມະນີ" "'1990-04-01'" NULL
add 3 LA1301-2025-0007 "ສົມສັກ" "ແກ້ວ ມະນີ" "'1990-04-01'" NULL
add 4 LA1301-2026-0001 "ສົມສັກ" "ແກ້ວມະນີ" "'1991-04-01'" NULL
add 5 LA1301-2026-0005 "Noy" "Phommachanh" NULL 17
add 6 LA1301-2026-0002 "NOY" "phommachanh" NULL 17
add 7 LA1301-2026-0004 "Noy" "Phommachanh" NULL 17 "$NOW"
add 8 LA1301-2026-0006 "ນາລີ" "ບ້ານ ໂພນທັນ" NULL NULL

"$TIPDESK" -c "$CFG" report quality --format text > "$T/out" 2>&1
groups=$(sed -n '/^Possible duplicate persons/,/^$/p' "$T/out" | grep -E '^[0-9]+ ' | tr -s ' ')
check "two groups found" test "$(echo "$groups" | wc -l)" = 2
check "same name and birth date, spaces ignored, refs in order" \
    sh -c "echo '$groups' | grep -qx '1 3 LA1301-2025-0007 LA1301-2026-0003 LA1301-2026-0009'"
check "same name and age, case ignored, deleted left out" \
    sh -c "echo '$groups' | grep -qx '2 2 LA1301-2026-0002 LA1301-2026-0005'"
check "groups walk the person index, with no sort of every case" \
    sh -c "sqlite3 '$DB' \"EXPLAIN QUERY PLAN SELECT count(*) FROM cases WHERE deleted_at IS NULL
        AND first_name IS NOT NULL AND (birth_date IS NOT NULL OR age IS NOT NULL)
        GROUP BY lower(replace(ifnull(first_name, '') || ifnull(last_name, ''), ' ', '')),
        ifnull(birth_date, 'age ' || age)\" | grep -q 'USING INDEX cases_person' &&
        ! sqlite3 '$DB' \"EXPLAIN QUERY PLAN SELECT count(*) FROM cases WHERE deleted_at IS NULL
        AND first_name IS NOT NULL AND (birth_date IS NOT NULL OR age IS NOT NULL)
        GROUP BY lower(replace(ifnull(first_name, '') || ifnull(last_name, ''), ' ', '')),
        ifnull(birth_date, 'age ' || age)\" | grep -q 'TEMP B-TREE FOR GROUP BY'"
