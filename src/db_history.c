/* A record's audit entries read back, and its revisions rebuilt from them;
 * see include/db_history.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "db_history.h"
#include "db_rec.h"
#include "util.h"

static char *dup_or_null(const char *s)
{
    return s ? xstrdup(s) : NULL;
}

static int is_kid(const struct db_table *t, const char *col)
{
    size_t k;

    for (k = 0; k < ARRAY_LEN(t->kids) && t->kids[k]; k++)
        if (strcmp(t->kids[k], col) == 0)
            return 1;
    return 0;
}

/* Entries that change values and say from what: the ones a rebuild undoes. */
static int undoable(const struct db_history_entry *e)
{
    return !strcmp(e->action, "update") || !strcmp(e->action, "delete") ||
           !strcmp(e->action, "restore");
}

static int bad_entry(const struct db_history *h, const struct db_history_entry *e, const char *why)
{
    return err_set("%s %s: its audit entry %lld (%s, revision %lld) %s; "
                   "run 'tipdesk check' and restore the database from a backup", h->table, h->ref,
                   (long long)e->id, e->action, (long long)e->rev, why);
}

/* Parses E's changes: {"bundle": NAME} for an import, else members
 * "col": [old, new]; a compact create has none. */
static int parse_changes(struct db *db, const struct db_table *t, const struct db_history *h,
                         struct db_history_entry *e)
{
    struct db_stmt *st;
    int rc = 0;

    if (!e->changes)
        return !strcmp(e->action, "create") ? 0 : bad_entry(h, e, "has no changes");
    if (db_query_int(db, "SELECT json_valid(?1) AND json_type(?1) = 'object'", e->changes, 0) != 1)
        return bad_entry(h, e, "is not a JSON object");
    if (!strcmp(e->action, "import")) {
        st = db_prepare(db, "SELECT ?1 ->> '$.bundle'", 1);
        if (!st)
            return -1;
        db_bind_text(st, 1, e->changes);
        if (db_step(st) == 1)
            e->bundle = dup_or_null(db_column_text(st, 0));
        db_reset(st);
        return 0;
    }
    st = db_prepare(db, "SELECT key, type = 'array' AND json_array_length(value) = 2, "
                    "value ->> '$[0]', value ->> '$[1]' FROM json_each(?1)", 1);
    if (!st)
        return -1;
    db_bind_text(st, 1, e->changes);
    while (rc == 0 && db_step(st) == 1) {
        struct db_change *c;

        if (db_column_int(st, 1) != 1) {
            rc = bad_entry(h, e, "has a change that is not a pair [old, new]");
            break;
        }
        e->ch = xrealloc(e->ch, (e->nch + 1) * sizeof(*e->ch));
        c = &e->ch[e->nch++];
        c->col = xstrdup(db_column_text(st, 0));
        c->old = dup_or_null(db_column_text(st, 2));
        c->new = dup_or_null(db_column_text(st, 3));
        c->kids = is_kid(t, c->col);
    }
    db_reset(st);
    return rc;
}

/* Finds KEY (uuid or ref) in TABLE and fills H's table, uuid, ref and rev; 1
 * found, 0 not, -1 error. */
static int find_record(struct db *db, const char *table, const char *key, struct db_history *h)
{
    char *sql = xasprintf("SELECT uuid, ref, rev FROM %s WHERE uuid = ?1 OR ref = ?1", table);
    struct db_stmt *st = db_prepare(db, sql, 0);
    int found;

    free(sql);
    if (!st)
        return -1;
    db_bind_text(st, 1, key);
    found = db_step(st);
    if (found == 1) {
        snprintf(h->table, sizeof(h->table), "%s", table);
        snprintf(h->uuid, sizeof(h->uuid), "%s", db_column_text(st, 0));
        snprintf(h->ref, sizeof(h->ref), "%s", db_column_text(st, 1));
        h->rev = db_column_int(st, 2);
    }
    db_finalize(st);
    return found;
}

struct db_history *db_history_new(struct db *db, const char *table, const char *key)
{
    struct db_history *h = xcalloc(1, sizeof(*h));
    const struct db_table *t;
    struct db_stmt *st = NULL;
    size_t i;
    int found = 0;

    /* Each kind of record numbers its refs on its own: a ref may name two. */
    for (i = 0; db_tables[i]; i++) {
        int f;

        if (table && strcmp(table, db_tables[i]->name) != 0)
            continue;
        if (found && (f = find_record(db, db_tables[i]->name, key, &(struct db_history){0})) != 0) {
            if (f > 0)
                err_set("'%s' is the ref of a record in %s and in %s; say which, e.g. "
                        "'tipdesk history %s %s'", util_printable(key), h->table, db_tables[i]->name,
                        db_tables[i]->name, util_printable(key));
            goto fail;
        }
        if (!found && (found = find_record(db, db_tables[i]->name, key, h)) < 0)
            goto fail;
    }
    if (!found) {
        err_set("no %s has the ref or uuid '%s'; see the refs with 'tipdesk export csv %s'",
                table ? table : "case, prosecution or event", util_printable(key),
                table ? table : "cases");
        goto fail;
    }
    t = db_table_find(h->table);
    st = db_prepare(db, "SELECT id, rev, at, user, office, action, changes FROM audit_log "
                    "WHERE uuid = ?1 AND tbl = ?2 ORDER BY rev, id", 0);
    if (!st)
        goto fail;
    db_bind_text(st, 1, h->uuid);
    db_bind_text(st, 2, h->table);
    while (db_step(st) == 1) {
        struct db_history_entry *e;

        h->e = xrealloc(h->e, (h->n + 1) * sizeof(*h->e));
        e = &h->e[h->n++];
        memset(e, 0, sizeof(*e));
        e->id = db_column_int(st, 0);
        e->rev = db_column_int(st, 1);
        e->at = xstrdup(db_column_text(st, 2));
        e->user = xstrdup(db_column_text(st, 3));
        e->office = xstrdup(db_column_text(st, 4));
        e->action = xstrdup(db_column_text(st, 5));
        e->changes = dup_or_null(db_column_text(st, 6));
    }
    db_finalize(st);
    for (i = 0; i < h->n; i++)
        if (parse_changes(db, t, h, &h->e[i]) < 0)
            goto fail;
    return h;
fail:
    db_history_free(h);
    return NULL;
}

