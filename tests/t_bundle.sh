#!/bin/sh
# Bundles between four offices: two districts of one province, the province
# and the centre.  Counts must match the sources exactly, repeats change
# nothing, revisions travel up, same-revision edits become conflicts, and
# every bad bundle is refused whole with the database byte-for-byte unchanged.
# Bundles travel signed and sealed: each office has keys, and the offices
# above and below have registered each other's public keys.
. tests/lib.sh
setup_office
export TIPDESK_PASSPHRASE='ກິນເຂົ້າ test passphrase'

# office DIR CODE LEVEL: a folder with its own config.ini, forms and database.
office() {
    mkdir -p "$T/$1"
    cp "$CFG" "$T/$1/config.ini"
    cp -r "$T/forms" "$T/$1/forms"
    set_config "$T/$1/config.ini" office code "$2"
    set_config "$T/$1/config.ini" office level "$3"
    "$TIPDESK" -c "$T/$1/config.ini" init >/dev/null
    "$TIPDESK" -c "$T/$1/config.ini" keys init --kdf interactive >/dev/null
    "$TIPDESK" -c "$T/$1/config.ini" keys export -o "$T/$1.pub" >/dev/null
}
quiet() { "$@" >/dev/null; }
td() { o=$1; shift; "$TIPDESK" -c "$T/$o/config.ini" "$@"; }
q() { sqlite3 -batch "$T/$1/db/tipdesk.db" "$2"; }
# A checkpointed copy of an office's database, to compare byte for byte.
snap() { q "$1" 'PRAGMA wal_checkpoint(TRUNCATE)' >/dev/null; cp "$T/$1/db/tipdesk.db" "$T/$1.snap"; }
same() { q "$1" 'PRAGMA wal_checkpoint(TRUNCATE)' >/dev/null; cmp -s "$T/$1/db/tipdesk.db" "$T/$1.snap"; }
per_office() { q "$1" "SELECT office, count(*) FROM $2 GROUP BY office ORDER BY office"; }
newest() { ls -t "$T/$1"/exports/*.tipx | head -1; }
NOW="strftime('%Y-%m-%dT%H:%M:%SZ', 'now')"

office d1 LA1301 district
office d2 LA1302 district
office p LA13 province
office c LA centre
for pair in "p d1" "p d2" "d1 p" "d2 p" "c p" "p c"; do
    set -- $pair
    td "$1" keys import "$T/$2.pub" >/dev/null
done
td d1 demo --cases 60 --prosecutions 8 --events 10 --seed 11 >/dev/null
td d2 demo --cases 40 --prosecutions 5 --events 6 --seed 12 >/dev/null
# Lao text with marks, quotes and a newline travels unchanged.
q d1 "UPDATE cases SET first_name = 'ສົມສັກ', last_name = 'ແກ້ວມະນີ', home_village = 'ບ້ານ ໂພນທັນ',
      notes = 'said \"ກິນເຂົ້າ\", then
left' WHERE id = 1"

check "district 1 exports a bundle" quiet td d1 export bundle
check "district 2 exports a bundle" quiet td d2 export bundle
B1=$(newest d1); B2=$(newest d2)
case "$B1" in */LA1301_1_[0-9]*.tipx) ok "bundle named OFFICE_SEQ_YYYYMMDD.tipx" ;; *) fail "bundle name $B1" ;; esac
check "no temporary file left" test -z "$(ls -A "$T/d1/exports" | grep -v '^LA1301_1_')"
check "bundle is sealed" test "$(head -c 10 "$B1")" = "TIPDSEAL1"
check "export recorded" test "$(q d1 'SELECT seq FROM exports')" = 1

