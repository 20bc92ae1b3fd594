#!/bin/sh
# The files tipdesk writes: no writer (export bundle|csv|htcds|dhis2, report
# -o, backup FILE) replaces the database, its -wal/-shm/-journal, a backup or
# an existing file of another kind, however the path is spelled; each refusal
# is one line naming the path, exit 1, database unchanged.  Under umask 022
# every file made is 0600 and every folder 0700.  On read-only media the
# commands that only read work, and the others say why they cannot.
. tests/lib.sh
setup_office
umask 022
DB="$T/db/tipdesk.db"
OUT="$T/out"
ERR="$T/err"
W="$T/w"

run() { "$TIPDESK" -c "$CFG" "$@" >"$OUT" 2>"$ERR"; rc=$?; }
sum() { sha256sum "$1" | cut -d' ' -f1; }
mode() { stat -c %a "$1"; }
one_line() { [ "$(wc -l < "$1")" -eq 1 ]; }
has() { grep -qF -- "$1" "$2"; }

run init
check "init exits 0" test $rc -eq 0
run demo --cases 40 --seed 7
check "demo exits 0" test $rc -eq 0

# ---- modes under umask 022 ------------------------------------------------------
check "database is 0600" test "$(mode "$DB")" = 600
check "database folder is 0700" test "$(mode "$T/db")" = 700
run backup
check "rotating backup exits 0" test $rc -eq 0
BK=$(ls "$T"/db/backups/tipdesk-*.db)
check "backup folder is 0700" test "$(mode "$T/db/backups")" = 700
check "rotating backup is 0600" test "$(mode "$BK")" = 600
run export bundle --unsealed
check "bundle into the export folder exits 0" test $rc -eq 0
check "export folder is 0700" test "$(mode "$T/exports")" = 700
check "bundle is 0600" test "$(mode "$(ls "$T"/exports/*.tipx)")" = 600
mkdir "$W"
run export bundle --unsealed --all -o "$W/all.tipx";     check "bundle -o is 0600" test $rc -eq 0 -a "$(mode "$W/all.tipx")" = 600
run backup "$W/copy.db";                      check "backup FILE is 0600" test $rc -eq 0 -a "$(mode "$W/copy.db")" = 600
run export csv cases -o "$W/cases.csv";       check "CSV is 0600" test $rc -eq 0 -a "$(mode "$W/cases.csv")" = 600
run report victims -o "$W/victims.txt";       check "report is 0600" test $rc -eq 0 -a "$(mode "$W/victims.txt")" = 600
run report victims --format csv -o "$W/v.csv"; check "report CSV is 0600" test $rc -eq 0 -a "$(mode "$W/v.csv")" = 600
run export dhis2 --period 2024 -o "$W/d.json"; check "DHIS2 file is 0600" test $rc -eq 0 -a "$(mode "$W/d.json")" = 600
run export htcds -o "$W/htcds/new"
check "HTCDS exits 0" test $rc -eq 0
check "HTCDS folders are 0700" test "$(mode "$W/htcds")" = 700 -a "$(mode "$W/htcds/new")" = 700
for f in cases trafficking_events support_plans; do
    check "htcds_$f.csv is 0600" test "$(mode "$W/htcds/new/htcds_$f.csv")" = 600
done
# A file replaced by a new export is private too, whatever it was before.
chmod 644 "$W/cases.csv"
run export csv cases -o "$W/cases.csv"
check "CSV written over a 0644 CSV is 0600" test $rc -eq 0 -a "$(mode "$W/cases.csv")" = 600
check "no temporary files left" test -z "$(ls -A "$W" | grep tmp)"

# ---- never over the database, its companions or a backup ------------------------
ln -s "$DB" "$W/link.db"
ln "$DB" "$W/hard.db"
ln -s "$T/db/backups" "$W/backups"
before=$(sum "$DB")
bk_before=$(sum "$BK")
refuse() {
    what=$1; shift
    run "$@"
    if [ $rc -eq 1 ] && one_line "$ERR" && has "$target" "$ERR"; then
        ok "$what: refused in one line naming $target"
    else
        fail "$what: exit $rc: $(cat "$ERR")"
    fi
}
for target in "$DB" "$T/db/../db/tipdesk.db" "$W/link.db" "$W/hard.db" "$DB-wal" "$DB-shm" \
              "$DB-journal" "$BK" "$W/backups/$(basename "$BK")" "$T/db/backups/new.csv"; do
    refuse "export bundle" export bundle --unsealed -o "$target"
    refuse "export bundle --force" export bundle --unsealed --all --force -o "$target"
    refuse "export csv" export csv cases -o "$target"
    refuse "export csv --force" export csv cases --force -o "$target"
    refuse "report" report victims -o "$target"
    refuse "report --format csv --force" report victims --format csv --force -o "$target"
    refuse "export dhis2" export dhis2 --period 2024 -o "$target"
    refuse "export dhis2 --force" export dhis2 --period 2024 --force -o "$target"
    case "$target" in */new.csv) ;; *) refuse "backup" backup "$target"; refuse "backup --force" backup --force "$target" ;; esac
    refuse "export htcds" export htcds -o "$target"
