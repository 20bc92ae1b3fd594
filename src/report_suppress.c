/* Small-cell suppression of published tables, audited the way someone
 * trying to undo it would: every relation the output shows (row, breakdown
 * and column sums, totals shared between tables, "<N" as 1..N-1, "x" as N
 * or more, whole numbers) is an integer program, and each hidden count's
 * smallest and largest possible values are solved for with GLPK.  More
 * cells are hidden until no hidden count can be narrowed below the rule. */
#include <glpk.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "util.h"

/* One relation between cells: sum of coef[k] * cell[k] (op) 0. */
enum { REL_EQ, REL_LE, REL_GE };
struct rel {
    int n, op;
    int *cell, *coef;
};

/* The system of every table audited together. */
struct audit {
    int min;
    int ntab;
    struct rtable **tabs;
    int ncell;
    struct rcell **cp;          /* each cell, NULL when not a count */
    int nrel, rcap;
    struct rel *rel;
    int *rstart, *rlist;        /* the relations of each cell (CSR) */
    int *uf;                    /* union-find over hidden cells */
    int *col;                   /* GLPK column of a hidden cell in its component */
    int *stamp;                 /* relation already in the problem being built */
    int nstamp;
    long nsolve;                /* LPs solved so far */
    char *is_total;             /* the total of a sum, or shared with another table */
};

/* A component of hidden cells linked by relations, as one GLPK problem. */
struct comp {
    glp_prob *lp;
    long *nsolve;
    int nv;
    int *var;                   /* its cells */
    double *seen_lo, *seen_hi;  /* extremes found in feasible integer solutions */
};

static int cell_index(const struct audit *a, int t, int r, int c)
{
    int i, base = 0;

    for (i = 0; i < t; i++)
        base += a->tabs[i]->nrow * a->tabs[i]->ncol;
    return base + r * a->tabs[t]->ncol + c;
}

static struct rel *rel_add(struct audit *a, int op, int cap)
{
    struct rel *l;

    if (a->nrel == a->rcap) {
        a->rcap = a->rcap ? 2 * a->rcap : 64;
        a->rel = xrealloc(a->rel, (size_t)a->rcap * sizeof(*a->rel));
    }
    l = &a->rel[a->nrel++];
    l->n = 0;
    l->op = op;
    l->cell = xmalloc((size_t)cap * sizeof(int));
    l->coef = xmalloc((size_t)cap * sizeof(int));
    return l;
}

static void rel_cell(struct rel *l, int cell, int coef)
{
    l->cell[l->n] = cell;
    l->coef[l->n++] = coef;
}

static int total_row(const struct rtable *t)
{
    int r;

    for (r = 0; r < t->nrow; r++)
        if (t->rows[r].is_total)
            return r;
    return -1;
}

/* The sums inside table T (index TI): each group in each row, each additive
 * count column over the rows into the total row. */
static void rels_table(struct audit *a, int ti)
{
    const struct rtable *t = a->tabs[ti];
    int r, c, g, k, tot = total_row(t);

    for (r = 0; r < t->nrow; r++)
        for (g = 0; g < t->ngroup; g++) {
            const struct rgroup *gr = &t->groups[g];
            struct rel *l = rel_add(a, REL_EQ, gr->nparts + 1);

            for (k = 0; k < gr->nparts; k++)
                rel_cell(l, cell_index(a, ti, r, gr->parts[k]), 1);
            rel_cell(l, cell_index(a, ti, r, gr->total), -1);
        }
    if (!t->rows_add || tot < 0)
        return;
    for (c = 0; c < t->ncol; c++) {
        struct rel *l;

        if (t->cols[c].kind != RC_COUNT || t->cols[c].nonadd)
            continue;
        l = rel_add(a, REL_EQ, t->nrow);
        for (r = 0; r < t->nrow; r++)
            rel_cell(l, cell_index(a, ti, r, c), r == tot ? -1 : 1);
    }
}

