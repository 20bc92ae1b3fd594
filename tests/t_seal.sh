#!/bin/sh
# Keys and sealed bundles between offices: key files read as hostile input,
# bundles a lost stick does not reveal, every changed, re-addressed or
# out-of-hierarchy bundle refused with the database unchanged, receipts.
. tests/lib.sh
setup_office
PASS='ສົມສັກ ແກ້ວມະນີ passphrase'
export TIPDESK_PASSPHRASE="$PASS"

office() {
    mkdir -p "$T/$1"
    cp "$CFG" "$T/$1/config.ini"
    cp -r "$T/forms" "$T/$1/forms"
    set_config "$T/$1/config.ini" office code "$2"
    set_config "$T/$1/config.ini" office level "$3"
    "$TIPDESK" -c "$T/$1/config.ini" init >/dev/null
}
keys() {
    "$TIPDESK" -c "$T/$1/config.ini" keys init --kdf interactive >/dev/null &&
    "$TIPDESK" -c "$T/$1/config.ini" keys export -o "$T/$1.pub" >/dev/null
}
td() { o=$1; shift; "$TIPDESK" -c "$T/$o/config.ini" "$@"; }
q() { sqlite3 -batch "$T/$1/db/tipdesk.db" "$2"; }
sha() { q "$1" 'PRAGMA wal_checkpoint(TRUNCATE)' >/dev/null; sha256sum < "$T/$1/db/tipdesk.db"; }
# refused DESC OFFICE MSG CMD...: CMD fails with MSG, OFFICE's database unchanged.
refused() {
    desc=$1 o=$2 msg=$3; shift 3
    before=$(sha "$o")
    "$@" > "$T/out" 2>&1; rc=$?
    if [ $rc -eq 1 ] && grep -qF -- "$msg" "$T/out" && [ "$(sha "$o")" = "$before" ]; then ok "$desc"
    else fail "$desc (rc $rc)"; sed 's/^/# /' "$T/out"; fi
}

office d1 LA1301 district
office d2 LA1302 district
office p LA13 province
office q LA14 province
office e LA1401 district
office c LA centre

# --- keys init ---
td d1 keys init --kdf interactive > "$T/out" 2>&1
check "keys init names the key file and the fingerprint" grep -q "fingerprint: [0-9a-f]\{4\} [0-9a-f]\{4\} [0-9a-f]\{4\} [0-9a-f]\{4\} [0-9a-f]\{4\}" "$T/out"
check "key file is 0600" test "$(stat -c %a "$T/d1/db/office.key")" = 600
check "key file stores the Argon2id limits and salt" test "$(grep -c '^opslimit 2$\|^memlimit 67108864$\|^salt \|^kdf argon2id13$' "$T/d1/db/office.key")" = 4
check "secret keys not in clear: only the encrypted line holds them" test "$(grep -c '^secret ' "$T/d1/db/office.key")" = 1
check_not "keys init again refused" td d1 keys init --kdf interactive 2>/dev/null
TIPDESK_PASSPHRASE=short td d2 keys init > "$T/out" 2>&1
check "a short passphrase refused" grep -q "too short" "$T/out"
check "nothing written for a short passphrase" test ! -e "$T/d2/db/office.key"
printf '%s\n' "$PASS" > "$T/pass"
env -u TIPDESK_PASSPHRASE "$TIPDESK" -c "$T/d2/config.ini" keys init --kdf interactive --passphrase-file "$T/pass" >/dev/null
check "passphrase from a file" test -s "$T/d2/db/office.key"
office m LA1303 district
td m keys init >/dev/null
check "default Argon2id limits: moderate, 256 MiB" test "$(grep -c '^opslimit 3$\|^memlimit 268435456$' "$T/m/db/office.key")" = 2
td d1 keys export -o "$T/d1.pub" >/dev/null
td d2 keys export -o "$T/d2.pub" >/dev/null
for o in p q e c; do keys $o; done
check "public key file: office, level, two keys, fingerprint" test "$(cut -d' ' -f1 "$T/d1.pub" | tr '\n' ,)" = "tipdesk-public-keys,office,level,sign-public,seal-public,fingerprint,"
check "exported file holds no secret" test -z "$(grep -i 'secret\|salt\|nonce' "$T/d1.pub")"

