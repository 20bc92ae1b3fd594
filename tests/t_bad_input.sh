#!/bin/sh
# A catalogue of bad input: every case must fail with a non-zero exit, a
# message on stderr whose every line names the file, no control byte on
# stderr, and the centre's database (clear bundles let in with --accept-unsigned, so the checks inside the envelope are reached) byte for byte as it was.
#
# One line per case in CASES below, fields separated by '|':
#   NAME  what the case is
#   MAKE  shell run first to make the bad input (in $T; $GOOD is a good
#         bundle of LA1301, forge FILE SQL changes a copy of it); no '|'
#         in it: put pipelines in a function above
#   ARGS  tipdesk's arguments after -c CONFIG (evaluated; $IN is $T/in)
#   FILE  the file's name as the message must show it
#   WANT  a fixed string the message holds
# To add CSV, config or output-path cases, add lines; MAKE may also write a
# config file and ARGS use -c with it (the database checked is always p's).
. tests/lib.sh
setup_office

office() {
    mkdir -p "$T/$1"
    cp "$CFG" "$T/$1/config.ini"
    cp -r "$T/forms" "$T/$1/forms"
    set_config "$T/$1/config.ini" office code "$2"
    set_config "$T/$1/config.ini" office level "$3"
    "$TIPDESK" -c "$T/$1/config.ini" init >/dev/null
}
office d LA1301 district
office p LA centre
"$TIPDESK" -c "$T/d/config.ini" demo --cases 30 --prosecutions 4 --events 5 --seed 21 >/dev/null
GOOD="$T/good.tipx"
"$TIPDESK" -c "$T/d/config.ini" export bundle --unsealed -o "$GOOD" >/dev/null 2>&1
IN="$T/in"
mkdir -p "$IN"
P="$T/p/config.ini"
DB="$T/p/db/tipdesk.db"
forge() { cp "$GOOD" "$1"; sqlite3 "$1" "$2" >/dev/null; }
# flip FILE: a copy of the good bundle with one byte of a ref changed.
flip() {
    cp "$GOOD" "$1"
    off=$(grep -boa 'LA1301-20' "$1" | tail -1 | cut -d: -f1)
    printf X | dd of="$1" bs=1 seek="$off" conv=notrunc 2>/dev/null
}
digest() { sqlite3 "$DB" 'PRAGMA wal_checkpoint(TRUNCATE)' >/dev/null; sha256sum "$DB" | cut -d' ' -f1; }
ESC=$(printf '\033')
# long_csv FILE: a case whose first name is 2 000 Lao letters.
long_csv() {
    { printf 'first_name,sex,registered_on,identified_by\n'
      i=0; while [ $i -lt 2000 ]; do printf 'ສ'; i=$((i + 1)); done
      printf ',F,2026-01-02,Police\n'; } > "$1"
}
# bad_config NAME SECTION KEY VALUE: p's config, beside it as NAME, with one
# value changed.
bad_config() { cp "$P" "$T/p/$1"; set_config "$T/p/$1" "$2" "$3" "$4"; }
# long_line FILE: a config whose name line is 1 100 bytes.
long_line() { printf '[office]\ncode = LA13\nname = %s\n' "$(head -c 1100 /dev/zero | tr '\0' x)" > "$1"; }
# bad_forms DIR CONFIG: a copy of the forms whose first field names no column.
bad_forms() {
    cp -r "$T/forms" "$1"
    sed -i '0,/^column *=.*/s//column = no_such_column/' "$1/case.ini"
    bad_config bf.ini forms dir "$1"
}