/* The relations between tables printed together: totals of the same
 * persons are equal; a multi-select table's rows each hold at most the
 * total and together at least it. */
static void rels_shared(struct audit *a)
{
    int ref = -1, ti, c, r, rc;

    for (ti = 0; ti < a->ntab && ref < 0; ti++)
        if (a->tabs[ti]->share_total == SHARE_EQUAL && total_row(a->tabs[ti]) >= 0)
            ref = ti;
    if (ref < 0)
        return;
    for (ti = 0; ti < a->ntab; ti++) {
        const struct rtable *t = a->tabs[ti];
        int tot = total_row(t), rtot = total_row(a->tabs[ref]);

        if (ti == ref || !t->share_total)
            continue;
        for (c = 0; c < t->ncol; c++) {
            struct rel *l;

            rc = rtable_col_find(a->tabs[ref], t->cols[c].key);
            if (t->cols[c].kind != RC_COUNT || rc < 0 || a->tabs[ref]->cols[rc].nonadd)
                continue;
            if (t->share_total == SHARE_EQUAL) {
                if (tot < 0)
                    continue;
                l = rel_add(a, REL_EQ, 2);
                rel_cell(l, cell_index(a, ti, tot, c), 1);
                rel_cell(l, cell_index(a, ref, rtot, rc), -1);
                continue;
            }
            l = rel_add(a, REL_GE, t->nrow + 1);
            for (r = 0; r < t->nrow; r++)
                rel_cell(l, cell_index(a, ti, r, c), 1);
            rel_cell(l, cell_index(a, ref, rtot, rc), -1);
            for (r = 0; r < t->nrow; r++) {
                l = rel_add(a, REL_LE, 2);
                rel_cell(l, cell_index(a, ti, r, c), 1);
                rel_cell(l, cell_index(a, ref, rtot, rc), -1);
            }
        }
    }
}

static void audit_init(struct audit *a, struct rtable **tabs, int n, int min)
{
    int ti, r, c, i, k, *fill;

    memset(a, 0, sizeof(*a));
    a->min = min;
    a->ntab = n;
    a->tabs = tabs;
    for (ti = 0; ti < n; ti++)
        a->ncell += tabs[ti]->nrow * tabs[ti]->ncol;
    a->cp = xcalloc((size_t)a->ncell + 1, sizeof(*a->cp));
    for (ti = 0, i = 0; ti < n; ti++)
        for (r = 0; r < tabs[ti]->nrow; r++)
            for (c = 0; c < tabs[ti]->ncol; c++, i++)
                if (tabs[ti]->cols[c].kind == RC_COUNT)
                    a->cp[i] = &tabs[ti]->rows[r].c[c];
    for (ti = 0; ti < n; ti++)
        rels_table(a, ti);
    rels_shared(a);
    a->rstart = xcalloc((size_t)a->ncell + 2, sizeof(int));
    for (i = 0; i < a->nrel; i++)
        for (k = 0; k < a->rel[i].n; k++)
            a->rstart[a->rel[i].cell[k] + 1]++;
    for (i = 0; i < a->ncell; i++)
        a->rstart[i + 1] += a->rstart[i];
    a->rlist = xmalloc((size_t)a->rstart[a->ncell] * sizeof(int) + sizeof(int));
    fill = xcalloc((size_t)a->ncell + 1, sizeof(int));
    for (i = 0; i < a->nrel; i++)
        for (k = 0; k < a->rel[i].n; k++) {
            int cell = a->rel[i].cell[k];

            a->rlist[a->rstart[cell] + fill[cell]++] = i;
        }
    free(fill);
    a->is_total = xcalloc((size_t)a->ncell + 1, 1);
    for (i = 0; i < a->nrel; i++)
        for (k = 0; k < a->rel[i].n; k++)
            if (a->rel[i].coef[k] < 0)
                a->is_total[a->rel[i].cell[k]] = 1;
    a->uf = xmalloc((size_t)a->ncell * sizeof(int) + sizeof(int));
    a->col = xcalloc((size_t)a->ncell + 1, sizeof(int));
    a->stamp = xcalloc((size_t)a->nrel + 1, sizeof(int));
}