td p import --dry-run "$B1" > "$T/out" 2>&1
n1=$(q d1 'SELECT (SELECT count(*) FROM cases) + (SELECT count(*) FROM prosecutions) + (SELECT count(*) FROM events)')
check "dry run reports what it would insert" grep -q "bundle 1 of LA1301 (dry run, nothing written): $n1 inserted" "$T/out"
check "dry run writes nothing" test "$(q p 'SELECT count(*) FROM cases') $(q p 'SELECT count(*) FROM imports')" = "0 0"
check "province imports both districts" quiet td p import "$B1" "$B2"
for t in cases prosecutions events case_events case_screening case_assistance suspects prosecution_victims; do
    if [ "$t" = cases ] || [ "$t" = prosecutions ] || [ "$t" = events ]; then
        src="$(per_office d1 $t; per_office d2 $t)"
        check "province: $t per office match the districts" test "$(per_office p $t)" = "$src"
    else
        n1=$(q d1 "SELECT count(*) FROM $t"); n2=$(q d2 "SELECT count(*) FROM $t")
        check "province: $t rows match" test "$(q p "SELECT count(*) FROM $t")" = $((n1 + n2))
    fi
done
check "Lao text, quotes and newline intact" test "$(q p "SELECT first_name || ' ' || last_name || '|' || home_village || '|' || notes FROM cases WHERE uuid = (SELECT uuid FROM cases WHERE first_name = 'ສົມສັກ')")" = "$(q d1 "SELECT first_name || ' ' || last_name || '|' || home_village || '|' || notes FROM cases WHERE id = 1")"

check "province exports its bundle" quiet td p export bundle
P1=$(newest p)
check "centre imports the province" quiet td c import "$P1"
for t in cases prosecutions events; do
    check "centre: $t per office match the districts" test "$(per_office c $t)" = "$(per_office d1 $t; per_office d2 $t)"
done
check "centre: audit rows travelled" test "$(q c "SELECT count(*) FROM audit_log WHERE office = 'LA1301'")" -gt 0

# Everything a second time: nothing changes, and it says so.
snap p; snap c
td p import "$B1" "$B2" > "$T/out" 2>&1
check "re-import says already imported" test "$(grep -c 'already imported on' "$T/out")" = 2
check "re-import leaves the province byte-for-byte" same p
td c import "$P1" > "$T/out" 2>&1
check "re-import at the centre changes nothing" same c

# An edit at the district (rev 2) reaches the centre as an update.
REF=$(q d1 "SELECT ref FROM cases WHERE id = 2")
q d1 "UPDATE cases SET case_status = 'Closed', rev = 2, updated_at = $NOW WHERE ref = '$REF';
      INSERT INTO audit_log(at, user, office, tbl, uuid, action, rev, changes)
      SELECT $NOW, 'clerk', office, 'cases', uuid, 'update', 2, '{}' FROM cases WHERE ref = '$REF'"
td d1 export bundle > "$T/out"
check "incremental bundle holds only the change" grep -q "bundle 2 of LA1301: cases 1 " "$T/out"
td p import "$(newest d1)" > "$T/out"
check "province: the edit is an update" grep -q "0 inserted, 1 updated" "$T/out"
td p export bundle >/dev/null
td c import "$(newest p)" > "$T/out"
check "centre: the edit arrives as an update" grep -q "0 inserted, 1 updated" "$T/out"
check "centre holds rev 2" test "$(q c "SELECT rev || case_status FROM cases WHERE ref = '$REF'")" = 2Closed

# The same record edited at the district and at the centre, both rev 3.
q d1 "UPDATE cases SET notes = 'district copy', rev = 3, updated_at = $NOW WHERE ref = '$REF';
      INSERT INTO audit_log(at, user, office, tbl, uuid, action, rev, changes)
      SELECT $NOW, 'clerk', office, 'cases', uuid, 'update', 3, '{}' FROM cases WHERE ref = '$REF'"
q c "UPDATE cases SET notes = 'centre copy', rev = 3 WHERE ref = '$REF'"
td d1 export bundle >/dev/null
td p import "$(newest d1)" >/dev/null
td p export bundle >/dev/null
td c import "$(newest p)" > "$T/out"
check "same rev, other content: reported as a conflict" grep -q "0 updated, 0 unchanged, 1 conflicts" "$T/out"
check "centre keeps its copy" test "$(q c "SELECT notes FROM cases WHERE ref = '$REF'")" = "centre copy"
check "conflict recorded with the remote copy" test "$(q c "SELECT local_rev || remote_rev || remote_office || json_extract(remote_data, '\$.notes') FROM conflicts")" = "33LA1301district copy"

