#!/bin/sh
# Screen test of the users screen (Settings, then u) of an admin: the users
# with role and state, read before any key; a new user with a Lao name and
# a role picked on the form, who can then log in; a short or mistyped
# password and a name already taken refused on screen with nothing stored;
# a new password for a user; disabling (asked first) and enabling; no admin
# disables themselves; the screen in Lao; a clerk is not offered it, and
# wrong current passwords on the clerk's own password change lock them out
# with the wait counted down.
. tests/lib.sh
setup_office
DB="$T/db/tipdesk.db"
"$TIPDESK" -c "$CFG" init >/dev/null 2>&1 || { fail "init"; exit 1; }
printf 'clerk-pass-1\n' > "$T/c.pw"; chmod 600 "$T/c.pw"
"$TIPDESK" -c "$CFG" user add clerk1 --role clerk --new-password-file "$T/c.pw" >/dev/null \
    || { fail "a clerk"; exit 1; }
# logs_in NAME PASSWORD: the command line lets NAME in with PASSWORD (the
# password changed to itself: a command any user may run).
logs_in() {
    printf '%s\n' "$2" > "$T/try.pw"; chmod 600 "$T/try.pw"
    "$TIPDESK" -c "$CFG" --user "$1" --password-file "$T/try.pw" user passwd "$1" \
        --new-password-file "$T/try.pw" >"$T/try.out" 2>&1
}
users() { sql "SELECT count(*) FROM users"; }

start_tipdesk
wait_for "Victim cases" >/dev/null
k 6
check "Settings offers the users to an admin" wait_for "u Users"
k u
check "the users screen counts them" wait_for "Users: 2"
check "it names the columns" wait_for "User name                Role             State"
check "the admin is listed, active" sh -c "tmux -L $TMUX_SOCK capture-pane -p -t t | grep admin | grep -q active"
check "the clerk is listed with the role" sh -c "tmux -L $TMUX_SOCK capture-pane -p -t t | grep clerk1 | grep -q clerk"
check "the key bar offers a new user" wait_for "n New user"

# --- a new user -------------------------------------------------------------
k n
check "the new user form asks the name" wait_for "User name"
check "a role, clerk at first" wait_for "Role                      ◂ clerk ▸"
check "the Enter key confirms here, not 'Log in'" sh -c "tmux -L $TMUX_SOCK capture-pane -p -t t | tail -2 | grep -q 'Enter Confirm'"
l "ສົມສັກ"; k Enter
check "Enter goes on to the role" wait_cursor "Role"
check "the role field says how to change it" wait_for "Space, ← or → changes the role; or type c, s, v or a."
k Space
check "Space goes round the roles" wait_for "◂ supervisor ▸"
l v
check "v picks the viewer" wait_for "◂ viewer ▸"
l s
check "s picks the supervisor" wait_for "◂ supervisor ▸"
k Enter
check "then the password" wait_cursor "Password"
l "short1"; k Enter; l "short1"; k Enter
check "a short password is refused" wait_for "The new password is too short: at least 8 characters."
check "nobody was added" test "$(users)" = 2
check "the two passwords are to be typed again" wait_cursor "Password"
check_not "no stars are left" sh -c "tmux -L $TMUX_SOCK capture-pane -p -t t | grep -q '\*\*\*'"
l "ກິນເຂົ້າ-2026"; k Enter; l "ກິນເຂົ້າ-2027"; k Enter
check "two different passwords are refused" wait_for "The two new passwords differ."
check "still nobody added" test "$(users)" = 2
l "ກິນເຂົ້າ-2026"; k Enter; l "ກິນເຂົ້າ-2026"; k Enter
check "the user is added" wait_for "User added: ສົມສັກ (supervisor)."
check "stored with the role, enabled, made by the admin" \
    test "$(sql "SELECT role || '|' || disabled || '|' || changed_by FROM users WHERE name = 'ສົມສັກ'")" = "supervisor|0|admin"
check "the list shows three" wait_for "Users: 3"
check "the new user logs in with that password" logs_in ສົມສັກ "ກິນເຂົ້າ-2026"
k n
wait_for "User name" >/dev/null
l "ສົມສັກ"; k Enter; k Enter; l "another-pass-1"; k Enter; l "another-pass-1"; k Enter
check "a name taken is refused, naming it" wait_for "a user named 'ສົມສັກ' exists already"
check "nothing was added" test "$(users)" = 3
k Escape
check "Esc goes back to the users" wait_for "Users: 3"

