#!/bin/sh
# Screen test of export and import: a district office with 200 demo cases
# writes a bundle and a CSV file from the screen; a province office imports
# the bundle from the screen (dry run first, then for real), is told that a
# second import changes nothing, refuses a corrupt file with the database
# unchanged, lists the bundles not yet received, and shows it all in Lao.
# Bundles are signed and sealed: both offices have keys, and the passphrase
# is typed on the screen; the district sees which bundles have no receipt.
. tests/lib.sh
setup_office
umask 022
PASS='ກິນເຂົ້າ ບ້ານ ໂພນທັນ'
keys() {
    TIPDESK_PASSPHRASE="$PASS" "$TIPDESK" -c "$1" keys init --kdf interactive >/dev/null &&
    "$TIPDESK" -c "$1" keys export -o "$2" >/dev/null
}
"$TIPDESK" -c "$CFG" init >/dev/null 2>&1 || { fail "init"; exit 1; }
DB="$T/db/tipdesk.db"
if ! "$TIPDESK" -c "$CFG" demo --cases 200 --seed 5 >/dev/null 2>&1; then
    fail "demo data"; exit 1
fi
# The province: its own folder, config, forms and database.
P="$T/province"
mkdir -p "$P"
cp "$CFG" "$P/config.ini"
cp -r "$T/forms" "$P/forms"
set_config "$P/config.ini" office code LA13
set_config "$P/config.ini" office level province
"$TIPDESK" -c "$P/config.ini" init >/dev/null 2>&1 || { fail "province init"; exit 1; }
PDB="$P/db/tipdesk.db"
keys "$CFG" "$T/d.pub" && keys "$P/config.ini" "$T/p.pub" &&
    "$TIPDESK" -c "$CFG" keys import "$T/p.pub" >/dev/null &&
    "$TIPDESK" -c "$P/config.ini" keys import "$T/d.pub" >/dev/null || { fail "keys"; exit 1; }
pq() { sqlite3 -batch "$PDB" "$1"; }
# A checkpointed copy of the province database, to compare byte for byte.
snap() { pq 'PRAGMA wal_checkpoint(TRUNCATE)' >/dev/null; cp "$PDB" "$T/p.snap"; }
same() { pq 'PRAGMA wal_checkpoint(TRUNCATE)' >/dev/null; cmp -s "$PDB" "$T/p.snap"; }

# start CONFIG: tipdesk in a fresh 80x24 window; stderr to a file, since
# nothing may be printed there while the screens are up.
start() {
    tmx kill-session -t t 2>/dev/null
    tmx new-session -d -x 80 -y 24 -s t \
        "env TERM=tmux-256color LANG=C.UTF-8 '$TIPDESK' -c '$1' 2>>'$T/stderr'; echo EXITED \$?; sleep 60"
    wait_for "Victim cases" >/dev/null
}
# type_path PATH: the typed-path question of the bundle list, answered (keys
# are read in order, so the answer goes to the question p opens).
type_path() {
    k p C-u; l "$1"; k Enter
}

# ---- the district: a bundle and a CSV file ----
start "$CFG"
k 5
check "menu opens from home item 5" wait_for "Export a bundle of the changes since the last export"
check "menu lists the CSV export" wait_for "4  Export a table to CSV"
k 1
check "export asks first" wait_for "changed since the last export?  (y/n)"
k y
check "export asks the passphrase" wait_for "Passphrase of this office's keys:"
l "$PASS"
check "the passphrase is not shown" sh -c "! tmux -L $TMUX_SOCK capture-pane -p -t t | grep -q 'ກິນເຂົ້າ'"
k Enter
check "export shows the bundle written" wait_for "Bundle written"
B=$(ls "$T"/exports/LA1301_1_*.tipx 2>/dev/null)
check "the bundle file exists" test -f "$B"
check "no temporary file left" test "$(ls -A "$T/exports" | wc -l)" = 1
check "bundle and export folder are private (0600, 0700)" \
    test "$(stat -c %a "$B")" = 600 -a "$(stat -c %a "$T/exports")" = 700
check "screen shows the file's path" wait_for "exports/LA1301_1_"
cases=$(sql "SELECT count(*) FROM cases")
in_bundle=$(sql "SELECT json_extract(counts, '\$.cases') FROM exports")
check "bundle holds every case" test "$in_bundle" = "$cases"
check "screen shows the cases count" sh -c "tmux -L $TMUX_SOCK capture-pane -p -t t | grep -q 'Victim cases  *$cases '"
ev=$(sql "SELECT json_extract(counts, '\$.case_events') FROM exports")
check "screen shows the case events count" sh -c "tmux -L $TMUX_SOCK capture-pane -p -t t | grep -q 'Case events  *$ev\$'"
check "export recorded in the database" test "$(sql 'SELECT seq FROM exports')" = 1

