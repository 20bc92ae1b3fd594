#!/bin/sh
# Start-up refusals: a forms folder with a bad line, an unknown column, an
# unknown list or a bad condition is refused before the screens start, with
# a message naming the file and line, exit code 1 and the terminal clean;
# so is a locale that is not UTF-8 and a missing database.
. tests/lib.sh
setup_office
"$TIPDESK" -c "$CFG" init >/dev/null 2>&1 || { fail "init"; exit 1; }
cp -r "$T/forms" "$T/forms.good"

# break FILE LINE-PATTERN REPLACEMENT: replaces the first matching line.
break_forms() {
    rm -rf "$T/forms" && cp -r "$T/forms.good" "$T/forms"
    awk -v pat="$2" -v rep="$3" '!done && index($0, pat) == 1 { print rep; done = 1; next } { print }' \
        "$T/forms.good/$1" > "$T/forms/$1"
}
# refused DESC WANT: runs tipdesk; it must exit 1 with WANT on stderr.
refused() {
    "$TIPDESK" -c "$CFG" </dev/null >"$T/out" 2>"$T/err"
    rc=$?
    if [ $rc -eq 1 ] && grep -qF -- "$2" "$T/err" && [ ! -s "$T/out" ]; then ok "$1"
    else fail "$1"; echo "# rc=$rc"; sed 's/^/# | /' "$T/err"; fi
}

line_of() { grep -n -m1 -F -- "$2" "$T/forms.good/$1" | cut -d: -f1; }

n=$(line_of case.ini "[first_name]")
break_forms case.ini "[first_name]" "[first_name"
refused "bad line refused with file:line" "case.ini:$n:"

break_forms case.ini "[first_name]" "[first_nam]"
refused "unknown column refused" "case.ini:"
grep -q "first_nam" "$T/err" && ok "message names the field" || fail "message names the field"

n=$(line_of case.ini "list = sex")
break_forms case.ini "list = sex" "list = sexes"
refused "unknown list refused with file:line" "case.ini:$n:"
grep -q "sexes" "$T/err" && ok "message names the list" || fail "message names the list"

n=$(line_of case.ini "relevant = birth_date is empty")
break_forms case.ini "relevant = birth_date is empty" "relevant = birth_date is = ("
refused "bad condition refused with file:line" "case.ini:$n:"

# The terminal is left clean: the message is on the screen of a real
# terminal, with no screen of the program around it.
tmx new-session -d -x 80 -y 24 -s t \
    "env TERM=tmux-256color LANG=C.UTF-8 '$TIPDESK' -c '$CFG'; echo EXITED \$?; sleep 30"
check "message shown in the terminal" wait_for "case.ini:$n:"
check "exit code 1" wait_for "EXITED 1"
check_not "no screen drawn" sh -c "tmux -L $TMUX_SOCK capture-pane -p -t t | grep -q 'F10'"
check "terminal not left in the alternate screen" test "$(tmx display -p -t t '#{alternate_on}')" = 0

rm -rf "$T/forms" && cp -r "$T/forms.good" "$T/forms"
LC_ALL=C LANG=C "$TIPDESK" -c "$CFG" </dev/null >"$T/out" 2>"$T/err"
check "a locale that is not UTF-8 is refused" test $? -eq 1
check "the message says UTF-8" grep -q "UTF-8" "$T/err"

rm -f "$T"/db/tipdesk.db*
"$TIPDESK" -c "$CFG" </dev/null >"$T/out" 2>"$T/err"
check "a missing database is refused" test $? -eq 1
check "the message says to run init" grep -q "tipdesk init" "$T/err"