CASES=$(cat <<'EOF'
truncated bundle|head -c 20000 "$GOOD" > "$IN/truncated.tipx"|import --accept-unsigned "$IN/truncated.tipx"|truncated.tipx|the bundle is truncated
flipped byte|flip "$IN/flip.tipx"|import --accept-unsigned "$IN/flip.tipx"|flip.tipx|ask LA1301 to export it again
empty file|: > "$IN/empty.tipx"|import --accept-unsigned "$IN/empty.tipx"|empty.tipx|not a tipdesk bundle (not an SQLite file)
missing file|:|import --accept-unsigned "$IN/missing.tipx"|missing.tipx|cannot open
text file|printf 'office,seq\nLA1301,1\n' > "$IN/text.tipx"|import --accept-unsigned "$IN/text.tipx"|text.tipx|not a tipdesk bundle (not an SQLite file)
other SQLite program|sqlite3 "$IN/other.tipx" 'CREATE TABLE t(x)'|import --accept-unsigned "$IN/other.tipx"|other.tipx|an SQLite file of another program
a tipdesk database|:|import --accept-unsigned "$T/d/db/tipdesk.db"|tipdesk.db|a tipdesk database, not a bundle
newer schema|forge "$IN/newer.tipx" "UPDATE manifest SET value = '99' WHERE key = 'schema_version'"|import --accept-unsigned "$IN/newer.tipx"|newer.tipx|made by a newer tipdesk
newer format|forge "$IN/format.tipx" "UPDATE manifest SET value = '9' WHERE key = 'format_version'"|import --accept-unsigned "$IN/format.tipx"|format.tipx|made by a newer tipdesk
no manifest|forge "$IN/nomani.tipx" "DROP TABLE manifest"|import --accept-unsigned "$IN/nomani.tipx"|nomani.tipx|the bundle lacks the table 'manifest'
view named like a table|forge "$IN/view.tipx" "ALTER TABLE cases RENAME TO c2; CREATE VIEW cases AS SELECT * FROM c2"|import --accept-unsigned "$IN/view.tipx"|view.tipx|the bundle holds the view 'cases'
view of the manifest|forge "$IN/mview.tipx" "ALTER TABLE manifest RENAME TO m2; CREATE VIEW manifest AS SELECT * FROM m2"|import --accept-unsigned "$IN/mview.tipx"|mview.tipx|the bundle holds the view 'manifest'
recursive view|forge "$IN/rec.tipx" "ALTER TABLE events RENAME TO e2; CREATE VIEW events AS WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT e2.* FROM r, e2"|import --accept-unsigned "$IN/rec.tipx"|rec.tipx|the bundle holds the view 'events'
trigger|forge "$IN/trigger.tipx" "CREATE TRIGGER tg AFTER INSERT ON cases BEGIN SELECT 1; END"|import --accept-unsigned "$IN/trigger.tipx"|trigger.tipx|the bundle holds the trigger 'tg'
extra table|forge "$IN/extra.tipx" "CREATE TABLE evil(x)"|import --accept-unsigned "$IN/extra.tipx"|extra.tipx|the bundle holds the table 'evil'
extra index|forge "$IN/index.tipx" "CREATE INDEX by_ref ON cases(ref)"|import --accept-unsigned "$IN/index.tipx"|index.tipx|the bundle holds the index 'by_ref'
column of its own|forge "$IN/column.tipx" "ALTER TABLE cases ADD COLUMN secret TEXT"|import --accept-unsigned "$IN/column.tipx"|column.tipx|column cases.secret is unknown
WAL-mode bundle|forge "$IN/wal.tipx" "PRAGMA journal_mode=WAL"|import --accept-unsigned "$IN/wal.tipx"|wal.tipx|WAL mode
100 MB value|forge "$IN/huge.tipx" "UPDATE cases SET notes = CAST(zeroblob(100000000) AS TEXT) WHERE rowid = 1"|import --accept-unsigned "$IN/huge.tipx"|huge.tipx|longer than 8 MB
absurd sequence number|forge "$IN/seq.tipx" "UPDATE manifest SET value = '9223372036854775808' WHERE key = 'seq'"|import --accept-unsigned "$IN/seq.tipx"|seq.tipx|not a whole number from 1 to 1000000000
sequence number far ahead|"$TIPDESK" -c "$P" import --accept-unsigned "$GOOD" >/dev/null 2>&1; forge "$IN/jump.tipx" "UPDATE manifest SET value = '5000' WHERE key = 'seq'"|import --accept-unsigned "$IN/jump.tipx"|jump.tipx|more than 1000 ahead
named pipe|mkfifo "$IN/fifo.tipx"|import --accept-unsigned "$IN/fifo.tipx"|fifo.tipx|a named pipe (FIFO), not a bundle
folder|mkdir "$IN/dir.tipx"|import --accept-unsigned "$IN/dir.tipx"|dir.tipx|a folder, not a bundle
link to a pipe|mkfifo "$IN/fifo2"; ln -s "$IN/fifo2" "$IN/link.tipx"|import --accept-unsigned "$IN/link.tipx"|link.tipx|a named pipe (FIFO), not a bundle
device|:|import --accept-unsigned /dev/zero|/dev/zero|a device, not a bundle
control bytes in a name|forge "$IN/x${ESC}]52;c;aGk=$(printf '\007').tipx" "CREATE VIEW v AS SELECT 1"|import --accept-unsigned "$IN/x${ESC}]52;c;aGk=$(printf '\007').tipx"|x\x1B]52;c;aGk=\x07.tipx|the bundle holds the view 'v'
control bytes in a schema name|forge "$IN/ctl.tipx" "$(printf 'CREATE TABLE "t\033[2J\r" (x)')"|import --accept-unsigned "$IN/ctl.tipx"|ctl.tipx|the table 't\x1B[2J\x0D'
CSV: control bytes in name and value|printf 'ref,sex\nLA1301-2026-0001,\033[2J\n' > "$IN/c${ESC}[2J.csv"|import csv cases "$IN/c${ESC}[2J.csv"|c\x1B[2J.csv|\x1B[2J
config: control bytes in a key|printf '[office]\ncode = LA13\nla\033]0;x\007ng = en\n' > "$IN/bad.ini"|-c "$IN/bad.ini" check|bad.ini|la\x1B]0;x\x07ng
CSV: NUL inside a name|printf 'first_name,sex,registered_on,identified_by\nN\000amkhong,F,2026-01-02,Police\n' > "$IN/nul.csv"|import csv cases "$IN/nul.csv"|nul.csv|NUL
CSV: the same column twice|printf 'first_name,sex,first_name\nສົມສັກ,F,ແກ້ວມະນີ\n' > "$IN/dup.csv"|import csv cases "$IN/dup.csv"|dup.csv|first_name
CSV: a name over its length|long_csv "$IN/long.csv"|import csv cases "$IN/long.csv"|long.csv|first_name
CSV: a date that is no date|printf 'first_name,sex,registered_on,identified_by\nສົມສັກ,F,31/02/2026,Police\n' > "$IN/date.csv"|import csv cases "$IN/date.csv"|date.csv|registered_on
CSV: a code not in the list|printf 'first_name,sex,registered_on,identified_by\nສົມສັກ,Q,2026-01-02,Police\n' > "$IN/code.csv"|import csv cases "$IN/code.csv"|code.csv|sex
CSV: an unknown column|printf 'first_name,favourite_colour\nສົມສັກ,red\n' > "$IN/col.csv"|import csv cases "$IN/col.csv"|col.csv|favourite_colour
CSV: a row of suspects naming no prosecution|printf 'prosecution_ref,sex\nLA13-2026-9999,M\n' > "$IN/sus.csv"|import csv suspects "$IN/sus.csv"|sus.csv|LA13-2026-9999
CSV: forms folder missing|bad_config noforms.ini forms dir "$IN/no-such-forms"|-c "$T/p/noforms.ini" import csv cases "$IN/date.csv"|no-such-forms|no-such-forms
config: unknown key|printf '[office]\ncode = LA13\ncolour = red\n' > "$IN/key.ini"|-c "$IN/key.ini" check|key.ini|colour
config: a key twice|printf '[office]\ncode = LA13\ncode = LA14\n' > "$IN/twice.ini"|-c "$IN/twice.ini" check|twice.ini|code
config: leading zero|bad_config zero.ini privacy min_cell 010|-c "$T/p/zero.ini" check|zero.ini|min_cell
config: office code of another level|bad_config level.ini office level district|-c "$T/p/level.ini" check|level.ini|level
config: invalid UTF-8 in the name|printf '[office]\ncode = LA13\nname = \377\376 Office\n' > "$IN/utf.ini"|-c "$IN/utf.ini" check|utf.ini|name
config: a line over 1023 bytes|long_line "$IN/line.ini"|-c "$IN/line.ini" check|line.ini|1023
forms: a field naming no column|bad_forms "$IN/bf"|-c "$T/p/bf.ini" import csv cases "$IN/date.csv"|case.ini|no_such_column
output: export bundle over the database|:|export bundle -o "$DB"|tipdesk.db|database
output: export csv over the -wal|:|export csv cases -o "$DB-wal"|tipdesk.db-wal|database
output: report to a link to the database|ln -s "$DB" "$IN/link.csv"|report victims --format csv -o "$IN/link.csv"|link.csv|database
output: backup over the database|:|backup "$DB"|tipdesk.db|database
output: dhis2 over a spreadsheet|printf 'PK\003\004 not a CSV' > "$IN/sheet.xlsx"|export dhis2 --period 2024 --format csv -o "$IN/sheet.xlsx"|sheet.xlsx|--force
EOF
)

n=0
printf '%s\n' "$CASES" > "$T/cases"
while IFS='|' read -r name make args fname want; do
    n=$((n + 1))
    eval "$make" < /dev/null
    before=$(digest)
    eval "set -- $args"
    if [ "$1" = "-c" ]; then cfg=$2; shift 2; else cfg=$P; fi
    timeout 30 "$TIPDESK" -c "$cfg" "$@" > "$T/out" 2> "$T/err" < /dev/null; rc=$?
    why=""
    [ $rc -ne 0 ] && [ $rc -ne 124 ] || why="$why exit $rc;"
    [ -s "$T/err" ] || why="$why no message;"
    grep -vqF -- "$fname" "$T/err" && why="$why a line not naming $fname;"
    grep -qF -- "$want" "$T/err" || why="$why no '$want';"
    [ "$(tr -d '\n' < "$T/err" | tr -dc '\000-\037\177' | wc -c)" = 0 ] || why="$why control bytes;"
    [ "$(digest)" = "$before" ] || why="$why database changed;"
    if [ -z "$why" ]; then ok "$name"
    else fail "$name:$why"; sed 's/^/# /' "$T/err"; fi
done < "$T/cases"
check "the catalogue holds at least 40 cases ($n)" test "$n" -ge 40
