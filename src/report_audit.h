/* The system of relations published tables show, as someone trying to
 * undo their suppression sees it, and the integer programs (GLPK) that
 * bound each hidden count.  Shared by report_audit.c, which builds and
 * solves them, and report_suppress.c, which decides what to hide. */
#ifndef TIPDESK_REPORT_AUDIT_H
#define TIPDESK_REPORT_AUDIT_H

#include <glpk.h>

#include "report.h"

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

enum { OPT_FOUND, OPT_UNBOUNDED, OPT_FAIL };

static inline int audit_hidden(const struct audit *a, int i)
{
    return a->cp[i] && a->cp[i]->sup;
}

/* The root of I in the union-find UF (halving the path). */
static inline int uf_find(int *uf, int i)
{
    while (uf[i] != i)
        i = uf[i] = uf[uf[i]];
    return i;
}

/* The system of every relation between the cells of TABS[0..N), the
 * suppression rule being MIN; audit_free releases it (not the tables). */
void audit_init(struct audit *a, struct rtable **tabs, int n, int min);
void audit_free(struct audit *a);
/* The index of cell (R, C) of table T. */
int audit_cell(const struct audit *a, int t, int r, int c);
/* Joins the hidden cells of every relation into components (a->uf). */
void audit_components(struct audit *a);
/* The hidden cells of the component of ROOT into VAR (room for a->ncell);
 * their number. */
int audit_comp_cells(struct audit *a, int root, int *var);

/* The integer program of the hidden cells VAR[0..NV) (one component). */
void comp_build(struct audit *a, struct comp *p, const int *var, int nv);
void comp_free(struct comp *p);
/* The smallest (DIR GLP_MIN) or largest value of variable J into *VAL:
 * OPT_FOUND, OPT_UNBOUNDED or OPT_FAIL; stops early once PAST is out of
 * reach. */
int comp_opt(struct comp *p, int j, int dir, double past, double *val);
/* 1 when variable J is protected under the rule N (PRIMARY: a "<N" cell). */
int comp_safe(struct comp *p, int j, int primary, int n);

#endif