# --- keys import: the registry, fingerprints, hostile files ---
td p keys import "$T/d1.pub" > "$T/out"
check "import shows the fingerprint to compare by phone" grep -qF "$(sed -n 's/^fingerprint //p' "$T/d1.pub")" "$T/out"
for pair in "p d2" "d1 p" "d2 p" "q e" "e q" "c p" "c q" "c e" "p c" "q c" "e c" "d2 c" "c d1"; do
    set -- $pair
    td "$1" keys import "$T/$2.pub" >/dev/null
done
td c keys list > "$T/out"; check "keys list shows registered offices" test "$(grep -c "^LA" "$T/out")" = 4
refused "own public keys refused" p "these are this office's own public keys" td p keys import "$T/p.pub"
refused "a neighbour district's keys refused" d1 "neither above nor below" td d1 keys import "$T/d2.pub"
sed '6s/.*/fingerprint 0000 0000 0000 0000 0000/' "$T/d1.pub" > "$T/bad.pub"
refused "changed fingerprint refused with file:line" p "bad.pub:6: fingerprint '0000 0000 0000 0000 0000' does not match" td p keys import "$T/bad.pub"
sed '4s/=$/!/' "$T/d1.pub" > "$T/bad.pub"
refused "bad base64 refused with file:line" p "bad.pub:4: sign-public: not 32 bytes of base64" td p keys import "$T/bad.pub"
sed '1s/.*/tipdesk-public-keys 2/' "$T/d1.pub" > "$T/bad.pub"
refused "unknown format refused with file:line" p "bad.pub:1: not a tipdesk public key file" td p keys import "$T/bad.pub"
{ cat "$T/d1.pub"; echo "extra line"; } > "$T/bad.pub"
refused "extra line refused" p "bad.pub:7: unexpected line" td p keys import "$T/bad.pub"
sed 's/$/\r/' "$T/d1.pub" > "$T/bad.pub"
refused "CRLF line ends refused" p "bad.pub:1: unexpected byte 0x0d" td p keys import "$T/bad.pub"
head -c 5000 /dev/zero | tr '\0' a > "$T/bad.pub"
refused "an oversized file refused" p "longer than 4096 bytes" td p keys import "$T/bad.pub"
sed '2s/LA1301/LA13/' "$T/d1.pub" > "$T/bad.pub"
refused "office not of its level refused" p "bad.pub:2: office 'LA13' is not a P-code of a district" td p keys import "$T/bad.pub"
head -c 100 "$T/d1.pub" > "$T/bad.pub"
refused "a cut file refused" p "cut short" td p keys import "$T/bad.pub"
office d1b LA1301 district
keys d1b
refused "another key for a registered office refused" p "LA1301 has another key registered" td p keys import "$T/d1b.pub"
cp "$T/d1/db/office.key" "$T/d1.key.saved"
sed -i 's/^level district$/level province/' "$T/d1/db/office.key"
refused "key file edited: refused" d1 "office.key:2: office 'LA1301' is not a P-code of a province" td d1 export bundle
cp "$T/d1.key.saved" "$T/d1/db/office.key"
sed "4s/.*/$(sed -n 4p "$T/d1b.pub" | sed 's,/,\\/,g')/" "$T/d1.key.saved" > "$T/d1/db/office.key"
refused "key file with another public key: refused" d1 "wrong passphrase (or the key file was changed)" td d1 export bundle
cp "$T/d1.key.saved" "$T/d1/db/office.key"

# --- sealed export ---
td d1 demo --cases 40 --prosecutions 4 --events 5 --seed 21 >/dev/null
q d1 "UPDATE cases SET first_name = 'ສົມສັກ', last_name = 'ແກ້ວມະນີ', home_village = 'ບ້ານ ໂພນທັນ' WHERE id = 1"
refused "wrong passphrase: nothing exported" d1 "wrong passphrase" env TIPDESK_PASSPHRASE=wrong "$TIPDESK" -c "$T/d1/config.ini" export bundle
check "wrong passphrase leaves no file" test -z "$(ls -A "$T/d1/exports" 2>/dev/null)"
td d1 export bundle > "$T/out"
check "export says it was sealed for the province" grep -q "signed and sealed for LA13" "$T/out"
B=$(ls "$T"/d1/exports/LA1301_1_*.tipx)
check "sealed bundle is 0600" test "$(stat -c %a "$B")" = 600
check "no clear copy left beside the database" test -z "$(ls -A "$T/d1/db" | grep -v '^tipdesk.db\|^office.key')"
name=$(q d1 "SELECT last_name FROM cases WHERE id = 2")
check "strings finds no demo name in the sealed bundle" test -z "$(strings "$B" | grep -F -e "$name" -e 'ສົມສັກ' -e 'LA1301-20')"
check "the demo name is in the database (so the test means something)" test -n "$name"
check_not "sqlite3 cannot open the sealed bundle" sqlite3 "$B" 'SELECT count(*) FROM sqlite_master'
td d2 export bundle >/dev/null; B2=$(ls "$T"/d2/exports/LA1302_1_*.tipx)

