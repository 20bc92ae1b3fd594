/* Tests for small-cell suppression from the outside: an attacker that
 * reads only the published CSV text, writes its own integer program with
 * GLPK (nothing of tipdesk's audit is used) and tries to narrow each hidden
 * cell.  It finds the cells the old elimination check let through, and
 * none in what tipdesk publishes now: 300 random sparse tables (a victims
 * table by year with sex and age breakdowns, published together with
 * tables by province and agency sharing its total) and the known cases. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <glpk.h>

#include "report.h"
#include "util.h"

#define MIN_CELL 5
#define MAXT 4
#define MAXR 64
#define MAXC 12

/* --- the attacker: published text in, narrowed cells out --- */

enum { PUB_SHOWN, PUB_SMALL, PUB_X };

struct pub {
    int nrow, ncol, total;          /* total: index of the "total" row or -1 */
    char head[MAXC][24];            /* count columns (the key column dropped) */
    int kind[MAXR][MAXC];
    long v[MAXR][MAXC];
    int var[MAXR][MAXC];            /* GLPK column of a hidden cell */
};

/* Parses CSV text of plain fields (our tables' keys need no quotes). */
static void pub_parse(struct pub *p, const char *csv)
{
    const char *line = csv;
    int r = -1;

    memset(p, 0, sizeof(*p));
    p->total = -1;
    while (*line) {
        const char *end = strstr(line, "\r\n");
        char buf[512], *f, *save = NULL;
        int c = -1;

        assert_non_null(end);
        assert_true(end - line < (long)sizeof(buf));
        memcpy(buf, line, (size_t)(end - line));
        buf[end - line] = '\0';
        for (f = strtok_r(buf, ",", &save); f; f = strtok_r(NULL, ",", &save), c++) {
            if (c < 0) {
                if (r >= 0 && strcmp(f, "total") == 0)
                    p->total = r;
                continue;
            }
            assert_true(c < MAXC);
            if (r < 0) {
                snprintf(p->head[c], sizeof(p->head[c]), "%s", f);
                p->ncol = c + 1;
            } else if (f[0] == '<') {
                p->kind[r][c] = PUB_SMALL;
                p->v[r][c] = atol(f + 1);
            } else if (strcmp(f, "x") == 0) {
                p->kind[r][c] = PUB_X;
            } else {
                p->v[r][c] = atol(f);
            }
        }
        r++;
        assert_true(r < MAXR);
        line = end + 2;
    }
    p->nrow = r;
}

static int pub_col(const struct pub *p, const char *name)
{
    int c;

    for (c = 0; c < p->ncol; c++)
        if (strcmp(p->head[c], name) == 0)
            return c;
    return -1;
}

/* Adds the row "sum of (table, row, column) cells with coefficients = 0". */
static void eq_row(glp_prob *lp, struct pub *ps, int n, const int *t, const int *r,
                   const int *c, const double *coef)
{
    int ind[MAXR + 2], k, m = 0, row = glp_add_rows(lp, 1);
    double val[MAXR + 2], rhs = 0;

    for (k = 0; k < n; k++) {
        struct pub *p = &ps[t[k]];

        if (p->kind[r[k]][c[k]] == PUB_SHOWN) {
            rhs -= coef[k] * (double)p->v[r[k]][c[k]];
            continue;
        }
        m++;
        ind[m] = p->var[r[k]][c[k]];
        val[m] = coef[k];
    }
    glp_set_row_bnds(lp, row, GLP_FX, rhs, rhs);
    glp_set_mat_row(lp, row, m, ind, val);
}

/* What a published table shows: sex and age breakdowns add up to "total"
 * in each row, every column adds up to the total row, and the total rows of
 * tables published together are equal. */
