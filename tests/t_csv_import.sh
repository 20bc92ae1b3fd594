#!/bin/sh
# CSV import: the status rows land in, the forms every import needs, and
# bad bytes refused where they are read (NUL, duplicate columns, overlong
# fields) without reading a huge line into memory.
. tests/lib.sh
setup_office

office() {
    mkdir -p "$T/$1"
    cp "$CFG" "$T/$1/config.ini"
    cp -r "$T/forms" "$T/$1/forms"
    "$TIPDESK" -c "$T/$1/config.ini" init >/dev/null
}
td() { o=$1; shift; "$TIPDESK" -c "$T/$o/config.ini" "$@"; }
q() { sqlite3 -batch "$T/$1/db/tipdesk.db" "$2"; }
sum() { q "$1" 'PRAGMA wal_checkpoint(TRUNCATE)' >/dev/null; sha256sum < "$T/$1/db/tipdesk.db"; }

# Rows without a status column are complete records and count in reports.
office s
awk 'BEGIN {
    print "registered_on,identified_by,first_name,last_name,sex,age,trafficking_status,exploitation,exploitation_country,case_status"
    for (i = 0; i < 2455; i++)
        printf "%d-%02d-%02d,Police,ສົມສັກ %d,ແກ້ວມະນີ,%s,%d,ActualVictimOfTrafficking,SexualExploitation,TH,Active\n",
            2020 + i % 5, 1 + i % 12, 1 + i % 28, i, i % 3 ? "F" : "M", 12 + i % 30
}' > "$T/victims.csv"
td s import csv cases "$T/victims.csv" > "$T/out" 2>&1; rc=$?
check "2455 rows without status: imported" test $rc = 0
check "summary counts the rows by status" \
    grep -q "2455 rows: 2455 new, 0 updated, 0 unchanged; 2455 complete, 0 draft, 0 verified" "$T/out"
check "stored as complete" test "$(q s "SELECT count(*) FROM cases WHERE status = 'complete'")" = 2455
td s report victims > "$T/rep" 2>&1
check "report victims counts all 2455" test "$(awk '$1 == "Total" { print $6; exit }' "$T/rep")" = 2455
check "under 18 counted too" test "$(awk '$1 == "Total" { print $7; exit }' "$T/rep")" -gt 0

# A draft column says otherwise; an existing record keeps its status.
printf 'status,sex,first_name\ndraft,F,ນາງ ແກ້ວ\n,M,ທ້າວ ບຸນມີ\n' > "$T/mixed.csv"
td s import csv cases "$T/mixed.csv" > "$T/out" 2>&1; rc=$?
check "an empty status cell is held to the complete rules" test $rc = 1
check "the incomplete row is named" grep -q "mixed.csv:3: registered_on: .* is required" "$T/out"
printf 'status,sex,first_name\ndraft,F,ນາງ ແກ້ວ\n' > "$T/draft.csv"
td s import csv cases "$T/draft.csv" > "$T/out" 2>&1
check "a draft row stays draft" grep -q "1 rows: 1 new, 0 updated, 0 unchanged; 0 complete, 1 draft, 0 verified" "$T/out"
td s export csv cases -o "$T/all.csv"
UUID=$(q s "SELECT uuid FROM cases WHERE status = 'complete' LIMIT 1")
{ echo "uuid,notes"; echo "$UUID,ກິນເຂົ້າ"; } > "$T/upd.csv"
td s import csv cases "$T/upd.csv" > "$T/out" 2>&1
check "an update without status keeps the record's" grep -q "1 rows: 0 new, 1 updated, 0 unchanged; 1 complete, 0 draft" "$T/out"
q s "UPDATE cases SET status = 'verified' WHERE uuid = '$UUID'"
{ echo "uuid,notes"; echo "$UUID,ບ້ານ ໂພນທັນ"; } > "$T/upd.csv"
td s import csv cases "$T/upd.csv" > "$T/out" 2>&1
check "a verified record stays verified" test "$(q s "SELECT status FROM cases WHERE uuid = '$UUID'")" = verified

# Rows without complete values: one clear error per field, nothing stored.
printf 'first_name,sex\nສົມສັກ,F\n' > "$T/incomplete.csv"
h=$(sum s)
td s import csv cases "$T/incomplete.csv" > "$T/out" 2>&1; rc=$?
check "incomplete row without status: exit 1" test $rc = 1
check "incomplete row: the missing field named" grep -q "^$T/incomplete.csv:2: trafficking_status: .*is required" "$T/out"
check "incomplete row: database unchanged" test "$(sum s)" = "$h"

