#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "record.h"
#include "util.h"

struct rec *rec_new(const char *table)
{
    struct rec *r = xcalloc(1, sizeof(*r));

    r->table = xstrdup(table);
    return r;
}

void rec_free(struct rec *r)
{
    size_t i;

    if (!r)
        return;
    for (i = 0; i < r->n; i++) {
        free(r->col[i]);
        free(r->val[i]);
    }
    for (i = 0; i < r->nkids; i++)
        rec_free(r->kids[i]);
    free(r->col);
    free(r->val);
    free(r->kids);
    free(r->table);
    free(r);
}

struct rec *rec_dup(const struct rec *r)
{
    struct rec *d = rec_new(r->table);
    size_t i;

    for (i = 0; i < r->n; i++)
        rec_set(d, r->col[i], r->val[i]);
    for (i = 0; i < r->nkids; i++) {
        struct rec *k = rec_dup(r->kids[i]);

        if (d->nkids == d->kcap) {
            d->kcap = d->kcap ? d->kcap * 2 : 4;
            d->kids = xrealloc(d->kids, d->kcap * sizeof(*d->kids));
        }
        d->kids[d->nkids++] = k;
    }
    return d;
}

int rec_find(const struct rec *r, const char *col)
{
    size_t i;

    for (i = 0; i < r->n; i++)
        if (strcmp(r->col[i], col) == 0)
            return (int)i;
    return -1;
}

void rec_set(struct rec *r, const char *col, const char *val)
{
    int i = rec_find(r, col);
    char *v = util_empty(val) ? NULL : xstrdup(val);

    if (i >= 0) {
        free(r->val[i]);
        r->val[i] = v;
        return;
    }
    if (r->n == r->cap) {
        r->cap = r->cap ? r->cap * 2 : 16;
        r->col = xrealloc(r->col, r->cap * sizeof(*r->col));
        r->val = xrealloc(r->val, r->cap * sizeof(*r->val));
    }
    r->col[r->n] = xstrdup(col);
    r->val[r->n] = v;
    r->n++;
}

void rec_setf(struct rec *r, const char *col, const char *fmt, ...)
{
    va_list ap;
    char buf[256];

    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    rec_set(r, col, buf);
}

const char *rec_get(const struct rec *r, const char *col)
{
    int i = rec_find(r, col);

    return i < 0 ? NULL : r->val[i];
}

struct rec *rec_kid_add(struct rec *r, const char *table)
{
    if (r->nkids == r->kcap) {
        r->kcap = r->kcap ? r->kcap * 2 : 4;
        r->kids = xrealloc(r->kids, r->kcap * sizeof(*r->kids));
    }
    r->kids[r->nkids] = rec_new(table);
    return r->kids[r->nkids++];
}

void rec_kids_clear(struct rec *r, const char *table)
{
    size_t i, j = 0;

    for (i = 0; i < r->nkids; i++) {
        if (!table || strcmp(r->kids[i]->table, table) == 0)
            rec_free(r->kids[i]);
        else
            r->kids[j++] = r->kids[i];
    }
    r->nkids = j;
}

size_t rec_kids_count(const struct rec *r, const char *table)
{
    size_t i, n = 0;

    for (i = 0; i < r->nkids; i++)
        if (strcmp(r->kids[i]->table, table) == 0)
            n++;
    return n;
}
