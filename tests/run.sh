#!/bin/sh
# Runs every test: the cmocka binaries in BUILD/tests and the shell tests
# tests/t_*.sh (which drive the real binary, in tmux where they test screens).
# Prints each suite's result and a closing line "N passed, N failed".
# Usage: tests/run.sh BUILD BIN [NAME...]   (NAME limits to matching suites)
BUILD=${1:-build}
BIN=${2:-./tipdesk}
shift 2 2>/dev/null
case "$BIN" in /*) ;; *) BIN="$(pwd)/$BIN" ;; esac
export TIPDESK="$BIN" TIPDESK_SRC="$(pwd)"
export LANG=C.UTF-8 LC_ALL=C.UTF-8
unset TIPDESK_CONFIG NO_COLOR

passed=0
failed=0
failed_suites=""
log=$(mktemp)
trap 'rm -f "$log"' EXIT


for t in "$BUILD"/tests/test_* tests/t_*.sh; do
    [ -f "$t" ] || continue
    case "$t" in *.d|*.o) continue ;; esac
    if [ -n "$ONLY" ]; then
        case "$t" in *"$ONLY"*) ;; *) continue ;; esac
    fi
    name=$(basename "$t")
    case "$t" in
    *.sh) sh "$t" >"$log" 2>&1; rc=$?
          p=$(grep -c '^ok ' "$log"); f=$(grep -c '^not ok ' "$log") ;;
    *)    "$t" >"$log" 2>&1; rc=$?
          p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$log" | awk '{s+=$1} END {print s+0}')
          f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$log" | awk '{s+=$1} END {print s+0}') ;;
    esac
    # A crash or sanitizer report without a failure count still fails the suite.
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
    # Under `make sanitize` every process (also the screens run in tmux, whose
    # stderr nobody sees) writes its reports to SANITIZE_LOGS.
    if [ -n "$SANITIZE_LOGS" ] && [ -n "$(ls -A "$SANITIZE_LOGS" 2>/dev/null)" ]; then
        cat "$SANITIZE_LOGS"/* >>"$log"
        rm -f "$SANITIZE_LOGS"/*
        f=$((f + 1))
    fi
    if [ "$f" -gt 0 ]; then
        cat "$log"
        failed_suites="$failed_suites $name"
    fi
    printf '%-28s %4d passed, %d failed\n' "$name" "$p" "$f"
    passed=$((passed + p))
    failed=$((failed + f))
done
[ -n "$failed_suites" ] && echo "failed suites:$failed_suites"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
