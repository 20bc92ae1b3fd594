/* The rows around a record: the schema's columns, child rows (replaced
 * and snapshotted as JSON), and the running numbers behind refs. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "canon.h"
#include "db.h"
#include "db_rec.h"
#include "db_rec_priv.h"
#include "util.h"

/* The columns of each table, read once from the schema. */
static struct columns colcache[16];

const struct columns *columns_of(struct db *db, const char *table)
{
    struct db_stmt *st;
    struct columns *c;
    size_t i;

    for (i = 0; i < ARRAY_LEN(colcache) && colcache[i].n; i++)
        if (strcmp(colcache[i].table, table) == 0)
            return &colcache[i];
    if (i == ARRAY_LEN(colcache) || strlen(table) >= sizeof(c->table)) {
        err_set("no such table '%s'", table);
        return NULL;
    }
    c = &colcache[i];
    st = db_prepare(db, "SELECT name FROM pragma_table_info(?1) ORDER BY cid", 0);
    if (!st)
        return NULL;
    db_bind_text(st, 1, table);
    while (db_step(st) == 1) {
        c->name = xrealloc(c->name, (c->n + 1) * sizeof(*c->name));
        c->name[c->n++] = xstrdup(db_column_text(st, 0));
    }
    db_finalize(st);
    if (!c->n) {
        err_set("no such table '%s'", table);
        return NULL;
    }
    snprintf(c->table, sizeof(c->table), "%s", table);
    return c;
}

int has_col(const struct columns *c, const char *col)
{
    size_t i;

    for (i = 0; i < c->n; i++)
        if (strcmp(c->name[i], col) == 0)
            return 1;
    return 0;
}

int ref_year(const struct rec *r, const struct db_table *t)
{
    const char *d = rec_get(r, t->date_col);
    char today[11];

    if (d && canon_date(d, 1)) {
        char y[5];

        memcpy(y, d, 4);
        y[4] = '\0';
        return canon_year(y);
    }
    util_today(today);
    today[4] = '\0';
    return atoi(today);
}

static char *ref_format(const char *office, int year, int64_t n)
{
    return xasprintf("%s-%d-%04lld", office, year, (long long)n);
}

char *db_ref_peek_alloc(struct db *db, const char *table, const char *office, int year)
{
    struct db_stmt *st = db_prepare(db,
        "SELECT last FROM ref_counter WHERE tbl = ?1 AND office = ?2 AND year = ?3", 1);
    int64_t last = 0;

    if (st) {
        db_bind_text(st, 1, table);
        db_bind_text(st, 2, office);
        db_bind_int(st, 3, year);
        if (db_step(st) == 1)
            last = db_column_int(st, 0);
        db_reset(st);
    }
    return ref_format(office, year, last + 1);
}

/* Takes the next free ref of OFFICE for the record's year. */
char *ref_take(struct db *db, const struct db_table *t, const char *office, int year)
{
    struct db_stmt *up, *exists;
    char *ref = NULL;
    char *sql;

    up = db_prepare(db,
        "INSERT INTO ref_counter(tbl, office, year, last) VALUES (?1, ?2, ?3, 1) "
        "ON CONFLICT (tbl, office, year) DO UPDATE SET last = last + 1 RETURNING last", 1);
    sql = xasprintf("SELECT 1 FROM %s WHERE ref = ?1", t->name);
    exists = db_prepare(db, sql, 1);
    free(sql);
    if (!up || !exists)
        return NULL;
    for (;;) {
        int taken;

        db_bind_text(up, 1, t->name);
        db_bind_text(up, 2, office);
        db_bind_int(up, 3, year);
        if (db_step(up) != 1) {
            db_reset(up);
            return NULL;
        }
        ref = ref_format(office, year, db_column_int(up, 0));
        db_reset(up);
        /* Records imported or made with a given ref may already hold it. */
        db_bind_text(exists, 1, ref);
        taken = db_step(exists) == 1;
        db_reset(exists);
        if (!taken)
            return ref;
        free(ref);
    }
}

/* Child rows: a JSON snapshot, in order, for change detection and audit. */
char *kids_snapshot(struct db *db, const struct db_table *t, const char *kid,
                           const char *uuid)
{
    struct columns *c = (struct columns *)columns_of(db, kid);
    struct db_stmt *st;
    char *out = NULL;
    size_t i;

    if (!c)
        return NULL;
    if (!c->snap_sql) {
        struct sbuf sql = {0};
        int first = 1;

        sbuf_add(&sql, "SELECT json_group_array(json_object(");
        for (i = 0; i < c->n; i++) {
            if (!strcmp(c->name[i], "id") || !strcmp(c->name[i], t->fk) ||
                !strcmp(c->name[i], "seq"))
                continue;
            sbuf_addf(&sql, "%s'%s', \"%s\"", first ? "" : ", ", c->name[i], c->name[i]);
            first = 0;
        }
        sbuf_addf(&sql, ")) FROM (SELECT * FROM %s WHERE %s = ?1 ORDER BY seq)", kid, t->fk);
        c->snap_sql = sql.s;
    }
    st = db_prepare(db, c->snap_sql, 1);
    if (!st)
        return NULL;
    db_bind_text(st, 1, uuid);
    if (db_step(st) == 1)
        out = xstrdup(db_column_text(st, 0) ? db_column_text(st, 0) : "[]");
    db_reset(st);
    return out;
}

