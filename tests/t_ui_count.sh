#!/bin/sh
# Screen test of the counts the screens show: the home screen's totals and
# drafts follow a save made on screen (read from the kept counts), and a
# short search shows its rows first and its count when no key waits.
. tests/lib.sh
setup_office
"$TIPDESK" -c "$CFG" init >/dev/null 2>&1 || { fail "init"; exit 1; }
DB="$T/db/tipdesk.db"
"$TIPDESK" -c "$CFG" demo --cases 1500 --prosecutions 10 --events 10 --seed 4 >/dev/null 2>&1 || { fail "demo"; exit 1; }
LOG="$T/keys.log"
tmx new-session -d -x 80 -y 24 -s t \
    "env TERM=tmux-256color LANG=C.UTF-8 TIPDESK_BENCH_LOG='$LOG' '$TIPDESK' -c '$CFG'; echo EXITED \$?; sleep 60"

live=$(sql "SELECT count(*) FROM cases WHERE deleted_at IS NULL")
drafts=$(sql "SELECT count(*) FROM cases WHERE deleted_at IS NULL AND status = 'draft'")
check "home shows the cases" wait_for "$live"
check "home shows the drafts" wait_for "($drafts draft)"

# A complete case saved as a draft on screen: one draft more on the home screen.
k 1
check "list shows the total" wait_for "$live records"
k s; wait_for "oldest first" >/dev/null; k s
check "list by reference" wait_for "by reference"
ref=$(sql "SELECT ref FROM cases WHERE deleted_at IS NULL ORDER BY ref LIMIT 1")
status=$(sql "SELECT status FROM cases WHERE ref = '$ref'")
k Enter
check "form opens" wait_for "Date identified"
k F3
check "saved as a draft" wait_for "$ref Saved"
[ "$status" = draft ] || drafts=$((drafts + 1))
k Escape
check "home's drafts follow the save" wait_for "($drafts draft)"
check "home's total unchanged" wait_for "$live"
check "kept count is count(*)" test "$(sql "SELECT n FROM record_counts WHERE tbl = 'cases' AND status = 'draft' AND deleted = 0")" = "$drafts"

# Two Lao characters: the rows, then the count, taken when no key waited.
k 1
wait_for "$live records" >/dev/null
k /
wait_for "Search" >/dev/null
: > "$LOG"
l "ສົ"
expect=$(sql "SELECT count(*) FROM (SELECT 1 FROM cases WHERE deleted_at IS NULL AND (first_name LIKE '%ສົ%' OR last_name LIKE '%ສົ%' OR home_village LIKE '%ສົ%' OR ref LIKE '%ສົ%') LIMIT 1000)")
[ "$expect" -ge 1000 ] && expect="1000+"
check "short search counts the matches" wait_for "$expect records"
check "rows shown contain the text" sh -c "tmux -L $TMUX_SOCK capture-pane -p -t t | grep '^.LA1301-' | head -1 | grep -q 'ສົ'"
check "the count was taken when idle, after the keys" \
    sh -c "awk '\$1 == 0 { k = NR } \$1 == 99 { i = NR } END { exit !(k && i > k) }' '$LOG'"
k Escape
check "Esc clears the search" wait_for "$live records"
k F10
check "quit" wait_for "EXITED 0"
