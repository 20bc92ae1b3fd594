#!/bin/sh
# Benchmark of the screens over 100 000 demo cases (docs/ARCHITECTURE.md, "Tests and measurements"): time to
# the first drawn screen, list pages (first, middle, last), a three-character
# Lao search, and the peak memory of the program, each next to sqlite3 doing
# the same query.  Prints figures; asserts nothing.
: "${TIPDESK:=$(pwd)/tipdesk}"
: "${BENCH_DIR:=/tmp/tipdesk-bench}"
SRC=$(pwd)
DB=${BENCH_DB:-$BENCH_DIR/demo100k.db}
W="$BENCH_DIR/ui"
SOCK="tipdesk-bench-$$"
mkdir -p "$W"
trap 'tmux -L "$SOCK" kill-server 2>/dev/null; rm -rf "$W"' EXIT

cp "$SRC/config.ini" "$W/config.ini"
cp -r "$SRC/forms" "$W/forms"
sed -i "s|^path = .*|path = $DB|" "$W/config.ini"
if [ ! -f "$DB" ]; then
    echo "   building $DB (100 000 cases; takes minutes)"
    "$TIPDESK" -c "$W/config.ini" init >/dev/null && \
        "$TIPDESK" -c "$W/config.ini" demo --cases 100000 --seed 1 >/dev/null || exit 1
fi
CFG="$W/config.ini"

now() { date +%s%N; }
ms() { echo "$1" | awk '{ printf "%.1f", $1 / 1000000 }'; }
# best of N runs of a command, in ns
best() {
    n=$1; shift; b=0
    for i in $(seq "$n"); do
        t0=$(now); "$@" >/dev/null 2>&1; t1=$(now)
        d=$((t1 - t0)); { [ $b -eq 0 ] || [ $d -lt $b ]; } && b=$d
    done
    echo $b
}
line() { printf '   %-26s tipdesk %8s ms   sqlite3 %8s ms   ratio %5s   target %s\n' \
    "$1" "$(ms "$2")" "$(ms "$3")" "$(echo "$2 $3" | awk '{ printf "%.1f", $2 ? $1 / $2 : 0 }')" "$4"; }
tm() { tmux -L "$SOCK" -f /dev/null "$@"; }

# 1. start to the first drawn screen: draws home once (counts included) and exits
# Each run its own session and channel, and a bounded wait: a run that
# fails to start must not hang the benchmark.
run_n=0
start_once() {
    run_n=$((run_n + 1))
    tm new-session -d -x 80 -y 24 -s "s$run_n" \
        "env TERM=tmux-256color LANG=C.UTF-8 TIPDESK_BENCH_START=1 '$TIPDESK' -c '$CFG' >/dev/null; tmux -L $SOCK wait-for -S done$run_n"
    timeout 20 tmux -L "$SOCK" -f /dev/null wait-for "done$run_n"
}
t_start=$(best 5 start_once)
t_sq=$(best 5 sqlite3 "$DB" "SELECT count(*) FROM cases WHERE deleted_at IS NULL")
# tmux itself costs something: measure an empty program the same way
empty_once() {
    run_n=$((run_n + 1))
    tm new-session -d -x 80 -y 24 -s "s$run_n" "true; tmux -L $SOCK wait-for -S done$run_n"
    timeout 20 tmux -L "$SOCK" -f /dev/null wait-for "done$run_n"
}
t_empty=$(best 5 empty_once)
line "start to first screen" $((t_start - t_empty)) "$t_sq" "<= 100 ms, <= 3x"

# 2. list pages and search inside the running program: the program logs,
#    per key, the time from reading the key to the screen redrawn
#    (TIPDESK_BENCH_LOG), so tmux's own delays are not counted.
LOG="$W/keys.log"
tm new-session -d -x 80 -y 24 -s t \
    "env TERM=tmux-256color LANG=C.UTF-8 TIPDESK_BENCH_LOG='$LOG' '$TIPDESK' -c '$CFG'"