# --- import at the province: changed bytes, wrong office, hierarchy ---
# flip POS: a copy of B with the byte at POS changed (to another value, always).
flip() {
    cp "$B" "$T/flip.tipx"
    b=$(od -An -tu1 -j "$1" -N1 "$B" | tr -d ' ')
    printf "$(printf '\\%03o' $(( (b + 1) % 256 )))" | dd of="$T/flip.tipx" bs=1 seek="$1" conv=notrunc 2>/dev/null
}
size=$(wc -c < "$B")
cp "$B" "$T/flip.tipx"; printf '\001' | dd of="$T/flip.tipx" bs=1 seek=17 conv=notrunc 2>/dev/null
refused "byte in the header changed: refused" p "damaged header" td p import "$T/flip.tipx"
for pos in 200 300 $((size / 2)) $((size - 70)) $((size - 1)); do
    flip $pos
    check "the copy differs from the bundle at byte $pos only" test "$(cmp -l "$B" "$T/flip.tipx" | wc -l)" = 1
    refused "byte $pos changed: refused naming the office" p "LA1301" td p import "$T/flip.tipx"
done
sed '0,/^to LA13$/s//to LA/' "$B" > "$T/readdr.tipx"
refused "header re-addressed to the centre refused" c "the bundle from LA1301 is not sealed for this office's key" td c import "$T/readdr.tipx"
sed '0,/^seq 1$/s//seq 7/' "$B" > "$T/reseq.tipx"
refused "changed seq in the header refused" p "the bundle from LA1301 was changed" td p import "$T/reseq.tipx"
refused "replayed to the centre: refused" c "sealed for office LA13, not for this office LA" td c import "$B"
# Each forbidden pair of offices.
refused "district takes nothing from another district" d1 "a district office imports no bundles" td d1 import "$B2"
td e export bundle --to LA -o "$T/e.tipx" >/dev/null
refused "province refuses another province's district" p "LA1401, which is not a district of province LA13" td p import "$T/e.tipx"
td q export bundle -o "$T/q.tipx" >/dev/null
refused "province refuses another province" p "LA14, which is not a district of province LA13" td p import "$T/q.tipx"
td p export bundle -o "$T/p.tipx" >/dev/null
refused "province refuses a bundle claiming itself" p "claims to come from this office LA13 itself" td p import "$T/p.tipx"
refused "district refuses its province (a parent)" d1 "LA13, an office above this one" td d1 import "$T/p.tipx"
td c export bundle --unsealed -o "$T/c.tipx" >/dev/null 2>&1
refused "centre refuses a bundle claiming itself" c "claims to come from this office LA itself" td c import --accept-unsigned "$T/c.tipx"
refused "province refuses the centre (a parent)" p "only the centre accepts unsigned bundles" td p import --accept-unsigned "$T/c.tipx"
refused "unsigned bundle refused at the centre without --accept-unsigned" c "not a sealed bundle" td c import "$T/c.tipx"
td d2 export bundle --all --to LA -o "$T/d2c.tipx" >/dev/null
refused "sender's key not registered: refused" c "no key of LA1302 is registered here" td c import "$T/d2c.tipx"
td e export bundle --all -o "$T/e14.tipx" >/dev/null
check "the district's own province takes its bundle" td q import "$T/e14.tipx"
td p import --dry-run "$B" > "$T/out" 2>&1
check "dry run of a sealed bundle" grep -q "bundle 1 of LA1301 (dry run, nothing written): .* inserted" "$T/out"
check "dry run writes no receipt" test -z "$(ls "$T"/p/exports/*.tipr 2>/dev/null)"
td p import "$B" > "$T/out" 2>&1
check "sealed bundle imported at the province" grep -q "bundle 1 of LA1301: [0-9]* inserted" "$T/out"
check "Lao text intact through the envelope" test "$(q p "SELECT last_name FROM cases WHERE first_name = 'ສົມສັກ'")" = "ແກ້ວມະນີ"
check "no clear copy left at the province" test -z "$(ls -A "$T/p/db" | grep -v '^tipdesk.db\|^office.key')"
R=$(ls "$T"/p/exports/LA1301_1_receipt_LA13.tipr)
check "receipt written for the district" test -s "$R"
check "receipt names office, seq, checksum, counts, result" test "$(cut -d' ' -f1 "$R" | tr '\n' ,)" = "tipdesk-receipt,by,office,seq,checksum,result,inserted,updated,unchanged,conflicts,at,signature,"

