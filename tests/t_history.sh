#!/bin/sh
# tipdesk history: a record saved, then changed through CSV imports (fields
# and child rows), is rebuilt at revision 1 exactly as a copy taken with
# sqlite3 right after its first save, its entries show each old → new, and
# the same holds at the centre after a bundle.  Viewers see no names.
. tests/lib.sh
setup_office

office() {
    mkdir -p "$T/$1"
    cp "$CFG" "$T/$1/config.ini"
    cp -r "$T/forms" "$T/$1/forms"
    set_config "$T/$1/config.ini" office code "$2"
    set_config "$T/$1/config.ini" office level "$3"
    "$TIPDESK" -c "$T/$1/config.ini" init >/dev/null
}
td() { o=$1; shift; "$TIPDESK" -c "$T/$o/config.ini" "$@"; }
quiet() { "$@" >/dev/null; }
q() { sqlite3 -batch "$T/$1/db/tipdesk.db" "$2"; }
ql() { sqlite3 -batch -line "$T/$1/db/tipdesk.db" "$2"; }
sum() { q "$1" 'PRAGMA wal_checkpoint(TRUNCATE)' >/dev/null; sha256sum < "$T/$1/db/tipdesk.db"; }
# copy OFFICE TABLE REF: "col: value" of every filled column (but id) of the
# record, then "CHILD N: col=value, ..." of its child rows, read by sqlite3.
copy() {
    ql "$1" "SELECT * FROM $2 WHERE ref = '$3'" | awk '{ sub(/^ */, ""); i = index($0, " = ");
        c = substr($0, 1, i - 1); v = substr($0, i + 3)
        if (c != "id" && v != "") print "    " c ": " v }'
    for k in $4; do
        ql "$1" "SELECT k.* FROM $k k JOIN $2 p ON p.uuid = k.$5 WHERE p.ref = '$3' ORDER BY k.seq" |
        awk -v k="$k" '
            /^$/ { if (line != "") print line; line = ""; next }
            { sub(/^ */, ""); i = index($0, " = "); c = substr($0, 1, i - 1); v = substr($0, i + 3)
              if (c == "seq") { line = "    " k " " v ":"; n = 0; next }
              if (c == "id" || c == "'"$5"'" || v == "") next
              line = line (n++ ? ", " : " ") c "=" v }
            END { if (line != "") print line }'
        [ -n "$(q "$1" "SELECT 1 FROM $k k JOIN $2 p ON p.uuid = k.$5 WHERE p.ref = '$3' LIMIT 1")" ] ||
            echo "    $k: none"
    done
}
# created OUTPUT: the "values at creation" lines of a history.
created() { sed -n '/^values at creation/,$p' "$1" | tail -n +2; }

office d LA1301 district
office c LA centre

# A case saved with Lao text, then changed twice through CSV.
printf 'registered_on,identified_by,first_name,last_name,sex,age,home_village,trafficking_status,case_status,notes\n2026-02-03,Police,ສົມສັກ,ແກ້ວມະນີ,F,19,ບ້ານ ໂພນທັນ,ActualVictimOfTrafficking,Active,ກິນເຂົ້າ\n' > "$T/new.csv"
check "a case imported from CSV" quiet td d import csv cases "$T/new.csv"
REF=$(q d "SELECT ref FROM cases")
UUID=$(q d "SELECT uuid FROM cases")
copy d cases "$REF" "case_events case_screening case_assistance" case_uuid > "$T/case1"
check "the create entry repeats no value" test "$(q d "SELECT count(*) FROM audit_log WHERE action = 'create' AND changes IS NULL")" = 1
printf 'uuid,first_name,age\n%s,ສົມພອນ,20\n' "$UUID" > "$T/u1.csv"
printf 'uuid,home_village,notes\n%s,ບ້ານ ນາໄຊ,\n' "$UUID" > "$T/u2.csv"
quiet td d import csv cases "$T/u1.csv" && quiet td d import csv cases "$T/u2.csv"
check "two updates stored" test "$(q d "SELECT rev FROM cases")" = 3
td d history "$REF" > "$T/h" 2>&1; rc=$?
check "history of a case: exit 0" test $rc = 0
created "$T/h" > "$T/got"
check "revision 1 rebuilt equals the copy taken after the first save" cmp -s "$T/case1" "$T/got"
check "revision 1 has the Lao name" grep -q "^    first_name: ສົມສັກ$" "$T/got"
check "entry of revision 2: first_name old → new" grep -q "^    first_name: ສົມສັກ → ສົມພອນ$" "$T/h"
check "entry of revision 2: age old → new" grep -q "^    age: 19 → 20$" "$T/h"
check "entry of revision 3: village old → new" grep -q "^    home_village: ບ້ານ ໂພນທັນ → ບ້ານ ນາໄຊ$" "$T/h"
check "entry of revision 3: a value cleared" grep -q "^    notes: ກິນເຂົ້າ → (empty)$" "$T/h"
check "entries say when, who, office, action, rev" \
    test "$(grep -c '^20[0-9-]*T[0-9:]*Z  admin  LA1301  \(create  rev 1\|update  rev [23]\)$' "$T/h")" = 3

