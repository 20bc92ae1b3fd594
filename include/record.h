/* record — one row's values by column name, plus its child rows (journey,
 * screening and assistance of a case; suspects and victim links of a
 * prosecution).  Plain C: forms, CSV import, bundles and tests fill and read
 * records; db_rec_* stores them.  Values are text (NULL = empty). */
#ifndef TIPDESK_RECORD_H
#define TIPDESK_RECORD_H

#include <stddef.h>

struct rec {
    char *table;            /* "cases", "case_events", ... */
    size_t n, cap;
    char **col;             /* column names, in insertion order */
    char **val;             /* values; NULL means empty (SQL NULL) */
    size_t nkids, kcap;
    struct rec **kids;      /* child rows, in order, each with its own table */
};

/* A new empty record for TABLE. */
struct rec *rec_new(const char *table);
void rec_free(struct rec *r);
/* A deep copy (values and children). */
struct rec *rec_dup(const struct rec *r);

/* Sets COL to a copy of VAL ("" and NULL both mean empty). */
void rec_set(struct rec *r, const char *col, const char *val);
/* Sets COL to a formatted value. */
void rec_setf(struct rec *r, const char *col, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* The value of COL, or NULL when absent or empty; borrowed until the next rec_set of COL. */
const char *rec_get(const struct rec *r, const char *col);
/* Index of COL or -1. */
int rec_find(const struct rec *r, const char *col);

/* Appends a new child row of TABLE and returns it (owned by R). */
struct rec *rec_kid_add(struct rec *r, const char *table);
/* Removes every child row of TABLE (NULL: all children). */
void rec_kids_clear(struct rec *r, const char *table);
/* Number of child rows of TABLE. */
size_t rec_kids_count(const struct rec *r, const char *table);

#endif
