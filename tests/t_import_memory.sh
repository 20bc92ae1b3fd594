#!/bin/sh
# A bundle of 20 000 cases (with their journeys, screening, assistance and
# audit rows) imported at a centre stays under 64 MB of peak resident
# memory (GNU time's %M), all of it arriving.
. tests/lib.sh
setup_office
office() {
    mkdir -p "$T/$1"
    cp "$CFG" "$T/$1/config.ini"
    set_config "$T/$1/config.ini" office code "$2"
    set_config "$T/$1/config.ini" office level "$3"
    set_config "$T/$1/config.ini" forms dir "$T/forms"
    "$TIPDESK" -c "$T/$1/config.ini" init >/dev/null
}
td() { o=$1; shift; "$TIPDESK" -c "$T/$o/config.ini" "$@"; }
q() { sqlite3 -batch "$T/$1/db/tipdesk.db" "$2"; }

office d LA1301 district
office c LA centre
td d demo --cases 20000 --prosecutions 2000 --events 4000 --seed 31 >/dev/null || { fail "demo"; exit 1; }
td d export bundle --unsealed -o "$T/b.tipx" >/dev/null 2>&1 || { fail "export"; exit 1; }
/usr/bin/time -f %M -o "$T/rss" "$TIPDESK" -c "$T/c/config.ini" import --accept-unsigned "$T/b.tipx" > "$T/out" 2>&1
check "the bundle is imported" grep -q "20000 inserted\|26000 inserted" "$T/out"
for t in cases case_events case_screening case_assistance prosecutions suspects events; do
    check "centre: $t all arrived" test "$(q c "SELECT count(*) FROM $t")" = "$(q d "SELECT count(*) FROM $t")"
done
kb=$(tail -1 "$T/rss")
# AddressSanitizer's allocator keeps freed memory and adds shadow memory, so
# the bound is measured by `make test`, not under `make sanitize`.
if [ -n "$SANITIZE_LOGS" ]; then
    echo "# peak memory ${kb} kB under the sanitizers: not held to 64 MB"
else
    check "peak memory ${kb} kB <= 64 MB" test "$kb" -le 65536
fi