# Without the forms no command that checks records runs.
office n
printf 'first_name,sex\n%s,F\n' "$(head -c 100000 /dev/zero | tr '\0' x)" > "$T/long.csv"
mv "$T/n/forms" "$T/n/forms.away"
h=$(sum n)
td n import csv cases "$T/long.csv" > "$T/out" 2>&1; rc=$?
check "import csv without forms: exit 1" test $rc = 1
check "import csv without forms: names the folder" grep -q "checked against the forms in $T/n/forms, which cannot be used" "$T/out"
check "import csv without forms: one line" test "$(wc -l < "$T/out")" = 1
check "import csv without forms: database unchanged" test "$(sum n)" = "$h"
td n check > "$T/out" 2>&1; rc=$?
check "check without forms: exit 1, folder named" test $rc = 1 && grep -q "forms in $T/n/forms" "$T/out"
office a
td a export bundle --unsealed -o "$T/a.tipx" >/dev/null
td n import "$T/a.tipx" > "$T/out" 2>&1; rc=$?
check "import bundle without forms: exit 1, folder named" test $rc = 1 && grep -q "forms in $T/n/forms" "$T/out"
check "import bundle without forms: database unchanged" test "$(sum n)" = "$h"
td n > "$T/out" 2>&1 < /dev/null; rc=$?
check "the screens without forms: exit 1, folder named" test $rc = 1 && grep -q "$T/n/forms" "$T/out"
mv "$T/n/forms.away" "$T/n/forms"
td n import csv cases "$T/long.csv" > "$T/out" 2>&1; rc=$?
check "with the forms back the 100 000-character name is refused" test $rc = 1 && grep -q "long.csv:2: first_name" "$T/out"

# Bytes refused where they are read, the database untouched.
office b
h=$(sum b)
printf 'status,sex,first_name,last_name\ndraft,F,ສົມ\000ສັກ,ແກ້ວມະນີ\n' > "$T/nul.csv"
td b import csv cases "$T/nul.csv" > "$T/out" 2>&1; rc=$?
check "NUL in a field: exit 1" test $rc = 1
check "NUL in a field: file, line and column named" grep -q "^$T/nul.csv:2: first_name: holds a NUL byte" "$T/out"
printf 'status,sex\000x,first_name\ndraft,F,ສົມສັກ\n' > "$T/nulhead.csv"
td b import csv cases "$T/nulhead.csv" > "$T/out" 2>&1; rc=$?
check "NUL in the header: refused, column number named" test $rc = 1 && grep -q "^$T/nulhead.csv:1: column 2: holds a NUL byte" "$T/out"
printf 'status,first_name,sex,first_name\ndraft,ສົມສັກ,F,ບຸນມີ\n' > "$T/dup.csv"
td b import csv cases "$T/dup.csv" > "$T/out" 2>&1; rc=$?
check "the same column twice: exit 1" test $rc = 1
check "the same column twice: both columns named" grep -q "^$T/dup.csv:1: first_name: named twice, by columns 2 and 4; keep one" "$T/out"
check "bad bytes: database unchanged" test "$(sum b)" = "$h"

# A 50 MB field is refused as soon as it passes the form's maxlen, without
# holding the line in memory.
{ printf 'status,sex,first_name,notes\ndraft,F,ສົມສັກ,'; head -c 50000000 /dev/zero | tr '\0' x; printf '\n'; } > "$T/huge.csv"
if [ -x /usr/bin/time ]; then
    # Against the same refusal of a 100 kB line (sanitizer builds start bigger).
    { printf 'status,sex,first_name,notes\ndraft,F,ສົມສັກ,'; head -c 100000 /dev/zero | tr '\0' x; printf '\n'; } > "$T/small.csv"
    /usr/bin/time -f 'rss %M' -o "$T/rss0" "$TIPDESK" -c "$T/b/config.ini" import csv cases "$T/small.csv" >/dev/null 2>&1
    /usr/bin/time -f 'rss %M' -o "$T/rss" "$TIPDESK" -c "$T/b/config.ini" import csv cases "$T/huge.csv" > "$T/out" 2>&1; rc=$?
    rss0=$(sed -n 's/^rss //p' "$T/rss0")
    rss=$(sed -n 's/^rss //p' "$T/rss")
    echo "# peak RSS: ${rss} KiB for the 50 MB line, ${rss0} KiB for a 100 kB one"
    check "50 MB line: peak memory within 16 MiB of a 100 kB line's" test "$rss" -lt $((rss0 + 16384))
else
    td b import csv cases "$T/huge.csv" > "$T/out" 2>&1; rc=$?
fi
check "50 MB line: exit 1" test $rc = 1
check "50 MB line: the field named with the form's limit" \
    grep -q "^$T/huge.csv:2: notes: longer than the form allows (4000 characters); shorten it" "$T/out"
{ printf 'status,sex\ndraft,'; head -c 50000000 /dev/zero | tr '\0' ,; printf '\n'; } > "$T/commas.csv"
td b import csv cases "$T/commas.csv" > "$T/out" 2>&1; rc=$?
check "50 million fields in a row: refused" test $rc = 1 && grep -q "^$T/commas.csv:2: row: 50000001 fields, the header has 2" "$T/out"
check "huge lines: database unchanged" test "$(sum b)" = "$h"
rm -f "$T/huge.csv" "$T/commas.csv"
