/* Storing records: create/update with rev and audit rows, soft delete,
 * fetch.  Lists and search are in db_list.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "db_audit.h"
#include "db_rec.h"
#include "db_rec_priv.h"
#include "util.h"

static const struct db_table t_cases = {
    "cases", "registered_on", { "case_events", "case_screening", "case_assistance" },
    "case_uuid", "cases_fts"
};
static const struct db_table t_prosecutions = {
    "prosecutions", "investigated_on", { "suspects", "prosecution_victims", NULL },
    "prosecution_uuid", "prosecutions_fts"
};
static const struct db_table t_events = {
    "events", "start_on", { NULL, NULL, NULL }, NULL, "events_fts"
};

const struct db_table *const db_tables[] = { &t_cases, &t_prosecutions, &t_events, NULL };

const struct db_table *db_table_find(const char *name)
{
    size_t i;

    for (i = 0; db_tables[i]; i++)
        if (strcmp(db_tables[i]->name, name) == 0)
            return db_tables[i];
    return NULL;
}

const struct db_table *db_table_parent_of(const char *child)
{
    size_t i, k;

    for (i = 0; db_tables[i]; i++)
        for (k = 0; k < ARRAY_LEN(db_tables[i]->kids) && db_tables[i]->kids[k]; k++)
            if (strcmp(db_tables[i]->kids[k], child) == 0)
                return db_tables[i];
    return NULL;
}

/* Columns the store manages itself; a record's values for them are ignored
 * on update. */
static int is_managed(const char *col)
{
    static const char *const managed[] = {
        "id", "uuid", "ref", "office", "rev", "created_at", "created_by",
        "updated_at", "updated_by", "deleted_at"
    };
    size_t i;

    for (i = 0; i < ARRAY_LEN(managed); i++)
        if (strcmp(col, managed[i]) == 0)
            return 1;
    return 0;
}

/* Two stored values are the same when equal as text or as numbers
 * (a REAL column gives back "50.0" for "50"). */
static int same_value(const char *a, const char *b)
{
    char *ea, *eb;
    double x, y;

    if (!a || !b)
        return !a && !b;
    if (strcmp(a, b) == 0)
        return 1;
    x = strtod(a, &ea);
    y = strtod(b, &eb);
    return *a && *b && !*ea && !*eb && x == y;
}

/* A transaction of our own, or the caller's when one is open.  No savepoint
 * inside the caller's: FTS5 flushes its pending index data at every
 * savepoint, which made batches of saves three times slower.  The caller of
 * a batch rolls the whole batch back on any error. */
static int tx_begin(struct db *db, int *nested)
{
    *nested = db_in_tx(db);
    return *nested ? 0 : db_begin(db);
}

static int tx_commit(struct db *db, int nested)
{
    return nested ? 0 : db_commit(db);
}

static void tx_rollback(struct db *db, int nested)
{
    if (!nested)
        db_rollback(db);
}

static int audit(struct db *db, const char *table, const char *uuid, const char *action,
                 int64_t rev, const char *changes, const struct db_actor *who, const char *now)
{
    struct db_audit a = { now, who->user, who->office, table, uuid, action, rev, changes };

    return db_audit_add(db, &a);
}

/* Reads the stored row (without children) into a new rec, or NULL. */
static struct rec *row_get(struct db *db, const struct db_table *t, const char *key)
{
    char *sql = xasprintf("SELECT * FROM %s WHERE uuid = ?1 OR ref = ?1", t->name);
    struct db_stmt *st = db_prepare(db, sql, 1);
    struct rec *r = NULL;
    int i, n;

    free(sql);
    if (!st)
        return NULL;
    db_bind_text(st, 1, key);
    if (db_step(st) == 1) {
        r = rec_new(t->name);
        n = db_column_count(st);
        for (i = 0; i < n; i++)
            rec_set(r, db_column_name(st, i), db_column_text(st, i));
    }
    db_reset(st);
    return r;
}

