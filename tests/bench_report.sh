#!/bin/sh
# Each report over 100 000 demo cases, with the sqlite3 CLI running the
# victims report's core query on the same file for a ratio (target < 1 s per
# report).  Timings are informative, never pass/fail.
: "${TIPDESK:=$(pwd)/tipdesk}" "${TIPDESK_SRC:=$(pwd)}" "${BENCH_DIR:=/tmp/tipdesk-bench}"
DB=${BENCH_DB:-$BENCH_DIR/demo100k.db}
W=$(mktemp -d /tmp/tipdesk-bench-report.XXXXXX)
trap 'rm -rf "$W"' EXIT
cp "$TIPDESK_SRC/config.ini" "$W/config.ini"
cp -r "$TIPDESK_SRC/forms" "$W/forms"
sed "s|^path = .*|path = $DB|" "$W/config.ini" > "$W/c.tmp" && mv "$W/c.tmp" "$W/config.ini"
if [ ! -f "$DB" ]; then
    echo "   creating $DB (tipdesk demo --cases 100000)"
    "$TIPDESK" -c "$W/config.ini" init >/dev/null && \
    "$TIPDESK" -c "$W/config.ini" demo --cases 100000 >/dev/null || { echo "   demo failed"; exit 1; }
fi
ms() { date +%s%3N; }
# Read once, so that neither side pays for a cold start (the first read of
# a file of gigabytes from the disk is not what a second report costs).
cat "$DB" > /dev/null

t0=$(ms)
sqlite3 "$DB" "SELECT substr(registered_on, 1, 4), sum(sex = 'F'), sum(sex = 'M'), count(*)
  FROM cases WHERE deleted_at IS NULL AND status <> 'draft'
  AND trafficking_status IN ('PossibleVictimOfTrafficking', 'ActualVictimOfTrafficking')
  GROUP BY 1" >/dev/null
base=$(( $(ms) - t0 ))
[ "$base" -gt 0 ] || base=1

for r in victims prosecutions prevention protection npa quality; do
    for fmt in csv text; do
        t0=$(ms)
        "$TIPDESK" -c "$W/config.ini" report "$r" --format "$fmt" >/dev/null || echo "   ($r failed)"
        t=$(( $(ms) - t0 ))
        printf '%-28s tipdesk %5d ms  sqlite3 %4d ms  ratio %5.1f  target < 1000 ms\n' \
            "report $r ($fmt)" "$t" "$base" "$(echo "$t $base" | awk '{ print $1 / $2 }')"
    done
done
t0=$(ms)
"$TIPDESK" -c "$W/config.ini" report victims --publish --format csv >/dev/null
printf '%-28s tipdesk %5d ms\n' "report victims --publish" "$(( $(ms) - t0 ))"
