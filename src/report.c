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

struct rrow *rtable_find(const struct rtable *t, const char *key)
{
    int i;

    for (i = 0; i < t->nrow; i++)
        if (!t->rows[i].is_total && strcmp(t->rows[i].key, key) == 0)
            return &t->rows[i];
    return NULL;
}

struct rrow *rtable_row(struct rtable *t, const char *key, const char *en, const char *lo)
{
    struct rrow *r = rtable_find(t, key ? key : "");

    return r ? r : rtable_append(t, key, en, lo);
}

struct rrow *rtable_append(struct rtable *t, const char *key, const char *en, const char *lo)
{
    struct rrow *r;

    if (t->nrow == t->rcap) {
        t->rcap = t->rcap ? 2 * t->rcap : 16;
        t->rows = xrealloc(t->rows, (size_t)t->rcap * sizeof(*t->rows));
    }
    r = &t->rows[t->nrow++];
    memset(r, 0, sizeof(*r));
    r->key = xstrdup(key ? key : "");
    r->en = xstrdup(en ? en : r->key);
    r->lo = xstrdup(lo ? lo : r->en);
    r->c = xcalloc((size_t)(t->ncol ? t->ncol : 1), sizeof(*r->c));
    return r;
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

/* --- suppression --- */

/* A line is one sum of the table: its cells and whether each is the sum. */
struct line {
    int n;
    int *r, *c;
};

struct lines {
    int n, cap;
    struct line *l;
};

static void line_add(struct lines *ls, int n)
{
    struct line *l;

    if (ls->n == ls->cap) {
        ls->cap = ls->cap ? 2 * ls->cap : 32;
        ls->l = xrealloc(ls->l, (size_t)ls->cap * sizeof(*ls->l));
    }
    l = &ls->l[ls->n++];
    l->n = 0;
    l->r = xmalloc((size_t)n * sizeof(int));
    l->c = xmalloc((size_t)n * sizeof(int));
}

static void line_cell(struct lines *ls, int r, int c)
{
    struct line *l = &ls->l[ls->n - 1];

    l->r[l->n] = r;
    l->c[l->n] = c;
    l->n++;
}

/* Every sum the table shows: each group in each row, and each count column
 * over the rows when there is a total row.  The total is the last cell. */
static void lines_build(const struct rtable *t, struct lines *ls)
{
    int r, c, g, k, tot = -1;

    for (r = 0; r < t->nrow; r++) {
        if (t->rows[r].is_total)
            tot = r;
        for (g = 0; g < t->ngroup; g++) {
            const struct rgroup *gr = &t->groups[g];

            line_add(ls, gr->nparts + 1);
            for (k = 0; k < gr->nparts; k++)
                line_cell(ls, r, gr->parts[k]);
            line_cell(ls, r, gr->total);
        }
    }
    if (!t->rows_add || tot < 0)
        return;
    for (c = 0; c < t->ncol; c++) {
        if (t->cols[c].kind != RC_COUNT || t->cols[c].nonadd)
            continue;
        line_add(ls, t->nrow);
        for (r = 0; r < t->nrow; r++)
            if (r != tot)
                line_cell(ls, r, c);
        line_cell(ls, tot, c);
    }
}

static void lines_free(struct lines *ls)
{
    int i;

    for (i = 0; i < ls->n; i++) {
        free(ls->l[i].r);
        free(ls->l[i].c);
    }
    free(ls->l);
}

/* Marks suppressed cells that the shown cells determine: Gaussian
 * elimination over the unknowns (the suppressed cells) of every line; an
 * unknown is determined when a reduced row has it as its only entry. */
static int find_determined(const struct rtable *t, const struct lines *ls, char *det)
{
    int nc = t->ncol, nu = 0, i, j, k, row = 0, found = 0;
    int *idx = xmalloc((size_t)(t->nrow * nc) * sizeof(int));
    double *m;

    for (i = 0; i < t->nrow * nc; i++) {
        const struct rcell *cell = &t->rows[i / nc].c[i % nc];

        idx[i] = t->cols[i % nc].kind == RC_COUNT && cell->sup ? nu++ : -1;
        det[i] = 0;
    }
    if (nu == 0 || ls->n == 0) {
        free(idx);
        return 0;
    }
    m = xcalloc((size_t)ls->n * (size_t)nu, sizeof(double));
    for (i = 0; i < ls->n; i++) {
        const struct line *l = &ls->l[i];

        for (k = 0; k < l->n; k++) {
            int u = idx[l->r[k] * nc + l->c[k]];

            if (u >= 0)
                m[i * nu + u] += k == l->n - 1 ? -1.0 : 1.0;
        }
    }
    for (j = 0; j < nu && row < ls->n; j++) {
        int p = -1;
        double best = 1e-9;

        for (i = row; i < ls->n; i++)
            if (fabs(m[i * nu + j]) > best) {
                best = fabs(m[i * nu + j]);
                p = i;
            }
        if (p < 0)
            continue;
        for (k = 0; k < nu; k++) {
            double tmp = m[p * nu + k];

            m[p * nu + k] = m[row * nu + k];
            m[row * nu + k] = tmp;
        }
        for (k = nu - 1; k >= 0; k--)
            m[row * nu + k] /= m[row * nu + j];
        for (i = 0; i < ls->n; i++) {
            double f = m[i * nu + j];

            if (i == row || fabs(f) < 1e-12)
                continue;
            for (k = 0; k < nu; k++)
                m[i * nu + k] -= f * m[row * nu + k];
        }
        row++;
    }
    for (i = 0; i < row; i++) {
        int nz = 0, last = -1;

        for (k = 0; k < nu; k++)
            if (fabs(m[i * nu + k]) > 1e-9) {
                nz++;
                last = k;
            }
        if (nz == 1) {
            for (j = 0; j < t->nrow * nc; j++)
                if (idx[j] == last)
                    det[j] = 1;
            found++;
        }
    }
    free(m);
    free(idx);
    return found;
}

/* Suppresses one more cell of line L: the smallest shown non-zero part,
 * else a zero part, else the total.  0 when every cell is already hidden. */
static int complement(struct rtable *t, const struct line *l)
{
    int k, best = -1;
    int64_t bv = 0;

    for (k = 0; k < l->n - 1; k++) {
        const struct rcell *c = &t->rows[l->r[k]].c[l->c[k]];

        if (c->sup)
            continue;
        /* Non-zero cells first (a hidden zero is a weak complement), smallest first. */
        if (best < 0 || (c->v > 0 && (bv == 0 || c->v < bv)))
            best = k, bv = c->v;
    }
    if (best < 0 && !t->rows[l->r[l->n - 1]].c[l->c[l->n - 1]].sup)
        best = l->n - 1;
    if (best < 0)
        return 0;
    t->rows[l->r[best]].c[l->c[best]].sup = SUP_SECONDARY;
    return 1;
}

int rtable_suppress(struct rtable *t, int min)
{
    struct lines ls = {0};
    int nc = t->ncol, r, c, i, k, changed, count = 0;
    char *det = xmalloc((size_t)(t->nrow * nc + 1));

    for (r = 0; r < t->nrow; r++)
        for (c = 0; c < nc; c++) {
            struct rcell *cell = &t->rows[r].c[c];

            if (t->cols[c].kind == RC_COUNT && cell->v > 0 && cell->v < min)
                cell->sup = SUP_PRIMARY;
        }
    lines_build(t, &ls);
    do {
        changed = 0;
        /* Cheap pass: no line may show all but one of its cells. */
        for (i = 0; i < ls.n; i++) {
            int hidden = 0;

            for (k = 0; k < ls.l[i].n; k++)
                hidden += t->rows[ls.l[i].r[k]].c[ls.l[i].c[k]].sup != 0;
            if (hidden == 1)
                changed += complement(t, &ls.l[i]);
        }
        if (changed)
            continue;
        /* Exact pass: chains of sums can still pin a cell down. */
        if (find_determined(t, &ls, det) == 0)
            break;
        for (i = 0; i < ls.n && !changed; i++)
            for (k = 0; k < ls.l[i].n && !changed; k++)
                if (det[ls.l[i].r[k] * nc + ls.l[i].c[k]])
                    changed = complement(t, &ls.l[i]);
    } while (changed);
    for (r = 0; r < t->nrow; r++) {
        int row_hidden = 0;

        for (c = 0; c < nc; c++)
            if (t->cols[c].kind == RC_COUNT && t->rows[r].c[c].sup) {
                row_hidden = 1;
                count++;
            }
        for (c = 0; c < nc; c++) {
            struct rcell *cell = &t->rows[r].c[c];

            if (t->cols[c].kind == RC_MEASURE && !cell->na
                && (row_hidden || (cell->v > 0 && cell->v < min))) {
                cell->sup = SUP_SECONDARY;
                count++;
            }
        }
    }
    lines_free(&ls);
    free(det);
    return count;
}

int rtable_cell_recoverable(const struct rtable *t, int r, int c)
{
    struct lines ls = {0};
    char *det = xmalloc((size_t)(t->nrow * t->ncol + 1));
    int rc;

    lines_build(t, &ls);
    find_determined(t, &ls, det);
    rc = det[r * t->ncol + c];
    lines_free(&ls);
    free(det);
    return rc;
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
static void pad(struct sbuf *out, const char *s, int w, int right)
{
    int n = w - text_width(s);

    if (right)
        for (; n > 0; n--)
            sbuf_addc(out, ' ');
    sbuf_add(out, s);
    if (!right)
        for (; n > 0; n--)
            sbuf_addc(out, ' ');
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
            rtable_cell_str(t, r, c, min, buf, sizeof(buf));
            if (t->cols[c].kind == RC_TEXT && text_width(row->c[c].s ? row->c[c].s : "") > w[c + 1])
                w[c + 1] = text_width(row->c[c].s ? row->c[c].s : "");
            else if (text_width(buf) > w[c + 1])
                w[c + 1] = text_width(buf);
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
                pad(out, row->c[c].s ? row->c[c].s : "", w[c + 1], 0);
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