done
for target in "$T/db/backups" "$W/backups" "$T/db/backups/sub"; do
    refuse "export htcds into the backup folder" export htcds -o "$target"
done
check "the database is unchanged" test "$(sum "$DB")" = "$before"
check "the backup is unchanged" test "$(sum "$BK")" = "$bk_before"
check "nothing new in the backup folder" test "$(ls -A "$T/db/backups")" = "$(basename "$BK")"
for f in "$DB-wal" "$DB-shm" "$DB-journal"; do
    # SQLite's own, if there: not a folder, and none of our outputs.
    if [ -d "$f" ] || { [ -f "$f" ] && grep -aq -e 'uuid,ref' -e 'SQLite format 3' -e dataValues -e 'Identified victims' "$f"; }; then
        fail "$(basename "$f") was written"
    else
        ok "$(basename "$f") was not written"
    fi
done
target="$DB"; run export csv cases -o "$DB"
check "the message says what to do" has "this is the database; nothing was written; choose another file name" "$ERR"
target="$BK"; run export csv cases -o "$BK"
check "the backup message names the folder" has "in the backup folder" "$ERR"
# A new backup into the backup folder is still a backup.
run backup "$T/db/backups/before-upgrade.db"
check "backup FILE may add a new file to the backup folder" test $rc -eq 0 -a -f "$T/db/backups/before-upgrade.db"
rm -f "$T/db/backups/before-upgrade.db"

# An export folder set to the backup folder is refused too.
sed 's|^dir = exports|dir = db/backups|' "$CFG" > "$T/exp_backup.ini"
"$TIPDESK" -c "$T/exp_backup.ini" export bundle --unsealed >"$OUT" 2>"$ERR"; rc=$?
check "bundle into an export folder that is the backup folder: exit 1" test $rc -eq 1
one_line "$ERR" && has "in the backup folder" "$ERR" && ok "... one line naming the backup folder" \
    || fail "export folder = backup folder: $(cat "$ERR")"
check "... database unchanged" test "$(sum "$DB")" = "$before"

# ---- existing files: replaced only by the same kind (or --force) ----------------
replaced() { what=$1; shift; run "$@"; check "$what" test $rc -eq 0; }
kept() {
    what=$1 file=$2; shift 2
    s=$(sum "$file") d=$(sum "$DB")
    run "$@"
    if [ $rc -eq 1 ] && one_line "$ERR" && has "$file" "$ERR" && [ "$(sum "$file")" = "$s" ] \
        && [ "$(sum "$DB")" = "$d" ]; then
        ok "$what: refused, file and database unchanged"
    else
        fail "$what: exit $rc: $(cat "$ERR")"
    fi
}
replaced "CSV over a CSV" export csv cases -o "$W/cases.csv"
replaced "bundle over a bundle" export bundle --unsealed --all -o "$W/all.tipx"
replaced "backup over a copy of the database" backup "$W/copy.db"
replaced "report over a report" report victims -o "$W/victims.txt"
replaced "DHIS2 JSON over JSON" export dhis2 --period 2024 -o "$W/d.json"
replaced "HTCDS over an earlier HTCDS export" export htcds -o "$W/htcds/new"
: > "$W/empty.csv"
replaced "CSV over an empty file" export csv cases -o "$W/empty.csv"
cp "$CFG" "$W/settings.ini"
kept "CSV over a settings file" "$W/settings.ini" export csv cases -o "$W/settings.ini"
has "exists and is a settings (.ini) file, not a CSV file" "$ERR" && has "--force" "$ERR" \
    && ok "the message says what it is and how to replace it" || fail "message: $(cat "$ERR")"
