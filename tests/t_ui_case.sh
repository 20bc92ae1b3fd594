#!/bin/sh
# Screen test: a clerk enters a complete victim case in the real program
# (Lao name and village, province then district picked by typing,
# exploitation marked in the multi-choice picker, one journey and one
# assistance row, screening answers), saves it, reopens it and changes one
# field.  Then a prosecution with two suspects linked to that case, and a
# prevention event whose participant figures do not add up until fixed.
# Checks the stored rows, revisions and audit rows with sqlite3.
. tests/lib.sh
setup_office
"$TIPDESK" -c "$CFG" init >/dev/null 2>&1 || { fail "init"; exit 1; }
DB="$T/db/tipdesk.db"

start() { start_tipdesk; }

start
check "home screen shows the record kinds" wait_for "Victim cases"
k 1
wait_for "No records yet" >/dev/null
k n
check "a new case form opens" wait_for "Victim case (new)"

# Registration
l "01/03/2026"; k Enter
l "pol"; k Enter                    # identified by: Police (typed start of the code)
k Enter                             # referred by: empty
l "y"; k Enter                      # consent: yes
# Person
l "ສົມສັກ"; k Enter
l "ແກ້ວມະນີ"; k Enter
l "F"; k Enter
l "15/06/2000"; k Enter             # date of birth: age fields are skipped
l "LA"; k Enter                     # citizenship
k Enter; k Enter; k Enter; k Enter  # ethnic group, language, education, marital status
k Enter; k Enter                    # ID document, phone
l "mmou"; k Enter                   # not a code: the picker opens, filtered
check "province picker filters as typed" wait_for "1/18"
# F9 with the picker open: its title, question and hint change language,
# and it stays open with the same filter.
box_titled() { screen | grep "┌" | grep -qF -- "$1"; }
check "picker titled in English" box_titled "Home province"
k F9
check "picker question in Lao" wait_for "ພິມເພື່ອຊອກ:"
check "picker hint in Lao" wait_for "Enter ເລືອກອັນທີ່ໝາຍ"
check "picker title in Lao" box_titled "ແຂວງ"
check "still filtered after F9" wait_for "1/18"
k F9
check "picker question in English again" wait_for "Type to find:"
check "picker title in English again" box_titled "Home province"
k Enter
l "khek"; k Enter                   # districts of Khammouan only
check "district picker is narrowed to the province" wait_for "1/10"
k Enter
l "ບ້ານ ໂພນທັນ"; k Enter
# Trafficking
l "Poss"; k Enter
k Enter; k Enter; k Enter           # relation, recruitment method, means of control
k F4                                # exploitation: several answers
wait_for "Space" >/dev/null
l "labour"
k Space
k C-u
l "Sexual"
k Space
k Enter
check "multi-choice shows both labels" wait_for "Forced labour, Sexual exploitation"
k Enter
k Enter                             # labour sector (shown for forced labour)
l "TH"; k Enter                     # country of exploitation
k Enter; k Enter; k Enter; k Enter  # place, route, months, age when trafficked
# Journey: one row
k Enter
check "journey sub-list opens" wait_for "No rows yet"
k n
wait_for "Step" >/dev/null
l "Rec"; k Enter
l "02/2025"; k Enter
l "LA"; k Enter
l "Khammouan"; k Enter              # province of the step
k Enter                             # district
l "ບ້ານ ໂພນທັນ"; k Enter
k F2
check "the journey row is listed" wait_for "Recruitment"
k Escape
check "back on the form with one journey row" wait_for "1 rows"
k Tab                               # on to the screening
# Screening: act yes, means yes, purpose yes for an adult
l "y"; k Enter; l "y"; k Enter
k Enter; k Enter; k Enter
l "y"; k Enter
for i in 1 2 3 4 5 6 7 8 9; do k Enter; done
l "y"; k Enter
for i in 1 2 3 4 5 6 7 8 9 10; do k Enter; done
check "live screening result: possible victim" wait_for "Possible victim  (Act ✓ · Means ✓ · Purpose ✓)"
# Assistance: one row
k Enter
wait_for "No rows yet" >/dev/null
k n
wait_for "Provider" >/dev/null
l "shel"; k Enter
l "LWU Vientiane"; k Enter
l "05/03/2026"; k Enter
k Enter
l "ong"; k Enter
k F2
check "the assistance row is listed" wait_for "Shelter"
k Escape
wait_for "Case status" >/dev/null
k Tab
l "act"; k Enter                    # case status: Active
k F2
wait_for "Saved" 5 >/dev/null || { screen | grep -q "(y/n)" && k y; }
check "save reports the new reference" wait_for "LA1301-2026-0001 Saved (revision 1)"

