/* db_bundle — the SQLite side of bundles: building a bundle file from the
 * database through ATTACH, reading one read-only to verify it, and merging
 * it by uuid and rev.  Each function works through db.h on a second
 * connection of DB's file (db_open_peer), so DB's own transaction and
 * statements are left alone. */
#ifndef TIPDESK_DB_BUNDLE_H
#define TIPDESK_DB_BUNDLE_H

#include "bundle.h"

/* What the exporting office is; filled by bundle.c from the config. */
struct db_bundle_office {
    const char *code, *level, *user;
};

/* Writes the bundle into the new file TMP (which must not exist) and fills
 * X's seq, counts and checksum; the caller syncs and renames TMP, then calls
 * db_bundle_record_export.  0 or -1 with err set (TMP removed). */
int db_bundle_write(struct db *db, const struct db_bundle_office *o, const char *tmp,
                    struct bundle_export *x, const struct bundle_progress *p);
/* Records the written bundle FILE in `exports`.  0 or -1. */
int db_bundle_record_export(struct db *db, const struct db_bundle_office *o,
                            const char *file, const struct bundle_export *x);

/* The forms' rules a bundle's values are held to, as typed input is:
 * MAXLEN gives the longest value (code points) of TABLE.COL, 0 for none. */
struct db_bundle_limits {
    int (*maxlen)(void *ctx, const char *table, const char *col);
    void *ctx;
    /* When not NULL: called once the bundle is verified, before anything is
     * merged, with its manifest in S; -1 with err set refuses it whole. */
    int (*accept)(void *actx, const struct bundle_summary *s);
    void *actx;
};

/* 0 when FILE is a regular file holding a whole tipdesk bundle by its
 * header (read without blocking); else -1 with err set saying what it is. */
int db_bundle_probe(const char *file);

/* Imports the bundle FILE into DB reading it once, in one transaction of one
 * connection, so what is checked is what is merged: the file must be a
 * regular file with a bundle's header; attached read-only with defensive
 * settings, untrusted schema, a limit on value length and a bound on the
 * work its size allows; its schema exactly the writer's; then verified
 * (manifest, integrity, checksum, every row under canon and LIM) and merged
 * by uuid and rev (only counted when S->dry_run), recorded in `imports`.
 * Sets S->already when it was imported before.  0, or -1 with err set to why
 * the whole bundle was refused (DB unchanged). */
int db_bundle_import(struct db *db, const struct db_bundle_office *o, const char *file,
                     const struct db_bundle_limits *lim, struct bundle_summary *s,
                     const struct bundle_progress *p);

#endif