static void audit_free(struct audit *a)
{
    int i;

    for (i = 0; i < a->nrel; i++) {
        free(a->rel[i].cell);
        free(a->rel[i].coef);
    }
    free(a->rel);
    free(a->cp);
    free(a->rstart);
    free(a->rlist);
    free(a->uf);
    free(a->is_total);
    free(a->col);
    free(a->stamp);
}

static int hidden(const struct audit *a, int i)
{
    return a->cp[i] && a->cp[i]->sup;
}

static int uf_find(int *uf, int i)
{
    while (uf[i] != i)
        i = uf[i] = uf[uf[i]];
    return i;
}

/* Joins the hidden cells of every relation into components. */
static void components(struct audit *a)
{
    int i, k;

    for (i = 0; i < a->ncell; i++)
        a->uf[i] = i;
    for (i = 0; i < a->nrel; i++) {
        int first = -1;

        for (k = 0; k < a->rel[i].n; k++) {
            int cell = a->rel[i].cell[k];

            if (!hidden(a, cell))
                continue;
            if (first < 0)
                first = uf_find(a->uf, cell);
            else
                a->uf[uf_find(a->uf, cell)] = first;
        }
    }
}

/* The integer program of the hidden cells VAR (one component): the
 * relations they are in, with the shown cells moved to the right side. */
static void comp_build(struct audit *a, struct comp *p, const int *var, int nv)
{
    int *ia = NULL, *ja = NULL, j, k, cap = 0, nz = 0;
    double *ar = NULL;

    memset(p, 0, sizeof(*p));
    p->nv = nv;
    p->var = xmalloc((size_t)nv * sizeof(int));
    memcpy(p->var, var, (size_t)nv * sizeof(int));
    p->seen_lo = xmalloc((size_t)nv * sizeof(double));
    p->seen_hi = xmalloc((size_t)nv * sizeof(double));
    p->lp = glp_create_prob();
    p->nsolve = &a->nsolve;
    glp_add_cols(p->lp, nv);
    a->nstamp++;
    for (j = 0; j < nv; j++) {
        const struct rcell *c = a->cp[var[j]];

        a->col[var[j]] = j + 1;
        /* The true table is a feasible point. */
        p->seen_lo[j] = p->seen_hi[j] = (double)c->v;
        if (c->sup == SUP_PRIMARY && a->min - 1 > 1)
            glp_set_col_bnds(p->lp, j + 1, GLP_DB, 1, a->min - 1);
        else if (c->sup == SUP_PRIMARY)
            glp_set_col_bnds(p->lp, j + 1, GLP_FX, 1, 1);
        else
            glp_set_col_bnds(p->lp, j + 1, GLP_LO, a->min, 0);
        glp_set_col_kind(p->lp, j + 1, GLP_IV);
    }
    for (j = 0; j < nv; j++)
        for (k = a->rstart[var[j]]; k < a->rstart[var[j] + 1]; k++) {
            const struct rel *l = &a->rel[a->rlist[k]];
            double rhs = 0;
            int m, row;

            if (a->stamp[a->rlist[k]] == a->nstamp)
                continue;
            a->stamp[a->rlist[k]] = a->nstamp;
            row = glp_add_rows(p->lp, 1);
            for (m = 0; m < l->n; m++) {
                if (!hidden(a, l->cell[m])) {
                    rhs -= (double)l->coef[m] * (double)a->cp[l->cell[m]]->v;
                    continue;
                }
                if (nz + 1 >= cap) {
                    cap = cap ? 2 * cap : 64;
                    ia = xrealloc(ia, (size_t)cap * sizeof(int));
                    ja = xrealloc(ja, (size_t)cap * sizeof(int));
                    ar = xrealloc(ar, (size_t)cap * sizeof(double));
                }
                nz++;
                ia[nz] = row;
                ja[nz] = a->col[l->cell[m]];
                ar[nz] = l->coef[m];
            }
            glp_set_row_bnds(p->lp, row, l->op == REL_EQ ? GLP_FX : l->op == REL_LE ? GLP_UP : GLP_LO,
                             rhs, rhs);
        }
    if (nz)
        glp_load_matrix(p->lp, nz, ia, ja, ar);
    free(ia);
    free(ja);
    free(ar);
}

