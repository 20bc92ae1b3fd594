#!/bin/sh
# Screen test of form behaviour: a required field left empty blocks saving
# and puts the cursor on it; a relevance rule hides and shows a field; F9
# shows the same form in Lao without losing input; Esc on a changed form
# asks first; a program killed mid-case leaves a draft that brings every
# typed value back at the next start, and opening that record from its list
# later offers the draft again (y continues it, n discards it).
. tests/lib.sh
setup_office
"$TIPDESK" -c "$CFG" init >/dev/null 2>&1 || { fail "init"; exit 1; }
DB="$T/db/tipdesk.db"

start() { start_tipdesk; }

start
wait_for "Victim cases" >/dev/null
k 1
wait_for "No records yet" >/dev/null
k n
wait_for "Victim case (new)" >/dev/null

# A required field left empty blocks the save.
l "01/03/2026"; k Enter
k F2
check "save refused with the field's message" wait_for "Identified by"
check "cursor on the empty required field" wait_cursor "Identified by"
check "nothing stored" test "$(sql "SELECT count(*) FROM cases")" = 0

# Relevance: "Returned from country" only for a return by a foreign authority.
check_not "returned-from hidden at first" sh -c "tmux -L $TMUX_SOCK capture-pane -p -t t | grep -q 'Returned from country'"
l "fore"; k Enter
check "returned-from shown for a foreign return" wait_for "Returned from country"
k Up
k C-u; l "pol"; k Enter
sleep 0.3
check_not "returned-from hidden again" sh -c "tmux -L $TMUX_SOCK capture-pane -p -t t | grep -q 'Returned from country'"

# F9: the same form in Lao, input kept.
k Tab; k Tab
l "ສົມສັກ"; k Enter
k F9
check "labels in Lao" wait_for "ຊື່ *"
check "Lao form title" wait_for "ກໍລະນີຜູ້ຖືກເຄາະຮ້າຍ"
check "typed name kept" wait_for "ສົມສັກ"
check "date kept" wait_for "01/03/2026"
k F9
check "back in English" wait_for "First name *"

# Esc on a changed form asks first; n stays on the form.
k Escape
check "Esc asks before discarding" wait_for "(y/n)"
k n
check "still on the form after n" wait_for "First name *"

# Kill the program mid-case: the draft brings everything back.
l "ແກ້ວມະນີ"; k Tab
wait_for "ແກ້ວມະນີ" >/dev/null
sleep 0.2
pid=$(pgrep -P "$(tmx display -p -t t '#{pane_pid}')" -f tipdesk)
check "draft written while typing" test "$(sql "SELECT count(*) FROM drafts")" = 1
kill -9 "$pid"
check "killed" wait_for "EXITED 137"
tmx kill-session -t t
start
check "the draft is offered at start" wait_for "Unsaved work found"
check "it names the person" wait_for "ສົມສັກ ແກ້ວມະນີ"
k Enter
check "resumed form" wait_for "Victim case (new)"
for v in "01/03/2026" "Police" "ສົມສັກ" "ແກ້ວມະນີ"; do
    check "value back: $v" wait_for "$v"
done
k Escape
wait_for "(y/n)" >/dev/null
k y
check "discarding removes the draft" wait_for "No unsaved work left"
check "no draft row left" test "$(sql "SELECT count(*) FROM drafts")" = 0
k F10
check "quit" wait_for "EXITED 0"

# A saved record edited and the program killed: the draft is left for later
# at start, and opening the record from the list offers it.
"$TIPDESK" -c "$CFG" demo --cases 3 --prosecutions 0 --events 0 --seed 4 >/dev/null 2>&1
tmx kill-session -t t
edit_and_kill() {
    start
    wait_for "Victim cases" >/dev/null
    k 1; wait_for "3 records" >/dev/null
    k Enter; wait_for "Victim case LA1301-" >/dev/null
    k C-u; l "02/02/2022"; k Tab
    wait_for "02/02/2022" >/dev/null
    # Killed once the change is in the draft, as a power cut after it would.
    wait_sql "SELECT count(*) FROM drafts" 1 >/dev/null
    pid=$(pgrep -P "$(tmx display -p -t t '#{pane_pid}')" -f tipdesk)
    kill -9 "$pid"
    wait_for "EXITED 137" >/dev/null
    tmx kill-session -t t
    start
    wait_for "Unsaved work found" >/dev/null
    k Escape
    wait_for "Victim cases" >/dev/null
    k 1; wait_for "3 records" >/dev/null
    k Enter
}
edit_and_kill
check "opening the record offers its unsaved changes" wait_for "Unsaved changes from before"
k y
check "y continues them" wait_for "02/02/2022"
k Escape; wait_for "(y/n)" >/dev/null; k y
check "discarding on the form removes the draft" wait_sql "SELECT count(*) FROM drafts" 0
k F10; wait_for "EXITED 0" >/dev/null
tmx kill-session -t t
edit_and_kill
wait_for "Unsaved changes from before" >/dev/null
k n
check "n opens the saved record" wait_for "Victim case LA1301-"
check_not "n shows the saved values" sh -c "tmux -L $TMUX_SOCK capture-pane -p -t t | grep -q '02/02/2022'"
check "n discards the draft" wait_sql "SELECT count(*) FROM drafts" 0
k F10