static int check_columns(struct db *db, const struct rec *r)
{
    const struct columns *c = columns_of(db, r->table);
    size_t i;

    if (!c)
        return -1;
    for (i = 0; i < r->n; i++)
        if (!has_col(c, r->col[i]))
            return err_set("%s: no such column '%s'", r->table, r->col[i]);
    return 0;
}

static int rec_create(struct db *db, const struct db_table *t, struct rec *r,
                      const struct db_actor *who, const char *now)
{
    struct sbuf sql = {0};
    struct db_stmt *st;
    char uuid[37], *ref = NULL;
    size_t i;
    int n = 0, rc = -1;

    if (rec_get(r, "uuid"))
        snprintf(uuid, sizeof(uuid), "%s", rec_get(r, "uuid"));
    else
        util_uuid4(uuid);
    rec_set(r, "uuid", uuid);
    if (!rec_get(r, "office"))
        rec_set(r, "office", who->office);
    if (!rec_get(r, "ref")) {
        ref = ref_take(db, t, rec_get(r, "office"), ref_year(r, t));
        if (!ref)
            goto out;
        rec_set(r, "ref", ref);
    }
    rec_set(r, "rev", "1");
    rec_set(r, "deleted_at", NULL);
    if (!rec_get(r, "created_at"))
        rec_set(r, "created_at", now);
    if (!rec_get(r, "created_by"))
        rec_set(r, "created_by", who->user);
    if (!rec_get(r, "updated_at"))
        rec_set(r, "updated_at", rec_get(r, "created_at"));
    if (!rec_get(r, "updated_by"))
        rec_set(r, "updated_by", rec_get(r, "created_by"));

    /* Plain appends: this runs for every record of a bulk load. */
    sbuf_add(&sql, "INSERT INTO ");
    sbuf_add(&sql, t->name);
    sbuf_add(&sql, "(");
    for (i = 0; i < r->n; i++) {
        if (strcmp(r->col[i], "id") == 0)
            continue;
        sbuf_add(&sql, n++ ? ", \"" : "\"");
        sbuf_add(&sql, r->col[i]);
        sbuf_addc(&sql, '"');
    }
    sbuf_add(&sql, ") VALUES (?");
    for (i = 1; (int)i < n; i++)
        sbuf_add(&sql, ", ?");
    sbuf_add(&sql, ")");
    st = db_prepare(db, sbuf_str(&sql), 1);
    if (!st)
        goto out;
    n = 0;
    for (i = 0; i < r->n; i++)
        if (strcmp(r->col[i], "id") != 0)
            db_bind_text(st, ++n, r->val[i]);
    if (db_step(st) < 0) {
        err_set("%s: %s", t->name, err_msg());
        goto out;
    }
    db_reset(st);
    if (t->fk && kids_write(db, t, r, uuid) < 0)
        goto out;
    /* No changes: the values of revision 1 are the stored record with the
     * old values of every later entry put back (db_history.c), so repeating
     * them here would only double the log. */
    rc = audit(db, t->name, uuid, "create", 1, NULL, who, now);
out:
    free(ref);
    sbuf_free(&sql);
    return rc;
}

static int rec_update(struct db *db, const struct db_table *t, struct rec *r,
                      struct rec *old, const struct db_actor *who, const char *now)
{
    struct sbuf sql = {0}, changes = {0};
    struct db_stmt *st;
    const char *uuid = rec_get(old, "uuid");
    const char *rev_s = rec_get(r, "rev");
    long stored_rev = atol(rec_get(old, "rev")), rev;
    char *before[3] = {0}, *after[3] = {0};
    size_t i;
    int n = 0, rc = -1, dirty = 0, same = 0;

