#!/bin/sh
# CSV export and import: RFC 4180 round trips with Lao text, quotes, commas
# and newlines; every bad row named by file, line and column; all or nothing.
. tests/lib.sh
setup_office

office() {
    mkdir -p "$T/$1"
    cp "$CFG" "$T/$1/config.ini"
    cp -r "$T/forms" "$T/$1/forms"
    "$TIPDESK" -c "$T/$1/config.ini" init >/dev/null
}
quiet() { "$@" >/dev/null; }
td() { o=$1; shift; "$TIPDESK" -c "$T/$o/config.ini" "$@"; }
q() { sqlite3 -batch "$T/$1/db/tipdesk.db" "$2"; }
snap() { q "$1" 'PRAGMA wal_checkpoint(TRUNCATE)' >/dev/null; cp "$T/$1/db/tipdesk.db" "$T/$1.snap"; }
same() { q "$1" 'PRAGMA wal_checkpoint(TRUNCATE)' >/dev/null; cmp -s "$T/$1/db/tipdesk.db" "$T/$1.snap"; }

office a
office b
office e
td a demo --cases 1000 --prosecutions 30 --events 40 --seed 21 >/dev/null
# Closed cases need a closure reason under the forms' rules.
q a "UPDATE cases SET closure_reason = 'Reintegrated' WHERE case_status IN ('Closed', 'ClosedReferred')
     AND closure_reason IS NULL"
q a "UPDATE cases SET first_name = 'ສົມສັກ', last_name = 'ແກ້ວມະນີ', home_village = 'ບ້ານ ໂພນທັນ, ເມືອງ \"ໄຊ\"',
     notes = 'ກິນເຂົ້າ
second line, with comma' WHERE id = 3"

check "export cases to a file" td a export csv cases -o "$T/cases.csv"
check "header names the columns" test "$(head -1 "$T/cases.csv" | cut -d, -f1-3)" = "uuid,ref,office"
check "1000 rows plus a two-line field" test "$(wc -l < "$T/cases.csv")" = 1002
check "quoted field with doubled quotes" grep -qF '"ບ້ານ ໂພນທັນ, ເມືອງ ""ໄຊ"""' "$T/cases.csv"
check "stdout without -o" test "$(td a export csv cases | wc -l)" = 1002
check "CRLF line ends" test "$(head -1 "$T/cases.csv" | od -c | grep -c '\\r')" = 1

# One bad row among 1000: nothing imported, the row's line and column named.
UUID=$(q a "SELECT uuid FROM cases WHERE id = 700")
LINE=$(grep -n "^$UUID," "$T/cases.csv" | cut -d: -f1)
sed "${LINE}s/,\(Police\|BorderImmigration\|WomensUnion\|SocialWelfare\|NGO\|Hotline\|SelfReferral\|ForeignAuthorityReturn\|Other\),/,Astrologer,/" \
    "$T/cases.csv" > "$T/bad.csv"
check "the fixture has one changed row" test "$(diff "$T/cases.csv" "$T/bad.csv" | grep -c '^>')" = 1
snap b
td b import csv cases "$T/bad.csv" > "$T/out" 2>&1; rc=$?
check "bad row: exit 1" test $rc = 1
check "bad row named by file, line and column" grep -q "^$T/bad.csv:$LINE: identified_by: " "$T/out"
check "only that row reported" test "$(grep -c "^$T/bad.csv:" "$T/out")" = 1
check "bad row: says nothing was imported" grep -q "1 row with problems (listed above); nothing was imported" "$T/out"
check "bad row: database byte-for-byte unchanged" same b