# A prosecution saved with its suspects (demo), then its suspects and a
# field changed through CSV: the child rows of revision 1 come back too.
quiet td d demo --cases 3 --prosecutions 1 --events 0 --seed 5
PREF=$(q d "SELECT ref FROM prosecutions")
PUUID=$(q d "SELECT uuid FROM prosecutions")
check "the demo prosecution has suspects" test "$(q d "SELECT count(*) FROM suspects")" -gt 0
copy d prosecutions "$PREF" "suspects prosecution_victims" prosecution_uuid > "$T/pros1"
printf 'prosecution_ref,seq,first_name,last_name,stage\n%s,1,ສົມສັກ,ແກ້ວມະນີ,Arrested\n' "$PREF" > "$T/s1.csv"
printf 'prosecution_ref,first_name,sex,stage\n%s,ກິນເຂົ້າ,M,Suspected\n' "$PREF" > "$T/s2.csv"
printf 'uuid,notes\n%s,ບ້ານ ໂພນທັນ\n' "$PUUID" > "$T/p1.csv"
quiet td d import csv suspects "$T/s1.csv" && quiet td d import csv suspects "$T/s2.csv" &&
    quiet td d import csv prosecutions "$T/p1.csv"
check "three updates of the prosecution" test "$(q d "SELECT rev FROM prosecutions")" = 4
# Cases and prosecutions number their refs each on their own.
if [ "$(q d "SELECT count(*) FROM cases WHERE ref = '$PREF'")" = 0 ]; then
    printf 'ref,status,sex,first_name\n%s,draft,F,ນາງ ແກ້ວ\n' "$PREF" > "$T/same.csv"
    quiet td d import csv cases "$T/same.csv"
fi
td d history "$PREF" > "$T/out" 2>&1; rc=$?
check "a ref of a case and a prosecution: exit 1" test $rc = 1
check "a ref of a case and a prosecution: says how to choose" \
    grep -q "is the ref of a record in cases and in prosecutions; say which, e.g. 'tipdesk history prosecutions $PREF'" "$T/out"
td d history prosecutions "$PREF" > "$T/ph" 2>&1
created "$T/ph" > "$T/got"
check "prosecution: revision 1 with its suspects equals the copy" cmp -s "$T/pros1" "$T/got"
check "a changed suspect list shows its rows before and after" grep -q "^    suspects (.* rows → .* rows):$" "$T/ph"
check "the suspect's new Lao name is in the rows after" grep -q "first_name=ສົມສັກ, last_name=ແກ້ວມະນີ" "$T/ph"
check "prosecution field old → new" grep -q "^    notes: .* → ບ້ານ ໂພນທັນ$" "$T/ph"

