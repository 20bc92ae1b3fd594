#!/bin/sh
# tipdesk report on the command line: CSV header, exit codes and messages
# for bad options, --where checks, and publishing refused for quality.
. "$TIPDESK_SRC/tests/lib.sh"
setup_office
"$TIPDESK" -c "$CFG" init >/dev/null 2>&1 || { fail "init"; exit 1; }

out=$("$TIPDESK" -c "$CFG" report victims --by year --format csv)
check "victims CSV header" [ "$(printf '%s\n' "$out" | head -1 | tr -d '\r')" = \
    "year,female,male,other,unknown,total,under_18,adult,age_unknown" ]
out=$("$TIPDESK" -c "$CFG" report prosecutions --by year --format csv)
check "prosecutions CSV header" sh -c "printf '%s' '$out' | head -1 | grep -q '^year,investigations,prosecutions,convictions,'"

"$TIPDESK" -c "$CFG" report victims --by weekday >/dev/null 2>"$T/err"; rc=$?
check "unknown --by is a usage error" [ "$rc" -eq 2 ]
check "message names the option" grep -q "\-\-by 'weekday'" "$T/err"
"$TIPDESK" -c "$CFG" report nonsense >/dev/null 2>"$T/err"; rc=$?
check "unknown report is a usage error" [ "$rc" -eq 2 ]
"$TIPDESK" -c "$CFG" report victims --from 2020 --to 2019 >/dev/null 2>&1; rc=$?
check "--from after --to is a usage error" [ "$rc" -eq 2 ]
"$TIPDESK" -c "$CFG" report victims --where nocolumn=1 >/dev/null 2>"$T/err"; rc=$?
check "--where on a missing column fails" [ "$rc" -eq 1 ]
check "message names the column" grep -q "no column 'nocolumn'" "$T/err"
"$TIPDESK" -c "$CFG" report quality --publish >/dev/null 2>&1; rc=$?
check "quality cannot be published" [ "$rc" -eq 2 ]
out=$("$TIPDESK" -c "$CFG" report victims --lang lo)
check "Lao labels" sh -c "printf '%s' '$out' | grep -q 'ຍິງ'"
check "legend of filters" sh -c "printf '%s' '$out' | grep -q 'ຕົວກອງ'"

# The standard exports through `tipdesk export`: HTCDS CSV files into a folder,
# DHIS2 data values as JSON, both named by --help.
"$TIPDESK" -c "$CFG" demo --cases 300 --seed 5 >/dev/null 2>&1 || fail "demo data"
"$TIPDESK" -c "$CFG" export htcds -o "$T/htcds" 2>"$T/err"; rc=$?
check "export htcds succeeds" [ "$rc" -eq 0 ]
check "htcds cases file written" test -s "$T/htcds/htcds_cases.csv"
check "htcds says how many cases" grep -q "cases written to $T/htcds" "$T/err"
"$TIPDESK" -c "$CFG" export dhis2 --period 2024 --format json >"$T/dhis2.json" 2>"$T/err"; rc=$?
check "export dhis2 succeeds" [ "$rc" -eq 0 ]
check "dhis2 JSON holds data values for 2024" sh -c \
    "head -1 '$T/dhis2.json' | grep -q '^{\"idScheme\":\"CODE\",.*\"dataValues\":\[' && grep -q '\"period\":\"2024\"' '$T/dhis2.json'"