kept "report over a CSV" "$W/cases.csv" report victims -o "$W/cases.csv"
kept "CSV over a report" "$W/victims.txt" export csv events -o "$W/victims.txt"
kept "ADX over JSON" "$W/d.json" export dhis2 --period 2024 --format adx -o "$W/d.json"
printf 'PK\003\004\024\000\006\000binary' > "$W/book.xlsx"
kept "CSV over a spreadsheet" "$W/book.xlsx" export csv cases -o "$W/book.xlsx"
replaced "CSV over a spreadsheet with --force" export csv cases --force -o "$W/book.xlsx"
check "... which is now the CSV" sh -c "head -c 9 '$W/book.xlsx' | grep -q '^uuid,ref'"
kept "CSV over a bundle" "$W/all.tipx" export csv cases -o "$W/all.tipx"
kept "CSV over a bundle, even with --force" "$W/all.tipx" export csv cases --force -o "$W/all.tipx"
kept "report over a database copy, even with --force" "$W/copy.db" report victims --force -o "$W/copy.db"
kept "bundle over a database copy" "$W/copy.db" export bundle --unsealed --all --force -o "$W/copy.db"
kept "backup over a bundle" "$W/all.tipx" backup --force "$W/all.tipx"
sqlite3 "$W/other.db" 'CREATE TABLE t(x)'
kept "backup over another program's SQLite file" "$W/other.db" backup "$W/other.db"
echo "ສົມສັກ ແກ້ວມະນີ ບ້ານ ໂພນທັນ" > "$W/note.txt"
kept "report over a text note" "$W/note.txt" report victims -o "$W/note.txt"
replaced "report over a text note with --force" report victims --force -o "$W/note.txt"
run export csv cases -o "$W/htcds"
check "CSV over a folder: refused" sh -c "[ $rc -eq 1 ] && grep -q 'a folder; give a file name' '$ERR'"
mkfifo "$W/fifo"
run export csv cases -o "$W/fifo"
check "CSV into a FIFO: refused" test $rc -eq 1
has "not a regular file" "$ERR" && ok "... says it is not a regular file" || fail "fifo: $(cat "$ERR")"
ln -s "$W/missing.csv" "$W/dangling.csv"
run report victims -o "$W/dangling.csv"
check "report over a dangling link: refused" test $rc -eq 1 -a ! -e "$W/missing.csv"
run export csv cases -o "$T/no/such/folder/x.csv"
check "CSV into a missing folder: refused naming the folder" sh -c "[ $rc -eq 1 ] && grep -q 'does not exist' '$ERR'"

# ---- check warns of files and folders others can read --------------------------
run report victims      # a reading command: the -wal and -shm are there now
check "the -wal and -shm the reading commands leave are 0600" \
    test "$(mode "$DB-wal")" = 600 -a "$(mode "$DB-shm")" = 600