    if (rev_s && (util_parse_long(rev_s, &rev) < 0 || rev != stored_rev)) {
        err_set("%s %s was changed meanwhile (now revision %ld, this copy %s); "
                "reopen it and make the change again", t->name, rec_get(old, "ref"), stored_rev, rev_s);
        goto out;
    }
    sbuf_addc(&changes, '{');
    sbuf_addf(&sql, "UPDATE %s SET ", t->name);
    for (i = 0; i < r->n; i++) {
        const char *was = rec_get(old, r->col[i]);

        if (is_managed(r->col[i]) || same_value(was, r->val[i]))
            continue;
        sbuf_addf(&sql, "\"%s\" = ?%d, ", r->col[i], ++n);
        sbuf_addf(&changes, "%s\"%s\":[", changes.len > 1 ? "," : "", r->col[i]);
        util_json_string(&changes, was);
        sbuf_addc(&changes, ',');
        util_json_string(&changes, r->val[i]);
        sbuf_addc(&changes, ']');
        dirty = 1;
    }
    /* Children are replaced, then compared with what was there, unless
     * they are what was there. */
    if (!t->fk || (same = kids_unchanged(db, t, r, uuid)) == 1)
        goto kids_done;
    if (same < 0)
        goto out;
    for (i = 0; i < ARRAY_LEN(t->kids) && t->kids[i]; i++)
        if (!(before[i] = kids_snapshot(db, t, t->kids[i], uuid)))
            goto out;
    if (kids_write(db, t, r, uuid) < 0)
        goto out;
    for (i = 0; i < ARRAY_LEN(t->kids) && t->kids[i]; i++) {
        if (!(after[i] = kids_snapshot(db, t, t->kids[i], uuid)))
            goto out;
        if (strcmp(before[i], after[i]) != 0) {
            sbuf_addf(&changes, "%s\"%s\":[%s,%s]", changes.len > 1 ? "," : "",
                      t->kids[i], before[i], after[i]);
            dirty = 1;
        }
    }
kids_done:
    sbuf_addc(&changes, '}');
    if (!dirty) {
        rc = 0;
        goto out;
    }
    sbuf_addf(&sql, "rev = rev + 1, updated_at = ?%d, updated_by = ?%d WHERE uuid = ?%d",
              n + 1, n + 2, n + 3);
    st = db_prepare(db, sbuf_str(&sql), 1);
    if (!st)
        goto out;
    n = 0;
    for (i = 0; i < r->n; i++) {
        if (is_managed(r->col[i]) || same_value(rec_get(old, r->col[i]), r->val[i]))
            continue;
        db_bind_text(st, ++n, r->val[i]);
    }
    db_bind_text(st, n + 1, now);
    db_bind_text(st, n + 2, who->user);
    db_bind_text(st, n + 3, uuid);
    if (db_step(st) < 0) {
        err_set("%s %s: %s", t->name, rec_get(old, "ref"), err_msg());
        goto out;
    }
    db_reset(st);
    if (audit(db, t->name, uuid, "update", stored_rev + 1, sbuf_str(&changes), who, now) < 0)
        goto out;
    rc = 1;
out:
    for (i = 0; i < 3; i++) {
        free(before[i]);
        free(after[i]);
    }
    sbuf_free(&sql);
    sbuf_free(&changes);
    return rc;
}

/* Copies the stored common columns back into R after a save. */
static void refresh_common(struct db *db, const struct db_table *t, struct rec *r)
{
    static const char *const cols[] = { "id", "uuid", "ref", "office", "status", "rev",
        "created_at", "created_by", "updated_at", "updated_by", "deleted_at" };
    char *sql = xasprintf("SELECT id, uuid, ref, office, status, rev, created_at, created_by, "
                          "updated_at, updated_by, deleted_at FROM %s WHERE uuid = ?1", t->name);
    struct db_stmt *st = db_prepare(db, sql, 1);
    size_t i;

    free(sql);
    if (!st)
        return;
    db_bind_text(st, 1, rec_get(r, "uuid"));
    if (db_step(st) == 1)
        for (i = 0; i < ARRAY_LEN(cols); i++)
            rec_set(r, cols[i], db_column_text(st, (int)i));
    db_reset(st);
}