"$TIPDESK" -c "$CFG" export dhis2 --period 2024 --format adx --disagg categories -o "$T/cat.adx" 2>"$T/err"; rc=$?
check "dhis2 ADX with category attributes succeeds" [ "$rc" -eq 0 ]
check "ADX carries SEX and AGE attributes" grep -q 'SEX="F" AGE="LT18"' "$T/cat.adx"
"$TIPDESK" -c "$CFG" export dhis2 --period 2024 --disagg categories >/dev/null 2>"$T/err"; rc=$?
check "--disagg without ADX is a usage error" [ "$rc" -eq 2 ]
check "message says --disagg is for ADX" grep -q "disagg is for --format adx" "$T/err"
"$TIPDESK" -c "$CFG" export dhis2 --period 2024 --format adx --disagg rows >/dev/null 2>"$T/err"; rc=$?
check "unknown --disagg is a usage error" [ "$rc" -eq 2 ]
# A category code that cannot be an XML attribute: refused, naming file and key, nothing written.
DB="$T/db/tipdesk.db"
sum=$(sha256sum "$DB")
sed -i 's/^sex = SEX/sex = 1SEX/' "$T/forms/dhis2.ini"
"$TIPDESK" -c "$CFG" export dhis2 --period 2024 --format adx --disagg categories -o "$T/bad.adx" 2>"$T/err"; rc=$?
check "bad category code fails" [ "$rc" -eq 1 ]
check "message names the file and the key" grep -q "dhis2.ini: \[adx_category\] sex = 1SEX: not usable" "$T/err"
check "no ADX file written" [ ! -e "$T/bad.adx" ]
check "database unchanged" [ "$(sha256sum "$DB")" = "$sum" ]
sed -i 's/^sex = 1SEX/sex = SEX/' "$T/forms/dhis2.ini"
"$TIPDESK" -c "$CFG" export htcds -o "$T/htx" --excel 2>"$T/err"; rc=$?
check "export htcds --excel succeeds" [ "$rc" -eq 0 ]
check "htcds --excel files start with a byte order mark" sh -c \
    "head -c 8 '$T/htx/htcds_cases.csv' | od -An -c | tr -d ' \n' | grep -q '357273277uuid,'"
