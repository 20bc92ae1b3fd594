/* db_rec — storing the three kinds of record (cases, prosecutions, events)
 * with their child rows: create and update with rev and audit rows in one
 * transaction, soft delete and restore, fetch, keyset-paged lists and
 * substring search.  Child rows belong to their parent's revision. */
#ifndef TIPDESK_DB_REC_H
#define TIPDESK_DB_REC_H

#include <stdint.h>

#include "db.h"
#include "record.h"

/* What a main table is made of. */
struct db_table {
    const char *name;        /* "cases" */
    const char *date_col;    /* the date that orders lists and gives the ref year */
    const char *kids[3];     /* child tables, NULL-terminated */
    const char *fk;          /* the child tables' column naming the parent uuid */
    const char *fts;         /* trigram index table */
};

/* The description of main table NAME, or NULL when NAME is not one. */
const struct db_table *db_table_find(const char *name);
/* The main tables, NULL-terminated. */
extern const struct db_table *const db_tables[];
/* The main table that child table NAME belongs to, or NULL. */
const struct db_table *db_table_parent_of(const char *child);

/* Who is saving: the office that owns new records and the user name. */
struct db_actor {
    const char *office;
    const char *user;
};

/* Saves R (a record of a main table with its child rows) in one transaction.
 * Without "uuid": creates it (uuid, ref OFFICE-YYYY-NNNN, office, rev 1,
 * created_*; an audit row 'create').  With "uuid": updates the stored row
 * when anything differs — rev+1, updated_*, child rows replaced, an audit
 * row with every changed field old → new; R's "rev" must equal the stored
 * rev (else the record changed meanwhile: error).  Nothing changed: no write.
 * On success R holds the stored uuid, ref, rev and timestamps; returns 1 when
 * written, 0 when nothing changed, -1 on error (err set, nothing written).
 * Inside a transaction the caller opened (db_begin), the save joins it:
 * batches commit together, and after an error the caller must roll the
 * whole batch back (a failed save may have written part of its rows).
 * On create, R may carry uuid, ref, office, created_at/by and updated_at/by
 * (demo data, CSV round trips); rev always starts at 1. */
int db_rec_save(struct db *db, struct rec *r, const struct db_actor *who);

/* The record of TABLE with uuid or ref KEY, with its child rows; NULL when
 * missing (err set).  Caller frees with rec_free. */
struct rec *db_rec_get(struct db *db, const char *table, const char *key);

/* Calls FN with every record of TABLE that is not deleted, with its child
 * rows as db_rec_get gives them, in the order they were entered: those of
 * the child tables named in KIDS (NULL-terminated), or of every one when
 * KIDS is NULL.  R is FN's to change until FN returns; it is freed after.
 * A non-zero return stops the walk.  Reads each table once, not a query
 * per record.  0, or -1 with err set. */
int db_rec_each(struct db *db, const char *table, const char *const *kids,
                int (*fn)(void *ctx, struct rec *r), void *ctx);

/* Soft delete / restore (rev+1, audit row); 0 or -1. */
int db_rec_delete(struct db *db, const char *table, const char *uuid, const struct db_actor *who);
int db_rec_restore(struct db *db, const char *table, const char *uuid, const struct db_actor *who);

/* The next ref for TABLE of OFFICE in YEAR, without taking it: "LA1301-2026-0007". */
char *db_ref_peek_alloc(struct db *db, const char *table, const char *office, int year);

/* Lists. */
enum db_sort { DB_SORT_DATE, DB_SORT_REF, DB_SORT_NAME, DB_SORT_UPDATED };

struct db_filter {
    const char *search;      /* substring of name/ref/village (Lao or Latin); NULL: none */
    int year;                /* of the date column; 0: any */
    const char *status;      /* draft|complete|verified; NULL: any */
    const char *province;    /* P-code; NULL: any */
    const char *district;
    int deleted;             /* 0: hide deleted, 1: only deleted, 2: both */
    enum db_sort sort;
    int descending;
};

/* One line of a list: what a list screen shows. */
struct db_row {
    int64_t id;
    char uuid[37];
    char ref[32];
    char date[11];
    char status[10];
    int deleted;
    char title[160];         /* name or title (UTF-8, may be cut at a character) */
    char place_en[160];      /* district, province (English names) */
    char place_lo[160];      /* the same in Lao */
    char sortkey[160];       /* the sort column's value: pass back as the page key */
};

/* With a search of 3+ characters, rows come in the order they were entered
 * (newest first when descending) whatever the sort: the trigram index hands
 * them out in that order, so a page costs the same for common and rare
 * substrings. */
/* Fetches up to N rows of TABLE after (FORWARD=1) or before (FORWARD=0) the
 * row AT (NULL: from the start, or from the end when FORWARD=0).  Rows come
 * in display order either way.  Cost does not depend on the position (keyset
 * paging).  Returns the number of rows, or -1. */
int db_list_page(struct db *db, const char *table, const struct db_filter *f,
                 const struct db_row *at, int forward, struct db_row *rows, int n);

/* Number of rows matching F (for "N records" lines).  Without a search or a
 * year or place filter it comes from the counts kept by triggers and reads
 * no records; otherwise counting stops at DB_LIST_COUNT_MAX: show that value
 * as "1000+". */
#define DB_LIST_COUNT_MAX 1000
int64_t db_list_count(struct db *db, const char *table, const struct db_filter *f);
/* 1 when db_list_count of F is exact (never capped). */
int db_list_count_exact(const struct db_filter *f);

#endif
