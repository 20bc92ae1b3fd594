/* Report tables: building, small-cell suppression and writing as text or CSV. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "text.h"
#include "util.h"

struct rtable *rtable_new(const char *name, const char *title_en, const char *title_lo,
                          const char *key_name, const char *key_en, const char *key_lo)
{
    struct rtable *t = xcalloc(1, sizeof(*t));

    t->name = xstrdup(name);
    t->title_en = xstrdup(title_en);
    t->title_lo = xstrdup(title_lo ? title_lo : title_en);
    t->key_name = xstrdup(key_name);
    t->key_en = xstrdup(key_en);
    t->key_lo = xstrdup(key_lo ? key_lo : key_en);
    return t;
}

void rtable_free(struct rtable *t)
{
    int i, j;

    if (!t)
        return;
    for (i = 0; i < t->nrow; i++) {
        for (j = 0; j < t->ncol; j++)
            free(t->rows[i].c[j].s);
        free(t->rows[i].c);
        free(t->rows[i].key);
        free(t->rows[i].en);
        free(t->rows[i].lo);
    }
    for (j = 0; j < t->ncol; j++) {
        free(t->cols[j].key);
        free(t->cols[j].en);
        free(t->cols[j].lo);
    }
    free(t->rows);
    free(t->slots);
    free(t->cols);
    free(t->name);
    free(t->title_en);
    free(t->title_lo);
    free(t->key_name);
    free(t->key_en);
    free(t->key_lo);
    free(t->note_en);
    free(t->note_lo);
    free(t);
}

int rtable_col(struct rtable *t, const char *key, const char *en, const char *lo,
               enum rcol_kind kind)
{
    struct rcol *c;

    /* Columns are declared before any row. */
    if (t->nrow)
        die("report table %s: column %s added after rows", t->name, key);
    if (t->ncol == t->ccap) {
        t->ccap = t->ccap ? 2 * t->ccap : 16;
        t->cols = xrealloc(t->cols, (size_t)t->ccap * sizeof(*t->cols));
    }
    c = &t->cols[t->ncol];
    memset(c, 0, sizeof(*c));
    c->key = xstrdup(key);
    c->en = xstrdup(en);
    c->lo = xstrdup(lo ? lo : en);
    c->kind = kind;
    c->decimals = 1;
    return t->ncol++;
}

int rtable_col_find(const struct rtable *t, const char *key)
{
    int i;

    for (i = 0; i < t->ncol; i++)
        if (strcmp(t->cols[i].key, key) == 0)
            return i;
    return -1;
}

void rtable_group(struct rtable *t, int total, const int *parts, int n)
{
    struct rgroup *g;

    if (t->ngroup == (int)ARRAY_LEN(t->groups) || n > RT_MAX_PARTS)
        die("report table %s: too many column groups", t->name);
    g = &t->groups[t->ngroup++];
    g->total = total;
    g->nparts = n;
    memcpy(g->parts, parts, (size_t)n * sizeof(*parts));
}

/* FNV-1a of the N bytes at K. */
static unsigned key_hash(const char *k, size_t n)
{
    unsigned h = 2166136261u;

    while (n--)
        h = (h ^ (unsigned char)*k++) * 16777619u;
    return h;
}

/* The slot of the row (not a total) keyed by the N bytes at KEY, or of the
 * free slot where it would go. */
static int slot_of(const struct rtable *t, const char *key, size_t n)
{
    unsigned mask = (unsigned)t->nslot - 1, i = key_hash(key, n) & mask;

    for (;; i = (i + 1) & mask) {
        const struct rrow *r;

        if (!t->slots[i])
            return (int)i;
        r = &t->rows[t->slots[i] - 1];
        if (!r->is_total && strncmp(r->key, key, n) == 0 && r->key[n] == '\0')
            return (int)i;
    }
}

/* Puts every row into slots at most half full. */
static void reindex(struct rtable *t)
{
    int i;

    if (t->nslot < 2 * t->rcap) {
        free(t->slots);
        t->nslot = 16;
        while (t->nslot < 2 * t->rcap)
            t->nslot *= 2;
        t->slots = xmalloc((size_t)t->nslot * sizeof(*t->slots));
    }
    memset(t->slots, 0, (size_t)t->nslot * sizeof(*t->slots));
    for (i = 0; i < t->nrow; i++) {
        unsigned mask = (unsigned)t->nslot - 1, h = key_hash(t->rows[i].key, strlen(t->rows[i].key)) & mask;

        while (t->slots[h])
            h = (h + 1) & mask;
        t->slots[h] = i + 1;
    }
}

struct rrow *rtable_find(const struct rtable *t, const char *key)
{
    int s;

