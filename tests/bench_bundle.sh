#!/bin/sh
# Bundles and CSV against the sqlite3 tool (docs/ARCHITECTURE.md, "Tests and measurements"):
#   export of 100 000 cases to CSV          target <= 1.5x sqlite3 -csv
#   import of a 100 000-record bundle into   target <= 2x sqlite3 doing the
#   a 1 000 000-record centre                same upsert from the attached bundle
#   import of the same 100 000 records       target <= 1.2x the same bundle in
#   signed and sealed, into a new centre     the clear format (--accept-unsigned)
#   bytes of the clear bundle per record     target <= 2x the bytes per record of
#                                            the same records as CSV (export csv all)
# BENCH_PARTS=3 runs only the last (it needs no 1 000 000-record centre).
# Databases are cached in $BENCH_DIR; timings are informative only.
: "${TIPDESK:=$(pwd)/tipdesk}" "${TIPDESK_SRC:=$(pwd)}" "${BENCH_DIR:=/tmp/tipdesk-bench}"
mkdir -p "$BENCH_DIR"
W=$(mktemp -d "$BENCH_DIR/bundle.XXXXXX")
trap 'rm -rf "$W"' EXIT

ms() { date +%s%N | cut -c1-13; }
# office NAME DBFILE CODE LEVEL: a config.ini in $W/NAME using DBFILE.
office() {
    mkdir -p "$W/$1"
    sed -e "s|^path = .*|path = $2|" -e "s|^code = [A-Z0-9]*|code = $3|" \
        -e "s|^level = [a-z]*|level = $4|" -e "s|^dir = exports|dir = $W/$1/exports|" \
        -e "s|^dir = forms|dir = $TIPDESK_SRC/forms|" "$TIPDESK_SRC/config.ini" > "$W/$1/config.ini"
}
row() { printf '%-34s tipdesk %6s ms  sqlite3 %6s ms  ratio %s  target %s\n' "$1" "$2" "$3" \
        "$(awk -v a="$2" -v b="$3" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')" "$4"; }

DEMO="$BENCH_DIR/demo100k.db"
office demo "$DEMO" LA1301 district
if [ ! -f "$DEMO" ]; then
    echo "   building $DEMO (once)"
    "$TIPDESK" -c "$W/demo/config.ini" init >/dev/null && \
        "$TIPDESK" -c "$W/demo/config.ini" demo --cases 100000 >/dev/null || exit 1
fi

case "${BENCH_PARTS:-123}" in *1*|*2*) ;; *) SKIP12=1 ;; esac
if [ -z "$SKIP12" ]; then
# 1. CSV export of every case, the same columns and order as sqlite3 writes.
# Migrated first and read once, so neither side pays for a cold start.
"$TIPDESK" -c "$W/demo/config.ini" init >/dev/null || exit 1
cat "$DEMO" > /dev/null
t0=$(ms); "$TIPDESK" -c "$W/demo/config.ini" export csv cases -o "$W/t.csv" || exit 1; t1=$(ms)
cols=$(head -1 "$W/t.csv" | tr -d '\r' | sed 's/\([a-z_0-9]*\)/"\1"/g')
t2=$(ms)
sqlite3 -csv -header "$DEMO" "SELECT $cols FROM cases WHERE deleted_at IS NULL ORDER BY id" > "$W/s.csv"
t3=$(ms)
row "export 100k cases to CSV" $((t1 - t0)) $((t3 - t2)) "<= 1.5"
cmp -s "$W/t.csv" "$W/s.csv" && echo "   (same bytes as sqlite3 -csv)"
# The same file imported into a new database: tipdesk checks every row
# against the forms and writes its audit; sqlite3 only inserts the rows
# (the same triggers and indexes).  No target: how much the checks cost.
office csvin "$W/csvin.db" LA1301 district
"$TIPDESK" -c "$W/csvin/config.ini" init >/dev/null || exit 1
cp "$W/csvin.db" "$W/csvref.db"
t0=$(ms); "$TIPDESK" -c "$W/csvin/config.ini" import csv cases "$W/t.csv" >/dev/null || exit 1; t1=$(ms)
sel=$(head -1 "$W/t.csv" | tr -d '\r' | sed "s/\([a-z_0-9]*\)/nullif(\"\1\", '')/g")
t2=$(ms)
sqlite3 "$W/csvref.db" "PRAGMA synchronous=FULL" ".import --csv '$W/t.csv' csvrows" \
    "INSERT INTO cases ($cols) SELECT $sel FROM csvrows" || exit 1