row=$(sql "SELECT registered_on, identified_by, consent, first_name, last_name, sex, birth_date,
                  age_group, citizenship, home_province, home_district, home_village,
                  trafficking_status, exploitation, exploitation_country, screening_result,
                  case_status, status, rev FROM cases")
expect="2026-03-01|Police|1|ສົມສັກ|ແກ້ວມະນີ|F|2000-06-15|Adult|LA|LA12|LA1201|ບ້ານ ໂພນທັນ|PossibleVictimOfTrafficking|ForcedLabour;SexualExploitation|TH|PossibleVictim|Active|complete|1"
if [ "$row" = "$expect" ]; then ok "stored row has exactly the typed values"; else
    fail "stored row has exactly the typed values"; echo "# got:    $row"; echo "# wanted: $expect"; fi
check "fields left empty stay empty" test "$(sql "SELECT count(*) FROM cases WHERE referral_org IS NULL
    AND age IS NULL AND phone IS NULL AND labour_sector IS NULL AND notes IS NULL")" = 1
check "one journey row" test "$(sql "SELECT step || '|' || event_on || '|' || country || '|' || province
    || '|' || place FROM case_events")" = "Recruitment|2025-02|LA|LA12|ບ້ານ ໂພນທັນ"
check "one assistance row" test "$(sql "SELECT type || '|' || provider || '|' || start_on || '|' || status
    FROM case_assistance")" = "Shelter|LWU Vientiane|2026-03-05|Ongoing"
check "screening answers stored" test "$(sql "SELECT group_concat(item, ',') FROM (SELECT item FROM
    case_screening WHERE answer = 'Yes' ORDER BY item)")" = "act_recruited,act_transported,means_deception,purpose_forced_work"
check "one audit row: create" test "$(sql "SELECT action || rev FROM audit_log")" = "create1"
check "no draft left after saving" test "$(sql "SELECT count(*) FROM drafts")" = 0

# Reopen, change the date identified, save: revision 2 with old -> new.
check "the list shows the saved case" wait_for "ສົມສັກ ແກ້ວມະນີ"
k Enter
wait_for "LA1301-2026-0001 · Complete" >/dev/null
k C-u; l "02/03/2026"; k F2
check "second save" wait_for "revision 2"
check "rev 2 after one change" test "$(sql "SELECT rev || registered_on FROM cases")" = "22026-03-02"
check "audit row shows old and new" test "$(sql "SELECT action || ' ' || changes FROM audit_log WHERE rev = 2")" \
    = 'update {"registered_on":["2026-03-01","2026-03-02"]}'
# A prosecution with two suspects, linked to the case found by its Lao name.
k Escape
wait_for "Prevention" >/dev/null
k 2
wait_for "No records yet" >/dev/null
k n
check "a new prosecution form opens" wait_for "Prosecution (new)"
l "P-77/2026"; k Enter
l "C-12/2026"; k Enter
l "pol"; k Enter
k Enter; k Enter; k Enter          # legal basis, province, district
k Enter                             # reported on
l "10/03/2026"; k Enter             # investigated on
k Enter; k Enter                    # outcome, sent to prosecutor
k Enter                             # exploitation
l "n"; k Enter; l "n"; k Enter      # transnational, official involved
k Enter; l "1"; k Enter; k Enter    # assets, victims, unlinked victims
k Enter                             # suspects
wait_for "No rows yet" >/dev/null
k n
wait_for "Stage" >/dev/null
l "ບຸນມີ"; k Enter; k Enter; l "M"; k Enter; l "45"; k Enter
l "LA"; k Enter; k Enter; k Enter; l "arr"; k F2
wait_for "ບຸນມີ" >/dev/null
k n
wait_for "Stage" >/dev/null
l "Somchai"; k Enter; k Enter; l "M"; k Enter; k Enter; l "adult"; k Enter
l "TH"; k Enter; k Enter; k Enter; l "sus"; k F2
check "two suspects listed" wait_for "Somchai"
k Escape
wait_for "2 rows" >/dev/null
k Tab
k Enter                             # victims
wait_for "No rows yet" >/dev/null
k n
l "ສົມສັກ"
check "link picker finds the case by its Lao name" wait_for "LA1301-2026-0001"
k Enter
k F2
check "the linked case is listed" wait_for "LA1301-2026-0001 ສົມສັກ ແກ້ວມະນີ"
k Escape
wait_for "1 rows" >/dev/null
k F2
wait_for "Saved" 5 >/dev/null || { screen | grep -q "(y/n)" && k y; }
check "prosecution saved" wait_for "LA1301-2026-0001 Saved (revision 1)"
check "two suspects stored" test "$(sql "SELECT group_concat(first_name || ':' || ifnull(age, '') || ':' ||
    ifnull(age_group, '') || ':' || stage, ',') FROM (SELECT * FROM suspects ORDER BY seq)")" \
    = "ບຸນມີ:45::Arrested,Somchai::Adult:Suspected"
check "victim link points at the case" test "$(sql "SELECT count(*) FROM prosecution_victims v
    JOIN cases c ON c.uuid = v.case_uuid WHERE c.first_name = 'ສົມສັກ'")" = 1

# An event whose parts do not add up is refused, then fixed and saved.
k Escape
wait_for "Prevention" >/dev/null
k 3
wait_for "No records yet" >/dev/null
k n
check "a new event form opens" wait_for "(new)"
l "ກິນເຂົ້າ ນຳກັນ awareness"; k Enter
l "prev"; k Enter; k Enter; l "comm"; k Enter
l "12/03/2026"; k Enter; k Enter; l "LA12"; k Enter
for i in 1 2 3 4 5 6 7 8 9 10; do k Enter; done   # district .. languages
l "10"; k Enter; l "5"; k Enter; k Enter          # female, male, unknown
l "20"; k F2                                      # under 18 > total
check "participants error shown" wait_for "under"
line=$(cursor_line)
case "$line" in *18*) ok "cursor is on the field in error";; *) fail "cursor is on the field in error"; echo "# $line";; esac
check "nothing saved while in error" test "$(sql "SELECT count(*) FROM events")" = 0
k C-u; l "8"; k F2
wait_for "Saved" 5 >/dev/null || { screen | grep -q "(y/n)" && k y; }
check "event saved once fixed" wait_for "LA1301-2026-0001 Saved"
check "total computed from the parts" test "$(sql "SELECT participants_total || '|' || participants_under18
    || '|' || title FROM events")" = "15|8|ກິນເຂົ້າ ນຳກັນ awareness"

k F10
check "quit leaves the program" wait_for "EXITED 0"