static void pub_relations(glp_prob *lp, struct pub *ps, int np)
{
    static const char *const sex[] = { "female", "male", "other", "unknown" };
    static const char *const age[] = { "under_18", "adult", "age_unknown" };
    int t[MAXR + 1], r[MAXR + 1], c[MAXR + 1], i, k, n, row, col;
    double coef[MAXR + 1];

    for (i = 0; i < np; i++) {
        struct pub *p = &ps[i];
        int tot = pub_col(p, "total");

        for (row = 0; row < p->nrow; row++) {
            for (n = 0, k = 0; k < 4; k++, n++) {
                t[n] = i; r[n] = row; c[n] = pub_col(p, sex[k]); coef[n] = 1;
            }
            t[n] = i; r[n] = row; c[n] = tot; coef[n++] = -1;
            eq_row(lp, ps, n, t, r, c, coef);
            if (pub_col(p, "under_18") < 0)
                continue;
            for (n = 0, k = 0; k < 3; k++, n++) {
                t[n] = i; r[n] = row; c[n] = pub_col(p, age[k]); coef[n] = 1;
            }
            t[n] = i; r[n] = row; c[n] = tot; coef[n++] = -1;
            eq_row(lp, ps, n, t, r, c, coef);
        }
        for (col = 0; col < p->ncol && p->total >= 0; col++) {
            for (n = 0, row = 0; row < p->nrow; row++, n++) {
                t[n] = i; r[n] = row; c[n] = col; coef[n] = row == p->total ? -1 : 1;
            }
            eq_row(lp, ps, n, t, r, c, coef);
        }
        for (col = 0; i > 0 && col < p->ncol && p->total >= 0 && ps[0].total >= 0; col++) {
            t[0] = i; r[0] = p->total; c[0] = col; coef[0] = 1;
            t[1] = 0; r[1] = ps[0].total; c[1] = pub_col(&ps[0], p->head[col]); coef[1] = -1;
            if (c[1] >= 0)
                eq_row(lp, ps, 2, t, r, c, coef);
        }
    }
}

/* Solves for the extreme of column J in direction DIR. */
static double attack_opt(glp_prob *lp, int j, int dir)
{
    glp_iocp ip;
    int k;

    for (k = 1; k <= glp_get_num_cols(lp); k++)
        glp_set_obj_coef(lp, k, k == j);
    glp_set_obj_dir(lp, dir);
    glp_init_iocp(&ip);
    ip.presolve = GLP_ON;
    ip.msg_lev = GLP_MSG_OFF;
    k = glp_intopt(lp, &ip);
    /* Presolve reports an unbounded relaxation as having no dual solution. */
    if (k == GLP_ENODFS)
        return dir == GLP_MAX ? 1e18 : -1e18;
    assert_int_equal(k, 0);
    assert_int_equal(glp_mip_status(lp), GLP_OPT);
    return glp_mip_obj_val(lp);
}

/* The range of every hidden cell of the NP tables PS as one integer
 * program, into LO and HI (indexed by GLPK column). */
static void ranges(struct pub *ps, int np, int min, double *lo, double *hi)
{
    glp_prob *lp = glp_create_prob();
    int i, r, c, nv = 0;

    glp_term_out(GLP_OFF);
    for (i = 0; i < np; i++)
        for (r = 0; r < ps[i].nrow; r++)
            for (c = 0; c < ps[i].ncol; c++) {
                if (ps[i].kind[r][c] == PUB_SHOWN)
                    continue;
                ps[i].var[r][c] = ++nv;
                glp_add_cols(lp, 1);
                glp_set_col_kind(lp, nv, GLP_IV);
                if (ps[i].kind[r][c] == PUB_SMALL)
                    glp_set_col_bnds(lp, nv, GLP_DB, 1, (double)ps[i].v[r][c] - 1);
                else
                    glp_set_col_bnds(lp, nv, GLP_LO, min, 0);
            }
    pub_relations(lp, ps, np);
    for (i = 1; i <= nv; i++) {
        lo[i] = attack_opt(lp, i, GLP_MIN);
        hi[i] = attack_opt(lp, i, GLP_MAX);
    }
    glp_delete_prob(lp);
}

/* The hidden cells of the NP tables published together (CSV[i]) that the
 * attacker narrows: a "<N" cell not free over 1..N-1, an "x" cell whose
 * range is narrower than that (N-2).  A cell whose range is no narrower
 * than it would be were every non-zero cell hidden counts as held: no
 * suppression can do more (a row of total "<5" with three non-zero parts
 * shows each is 1 or 2).  *PINNED counts the narrowed ones with a single
 * value, *NHIDDEN the hidden cells, *NBEST the ones only held that way. */
static int attack(const char *const *csv, int np, int min, int *pinned, int *nhidden,
                  int *nbest)
{
    static struct pub ps[MAXT], all[MAXT];
    static double lo[MAXT * MAXR * MAXC + 1], hi[MAXT * MAXR * MAXC + 1];
    static double alo[MAXT * MAXR * MAXC + 1], ahi[MAXT * MAXR * MAXC + 1];
    int i, r, c, narrowed = 0;

    *pinned = *nhidden = *nbest = 0;
    for (i = 0; i < np; i++) {
        pub_parse(&ps[i], csv[i]);
        all[i] = ps[i];
        for (r = 0; r < ps[i].nrow; r++)
            for (c = 0; c < ps[i].ncol; c++)
                if (all[i].kind[r][c] == PUB_SHOWN && all[i].v[r][c] > 0)
                    all[i].kind[r][c] = PUB_X;
    }
    ranges(ps, np, min, lo, hi);
    ranges(all, np, min, alo, ahi);
    for (i = 0; i < np; i++)
        for (r = 0; r < ps[i].nrow; r++)
            for (c = 0; c < ps[i].ncol; c++) {
                int v = ps[i].var[r][c], a = all[i].var[r][c];

                if (ps[i].kind[r][c] == PUB_SHOWN)
                    continue;
                ++*nhidden;
                if (ps[i].kind[r][c] == PUB_SMALL ? lo[v] <= 1 && hi[v] >= min - 1
                                                  : hi[v] - lo[v] >= min - 2)
                    continue;
                if (lo[v] <= alo[a] && hi[v] >= ahi[a]) {
                    ++*nbest;
                    continue;
                }
                narrowed++;
                if (lo[v] == hi[v])
                    ++*pinned;
            }
    return narrowed;
}