t3=$(ms)
row "import 100k cases from CSV" $((t1 - t0)) $((t3 - t2)) "(none: checked, audited)"

# 2. A 100 000-record bundle into a 1 000 000-record centre.
# Cached per bundle format, so a new layout is measured with a bundle of its own.
BUNDLE="$BENCH_DIR/demo100k-f$(sed -n 's/^#define BUNDLE_FORMAT \([0-9]*\).*/\1/p' "$TIPDESK_SRC/include/bundle.h").tipx"
[ -f "$BUNDLE" ] || "$TIPDESK" -c "$W/demo/config.ini" export bundle --all --unsealed -o "$BUNDLE" 2>/dev/null >/dev/null || exit 1
BIG="$BENCH_DIR/centre1m.db"
office centre "$W/centre.db" LA centre
if [ ! -f "$BIG" ]; then
    echo "   building $BIG (once): 10 offices x 100 000 cases"
    office big "$BIG.tmp" LA centre
    rm -f "$BIG.tmp"*
    "$TIPDESK" -c "$W/big/config.ini" init >/dev/null || exit 1
    c=$(sqlite3 "$DEMO" "SELECT group_concat('\"' || name || '\"', ',') FROM pragma_table_info('cases')
                         WHERE name NOT IN ('id', 'uuid', 'ref', 'office')")
    for k in 1 2 3 4 5 6 7 8 9 10; do
        o=$(printf 'LA%02d' $((k + 1)))
        sqlite3 "$BIG.tmp" "ATTACH '$DEMO' AS d; INSERT INTO cases(uuid, ref, office, $c)
            SELECT lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2)
                   || '-a' || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6))),
                   '$o' || substr(ref, length(office) + 1), '$o', $c FROM d.cases" || exit 1
    done
    sqlite3 "$BIG.tmp" 'PRAGMA wal_checkpoint(TRUNCATE)' >/dev/null && mv "$BIG.tmp" "$BIG"
    rm -f "$BIG.tmp-wal" "$BIG.tmp-shm"
fi
cp "$BIG" "$W/centre.db"
# Peak resident memory of each (GNU time's %M, in kB) beside the time.
t0=$(ms); /usr/bin/time -f %M -o "$W/rss" "$TIPDESK" -c "$W/centre/config.ini" import --accept-unsigned "$BUNDLE" > "$W/out" \
    || { cat "$W/out"; exit 1; }; t1=$(ms)
