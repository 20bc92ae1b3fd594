#!/bin/sh
# Users and roles on the command line: the first administrator, user add,
# passwd, list and disable; which role may run which command; wrong
# passwords and the lockout (held in the database across processes); the
# audit log naming the logged-in user, never $USER.
. tests/lib.sh

setup_office
DB="$T/db/tipdesk.db"
OUT="$T/out"
ERR="$T/err"
run() { "$TIPDESK" -c "$CFG" "$@" >"$OUT" 2>"$ERR"; rc=$?; }
has() { grep -qF -- "$1" "$2"; }
# The records and their history, everything but the users table (whose
# failed-login counts a wrong password changes on purpose).
data_sum() { sqlite3 "$DB" .dump | grep -v '^INSERT INTO users' | sha256sum; }
pwfile() { printf '%s\n' "$2" > "$T/$1"; chmod 600 "$T/$1"; }
ADMIN="ສົມສັກ"
pwfile admin.pw "ກິນເຂົ້າ-1234"
pwfile clerk.pw "clerk-pass-1"
pwfile viewer.pw "viewer-pass-1"
pwfile super.pw "super-pass-12"
pwfile wrong.pw "not-the-password"
unset TIPDESK_USER TIPDESK_PASSWORD_FILE
export USER=intruder

# --- the first administrator --------------------------------------------------
run init
check "init without users or credentials exits 0" test $rc -eq 0
has "tipdesk init --admin NAME" "$ERR" && ok "init says how to create the administrator" \
    || fail "init says how to create the administrator"
check "no user was created" test "$(sqlite3 "$DB" 'SELECT count(*) FROM users')" -eq 0
run </dev/null
has "has no users yet" "$ERR" && ok "the screens refuse a database without users" \
    || fail "the screens refuse a database without users"
run demo --cases 5
check_not "demo without a login fails" test $rc -eq 0
has "--user NAME" "$ERR" && ok "the message says to give --user" || fail "the message says to give --user"
run --user "$ADMIN" --password-file "$T/admin.pw" demo --cases 5
has "init --admin NAME" "$ERR" && ok "a login on a database without users says how to create the admin" \
    || fail "a login on a database without users says how to create the admin"
check "the database holds no records" test "$(sqlite3 "$DB" 'SELECT count(*) FROM cases')" -eq 0

chmod 644 "$T/admin.pw"
run init --admin "$ADMIN" --password-file "$T/admin.pw"
check_not "a password file others may read is refused" test $rc -eq 0
has "chmod 600" "$ERR" && ok "the message says to chmod 600" || fail "the message says to chmod 600"
chmod 600 "$T/admin.pw"
run init --admin "ສົມ ສັກ" --password-file "$T/admin.pw"
has "user name may hold only" "$ERR" && ok "a name with a space is refused" || fail "a name with a space is refused"
pwfile short.pw "short"
run init --admin "$ADMIN" --password-file "$T/short.pw"
has "too short" "$ERR" && ok "a short password is refused" || fail "a short password is refused"
check "still no user" test "$(sqlite3 "$DB" 'SELECT count(*) FROM users')" -eq 0
run init --admin "$ADMIN" --password-file "$T/admin.pw"
check "init --admin creates the administrator" test $rc -eq 0
has "user $ADMIN: created, role admin" "$OUT" && ok "init names the administrator" \
    || fail "init names the administrator"
check "the hash is Argon2id" test "$(sqlite3 "$DB" "SELECT substr(password_hash, 1, 10) FROM users")" = '$argon2id$'
run init --admin other --password-file "$T/admin.pw"
check_not "a second init --admin is refused" test $rc -eq 0

# --- user add, list -----------------------------------------------------------
A="--user $ADMIN --password-file $T/admin.pw"
run $A user add clerk1 --role clerk --new-password-file "$T/clerk.pw"
check "the admin adds a clerk" test $rc -eq 0
run $A user add ວິໄລ --role viewer --new-password-file "$T/viewer.pw"
check "the admin adds a viewer with a Lao name" test $rc -eq 0
run $A user add boss --role supervisor --new-password-file "$T/super.pw"
check "the admin adds a supervisor" test $rc -eq 0
run $A user add clerk1 --role clerk --new-password-file "$T/clerk.pw"
has "exists already" "$ERR" && ok "a name taken is refused" || fail "a name taken is refused"
run $A user add x --role boss --new-password-file "$T/clerk.pw"
check "an unknown role is a usage error" test $rc -eq 2
run $A user list
has "ວິໄລ" "$OUT" && has "supervisor" "$OUT" && ok "user list shows names and roles" \
    || fail "user list shows names and roles"
run --user clerk1 --password-file "$T/clerk.pw" user add y --role admin --new-password-file "$T/clerk.pw"
has "needs an admin; 'clerk1' is a clerk" "$ERR" && ok "a clerk cannot add users" \
    || fail "a clerk cannot add users"

# --- roles on commands --------------------------------------------------------
run --user boss --password-file "$T/super.pw" demo --cases 20 --seed 7
check "a supervisor runs demo" test $rc -eq 0
check "the audit log names the logged-in user, not \$USER" \
    test "$(sqlite3 "$DB" "SELECT group_concat(DISTINCT user) FROM audit_log")" = boss
check "created_by names the logged-in user" \
    test "$(sqlite3 "$DB" "SELECT group_concat(DISTINCT created_by) FROM cases")" = boss