    if (!t->nslot)
        return NULL;
    s = slot_of(t, key, strlen(key));
    return t->slots[s] ? &t->rows[t->slots[s] - 1] : NULL;
}

int rtable_row_n(struct rtable *t, const char *key, size_t n)
{
    char *k;
    int s;

    if (t->nslot && t->slots[s = slot_of(t, key, n)])
        return t->slots[s] - 1;
    k = xstrndup(key, n);
    rtable_append(t, k, NULL, NULL);
    free(k);
    return t->nrow - 1;
}

void rtable_sort(struct rtable *t, int (*cmp)(const void *, const void *))
{
    if (t->nrow > 1) {
        qsort(t->rows, (size_t)t->nrow, sizeof(*t->rows), cmp);
        reindex(t);
    }
}

struct rrow *rtable_row(struct rtable *t, const char *key, const char *en, const char *lo)
{
    struct rrow *r = rtable_find(t, key ? key : "");

    return r ? r : rtable_append(t, key, en, lo);
}

struct rrow *rtable_append(struct rtable *t, const char *key, const char *en, const char *lo)
{
    struct rrow *r;
    unsigned mask, h;

    if (t->nrow == t->rcap) {
        t->rcap = t->rcap ? 2 * t->rcap : 16;
        t->rows = xrealloc(t->rows, (size_t)t->rcap * sizeof(*t->rows));
        reindex(t);
    }
    r = &t->rows[t->nrow++];
    memset(r, 0, sizeof(*r));
    r->key = xstrdup(key ? key : "");
    r->en = xstrdup(en ? en : r->key);
    r->lo = xstrdup(lo ? lo : r->en);
    r->c = xcalloc((size_t)(t->ncol ? t->ncol : 1), sizeof(*r->c));
    mask = (unsigned)t->nslot - 1;
    for (h = key_hash(r->key, strlen(r->key)) & mask; t->slots[h]; h = (h + 1) & mask)
        ;
    t->slots[h] = t->nrow;
    return r;
}

void rtable_add_counts(struct rtable *dst, const struct rtable *src)
{
    int i, j, r;

    for (i = 0; i < src->nrow; i++) {
        if (src->rows[i].is_total)
            continue;
        r = rtable_row_n(dst, src->rows[i].key, strlen(src->rows[i].key));
        for (j = 0; j < dst->ncol && j < src->ncol; j++)
            dst->rows[r].c[j].v += src->rows[i].c[j].v;
    }
}

void rtable_add_total(struct rtable *t)
{
    struct rrow *tot;
    int i, j, n = t->nrow;

    tot = rtable_row(t, "total", "Total", "ລວມ");
    tot->is_total = 1;
    for (i = 0; i < n; i++)
        for (j = 0; j < t->ncol; j++)
            if (t->cols[j].kind == RC_COUNT && !t->cols[j].nonadd)
                tot->c[j].v += t->rows[i].c[j].v;
    for (j = 0; j < t->ncol; j++)
        if (t->cols[j].kind == RC_MEASURE)
            tot->c[j].na = 1;
    t->rows_add = 1;
}

void rtable_note(struct rtable *t, const char *en, const char *lo)
{
    free(t->note_en);
    free(t->note_lo);
    t->note_en = xstrdup(en);
    t->note_lo = xstrdup(lo ? lo : en);
}

void rtable_set_text(struct rtable *t, struct rrow *r, int col, const char *s)
{
    (void)t;
    free(r->c[col].s);
    r->c[col].s = xstrdup(s ? s : "");
}

const char *rtable_label(const char *en, const char *lo, const char *lang)
{
    if (lang && strcmp(lang, "lo") == 0 && !util_empty(lo))
        return lo;
    return en;
}

/* --- output --- */

void rtable_cell_str(const struct rtable *t, int r, int c, int min, char *buf, size_t n)
{
    const struct rcell *cell = &t->rows[r].c[c];
    const struct rcol *col = &t->cols[c];

    if (col->kind == RC_TEXT)
        snprintf(buf, n, "%s", cell->s ? cell->s : "");
    else if (cell->sup == SUP_PRIMARY)
        snprintf(buf, n, "<%d", min);
    else if (cell->sup)
        snprintf(buf, n, "x");
    else if (col->kind == RC_COUNT)
        snprintf(buf, n, "%lld", (long long)cell->v);
    else if (cell->na)
        snprintf(buf, n, "-");
    else
        snprintf(buf, n, "%.*f", col->decimals, cell->m);
}