check "dry run of the good file" quiet td b import csv cases "$T/cases.csv" --dry-run
check "dry run writes nothing" test "$(q b 'SELECT count(*) FROM cases')" = 0
check "fixed file imports all 1000" quiet td b import csv cases "$T/cases.csv"
check "1000 cases now" test "$(q b 'SELECT count(*) FROM cases')" = 1000
check "round trip gives the same CSV" quiet td b export csv cases -o "$T/back.csv"
check "round trip: same records, Lao marks, quotes, newline" cmp -s "$T/cases.csv" "$T/back.csv"
check "imported through the record store (audit rows)" test "$(q b "SELECT count(*) FROM audit_log WHERE action = 'create'")" = 1000
td b import csv cases "$T/cases.csv" > "$T/out" 2>&1
check "same file again: all unchanged" grep -q "1000 rows: 0 new, 0 updated, 1000 unchanged" "$T/out"

# Events and prosecutions with suspects by prosecution_ref.
for t in events prosecutions; do
    td a export csv $t -o "$T/$t.csv"
    check "$t round trip imports" quiet td b import csv $t "$T/$t.csv"
    td b export csv $t -o "$T/$t.back"
    check "$t round trip gives the same CSV" cmp -s "$T/$t.csv" "$T/$t.back"
done
td a export csv suspects -o "$T/suspects.csv"
check "suspects carry prosecution_ref" test "$(head -1 "$T/suspects.csv" | cut -d, -f1)" = prosecution_ref
check "suspects import by prosecution_ref" quiet td e import csv prosecutions "$T/prosecutions.csv"
q e "DELETE FROM suspects"
check "suspects import into their prosecutions" quiet td e import csv suspects "$T/suspects.csv"
check "every suspect back" test "$(q e 'SELECT count(*) FROM suspects')" = "$(q a 'SELECT count(*) FROM suspects')"
printf 'prosecution_ref,sex\nLA1301-1999-0001,M\n' > "$T/nosuch.csv"
snap e
td e import csv suspects "$T/nosuch.csv" > "$T/out" 2>&1
check "unknown prosecution_ref named" grep -q "nosuch.csv:2: prosecution_ref: no prosecutions record 'LA1301-1999-0001' here" "$T/out"
check "unknown prosecution_ref: unchanged" same e

printf 'ref,sex,favourite_colour\n,F,blue\n' > "$T/unknown.csv"
snap e
td e import csv cases "$T/unknown.csv" > "$T/out" 2>&1; rc=$?
check "unknown column named" grep -q "unknown.csv:1: favourite_colour: no such column" "$T/out"
check "unknown column: exit 1, unchanged" test $rc = 1 && same e
printf 'sex,first_name\nF,"unterminated\n' > "$T/quote.csv"
td e import csv cases "$T/quote.csv" > "$T/out" 2>&1; rc=$?
check "unterminated quote refused" test $rc = 1
printf 'status,sex,registered_on,first_name\ndraft,F,05/03/2024,ນາງ ແກ້ວ\n' > "$T/dmy.csv"
check "dd/mm/yyyy accepted" quiet td e import csv cases "$T/dmy.csv"
check "stored as ISO" test "$(q e "SELECT registered_on FROM cases WHERE first_name = 'ນາງ ແກ້ວ'")" = 2024-03-05

td a export csv cases --excel -o "$T/excel.csv"
check "--excel starts with a BOM" test "$(head -c 3 "$T/excel.csv" | od -An -tx1 | tr -d ' ')" = efbbbf
check "a BOM file imports" quiet td b import csv cases "$T/excel.csv" --dry-run
td a export csv cases --deidentify -o "$T/deid.csv"
h=$(head -1 "$T/deid.csv")
bad=0
for c in first_name last_name id_document phone home_village; do
    echo ",$h," | grep -q ",$c," && bad=1
done
check "--deidentify drops every pii column" test $bad = 0
check "--deidentify keeps only the birth year" test -z "$(awk -F, -v h="$h" 'BEGIN { n = split(h, a, ","); for (i = 1; i <= n; i++) if (a[i] == "birth_date") c = i } NR > 1 && c && length($c) > 4' "$T/deid.csv" | head -1)"
check "--deidentify keeps no Lao name" test -z "$(grep 'ສົມສັກ' "$T/deid.csv")"
td a export csv nosuch > "$T/out" 2>&1; rc=$?
check "unknown table is a usage error" test $rc = 2