/* --- tables to publish --- */

static struct rtable *sex_table(const char *name, const char *key, int full)
{
    static const char *const cols[] = { "female", "male", "other", "unknown", "total",
                                        "under_18", "adult", "age_unknown" };
    struct rtable *t = rtable_new(name, name, NULL, key, key, NULL);
    int sex[4] = { 0, 1, 2, 3 }, age[3] = { 5, 6, 7 }, c;

    for (c = 0; c < (full ? 8 : 5); c++)
        rtable_col(t, cols[c], cols[c], NULL, RC_COUNT);
    rtable_group(t, 4, sex, 4);
    if (full)
        rtable_group(t, 4, age, 3);
    t->share_total = SHARE_EQUAL;
    return t;
}

static void count(struct rtable *t, const char *key, int sex, int age)
{
    struct rrow *r = rtable_row(t, key, NULL, NULL);

    r->c[sex].v++;
    r->c[4].v++;
    if (t->ncol > 5)
        r->c[5 + age].v++;
}

static uint64_t seed = 20240601;

static int rnd(int n)
{
    seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
    return (int)((seed >> 33) % (uint64_t)n);
}

/* Checks each published cell against the true one: shown exactly, "<N" for
 * 1..N-1 (all of them), "x" only for N or more (never a zero). */
static void assert_honest(const char *truth, const char *published)
{
    struct pub t, p;
    int r, c;

    pub_parse(&t, truth);
    pub_parse(&p, published);
    assert_int_equal(t.nrow, p.nrow);
    for (r = 0; r < t.nrow; r++)
        for (c = 0; c < t.ncol; c++) {
            long v = t.v[r][c];

            if (v > 0 && v < MIN_CELL)
                assert_int_equal(p.kind[r][c], PUB_SMALL);
            else if (p.kind[r][c] == PUB_X)
                assert_true(v >= MIN_CELL);
            else
                assert_int_equal(p.kind[r][c], PUB_SHOWN);
            if (p.kind[r][c] == PUB_SHOWN)
                assert_int_equal(p.v[r][c], v);
        }
}

/* A random sparse report of N victims over a few years, provinces and
 * agencies (only the table by year when SINGLE), published; its CSVs. */
static int random_report(int n, int single, char **csv)
{
    static const char *const prov[] = { "LA01", "LA03", "LA13", "LA16", "LA18" };
    static const char *const agency[] = { "Police", "NGO", "Hotline" };
    static const int sexw[] = { 0, 0, 0, 0, 0, 1, 1, 1, 2, 3 };
    struct report *rep = report_alloc("victims");
    struct sbuf out = {0};
    int i, years = 1 + rnd(6), nt = single ? 1 : 3;
    char **truth = xcalloc(3, sizeof(*truth));

    report_add(rep, sex_table("by_year", "year", 1));
    if (!single) {
        report_add(rep, sex_table("by_province", "province", 0));
        report_add(rep, sex_table("by_agency", "agency", 0));
    }
    for (i = 0; i < n; i++) {
        char year[8];
        int sex = sexw[rnd(10)], age = rnd(5) < 3 ? 0 : rnd(3);

        snprintf(year, sizeof(year), "%d", 2015 + rnd(years));
        count(rep->tabs[0], year, sex, age);
        if (!single) {
            count(rep->tabs[1], prov[rnd(5)], sex, age);
            count(rep->tabs[2], agency[rnd(3)], sex, age);
        }
    }
    for (i = 0; i < nt; i++) {
        report_sort_rows(rep->tabs[i]);
        rtable_add_total(rep->tabs[i]);
        sbuf_reset(&out);
        rtable_write_csv(rep->tabs[i], MIN_CELL, &out);
        truth[i] = xstrdup(sbuf_str(&out));
    }
    if (single)
        rtable_suppress(rep->tabs[0], MIN_CELL);
    else
        report_suppress(rep, MIN_CELL);
    for (i = 0; i < nt; i++) {
        sbuf_reset(&out);
        rtable_write_csv(rep->tabs[i], MIN_CELL, &out);
        csv[i] = xstrdup(sbuf_str(&out));
        assert_honest(truth[i], csv[i]);
        free(truth[i]);
    }
    free(truth);
    sbuf_free(&out);
    report_free(rep);
    return nt;
}

