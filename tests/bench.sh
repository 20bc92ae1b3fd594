#!/bin/sh
# make bench: builds a database of demo data once, then runs every
# tests/bench_*.sh against it.  Each prints lines
#   NAME  tipdesk X ms  sqlite3 Y ms  ratio R  target T
# Timings are informative (DESIGN.md §11), never pass/fail.
BIN=${1:-./tipdesk}
case "$BIN" in /*) ;; *) BIN="$(pwd)/$BIN" ;; esac
export TIPDESK="$BIN" TIPDESK_SRC="$(pwd)" LANG=C.UTF-8 LC_ALL=C.UTF-8
BENCH_DIR=${BENCH_DIR:-/tmp/tipdesk-bench}
# Commands that change data need a login: the benchmarks work as the
# administrator whom their first init (or demo on a new file) creates.
if [ -z "$TIPDESK_USER" ]; then
    TIPDESK_PASSWORD_FILE=$(mktemp /tmp/tipdesk-pw.XXXXXX)
    printf 'bench-password-1\n' > "$TIPDESK_PASSWORD_FILE"
    export TIPDESK_USER=admin TIPDESK_PASSWORD_FILE
    trap 'rm -f "$TIPDESK_PASSWORD_FILE"' EXIT
fi
export BENCH_DIR
mkdir -p "$BENCH_DIR"
found=0
# bench_demo.sh first: it (re)builds the database the others use.
for b in tests/bench_demo.sh $(ls tests/bench_*.sh | grep -v bench_demo.sh); do
    [ -f "$b" ] || continue
    found=1
    echo "== $(basename "$b" .sh)"
    sh "$b" || echo "   (failed: $b)"
done
[ "$found" = 1 ] || echo "no benchmarks yet"
