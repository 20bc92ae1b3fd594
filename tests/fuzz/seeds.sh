#!/bin/sh
# Prepares what the fuzz targets need in OUT: two offices made with the real
# binary (a district with a few demo records, and its province), and seed
# inputs from the shipped files: config.ini, forms/*.ini, a CSV export of
# every importable table and a bundle.  Usage: tests/fuzz/seeds.sh BIN OUT
set -e
BIN=$1 OUT=$2
SRC=$(pwd)
rm -rf "$OUT/work" "$OUT/seeds"
mkdir -p "$OUT/work" "$OUT/seeds"
W=$(cd "$OUT/work" && pwd)
S=$(cd "$OUT/seeds" && pwd)
# init makes this user the administrator; demo logs in as it.
printf 'fuzz-seeds-password\n' > "$W/password"
chmod 600 "$W/password"
export TIPDESK_USER=admin TIPDESK_PASSWORD_FILE="$W/password"

office() {       # office NAME CODE LEVEL
    mkdir -p "$W/$1"
    sed -e "s/^code = LA1301/code = $2/" -e "s/^level = district/level = $3/" \
        "$SRC/config.ini" > "$W/$1/config.ini"
    cp -r "$SRC/forms" "$W/$1/forms"
    "$BIN" -c "$W/$1/config.ini" init >/dev/null
}
office district LA1301 district
office province LA13 province
"$BIN" -c "$W/district/config.ini" demo --cases 6 --prosecutions 3 --events 3 --seed 7 >/dev/null

mkdir -p "$S/fuzz_config" "$S/fuzz_forms" "$S/fuzz_cond" "$S/fuzz_csv" "$S/fuzz_bundle" \
         "$S/fuzz_text" "$S/fuzz_edit"
cp "$SRC/config.ini" "$S/fuzz_config/config.ini"
sed -e 's/^level = district/level = centre/' -e 's/^code = LA1301/code = LA/' \
    -e 's/dd\/mm\/yyyy/yyyy-mm-dd/' "$SRC/config.ini" > "$S/fuzz_config/centre.ini"

# The first byte chooses the file the rest replaces (see fuzz_forms.c).
i=0
for f in lists ui case prosecution event; do
    { printf "$i"; cat "$SRC/forms/$f.ini"; } > "$S/fuzz_forms/$f"
    i=$((i + 1))
done
# Every relevance, compute and check condition of the shipped forms.
sed -n 's/^\(relevant\|compute\|cond\) *= *//p' "$SRC"/forms/*.ini | sort -u |
    awk -v d="$S/fuzz_cond" '{ f = sprintf("%s/c%03d", d, NR); printf "%s", $0 > f;
                                printf "%c%s%c%s", 0, "2020-01-02", 0, "Yes" > f; close(f) }'

# The first byte chooses the table (see fuzz_csv.c).
i=0
for t in cases prosecutions suspects events; do
    { printf "$i"; "$BIN" -c "$W/district/config.ini" export csv $t; } > "$S/fuzz_csv/$t"
    i=$((i + 1))
done
"$BIN" -c "$W/district/config.ini" export bundle --all --unsealed -o "$S/fuzz_bundle/district.tipx" >/dev/null 2>&1
cp "$S/fuzz_bundle/district.tipx" "$W/district.tipx"
# Edits of that bundle's rows (see fuzz_bundle_rows.c): none; a Lao name;
# a date that is no date; a deleted case; a copied suspect.
mkdir -p "$S/fuzz_bundle_rows"
printf '' > "$S/fuzz_bundle_rows/none"
printf '\000\001\022\000\014ສົມພອນ' > "$S/fuzz_bundle_rows/lao-name"
printf '\000\002\014\000\0122023-02-30' > "$S/fuzz_bundle_rows/bad-date"
printf '\000\000\000\003\000' > "$S/fuzz_bundle_rows/delete-case"
printf '\005\001\000\004\000' > "$S/fuzz_bundle_rows/copy-suspect"
# Schema edits (KIND 5): a view named like cases, a recursive view of
# events, a trigger on audit_log, a table of its own.
printf '\000\000\000\005\000' > "$S/fuzz_bundle_rows/view-as-cases"
printf '\007\001\000\005\000' > "$S/fuzz_bundle_rows/recursive-events"
printf '\010\003\001\005\0011' > "$S/fuzz_bundle_rows/trigger"
printf '\011\005\002\005\001x' > "$S/fuzz_bundle_rows/extra-table"

# Lao, Thai, Latin combining marks, CJK and broken sequences.
printf 'ສະບາຍດີ ທ່ານ' > "$S/fuzz_text/lao"
printf 'e\xcc\x81 \xe4\xb8\xad\xe6\x96\x87 \xe0\xb8\x81\xe0\xb8\xb5\xe0\xb9\x88 \xff\xc0\x80 \xed\xa0\x80 ໑໒໓' > "$S/fuzz_text/mixed"
# First byte the limit; then operations (see fuzz_edit.c): 0 LEN TEXT inserts,
# 9 LEN TEXT sets, 1-8 move, delete and scroll.
printf '\000\000\006ສະ\000\006ບາ\001\001\005\005\010\011\006\002\000\003່' > "$S/fuzz_edit/lao"
printf '\003\011\014ກ່ວາ\003\002\002\005\006\010\005\007' > "$S/fuzz_edit/set"

# Keys of both offices, and a sealed bundle, a receipt and key files (see
# fuzz_seal.c: the first byte chooses the reader).
export TIPDESK_PASSPHRASE='fuzz passphrase ກິນເຂົ້າ'
mkdir -p "$S/fuzz_seal"
for o in district province; do
    "$BIN" -c "$W/$o/config.ini" keys init --kdf interactive >/dev/null
    "$BIN" -c "$W/$o/config.ini" keys export -o "$W/$o.pub" >/dev/null
done
"$BIN" -c "$W/district/config.ini" keys import "$W/province.pub" >/dev/null
"$BIN" -c "$W/province/config.ini" keys import "$W/district.pub" >/dev/null
"$BIN" -c "$W/district/config.ini" export bundle --all -o "$W/sealed.tipx" >/dev/null
"$BIN" -c "$W/province/config.ini" import --dry-run "$W/sealed.tipx" >/dev/null
cp -r "$W/province" "$W/province-seal"
"$BIN" -c "$W/province-seal/config.ini" import "$W/sealed.tipx" >/dev/null
{ printf '\000'; cat "$W/district.pub"; } > "$S/fuzz_seal/pub"
{ printf '\001'; cat "$W"/province-seal/exports/*.tipr; } > "$S/fuzz_seal/receipt"
{ printf '\002'; cat "$W/district/db/office.key"; } > "$S/fuzz_seal/keyfile"
{ printf '\003'; cat "$W/sealed.tipx"; } > "$S/fuzz_seal/sealed"
