#!/bin/sh
# Screen test of users and roles: the login screen (labels read before
# typing, the password shown as *, wrong passwords and the lockout counted
# down on screen), the user's name in the title bar; a viewer session that
# never shows a name or any field the forms mark pii; a clerk who cannot
# delete; the audit log naming the user logged in on the screen.
. tests/lib.sh
setup_office
DB="$T/db/tipdesk.db"
"$TIPDESK" -c "$CFG" init >/dev/null 2>&1 || { fail "init"; exit 1; }
"$TIPDESK" -c "$CFG" demo --cases 60 --prosecutions 10 --events 5 --seed 11 >/dev/null 2>&1 \
    || { fail "demo data"; exit 1; }
printf 'viewer-pass-1\n' > "$T/v.pw"; printf 'clerk-pass-1\n' > "$T/c.pw"; chmod 600 "$T/v.pw" "$T/c.pw"
"$TIPDESK" -c "$CFG" user add ຜູ້ເບິ່ງ --role viewer --new-password-file "$T/v.pw" >/dev/null &&
"$TIPDESK" -c "$CFG" user add clerk1 --role clerk --new-password-file "$T/c.pw" >/dev/null \
    || { fail "users"; exit 1; }
# From here on nobody is logged in from the environment: the screens ask.
unset TIPDESK_USER TIPDESK_PASSWORD_FILE
export USER=intruder

restart() { tmx kill-session -t t 2>/dev/null; start_tipdesk; }
login() {   # login NAME PASSWORD: types both after reading the labels
    wait_for "User name" >/dev/null && wait_for "Password" >/dev/null
    l "$1"; k Enter; l "$2"; k Enter
}

# --- the login screen -----------------------------------------------------------
start_tipdesk
check "the login screen asks for the user name" wait_for "User name"
check "and the password" wait_for "Password"
l clerk1; k Tab; l "secret-typed"
check "the password shows as stars" wait_for "************"
check_not "the typed password is not on screen" sh -c "tmux -L $TMUX_SOCK capture-pane -p -t t | grep -q secret-typed"
k F9
check "the login screen in Lao" wait_for "ຊື່ຜູ້ໃຊ້"
k F9
k Enter
check "a wrong password is refused on screen" wait_for "wrong password for 'clerk1' (1 of 5"
for i in 2 3 4 5; do l "wrong-$i"; k Enter; wait_for "password for 'clerk1'" >/dev/null; sleep 0.2; done
check "the fifth wrong password locks the account for 60 s" wait_for "locked, try again in 60 s"
check "the wait is counted down on screen" wait_for "Too many wrong passwords: try again in"
l "clerk-pass-1"; k Enter
check "the right password waits for the lockout" wait_for "try again in"
check_not "no one is logged in" sh -c "tmux -L $TMUX_SOCK capture-pane -p -t t | grep -q 'Victim cases'"
sql "UPDATE users SET locked_until = NULL, failed_logins = 0 WHERE name = 'clerk1'"

# --- a clerk: the title bar, no delete, the audit log -------------------------
restart
login clerk1 clerk-pass-1
check "the clerk reaches the home screen" wait_for "Victim cases"
case "$(screen | sed -n 1p)" in *clerk1*) ok "the title bar names the clerk";;
    *) fail "the title bar names the clerk";; esac
check_not "the title bar does not name \$USER" sh -c "tmux -L $TMUX_SOCK capture-pane -p -t t | sed -n 1p | grep -q intruder"
k 1
check "the clerk sees the list" wait_for "Victim cases:"
check "the key bar offers Open" sh -c "tmux -L $TMUX_SOCK capture-pane -p -t t | tail -2 | grep -qw Open"
check_not "the key bar offers no Delete" sh -c "tmux -L $TMUX_SOCK capture-pane -p -t t | tail -2 | grep -qw Delete"
deleted=$(sql "SELECT count(*) FROM cases WHERE deleted_at IS NOT NULL")
k d
check "d says why the clerk may not delete" wait_for "Not for your role: a supervisor or admin (clerk1 clerk)"
k F8
sleep 0.3
check "nothing was deleted" test "$(sql "SELECT count(*) FROM cases WHERE deleted_at IS NOT NULL")" = "$deleted"
# A record that came from another office (in a bundle) is not the clerk's to change.
ref=$(screen | grep -m1 '^ LA1301-' | awk '{print $1}')
sql "UPDATE cases SET office = 'LA1302' WHERE ref = '$ref'"
rev=$(sql "SELECT rev FROM cases WHERE ref = '$ref'")
k Enter
wait_for "Victim case $ref" >/dev/null
k F2
check "a clerk cannot save another office's record" wait_for "A record of office LA1302: a supervisor or admin (clerk1 clerk)"
check "the record is unchanged" test "$(sql "SELECT rev || office FROM cases WHERE ref = '$ref'")" = "${rev}LA1302"
k Escape
wait_for "Victim cases:" >/dev/null
k n
wait_for "Victim case (new)" >/dev/null
l "01/03/2026"; k Enter
k F3
check "the clerk saves a draft" wait_for "Saved (revision 1)"
check "the audit log names the clerk logged in on the screen" \
    test "$(sql "SELECT user || '/' || action FROM audit_log ORDER BY id DESC LIMIT 1")" = "clerk1/create"
