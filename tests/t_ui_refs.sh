#!/bin/sh
# Screen test: a list shows every reference whole, however long the office
# code and number (a centre holds refs of five digits and more), with the
# name beside it, at 80x24 in English and in Lao.
. tests/lib.sh
setup_office
"$TIPDESK" -c "$CFG" init >/dev/null 2>&1 || { fail "init"; exit 1; }
DB="$T/db/tipdesk.db"
"$TIPDESK" -c "$CFG" demo --cases 40 --seed 3 >/dev/null 2>&1 || { fail "demo"; exit 1; }
NOW="'2026-01-01T00:00:00Z'"
sql "INSERT INTO cases(uuid, ref, office, status, created_at, created_by, updated_at, updated_by,
                       registered_on, first_name, last_name, home_province, home_district)
     VALUES ('00000000-0000-4000-8000-000000000001', 'LA1301-2026-92143', 'LA1301', 'complete', $NOW, 't', $NOW, 't',
             '2099-12-31', 'ສົມສັກ', 'ແກ້ວມະນີ', 'LA13', 'LA1301'),
            ('00000000-0000-4000-8000-000000000002', 'LA130109-2026-123456', 'LA130109', 'complete', $NOW, 't', $NOW, 't',
             '2099-12-30', 'Noy', 'Phommachanh', 'LA13', 'LA1301')"
tmx new-session -d -x 80 -y 24 -s t \
    "env TERM=tmux-256color LANG=C.UTF-8 '$TIPDESK' -c '$CFG'; echo EXITED \$?; sleep 60"
wait_for "Victim cases" >/dev/null
k 1
check "the list opens, newest first" wait_for "newest first"
check "a ref of five digits is shown whole" wait_for "LA1301-2026-92143 "
check "a longer office code and six digits too" wait_for "LA130109-2026-123456 "
check "the name beside it" sh -c "tmux -L '$TMUX_SOCK' capture-pane -p -t t | grep 'LA1301-2026-92143' | grep -q 'ສົມສັກ'"
check "and its status at the end of the row" \
    sh -c "tmux -L '$TMUX_SOCK' capture-pane -p -t t | grep 'LA130109-2026-123456' | grep -q 'Noy Phommachanh.*Complete'"
k F9
check "in Lao, the ref still whole" wait_for "LA1301-2026-92143 "
check "the Lao header" wait_for "ເລກທີ"
k F10