# --- receipts back at the district ---
echo "left by a killed export" > "$T/d1/db/.LA1301.plain-4194999.tmp"
td d1 export bundle >/dev/null 2>&1
check "a clear copy left by a killed export is removed" test ! -e "$T/d1/db/.LA1301.plain-4194999.tmp"
check "two bundles not yet acknowledged" test "$(q d1 "SELECT count(*) FROM exports WHERE seq NOT IN (SELECT seq FROM receipts)")" = 2
td d1 import "$R" > "$T/out" 2>&1
check "receipt imported at the district" grep -q "receipt of LA13: bundle 1 of LA1301 imported" "$T/out"
check "receipt recorded" test "$(q d1 "SELECT by_office || ' ' || seq || ' ' || result FROM receipts")" = "LA13 1 imported"
td d1 import "$R" > "$T/out" 2>&1
check "the same receipt again changes nothing" test "$(q d1 'SELECT count(*) FROM receipts')" = 1
sed 's/^inserted .*/inserted 999/' "$R" > "$T/r.tipr"
refused "edited receipt refused" d1 "signature is not LA13's" td d1 import "$T/r.tipr"
refused "receipt for another office refused" d2 "a receipt for bundles of LA1301, not of this office LA1302" td d2 import "$R"
sed 's/^checksum .*/checksum 0000000000000000000000000000000000000000000000000000000000000000/' "$R" > "$T/r.tipr"
refused "receipt of a bundle never written here refused" d1 "signature is not LA13's" td d1 import "$T/r.tipr"

# --- revocation ---
td p keys revoke LA1301 > "$T/out"
check "revoke says what it means" grep -q "revoked the key of LA1301" "$T/out"
td d1 export bundle --all -o "$T/after.tipx" >/dev/null
refused "bundle from a revoked key refused" p "the key of LA1301 was revoked on" td p import "$T/after.tipx"
mv "$T/d1/db/office.key" "$T/d1.lost"
keys d1
td p keys import "$T/d1.pub" > "$T/out" 2>&1
check "new key of the office registered after revocation" grep -q "registered the keys of LA1301" "$T/out"
refused "a bundle signed with the lost key refused" p "signature is not LA1301's" td p import "$T/after.tipx"
check_not "revoking an office without a key fails" td p keys revoke LA1399

# --- the passphrase asked on the terminal, without echo ---
office t LA1304 district
tmx new-session -d -x 80 -y 24 -s t "env -u TIPDESK_PASSPHRASE LANG=C.UTF-8 '$TIPDESK' -c '$T/t/config.ini' keys init --kdf interactive; echo EXITED \$?; sleep 60"
check "keys init asks for a new passphrase" wait_for "New passphrase for this office's keys:"
l "$PASS"; k Enter
check "and asks it again" wait_for "The same passphrase again:"
check "the passphrase is not shown" sh -c "! tmux -L $TMUX_SOCK capture-pane -p -t t | grep -q 'ແກ້ວມະນີ'"
l "$PASS"; k Enter
check "keys made after the passphrase typed twice" wait_for "EXITED 0"
refused "no key of the office above: nothing exported" t "no key of the office above is registered here (the province LA13 or the centre LA)" td t export bundle
refused "--to an office without a registered key" t "--to LA: no key of LA is registered here" td t export bundle --to LA
td t keys import "$T/p.pub" >/dev/null
check "the typed passphrase opens the keys" sh -c "'$TIPDESK' -c '$T/t/config.ini' export bundle -o '$T/t.tipx' >/dev/null"

