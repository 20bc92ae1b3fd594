#!/bin/sh
# Runs every fuzz target for SECONDS each, one after the other, on a corpus
# kept in BUILD/fuzz/corpus (grown from the seeds and tests/fuzz/regress),
# after replaying the stored regression inputs.  Prints the executions per
# target; exits non-zero when any target found a crash, leak or UB (the
# input is left in BUILD/fuzz/ as crash-*, leak-* or timeout-*).
# Usage: tests/fuzz/run.sh BUILD BIN SECONDS TARGET...
BUILD=$1 BIN=$2 SECONDS_EACH=$3
shift 3
F="$BUILD/fuzz"
sh tests/fuzz/seeds.sh "$BIN" "$F" || exit 1
export TIPDESK_SRC="$(pwd)" LANG=C.UTF-8 LC_ALL=C.UTF-8
export ASAN_OPTIONS="detect_leaks=1:${ASAN_OPTIONS:-}"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:${UBSAN_OPTIONS:-}"
failed=""
for t in "$@"; do
    case $t in
    fuzz_csv) export TIPDESK_FUZZ_CONFIG="$F/work/district/config.ini" ;;
    fuzz_seal)
        export TIPDESK_FUZZ_KEYS="$F/work/province/db/office.key" TIPDESK_FUZZ_PUB="$F/work/district.pub" \
               TIPDESK_PASSPHRASE='fuzz passphrase ກິນເຂົ້າ' ;;
    fuzz_bundle|fuzz_bundle_rows)
        export TIPDESK_FUZZ_CONFIG="$F/work/province/config.ini" \
               TIPDESK_FUZZ_BUNDLE="$F/work/district.tipx" ;;
    esac
    mkdir -p "$F/corpus/$t"
    regress=""
    if [ -d "tests/fuzz/regress/$t" ] && [ -n "$(ls -A "tests/fuzz/regress/$t")" ]; then
        regress="tests/fuzz/regress/$t"
        if ! "$F/$t" "$regress"/* >"$F/$t.log" 2>&1; then
            cat "$F/$t.log"
            failed="$failed $t(regress)"
            continue
        fi
    fi
    "$F/$t" -max_total_time="$SECONDS_EACH" -timeout=10 -rss_limit_mb=1024 -max_len=16384 \
        -artifact_prefix="$F/" "$F/corpus/$t" "$F/seeds/$t" $regress >"$F/$t.log" 2>&1
    rc=$?
    runs=$(sed -n 's/^Done \([0-9]*\) runs.*/\1/p' "$F/$t.log")
    if [ $rc -ne 0 ]; then
        grep -A40 -m1 'ERROR\|broken:\|runtime error' "$F/$t.log"
        failed="$failed $t"
        printf '%-14s FAILED (log: %s)\n' "$t" "$F/$t.log"
    else
        printf '%-14s %10s executions in %ss, corpus %s inputs\n' "$t" "${runs:-?}" \
            "$SECONDS_EACH" "$(ls "$F/corpus/$t" | wc -l)"
    fi
done
[ -z "$failed" ] || { echo "fuzz failures:$failed"; exit 1; }
