/* outfile — where tipdesk may write a file, and how.  Every writer (bundles,
 * backups, CSV, HTCDS, DHIS2, reports; commands and screens alike) asks here
 * first: never over the database or its -wal, -shm and -journal files, never
 * into the backup folder (but a new backup), and over an existing file only
 * when it is the same kind.  Files are made private (0600) from the start. */
#ifndef TIPDESK_OUTFILE_H
#define TIPDESK_OUTFILE_H

#include <stddef.h>
#include <stdio.h>

struct sbuf;

enum outfile_kind {
    OUT_BUNDLE,     /* a bundle: SQLite with application_id 'TIPX' */
    OUT_BACKUP,     /* a copy of the database: SQLite with application_id 'TIPD' */
    OUT_CSV,        /* CSV text with a header row */
    OUT_REPORT,     /* a report's text tables */
    OUT_JSON,       /* a DHIS2 data value set */
    OUT_XML         /* DHIS2 ADX */
};

/* Names the files no writer may replace: the database DB_PATH (with its
 * companions) and the folder BACKUP_DIR.  Either may be NULL; called once at
 * start-up with the config's paths.  The strings are copied. */
void outfile_protect(const char *db_path, const char *backup_dir);

/* 0 when PATH may be written as a KIND file; -1 with err set to one line
 * naming PATH and what to do.  Refused always: the database, its -wal, -shm
 * or -journal (by device and inode, so other spellings, links and symlinks
 * are caught), anything in the backup folder but a new backup, a folder or
 * other non-regular file, and a tipdesk database or bundle to be replaced by
 * another kind.  Any other existing file is replaced only when it is empty or
 * of the same kind (a CSV over a CSV), or when FORCE is set. */
int outfile_check(const char *path, enum outfile_kind kind, int force);

/* 0 when DIR may receive output files: not the backup folder or inside it,
 * not an existing file.  -1 with err set. */
int outfile_check_dir(const char *dir);

/* Creates PATH anew (a stale file of that name is removed first), readable
 * and writable only by its owner, and opens it for writing; NULL with err
 * set.  For the temporary files writers rename into place. */
FILE *outfile_create(const char *path);

/* The same, closed at once: an empty private file for SQLite to fill (SQLite
 * gives its -wal, -shm and -journal files the mode of the main file). */
int outfile_touch(const char *path);

/* Writes LEN bytes of DATA to PATH through a private temporary file beside
 * it, synced and renamed into place; 0, or -1 with err set and nothing left
 * behind.  Call outfile_check first. */
int outfile_write(const char *path, const void *data, size_t len);

/* Appends a line to OUT when PATH (a file or folder) can be read by users
 * other than its owner: "PATH: mode 0644 lets other users read it; run
 * chmod 600 PATH".  Returns 1 when it did, 0 when PATH is private or absent. */
int outfile_mode_warn(const char *path, struct sbuf *out);

#endif