check "created_by names the clerk" \
    test "$(sql "SELECT created_by FROM cases ORDER BY rowid DESC LIMIT 1")" = clerk1
k Escape; wait_for "Victim cases" >/dev/null; k 6
check "Settings offers the password change" wait_for "Change password"
k p
check "the password change asks the current password" wait_for "Current password"
l "clerk-pass-1"; k Enter; l "clerk-new-pass"; k Enter; l "clerk-new-pass"; k Enter
check "the password is changed" wait_for "Password changed."
check "the new password works" sh -c "printf 'clerk-new-pass\n' > '$T/n.pw'; chmod 600 '$T/n.pw';
    '$TIPDESK' -c '$CFG' --user clerk1 --password-file '$T/n.pw' user passwd clerk1 --new-password-file '$T/c.pw' >/dev/null"

# --- a name given in the environment is filled in -----------------------------
tmx kill-session -t t
tmx new-session -d -x 80 -y 24 -s t \
    "env TIPDESK_USER=clerk1 TERM=tmux-256color LANG=C.UTF-8 '$TIPDESK' -c '$CFG'; echo EXITED \$?; sleep 60"
wait_for "Password" >/dev/null
check "TIPDESK_USER fills in the name" sh -c "tmux -L $TMUX_SOCK capture-pane -p -t t | grep 'User name' | grep -q clerk1"
l "clerk-pass-1"; k Enter
check "then the password alone logs in" wait_for "Victim cases"

# --- a viewer never sees a name -----------------------------------------------
restart
login ຜູ້ເບິ່ງ viewer-pass-1
wait_for "Victim cases" >/dev/null
: > "$T/seen"
# The title bar (office and the viewer's own name) is left out: a demo
# name may be spelt like the office's district or like the viewer.
grab() { sleep 0.4; screen | sed 1d >> "$T/seen"; }
k 1; wait_for "Victim cases:" >/dev/null; grab
check "the viewer's list says it is without names" grep -q "Without names: the reference stands for the record" "$T/seen"
check_not "and offers no search" grep -q "/ search by name" "$T/seen"
for i in 1 2 3 4; do k PgDn; grab; done
k Enter; grab
check "a viewer cannot open a form" grep -q "Not for your role" "$T/seen"
k /; grab
k Escape; k 2; grab; k PgDn; grab
k Escape; k 3; grab
k Escape; k 4; grab
for i in 1 2 3 4 5 6; do k Tab; grab; done
k Escape; k 5; grab
check "a viewer cannot open export and import" grep -q "a supervisor or admin (ຜູ້ເບິ່ງ viewer)" "$T/seen"
k 6; grab
check "the viewer's screens were captured" test "$(grep -c 'LA1301-' "$T/seen")" -gt 20
sql "SELECT first_name FROM cases UNION SELECT last_name FROM cases
     UNION SELECT first_name FROM suspects UNION SELECT last_name FROM suspects
     UNION SELECT first_name || ' ' || last_name FROM cases" > "$T/names"
sql "SELECT phone FROM cases UNION SELECT id_document FROM cases UNION SELECT home_village FROM cases" >> "$T/names"
# A name that is also part of a place name (the Place column shows
# districts and provinces) is not looked for.
sql "SELECT name_en || ' ' || name_lo FROM ref_district UNION ALL
     SELECT name_en || ' ' || name_lo FROM ref_province" > "$T/places"
grep -v '^$' "$T/names" | sort -u | while IFS= read -r n; do
    grep -qF -- "$n" "$T/places" || echo "$n"; done > "$T/pii"
check "the demo has names to look for" test "$(wc -l < "$T/pii")" -gt 50
leaks=$(cat "$T/pii" | while IFS= read -r n; do grep -qF -- "$n" "$T/seen" && echo "$n"; done)
check "no name, phone, ID or village of any record on a viewer's screens" test -z "$leaks"
[ -z "$leaks" ] || echo "$leaks" | sed 's/^/# shown: /'

# --- the command line asks the passwords on the terminal, without echo --------
tmx kill-session -t t
tmx new-session -d -x 80 -y 24 -s t \
    "env LANG=C.UTF-8 '$TIPDESK' -c '$CFG' --user clerk1 user passwd clerk1; echo EXITED \$?; sleep 60"
check "the password is asked on the terminal" wait_for "Password for clerk1:"
l "clerk-pass-1"; k Enter
check "then the new one" wait_for "New password for clerk1:"
l "ກິນເຂົ້າ-2026"; k Enter
check "and again" wait_for "The same password again:"
l "ກິນເຂົ້າ-2026"; k Enter
check "the password is changed from the terminal" wait_for "user clerk1: password changed"
check "the command exits 0" wait_for "EXITED 0"
check_not "no typed password is echoed" sh -c "tmux -L $TMUX_SOCK capture-pane -p -t t | grep -q -e clerk-pass-1 -e ກິນເຂົ້າ"
