/* db_history — a record's past, read from its audit rows: the entries in
 * order with their changes parsed, and any revision of the record rebuilt.
 * A 'create' entry holds no values (db/README.md, audit_log): revision 1 is
 * the stored record with the old values of every later entry put back,
 * newest first.  Reads only; the writers are db_rec.c and db_bundle_merge.c. */
#ifndef TIPDESK_DB_HISTORY_H
#define TIPDESK_DB_HISTORY_H

#include <stdint.h>

#include "db.h"
#include "record.h"

/* One changed column, or one changed child list (KIDS set: OLD and NEW are
 * JSON arrays of the child rows, as db_history_kids reads them). */
struct db_change {
    char *col;
    char *old, *new;        /* NULL: empty */
    int kids;
};

/* One audit row of the record. */
struct db_history_entry {
    int64_t id, rev;
    char *at, *user, *office, *action;
    char *changes;          /* the raw JSON, or NULL (a compact 'create') */
    struct db_change *ch;   /* the members [old, new] of CHANGES, in order */
    size_t nch;
    char *bundle;           /* an 'import' entry: the bundle it came in */
};

struct db_history {
    char table[16];
    char uuid[37];
    char ref[32];
    int64_t rev;            /* the stored revision */
    struct db_history_entry *e;     /* by revision, then by id */
    size_t n;
};

/* The record of a main table with uuid or ref KEY and its audit entries;
 * TABLE NULL tries cases, prosecutions and events.  NULL with err set when
 * there is no such record or an entry is not what tipdesk writes.  Free
 * with db_history_free. */
struct db_history *db_history_new(struct db *db, const char *table, const char *key);
void db_history_free(struct db_history *h);

/* Revision REV (1 .. the stored one) of the record of H, with its child
 * rows, as db_rec_get would have read it then: the stored record with the
 * old values of every entry after REV put back, newest first; rev,
 * updated_at and updated_by those of REV (revision 1: created_at and
 * created_by).  NULL with err set when REV is out of range or the entries
 * do not reach back to it (a revision with no entry).  Caller frees. */
struct rec *db_history_revision(struct db *db, const struct db_history *h, int64_t rev);

/* Replaces R's child rows of CHILD by the rows of the JSON array JSON
 * (a snapshot of an audit entry), numbered seq 1, 2, ...  0 or -1. */
int db_history_kids(struct db *db, struct rec *r, const char *child, const char *json);

#endif
