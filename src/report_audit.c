/* The suppression audit's system: every relation a published table shows
 * (row, breakdown and column sums, totals shared between tables) over its
 * cells, and each component of hidden cells as one GLPK integer program
 * whose bounds say how far a hidden count can be narrowed. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report_audit.h"
#include "util.h"

int audit_cell(const struct audit *a, int t, int r, int c)
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
                rel_cell(l, audit_cell(a, ti, r, gr->parts[k]), 1);
            rel_cell(l, audit_cell(a, ti, r, gr->total), -1);
        }
    if (!t->rows_add || tot < 0)
        return;
    for (c = 0; c < t->ncol; c++) {
        struct rel *l;

        if (t->cols[c].kind != RC_COUNT || t->cols[c].nonadd)
            continue;
        l = rel_add(a, REL_EQ, t->nrow);
        for (r = 0; r < t->nrow; r++)
            rel_cell(l, audit_cell(a, ti, r, c), r == tot ? -1 : 1);
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
                rel_cell(l, audit_cell(a, ti, tot, c), 1);
                rel_cell(l, audit_cell(a, ref, rtot, rc), -1);
                continue;
            }
            l = rel_add(a, REL_GE, t->nrow + 1);
            for (r = 0; r < t->nrow; r++)
                rel_cell(l, audit_cell(a, ti, r, c), 1);
            rel_cell(l, audit_cell(a, ref, rtot, rc), -1);
            for (r = 0; r < t->nrow; r++) {
                l = rel_add(a, REL_LE, 2);
                rel_cell(l, audit_cell(a, ti, r, c), 1);
                rel_cell(l, audit_cell(a, ref, rtot, rc), -1);
            }
        }
    }
}

void audit_init(struct audit *a, struct rtable **tabs, int n, int min)
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

void audit_free(struct audit *a)
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

/* Joins the hidden cells of every relation into components. */
void audit_components(struct audit *a)
{
    int i, k;

    for (i = 0; i < a->ncell; i++)
        a->uf[i] = i;
    for (i = 0; i < a->nrel; i++) {
        int first = -1;

        for (k = 0; k < a->rel[i].n; k++) {
            int cell = a->rel[i].cell[k];

            if (!audit_hidden(a, cell))
                continue;
            if (first < 0)
                first = uf_find(a->uf, cell);
            else
                a->uf[uf_find(a->uf, cell)] = first;
        }
    }
}

int audit_comp_cells(struct audit *a, int root, int *var)
{
    int i, nv = 0;

    for (i = 0; i < a->ncell; i++)
        if (audit_hidden(a, i) && uf_find(a->uf, i) == root)
            var[nv++] = i;
    return nv;
}

/* The integer program of the hidden cells VAR (one component): the
 * relations they are in, with the shown cells moved to the right side. */
void comp_build(struct audit *a, struct comp *p, const int *var, int nv)
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
                if (!audit_hidden(a, l->cell[m])) {
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

void comp_free(struct comp *p)
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

/* The smallest (DIR GLP_MIN) or largest value of variable J over the
 * integer points, into *VAL.  The LP relaxation is solved first: its bound
 * is at least as wide as the integer one, so when even it does not reach
 * PAST (min: stays above it, max: below it) the integer optimum cannot
 * either, and *VAL is the LP bound; otherwise the integer program decides. */
int comp_opt(struct comp *p, int j, int dir, double past, double *val)
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
int comp_safe(struct comp *p, int j, int primary, int n)
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
