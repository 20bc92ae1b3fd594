/* Small-cell suppression of published tables, audited the way someone
 * trying to undo it would: every relation the output shows (row, breakdown
 * and column sums, totals shared between tables, "<N" as 1..N-1, "x" as N
 * or more, whole numbers) is an integer program, and each hidden count's
 * smallest and largest possible values are solved for with GLPK.  More
 * cells are hidden until no hidden count can be narrowed below the rule. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report_audit.h"
#include "util.h"

/* How many sums would show K as their only hidden cell were K hidden: each
 * would need one more complement. */
static int lone_sums(const struct audit *a, int k)
{
    int n = 0, j, m;

    for (j = a->rstart[k]; j < a->rstart[k + 1]; j++) {
        const struct rel *l = &a->rel[a->rlist[j]];
        int h = 0;

        for (m = 0; m < l->n; m++)
            h += l->cell[m] != k && audit_hidden(a, l->cell[m]);
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
            if (comp && (!audit_hidden(a, cell) || uf_find(a->uf, cell) != root))
                continue;
            for (k = a->rstart[cell]; k < a->rstart[cell + 1]; k++) {
                const struct rel *l = &a->rel[a->rlist[k]];
                int h = 0;

                if (!ineq && l->op != REL_EQ)
                    continue;
                for (m = 0; m < l->n; m++)
                    h += audit_hidden(a, l->cell[m]);
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
        audit_components(a);
        for (i = 0, np = 0; i < a->ncell; i++)
            if (audit_hidden(a, i) && !done[i]) {
                pairs[2 * np] = uf_find(a->uf, i);
                pairs[2 * np + 1] = i;
                np++;
            }
        qsort(pairs, (size_t)np, 2 * sizeof(int), pair_cmp);
        for (s = 0; s < np && !changed; s = e) {
            struct comp p;
            int *var, nv, root = pairs[2 * s];

            for (e = s; e < np && pairs[2 * e] == root; e++)
                ;
            var = xmalloc((size_t)a->ncell * sizeof(int));
            nv = audit_comp_cells(a, root, var);
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
    int nv = audit_comp_cells(a, root, var), i, ok = 1;

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
        audit_components(a);
        for (k = a->rstart[cell]; k < a->rstart[cell + 1] && ok; k++) {
            const struct rel *l = &a->rel[a->rlist[k]];

            for (m = 0; m < l->n && ok; m++)
                if (audit_hidden(a, l->cell[m]))
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
    int *var, nv, i, cell, root, rc = 0;

    audit_init(&a, tabs, n, min);
    cell = audit_cell(&a, ti, r, c);
    if (!audit_hidden(&a, cell)) {
        audit_free(&a);
        return err_set("cell %d,%d is not hidden", r, c);
    }
    glp_term_out(GLP_OFF);
    audit_components(&a);
    root = uf_find(a.uf, cell);
    var = xmalloc((size_t)a.ncell * sizeof(int));
    nv = audit_comp_cells(&a, root, var);
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
