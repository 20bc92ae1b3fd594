/* db_draft — an open form's unsaved values, kept in table `drafts` as the
 * clerk types so that a power cut or a killed program loses nothing.  A
 * draft holds the whole record (values and child rows) as JSON; it is
 * offered for resuming at the next start and deleted on save or discard. */
#ifndef TIPDESK_DB_DRAFT_H
#define TIPDESK_DB_DRAFT_H

#include <stdint.h>

struct db;
struct rec;

/* One stored draft (without its record). */
struct db_draft {
    int64_t id;
    char form[32];          /* main table: "cases", ... */
    char record_uuid[37];   /* "" for a record not yet saved */
    char user[64];
    char started_at[21], updated_at[21];
};

/* Writes R as draft *ID in one small transaction: a new row when *ID is 0
 * (then *ID gets its id), else that row replaced.  0, or -1 with err set. */
int db_draft_save(struct db *db, int64_t *id, const char *form, const char *record_uuid,
                  const char *user, const struct rec *r);
/* Up to N drafts of USER (NULL: anyone's), newest first, into OUT; the
 * number found, or -1 with err set. */
int db_draft_list(struct db *db, const char *user, struct db_draft *out, int n);
/* The record kept in draft ID, with its child rows; NULL with err set when
 * there is no such draft.  Caller frees with rec_free. */
struct rec *db_draft_get(struct db *db, int64_t id);
/* Removes draft ID (no error when it is gone already); 0 or -1. */
int db_draft_delete(struct db *db, int64_t id);

/* The JSON text of R as kept in a draft; caller frees (exposed for tests). */
char *db_draft_json_alloc(const struct rec *r);

#endif
