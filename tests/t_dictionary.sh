#!/bin/sh
# For analysts: the data dictionary db/README.md is current and complete
# (every table, view and column of the schema; every code of the lists),
# `tipdesk init` stores the code labels in code_label, a broken lists.ini
# leaves the database as it was, and the views can be read from a file
# opened read-only.
. "$TIPDESK_SRC/tests/lib.sh"
setup_office
DB="$T/db/tipdesk.db"
"$TIPDESK" -c "$CFG" init >/dev/null 2>&1 || { fail "init"; exit 1; }

sh "$TIPDESK_SRC/db/dictionary.sh" "$TIPDESK_SRC" >"$T/dict.md"
check "db/README.md is what db/dictionary.sh writes (run it after a schema or list change)" \
    cmp -s "$T/dict.md" "$TIPDESK_SRC/db/README.md"

# Every column of every table and view of a real database, in its section.
sql "SELECT m.name || ' ' || p.name FROM sqlite_master m, pragma_table_info(m.name) p
     WHERE m.type IN ('table', 'view') AND m.name NOT LIKE 'sqlite_%'
       AND m.name NOT GLOB '*_fts*'" >"$T/cols"
awk 'NR == FNR { want[$0] = 1; n++; next }
     /^## / { t = $0; gsub(/^## (View )?`|`$/, "", t); next }
     /^\| `/ { c = $2; gsub(/[` ]/, "", c); k = t " " c; if (k in want && !(k in seen)) { seen[k] = 1; got++ } }
     END { for (k in want) if (!(k in seen)) print "missing: " k > "/dev/stderr"; exit got != n }' \
    "$T/cols" "$TIPDESK_SRC/db/README.md" 2>"$T/missing"
check "every column of the schema is described ($(wc -l <"$T/cols") columns)" [ ! -s "$T/missing" ]
check "a column has its meaning in both languages" \
    grep -q '^| `sex` | TEXT | Sex / ເພດ | list `sex`: `F` Female / ຍິງ' "$TIPDESK_SRC/db/README.md"
awk -F'|' 'NF >= 6 && /^\| `/ && $4 ~ /^ *$/' "$TIPDESK_SRC/db/README.md" >"$T/bare"
check "every column has a meaning" [ ! -s "$T/bare" ]

# Every code of every list used by a column (places are named by count).
awk '/^\[/ { l = substr($0, 2, index($0, "]") - 2); next }
     /^[;#]/ || !/=/ || l == "province" || l == "district" || l == "country" { next }
     { c = $0; sub(/ *=.*/, "", c); print l " " c }' "$T/forms/lists.ini" >"$T/codes"
used=$(grep -o 'list `[a-z_]*`' "$TIPDESK_SRC/db/README.md" | sort -u | sed 's/list `\(.*\)`/\1/')
: >"$T/missing"
for l in $used; do
    line=$(grep -m1 "list \`$l\`:" "$TIPDESK_SRC/db/README.md")
    grep "^$l " "$T/codes" | while read -r _ c; do
        case "$line" in *"\`$c\`"*) ;; *) echo "$l $c" >>"$T/missing" ;; esac
    done
done
check "every code of the lists in use is listed with its labels" [ ! -s "$T/missing" ]

# code_label: every code of lists.ini, with its Lao label.
n_codes=$(awk '/^\[/ { next } /^[;#]/ || !/=/ { next } { n++ } END { print n }' "$T/forms/lists.ini")
check "init stores every code of lists.ini ($n_codes)" [ "$(sql 'SELECT count(*) FROM code_label')" = "$n_codes" ]
check "code_label has the Lao labels" \
    [ "$(sql "SELECT label_lo FROM code_label WHERE list = 'sex' AND code = 'F'")" = "ຍິງ" ]
check "code_label falls back to English" \
    [ "$(sql "SELECT label_lo FROM code_label WHERE list = 'country' AND code = 'ZW'")" = "Zimbabwe" ]
sed -i 's/^F = Female | ຍິງ$/F = Female | ແມ່ຍິງ/' "$T/forms/lists.ini"
"$TIPDESK" -c "$CFG" init >/dev/null 2>&1
check "init again takes the edited label" \
    [ "$(sql "SELECT label_lo FROM code_label WHERE list = 'sex' AND code = 'F'")" = "ແມ່ຍິງ" ]
check "and keeps one row per code" [ "$(sql 'SELECT count(*) FROM code_label')" = "$n_codes" ]

# A broken lists.ini: one line naming the file, exit 1, the database as it was.
before=$(sha256sum "$DB" | cut -d' ' -f1)
printf '[sex]\nthis line has no equals sign\n' >>"$T/forms/lists.ini"
"$TIPDESK" -c "$CFG" init >/dev/null 2>"$T/err"; rc=$?
check "init with a broken lists.ini fails" [ "$rc" -eq 1 ]
check "the message names lists.ini and its line" grep -q 'lists.ini:[0-9]' "$T/err"
check "the message is one line" [ "$(wc -l <"$T/err")" -eq 1 ]
check "the database is unchanged" [ "$(sha256sum "$DB" | cut -d' ' -f1)" = "$before" ]
rm "$DB"
"$TIPDESK" -c "$CFG" init >/dev/null 2>&1; rc=$?
check "no database is made from broken lists" sh -c "[ $rc -eq 1 ] && [ ! -e '$DB' ]"

# Reading read-only, as README.md says: the views on an immutable URI and on a backup copy.
cp -r "$TIPDESK_SRC/forms/lists.ini" "$T/forms/lists.ini"
"$TIPDESK" -c "$CFG" init >/dev/null 2>&1
"$TIPDESK" -c "$CFG" demo --cases 200 --prosecutions 40 --events 40 --seed 3 >/dev/null 2>&1 || fail "demo data"
want=$("$TIPDESK" -c "$CFG" report victims --format csv | tail -1 | cut -d, -f6 | tr -d '\r')
got=$(sqlite3 -batch "file:$DB?immutable=1" "SELECT count(*) FROM v_cases_counted")
check "v_cases_counted through file:...?immutable=1 gives the report's total ($want)" [ "$got" = "$want" ]
"$TIPDESK" -c "$CFG" backup "$T/copy.db" >/dev/null 2>&1
got=$(sqlite3 -batch -readonly "$T/copy.db" "SELECT count(*) FROM v_cases_counted")
check "and on a backup copy" [ "$got" = "$want" ]
