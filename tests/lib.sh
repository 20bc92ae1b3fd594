# Shared helpers for the shell tests (tests/t_*.sh): TAP-like "ok"/"not ok"
# lines that tests/run.sh counts, temp folders, and isolated tmux sessions.
: "${TIPDESK:=$(pwd)/tipdesk}"
: "${TIPDESK_SRC:=$(pwd)}"
n_test=0

# Commands that change data need a login: every test works as the
# administrator "admin", whom the first `init` creates from these.
TIPDESK_PASSWORD_FILE=$(mktemp /tmp/tipdesk-pw.XXXXXX)     # mode 0600
printf 'test-password-1\n' > "$TIPDESK_PASSWORD_FILE"
export TIPDESK_USER=admin TIPDESK_PASSWORD_FILE
trap 'rm -f "$TIPDESK_PASSWORD_FILE"' EXIT

ok()   { n_test=$((n_test + 1)); echo "ok $n_test - $*"; }
fail() { n_test=$((n_test + 1)); echo "not ok $n_test - $*"; }
# check DESC CMD...: passes when CMD exits 0.
check() { d=$1; shift; if "$@"; then ok "$d"; else fail "$d"; fi; }
# check_not DESC CMD...: passes when CMD exits non-zero.
check_not() { d=$1; shift; if "$@"; then fail "$d"; else ok "$d"; fi; }

# A fresh folder with a copy of config.ini and forms/, removed at exit.
# Sets T (the folder) and CFG (its config.ini).
setup_office() {
    T=$(mktemp -d /tmp/tipdesk-test.XXXXXX)
    cp "$TIPDESK_SRC/config.ini" "$T/config.ini"
    cp -r "$TIPDESK_SRC/forms" "$T/forms"
    CFG="$T/config.ini"
    trap 'cleanup_office' EXIT
}
cleanup_office() {
    rm -f "$TIPDESK_PASSWORD_FILE"
    [ -n "$TMUX_SOCK" ] && tmux -L "$TMUX_SOCK" kill-server 2>/dev/null
    [ -n "$T" ] && rm -rf "$T"
}
# Sets KEY = VALUE in SECTION of the config file FILE (the key must exist).
set_config() {
    file=$1 section=$2 key=$3 value=$4
    awk -v s="[$section]" -v k="$key" -v v="$value" '
        /^\[/ { in_s = ($0 == s) }
        in_s && $1 == k { print k " = " v; next }
        { print }' "$file" > "$file.tmp" && mv "$file.tmp" "$file"
}

# sqlite3 on the test database, one value per line.
sql() { sqlite3 -batch "$DB" "$@"; }

# tmux on a private server: tmx new-session -d -x 80 -y 24 ...
TMUX_SOCK=""
tmx() {
    [ -n "$TMUX_SOCK" ] || TMUX_SOCK="tipdesk-test-$$"
    tmux -L "$TMUX_SOCK" -f /dev/null "$@"
}
screen() { tmx capture-pane -p -t "${1:-t}"; }
# wait_for TEXT [SECONDS]: waits until TEXT is on the screen.
wait_for() {
    i=0 limit=$(( ${2:-10} * 10 ))
    while [ $i -lt $limit ]; do
        screen | grep -qF -- "$1" && return 0
        sleep 0.1; i=$((i + 1))
    done
    echo "# timed out waiting for: $1"; screen | sed 's/^/# | /'
    return 1
}
# Keys and text into window t of the private server, and the screen line
# the cursor is on.
k() { tmx send-keys -t t "$@"; }
l() { tmx send-keys -t t -l "$1"; }
cursor_line() { screen | sed -n "$(( $(tmx display -p -t t '#{cursor_y}') + 1 ))p"; }
# wait_cursor TEXT [SECONDS]: until the line under the cursor holds TEXT.
wait_cursor() {
    i=0 limit=$(( ${2:-10} * 10 ))
    while [ $i -lt $limit ]; do
        cursor_line | grep -qF -- "$1" && return 0
        sleep 0.1; i=$((i + 1))
    done
    echo "# cursor not on: $1 but on: $(cursor_line)"
    return 1
}
# wait_sql QUERY VALUE [SECONDS]: until the database answers QUERY with VALUE
# (the screens save after the key that asked, not before tmux returns).
wait_sql() {
    i=0 limit=$(( ${3:-10} * 10 ))
    while [ $i -lt $limit ]; do
        [ "$(sql "$1")" = "$2" ] && return 0
        sleep 0.1; i=$((i + 1))
    done
    echo "# $1 gave $(sql "$1"), not $2"
    return 1
}
# start_tipdesk [CONFIG]: tipdesk in window t (80x24), then "EXITED rc".
start_tipdesk() {
    tmx new-session -d -x 80 -y 24 -s t \
        "env TERM=tmux-256color LANG=C.UTF-8 '$TIPDESK' -c '${1:-$CFG}'; echo EXITED \$?; sleep 60"
}