# --- a new password, disable, enable ------------------------------------------
k End
k p
check "p sets the password of the one selected" wait_for "New password for ສົມສັກ"
l "new-pass-ສົມ"; k Enter; l "new-pass-ສົມ"; k Enter
check "the new password is set" wait_for "New password set for ສົມສັກ."
check "it works" logs_in ສົມສັກ "new-pass-ສົມ"
check_not "the old one no longer does" logs_in ສົມສັກ "ກິນເຂົ້າ-2026"
k d
check "disabling asks first" wait_for "Disable ສົມສັກ? They can no longer log in. (y/n)"
k n
sleep 0.3
check "n leaves the user enabled" test "$(sql "SELECT disabled FROM users WHERE name = 'ສົມສັກ'")" = 0
k d; wait_for "(y/n)" >/dev/null; k y
check "y disables" wait_for "ສົມສັກ is disabled."
check "stored" test "$(sql "SELECT disabled FROM users WHERE name = 'ສົມສັກ'")" = 1
check "shown in the list" sh -c "tmux -L $TMUX_SOCK capture-pane -p -t t | grep ສົມສັກ | grep -q disabled"
check_not "a disabled user cannot log in" logs_in ສົມສັກ "new-pass-ສົມ"
k d
check "disabling again says so" wait_for "ສົມສັກ is disabled already."
k e
check "e enables" wait_for "ສົມສັກ can log in again."
check "and the user logs in again" logs_in ສົມສັກ "new-pass-ສົມ"
k Home
k d
check "an admin cannot disable themselves" wait_for "you cannot disable yourself ('admin'); another admin can"
check_not "and is not asked first" sh -c "tmux -L $TMUX_SOCK capture-pane -p -t t | grep -q '(y/n)'"
check "the admin stays enabled" test "$(sql "SELECT disabled FROM users WHERE name = 'admin'")" = 0

# --- in Lao -------------------------------------------------------------------
k F9
check "the title in Lao" wait_for "ຜູ້ໃຊ້: 3"
check "the roles in Lao" wait_for "ຜູ້ກວດກາ"
check "the states in Lao" wait_for "ໃຊ້ໄດ້"
k n
check "the new user form in Lao" wait_for "ຜູ້ໃຊ້ໃໝ່"
check "its Enter in Lao" wait_for "Enter ຢືນຢັນ"
k Escape
k F9
k F10
check "quit" wait_for "EXITED 0"

# --- a clerk ------------------------------------------------------------------
tmx kill-session -t t
tmx new-session -d -x 80 -y 24 -s t \
    "env TIPDESK_USER=clerk1 TIPDESK_PASSWORD_FILE='$T/c.pw' TERM=tmux-256color LANG=C.UTF-8 '$TIPDESK' -c '$CFG'; echo EXITED \$?; sleep 60"
wait_for "Victim cases" >/dev/null
k 6
check "a clerk's Settings offer the password change" wait_for "p Change password"
check_not "but not the users" sh -c "tmux -L $TMUX_SOCK capture-pane -p -t t | tail -2 | grep -q 'u Users'"
k u
check "u says why not" wait_for "Not for your role: an admin (clerk1 clerk)"
check_not "and opens nothing" sh -c "tmux -L $TMUX_SOCK capture-pane -p -t t | grep -q 'Users: '"

# --- my own password: wrong current passwords lock me out, counted down ---------
k Escape
wait_for "Victim cases" >/dev/null
k 6
k p
check "the password change asks the current password" wait_for "Current password"
hash=$(sql "SELECT password_hash FROM users WHERE name = 'clerk1'")
for i in 1 2 3 4 5; do
    l "wrong-current-$i"; k Enter; l "clerk-new-pass"; k Enter; l "clerk-new-pass"; k Enter
    wait_for "password for 'clerk1'" >/dev/null
    sleep 0.2
done
check "the lockout is counted down on this form too" wait_for "Too many wrong passwords: try again in"
check "the password is unchanged" test "$(sql "SELECT password_hash FROM users WHERE name = 'clerk1'")" = "$hash"