# Sequence gaps: district 2's bundles 2 and 3 made, only 3 and 5 delivered.
for i in 2 3 4 5; do
    q d2 "UPDATE events SET rev = rev + 1, updated_at = $NOW WHERE id = $i;
          INSERT INTO audit_log(at, user, office, tbl, uuid, action, rev, changes)
          SELECT $NOW, 'clerk', office, 'events', uuid, 'update', rev, '{}' FROM events WHERE id = $i"
    td d2 export bundle >/dev/null
done
td p import "$T"/d2/exports/LA1302_3_*.tipx "$T"/d2/exports/LA1302_5_*.tipx > "$T/out"
check "missing bundle reported" grep -q "LA1302: bundle 2 not received" "$T/out"
check "missing range reported" grep -q "LA1302: bundle 4 not received" "$T/out"
td p import "$T"/d2/exports/LA1302_2_*.tipx > "$T/out"
check "gap closes once delivered" grep -q "LA1302: bundle 4 not received" "$T/out"
check "closed gap no longer listed" test -z "$(grep 'bundle 2 not received' "$T/out")"

# Refusals: each bundle refused whole, the database unchanged byte for byte.
refused() {
    desc=$1 file=$2 msg=$3
    snap c
    td c import $UNSIGNED "$file" > "$T/out" 2>&1; rc=$?
    if [ $rc -eq 1 ] && grep -qF -- "$msg" "$T/out" && same c; then ok "$desc"
    else fail "$desc (rc $rc)"; sed 's/^/# /' "$T/out"; fi
}
GOOD=$(newest p)
check "the centre seals nothing: no office above" test "$(td c export bundle -o "$T/c.tipx" 2>&1 >/dev/null)" = \
    "tipdesk export bundle: the centre has no office above it to seal a bundle for"
