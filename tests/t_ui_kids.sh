#!/bin/sh
# Screen test of the child-row forms: journey and assistance rows of a case,
# suspects and linked victims of a prosecution.  For each the test reads the
# labels and pages of the child form on the screen before typing, enters a
# row with Lao text, pages with PgUp/PgDn (the cursor moves by section),
# saves, checks the row in the database, reopens it and reads the values
# back.  Then the same forms at 100x30 in Lao.
. tests/lib.sh
setup_office
"$TIPDESK" -c "$CFG" init >/dev/null 2>&1 || { fail "init"; exit 1; }
DB="$T/db/tipdesk.db"

# shows DESC TEXT...: every TEXT is on the screen now.
shows() {
    d=$1; shift
    s=$(screen)
    for x in "$@"; do
        case "$s" in *"$x"*) ;; *) fail "$d"; echo "# not on screen: $x"; echo "$s" | sed 's/^/# | /'
            return;; esac
    done
    ok "$d"
}
# row DESC LABEL VALUE: one screen line holds the label and the value
# (waits for the screen to settle after keys).
row() {
    i=0
    while [ $i -lt 30 ]; do
        screen | grep -F -- "$2" | grep -qF -- "$3" && { ok "$1"; return; }
        sleep 0.1; i=$((i + 1))
    done
    fail "$1"; screen | sed 's/^/# | /'
}
# The line of the current field: its value is drawn black on white (the
# terminal cursor is hidden on fields entered by picker or list).
current_line() {
    tmx capture-pane -e -p -t t | grep -F "$(printf '\033[30m\033[47m')" | head -n 1 \
        | sed 's/\x1b\[[0-9;]*m//g'
}
# at DESC TEXT: the current field's line holds TEXT.
at() {
    i=0
    while [ $i -lt 30 ]; do
        case "$(current_line)" in *"$2"*) ok "$1"; return;; esac
        sleep 0.1; i=$((i + 1))
    done
    fail "$1"; echo "# current field: $(current_line)"
}
alive() { check "$1" sh -c "! tmux -L $TMUX_SOCK capture-pane -p -t t | grep -q EXITED"; }

start_tipdesk
wait_for "Victim cases" >/dev/null
k 1
wait_for "No records yet" >/dev/null
k n
wait_for "Victim case (new)" >/dev/null
l "01/03/2026"; k Enter; l "pol"; k Enter
k NPage
at "PgDn on the main form: the person's page" "First name"
l "ສົມສັກ"; k Enter; l "ແກ້ວມະນີ"; k Enter
k NPage; k NPage; k Up
at "journey field reached" "Journey"

# --- journey ---
k Enter
wait_for "No rows yet" >/dev/null
k n
check "journey row form opens" wait_for "Victim case (new) › Journey"
shows "journey labels and pages shown before typing" "── Step and date ──" "Step *" " Date" \
    "── Where it happened ──" " Country" " Place" " Description"
check_not "province hidden until the country is Laos" sh -c "tmux -L $TMUX_SOCK capture-pane -p -t t | grep -q ' Province'"
shows "journey help line and key bar" "Type the code or the start of a name" "PgDn Next section" "Esc Back"
at "cursor on the first journey field" "Step *"
l "Rec"; k Enter; l "02/2025"; k Enter
at "Enter goes on to the next page's field" "Country"
k PPage
at "PgUp goes back to the first page" "Step *"
row "typed step shown" "Step *" "Recruitment"
k NPage
at "PgDn goes to the next page" "Country"
alive "paging the journey form does not crash"
l "LA"; k Enter
check "province shown for Laos" wait_for " Province"
l "Khammouan"; k Enter; k Enter
l "ບ້ານ ໂພນທັນ"; k Enter; l "ກິນເຂົ້າ ນຳກັນ ທີ່ຕະຫຼາດ"; k Enter
k F2
check "the journey row is listed" wait_for "Recruitment"
shows "journey list columns" "Step" "Date" "Country" "02/2025"
k Enter
check "journey row reopens" wait_for "› Journey"
row "step read back" "Step *" "Recruitment"
row "date read back" " Date" "02/2025"
row "country read back" " Country" "Laos"
row "province read back" " Province" "Khammouan"
row "Lao place read back" " Place" "ບ້ານ ໂພນທັນ"
row "Lao description read back" " Description" "ກິນເຂົ້າ ນຳກັນ ທີ່ຕະຫຼາດ"
k PPage; k NPage
at "PgDn on a reopened row" "Country"
k Escape
wait_for "Recruitment" >/dev/null
k Escape
check "back on the case with one journey row" wait_for "1 rows"

# --- assistance ---
k NPage; k NPage
at "assistance field reached" "Assistance given"
k Enter
wait_for "No rows yet" >/dev/null
k n
check "assistance row form opens" wait_for "› Assistance given"
shows "assistance labels and pages shown before typing" "── Service ──" "Type *" " Provider" \
    "── Period and status ──" " Start date" " End date" " Status" " Notes"