void db_history_free(struct db_history *h)
{
    size_t i, k;

    if (!h)
        return;
    for (i = 0; i < h->n; i++) {
        struct db_history_entry *e = &h->e[i];

        for (k = 0; k < e->nch; k++) {
            free(e->ch[k].col);
            free(e->ch[k].old);
            free(e->ch[k].new);
        }
        free(e->ch);
        free(e->at);
        free(e->user);
        free(e->office);
        free(e->action);
        free(e->changes);
        free(e->bundle);
    }
    free(h->e);
    free(h);
}

int db_history_kids(struct db *db, struct rec *r, const char *child, const char *json)
{
    struct db_stmt *st;
    struct rec *kid = NULL;
    int64_t row = -1;
    int rc = 0;

    if (db_query_int(db, "SELECT json_valid(?1) AND json_type(?1) = 'array'", json, 0) != 1)
        return err_set("%s: the rows of an audit entry are not a JSON array", child);
    rec_kids_clear(r, child);
    /* LEFT JOIN: a row with no values is still a row. */
    st = db_prepare(db, "SELECT j.key, j.type = 'object', k.key, k.atom FROM json_each(?1) j "
                    "LEFT JOIN json_each(j.value) k ORDER BY j.key, k.id", 1);
    if (!st)
        return -1;
    db_bind_text(st, 1, json);
    while (db_step(st) == 1) {
        if (db_column_int(st, 1) != 1) {
            rc = err_set("%s: a row of an audit entry is not a JSON object", child);
            break;
        }
        if (db_column_int(st, 0) != row) {
            row = db_column_int(st, 0);
            kid = rec_kid_add(r, child);
            rec_setf(kid, "seq", "%lld", (long long)row + 1);
        }
        if (!db_column_is_null(st, 2))
            rec_set(kid, db_column_text(st, 2), db_column_text(st, 3));
    }
    db_reset(st);
    return rc;
}

/* Puts back the old values of E into R. */
static int undo(struct db *db, const struct db_history *h, const struct db_history_entry *e,
                struct rec *r)
{
    size_t k;

    for (k = 0; k < e->nch; k++) {
        const struct db_change *c = &e->ch[k];

        if (c->kids) {
            if (db_history_kids(db, r, c->col, c->old ? c->old : "[]") < 0)
                return bad_entry(h, e, err_msg());
        } else if (rec_find(r, c->col) < 0) {
            return bad_entry(h, e, "names a column the record does not have");
        } else {
            rec_set(r, c->col, c->old);
        }
    }
    return 0;
}

struct rec *db_history_revision(struct db *db, const struct db_history *h, int64_t rev)
{
    const struct db_history_entry *at_rev = NULL;
    int64_t want = h->rev;      /* the next revision to undo */
    struct rec *r;
    size_t i;

    if (rev < 1 || rev > h->rev) {
        err_set("%s %s has revisions 1 to %lld; there is no revision %lld", h->table, h->ref,
                (long long)h->rev, (long long)rev);
        return NULL;
    }
    if (!(r = db_rec_get(db, h->table, h->uuid)))
        return NULL;
    for (i = h->n; i-- > 0;) {
        const struct db_history_entry *e = &h->e[i];

        if (!undoable(e))
            continue;
        if (e->rev == rev)
            at_rev = e;
        if (e->rev <= rev)
            continue;
        if (e->rev != want) {
            err_set("the history of %s %s is not complete: an entry of revision %lld where "
                    "revision %lld was expected", h->table, h->ref, (long long)e->rev, (long long)want);
            goto fail;
        }
        if (undo(db, h, e, r) < 0)
            goto fail;
        want--;
    }
    if (want != rev) {
        err_set("the history of %s %s is not complete: no entry for revision %lld (it came "
                "without its history), so revision %lld cannot be rebuilt", h->table, h->ref,
                (long long)want, (long long)rev);
        goto fail;
    }
    rec_setf(r, "rev", "%lld", (long long)rev);
    if (rev == 1) {
        rec_set(r, "updated_at", rec_get(r, "created_at"));
        rec_set(r, "updated_by", rec_get(r, "created_by"));
    } else if (at_rev) {
        rec_set(r, "updated_at", at_rev->at);
        rec_set(r, "updated_by", at_rev->user);
    }
    return r;
fail:
    rec_free(r);
    return NULL;
}