k Escape
wait_for "5  Bundles not yet received" >/dev/null
k 4
check "CSV options open" wait_for "Coded values as"
k Down Right Right
check "values can be Lao labels" wait_for "Lao labels"
k Left Left Up
check "back to codes" wait_for "◀ codes ▶"
k F2
check "CSV export asks first" wait_for "Write the CSV file?  (y/n)"
k y
check "screen says the CSV file is written" wait_for "CSV file written"
C=$(ls "$T"/exports/cases_LA1301_*.csv 2>/dev/null)
check "the CSV file exists" test -f "$C"
check "CSV starts with the header row" sh -c "head -c 9 '$C' | grep -q '^uuid,ref'"
check "the CSV file is private (0600)" test "$(stat -c %a "$C")" = 600
live=$(sql "SELECT count(*) FROM cases WHERE deleted_at IS NULL")
check "screen shows the rows written" sh -c "tmux -L $TMUX_SOCK capture-pane -p -t t | grep -q 'Rows  *$live\$'"
# A file of another kind under that name is refused before asking, and kept.
k Escape
wait_for "Coded values as" >/dev/null
printf 'PK\003\004\024\000\006\000' > "$C"
tmx resize-window -t t -x 200 -y 24
k F2
check "CSV export refuses a file of another kind" wait_for "$(basename "$C"): exists and is a binary file"
check "... and leaves it as it was" sh -c "head -c 2 '$C' | grep -q PK"
tmx resize-window -t t -x 80 -y 24
for i in 1 2 3 4; do screen | grep -q "Prevention and NPA events" && break; k Escape; sleep 0.5; done
check "home shows the bundle without a receipt" wait_for "Bundles sent, no receipt back yet: 1"
k F10
check "district quits cleanly" wait_for "EXITED 0"

# ---- the province: import from the screen ----
records=$(sql "SELECT (SELECT count(*) FROM cases) + (SELECT count(*) FROM prosecutions) + (SELECT count(*) FROM events)")
start "$P/config.ini"
k 5
wait_for "3  Import bundles" >/dev/null
k 3
check "bundle list: nothing found in an empty export folder" wait_for "press p to type a path"
type_path "$B"
check "import asks the passphrase" wait_for "Passphrase of this office's keys:"
l "$PASS"; k Enter
check "dry run first, with what it would insert" wait_for "would be: inserted $records "
check "then asks to import for real" wait_for "Import the checked bundles for real?  (y/n)"
check "dry run wrote nothing" test "$(pq 'SELECT count(*) FROM cases') $(pq 'SELECT count(*) FROM imports')" = "0 0"
k y
check "summary shows the inserted count" wait_for "    inserted $records "
check "the province holds the cases" test "$(pq 'SELECT count(*) FROM cases')" = "$cases"
check "cases keep the district as their office" test "$(pq "SELECT DISTINCT office FROM cases")" = LA1301
check "the import is recorded" test "$(pq 'SELECT office, seq FROM imports')" = "LA1301|1"
check "the screen names the receipt written" wait_for "Receipt for the sender:"

# The same bundle again: nothing changes, and the screen says so.
snap
k Escape
wait_for "3  Import bundles" >/dev/null
k 3
wait_for "Type a path" >/dev/null
type_path "$B"
wait_for "Passphrase of this office's keys:" >/dev/null
l "$PASS"; k Enter
check "second import: already imported" wait_for "Already imported on"
check "second import: nothing changed" wait_for "nothing changed"
check "second import: no question asked" wait_for "Nothing to import: the database is unchanged."
check "second import leaves the database as it was" same

# A text file named like a bundle, found by typing its folder.
mkdir -p "$T/drop"
echo "not a bundle at all" > "$T/drop/x.tipx"
k Escape
wait_for "3  Import bundles" >/dev/null
k 3
wait_for "Type a path" >/dev/null
type_path "$T/drop"
check "a typed folder lists its bundles" wait_for "x.tipx"
k Enter
wait_for "Passphrase of this office's keys:" >/dev/null
l "$PASS"; k Enter
check "corrupt file refused" wait_for "x.tipx: refused"
check "the refusal says why" wait_for "not a tipdesk bundle"
check "the refusal says the database is unchanged" wait_for "The database is unchanged."
check "corrupt file left the database as it was" same

# In Lao: F9 translates the result shown.
k F9
check "Lao: the database is unchanged" wait_for "ຖານຂໍ້ມູນບໍ່ມີການປ່ຽນແປງ."
check "Lao: refused" wait_for "x.tipx: ຖືກປະຕິເສດ"
k Escape
check "Lao: the menu" wait_for "ນຳເຂົ້າຊຸດຂໍ້ມູນ"
k F9
wait_for "3  Import bundles" >/dev/null

# A gap: bundles 2 and 3 written, only 3 brought to the province's folder.
TIPDESK_PASSPHRASE="$PASS" "$TIPDESK" -c "$CFG" export bundle >/dev/null 2>&1
TIPDESK_PASSPHRASE="$PASS" "$TIPDESK" -c "$CFG" export bundle >/dev/null 2>&1
mkdir -p "$P/exports"
cp "$T"/exports/LA1301_3_*.tipx "$P/exports/"
k 3
check "the export folder is listed" wait_for "LA1301_3_"
k Enter
wait_for "Passphrase of this office's keys:" >/dev/null
l "$PASS"; k Enter
wait_for "(y/n)" >/dev/null
k y
check "bundle 3 imported" wait_for "Imported:"
check "the import reports the gap" wait_for "LA1301: bundles not received: 2"
k Escape
wait_for "5  Bundles not yet received" >/dev/null
k 5
check "bundles not yet received: the gap" wait_for "LA1301: bundles not received: 2"

# Larger terminals show the same.
tmx resize-window -t t -x 100 -y 30
check "results still shown at 100x30" wait_for "LA1301: bundles not received: 2"
k F10
check "province quits cleanly" wait_for "EXITED 0"
check "nothing printed on stderr" test ! -s "$T/stderr" || { sed "s/^/# /" "$T/stderr"; false; }

# The receipts go back to the district: bundle 1 and 3 acknowledged, 2 not.
"$TIPDESK" -c "$CFG" import "$P"/exports/LA1301_*_receipt_LA13.tipr >/dev/null 2>&1
start "$CFG"
check "home lists only the bundle without a receipt" wait_for "Bundles sent, no receipt back yet: 2"
k F10
wait_for "EXITED 0" >/dev/null