static void comp_free(struct comp *p)
{
    if (p->lp)
        glp_delete_prob(p->lp);
    free(p->var);
    free(p->seen_lo);
    free(p->seen_hi);
}

/* Widens the extremes seen by the solution X(j) of every variable. */
static void comp_seen(struct comp *p, double (*x)(glp_prob *, int))
{
    int j;

    for (j = 0; j < p->nv; j++) {
        double v = x(p->lp, j + 1);

        if (v < p->seen_lo[j])
            p->seen_lo[j] = v;
        if (v > p->seen_hi[j])
            p->seen_hi[j] = v;
    }
}

static int lp_integral(struct comp *p)
{
    int j;

    for (j = 0; j < p->nv; j++) {
        double v = glp_get_col_prim(p->lp, j + 1);

        if (fabs(v - floor(v + 0.5)) > 1e-7)
            return 0;
    }
    return 1;
}

enum { OPT_FOUND, OPT_UNBOUNDED, OPT_FAIL };

/* The smallest (DIR GLP_MIN) or largest value of variable J over the
 * integer points, into *VAL.  The LP relaxation is solved first: its bound
 * is at least as wide as the integer one, so when even it does not reach
 * PAST (min: stays above it, max: below it) the integer optimum cannot
 * either, and *VAL is the LP bound; otherwise the integer program decides. */
static int comp_opt(struct comp *p, int j, int dir, double past, double *val)
{
    glp_smcp sp;
    glp_iocp ip;
    int k, st;

    for (k = 1; k <= p->nv; k++)
        glp_set_obj_coef(p->lp, k, k == j + 1);
    glp_set_obj_dir(p->lp, dir);
    ++*p->nsolve;
    glp_init_smcp(&sp);
    sp.msg_lev = GLP_MSG_OFF;
    if (glp_simplex(p->lp, &sp) != 0) {
        glp_std_basis(p->lp);
        if (glp_simplex(p->lp, &sp) != 0)
            return OPT_FAIL;
    }
    st = glp_get_status(p->lp);
    if (st == GLP_UNBND)
        return OPT_UNBOUNDED;
    if (st != GLP_OPT)
        return OPT_FAIL;
    *val = glp_get_obj_val(p->lp);
    if (lp_integral(p)) {
        comp_seen(p, glp_get_col_prim);
        return OPT_FOUND;
    }
    if (dir == GLP_MIN ? *val > past + 1e-7 : *val < past - 1e-7)
        return OPT_FOUND;
    glp_init_iocp(&ip);
    ip.msg_lev = GLP_MSG_OFF;
    ip.tm_lim = 2000;
    if (glp_intopt(p->lp, &ip) != 0 || glp_mip_status(p->lp) != GLP_OPT)
        return OPT_FAIL;
    *val = glp_mip_obj_val(p->lp);
    comp_seen(p, glp_mip_col_val);
    return OPT_FOUND;
}

/* 1 when variable J of P is protected: a "<N" count may be anything from 1
 * to N-1, an "x" ranges at least as wide (N-2: an "x" beside one "<N" in a
 * sum with a shown total ranges exactly as wide as it, so no more can be
 * asked without hiding most of the table).  A failed solve counts as not
 * protected. */
