/* db_bundle — the SQLite side of bundles: building a bundle file from the
 * database through ATTACH, reading one read-only to verify it, and merging
 * it by uuid and rev.  Each function uses a connection of its own to the
 * database file of DB, so bundle.c stays free of sqlite3. */
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

/* Verifies FILE without changing it: SQLite header and application_id, size,
 * manifest versions, integrity_check, checksum, every row's values and links.
 * Fills S's office, level, seq, created_at, checksum.  0 or -1 with err set. */
int db_bundle_verify(struct db *db, const char *file, struct bundle_summary *s,
                     const struct bundle_progress *p);
/* Merges the verified FILE into DB in one BEGIN IMMEDIATE transaction (or
 * only counts when S->dry_run), records it in `imports` and its conflicts.
 * Sets S->already when this bundle was imported before.  0 or -1. */
int db_bundle_merge(struct db *db, const struct db_bundle_office *o, const char *file,
                    struct bundle_summary *s, const struct bundle_progress *p);

#endif
