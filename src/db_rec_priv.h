/* db_rec_priv — what db_rec.c and db_rec_rows.c share: the schema's columns
 * (read once per table), child rows, and refs. */
#ifndef TIPDESK_DB_REC_PRIV_H
#define TIPDESK_DB_REC_PRIV_H

#include <stddef.h>

#include "db.h"
#include "db_rec.h"
#include "record.h"

struct columns {
    char table[32];
    size_t n;
    char **name;
    char *snap_sql;         /* child tables: the JSON snapshot query */
};

/* The columns of TABLE (cached for the life of the process), or NULL. */
const struct columns *columns_of(struct db *db, const char *table);
/* 1 when C has column COL. */
int has_col(const struct columns *c, const char *col);

/* Takes the next free ref of OFFICE for year YEAR; caller frees. */
char *ref_take(struct db *db, const struct db_table *t, const char *office, int year);
/* The year a new record's ref carries: of its date column, else this year. */
int ref_year(const struct rec *r, const struct db_table *t);

/* The child rows of KID under parent UUID as a JSON array, in order; caller frees. */
char *kids_snapshot(struct db *db, const struct db_table *t, const char *kid, const char *uuid);
/* 1 when the child rows stored under UUID are R's to the letter, 0 when
 * not, -1 on error. */
int kids_unchanged(struct db *db, const struct db_table *t, const struct rec *r, const char *uuid);
/* Replaces the child rows under UUID with R's; 0 or -1. */
int kids_write(struct db *db, const struct db_table *t, const struct rec *r, const char *uuid);

#endif