rss=$(tail -1 "$W/rss")
echo "   $(head -1 "$W/out" | sed 's/.*: bundle/bundle/')"
rm -f "$W/centre.db"*
cp "$BIG" "$W/centre.db"
# The same merge by hand: upsert the records, replace children, add audit rows.
{
    echo "ATTACH '$BUNDLE' AS bx; BEGIN IMMEDIATE;"
    for t in cases prosecutions events; do
        c=$(sqlite3 "$BUNDLE" "SELECT group_concat('\"' || name || '\"', ',') FROM pragma_table_info('$t')")
        s=$(sqlite3 "$BUNDLE" "SELECT group_concat('\"' || name || '\"=excluded.\"' || name || '\"', ',')
                               FROM pragma_table_info('$t') WHERE name <> 'uuid'")
        echo "INSERT INTO $t($c) SELECT $c FROM bx.$t WHERE true ON CONFLICT(uuid) DO UPDATE SET $s;"
    done
    for t in case_events case_screening case_assistance suspects prosecution_victims audit_log; do
        c=$(sqlite3 "$BUNDLE" "SELECT group_concat('\"' || name || '\"', ',') FROM pragma_table_info('$t')")
        echo "INSERT INTO $t($c) SELECT $c FROM bx.$t;"
    done
    echo "COMMIT;"
} > "$W/upsert.sql"
t2=$(ms); /usr/bin/time -f %M -o "$W/rss" sqlite3 "$W/centre.db" < "$W/upsert.sql" || exit 1; t3=$(ms)
sq_rss=$(tail -1 "$W/rss")
row "import 100k bundle into 1M centre" $((t1 - t0)) $((t3 - t2)) "<= 1.5"
printf '%-34s tipdesk %6s MB  sqlite3 %6s MB  ratio %s  target <= 64 MB\n' "  its peak resident memory" \
    $((rss / 1024)) $((sq_rss / 1024)) "$(awk -v a="$rss" -v b="$sq_rss" 'BEGIN { printf "%.1f", (b > 0 ? a / b : 0) }')"
fi

# 3. Sealed against clear: the same 100 000 records into a new, empty centre.
# Both imports unlock the centre's keys and write a receipt; the sealed one
# also checks the signature and decrypts to a file beside the database.
export TIPDESK_PASSPHRASE='bench passphrase ບ້ານ ໂພນທັນ'
office sd "$DEMO" LA1301 district
office sc "$W/sc/centre.db" LA centre
[ -f "$BENCH_DIR/office.key" ] || "$TIPDESK" -c "$W/sd/config.ini" keys init --kdf interactive >/dev/null || exit 1
"$TIPDESK" -c "$W/sd/config.ini" keys export -o "$W/d.pub" >/dev/null || exit 1
"$TIPDESK" -c "$W/sc/config.ini" init >/dev/null && "$TIPDESK" -c "$W/sc/config.ini" keys init --kdf interactive >/dev/null &&
    "$TIPDESK" -c "$W/sc/config.ini" keys export -o "$W/c.pub" >/dev/null &&
    "$TIPDESK" -c "$W/sc/config.ini" keys import "$W/d.pub" >/dev/null || exit 1
"$TIPDESK" -c "$W/sd/config.ini" keys revoke LA >/dev/null 2>&1
"$TIPDESK" -c "$W/sd/config.ini" keys import "$W/c.pub" >/dev/null || exit 1
"$TIPDESK" -c "$W/sd/config.ini" export bundle --all --unsealed -o "$W/clear.tipx" >/dev/null 2>&1 || exit 1
"$TIPDESK" -c "$W/sd/config.ini" export bundle --all --to LA -o "$W/sealed.tipx" >/dev/null || exit 1
# Bytes per record: the bundle (records, child rows, audit rows) against
# every table of the same records as CSV, child tables included.
"$TIPDESK" -c "$W/sd/config.ini" export csv all -o "$W/csv" >/dev/null || exit 1
b_recs=$(sqlite3 "$W/clear.tipx" "SELECT sum(value) FROM manifest WHERE key IN ('count.cases', 'count.prosecutions', 'count.events')")
c_recs=$(sqlite3 "$DEMO" "SELECT (SELECT count(*) FROM cases WHERE deleted_at IS NULL)
    + (SELECT count(*) FROM prosecutions WHERE deleted_at IS NULL) + (SELECT count(*) FROM events WHERE deleted_at IS NULL)")
printf '%-34s bundle  %6s B   CSV     %6s B   ratio %s  target <= 2\n' "bytes per record" \
    $(($(wc -c < "$W/clear.tipx") / b_recs)) $(($(cat "$W/csv"/*.csv | wc -c) / c_recs)) \
    "$(awk -v a="$(wc -c < "$W/clear.tipx")" -v b="$(cat "$W/csv"/*.csv | wc -c)" -v n="$b_recs" -v m="$c_recs" \
       'BEGIN { printf "%.2f", (b > 0 ? (a / n) / (b / m) : 0) }')"
sqlite3 "$W/sc/centre.db" 'PRAGMA wal_checkpoint(TRUNCATE)' >/dev/null
cp "$W/sc/centre.db" "$W/centre0.db"
cat "$W/clear.tipx" "$W/sealed.tipx" > /dev/null
t0=$(ms); "$TIPDESK" -c "$W/sc/config.ini" import --accept-unsigned "$W/clear.tipx" > "$W/out" 2>&1 || { cat "$W/out"; exit 1; }; t1=$(ms)
rm -f "$W/sc/centre.db"* "$W/sc/exports"/*.tipr
cp "$W/centre0.db" "$W/sc/centre.db"
t2=$(ms); "$TIPDESK" -c "$W/sc/config.ini" import "$W/sealed.tipx" > "$W/out" 2>&1 || { cat "$W/out"; exit 1; }; t3=$(ms)
echo "   $(head -1 "$W/out" | sed 's/.*: bundle/bundle/'); sealed $(wc -c < "$W/sealed.tipx") bytes, clear $(wc -c < "$W/clear.tipx")"
printf '%-34s sealed  %6s ms  clear   %6s ms  ratio %s  target %s\n' "import 100k sealed vs clear" \
    $((t3 - t2)) $((t1 - t0)) "$(awk -v a=$((t3 - t2)) -v b=$((t1 - t0)) 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')" "<= 1.2"