wait_text() {
    i=0
    while [ $i -lt 3000 ]; do
        tm capture-pane -p -t t | grep -qF -- "$1" && return 0
        i=$((i + 1))
    done
    echo "   (timed out waiting for $1)"; return 1
}
# the last logged time of action ACT, in ns
logged() { awk -v a="$1" '$1 == a { t = $2 } END { print t * 1000 }' "$LOG"; }
stats() {   # ACT: "mean max" over every logged key of ACT, in ms
    awk -v a="$1" '$1 == a { s += $2; n++; if ($2 > m) m = $2 }
        END { printf "%.2f %.2f %d", n ? s / n / 1000 : 0, m / 1000, n }' "$LOG"; }
wait_text "Victim cases"
tm send-keys -t t 1
wait_text "records"
pid=$(pgrep -P "$(tm display -p -t t '#{pane_pid}')" -f tipdesk || tm display -p -t t '#{pane_pid}')
q="SELECT ref FROM cases WHERE deleted_at IS NULL ORDER BY ifnull(registered_on, '') DESC, id DESC"
last=$(sqlite3 "$DB" "SELECT ref FROM cases WHERE deleted_at IS NULL ORDER BY ifnull(registered_on, '') ASC, id ASC LIMIT 1")
first=$(sqlite3 "$DB" "$q LIMIT 1")
tm send-keys -t t End; wait_text "$last"; t_last=$(logged 12)
tm send-keys -t t Home; wait_text "$first"; t_first=$(logged 11)
line "first page (Home)" "$t_first" "$(best 3 sqlite3 "$DB" "$q LIMIT 17")" "<= 10 ms"
line "last page (End)" "$t_last" "$(best 3 sqlite3 "$DB" "SELECT ref FROM cases WHERE deleted_at IS NULL ORDER BY ifnull(registered_on, '') ASC, id ASC LIMIT 17")" "<= 10 ms"
# the middle of the list, by key as the list pages from there
mid=$(sqlite3 "$DB" "SELECT ifnull(registered_on, '') || '|' || id FROM cases WHERE deleted_at IS NULL ORDER BY ifnull(registered_on, '') DESC, id DESC LIMIT 1 OFFSET 50000")
s_mid=$(best 3 sqlite3 "$DB" "SELECT ref FROM cases WHERE deleted_at IS NULL AND ifnull(registered_on, '') <= '${mid%|*}' AND (ifnull(registered_on, '') < '${mid%|*}' OR id < ${mid#*|}) ORDER BY ifnull(registered_on, '') DESC, id DESC LIMIT 17")
i=0; while [ $i -lt 100 ]; do tm send-keys -t t NPage; i=$((i + 1)); done
wait_text "$(sqlite3 "$DB" "$q LIMIT 1 OFFSET 1700")"
set -- $(stats 10)
line "PgDn x$3 (mean; max $2 ms)" "$(echo "$1" | awk '{ print $1 * 1000000 }')" "$s_mid" "<= 10 ms at every position"
tm send-keys -t t End; wait_text "$last"
i=0; while [ $i -lt 100 ]; do tm send-keys -t t PPage; i=$((i + 1)); done
sleep 1
set -- $(stats 9)
line "PgUp x$3 from the end (mean)" "$(echo "$1" | awk '{ print $1 * 1000000 }')" "$s_mid" "<= 10 ms at every position"

# 3. a three-character Lao search, typed key by key (1 and 2 characters
#    search the table itself, 3 use the trigram index)
tm send-keys -t t Home /
wait_text "Search"
n=$(sqlite3 "$DB" "SELECT count(*) FROM cases WHERE deleted_at IS NULL AND id IN (SELECT rowid FROM cases_fts WHERE cases_fts MATCH '\"ສົມ\"')")
: > "$LOG.mark"; before=$(wc -l < "$LOG")
tm send-keys -t t -l "ສ"; sleep 0.5; tm send-keys -t t -l "ົ"; sleep 0.5; tm send-keys -t t -l "ມ"
# The list counts matches up to 1000 ("1000+ records").
if [ "$n" -ge 1000 ]; then wait_text "1000+ records"; else wait_text "$n records"; fi
sleep 0.3
t3=$(tail -n +$((before + 1)) "$LOG" | awk '$1 == 0 { t = $2 } END { print t * 1000 }')
t1=$(tail -n +$((before + 1)) "$LOG" | awk '$1 == 0 { print $2 * 1000; exit }')
t2=$(tail -n +$((before + 1)) "$LOG" | awk '$1 == 0 && ++n == 2 { print $2 * 1000; exit }')
# The count of a short search is taken when no key waits (action 99).
c2=$(tail -n +$((before + 1)) "$LOG" | awk '$1 == 0 { n++ } $1 == 99 && n == 2 { print $2 * 1000; exit }')
# What the screen asks: the matches counted up to 1000, and the newest page.
s_search=$(best 3 sqlite3 "$DB" "SELECT count(*) FROM (SELECT 1 FROM (SELECT rowid AS hit FROM cases_fts WHERE cases_fts MATCH '\"ສົມ\"') h JOIN cases ON cases.id = h.hit WHERE deleted_at IS NULL LIMIT 1000); SELECT cases.id, ref, first_name, last_name FROM (SELECT rowid AS hit FROM cases_fts WHERE cases_fts MATCH '\"ສົມ\"') h JOIN cases ON cases.id = h.hit WHERE deleted_at IS NULL ORDER BY h.hit DESC LIMIT 20")
line "Lao search 'ສົມ' (3rd key)" "$t3" "$s_search" "<= 20 ms"
s1=$(best 3 sqlite3 "$DB" "SELECT count(*) FROM cases WHERE deleted_at IS NULL AND (first_name LIKE '%ສ%' OR last_name LIKE '%ສ%' OR home_village LIKE '%ສ%' OR ref LIKE '%ສ%')")
line "search, 1st key (no index)" "$t1" "$s1" "(under 3 characters)"
like2="(first_name LIKE '%ສົ%' OR last_name LIKE '%ສົ%' OR home_village LIKE '%ສົ%' OR ref LIKE '%ສົ%')"
s2=$(best 3 sqlite3 "$DB" "SELECT ref FROM cases WHERE deleted_at IS NULL AND $like2 ORDER BY ifnull(registered_on, '') DESC, id DESC LIMIT 17")
line "Lao search 'ສົ' (2nd key)" "$t2" "$s2" "<= 10 ms"
s2c=$(best 3 sqlite3 "$DB" "SELECT count(*) FROM (SELECT 1 FROM cases WHERE deleted_at IS NULL AND $like2 LIMIT 1000)")
line "  its count, when idle" "${c2:-0}" "$s2c" "(after the rows)"

# 4. peak memory of the program after all that
hwm=$(awk '/VmHWM/ { print $2 }' "/proc/$pid/status" 2>/dev/null)
sq_hwm=$( (/usr/bin/time -f %M sqlite3 "$DB" "$q LIMIT 17" >/dev/null) 2>&1 | tail -1)
printf '   %-26s tipdesk %8s kB   sqlite3 %8s kB                 target <= 16384 kB\n' \
    "peak resident memory" "${hwm:-?}" "${sq_hwm:-?}"
echo "   (sqlite3 figures include starting the sqlite3 program; screen figures are"
echo "    measured inside tipdesk from the key read to the screen redrawn)"
tm send-keys -t t F10
