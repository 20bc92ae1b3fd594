#!/bin/sh
# make bench: builds a database of demo data once, then runs every
# tests/bench_*.sh against it.  Each prints lines
#   NAME  tipdesk X ms  sqlite3 Y ms  ratio R  target T
# Timings are informative (docs/ARCHITECTURE.md, "Tests and measurements"), never pass/fail.
# The targets printed are those of the larger size where they differ.
BIN=${1:-./tipdesk}
case "$BIN" in /*) ;; *) BIN="$(pwd)/$BIN" ;; esac
export TIPDESK="$BIN" TIPDESK_SRC="$(pwd)" LANG=C.UTF-8 LC_ALL=C.UTF-8
BENCH_DIR=${BENCH_DIR:-/tmp/tipdesk-bench}
# BENCH_CASES=1000000 runs every benchmark over a database of a million
# cases (demo1m.db, built once: about ten minutes) instead of 100 000.
BENCH_CASES=${BENCH_CASES:-100000}
case "$BENCH_CASES" in
*000000) BENCH_NAME="demo$((BENCH_CASES / 1000000))m" ;;
*000) BENCH_NAME="demo$((BENCH_CASES / 1000))k" ;;
*) BENCH_NAME="demo$BENCH_CASES" ;;
esac
BENCH_DB="$BENCH_DIR/$BENCH_NAME.db"
# Commands that change data need a login: the benchmarks work as the
# administrator whom their first init (or demo on a new file) creates.
if [ -z "$TIPDESK_USER" ]; then
    TIPDESK_PASSWORD_FILE=$(mktemp /tmp/tipdesk-pw.XXXXXX)
    printf 'bench-password-1\n' > "$TIPDESK_PASSWORD_FILE"
    export TIPDESK_USER=admin TIPDESK_PASSWORD_FILE
    trap 'rm -f "$TIPDESK_PASSWORD_FILE"' EXIT
fi
export BENCH_DIR BENCH_CASES BENCH_NAME BENCH_DB
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
