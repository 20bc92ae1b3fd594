#!/bin/sh
# Saving one record through the screen, as a clerk does: the case list by
# reference, Enter on the first case, a new date typed over the old one, F3
# (save).  The program logs the time from the key read to the list redrawn
# after the save (TIPDESK_BENCH_LOG), so tmux's own delays are not counted.
# Done twice, the second time with the disk's flush taken out
# (tests/bench_nosync.c), which is what the target counts.
# Next to it, sqlite3 doing the write a save needs: the UPDATE of the record
# and its audit row in one transaction (synchronous=FULL, as tipdesk).
# The case (the first by reference) gets its own date and status back at
# the end.  Prints figures; asserts nothing.
: "${TIPDESK:=$(pwd)/tipdesk}" "${TIPDESK_SRC:=$(pwd)}" "${BENCH_DIR:=/tmp/tipdesk-bench}"
DB=${BENCH_DB:-$BENCH_DIR/demo100k.db}
[ -f "$DB" ] || { echo "   no $DB: run tests/bench_demo.sh first"; exit 1; }
W=$(mktemp -d /tmp/tipdesk-bench-save.XXXXXX)
SOCK="tipdesk-bench-save-$$"
trap 'tmux -L "$SOCK" kill-server 2>/dev/null; rm -rf "$W"' EXIT
sed -e "s|^path = .*|path = $DB|" -e "s|^dir = forms.*|dir = $TIPDESK_SRC/forms|" \
    "$TIPDESK_SRC/config.ini" > "$W/config.ini"
"$TIPDESK" -c "$W/config.ini" init >/dev/null || exit 1     # migrations, if any

tm() { tmux -L "$SOCK" -f /dev/null "$@"; }
wait_text() {
    i=0
    while [ $i -lt 3000 ]; do
        tm capture-pane -p -t t | grep -qF -- "$1" && return 0
        i=$((i + 1))
    done
    echo "   (timed out waiting for $1)"; tm capture-pane -p -t t | sed "s/^/   | /"; return 1
}
now() { date +%s%N; }

first=$(sqlite3 "$DB" "SELECT ref FROM cases WHERE deleted_at IS NULL ORDER BY ref LIMIT 1")
orig=$(sqlite3 "$DB" "SELECT registered_on FROM cases WHERE ref = '$first'")
status=$(sqlite3 "$DB" "SELECT status FROM cases WHERE ref = '$first'")
dmy() { echo "$1" | awk -F- '{ print $3 "/" $2 "/" $1 }'; }
# saves PRELOAD: starts the screens (with LD_PRELOAD=PRELOAD when not
# empty), saves the first case SAVES times, each with a date of its own,
# saves it once more with its own date back, quits, and prints the median
# and the maximum of the saves (ms) and how many there were.
saves() {
    log="$W/keys$2.log"
    tm new-session -d -x 80 -y 24 -s t \
        "env TERM=tmux-256color LANG=C.UTF-8 LD_PRELOAD='$1' TIPDESK_BENCH_LOG='$log' '$TIPDESK' -c '$W/config.ini'; echo EXITED; sleep 60"
    wait_text "Victim cases" >&2 || return 1
    tm send-keys -t t 1; wait_text "records" >&2 || return 1
    tm send-keys -t t s; wait_text "oldest first" >&2 || return 1
    tm send-keys -t t s; wait_text "by reference" >&2 || return 1
    round=1
    while [ $round -le "${SAVES:-10}" ]; do
        save "$(printf '%02d/01/2019' "$round")" >&2 || return 1
        round=$((round + 1))
    done
    save "$(dmy "$orig")" >&2 || return 1
    sleep 0.3
    tm send-keys -t t F10
    wait_text "EXITED" >/dev/null
    tm kill-server 2>/dev/null
    [ -n "$BENCH_KEEP_LOG" ] && cp "$log" "$BENCH_KEEP_LOG$2"
    # ACT_DRAFT (F3) is action 3 in the log; the last one restored the date.
    awk '$1 == 3 { v[n++] = $2 } END { for (i = 0; i < n - 1; i++) print v[i] }' "$log" \
        | sort -n | awk '{ v[NR] = $1 } END { printf "%.2f %.2f %d", v[int((NR + 1) / 2)] / 1000, v[NR] / 1000, NR }'
}
# save FORM-DATE: opens the first case, types the date, F3.
save() {
    rev=$(sqlite3 "$DB" "SELECT rev + 1 FROM cases WHERE ref = '$first'")
    tm send-keys -t t Enter; wait_text "Date identified" || return 1
    tm send-keys -t t C-u; tm send-keys -t t -l "$1"; wait_text "$1" || return 1
    tm send-keys -t t F3
    wait_text "$first Saved (revision $rev)" || return 1
}
# The same saves twice: as they are, then with fsync and fdatasync made to
# return at once (tests/bench_nosync.c), which is the save "excluding the
# disk's fsync"; the difference is what the disk's flush costs a save here.
${CC:-cc} -shared -fPIC -o "$W/nosync.so" "$TIPDESK_SRC/tests/bench_nosync.c" || exit 1
set -- $(saves "" "") $(saves "$W/nosync.so" .nosync)
[ $# -eq 6 ] || { echo "   (the saves did not finish)"; exit 1; }
t_med=$1 t_max=$2 n=$3 nf_med=$4 nf_max=$5

# sqlite3: the same write, best of 5 (the program's start included).
best=0
for i in 1 2 3 4 5; do
    t0=$(now)
    sqlite3 "$DB" "PRAGMA synchronous=FULL; BEGIN IMMEDIATE;
        UPDATE cases SET registered_on = registered_on, rev = rev + 1, updated_at = strftime('%Y-%m-%dT%H:%M:%SZ')
            WHERE ref = '$first';
        INSERT INTO audit_log(at, user, office, tbl, uuid, action, rev, changes)
            SELECT updated_at, 'bench', office, 'cases', uuid, 'update', rev, '{}' FROM cases WHERE ref = '$first';
        COMMIT;" >/dev/null
    t1=$(now); d=$(( (t1 - t0) / 1000 ))
    { [ $best -eq 0 ] || [ $d -lt $best ]; } && best=$d
done
sqlite3 "$DB" "UPDATE cases SET rev = rev - 5, status = '$status' WHERE ref = '$first';
    DELETE FROM audit_log WHERE user = 'bench'"
echo "   (tipdesk from the key to the list drawn again; sqlite3's includes starting the program)"
printf '   %-26s tipdesk %8s ms   sqlite3 %8s ms   ratio %5s   (max %s ms)\n' \
    "save one case (median of $n)" "$t_med" "$(awk -v b=$best 'BEGIN { printf "%.2f", b / 1000 }')" \
    "$(awk -v a="$t_med" -v b=$best 'BEGIN { printf "%.1f", b ? a * 1000 / b : 0 }')" "$t_max"
printf '   %-26s tipdesk %8s ms   (max %s ms)   target <= 5 ms\n' \
    "save without the fsync" "$nf_med" "$nf_max"
printf '   %-26s %8s ms   (the first line less the second)\n' \
    "the disk's fsync in a save" "$(awk -v a="$t_med" -v b="$nf_med" 'BEGIN { printf "%.2f", a - b }')"
