#!/bin/sh
# Values in fields a form does not ask for the record (its `relevant` does
# not hold): CSV import refuses them with the line and column, all or
# nothing, also for suspects rows and for stored values an update would
# leave there; check warns of records that hold them; demo makes none.
. tests/lib.sh
setup_office

DB="$T/db/tipdesk.db"
OUT="$T/out"
run() { "$TIPDESK" -c "$CFG" "$@" >"$OUT" 2>&1; rc=$?; }
dump() { sql .dump > "$1"; }
has() { grep -qF -- "$1" "$OUT"; }

"$TIPDESK" -c "$CFG" init >/dev/null

# --- a value the file gives for a field the form does not ask -----------------
HEAD=registered_on,identified_by,returned_from,first_name,last_name,sex,age,trafficking_status,exploitation,exploitation_country,case_status,home_village
printf '%s\n%s\n%s\n' "$HEAD" \
    "2024-03-01,ForeignAuthorityReturn,TH,ສົມສັກ,ແກ້ວມະນີ,M,30,ActualVictimOfTrafficking,ForcedLabour,TH,Active,ບ້ານ ໂພນທັນ" \
    "2024-03-02,Police,TH,ມະນີວອນ,ພົມມະຈັນ,F,19,ActualVictimOfTrafficking,SexualExploitation,TH,Active,ບ້ານ ນາໄຊ" \
    > "$T/given.csv"
dump "$T/before"
run import csv cases "$T/given.csv"
check "a value in an unasked field: exit 1" test $rc -eq 1
has "$T/given.csv:3: returned_from: 'TH' given, but the form asks Returned from country only when identified_by = 'ForeignAuthorityReturn' (here identified_by is 'Police'); leave the cell empty, or correct the values it depends on" \
    && ok "the line, the column, why and what to do" || fail "message: $(cat "$OUT")"
check "only that row is named" test "$(grep -c "^$T/given.csv:" "$OUT")" -eq 1
has "1 row with problems (listed above); nothing was imported" && ok "nothing imported, it says" || fail "summary: $(cat "$OUT")"
dump "$T/after"
check "a value in an unasked field: database unchanged" cmp -s "$T/before" "$T/after"
run import csv cases "$T/given.csv" --dry-run
check "a dry run refuses it too" test $rc -eq 1

# The same file without that value imports both rows.
sed '3s/,Police,TH,/,Police,,/' "$T/given.csv" > "$T/fixed.csv"
run import csv cases "$T/fixed.csv"
check "without the value: exit 0" test $rc -eq 0
has "2 rows: 2 new" && ok "both rows imported" || fail "fixed: $(cat "$OUT")"
check "the asked value is kept" test "$(sql "SELECT returned_from FROM cases WHERE first_name = 'ສົມສັກ'")" = TH
check "the Lao names are stored" test "$(sql "SELECT count(*) FROM cases WHERE home_village IN ('ບ້ານ ໂພນທັນ', 'ບ້ານ ນາໄຊ')")" -eq 2

# --- a stored value an update row would leave in an unasked field ---------------
U=$(sql "SELECT uuid FROM cases WHERE first_name = 'ສົມສັກ'")
printf 'uuid,identified_by,last_name\n%s,Police,ແກ້ວມະນີ ສີສຸວັນ\n' "$U" > "$T/upd.csv"
dump "$T/before"
run import csv cases "$T/upd.csv"
check "an update that stops asking a stored value: exit 1" test $rc -eq 1
has "$T/upd.csv:2: returned_from: the stored record holds 'TH', but the form asks Returned from country only when identified_by = 'ForeignAuthorityReturn' (here identified_by is 'Police'); to clear it add the column returned_from with an empty cell" \
    && ok "the stored value, why, and how to clear it" || fail "update: $(cat "$OUT")"
dump "$T/after"
check "the stored value is not lost: database unchanged" cmp -s "$T/before" "$T/after"
# Saying so in the file clears it, with the old value in the audit log.
printf 'uuid,identified_by,returned_from,last_name\n%s,Police,,ແກ້ວມະນີ ສີສຸວັນ\n' "$U" > "$T/clear.csv"
run import csv cases "$T/clear.csv"
check "an empty returned_from cell clears it: exit 0" test $rc -eq 0
check "returned_from now empty" test -z "$(sql "SELECT returned_from FROM cases WHERE uuid = '$U'")"
check "the audit row keeps the old value" \
    test "$(sql "SELECT json_extract(changes, '\$.returned_from[0]') FROM audit_log WHERE uuid = '$U' AND action = 'update'")" = TH

# --- suspects: each row is its own child row of the prosecution ----------------
printf 'investigated_on,agency,province,exploitation\n2024-02-01,Police,LA13,ForcedLabour\n' > "$T/pros.csv"
run import csv prosecutions "$T/pros.csv"
check "a prosecution to hang suspects on" test $rc -eq 0
PREF=$(sql "SELECT ref FROM prosecutions")
printf 'prosecution_ref,seq,first_name,sex,age,stage,sentence_months\n%s,1,ບຸນມີ,M,40,Convicted,60\n%s,2,ສົມພອນ,M,35,Arrested,24\n' \
    "$PREF" "$PREF" > "$T/suspects.csv"