void rtable_write_csv(const struct rtable *t, int min, struct sbuf *out)
{
    char buf[64];
    int r, c;

    sbuf_add(out, t->key_name);
    for (c = 0; c < t->ncol; c++) {
        sbuf_addc(out, ',');
        sbuf_add(out, t->cols[c].key);
    }
    sbuf_add(out, "\r\n");
    for (r = 0; r < t->nrow; r++) {
        const struct rrow *row = &t->rows[r];

        util_csv_field(out, row->is_total ? "total" : row->key);
        for (c = 0; c < t->ncol; c++) {
            sbuf_addc(out, ',');
            if (t->cols[c].kind == RC_MEASURE && row->c[c].na && !row->c[c].sup)
                continue;
            if (t->cols[c].kind == RC_TEXT) {
                util_csv_field(out, row->c[c].s ? row->c[c].s : "");
                continue;
            }
            rtable_cell_str(t, r, c, min, buf, sizeof(buf));
            sbuf_add(out, buf);
        }
        sbuf_add(out, "\r\n");
    }
}

/* Appends S padded with spaces to W columns (left or right aligned). */
/* N spaces. */
static void spaces(struct sbuf *out, int n)
{
    static const char sp[] = "                                ";

    for (; n > 0; n -= (int)sizeof(sp) - 1)
        sbuf_addn(out, sp, n < (int)sizeof(sp) - 1 ? (size_t)n : sizeof(sp) - 1);
}

static void pad(struct sbuf *out, const char *s, int w, int right)
{
    int n = w ? w - text_width(s) : 0;

    if (right)
        spaces(out, n);
    sbuf_add(out, s);
    if (!right)
        spaces(out, n);
}

void rtable_write_text(const struct rtable *t, const char *lang, int min, struct sbuf *out)
{
    int *w = xcalloc((size_t)t->ncol + 1, sizeof(int));
    char buf[64];
    int r, c, line = 0;
    const char *key = rtable_label(t->key_en, t->key_lo, lang);

    /* Column widths by display width: Lao marks take no column. */
    w[0] = text_width(key);
    for (r = 0; r < t->nrow; r++) {
        const struct rrow *row = &t->rows[r];
        const char *lab = rtable_label(row->en, row->lo, lang);

        if (text_width(lab) > w[0])
            w[0] = text_width(lab);
        for (c = 0; c < t->ncol; c++) {
            int tw;

            if (t->cols[c].kind == RC_TEXT) {
                tw = text_width(row->c[c].s ? row->c[c].s : "");
            } else {
                rtable_cell_str(t, r, c, min, buf, sizeof(buf));
                tw = text_width(buf);
            }
            if (tw > w[c + 1])
                w[c + 1] = tw;
        }
    }
    for (c = 0; c < t->ncol; c++) {
        int hw = text_width(rtable_label(t->cols[c].en, t->cols[c].lo, lang));

        if (hw > w[c + 1])
            w[c + 1] = hw;
    }
    sbuf_add(out, rtable_label(t->title_en, t->title_lo, lang));
    sbuf_addc(out, '\n');
    pad(out, key, w[0], 0);
    line = w[0];
    for (c = 0; c < t->ncol; c++) {
        sbuf_add(out, "  ");
        pad(out, rtable_label(t->cols[c].en, t->cols[c].lo, lang), w[c + 1], t->cols[c].kind != RC_TEXT);
        line += 2 + w[c + 1];
    }
    sbuf_addc(out, '\n');
    for (c = 0; c < line; c++)
        sbuf_addc(out, '-');
    sbuf_addc(out, '\n');
    for (r = 0; r < t->nrow; r++) {
        const struct rrow *row = &t->rows[r];

        if (row->is_total) {
            for (c = 0; c < line; c++)
                sbuf_addc(out, '-');
            sbuf_addc(out, '\n');
        }
        pad(out, rtable_label(row->en, row->lo, lang), w[0], 0);
        for (c = 0; c < t->ncol; c++) {
            sbuf_add(out, "  ");
            if (t->cols[c].kind == RC_TEXT) {
                /* Left-aligned: the last column needs no padding at all. */
                pad(out, row->c[c].s ? row->c[c].s : "", c == t->ncol - 1 ? 0 : w[c + 1], 0);
                continue;
            }
            rtable_cell_str(t, r, c, min, buf, sizeof(buf));
            pad(out, buf, w[c + 1], 1);
        }
        /* Trailing spaces of a left-aligned last column are noise. */
        while (out->len && out->s[out->len - 1] == ' ')
            out->s[--out->len] = '\0';
        sbuf_addc(out, '\n');
    }
    if (t->nrow == 0)
        sbuf_add(out, strcmp(lang, "lo") == 0 ? "(ບໍ່ມີຂໍ້ມູນ)\n" : "(no records)\n");
    if (t->note_en) {
        sbuf_add(out, rtable_label(t->note_en, t->note_lo, lang));
        sbuf_addc(out, '\n');
    }
    free(w);
}
