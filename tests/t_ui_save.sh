#!/bin/sh
# Screen test of saving and drafts: a change typed and saved with one
# keypress goes straight into the record without writing a draft first (a
# trigger in the test database counts every draft written), while a pause
# in typing does write the draft.
. tests/lib.sh
setup_office
"$TIPDESK" -c "$CFG" init >/dev/null 2>&1 || { fail "init"; exit 1; }
"$TIPDESK" -c "$CFG" demo --cases 5 --prosecutions 0 --events 0 --seed 11 >/dev/null 2>&1 \
    || { fail "demo"; exit 1; }
DB="$T/db/tipdesk.db"
sql "CREATE TABLE test_draft_writes (draft_id INTEGER);
     CREATE TRIGGER test_draft_written AFTER INSERT ON drafts
     BEGIN INSERT INTO test_draft_writes VALUES (new.id); END;"

start_tipdesk
wait_for "Victim cases" >/dev/null
k 1
wait_for "LA1301-" >/dev/null
k Enter
check "a saved case opens" wait_for "· Complete"
k NPage
check "on the person's page" sh -c "tmux -L $TMUX_SOCK capture-pane -p -t t | grep -q 'First name'"
ref=$(screen | sed -n 2p | grep -o 'LA1301-[0-9]*-[0-9]*')
# The new name and F2 in one go: no pause for the idle draft write.
tmx send-keys -t t C-u \; send-keys -t t -l "ສົມສັກ" \; send-keys -t t F2
wait_for "Saved" 5 >/dev/null || { screen | grep -q "(y/n)" && k y; }
check "saved" wait_for "$ref Saved (revision 2)"
check "the name is stored" test "$(sql "SELECT first_name FROM cases WHERE ref = '$ref'")" = "ສົມສັກ"
check "no draft written for a change saved at once" test "$(sql "SELECT count(*) FROM test_draft_writes")" = 0
check "no draft left" test "$(sql "SELECT count(*) FROM drafts")" = 0

# A pause while typing writes the draft (the trigger does count).
k Enter
wait_for "$ref" >/dev/null
k NPage
l "ແກ້ວມະນີ"
sleep 1.5
check "a pause in typing writes the draft" test "$(sql "SELECT count(*) FROM test_draft_writes")" = 1
k Escape
wait_for "(y/n)" >/dev/null
k y
i=0
while [ $i -lt 30 ] && [ "$(sql "SELECT count(*) FROM drafts")" != 0 ]; do sleep 0.1; i=$((i + 1)); done
check "discarding removes it" test "$(sql "SELECT count(*) FROM drafts")" = 0
k F10
check "quit" wait_for "EXITED 0"