dump "$T/before"
run import csv suspects "$T/suspects.csv"
check "a sentence for a suspect not convicted: exit 1" test $rc -eq 1
has "$T/suspects.csv:3: sentence_months: '24' given, but the form asks Sentence (months) only when stage = 'Convicted' (here stage is 'Arrested')" \
    && ok "the suspect's line and column named" || fail "suspects: $(cat "$OUT")"
check "only the suspect's row is named" test "$(grep -c "^$T/suspects.csv:" "$OUT")" -eq 1
dump "$T/after"
check "suspects: database unchanged" cmp -s "$T/before" "$T/after"
sed '3s/,24$/,/' "$T/suspects.csv" > "$T/suspects2.csv"
run import csv suspects "$T/suspects2.csv"
check "without that sentence both suspects import" test $rc -eq 0 -a "$(sql 'SELECT count(*) FROM suspects')" -eq 2
# The convicted suspect acquitted on appeal: the sentence must be cleared by the file.
printf 'prosecution_ref,seq,stage\n%s,1,Acquitted\n' "$PREF" > "$T/acquit.csv"
run import csv suspects "$T/acquit.csv"
check "a stored sentence the row stops asking: exit 1" test $rc -eq 1
has "$T/acquit.csv:2: sentence_months: the stored record holds '60'" && ok "the stored sentence named" \
    || fail "acquit: $(cat "$OUT")"
check "the sentence is still there" test "$(sql 'SELECT sentence_months FROM suspects WHERE seq = 1')" = 60

# --- check: values planted behind the program's back ---------------------------
run check
check "check with consistent records exits 0" test $rc -eq 0
check_not "no warning for consistent records" grep -q "warning" "$OUT"
CREF=$(sql "SELECT ref FROM cases WHERE identified_by = 'Police' AND first_name = 'ມະນີວອນ'")
sql "UPDATE cases SET returned_from = 'VN' WHERE ref = '$CREF'"
sql "UPDATE suspects SET sentence_months = 12 WHERE seq = 2"
# A draft too: every save, a draft's as well, drops such values.
sql "UPDATE cases SET status = 'draft', referral_on = '2024-03-05' WHERE uuid = '$U'"
DREF=$(sql "SELECT ref FROM cases WHERE uuid = '$U'")
"$TIPDESK" -c "$CFG" check >"$OUT" 2>"$T/err"; rc=$?
check "warnings do not change check's exit code" test $rc -eq 0
has "cases $CREF: warning: returned_from holds a value the form does not ask: the form asks Returned from country only when identified_by = 'ForeignAuthorityReturn' (here identified_by is 'Police'); correct the values it depends on, or open and save the record to drop it" \
    && ok "check names the record and the field" || fail "check: $(cat "$OUT")"
has "prosecutions $PREF: suspects row 2: warning: sentence_months holds a value the form does not ask" \
    && ok "check names the suspect row" || fail "check suspects: $(cat "$OUT")"
has "cases $DREF: warning: referral_on holds a value the form does not ask" \
    && ok "check warns of drafts too" || fail "check draft: $(cat "$OUT")"
check "three warnings, nothing else" test "$(grep -c ': warning: ' "$OUT")" -eq 3
has "checked; 3 warnings (values in fields the forms do not ask, listed above)" \
    && ok "the summary counts the warnings" || fail "summary: $(cat "$OUT")"
check_not "the warning does not print the planted value" grep -q "'VN'" "$OUT"
# With a problem as well: exit 1, both counted.
sql "UPDATE cases SET home_province = 'LA13', home_district = 'LA0101' WHERE ref = '$CREF'"
"$TIPDESK" -c "$CFG" check >"$OUT" 2>"$T/err"; rc=$?
check "a problem beside warnings: exit 1" test $rc -eq 1
grep -q "1 problem;" "$T/err" && grep -q "and 3 warnings" "$T/err" && ok "both counted on stderr" \
    || fail "stderr: $(cat "$T/err")"

# --- demo data holds no such value ----------------------------------------------
mkdir -p "$T/d"
cp "$CFG" "$T/d/config.ini"
cp -r "$T/forms" "$T/d/forms"
"$TIPDESK" -c "$T/d/config.ini" init >/dev/null
"$TIPDESK" -c "$T/d/config.ini" demo --cases 1500 --seed 5 >/dev/null
"$TIPDESK" -c "$T/d/config.ini" check >"$OUT" 2>&1; rc=$?
check "check over demo data exits 0" test $rc -eq 0
check_not "demo data: no value in an unasked field" grep -q "warning" "$OUT"
check "demo data: the closing line has no warnings" grep -q "^ok: [0-9]* cases, [0-9]* prosecutions, [0-9]* events checked$" "$OUT"