run check
check "check with private files exits 0" test $rc -eq 0
check_not "... and warns of nothing" grep -q warning "$ERR"
BU=$(ls "$T"/exports/*.tipx)
chmod 644 "$DB" "$DB-wal" "$DB-shm" "$BK" "$BU"
chmod 755 "$T/db/backups" "$T/exports"
run check
check "check with shared files still exits 0 (they are warnings)" test $rc -eq 0
has "ok: " "$OUT" && ok "... and says ok" || fail "check: $(cat "$OUT")"
for f in "$DB" "$DB-wal" "$DB-shm" "$BK" "$BU"; do
    has "tipdesk check: warning: $f: mode 0644 lets other users read it; run chmod 600 $f" "$ERR" \
        && ok "warns of $(basename "$f"), its mode and chmod 600" || fail "no warning for $f: $(cat "$ERR")"
done
for d in "$T/db/backups" "$T/exports"; do
    has "tipdesk check: warning: $d: mode 0755 lets other users see the files in it; run chmod 700 $d" "$ERR" \
        && ok "warns of folder $(basename "$d") and chmod 700" || fail "no warning for $d: $(cat "$ERR")"
done
check "one line each" test "$(grep -c warning "$ERR")" -eq 7
chmod 600 "$DB" "$DB-wal" "$DB-shm" "$BK" "$BU"
chmod 700 "$T/db/backups" "$T/exports"
run check
check_not "after chmod, no warning" grep -q warning "$ERR"

# ---- read-only media: the commands that only read work ------------------------
# Tests run as root, which ignores permission bits, so a chmod 0555 folder
# proves nothing.  A read-only bind mount in a private mount namespace is real
# read-only media (EROFS, for root too); failing that, an immutable folder
# (chattr +i), which root cannot write either.
RO="$T/ro"
W2="$T/w2"
mkdir -p "$RO/db" "$W2"
ro_method=""
if unshare -m sh -c "mount --bind '$RO' '$RO' && mount -o remount,bind,ro '$RO' && ! touch '$RO/probe'" 2>/dev/null; then
    ro_method=mount
elif chattr +i "$RO" 2>/dev/null; then
    touch "$RO/probe" 2>/dev/null || ro_method=chattr
    chattr -i "$RO"
fi
rm -f "$RO/probe"
# on_ro CMD...: runs CMD while the folder $RO is read-only.
on_ro() {
    case $ro_method in
    mount) unshare -m sh -c 'mount --bind "$0" "$0" && mount -o remount,bind,ro "$0" && exec "$@"' "$RO" "$@" ;;
    chattr) chattr -R +i "$RO"; "$@"; ro_rc=$?; chattr -R -i "$RO"; return $ro_rc ;;
    esac
}
ro() { on_ro "$TIPDESK" -c "$T/ro.ini" "$@" >"$OUT" 2>"$ERR"; rc=$?; }
cp "$CFG" "$T/ro.ini"
set_config "$T/ro.ini" database path ro/db/tipdesk.db
set_config "$T/ro.ini" database backup_dir ro/db/backups
set_config "$T/ro.ini" export dir w2

if [ -z "$ro_method" ]; then
    ok "# skip read-only media: neither a read-only bind mount nor chattr +i works here"
else
    echo "# read-only media made with: $ro_method"
    cp "$DB" "$RO/db/tipdesk.db"
    ro_sum=$(sum "$RO/db/tipdesk.db")
    "$TIPDESK" -c "$CFG" report victims > "$T/victims.rw"
    "$TIPDESK" -c "$CFG" export csv events > "$T/events.rw"
    ro check
    check "check on read-only media exits 0" test $rc -eq 0
    has "ok: " "$OUT" && ok "check says ok" || fail "check: $(cat "$OUT" "$ERR")"
    has "read-only media; reading it as an unchanging file" "$ERR" \
        && ok "it says it reads the file as unchanging" || fail "no note: $(cat "$ERR")"
    ro report victims
    check "report on read-only media exits 0" test $rc -eq 0
    check "... the same report as from the writable copy" cmp -s "$OUT" "$T/victims.rw"
    ro export csv events -o "$W2/events.csv"
    check "export csv on read-only media exits 0" test $rc -eq 0
    check "... the same rows as from the writable copy" cmp -s "$W2/events.csv" "$T/events.rw"
    ro export htcds -o "$W2/htcds"
    check "export htcds on read-only media exits 0" test $rc -eq 0 -a -s "$W2/htcds/htcds_cases.csv"
    ro export dhis2 --period 2024 -o "$W2/d.json"
    check "export dhis2 on read-only media exits 0" test $rc -eq 0 -a -s "$W2/d.json"
    ro backup "$W2/copy.db"
    check "backup FILE from read-only media exits 0" test $rc -eq 0
    check "... the copy has every case" \
        test "$(sqlite3 "$W2/copy.db" 'SELECT count(*) FROM cases')" = "$(sql 'SELECT count(*) FROM cases')"
    # The login is checked on read-only media too, where a wrong password
    # cannot be counted.
    printf 'not-the-password\n' > "$T/wrong.pw"; chmod 600 "$T/wrong.pw"
    TIPDESK_PASSWORD_FILE="$T/wrong.pw" ro export csv events -o "$W2/events2.csv"
    check "export csv on read-only media with a wrong password: exit 1" test $rc -eq 1
    has "wrong password for 'admin'" "$ERR" && ok "... it says the password is wrong" || fail "wrong password: $(cat "$ERR")"
    check "... and writes no file" test ! -e "$W2/events2.csv"
    ro export bundle --unsealed
    check "export bundle --unsealed (which records its number) on read-only media: exit 1" test $rc -eq 1
    one_line "$ERR" && has "ro/db/tipdesk.db: cannot be changed where it is" "$ERR" \
        && ok "... one line saying the database cannot be changed there" || fail "bundle: $(cat "$ERR")"
    check "the database on read-only media is unchanged" test "$(sum "$RO/db/tipdesk.db")" = "$ro_sum"
    check "nothing was added beside it" test "$(ls -A "$RO/db")" = "tipdesk.db"
    # What a reading command leaves beside a database on writable media, an
    # empty -wal, holds no changes: the copy is still read.
    : > "$RO/db/tipdesk.db-wal"
    ro report victims
    check "report with an empty -wal on read-only media exits 0" test $rc -eq 0
    check "... the same report" cmp -s "$OUT" "$T/victims.rw"
    rm -f "$RO/db/tipdesk.db-wal"

    # Changes still in a -wal (from a program killed before its checkpoint)
    # would be missed by reading the main file alone: refused.
    mkfifo "$T/sql.fifo"
    sqlite3 "$RO/db/tipdesk.db" < "$T/sql.fifo" >/dev/null 2>&1 &
    exec 3>"$T/sql.fifo"
    echo "PRAGMA wal_autocheckpoint=0; UPDATE cases SET home_village = 'ບ້ານ ໂພນທັນ';" >&3
    i=0; while [ ! -s "$RO/db/tipdesk.db-wal" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
    sleep 0.5
    kill -9 $! 2>/dev/null
    wait $! 2>/dev/null
    exec 3>&-
    rm -f "$RO/db/tipdesk.db-shm"
    wal_sum=$(sum "$RO/db/tipdesk.db")
    check "a -wal with changes is left" test -s "$RO/db/tipdesk.db-wal"
    ro report victims
    check "report with a -wal on read-only media: exit 1" test $rc -eq 1
    one_line "$ERR" && has "tipdesk.db-wal holds changes not yet in it" "$ERR" \
        && ok "... one line naming the -wal and what to do" || fail "wal: $(cat "$ERR")"
    check "... database unchanged" test "$(sum "$RO/db/tipdesk.db")" = "$wal_sum"

    # A database that needs a newer schema cannot be migrated there.
    rm -f "$RO/db/tipdesk.db-wal"
    cp "$DB" "$RO/db/tipdesk.db"
    v=$(sql 'PRAGMA user_version')
    sqlite3 "$RO/db/tipdesk.db" "PRAGMA user_version = $((v - 1))"
    old_sum=$(sum "$RO/db/tipdesk.db")
    for c in check "report victims" "export csv cases" "backup $W2/old.db"; do
        ro $c
        if [ $rc -eq 1 ] && one_line "$ERR" && has "schema version $((v - 1)) must be brought to $v" "$ERR" \
            && has "copy the database folder to a writable place" "$ERR"; then
            ok "$c on read-only media needing a migration: refused in one line"
        else
            fail "$c needing a migration: exit $rc: $(cat "$ERR")"
        fi
    done
    check "... database unchanged" test "$(sum "$RO/db/tipdesk.db")" = "$old_sum"
fi