static int comp_safe(struct comp *p, int j, int primary, int n)
{
    double lo, hi;
    int rc, min = primary ? n : n - 2;

    if (primary) {
        if (p->seen_lo[j] > 1) {
            rc = comp_opt(p, j, GLP_MIN, 1, &lo);
            if (rc == OPT_FAIL || (rc == OPT_FOUND && lo > 1 + 1e-7))
                return 0;
        }
        if (p->seen_hi[j] < min - 1) {
            rc = comp_opt(p, j, GLP_MAX, min - 1, &hi);
            if (rc == OPT_FAIL || (rc == OPT_FOUND && hi < min - 1 - 1e-7))
                return 0;
        }
        return 1;
    }
    if (p->seen_hi[j] - p->seen_lo[j] >= min)
        return 1;
    rc = comp_opt(p, j, GLP_MIN, INFINITY, &lo);
    if (rc == OPT_FAIL)
        return 0;
    lo = rc == OPT_FOUND ? lo : -INFINITY;
    if (p->seen_hi[j] - lo >= min)
        return 1;
    rc = comp_opt(p, j, GLP_MAX, lo + min, &hi);
    return rc == OPT_UNBOUNDED || (rc == OPT_FOUND && hi - lo >= min - 1e-7);
}

/* How many sums would show K as their only hidden cell were K hidden: each
 * would need one more complement. */
static int lone_sums(const struct audit *a, int k)
{
    int n = 0, j, m;

    for (j = a->rstart[k]; j < a->rstart[k + 1]; j++) {
        const struct rel *l = &a->rel[a->rlist[j]];
        int h = 0;

        for (m = 0; m < l->n; m++)
            h += l->cell[m] != k && hidden(a, l->cell[m]);
        n += l->op == REL_EQ && h == 0;
    }
    return n;
}

/* The cheapest shown cell whose hiding loosens hidden cell I: a non-zero
 * count in one of I's sums, a total only when no part is left (hiding a
 * total hides it in every table that shows it, each then needing
 * complements of its own); preferring the sums with the fewest hidden
 * cells (the tightest), then cells that close a cycle of hidden cells
 * (fewest sums left with it alone), then the smallest count.  When I's own
 * sums have none, those of its component.  -1 when nothing is left. */
static int complement(struct audit *a, int i)
{
    int best = -1, bh = 0, bl = 0, k, m, pass, root = uf_find(a->uf, i), cell;
    int64_t bv = 0;

    /* Passes: I's own sums, then those of its component; parts before
     * totals; inequalities last (they rarely bind: a form of exploitation
     * at most the total). */
    for (pass = 0; pass < 8 && best < 0; pass++) {
        int comp = pass & 1, totals = pass & 2, ineq = pass & 4;

        for (cell = comp ? 0 : i; cell < (comp ? a->ncell : i + 1); cell++) {
            if (comp && (!hidden(a, cell) || uf_find(a->uf, cell) != root))
                continue;
            for (k = a->rstart[cell]; k < a->rstart[cell + 1]; k++) {
                const struct rel *l = &a->rel[a->rlist[k]];
                int h = 0;

                if (!ineq && l->op != REL_EQ)
                    continue;
                for (m = 0; m < l->n; m++)
                    h += hidden(a, l->cell[m]);
                for (m = 0; m < l->n; m++) {
                    const struct rcell *c = a->cp[l->cell[m]];
                    int lone;

                    if (c->sup || c->v <= 0 || (!totals && a->is_total[l->cell[m]])
                        || (best >= 0 && h > bh))
                        continue;
                    lone = lone_sums(a, l->cell[m]);
                    if (best < 0 || h < bh || lone < bl || (lone == bl && c->v < bv))
                        best = l->cell[m], bh = h, bl = lone, bv = c->v;
                }
            }
        }
    }
    return best;
}

/* Pairs (root, cell) sorted by root: the hidden cells component by component. */
static int pair_cmp(const void *x, const void *y)
{
    const int *p = x, *q = y;

    return p[0] != q[0] ? (p[0] > q[0]) - (p[0] < q[0]) : (p[1] > q[1]) - (p[1] < q[1]);
}

