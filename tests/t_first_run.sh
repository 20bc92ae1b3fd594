#!/bin/sh
# The first run at a terminal, as `make run` does it: init on a new office
# asks for the administrator's name and password, then the screens ask to
# log in; a second init asks nothing.  Without a terminal, init only says how
# to create the administrator.
. tests/lib.sh
setup_office
DB="$T/db/tipdesk.db"
tmx new-session -d -x 80 -y 24 -s t \
    "cd '$T' && env -u TIPDESK_USER -u TIPDESK_PASSWORD_FILE LANG=C.UTF-8 TERM=tmux-256color \
     sh -c \"'$TIPDESK' -c config.ini init && '$TIPDESK' -c config.ini; echo EXITED \\\$?\"; sleep 60"
check "init asks for the administrator's name" wait_for "Name of the administrator"
l "ສົມສັກ"; k Enter
check "then the password" wait_for "New password for ສົມສັກ"
l "ກິນເຂົ້າ-12345"; k Enter
check "and the same password again" wait_for "The same password again"
l "ກິນເຂົ້າ-12345"; k Enter
check "the screens then ask to log in" wait_for "Log in"
check "the administrator is stored with the admin role" \
    test "$(sqlite3 "$DB" "SELECT name || ' ' || role FROM users")" = "ສົມສັກ admin"
check_not "the password is not on the screen" sh -c "tmux -L $TMUX_SOCK capture-pane -p -t t | grep -q 'ກິນເຂົ້າ-12345'"
k F10
check "quit" wait_for "EXITED 0"
env -u TIPDESK_USER -u TIPDESK_PASSWORD_FILE "$TIPDESK" -c "$CFG" init < /dev/null > "$T/out" 2>&1
check "a second init asks nothing and adds no user" \
    test "$(sqlite3 "$DB" "SELECT count(*) FROM users")" = 1 -a "$(grep -c 'Name of the administrator' "$T/out")" = 0
rm -f "$DB"*
env -u TIPDESK_USER -u TIPDESK_PASSWORD_FILE "$TIPDESK" -c "$CFG" init < /dev/null > "$T/out" 2>&1; rc=$?
check "without a terminal, init says how to create the administrator" \
    test $rc = 0 -a "$(grep -c "tipdesk init --admin NAME" "$T/out")" = 1
check "... and creates no user" test "$(sqlite3 "$DB" "SELECT count(*) FROM users")" = 0
