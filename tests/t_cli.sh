#!/bin/sh
# The command line: init, check, backup and demo on a real office folder;
# bad config files and foreign database files refused with a one-line
# message, exit 1, and nothing created or changed; exit codes of --help,
# --version and usage errors.
. tests/lib.sh

setup_office
DB="$T/db/tipdesk.db"
OUT="$T/out"
ERR="$T/err"

# run CMD...: runs tipdesk, keeping stdout/stderr in $OUT/$ERR and the exit code in $rc.
run() { "$TIPDESK" "$@" >"$OUT" 2>"$ERR"; rc=$?; }
has() { grep -qF -- "$1" "$2"; }
one_line() { [ "$(wc -l < "$1")" -eq 1 ]; }

# --- exit codes -------------------------------------------------------------
run --help;                 check "--help exits 0 and lists commands" test $rc -eq 0 -a -s "$OUT"
has "backup [FILE]" "$OUT"  && ok "--help names backup [FILE]" || fail "--help names backup [FILE]"
run --version;              check "--version exits 0" test $rc -eq 0
has "tipdesk 0." "$OUT"     && ok "--version prints the version" || fail "--version prints the version"
run -c "$CFG" frobnicate;   check "unknown command exits 2" test $rc -eq 2
has "unknown command 'frobnicate'" "$ERR" && ok "unknown command is named" || fail "unknown command is named"
run --bogus;                check "unknown option exits 2" test $rc -eq 2
for c in init check backup demo; do
    run -c "$CFG" $c --help
    check "$c --help exits 0" test $rc -eq 0 -a -s "$OUT"
    run -c "$CFG" $c --no-such-option
    check "$c with an unknown option exits 2" test $rc -eq 2
done
run -c "$CFG" init extra;   check "init with an argument exits 2" test $rc -eq 2
run -c "$CFG" check extra;  check "check with an argument exits 2" test $rc -eq 2
run -c "$CFG" backup a b;   check "backup with two files exits 2" test $rc -eq 2
run -c "$CFG" demo --cases lots; check "demo --cases lots exits 2" test $rc -eq 2
has "--cases 'lots'" "$ERR" && ok "demo names the bad count" || fail "demo names the bad count"
run -c "$CFG" demo --seed -1; check "demo --seed -1 exits 2" test $rc -eq 2
# Years are the years a date may have (1900-2100), in every command that takes one.
run -c "$CFG" report victims --from 2101; check "report --from 2101 exits 2" test $rc -eq 2
has "--from '2101': give a year such as 2015" "$ERR" && ok "report names the bad year" || fail "report names the bad year"
run -c "$CFG" report victims --to 1899; check "report --to 1899 exits 2" test $rc -eq 2
run -c "$CFG" report victims --from +2024; check "report --from +2024 exits 2" test $rc -eq 2
run -c "$CFG" export dhis2 --period 2200; check "export dhis2 --period 2200 exits 2" test $rc -eq 2
has "--period takes a year such as 2024, not '2200'" "$ERR" && ok "export names the bad period" || fail "export names the bad period"
run -c "$CFG" report victims --status finished; check "report --status finished exits 2" test $rc -eq 2
has "--status 'finished': use draft, complete or verified" "$ERR" && ok "report names the bad status" || fail "report names the bad status"
check_not "usage errors created no database" test -e "$DB"

# --- commands before init: no database appears -----------------------------
run -c "$CFG" check
check "check without a database exits 1" test $rc -eq 1
has "tipdesk init" "$ERR" && ok "check says to run init" || fail "check says to run init: $(cat "$ERR")"
run -c "$CFG" backup
check "backup without a database exits 1" test $rc -eq 1
check_not "check and backup created no database" test -e "$DB"