/* Hides complementary cells until every hidden cell is protected.  A cell
 * once protected stays so: hiding more only widens what is possible. */
static void audit_run(struct audit *a)
{
    char *done = xcalloc((size_t)a->ncell + 1, 1);
    int *pairs = xmalloc((size_t)a->ncell * 2 * sizeof(int) + sizeof(int));
    int changed = 1, i, np, s, e, j;

    glp_term_out(GLP_OFF);
    while (changed) {
        changed = 0;
        components(a);
        for (i = 0, np = 0; i < a->ncell; i++)
            if (hidden(a, i) && !done[i]) {
                pairs[2 * np] = uf_find(a->uf, i);
                pairs[2 * np + 1] = i;
                np++;
            }
        qsort(pairs, (size_t)np, 2 * sizeof(int), pair_cmp);
        for (s = 0; s < np && !changed; s = e) {
            struct comp p;
            int *var, nv = 0, root = pairs[2 * s];

            for (e = s; e < np && pairs[2 * e] == root; e++)
                ;
            var = xmalloc((size_t)a->ncell * sizeof(int));
            for (i = 0; i < a->ncell; i++)
                if (hidden(a, i) && uf_find(a->uf, i) == root)
                    var[nv++] = i;
            comp_build(a, &p, var, nv);
            for (j = s; j < e && !changed; j++) {
                int cell = pairs[2 * j + 1], k;

                if (comp_safe(&p, a->col[cell] - 1, a->cp[cell]->sup == SUP_PRIMARY, a->min)) {
                    done[cell] = 1;
                    continue;
                }
                if ((k = complement(a, cell)) < 0) {
                    done[cell] = 1;     /* everything it could hide behind is hidden */
                    continue;
                }
                a->cp[k]->sup = SUP_SECONDARY;
                changed = 1;
            }
            comp_free(&p);
            free(var);
        }
    }
    free(pairs);
    free(done);
}

/* 1 when every hidden cell of the component of ROOT is protected, or
 * beyond help (nothing shown around it to hide). */
static int comp_all_safe(struct audit *a, int root, int *var)
{
    struct comp p;
    int nv = 0, i, ok = 1;

    for (i = 0; i < a->ncell; i++)
        if (hidden(a, i) && uf_find(a->uf, i) == root)
            var[nv++] = i;
    comp_build(a, &p, var, nv);
    for (i = 0; i < nv && ok; i++)
        ok = comp_safe(&p, i, a->cp[var[i]]->sup == SUP_PRIMARY, a->min)
             || complement(a, var[i]) < 0;
    comp_free(&p);
    return ok;
}

/* A complementary cell and its count, for sorting largest first. */
struct sec {
    int64_t v;
    int cell;
};

static int sec_desc(const void *x, const void *y)
{
    const struct sec *p = x, *q = y;

    return p->v != q->v ? (p->v < q->v) - (p->v > q->v) : p->cell - q->cell;
}

/* LPs the pruning may solve: on a large linked system each try re-checks
 * the whole component, and a published table must come out in well under
 * a second.  Counted, not timed, so the same data gives the same table. */
#define PRUNE_BUDGET 1500

/* The greedy choice can hide more than needed: shows again each
 * complementary cell, largest first, that every component it touched stays
 * protected without, while the budget lasts. */
static void audit_prune(struct audit *a)
{
    long start = a->nsolve;

    struct sec *sec = xmalloc((size_t)a->ncell * sizeof(*sec) + sizeof(*sec));
    int *var = xmalloc((size_t)a->ncell * sizeof(int) + sizeof(int));
    int ns = 0, i, k, m;

    for (i = 0; i < a->ncell; i++)
        if (a->cp[i] && a->cp[i]->sup == SUP_SECONDARY) {
            sec[ns].v = a->cp[i]->v;
            sec[ns++].cell = i;
        }
    qsort(sec, (size_t)ns, sizeof(*sec), sec_desc);
    for (i = 0; i < ns && a->nsolve - start < PRUNE_BUDGET; i++) {
        int cell = sec[i].cell, ok = 1;

        a->cp[cell]->sup = SUP_NONE;
        components(a);
        for (k = a->rstart[cell]; k < a->rstart[cell + 1] && ok; k++) {
            const struct rel *l = &a->rel[a->rlist[k]];

            for (m = 0; m < l->n && ok; m++)
                if (hidden(a, l->cell[m]))
                    ok = comp_all_safe(a, uf_find(a->uf, l->cell[m]), var);
        }
        if (!ok)
            a->cp[cell]->sup = SUP_SECONDARY;
    }
    free(sec);
    free(var);
}