# --- a new passphrase, the same keys ---
NEW='ບ້ານ ໂພນທັນ ກິນເຂົ້າ new passphrase'
printf '%s\n' "$NEW" > "$T/new.pw"; printf 'short\n' > "$T/short.pw"; printf '%s\n' "$PASS" > "$T/same.pw"
chmod 600 "$T/new.pw" "$T/short.pw" "$T/same.pw"
KEY="$T/t/db/office.key"
fpr=$(td t keys export -o - | sed -n 's/^fingerprint //p')
check "the fingerprint before" test -n "$fpr"
keysum() { sha256sum < "$KEY"; }
before=$(keysum)
# refused_key DESC MSG CMD...: CMD fails with MSG and the key file is unchanged.
refused_key() {
    desc=$1 msg=$2; shift 2
    "$@" > "$T/out" 2>&1; rc=$?
    if [ $rc -eq 1 ] && grep -qF -- "$msg" "$T/out" && [ "$(keysum)" = "$before" ]; then ok "$desc"
    else fail "$desc (rc $rc)"; sed 's/^/# /' "$T/out"; fi
}
refused_key "a wrong present passphrase changes nothing" "office.key: wrong passphrase" \
    env TIPDESK_PASSPHRASE=wrong-passphrase "$TIPDESK" -c "$T/t/config.ini" keys passphrase --kdf interactive --new-passphrase-file "$T/new.pw"
refused_key "a short new passphrase changes nothing" "the passphrase is too short" \
    td t keys passphrase --kdf interactive --new-passphrase-file "$T/short.pw"
refused_key "the present passphrase as the new one changes nothing" "the new passphrase is the present one" \
    td t keys passphrase --kdf interactive --new-passphrase-file "$T/same.pw"
office nk LA1305 district
td nk keys passphrase --kdf interactive --new-passphrase-file "$T/new.pw" > "$T/out" 2>&1; rc=$?
check "keys passphrase without keys says to make them" sh -c "[ $rc -eq 1 ] && grep -q 'this office has no keys yet; make them with tipdesk keys init' '$T/out'"
check_not "and makes no key file" test -e "$T/nk/db/office.key"
td t keys export --new-passphrase-file "$T/new.pw" > "$T/out" 2>&1; rc=$?
check "--new-passphrase-file is only for keys passphrase (usage error)" sh -c "[ $rc -eq 2 ] && grep -q \"is for 'keys passphrase'\" '$T/out'"
td t keys passphrase --kdf interactive --new-passphrase-file "$T/new.pw" > "$T/out" 2>&1
check "keys passphrase encrypts the keys under the new passphrase" grep -q "now encrypted under the new passphrase" "$T/out"
check "the same keys: the fingerprint it shows is the one before" grep -qF "fingerprint: $fpr" "$T/out"
check "and the public keys exported are the same" test "$(td t keys export -o - | sed -n 's/^fingerprint //p')" = "$fpr"
check "the key file changed" test "$(keysum)" != "$before"
check "the key file is still private (0600)" test "$(stat -c %a "$KEY")" = 600
check_not "no temporary file is left beside it" sh -c "ls '$T/t/db' | grep -q tmp"
check_not "no clear secret in it" grep -qF "$NEW" "$KEY"
refused "the old passphrase no longer opens the keys" t "wrong passphrase" td t export bundle -o "$T/t2.tipx"
check "the new passphrase does" env TIPDESK_PASSPHRASE="$NEW" "$TIPDESK" -c "$T/t/config.ini" export bundle -o "$T/t2.tipx"
# On the terminal the new passphrase is asked twice, even with $TIPDESK_PASSPHRASE set (it holds the present one).
tmx kill-session -t t 2>/dev/null
tmx new-session -d -x 80 -y 24 -s t "env TIPDESK_PASSPHRASE='$NEW' LANG=C.UTF-8 '$TIPDESK' -c '$T/t/config.ini' keys passphrase --kdf interactive; echo EXITED \$?; sleep 60"
check "keys passphrase asks for the new passphrase on the terminal" wait_for "New passphrase for this office's keys:"
l "$PASS"; k Enter
check "and asks it again" wait_for "The same passphrase again:"
l "$PASS"; k Enter
check "the passphrase typed twice is taken" wait_for "EXITED 0"
check "it opens the keys" sh -c "'$TIPDESK' -c '$T/t/config.ini' export bundle -o '$T/t3.tipx' >/dev/null"