at "cursor on the first assistance field" "Type *"
l "shel"; k Enter; l "ສູນ ບ້ານ ໂພນທັນ"; k Enter
at "on to the period page" "Start date"
k PPage
at "PgUp back to the service page" "Type *"
k NPage
at "PgDn to the period page" "Start date"
l "05/03/2026"; k Enter; k Enter; l "ong"; k Enter; l "ບ້ານ ໂພນທັນ"; k Enter
k PPage
at "PgUp to the page's first field" "Start date"
alive "paging the assistance form does not crash"
k F2
check "the assistance row is listed" wait_for "Shelter"
k Escape
wait_for "Case status" >/dev/null
k F3
check "case saved as a draft" wait_for "LA1301-2026-0001 Saved"
check "journey row in the database" test "$(sql "SELECT step || '|' || event_on || '|' || country || '|'
    || province || '|' || place || '|' || description FROM case_events")" \
    = "Recruitment|2025-02|LA|LA12|ບ້ານ ໂພນທັນ|ກິນເຂົ້າ ນຳກັນ ທີ່ຕະຫຼາດ"
check "assistance row in the database" test "$(sql "SELECT type || '|' || provider || '|' || start_on
    || '|' || ifnull(end_on, '') || '|' || status || '|' || notes FROM case_assistance")" \
    = "Shelter|ສູນ ບ້ານ ໂພນທັນ|2026-03-05||Ongoing|ບ້ານ ໂພນທັນ"

# Reopen the saved case: the rows come back from the database.
check "the list shows the case" wait_for "ສົມສັກ ແກ້ວມະນີ"
k Enter
wait_for "LA1301-2026-0001" >/dev/null
k NPage; k NPage; k NPage; k NPage
at "assistance field of the saved case" "Assistance given"
k Enter
wait_for "Shelter" >/dev/null
k Enter
check "saved assistance row reopens" wait_for "› Assistance given"
row "type read back" "Type *" "Shelter"
row "Lao provider read back" " Provider" "ສູນ ບ້ານ ໂພນທັນ"
row "start date read back" " Start date" "05/03/2026"
row "status read back" " Status" "Ongoing"
row "Lao notes read back" " Notes" "ບ້ານ ໂພນທັນ"
k Escape; wait_for "Shelter" >/dev/null; k Escape
wait_for "1 rows" >/dev/null
k Escape
wait_for "ສົມສັກ ແກ້ວມະນີ" >/dev/null
k Escape
wait_for "Prevention" >/dev/null

# --- suspects ---
k 2
wait_for "No records yet" >/dev/null
k n
wait_for "Prosecution (new)" >/dev/null
l "P-77/2026"; k Enter
k NPage; k NPage; k NPage
at "suspects field reached" "Suspects"
k Enter
wait_for "No rows yet" >/dev/null
k n
check "suspect row form opens" wait_for "Prosecution (new) › Suspects"
shows "suspect labels and pages shown before typing" "── The person ──" " First name" " Last name" \
    " Sex" " Age" " Adult or child" " Citizenship" "── Role and outcome ──" " Role in the process" \
    " Relationship to victim" " Stage reached *"
at "cursor on the first suspect field" "First name"
l "ບຸນມີ"; k Enter; l "ໂພນທັນ"; k Enter; l "M"; k Enter; l "45"; k Enter
at "age entered: on to citizenship" "Citizenship"
check_not "adult-or-child hidden once the age is known" sh -c "tmux -L $TMUX_SOCK capture-pane -p -t t | grep -q 'Adult or child'"
l "LA"; k Enter
at "on to the role page" "Role in the process"
k PPage
at "PgUp back to the person page" "First name"
k NPage
at "PgDn to the role page" "Role in the process"
alive "paging the suspect form does not crash"
k Enter; k Enter
l "arr"; k F2
check "the suspect is listed" wait_for "ບຸນມີ"
k Escape
wait_for "1 rows" >/dev/null
k Tab
at "linked victims field reached" "Linked victims"

# --- linked victims ---
k Enter
wait_for "No rows yet" >/dev/null
k n
check "victim link form opens" wait_for "Prosecution (new) › Linked victims"
shows "victim link label and help shown before typing" " Case *" "Pick the case by ref or name"
at "cursor on the case field" "Case *"
k NPage; k PPage
at "PgUp/PgDn on a one-field form keep the cursor" "Case *"
alive "paging the victim link form does not crash"
l "ສົມສັກ"
check "link picker finds the case by its Lao name" wait_for "LA1301-2026-0001"
k Enter
row "linked case shown" " Case *" "LA1301-2026-0001 ສົມສັກ ແກ້ວມະນີ"
k F2
check "the linked case is listed" wait_for "LA1301-2026-0001 ສົມສັກ ແກ້ວມະນີ"
k Escape
wait_for "1 rows" >/dev/null
k F3
check "prosecution saved as a draft" wait_for "Saved"
check "suspect row in the database" test "$(sql "SELECT first_name || '|' || last_name || '|' || sex
    || '|' || age || '|' || citizenship || '|' || stage FROM suspects")" = "ບຸນມີ|ໂພນທັນ|M|45|LA|Arrested"