"$TIPDESK" -c "$CFG" --user boss --password-file "$T/super.pw" export csv cases -o "$T/c.csv" >/dev/null 2>&1
sed -i 's/,complete,/,draft,/' "$T/c.csv"
before=$(data_sum)
run --user clerk1 --password-file "$T/clerk.pw" import csv cases "$T/c.csv"
check_not "a clerk's import csv fails" test $rc -eq 0
has "needs a supervisor or admin; 'clerk1' is a clerk" "$ERR" && ok "the message names the role needed" \
    || fail "the message names the role needed"
check "the clerk's import changed nothing" test "$(data_sum)" = "$before"
run --user clerk1 --password-file "$T/clerk.pw" export bundle
check_not "a clerk cannot export a bundle" test $rc -eq 0
run --user ວິໄລ --password-file "$T/viewer.pw" export csv cases -o "$T/v.csv"
check_not "a viewer cannot export names" test $rc -eq 0
run --user ວິໄລ --password-file "$T/viewer.pw" export csv cases --deidentify -o "$T/v.csv"
check "a viewer exports de-identified" test $rc -eq 0
run report victims
check "reports need no login" test $rc -eq 0
run --user boss --password-file "$T/super.pw" import csv cases "$T/c.csv"
check "a supervisor imports" test $rc -eq 0
check "the import's audit rows name the supervisor" \
    test "$(sqlite3 "$DB" "SELECT user FROM audit_log ORDER BY id DESC LIMIT 1")" = boss

# --- wrong passwords and the lockout ------------------------------------------
before=$(data_sum)
for i in 1 2 3 4; do
    run --user boss --password-file "$T/wrong.pw" import csv cases "$T/c.csv"
done
has "wrong password for 'boss' (4 of 5" "$ERR" && ok "wrong passwords are counted" \
    || fail "wrong passwords are counted"
run --user boss --password-file "$T/wrong.pw" import csv cases "$T/c.csv"
has "locked, try again in 60 s" "$ERR" && ok "the fifth wrong password locks for 60 s" \
    || fail "the fifth wrong password locks for 60 s"
run --user boss --password-file "$T/super.pw" import csv cases "$T/c.csv"
check_not "the right password is refused while locked" test $rc -eq 0
has "try again in" "$ERR" && ok "the message says when to retry" || fail "the message says when to retry"
check "wrong passwords and the lockout changed no data" test "$(data_sum)" = "$before"
check "the lockout is stored in the database" \
    test "$(sqlite3 "$DB" "SELECT locked_until > strftime('%s','now') FROM users WHERE name = 'boss'")" -eq 1
sqlite3 "$DB" "UPDATE users SET locked_until = strftime('%s','now') - 1 WHERE name = 'boss'"
run --user boss --password-file "$T/super.pw" export csv cases -o "$T/c2.csv"
check "after the lockout the right password works" test $rc -eq 0
check "a success clears the count" \
    test "$(sqlite3 "$DB" "SELECT failed_logins || coalesce(locked_until, '') FROM users WHERE name = 'boss'")" = 0
run --user nobody --password-file "$T/super.pw" import csv cases "$T/c.csv"
has "no user named 'nobody'" "$ERR" && ok "an unknown user is refused" || fail "an unknown user is refused"

# --- passwd and disable -------------------------------------------------------
pwfile new.pw "clerk-new-pass"
run --user clerk1 --password-file "$T/clerk.pw" user passwd clerk1 --new-password-file "$T/new.pw"
check "a clerk changes their own password" test $rc -eq 0
run --user clerk1 --password-file "$T/clerk.pw" user passwd clerk1 --new-password-file "$T/new.pw"
has "wrong password" "$ERR" && ok "the old password no longer works" || fail "the old password no longer works"
run --user clerk1 --password-file "$T/new.pw" user passwd boss --new-password-file "$T/new.pw"
has "needs an admin" "$ERR" && ok "a clerk cannot change another's password" \
    || fail "a clerk cannot change another's password"
run $A user disable clerk1
check "the admin disables a user" test $rc -eq 0
run --user clerk1 --password-file "$T/new.pw" user passwd clerk1 --new-password-file "$T/new.pw"
has "is disabled" "$ERR" && ok "a disabled user cannot log in" || fail "a disabled user cannot log in"
run $A user disable "$ADMIN"
check_not "an admin cannot disable themselves" test $rc -eq 0
has "cannot disable yourself" "$ERR" && ok "and is told why" || fail "and is told why"
run --user clerk1 --password-file "$T/new.pw" user enable clerk1
check_not "a disabled user cannot enable themselves" test $rc -eq 0
run --user boss --password-file "$T/super.pw" user enable clerk1
has "needs an admin" "$ERR" && ok "a supervisor cannot enable a user" || fail "a supervisor cannot enable a user"
run $A user enable clerk1
check "the admin enables the user again" test $rc -eq 0
has "user clerk1: enabled" "$OUT" && ok "enable says so" || fail "enable says so"
run --user clerk1 --password-file "$T/new.pw" user passwd clerk1 --new-password-file "$T/new.pw"
check "the enabled user logs in again" test $rc -eq 0
run $A user enable nobody
check_not "enabling an unknown user fails" test $rc -eq 0
has "nobody" "$ERR" && ok "naming the user" || fail "naming the user"
run $A user enable clerk1 --new-password-file "$T/new.pw"
check "enable takes no password file" test $rc -eq 2
run --user boss --password-file "$T/missing.pw" export bundle
has "cannot open the password file" "$ERR" && ok "a missing password file is named" \
    || fail "a missing password file is named"