int db_rec_save(struct db *db, struct rec *r, const struct db_actor *who)
{
    const struct db_table *t = db_table_find(r->table);
    struct rec *old = NULL;
    char now[21];
    int nested, rc;

    if (!t)
        return err_set("'%s' is not a kind of record (cases, prosecutions, events)", r->table);
    if (check_columns(db, r) < 0)
        return -1;
    util_now_iso(now);
    if (tx_begin(db, &nested) < 0)
        return -1;
    if (rec_get(r, "uuid"))
        old = row_get(db, t, rec_get(r, "uuid"));
    if (old)
        rc = rec_update(db, t, r, old, who, now);
    else
        rc = rec_create(db, t, r, who, now) < 0 ? -1 : 1;
    rec_free(old);
    if (rc < 0 || tx_commit(db, nested) < 0) {
        char msg[1024];

        snprintf(msg, sizeof(msg), "%s", err_msg());
        tx_rollback(db, nested);
        err_set("%s", msg);
        return -1;
    }
    refresh_common(db, t, r);
    return rc;
}

/* Copies the columns of ST's row from column FROM on into R, without a
 * child row's id and its parent's uuid (FK; NULL: every column). */
static void row_to_rec(struct db_stmt *st, int from, struct rec *r, const char *fk)
{
    int i, n = db_column_count(st);

    for (i = from; i < n; i++) {
        const char *col = db_column_name(st, i);

        if (!fk || (strcmp(col, "id") && strcmp(col, fk)))
            rec_set(r, col, db_column_text(st, i));
    }
}

struct rec *db_rec_get(struct db *db, const char *table, const char *key)
{
    const struct db_table *t = db_table_find(table);
    struct rec *r;
    size_t k;

    if (!t) {
        err_set("'%s' is not a kind of record", table);
        return NULL;
    }
    r = row_get(db, t, key);
    if (!r) {
        err_set("%s: no record '%s'", table, key);
        return NULL;
    }
    for (k = 0; k < ARRAY_LEN(t->kids) && t->kids[k]; k++) {
        char *sql = xasprintf("SELECT * FROM %s WHERE %s = ?1 ORDER BY seq", t->kids[k], t->fk);
        struct db_stmt *st = db_prepare(db, sql, 1);

        free(sql);
        if (!st) {
            rec_free(r);
            return NULL;
        }
        db_bind_text(st, 1, rec_get(r, "uuid"));
        while (db_step(st) == 1)
            row_to_rec(st, 0, rec_kid_add(r, t->kids[k]), t->fk);
        db_reset(st);
    }
    return r;
}

static int named(const char *const *names, const char *name)
{
    for (; names && *names; names++)
        if (strcmp(*names, name) == 0)
            return 1;
    return !names;
}

