/* Shared by db_bundle.c, db_bundle_check.c and db_bundle_merge.c, which
 * work on a connection of their own (db_open_peer) through db.h: small
 * statement helpers, the bundle's table relations and the canonical
 * checksum. */
#ifndef TIPDESK_DB_BUNDLE_SQL_H
#define TIPDESK_DB_BUNDLE_SQL_H

#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

struct db;
struct db_stmt;
struct bundle_progress;
struct bundle_summary;
struct db_bundle_limits;

/* Child tables: the table, its parent (bundle_tables indexes) and the column
 * naming the parent's uuid. */
struct dbb_kid {
    int table, parent;
    const char *fk;
};
#define DBB_NKIDS 5
#define DBB_NMAINS 3
extern const struct dbb_kid dbb_kids[DBB_NKIDS];
extern const int dbb_mains[DBB_NMAINS];

void dbb_progress(const struct bundle_progress *p, int64_t done, int64_t total);
/* SCHEMA.TABLE's columns but id, quoted, with types when TYPES, each after
 * PREFIX; a new string, or NULL when the table is missing. */
char *dbb_columns(struct db *h, const char *schema, const char *table, int types, const char *prefix);
/* Creates in SCHEMA the bundle's tables and manifest as the writer makes
 * them: each table with the columns NAMES_FROM has of it ("main" when
 * writing), typed as in main.  The import builds the schema a bundle must
 * have this way.  0 or -1 with err set (a column main lacks, a missing table). */
int dbb_create_tables(struct db *h, const char *schema, const char *names_from);
/* Runs SQL binding ?1, ?2 as text and ?3 as integer where present. */
int dbb_exec(struct db *h, const char *sql, const char *t1, const char *t2, int64_t i3);
int64_t dbb_query_int(struct db *h, const char *sql, const char *t1, int64_t def);
/* Runs SQL with ?1 = PARAM (may be NULL): 1 with *OUT (caller frees) the
 * first column of the first row, 0 when no row, -1 on error. */
int dbb_first_text(struct db *h, const char *sql, const char *param, char **out);
/* snprintf of SRC (NULL: "") into DST of N bytes. */
void dbb_copy_str(char *dst, size_t n, const char *src);
/* Hex BLAKE2b-256 of the canonical content of the bundle in SCHEMA. */
int dbb_checksum(struct db *h, const char *schema, char out[65], const struct bundle_progress *p,
                 int64_t done, int64_t total);

/* Sees every row of the checksum pass: BEGIN once per table (bundle_tables
 * index T) before its first row, ROW after each row is hashed.  Columns are
 * those of dbb_columns; read them as text or int64 only. */
struct dbb_visit {
    void (*begin)(void *ctx, int t, struct db_stmt *st);
    void (*row)(void *ctx, struct db_stmt *st);
    void *ctx;
};
/* dbb_checksum that also shows each row to VIS (may be NULL) and counts the
 * rows of each table into ROWS (may be NULL): reading a bundle once serves
 * the checksum and the checks of its rows.  TOTAL is for progress. */
int dbb_checksum_rows(struct db *h, const char *schema, char out[65], const struct dbb_visit *vis,
                      int64_t rows[], const struct bundle_progress *p, int64_t total);

/* Opens FILE (NAME: it as printed) for reading after checking it is a
 * regular file (a pipe or device is never opened) with a bundle's SQLite
 * header, whole; fills SB.  The descriptor, or -1 with err set. */
int dbb_open_file(const char *file, const char *name, struct stat *sb);
/* Verifies the bundle attached to H as bx, inside H's open transaction, with
 * an empty scratch database attached as bexp: its schema is exactly the one
 * the writer makes, then manifest, sequence, integrity, checksum and every
 * row (LIM: the forms' limits).  Fills S's office, level, seq, created_at and
 * checksum.  0, or -1 with err set naming NAME. */
int dbb_verify(struct db *h, const char *name, const struct db_bundle_limits *lim,
               struct bundle_summary *s, const struct bundle_progress *p);

#endif