/* 1 when the child rows stored under UUID are R's, table by table, in
 * order and to the letter (so rewriting them would change nothing), 0 when
 * not, -1 on error.  Most saves change the record and not its children:
 * they are then neither deleted nor written again. */
int kids_unchanged(struct db *db, const struct db_table *t, const struct rec *r, const char *uuid)
{
    size_t k, i, j, ri;

    for (k = 0; k < ARRAY_LEN(t->kids) && t->kids[k]; k++) {
        const struct columns *c = columns_of(db, t->kids[k]);
        struct sbuf sql = {0};
        struct db_stmt *st;
        int same = 1, step;

        if (!c)
            return -1;
        for (ri = 0; ri < r->nkids; ri++)       /* no column the table lacks */
            if (strcmp(r->kids[ri]->table, t->kids[k]) == 0)
                for (j = 0; j < r->kids[ri]->n; j++)
                    if (!has_col(c, r->kids[ri]->col[j]))
                        return 0;
        sbuf_addf(&sql, "SELECT * FROM %s WHERE %s = ?1 ORDER BY seq", t->kids[k], t->fk);
        st = db_prepare(db, sbuf_str(&sql), 1);
        sbuf_free(&sql);
        if (!st)
            return -1;
        db_bind_text(st, 1, uuid);
        ri = 0;
        while (same && (step = db_step(st)) == 1) {
            while (ri < r->nkids && strcmp(r->kids[ri]->table, t->kids[k]) != 0)
                ri++;
            if (ri == r->nkids) {
                same = 0;
                break;
            }
            for (i = 0; same && i < (size_t)db_column_count(st); i++) {
                const char *col = db_column_name(st, (int)i), *a = db_column_text(st, (int)i), *b;

                if (!strcmp(col, "id") || !strcmp(col, "seq") || !strcmp(col, t->fk))
                    continue;
                b = rec_get(r->kids[ri], col);
                same = a && b ? strcmp(a, b) == 0 : !a && !b;
            }
            ri++;
        }
        db_reset(st);
        if (step < 0 && same)
            return -1;
        while (same && ri < r->nkids)           /* rows R has beyond the stored ones */
            same = strcmp(r->kids[ri++]->table, t->kids[k]) != 0;
        if (!same)
            return 0;
    }
    return 1;
}

int kids_write(struct db *db, const struct db_table *t, const struct rec *r,
                      const char *uuid)
{
    size_t k, i, j;

    for (k = 0; k < ARRAY_LEN(t->kids) && t->kids[k]; k++) {
        char *sql = xasprintf("DELETE FROM %s WHERE %s = ?1", t->kids[k], t->fk);
        struct db_stmt *del = db_prepare(db, sql, 1);

        free(sql);
        if (!del)
            return -1;
        db_bind_text(del, 1, uuid);
        if (db_step(del) < 0)
            return -1;
        db_reset(del);
    }
    for (k = 0; k < ARRAY_LEN(t->kids) && t->kids[k]; k++) {
        const struct columns *c = columns_of(db, t->kids[k]);
        int seq = 0;

        if (!c)
            return -1;
        for (i = 0; i < r->nkids; i++) {
            const struct rec *kid = r->kids[i];
            struct sbuf sql = {0};
            struct db_stmt *st;
            int n = 2;

            if (strcmp(kid->table, t->kids[k]) != 0)
                continue;
            seq++;
            /* Built with plain appends: this runs for every child row. */
            sbuf_add(&sql, "INSERT INTO ");
            sbuf_add(&sql, kid->table);
            sbuf_add(&sql, "(");
            sbuf_add(&sql, t->fk);
            sbuf_add(&sql, ", seq");
            for (j = 0; j < kid->n; j++) {
                const char *col = kid->col[j];

                if (!strcmp(col, "id") || !strcmp(col, "seq") || !strcmp(col, t->fk))
                    continue;
                if (!has_col(c, col)) {
                    sbuf_free(&sql);
                    return err_set("%s: no such column '%s'", kid->table, col);
                }
                sbuf_add(&sql, ", \"");
                sbuf_add(&sql, col);
                sbuf_add(&sql, "\"");
                n++;
            }
            sbuf_add(&sql, ") VALUES (?1, ?2");
            for (j = 2; (int)j < n; j++)
                sbuf_add(&sql, ", ?");
            sbuf_add(&sql, ")");
            st = db_prepare(db, sbuf_str(&sql), 1);
            sbuf_free(&sql);
            if (!st)
                return -1;
            db_bind_text(st, 1, uuid);
            db_bind_int(st, 2, seq);
            n = 2;
            for (j = 0; j < kid->n; j++) {
                const char *col = kid->col[j];

                if (!strcmp(col, "id") || !strcmp(col, "seq") || !strcmp(col, t->fk))
                    continue;
                db_bind_text(st, ++n, kid->val[j]);
            }
            if (db_step(st) < 0) {
                err_set("%s row %d: %s", kid->table, seq, err_msg());
                return -1;
            }
            db_reset(st);
        }
    }
    for (i = 0; i < r->nkids; i++) {
        for (k = 0; k < ARRAY_LEN(t->kids) && t->kids[k]; k++)
            if (strcmp(r->kids[i]->table, t->kids[k]) == 0)
                break;
        if (k == ARRAY_LEN(t->kids) || !t->kids[k])
            return err_set("%s cannot hold rows of %s", t->name, r->kids[i]->table);
    }
    return 0;
}