head -c $(( $(wc -c < "$GOOD") / 2 )) "$GOOD" > "$T/trunc.tipx"
refused "truncated bundle refused" "$T/trunc.tipx" "truncated"
cp "$P1" "$T/flip.tipx"
off=$(( $(wc -c < "$P1") / 2 ))
b=$(od -An -tu1 -j "$off" -N1 "$P1" | tr -d ' ')
printf "$(printf '\\%03o' $(( (b + 1) % 256 )))" | dd of="$T/flip.tipx" bs=1 seek="$off" conv=notrunc 2>/dev/null
check "the copy differs in one byte" test "$(cmp -l "$P1" "$T/flip.tipx" | wc -l)" = 1
refused "one flipped byte refused" "$T/flip.tipx" "ask LA13 to export it again"
# The SQLite checks inside the envelope, through bundles of the old clear
# format, which the centre lets in with --accept-unsigned.
td p export bundle --all --unsealed -o "$T/plain.tipx" 2>/dev/null >/dev/null
GOOD="$T/plain.tipx"
check "bundle has its own application_id" test "$(sqlite3 "$GOOD" 'PRAGMA application_id')" = 1414090840
UNSIGNED=--accept-unsigned
head -c $(( $(wc -c < "$GOOD") / 2 )) "$GOOD" > "$T/trunc.tipx"
refused "truncated clear bundle refused" "$T/trunc.tipx" "truncated"
cp "$GOOD" "$T/flip.tipx"
off=$(grep -boa 'LA1301-20' "$T/flip.tipx" | tail -1 | cut -d: -f1)
printf 'X' | dd of="$T/flip.tipx" bs=1 seek="$off" conv=notrunc 2>/dev/null
refused "one flipped byte refused" "$T/flip.tipx" "ask LA13 to export it again"
printf 'office,seq\nLA1301,1\n' > "$T/text.tipx"
refused "plain text file refused" "$T/text.tipx" "not a tipdesk bundle (not an SQLite file)"
sqlite3 "$T/other.tipx" "CREATE TABLE t(x); INSERT INTO t VALUES (1)"
refused "another program's SQLite file refused" "$T/other.tipx" "an SQLite file of another program"
refused "a tipdesk database refused" "$T/d1/db/tipdesk.db" "a tipdesk database, not a bundle"
cp "$GOOD" "$T/newer.tipx"
sqlite3 "$T/newer.tipx" "UPDATE manifest SET value = '99' WHERE key = 'schema_version'"
refused "newer schema refused" "$T/newer.tipx" "this bundle was made by a newer tipdesk; update tipdesk here"
cp "$GOOD" "$T/format.tipx"
sqlite3 "$T/format.tipx" "UPDATE manifest SET value = '3' WHERE key = 'format_version'"
refused "unknown bundle format refused" "$T/format.tipx" "bundle format 3, schema"
check "bundles are written in format 2" test "$(sqlite3 "$GOOD" "SELECT value FROM manifest WHERE key = 'format_version'")" = 2
# A bundle's schema must be the writer's: views (one that recurses for
# ever too), triggers, indexes and tables of its own are refused at once.
forged() { cp "$GOOD" "$T/$1.tipx"; sqlite3 "$T/$1.tipx" "$2"; }
forged view "ALTER TABLE cases RENAME TO c2; CREATE VIEW cases AS SELECT * FROM c2"
refused "a view named like a data table refused" "$T/view.tipx" "view.tipx: the bundle holds the view 'cases'"
forged trigger "CREATE TRIGGER tg AFTER INSERT ON events BEGIN SELECT 1; END"
refused "a trigger refused" "$T/trigger.tipx" "trigger.tipx: the bundle holds the trigger 'tg'"
forged extra "CREATE TABLE evil (x)"
refused "an extra table refused" "$T/extra.tipx" "extra.tipx: the bundle holds the table 'evil'"
forged recursive "ALTER TABLE manifest RENAME TO m2; CREATE VIEW manifest AS WITH RECURSIVE r(n) AS
    (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT key, value FROM r, m2"
snap c
timeout 30 "$TIPDESK" -c "$T/c/config.ini" import $UNSIGNED "$T/recursive.tipx" > "$T/out" 2>&1; rc=$?
check "a recursive view is refused, not followed" test $rc = 1
check "the recursive view's refusal names the view" grep -q "recursive.tipx: the bundle holds the view 'manifest'" "$T/out"
check "the recursive view leaves the centre unchanged" same c
# Not a regular file: refused at once, never opened (a FIFO would block).
mkfifo "$T/fifo.tipx"; mkdir "$T/dir.tipx"; ln -s "$T/fifo.tipx" "$T/link.tipx"
for f in fifo dir link; do
    snap c
    timeout 10 "$TIPDESK" -c "$T/c/config.ini" import "$T/$f.tipx" > "$T/out" 2>&1; rc=$?
    if [ $rc = 1 ] && grep -q "$f.tipx: .*, not a bundle" "$T/out" && same c; then ok "$f.tipx refused at once"
    else fail "$f.tipx refused at once (rc $rc)"; sed 's/^/# /' "$T/out"; fi
done
# 100 MB in one note: refused quickly (test_bundle_trust checks its memory).
forged huge "UPDATE cases SET notes = CAST(zeroblob(100000000) AS TEXT) WHERE rowid = 1"
snap c
t0=$(date +%s)
td c import $UNSIGNED "$T/huge.tipx" > "$T/out" 2>&1
secs=$(( $(date +%s) - t0 ))
check "a 100 MB value refused" grep -q "huge.tipx: the bundle holds a value longer than 8 MB" "$T/out"
check "a 100 MB value leaves the centre unchanged" same c
check "a 100 MB value is refused within 10 s ($secs s)" test $secs -lt 10
# Sequence numbers: sane, and not far beyond the last one from that office.
forged seqbig "UPDATE manifest SET value = '9223372036854775808' WHERE key = 'seq'"
refused "an absurd sequence number refused" "$T/seqbig.tipx" "seqbig.tipx: the bundle's sequence number is not a whole number from 1 to 1000000000"
last=$(q c "SELECT max(seq) FROM imports WHERE office = 'LA13'")
forged seqjump "UPDATE manifest SET value = '$((last + 1001))' WHERE key = 'seq'"
refused "a sequence number 1001 past the last refused" "$T/seqjump.tipx" "more than 1000 ahead"
# No control byte from a file's name or content reaches the terminal.
ESCNAME=$(printf '%s/x\033]52;c;aGk=\007.tipx' "$T")
forged esc "$(printf 'CREATE VIEW "v\033]52;c;aGk=\007\015" AS SELECT 1')"
cp "$T/esc.tipx" "$ESCNAME"
td c import $UNSIGNED "$ESCNAME" "$T/esc.tipx" "$T/view.tipx" > "$T/out" 2>&1
check "control bytes of names and values are escaped" test "$(tr -dc '\033\007\015' < "$T/out" | wc -c)" = 0
check "the escaped file name is shown" grep -qF 'x\x1B]52;c;aGk=\x07.tipx: the bundle holds' "$T/out"
check "the escaped view name is shown" grep -qF "esc.tipx: the bundle holds the view 'v\x1B]52;c;aGk=\x07\x0D'" "$T/out"

