/* Drafts: a record as JSON in table `drafts`.  The JSON is written here and
 * read back with SQLite's own json_each, so no JSON parser of our own:
 *   {"t":"cases","v":{"col":"value",...},"k":[{"t":"case_events","v":{...}},...]} */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "db_draft.h"
#include "record.h"
#include "util.h"

static void json_rec(struct sbuf *b, const struct rec *r)
{
    size_t i, k = 0;

    sbuf_add(b, "{\"t\":");
    util_json_string(b, r->table);
    sbuf_add(b, ",\"v\":{");
    for (i = 0; i < r->n; i++) {
        if (!r->val[i])
            continue;
        if (k++)
            sbuf_addc(b, ',');
        util_json_string(b, r->col[i]);
        sbuf_addc(b, ':');
        util_json_string(b, r->val[i]);
    }
    sbuf_add(b, "},\"k\":[");
    for (i = 0; i < r->nkids; i++) {
        if (i)
            sbuf_addc(b, ',');
        json_rec(b, r->kids[i]);
    }
    sbuf_add(b, "]}");
}

char *db_draft_json_alloc(const struct rec *r)
{
    struct sbuf b = {0};

    json_rec(&b, r);
    return b.s;
}

int db_draft_save(struct db *db, int64_t *id, const char *form, const char *record_uuid,
                  const char *user, const struct rec *r)
{
    struct db_stmt *st;
    char now[21];
    char *json = db_draft_json_alloc(r);
    int rc = -1;

    util_now_iso(now);
    if (db_begin(db) < 0)
        goto out;
    if (*id > 0) {
        st = db_prepare(db, "UPDATE drafts SET data = ?1, updated_at = ?2, record_uuid = ?3 "
                            "WHERE id = ?4", 1);
        if (!st)
            goto fail;
        db_bind_text(st, 1, json);
        db_bind_text(st, 2, now);
        db_bind_text(st, 3, util_empty(record_uuid) ? NULL : record_uuid);
        db_bind_int(st, 4, *id);
        if (db_step(st) < 0)
            goto fail;
        db_reset(st);
        if (db_changes(db) == 1)
            goto commit;
    }
    st = db_prepare(db, "INSERT INTO drafts (form, record_uuid, user, started_at, updated_at, data) "
                        "VALUES (?1, ?2, ?3, ?4, ?4, ?5)", 1);
    if (!st)
        goto fail;
    db_bind_text(st, 1, form);
    db_bind_text(st, 2, util_empty(record_uuid) ? NULL : record_uuid);
    db_bind_text(st, 3, user ? user : "");
    db_bind_text(st, 4, now);
    db_bind_text(st, 5, json);
    if (db_step(st) < 0)
        goto fail;
    db_reset(st);
    *id = db_query_int(db, "SELECT last_insert_rowid()", NULL, 0);
commit:
    if (db_commit(db) < 0)
        goto fail;
    rc = 0;
    goto out;
fail:
    db_rollback(db);
out:
    free(json);
    return rc;
}

static void copy(char *dst, size_t n, const char *s)
{
    snprintf(dst, n, "%s", s ? s : "");
}

int db_draft_list(struct db *db, const char *user, struct db_draft *out, int n)
{
    struct db_stmt *st;
    int k = 0, r;

    st = db_prepare(db, "SELECT id, form, record_uuid, user, started_at, updated_at FROM drafts "
                        "WHERE ?1 IS NULL OR user = ?1 ORDER BY updated_at DESC, id DESC", 1);
    if (!st)
        return -1;
    db_bind_text(st, 1, user);
    while (k < n && (r = db_step(st)) == 1) {
        struct db_draft *d = &out[k++];

        d->id = db_column_int(st, 0);
        copy(d->form, sizeof(d->form), db_column_text(st, 1));
        copy(d->record_uuid, sizeof(d->record_uuid), db_column_text(st, 2));
        copy(d->user, sizeof(d->user), db_column_text(st, 3));
        copy(d->started_at, sizeof(d->started_at), db_column_text(st, 4));
        copy(d->updated_at, sizeof(d->updated_at), db_column_text(st, 5));
    }
    db_reset(st);
    return k;
}

struct rec *db_draft_get(struct db *db, int64_t id)
{
    struct db_stmt *st;
    struct rec *r = NULL, *kid = NULL;
    int64_t last = -1;
    int s;

    st = db_prepare(db, "SELECT json_extract(data, '$.t') FROM drafts WHERE id = ?1 "
                        "AND json_valid(data)", 1);
    if (!st)
        return NULL;
    db_bind_int(st, 1, id);
    if (db_step(st) == 1)
        r = rec_new(db_column_text(st, 0) ? db_column_text(st, 0) : "");
    db_reset(st);
    if (!r) {
        err_set("draft %lld: not found or unreadable", (long long)id);
        return NULL;
    }
    st = db_prepare(db, "SELECT e.key, e.value FROM drafts d, json_each(d.data, '$.v') e "
                        "WHERE d.id = ?1 ORDER BY e.id", 1);
    if (!st)
        goto fail;
    db_bind_int(st, 1, id);
    while ((s = db_step(st)) == 1)
        rec_set(r, db_column_text(st, 0), db_column_text(st, 1));
    db_reset(st);
    if (s < 0)
        goto fail;
    /* child rows: one line per value, or one line with NULLs for a row
     * without values */
    st = db_prepare(db, "SELECT k.key, json_extract(k.value, '$.t'), e.key, e.value "
                        "FROM drafts d JOIN json_each(d.data, '$.k') k "
                        "LEFT JOIN json_each(k.value, '$.v') e WHERE d.id = ?1 "
                        "ORDER BY k.key, e.id", 1);
    if (!st)
        goto fail;
    db_bind_int(st, 1, id);
    while ((s = db_step(st)) == 1) {
        if (db_column_int(st, 0) != last) {
            last = db_column_int(st, 0);
            kid = rec_kid_add(r, db_column_text(st, 1) ? db_column_text(st, 1) : "");
        }
        if (!db_column_is_null(st, 2))
            rec_set(kid, db_column_text(st, 2), db_column_text(st, 3));
    }
    db_reset(st);
    if (s < 0)
        goto fail;
    return r;
fail:
    rec_free(r);
    return NULL;
}

int db_draft_delete(struct db *db, int64_t id)
{
    struct db_stmt *st;
    int rc, nested = db_in_tx(db);

    if (!nested && db_begin(db) < 0)
        return -1;
    st = db_prepare(db, "DELETE FROM drafts WHERE id = ?1", 1);
    if (!st) {
        if (!nested)
            db_rollback(db);
        return -1;
    }
    db_bind_int(st, 1, id);
    rc = db_step(st);
    db_reset(st);
    if (rc < 0) {
        if (!nested)
            db_rollback(db);
        return -1;
    }
    return nested ? 0 : db_commit(db);
}