# --- init ---------------------------------------------------------------------
run -c "$CFG" init
check "init exits 0" test $rc -eq 0
has "18 provinces, 148 districts" "$OUT" && ok "init reports the reference data" || fail "init output: $(cat "$OUT")"
check "init created the database" test -f "$DB"
check "user_version >= 1" test "$(sql 'PRAGMA user_version')" -ge 1
check "18 provinces" test "$(sql 'SELECT count(*) FROM ref_province')" -eq 18
check "148 districts" test "$(sql 'SELECT count(*) FROM ref_district')" -eq 148
check "Lao province names" test "$(sql "SELECT name_lo FROM ref_province WHERE pcode = 'LA13'")" = "ສະຫວັນນະເຂດ"
check "Lao district names" test "$(sql "SELECT count(*) FROM ref_district WHERE name_lo GLOB '*ຈັນທະບູລີ*'")" -eq 1
sql .dump > "$T/dump1"
run -c "$CFG" init
check "init again exits 0" test $rc -eq 0
sql .dump > "$T/dump2"
check "init again changes nothing" cmp -s "$T/dump1" "$T/dump2"

# --- bad config files: one line naming file, line and key; nothing created ----
bad_config() {
    desc=$1 expect=$2
    od=$(mktemp -d "$T/bad.XXXXXX")
    cp "$T/cfg.bad" "$od/config.ini"
    run -c "$od/config.ini" init
    check "$desc: exit 1" test $rc -eq 1
    if has "$od/config.ini" "$ERR" && has "$expect" "$ERR" && one_line "$ERR"; then
        ok "$desc: one line naming file and '$expect'"
    else
        fail "$desc: message was: $(cat "$ERR")"
    fi
    check_not "$desc: no database created" test -e "$od/db"
}
sed 's/^code = LA1301/cod = LA1301/' "$CFG" > "$T/cfg.bad"
bad_config "typo'd key" "config.ini:3: unknown key 'cod'"
sed 's/^backups_keep = 14/backups_keep = 014/' "$CFG" > "$T/cfg.bad"
bad_config "octal-looking number" "config.ini:9: key 'backups_keep'"
sed 's/^color = auto /color = yes /' "$CFG" > "$T/cfg.bad"
bad_config "bad choice value" "config.ini:15: key 'color'"
awk 'NR == 4 { printf "name = "; for (i = 0; i < 2000; i++) printf "x"; print ""; next } { print }' \
    "$CFG" > "$T/cfg.bad"
bad_config "2000-byte line" "config.ini:4: line too long"
run -c "$T/no-such-config.ini" init
check "missing config: exit 1" test $rc -eq 1
has "no-such-config.ini" "$ERR" && one_line "$ERR" && ok "missing config: one line naming the file" \
    || fail "missing config: $(cat "$ERR")"

# --- foreign files given as the database: refused, bytes unchanged ------------
foreign_db() {
    desc=$1 expect=$2
    od=$(mktemp -d "$T/foreign.XXXXXX")
    mkdir -p "$od/db"
    cp "$CFG" "$od/config.ini"
    cp -r "$T/forms" "$od/forms"
    cp "$T/foreign.file" "$od/db/tipdesk.db"
    for c in init check backup demo; do
        run -c "$od/config.ini" $c
        check "$desc: $c exits 1" test $rc -eq 1
    done
    has "$expect" "$ERR" && one_line "$ERR" && ok "$desc: message '$expect'" || fail "$desc: $(cat "$ERR")"
    check "$desc: bytes unchanged" cmp -s "$T/foreign.file" "$od/db/tipdesk.db"
    check_not "$desc: no WAL created beside it" test -e "$od/db/tipdesk.db-wal"
}
head -c 5000 /dev/urandom > "$T/foreign.file"
foreign_db "random file" "not a tipdesk database (not an SQLite file)"
rm -f "$T/foreign.file"
sqlite3 "$T/foreign.file" "CREATE TABLE contacts(name TEXT, phone TEXT);
    INSERT INTO contacts VALUES ('ສົມສັກ ແກ້ວມະນີ', '020 5555 1234');"
foreign_db "another program's SQLite file" "an SQLite file of another program"