static void random_sparse_tables_hold(void **state)
{
    int round, i, total_hidden = 0, total_small = 0, total_best = 0;

    (void)state;
    for (round = 0; round < 300; round++) {
        char *csv[3];
        int nt = random_report(5 + rnd(round % 3 ? 60 : 150), round % 4 == 0, csv);
        int pinned, nhidden, nbest, narrowed = attack((const char *const *)csv, nt, MIN_CELL,
                                                      &pinned, &nhidden, &nbest);

        if (narrowed)
            fail_msg("round %d: %d hidden cells narrowed (%d pinned):\n%s", round, narrowed,
                     pinned, csv[0]);
        total_hidden += nhidden;
        total_best += nbest;
        for (i = 0; i < nt; i++) {
            total_small += strstr(csv[i], "<5") != NULL;
            free(csv[i]);
        }
    }
    /* The tables were sparse enough to put the audit to work. */
    assert_true(total_hidden > 2000);
    assert_true(total_small > 250);
    print_message("%d hidden cells, %d held only as far as any suppression can\n",
                  total_hidden, total_best);
}

/* What the old elimination check published: 2001's "<5,<5,...,8" is 4 and
 * 4 (each at most 4, adding to 8) although no sum shows one cell alone. */
static const char old_pair[] =
    "year,female,male,other,unknown,total\r\n"
    "2001,<5,<5,0,0,8\r\n"
    "2002,<5,<5,0,0,8\r\n"
    "total,8,8,0,0,16\r\n";
static const char old_mixed[] =
    "year,female,male,other,unknown,total\r\n"
    "2001,<5,<5,0,0,8\r\n"
    "2002,x,0,0,<5,15\r\n"
    "2003,0,x,<5,0,11\r\n"
    "2004,6,0,0,0,6\r\n"
    "total,22,13,<5,<5,40\r\n";

static const int pair_v[][4] = { { 4, 4, 0, 0 }, { 4, 4, 0, 0 } };
static const int mixed_v[][4] = { { 4, 4, 0, 0 }, { 12, 0, 0, 3 }, { 0, 9, 2, 0 }, { 6, 0, 0, 0 } };

static char *published_alloc(const int (*v)[4], int n)
{
    struct rtable *t = sex_table("t", "year", 0);
    struct sbuf out = {0};
    char key[8], *s;
    int r, c;

    for (r = 0; r < n; r++) {
        struct rrow *row;

        snprintf(key, sizeof(key), "%d", 2001 + r);
        row = rtable_row(t, key, NULL, NULL);
        for (c = 0; c < 4; c++) {
            row->c[c].v = v[r][c];
            row->c[4].v += v[r][c];
        }
    }
    rtable_add_total(t);
    rtable_suppress(t, MIN_CELL);
    rtable_write_csv(t, MIN_CELL, &out);
    s = xstrdup(sbuf_str(&out));
    sbuf_free(&out);
    rtable_free(t);
    return s;
}

static void attacker_breaks_old_output(void **state)
{
    const char *one[1];
    int pinned, nhidden, nbest;

    (void)state;
    one[0] = old_pair;
    assert_int_equal(attack(one, 1, MIN_CELL, &pinned, &nhidden, &nbest), 4);
    assert_int_equal(pinned, 4);
    one[0] = old_mixed;
    assert_true(attack(one, 1, MIN_CELL, &pinned, &nhidden, &nbest) >= 2);
    assert_true(pinned >= 2);
}

static void known_cases_hold(void **state)
{
    const char *one[1];
    char *s;
    int pinned, nhidden, nbest;

    (void)state;
    s = published_alloc(pair_v, 2);
    one[0] = s;
    assert_int_equal(attack(one, 1, MIN_CELL, &pinned, &nhidden, &nbest), 0);
    assert_int_equal(pinned, 0);
    assert_true(nhidden >= 4);
    free(s);
    s = published_alloc(mixed_v, 4);
    one[0] = s;
    assert_int_equal(attack(one, 1, MIN_CELL, &pinned, &nhidden, &nbest), 0);
    assert_int_equal(pinned, 0);
    free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(attacker_breaks_old_output),
        cmocka_unit_test(known_cases_hold),
        cmocka_unit_test(random_sparse_tables_hold),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