q d1 "UPDATE cases SET registered_on = '2023-02-30', rev = rev + 1, updated_at = $NOW WHERE id = 5;
      INSERT INTO audit_log(at, user, office, tbl, uuid, action, rev, changes)
      SELECT $NOW, 'clerk', office, 'cases', uuid, 'update', rev, '{}' FROM cases WHERE id = 5"
td d1 export bundle >/dev/null
snap p
td p import "$(newest d1)" > "$T/out" 2>&1
check "row breaking a rule refused, naming it" grep -q "registered_on '2023-02-30': not a date" "$T/out"
check "row breaking a rule leaves the province unchanged" same p

# SIGKILL at random moments: the import is all or nothing.
office k LA centre
td d2 keys import "$T/k.pub" >/dev/null
td k keys import "$T/d2.pub" >/dev/null
td d2 demo --cases 3000 --seed 13 >/dev/null
td d2 export bundle --all --to LA -o "$T/big.tipx" >/dev/null
n_all=$(q d2 'SELECT count(*) FROM cases')
bad=0
for d in 0.02 0.05 0.1 0.15 0.25 0.4; do
    before=$(q k 'SELECT count(*) FROM cases')
    "$TIPDESK" -c "$T/k/config.ini" import "$T/big.tipx" >/dev/null 2>&1 &
    pid=$!
    sleep $d
    kill -9 $pid 2>/dev/null
    wait $pid 2>/dev/null
    after=$(q k 'SELECT count(*) FROM cases')
    [ "$after" = "$before" ] || [ "$after" = "$n_all" ] || bad=1
    [ "$after" = "$n_all" ] && q k 'SELECT count(*) FROM imports' | grep -qx 1 || [ "$after" != "$n_all" ] || bad=1
done
check "killed imports leave none or all of the bundle" test $bad = 0
check "database intact after kills" test "$(q k 'PRAGMA integrity_check')" = ok

# A killed export's temporary file is removed by the next export; a live
# one's, and other files, are left.
sleep 60 & live=$!
: > "$T/d1/exports/.LA1301.tipx-9999999.tmp"
: > "$T/d1/exports/.LA1301.tipx-$live.tmp"
: > "$T/d1/exports/.notes.tmp"
td d1 export bundle >/dev/null
check "a killed export's temporary file is removed" test ! -e "$T/d1/exports/.LA1301.tipx-9999999.tmp"
check "a running export's temporary file is kept" test -e "$T/d1/exports/.LA1301.tipx-$live.tmp"
check "other files are kept" test -e "$T/d1/exports/.notes.tmp"
kill $live
td k import "$T/big.tipx" >/dev/null 2>&1
check "no decrypted copy left beside the database after kills" test -z "$(ls -A "$T/k/db" | grep -v '^tipdesk.db\|^office.key')"