# --- demo and check -----------------------------------------------------------
run -c "$CFG" demo --cases 2000 --seed 2026
check "demo --cases 2000 exits 0" test $rc -eq 0
check "2000 cases" test "$(sql 'SELECT count(*) FROM cases')" -eq 2000
check "200 prosecutions" test "$(sql 'SELECT count(*) FROM prosecutions')" -eq 200
check "400 events" test "$(sql 'SELECT count(*) FROM events')" -eq 400
check "Lao names in the demo" test "$(sql "SELECT count(*) FROM cases WHERE first_name = 'ສົມສັກ'")" -gt 0
run -c "$CFG" check
check "check on demo data exits 0" test $rc -eq 0
has "ok: " "$OUT" && has " cases, " "$OUT" && ok "check reports what it checked" || fail "check: $(cat "$OUT" "$ERR")"
cp "$OUT" "$T/check.full"
run -c "$CFG" check --quick
check "check --quick on demo data exits 0" test $rc -eq 0
check "check --quick checks the same records" cmp -s "$OUT" "$T/check.full"
# An index out of step with its table, made behind the program's back on a
# copy: the full check finds every row missing from it; --quick, which does
# not look rows up in their indexes, passes.
od=$(mktemp -d "$T/index.XXXXXX")
cp "$CFG" "$od/config.ini"; cp -r "$T/forms" "$od/forms"; mkdir "$od/db"
sql "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
cp "$DB" "$od/db/tipdesk.db"
sqlite3 "$od/db/tipdesk.db" "PRAGMA writable_schema=ON;
    UPDATE sqlite_schema SET sql = 'CREATE INDEX cases_registered ON cases(sex)' WHERE name = 'cases_registered'"
run -c "$od/config.ini" check --quick
check "check --quick does not see it (it is the full check's)" test $rc -eq 0
run -c "$od/config.ini" check
check "a stale index: check exits 1" test $rc -eq 1
has "integrity: row 1 missing from index cases_registered" "$OUT" && ok "and names the index" \
    || fail "stale index: $(head -3 "$OUT")"
has "the check stops after 100 problems; there may be more" "$OUT" && ok "it says where it stopped" \
    || fail "stopped: $(tail -2 "$OUT")"
has "the database file has 100 problems of its own" "$ERR" && has '"A damaged database" in the README' "$ERR" \
    && ok "it says the file is damaged and where to read what to do" || fail "damaged: $(cat "$ERR")"
check_not "it does not call them records to correct" grep -q "correct the records" "$ERR"
grep -q "^## A damaged database" "$TIPDESK_SRC/README.md" && ok "the README has that section" \
    || fail "the README has that section"
sqlite3 "$od/db/tipdesk.db" REINDEX
run -c "$od/config.ini" check
check "after the README's REINDEX the check passes" test $rc -eq 0
run -c "$CFG" demo --cases 5 --seed 2026
check "the same seed twice exits 1" test $rc -eq 1
has "seed 2026" "$ERR" && ok "the message names the seed" || fail "same seed: $(cat "$ERR")"
check "the same seed added nothing" test "$(sql 'SELECT count(*) FROM cases')" -eq 2000

# Problems put in behind the program's back are found, one line each.
REF=$(sql "SELECT ref FROM cases WHERE status <> 'draft' AND home_province <> 'LA01' ORDER BY id LIMIT 1")
PROV=$(sql "SELECT home_province FROM cases WHERE ref = '$REF'")
sql "UPDATE cases SET home_district = 'LA0101' WHERE ref = '$REF'"
# (A case with a birth date: a date on a case without one would hide its age.)
REF2=$(sql "SELECT ref FROM cases WHERE status <> 'draft' AND ref <> '$REF' AND birth_date IS NOT NULL ORDER BY id LIMIT 1")
sql "UPDATE cases SET birth_date = '2031-02-30' WHERE ref = '$REF2'"
PREF=$(sql "SELECT ref FROM prosecutions WHERE status <> 'draft' AND verdict_on IS NOT NULL LIMIT 1")
sql "UPDATE prosecutions SET charged_on = date(verdict_on, '+10 days') WHERE ref = '$PREF'"
EREF=$(sql "SELECT ref FROM events WHERE status <> 'draft' LIMIT 1")
sql "UPDATE events SET participants_under18 = participants_f + participants_m + participants_u + 1 WHERE ref = '$EREF'"
run -c "$CFG" check
check "check with bad records exits 1" test $rc -eq 1
has "cases $REF: home_district LA0101 is not in province $PROV" "$OUT" \
    && ok "bad district reported" || fail "bad district: $(cat "$OUT")"