check "victim link row in the database" test "$(sql "SELECT count(*) FROM prosecution_victims v
    JOIN cases c ON c.uuid = v.case_uuid WHERE c.first_name = 'ສົມສັກ'")" = 1
k F10
check "quit" wait_for "EXITED 0"
tmx kill-session -t t

# --- 100x30, in Lao ---
tmx new-session -d -x 100 -y 30 -s t \
    "env TERM=tmux-256color LANG=C.UTF-8 '$TIPDESK' -c '$CFG'; echo EXITED \$?; sleep 60"
wait_for "Victim cases" >/dev/null
k F9
wait_for "ອອກ" >/dev/null
k 1
wait_for "ສົມສັກ" >/dev/null
k Enter
wait_for "LA1301-2026-0001" >/dev/null
k NPage; k NPage; k NPage; k Up
at "journey field in Lao" "ການເດີນທາງ"
k Enter
wait_for "ການຊັກຊວນ" >/dev/null
k n
check "new journey row form in Lao" wait_for "› ການເດີນທາງ"
shows "Lao journey labels and pages before typing" "── ຂັ້ນຕອນ ແລະ ວັນທີ ──" "ຂັ້ນຕອນ *" " ວັນທີ" \
    "── ບ່ອນທີ່ເກີດຂຶ້ນ ──" " ປະເທດ" " ສະຖານທີ່" " ລາຍລະອຽດ"
shows "Lao help line and key bar" "ພິມລະຫັດ" "ພາກຕໍ່ໄປ"
l "Exp"; k Enter; l "2025"; k Enter
at "Lao: on to the place page" "ປະເທດ"
k PPage
at "Lao: PgUp back to the step" "ຂັ້ນຕອນ *"
k NPage
l "TH"; k Enter; l "ບ້ານ ໂພນທັນ"; k Enter
alive "paging in Lao at 100x30 does not crash"
k F2
check "second journey row listed in Lao" wait_for "ການຂູດຮີດ"
k Escape
wait_for "2 " >/dev/null
k F3
check "case saved in Lao" wait_for "LA1301-2026-0001 ບັນທຶກແລ້ວ"
check "second journey row in the database" test "$(sql "SELECT step || '|' || event_on || '|' || country
    || '|' || place FROM case_events WHERE step = 'Exploitation'")" = "Exploitation|2025|TH|ບ້ານ ໂພນທັນ"
k Escape
wait_for "ຄະດີ" >/dev/null
k 2
wait_for "P-77/2026" >/dev/null
k Enter
wait_for "LA1301-2026-0001" >/dev/null
k NPage; k NPage; k NPage
at "suspects field in Lao" "ຜູ້ຕ້ອງສົງໄສ"
k Enter
wait_for "ບຸນມີ" >/dev/null
k Enter
check "saved suspect reopens in Lao" wait_for "› ຜູ້ຕ້ອງສົງໄສ"
shows "Lao suspect pages" "── ບຸກຄົນ ──" "── ບົດບາດ ແລະ ຜົນຂອງຄະດີ ──"
row "Lao first name read back" " ຊື່" "ບຸນມີ"
row "Lao last name read back" " ນາມສະກຸນ" "ໂພນທັນ"
row "stage read back in Lao" " ຂັ້ນຕອນທີ່ໄປເຖິງ *" "ຖືກຈັບ"
k NPage
at "Lao suspect: PgDn to the role page" "ບົດບາດ"
k Escape; wait_for "ບຸນມີ" >/dev/null; k Escape
wait_for "1 " >/dev/null
k Tab
at "linked victims field in Lao" "ຜູ້ຖືກເຄາະຮ້າຍທີ່ເຊື່ອມໂຍງ"
k Enter
wait_for "LA1301-2026-0001" >/dev/null
k Enter
check "saved victim link reopens in Lao" wait_for "› ຜູ້ຖືກເຄາະຮ້າຍທີ່ເຊື່ອມໂຍງ"
row "Lao case label and linked case" " ກໍລະນີ *" "LA1301-2026-0001 ສົມສັກ ແກ້ວມະນີ"
shows "Lao help of the link" "ເລືອກກໍລະນີຕາມເລກ ຫຼື ຊື່"
k NPage; k PPage
alive "paging the Lao victim link form does not crash"
k F10
wait_for "(y/n)" 3 >/dev/null && k y
check "quit" wait_for "EXITED 0"
