#!/bin/sh
# Screen test of the reports screen over 300 demo cases: the victims chart at
# 80x24 (title, legend, bars, the same numbers as `tipdesk report`), Lao
# labels after F9, CSV export of what is shown, years and breakdown, the
# prosecution funnel, the table view, a terminal too small, and more lines and
# longer bars at 100x30.
. tests/lib.sh
setup_office
umask 022
"$TIPDESK" -c "$CFG" init >/dev/null 2>&1 || { fail "init"; exit 1; }
"$TIPDESK" -c "$CFG" demo --cases 300 --seed 5 >/dev/null 2>&1 || { fail "demo data"; exit 1; }

# The screen's lines for row LABEL (a year, "Total"), spaces squeezed.
row() { screen | grep -E "^ $1 " | head -1; }
# The numbers at the end of a line, after the bar.
numbers() { sed 's/[^0-9 ]/ /g' | awk '{ for (i = NF - '"$2"' + 1; i <= NF; i++) printf "%s%s", $i, (i < NF ? "," : "\n") }'; }
blocks() { grep -o '[█▏▎▍▌▋▊▉]' | wc -l; }
# The most block characters on one line of the screen: the longest bar.
longest() { screen | while IFS= read -r l; do printf '%s\n' "$l" | blocks; done | sort -n | tail -1; }

"$TIPDESK" -c "$CFG" report victims --by year --format csv | tr -d '\r' > "$T/cli.csv"
year=$(sed -n 2p "$T/cli.csv" | cut -d, -f1)
expect=$(sed -n 2p "$T/cli.csv" | cut -d, -f2-6)

tmx new-session -d -x 80 -y 24 -s t \
    "env TERM=tmux-256color LANG=C.UTF-8 '$TIPDESK' -c '$CFG'; echo EXITED \$?; sleep 60"
check "home is shown" wait_for "Reports"
k 4
check "victims chart title" wait_for "Identified victims by year"
check "legend names female and male" sh -c "tmux -L $TMUX_SOCK capture-pane -p -t t | grep -q '█ Female  █ Male'"
check "bars of block characters" test "$(screen | blocks)" -gt 20
check "first year $year is a row" sh -c "tmux -L $TMUX_SOCK capture-pane -p -t t | grep -qE '^ $year '"
got=$(row "$year" | numbers x 5)
check "numbers of $year equal the CLI's ($expect)" test "$got" = "$expect"
check "filters from the report library" wait_for "Filters: period all years; by year"
longest80=$(longest)
check "key bar from the key table" sh -c "tmux -L $TMUX_SOCK capture-pane -p -t t | tail -2 | grep -q 'c Chart/table'"

k F9
check "Lao title after F9" wait_for "ຜູ້ເຄາະຮ້າຍທີ່ຖືກກຳນົດຕົວ"
check "Lao filters" wait_for "ຕົວກອງ: ໄລຍະ ທຸກປີ; ຕາມປີ"
check "Lao legend" sh -c "tmux -L $TMUX_SOCK capture-pane -p -t t | grep -q '█ ຍິງ  █ ຊາຍ'"
check "Lao key bar" sh -c "tmux -L $TMUX_SOCK capture-pane -p -t t | tail -2 | grep -q 'ສົ່ງອອກ CSV'"
check "same numbers in Lao" test "$(row "$year" | numbers x 5)" = "$expect"
k F9
wait_for "Identified victims by year" >/dev/null

# Export what is shown: the same bytes as `tipdesk report ... --format csv`.
k e
check "export says the path" wait_for "Written: $T/exports/report_victims_by_year.csv"
"$TIPDESK" -c "$CFG" report victims --by year --format csv > "$T/cli_raw.csv"
check "exported CSV equals the CLI's" cmp -s "$T/exports/report_victims_by_year.csv" "$T/cli_raw.csv"
check "exported CSV is private (0600)" test "$(stat -c %a "$T/exports/report_victims_by_year.csv")" = 600
check "export folder is private (0700)" test "$(stat -c %a "$T/exports")" = 700
check "the database's -wal and -shm are 0600 while the screens run" \
    test "$(stat -c %a "$T/db/tipdesk.db-wal")" = 600 -a "$(stat -c %a "$T/db/tipdesk.db-shm")" = 600