has "cases $REF2: birth_date '2031-02-30' is not a valid date" "$OUT" \
    && ok "impossible date reported" || fail "bad date: $(cat "$OUT")"
has "prosecutions $PREF: verdict_on" "$OUT" && has "is before charged_on" "$OUT" \
    && ok "verdict before charge reported" || fail "verdict order: $(cat "$OUT")"
has "events $EREF: participants_under18" "$OUT" \
    && ok "under-18 count above the total reported" || fail "participants: $(cat "$OUT")"
check "exactly four problems" test "$(wc -l < "$OUT")" -eq 4
has "4 problems" "$ERR" && ok "check counts the problems" || fail "check summary: $(cat "$ERR")"
# A draft may be incomplete: the same fault in a draft is not reported.
sql "UPDATE cases SET status = 'draft' WHERE ref = '$REF'"
run -c "$CFG" check
check "drafts are not checked" test "$(wc -l < "$OUT")" -eq 3
# A journey row whose case is gone is a foreign-key problem.
sql "PRAGMA foreign_keys = OFF; INSERT INTO case_events(case_uuid, seq, step)
     VALUES ('00000000-0000-4000-8000-000000000000', 1, 'Transit')"
run -c "$CFG" check
check "check with a broken link exits 1" test $rc -eq 1
has "foreign key: case_events row" "$OUT" && ok "broken link reported" || fail "foreign key: $(cat "$OUT")"
sql "DELETE FROM case_events WHERE case_uuid = '00000000-0000-4000-8000-000000000000'"

# --- backup -----------------------------------------------------------------------
run -c "$CFG" backup "$T/copy.db"
check "backup FILE exits 0" test $rc -eq 0
check "the backup has every case" test "$(sqlite3 "$T/copy.db" 'SELECT count(*) FROM cases')" -eq 2000
check "the backup is intact" test "$(sqlite3 "$T/copy.db" 'PRAGMA integrity_check')" = ok
run -c "$CFG" backup
check "rotating backup exits 0" test $rc -eq 0
check "rotating backup written in backup_dir" test "$(ls "$T/db/backups" | grep -c '^tipdesk-[0-9]\{8\}-[0-9]\{6\}\.db$')" -eq 1
run -c "$CFG" backup "$T/no/such/dir/copy.db"
check "backup into a missing folder exits 1" test $rc -eq 1
has "no/such/dir/copy.db" "$ERR" && ok "the message names the file" || fail "backup: $(cat "$ERR")"

# A database path under something that is not a folder: a message, nothing made.
od=$(mktemp -d "$T/notdir.XXXXXX")
sed 's|^path = .*|path = plain/tipdesk.db|' "$CFG" > "$od/config.ini"
echo "not a folder" > "$od/plain"
run -c "$od/config.ini" init
check "init under a plain file exits 1" test $rc -eq 1
has "plain: not a folder" "$ERR" && ok "init says the path is not a folder" || fail "not a folder: $(cat "$ERR")"
check "the plain file is unchanged" test "$(cat "$od/plain")" = "not a folder"

# demo on a new office creates the database and its folder; it saves its
# records by the office's forms, so without them it makes nothing.
od=$(mktemp -d "$T/fresh.XXXXXX")
cp "$CFG" "$od/config.ini"
run -c "$od/config.ini" demo --cases 20 --seed 1
check "demo without the forms exits 1" test $rc -eq 1
has "the forms in $od/forms" "$ERR" && ok "demo names the forms folder" || fail "demo without forms: $(cat "$ERR")"
check_not "demo without the forms made no database folder" test -e "$od/db"
cp -r "$T/forms" "$od/forms"
run -c "$od/config.ini" demo --cases 20 --seed 1
check "demo on a new office exits 0" test $rc -eq 0
check "demo created the database" test "$(sqlite3 "$od/db/tipdesk.db" 'SELECT count(*) FROM cases')" -eq 20