# Viewers see the entries but no names.
printf 'viewer-pass-1\n' > "$T/v.pw"; chmod 600 "$T/v.pw"
quiet td d user add ນາງແກ້ວ --role viewer --new-password-file "$T/v.pw"
VU=ນາງແກ້ວ
td d history cases "$REF" --user "$VU" --password-file "$T/v.pw" > "$T/vh" 2>&1; rc=$?
check "a viewer may read the history" test $rc = 0
check "a viewer sees no names" test -z "$(grep -e 'ສົມສັກ' -e 'ສົມພອນ' -e 'ແກ້ວມະນີ' -e admin "$T/vh")"
check "a viewer sees names hidden" grep -q "^    first_name: (hidden) → (hidden)$" "$T/vh"
check "a viewer sees coded values" grep -q "^    age: 19 → 20$" "$T/vh"

# Bad input: one clear line, exit 1, nothing written.
h=$(sum d)
td d history LA1301-1999-0042 > "$T/out" 2>&1; rc=$?
check "unknown ref: exit 1" test $rc = 1
check "unknown ref: named, with what to do" \
    grep -q "^tipdesk history: no case, prosecution or event has the ref or uuid 'LA1301-1999-0042'; see the refs" "$T/out"
check "unknown ref: one line" test "$(wc -l < "$T/out")" = 1
td d history > "$T/out" 2>&1; rc=$?
check "no ref: usage error, exit 2" test $rc = 2
td d history cases "$REF" --password-file /nonexistent > "$T/out" 2>&1; rc=$?
check "history needs a login" test $rc = 1
check "database unchanged by history and its errors" test "$(sum d)" = "$h"

# The centre gets the records and their entries in a bundle and rebuilds
# the same revision 1.
check "district exports a bundle" quiet td d export bundle --all --unsealed -o "$T/d.tipx"
check "the bundle carries compact create entries" \
    test "$(sqlite3 "$T/d.tipx" "SELECT count(*) FROM audit_log WHERE action = 'create' AND changes IS NULL")" -gt 1
check "centre imports it" quiet td c import --accept-unsigned "$T/d.tipx"
for r in "cases $REF" "prosecutions $PREF"; do
    td d history $r > "$T/hd" 2>&1
    td c history $r > "$T/hc" 2>&1; rc=$?
    created "$T/hd" > "$T/cd"
    created "$T/hc" > "$T/cc"
    check "centre: history of $r" test $rc = 0
    check "centre: $r has the same values at creation" cmp -s "$T/cd" "$T/cc"
    check "centre: $r shows the district's entries" \
        test "$(grep -c '  LA1301  \(create\|update\)  rev' "$T/hc")" = "$(grep -c '  LA1301  \(create\|update\)  rev' "$T/hd")"
done
td c history cases "$REF" > "$T/hc" 2>&1
created "$T/hc" > "$T/cc"
check "centre: revision 1 of the case equals the copy taken at the district" cmp -s "$T/case1" "$T/cc"
# A create row of an older tipdesk, with every value as [null, value], is
# still read: the values at creation are the same.
td d history cases "$REF" > "$T/h1" 2>&1
q d "UPDATE audit_log SET changes = '{\"first_name\":[null,\"ສົມສັກ\"],\"home_village\":[null,\"ບ້ານ ໂພນທັນ\"]}'
     WHERE uuid = '$UUID' AND action = 'create'"
td d history cases "$REF" > "$T/h2" 2>&1; rc=$?
check "an older full create row: history exit 0" test $rc = 0
check "an older full create row: the same history" cmp -s "$T/h1" "$T/h2"

# A revision whose entry never arrived: the entries are shown, revision 1
# is not guessed.
q c "DELETE FROM audit_log WHERE uuid = '$UUID' AND rev = 2"
td c history cases "$REF" > "$T/hc" 2> "$T/err"; rc=$?
check "incomplete history: exit 1" test $rc = 1
check "incomplete history: says which revision has no entry" \
    grep -q "^tipdesk history: the history of cases $REF is not complete: .*revision 2" "$T/err"
check "incomplete history: the entries still shown" grep -q "update  rev 3$" "$T/hc"
check "incomplete history: no values at creation" test -z "$(grep 'values at creation' "$T/hc")"
echo "1..$n_test"
