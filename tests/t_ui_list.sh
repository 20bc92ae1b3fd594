#!/bin/sh
# Screen test of the lists over a demo database of 100 000 cases (the size
# the lists are specified for; about 40 s to build): rows fill the terminal, a resize
# to 60x20 shows the "too small" notice and one to 100x30 shows more rows,
# paging reaches the last record, a three-character Lao search finds
# records, and delete / restore ask first and are undone.
. tests/lib.sh
setup_office
"$TIPDESK" -c "$CFG" init >/dev/null 2>&1 || { fail "init"; exit 1; }
DB="$T/db/tipdesk.db"
if ! "$TIPDESK" -c "$CFG" demo --cases 100000 --prosecutions 10 --events 10 --seed 3 >/dev/null 2>&1; then
    fail "demo data"; exit 1
fi

rows_shown() { screen | grep -c '^.LA1301-'; }
tmx new-session -d -x 80 -y 24 -s t \
    "env TERM=tmux-256color LANG=C.UTF-8 '$TIPDESK' -c '$CFG'; echo EXITED \$?; sleep 60"

check "home shows the count" wait_for "100000"
k 1
check "list opens" wait_for "100000 records"
check "17 rows at 80x24" test "$(rows_shown)" = 17

tmx resize-window -t t -x 60 -y 20
check "too-small notice at 60x20" wait_for "Terminal too small"
check "no list rows under the notice" test "$(rows_shown)" = 0
tmx resize-window -t t -x 100 -y 30
check "list back at 100x30" wait_for "100000 records"
check "23 rows at 100x30" test "$(rows_shown)" = 23
check "key bar on the last lines" sh -c "tmux -L $TMUX_SOCK capture-pane -p -t t | tail -2 | grep -q 'F10/^Q'"
check "title bar on the first line" sh -c "tmux -L $TMUX_SOCK capture-pane -p -t t | head -1 | grep -q 'tipdesk │ LA1301'"

# Paging: End shows the oldest record last; PgDn/PgUp move whole pages.
last=$(sql "SELECT ref FROM cases WHERE deleted_at IS NULL ORDER BY ifnull(registered_on, '') ASC, id ASC LIMIT 1")
first=$(sql "SELECT ref FROM cases WHERE deleted_at IS NULL ORDER BY ifnull(registered_on, '') DESC, id DESC LIMIT 1")
second_page=$(sql "SELECT ref FROM cases WHERE deleted_at IS NULL ORDER BY ifnull(registered_on, '') DESC, id DESC LIMIT 1 OFFSET 23")
check "first page starts with the newest" sh -c "tmux -L $TMUX_SOCK capture-pane -p -t t | grep '^.LA1301-' | head -1 | grep -q '$first'"
k NPage
check "PgDn shows the next 23" wait_for "$second_page"
k End
check "End shows the oldest record" wait_for "$last"
check "last page is full" test "$(rows_shown)" = 23
k PPage
k Home
check "Home goes back to the newest" wait_for "$first"

# A three-character Lao substring.
k /
l "ສົມ"
expect=$(sql "SELECT count(*) FROM cases WHERE deleted_at IS NULL AND (first_name LIKE '%ສົມ%' OR last_name LIKE '%ສົມ%' OR home_village LIKE '%ສົມ%' OR ref LIKE '%ສົມ%')")
# Counting stops at 1000 matches (shown as "1000+").
[ "$expect" -ge 1000 ] && expect="1000+"
check "Lao search counts the matches" wait_for "$expect records"
check "rows shown contain the text" sh -c "tmux -L $TMUX_SOCK capture-pane -p -t t | grep '^.LA1301-' | head -1 | grep -q 'ສົມ'"
k Escape
check "Esc clears the search" wait_for "100000 records"

# Delete asks, hides the record; x shows deleted ones; u restores.
k Home
victim=$first
k d
check "delete asks first" wait_for "(y/n)"
k y
check "deleted record leaves the list" wait_for "99999 records"
check "audit row for the delete" test "$(sql "SELECT action FROM audit_log WHERE action = 'delete'")" = delete
k x
check "x shows deleted records too" wait_for "with deleted"
k Home
k u
wait_for "(y/n)" >/dev/null
k y
k x; k x
check "restored" wait_for "100000 records"
check "deleted_at cleared" test "$(sql "SELECT count(*) FROM cases WHERE ref = '$victim' AND deleted_at IS NULL")" = 1
k F10
check "quit" wait_for "EXITED 0"