/* Marks the primary cells, audits TABS together, then hides the measures
 * of rows with a hidden count or a small base.  The number hidden. */
static int suppress_tables(struct rtable **tabs, int n, int min)
{
    struct audit a;
    int ti, r, c, count = 0;

    for (ti = 0; ti < n; ti++)
        for (r = 0; r < tabs[ti]->nrow; r++)
            for (c = 0; c < tabs[ti]->ncol; c++) {
                struct rcell *cell = &tabs[ti]->rows[r].c[c];

                if (tabs[ti]->cols[c].kind == RC_COUNT && cell->v > 0 && cell->v < min)
                    cell->sup = SUP_PRIMARY;
            }
    audit_init(&a, tabs, n, min);
    audit_run(&a);
    audit_prune(&a);
    audit_free(&a);
    for (ti = 0; ti < n; ti++) {
        struct rtable *t = tabs[ti];

        for (r = 0; r < t->nrow; r++) {
            int row_hidden = 0;

            for (c = 0; c < t->ncol; c++)
                if (t->cols[c].kind == RC_COUNT && t->rows[r].c[c].sup) {
                    row_hidden = 1;
                    count++;
                }
            for (c = 0; c < t->ncol; c++) {
                struct rcell *cell = &t->rows[r].c[c];

                if (t->cols[c].kind == RC_MEASURE && !cell->na
                    && (row_hidden || (cell->v > 0 && cell->v < min))) {
                    cell->sup = SUP_SECONDARY;
                    count++;
                }
            }
        }
    }
    return count;
}

int rtable_suppress(struct rtable *t, int min)
{
    return suppress_tables(&t, 1, min);
}

int report_suppress(struct report *rep, int min)
{
    return suppress_tables(rep->tabs, rep->ntab, min);
}

int rtable_cell_range(struct rtable **tabs, int n, int ti, int r, int c, int min,
                      double *lo, double *hi)
{
    struct audit a;
    struct comp p;
    int *var, nv = 0, i, cell, root, rc = 0;

    audit_init(&a, tabs, n, min);
    cell = cell_index(&a, ti, r, c);
    if (!hidden(&a, cell)) {
        audit_free(&a);
        return err_set("cell %d,%d is not hidden", r, c);
    }
    glp_term_out(GLP_OFF);
    components(&a);
    root = uf_find(a.uf, cell);
    var = xmalloc((size_t)a.ncell * sizeof(int));
    for (i = 0; i < a.ncell; i++)
        if (hidden(&a, i) && uf_find(a.uf, i) == root)
            var[nv++] = i;
    comp_build(&a, &p, var, nv);
    i = a.col[cell] - 1;
    /* No early stop: nothing is past an infinite bound. */
    switch (comp_opt(&p, i, GLP_MIN, INFINITY, lo)) {
    case OPT_UNBOUNDED: *lo = -INFINITY; break;
    case OPT_FAIL: rc = err_set("no solution"); break;
    default: break;
    }
    switch (rc ? OPT_FAIL : comp_opt(&p, i, GLP_MAX, -INFINITY, hi)) {
    case OPT_UNBOUNDED: *hi = INFINITY; break;
    case OPT_FAIL: rc = -1; break;
    default: break;
    }
    comp_free(&p);
    free(var);
    audit_free(&a);
    return rc;
}