"$TIPDESK" -c "$CFG" export dhis2 --period 2024 --excel >/dev/null 2>"$T/err"; rc=$?
check "--excel with dhis2 is a usage error" [ "$rc" -eq 2 ]
"$TIPDESK" -c "$CFG" export dhis2 --format json >/dev/null 2>"$T/err"; rc=$?
check "dhis2 without --period is a usage error" [ "$rc" -eq 2 ]
check "message asks for the period" grep -q "needs --period" "$T/err"
"$TIPDESK" -c "$CFG" export --help >"$T/help"
check "export --help lists htcds" grep -q 'export htcds -o DIR' "$T/help"
check "export --help lists dhis2" grep -q 'dhis2 --period YYYY' "$T/help"
# The prosecutions report reads each prosecution's suspects from one index,
# once per prosecution, never a suspect's row or a lookup per suspect.
plan=$(sqlite3 "$DB" "EXPLAIN QUERY PLAN SELECT ifnull(s.stage, ''), total(s.sex = 'F'), count(*),
    total(s.sentence_months > 0 OR s.fine_lak > 0) FROM (SELECT uuid FROM prosecutions WHERE 1
    AND deleted_at IS NULL AND status <> 'draft') p CROSS JOIN suspects s ON s.prosecution_uuid = p.uuid GROUP BY 1")
check "suspects by stage: prosecutions scanned, suspects read from their covering index" \
    sh -c "printf '%s' '$plan' | grep -q 'SCAN prosecutions' &&
           printf '%s' '$plan' | grep -q 'SEARCH s USING COVERING INDEX suspects_prosecution'"
plan=$(sqlite3 "$DB" "EXPLAIN QUERY PLAN SELECT count(*) FROM suspects s WHERE s.prosecution_uuid = 'x'
    AND +stage IN ('Prosecuted', 'Convicted', 'Acquitted')")
check "suspects of one prosecution at a stage counted from the index alone" \
    sh -c "printf '%s' '$plan' | grep -q 'COVERING INDEX'"
# Victims are read from index cases_victims, in uuid order and from the index
# alone; without it (a copy where it is dropped) every report is the same.
plan=$(sqlite3 "$DB" "EXPLAIN QUERY PLAN SELECT uuid, registered_on, sex, case_status, office
    FROM cases INDEXED BY cases_victims WHERE trafficking_status IN ('PossibleVictimOfTrafficking',
    'ActualVictimOfTrafficking') AND deleted_at IS NULL AND status <> 'draft' ORDER BY uuid")
check "victims in uuid order from their covering index, no sort" \
    sh -c "printf '%s' '$plan' | grep -q 'COVERING INDEX cases_victims' && ! printf '%s' '$plan' | grep -q 'TEMP B-TREE'"
# A victim's sex changed, one deleted, one made a draft: the index follows.
sql "UPDATE cases SET sex = 'X' WHERE id = 3; UPDATE cases SET deleted_at = '2026-01-01T00:00:00Z' WHERE id = 4;
     UPDATE cases SET status = 'draft' WHERE id = 5"
cp "$DB" "$T/noindex.db"
sqlite3 "$T/noindex.db" "DROP INDEX cases_victims"
sed "s|^path = .*|path = $T/noindex.db|" "$CFG" > "$T/noindex.ini"
same=0 n=0
for r in victims protection npa; do
    w="--where sex=F"
    [ "$r" = npa ] && w="--to 2025"     # npa's events and prosecutions have no sex
    for opts in "" "--by province" "--by district --from 2020" "--status complete" "--status draft" "$w"; do
        n=$((n + 1))
        # shellcheck disable=SC2086
        "$TIPDESK" -c "$CFG" report "$r" $opts --format csv > "$T/a.csv" 2>&1 &&
        "$TIPDESK" -c "$T/noindex.ini" report "$r" $opts --format csv > "$T/b.csv" 2>&1 &&
        [ "$(wc -l < "$T/a.csv")" -gt 2 ] && cmp -s "$T/a.csv" "$T/b.csv" && same=$((same + 1)) || echo "# differs: report $r $opts"
    done
done
check "victims, protection and npa: the same with and without the index ($same of $n)" [ "$same" -eq "$n" ]
# Shelter days against SQLite's julianday() (the oracle): dates of every
# form a row could hold, worked out in C or by SQL, must add up the same.
v=$(sql "SELECT uuid FROM cases INDEXED BY cases_victims WHERE trafficking_status IN ('PossibleVictimOfTrafficking',
         'ActualVictimOfTrafficking') AND deleted_at IS NULL AND status <> 'draft' LIMIT 1")
seq=1000
for pair in "2024-02-01 2024-03-01" "2024-02-27 2024-02-30" "2023-12-31 2024-01-01" "2024-13-01 2024-12-01" \
            "2024-01-00 2024-01-05" "2024-1-05x 2024-01-10" "12:30:00.0 2024-01-10" "2459000.50 2459010.75" \
            "ບ້ານ-01-01 2024-01-01" "2024-05-20 2024-05-10" "0000-01-01 0001-03-01" "9999-12-31 9999-12-31"; do
    seq=$((seq + 1))
    sql "INSERT INTO case_assistance(case_uuid, seq, type, start_on, end_on, status)
         VALUES ('$v', $seq, 'Shelter', '${pair% *}', '${pair#* }', 'Completed')"
done
got=$("$TIPDESK" -c "$CFG" report protection --format csv | awk -F, '$1 == "total" { print $6 }')
want=$(sql "SELECT sum(CAST(julianday(a.end_on) - julianday(a.start_on) AS INTEGER)) FROM case_assistance a
            JOIN cases c ON c.uuid = a.case_uuid WHERE a.type = 'Shelter' AND length(a.start_on) = 10
            AND length(a.end_on) = 10 AND c.trafficking_status IN ('PossibleVictimOfTrafficking', 'ActualVictimOfTrafficking')
            AND c.deleted_at IS NULL AND c.status <> 'draft'")
check "shelter days as SQLite's julianday() counts them ($got, $want)" [ -n "$got" -a "$got" = "$want" ]