int db_rec_each(struct db *db, const char *table, const char *const *kids,
                int (*fn)(void *ctx, struct rec *r), void *ctx)
{
    const struct db_table *t = db_table_find(table);
    struct db_stmt *main, *kst[ARRAY_LEN(t_cases.kids)] = {0};
    const char *kname[ARRAY_LEN(t_cases.kids)];
    int more[ARRAY_LEN(t_cases.kids)] = {0}, rc = -1, step = 0;
    size_t i, k, nk = 0;
    char *sql;

    if (!t)
        return err_set("'%s' is not a kind of record", table);
    sql = xasprintf("SELECT id, * FROM %s WHERE deleted_at IS NULL ORDER BY id", t->name);
    main = db_prepare(db, sql, 0);
    free(sql);
    if (!main)
        return -1;
    /* One read per child table beside the parents' (not a query per
     * record): each parent in id order with its rows by seq, looked up in
     * the child table's (uuid, ...) index; CROSS JOIN keeps the parents the
     * outer loop, so only each parent's few rows are sorted. */
    for (i = 0; i < ARRAY_LEN(t->kids) && t->kids[i]; i++) {
        if (!named(kids, t->kids[i]))
            continue;
        kname[nk] = t->kids[i];
        sql = xasprintf("SELECT p.id, k.* FROM %s p CROSS JOIN %s k ON k.%s = p.uuid"
                        " WHERE p.deleted_at IS NULL ORDER BY p.id, k.seq", t->name, kname[nk], t->fk);
        kst[nk] = db_prepare(db, sql, 0);
        free(sql);
        if (!kst[nk])
            goto out;
        more[nk] = db_step(kst[nk]);
        if (more[nk++] < 0)
            goto out;
    }
    while ((step = db_step(main)) == 1) {
        int64_t id = db_column_int(main, 0);
        struct rec *r = rec_new(t->name);
        int stop;

        row_to_rec(main, 1, r, NULL);
        for (k = 0; k < nk; k++)
            while (more[k] == 1 && db_column_int(kst[k], 0) == id) {
                row_to_rec(kst[k], 1, rec_kid_add(r, kname[k]), t->fk);
                more[k] = db_step(kst[k]);
            }
        stop = fn(ctx, r);
        rec_free(r);
        for (k = 0; k < nk; k++)
            if (more[k] < 0)
                goto out;
        if (stop)
            break;
    }
    rc = step < 0 ? -1 : 0;
out:
    for (k = 0; k < nk; k++)
        if (kst[k])
            db_finalize(kst[k]);
    db_finalize(main);
    return rc;
}

static int set_deleted(struct db *db, const char *table, const char *uuid,
                       const struct db_actor *who, int deleted)
{
    const struct db_table *t = db_table_find(table);
    struct db_stmt *st;
    char now[21], *sql, *changes;
    struct rec *old;
    int nested;
    long rev;

    if (!t)
        return err_set("'%s' is not a kind of record", table);
    util_now_iso(now);
    if (tx_begin(db, &nested) < 0)
        return -1;
    old = row_get(db, t, uuid);
    if (!old) {
        tx_rollback(db, nested);
        return err_set("%s: no record '%s'", table, uuid);
    }
    if (!rec_get(old, "deleted_at") == !deleted) {
        err_set("%s %s is %s", table, rec_get(old, "ref"), deleted ? "already deleted" : "not deleted");
        goto fail;
    }
    rev = atol(rec_get(old, "rev")) + 1;
    sql = xasprintf("UPDATE %s SET deleted_at = ?1, rev = rev + 1, updated_at = ?2, "
                    "updated_by = ?3 WHERE uuid = ?4", t->name);
    st = db_prepare(db, sql, 1);
    free(sql);
    if (!st)
        goto fail;
    db_bind_text(st, 1, deleted ? now : NULL);
    db_bind_text(st, 2, now);
    db_bind_text(st, 3, who->user);
    db_bind_text(st, 4, rec_get(old, "uuid"));
    if (db_step(st) < 0)
        goto fail;
    db_reset(st);
    changes = deleted ? xasprintf("{\"deleted_at\":[null,\"%s\"]}", now)
                      : xasprintf("{\"deleted_at\":[\"%s\",null]}", rec_get(old, "deleted_at"));
    if (audit(db, t->name, rec_get(old, "uuid"), deleted ? "delete" : "restore", rev,
              changes, who, now) < 0) {
        free(changes);
        goto fail;
    }
    free(changes);
    rec_free(old);
    if (tx_commit(db, nested) < 0) {
        tx_rollback(db, nested);
        return -1;
    }
    return 0;
fail:
    rec_free(old);
    tx_rollback(db, nested);
    return -1;
}

int db_rec_delete(struct db *db, const char *table, const char *uuid, const struct db_actor *who)
{
    return set_deleted(db, table, uuid, who, 1);
}

int db_rec_restore(struct db *db, const char *table, const char *uuid, const struct db_actor *who)
{
    return set_deleted(db, table, uuid, who, 0);
}