# Never over a file of another kind: the screen says so and leaves it.
printf 'PK\003\004\024\000\006\000' > "$T/exports/report_victims_by_year.csv"
tmx resize-window -t t -x 200 -y 24
k e
check "export refuses a file of another kind" wait_for "report_victims_by_year.csv: exists and is a binary file"
check "... and leaves it as it was" sh -c "head -c 2 '$T/exports/report_victims_by_year.csv' | grep -q PK"
rm -f "$T/exports/report_victims_by_year.csv"
tmx resize-window -t t -x 80 -y 24
wait_for "Identified victims by year" >/dev/null

# Years: a range narrows the rows and the export; a bad answer is refused.
k f
# The question itself is on the message line, which the layout redraws over
# it; the prompt's own keys show that it is asking.
check "years are asked" wait_for "Enter Open"
k C-u; tmx send-keys -t t -l "2020-2022"; k Enter
check "period in the filters" wait_for "period 2020-2022"
check "2021 shown" sh -c "tmux -L $TMUX_SOCK capture-pane -p -t t | grep -qE '^ 2021 '"
check "2019 not shown" sh -c "! tmux -L $TMUX_SOCK capture-pane -p -t t | grep -qE '^ 2019 '"
k e
check "export names the period" wait_for "report_victims_by_year_2020-2022.csv"
"$TIPDESK" -c "$CFG" report victims --by year --from 2020 --to 2022 --format csv > "$T/cli_2020.csv"
check "period export equals the CLI's" cmp -s "$T/exports/report_victims_by_year_2020-2022.csv" "$T/cli_2020.csv"
k f; wait_for "Enter Open" >/dev/null
k C-u; tmx send-keys -t t -l "20x0"; k Enter
check "bad years refused" wait_for "write a year such as 2015"
check "period kept" wait_for "period 2020-2022"
k f; wait_for "Enter Open" >/dev/null
k C-u; k Enter
check "empty years: all years again" wait_for "period all years"

# Breakdown by province; the table view has the total row.
k b
check "b: victims by province" wait_for "Identified victims by province"
k c
check "table view shows the total row" wait_for "Total"
check "table columns named" sh -c "tmux -L $TMUX_SOCK capture-pane -p -t t | grep -q 'Province.*Female.*Male.*Total'"
k c

# The prosecution funnel, side by side per year.
k Tab
check "Tab: prosecutions" wait_for "Prosecutions: cases and persons by stage"
check "funnel legend" sh -c "tmux -L $TMUX_SOCK capture-pane -p -t t | grep -q '█ Investigations  █ Prosecutions  █ Convictions'"
lines80=$(screen | grep -cE '^ .*(Investigations|Prosecutions|Convictions) ')

tmx resize-window -t t -x 60 -y 20
check "too small at 60x20" wait_for "Terminal too small"
tmx resize-window -t t -x 100 -y 30
check "funnel back at 100x30" wait_for "Prosecutions: cases and persons by stage"
lines100=$(screen | grep -cE '^ .*(Investigations|Prosecutions|Convictions) ')
check "more funnel lines at 100x30 ($lines80 -> $lines100)" test "$lines100" -gt "$lines80"
k BTab
check "Shift-Tab: back to victims" wait_for "Identified victims by year"
longest100=$(longest)
check "longer bars at 100x30 ($longest80 -> $longest100 cells)" test "$longest100" -gt "$longest80"
check "numbers still equal at 100x30" test "$(row "$year" | numbers x 5)" = "$expect"

k Escape
check "Esc back to home" wait_for "Victim cases"
k F10
check "quit" wait_for "EXITED 0"
