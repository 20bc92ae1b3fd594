/* csvio — CSV files (RFC 4180, UTF-8) of the record tables: export with
 * codes or labels, de-identified or Excel-friendly, streaming rows in
 * constant memory; and import checked row by row against the forms, all or
 * nothing, through the record store so refs, revisions and audit rows are as
 * if typed.  No terminal; callable from the command line and the screens. */
#ifndef TIPDESK_CSVIO_H
#define TIPDESK_CSVIO_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct db;
struct config;
struct sbuf;

/* The I-th table that can be exported (from 0), NULL after the last. */
const char *csv_table_name(size_t i);
/* 1 when TABLE can be exported (IMPORT=0) or imported (IMPORT=1). */
int csv_table_known(const char *table, int import);

struct csv_export_opts {
    const char *table;      /* cases, case_events, ..., suspects, events */
    const char *out;        /* file (written whole, then renamed); NULL: stdout */
    int deidentify;         /* drop what the forms mark pii and free-text fields,
                               and who created or changed a record; birth_date
                               becomes its year; uuids and refs become keys */
    const unsigned char *secret;    /* of the keys (util_pseudonym); NULL: a new one */
    int excel;              /* a UTF-8 byte-order mark; formulas made text
                               and digits kept as typed (util_csv_field_sheet) */
    int force;              /* replace an existing OUT of another kind (see outfile_check) */
    const char *labels;     /* NULL: codes; "en"/"lo": labels of coded values */
    void (*progress)(void *ctx, int64_t done, int64_t total);
    void *ctx;
};

/* 1 when a de-identified export leaves out or changes column COL of TABLE
 * (as --deidentify: pii, free text, who created or changed the record),
 * going by the forms FS (NULL: the fixed pii list); the screens and the
 * history of a viewer hide the same values. */
struct formset;
int csv_col_private(const struct formset *fs, const char *table, const char *col);

/* Writes the rows of O->table that are not deleted, ordered by record then
 * row number; child tables start with their parent's ref (case_ref,
 * prosecution_ref).  0, or -1 with err set (no file left behind). */
int csv_export(struct db *db, const struct config *cfg, const struct csv_export_opts *o);

struct csv_import_opts {
    const char *table;      /* cases, prosecutions, suspects or events */
    const char *file;
    int dry_run;            /* check and count, then roll back */
    void (*progress)(void *ctx, int64_t done, int64_t total);
    void *ctx;
};

struct csv_import_result {
    int64_t rows, inserted, updated, unchanged;
    int64_t drafts, complete, verified;     /* the rows by their record's status */
    int64_t bad_rows;       /* rows with at least one problem */
    struct sbuf *problems;  /* optional: gets every "FILE:LINE: COLUMN: message" line */
};

/* Imports O->file into DB in one transaction.  A new record whose row gives
 * no status is complete and must pass every rule of the forms; an existing
 * one keeps its status.  Every problem is written to
 * ERRS (may be NULL) as "FILE:LINE: COLUMN: message", LINE being the line
 * where the row starts.  Any problem: nothing is imported, -1 with err set
 * to a summary.  0 on success (or a clean dry run). */
int csv_import(struct db *db, const struct config *cfg, const struct csv_import_opts *o,
               struct csv_import_result *r, FILE *errs);

#endif
