/* report — the M&E reports of README.md, "Commands" (victims, prosecutions,
 * prevention, protection, npa, quality) as tables of counts: building them
 * from the database with the filters of the command line, small-cell
 * suppression for published tables, and writing them as aligned text (by
 * display width, so Lao labels line up) or CSV.  No terminal: the CLI and the
 * reports screen share it.  Counting rules: README.md, "Counting rules". */
#ifndef TIPDESK_REPORT_H
#define TIPDESK_REPORT_H

#include <stdint.h>
#include <stdio.h>

#include "db.h"
#include "util.h"

/* Victims counted: cases whose trafficking status is possible or actual.
 * Nine cases in ten are victims: a table scan beats the status index (+). */
#define REPORT_VICTIM_COND \
    "+trafficking_status IN ('PossibleVictimOfTrafficking', 'ActualVictimOfTrafficking')"
/* The same with the terms of index cases_victims (db/010_victims_index.sql),
 * which holds the victims that are neither deleted nor drafts. */
#define REPORT_VICTIM_TERMS \
    "trafficking_status IN ('PossibleVictimOfTrafficking', 'ActualVictimOfTrafficking')" \
    " AND deleted_at IS NULL AND status <> 'draft'"

/* Age group at identification: 'c' under 18, 'a' 18 and over, 'u' unknown.
 * A full birth date is measured against the registration date; else the
 * recorded age; else a birth year (unknown when it may be 17 or 18); else
 * the clerk's child/adult choice. */
#define REPORT_AGE_GROUP_EXPR \
    "CASE WHEN length(birth_date) = 10 AND length(registered_on) >= 10 THEN" \
    "  CASE WHEN CAST(substr(registered_on, 1, 4) AS INTEGER) - CAST(substr(birth_date, 1, 4) AS INTEGER)" \
    "   - (substr(registered_on, 6, 5) < substr(birth_date, 6, 5)) < 18 THEN 'c' ELSE 'a' END" \
    " WHEN age IS NOT NULL THEN CASE WHEN age < 18 THEN 'c' ELSE 'a' END" \
    " WHEN length(birth_date) >= 4 AND length(registered_on) >= 4 THEN" \
    "  CASE WHEN CAST(substr(registered_on, 1, 4) AS INTEGER) - CAST(substr(birth_date, 1, 4) AS INTEGER) < 18 THEN 'c'" \
    "   WHEN CAST(substr(registered_on, 1, 4) AS INTEGER) - CAST(substr(birth_date, 1, 4) AS INTEGER) > 18 THEN 'a'" \
    "   WHEN age_group = 'Child' THEN 'c' WHEN age_group = 'Adult' THEN 'a' ELSE 'u' END" \
    " WHEN age_group = 'Child' THEN 'c' WHEN age_group = 'Adult' THEN 'a' ELSE 'u' END"

enum rcol_kind {
    RC_COUNT,       /* a count of persons, records or participants (suppressible) */
    RC_MEASURE,     /* a derived number (rate, median, mean); its cell's v is its base n */
    RC_TEXT         /* free text (quality listings) */
};

/* How a cell is shown after suppression. */
enum { SUP_NONE, SUP_PRIMARY, SUP_SECONDARY };

struct rcol {
    char *key;              /* CSV header name, lower-case */
    char *en, *lo;          /* labels for text output */
    enum rcol_kind kind;
    int decimals;           /* for RC_MEASURE */
    int nonadd;             /* RC_COUNT whose total row is not the sum of the rows
                             * (distinct persons, multi-select values): set by the builder */
};

struct rcell {
    int64_t v;              /* the count (RC_COUNT) or the measure's base n */
    double m;               /* RC_MEASURE value */
    int na;                 /* RC_MEASURE: no value (nothing to compute it from) */
    char *s;                /* RC_TEXT value (owned) */
    int sup;                /* SUP_* */
};

struct rrow {
    char *key;              /* the row's code: year, P-code, list code... ("" = not recorded) */
    char *en, *lo;          /* labels */
    int is_total;
    struct rcell *c;        /* ncol cells */
};

/* Tables of one report that count the same persons: SHARE_EQUAL tables'
 * total rows are equal (in the columns of the same key); a SHARE_COVER
 * table (multi-select rows, no total) has rows each at most that total and
 * together at least it.  Suppression audits them as one system. */
enum { SHARE_NONE, SHARE_EQUAL, SHARE_COVER };

/* Cells PARTS of a row add up to cell TOTAL of the same row. */
#define RT_MAX_PARTS 64
struct rgroup {
    int total;
    int nparts;
    int parts[RT_MAX_PARTS];
};

struct rtable {
    char *name;             /* stable id: "victims_by_year" */
    char *title_en, *title_lo;
    char *key_name;         /* CSV header of the row key: "year", "province"... */
    char *key_en, *key_lo;
    int ncol, ccap;
    struct rcol *cols;
    int nrow, rcap;
    struct rrow *rows;
    int *slots, nslot;      /* the rows by key: open addressing, row + 1 (0: free) */
    int ngroup;
    struct rgroup groups[4];
    int rows_add;           /* 1: the total row is the sum of the other rows (count columns) */
    int share_total;        /* SHARE_*: how its counts relate to the report's other tables */
    char *note_en, *note_lo;
};

/* Report options from the command line or the reports screen. */
enum report_by { BY_YEAR, BY_PROVINCE, BY_DISTRICT, BY_OFFICE, BY_COUNTRY,
                 BY_EXPLOITATION, BY_AGENCY, BY_BORDER, BY_TYPE };

#define REPORT_MAX_WHERE 8
struct report_opts {
    int from, to;           /* years; 0 = open */
    enum report_by by;
    const char *status;     /* draft|complete|verified; NULL: all but drafts */
    int nwhere;
    const char *where_col[REPORT_MAX_WHERE];
    const char *where_val[REPORT_MAX_WHERE];
    int publish;            /* suppress cells below min_cell */
    int min_cell;
    const char *lang;       /* "en" or "lo" */
    const char *today;      /* "YYYY-MM-DD" for follow-up checks; NULL: the real date */
};

/* A report: its tables (the first is the main table, the one CSV writes). */
struct report {
    char *name;
    int ntab;
    struct rtable **tabs;
    char *legend_en, *legend_lo;
};

/* --- the table model (report.c) --- */

/* A new empty table; the row key is named KEY_NAME (labels KEY_EN/KEY_LO). */
struct rtable *rtable_new(const char *name, const char *title_en, const char *title_lo,
                          const char *key_name, const char *key_en, const char *key_lo);
void rtable_free(struct rtable *t);
/* Appends a column; returns its index. */
int rtable_col(struct rtable *t, const char *key, const char *en, const char *lo,
               enum rcol_kind kind);
/* Index of column KEY or -1. */
int rtable_col_find(const struct rtable *t, const char *key);
/* Declares that columns PARTS (N of them) add up to column TOTAL in every row. */
void rtable_group(struct rtable *t, int total, const int *parts, int n);
/* The row with KEY, appended (with labels EN/LO, NULL = KEY) when missing. */
struct rrow *rtable_row(struct rtable *t, const char *key, const char *en, const char *lo);
/* Appends a row with KEY that the caller knows is new (no search: for
 * tables of thousands of rows built in order). */
struct rrow *rtable_append(struct rtable *t, const char *key, const char *en, const char *lo);
/* The row with KEY or NULL. */
struct rrow *rtable_find(const struct rtable *t, const char *key);
/* The index of the row (not a total) whose key is the N bytes at KEY,
 * appended (labelled by its key) when there is none: one hash probe, for
 * loops that count every record. */
int rtable_row_n(struct rtable *t, const char *key, size_t n);
/* Sorts the rows with CMP (qsort's contract) and keeps them findable. */
void rtable_sort(struct rtable *t, int (*cmp)(const void *, const void *));
/* Appends a total row summing the count columns of all rows (rows_add = 1). */
void rtable_add_total(struct rtable *t);
/* Sets the note shown under the table. */
void rtable_note(struct rtable *t, const char *en, const char *lo);
/* Sets a text cell. */
void rtable_set_text(struct rtable *t, struct rrow *r, int col, const char *s);

/* Small-cell suppression (report_suppress.c): counts 0 < v < MIN become
 * SUP_PRIMARY ("<MIN"); then complementary non-zero cells become
 * SUP_SECONDARY ("x", at least MIN) until, over everything the output
 * shows (sums, shared totals, whole numbers), each "<MIN" cell can be
 * anything from 1 to MIN-1 and each "x" ranges over at least MIN values, as
 * an integer-programming audit (GLPK) finds.  Measures of rows with a
 * suppressed cell, or with a base below MIN, are suppressed too.  Returns
 * the number of suppressed cells. */
int rtable_suppress(struct rtable *t, int min);
/* The same over every table of REP as one system (shared totals). */
int report_suppress(struct report *rep, int min);
/* The smallest and largest values hidden cell (R, C) of table TI of TABS
 * (N tables, audited together) can take given what is shown, into *LO and
 * *HI (+-INFINITY when unbounded); -1 with err set when the cell is not
 * hidden or the system has no solution.  For tests and diagnostics. */
int rtable_cell_range(struct rtable **tabs, int n, int ti, int r, int c, int min,
                      double *lo, double *hi);

/* The text of cell (R, C) as printed: "12", "<5", "x", "45.0", "-". */
void rtable_cell_str(const struct rtable *t, int r, int c, int min, char *buf, size_t n);

/* Writes T as CSV (header of lower-case names, then rows). */
void rtable_write_csv(const struct rtable *t, int min, struct sbuf *out);
/* Writes T as an aligned text table with a title and totals, labels in LANG. */
void rtable_write_text(const struct rtable *t, const char *lang, int min, struct sbuf *out);

/* Label of a table, column or row in LANG ("lo" picks the Lao one when set). */
const char *rtable_label(const char *en, const char *lo, const char *lang);

/* --- reports (report_*.c) --- */

/* Runs report NAME over DB with OPTS; NULL with err set (unknown name, bad
 * --where column, SQL error).  Caller frees with report_free. */
struct report *report_run_new(struct db *db, const char *name, const struct report_opts *opts);
void report_free(struct report *rep);
/* The report names, NULL-terminated. */
extern const char *const report_names[];

/* Writes REP: every table as text with the legend, or its main table as CSV. */
void report_write(const struct report *rep, const struct report_opts *opts, int csv,
                  struct sbuf *out);

/* The file name the reports screen gives table T of REP under OPTS:
 * "report_victims_by_year.csv", "report_protection_case_status_2015-2017.csv".
 * Caller frees. */
char *report_csv_name_alloc(const struct report *rep, const struct rtable *t,
                            const struct report_opts *o);
/* Writes table T of REP as CSV (as --format csv writes it) into folder DIR,
 * created when missing; the path written (caller frees), or NULL with err set. */
char *report_save_csv_alloc(const struct report *rep, const struct rtable *t,
                            const struct report_opts *o, const char *dir);

/* --- for the report modules --- */

struct report *report_alloc(const char *name);
void report_add(struct report *rep, struct rtable *t);
/* The legend line of OPTS (filters, period, suppression) in both languages. */
void report_legend(struct report *rep, const struct report_opts *opts);

/* Appends to SQL the conditions of OPTS for main table TABLE (alias-free)
 * starting with " AND ", binding parameters from *NPARAM+1 on into VALS
 * (borrowed strings).  DATE_EXPR is the expression whose year --from/--to
 * narrow (NULL: none).  Checks --where columns; -1 with err set. */
int report_filter_sql(struct db *db, const char *table, const struct report_opts *opts,
                      const char *date_expr, struct sbuf *sql, const char **vals, int *nparam);
/* A merge of the victims with their assistance: the victims of O
 * (REPORT_VICTIM_COND, COND e.g. " AND x IS NOT NULL" and O's filters,
 * DATE_EXPR as for report_filter_sql) as "SELECT uuid, CASE_COLS FROM cases
 * ... ORDER BY uuid" (index cases_victims), their assistance as "SELECT
 * case_uuid, ASSIST_COLS FROM case_assistance ORDER BY case_uuid" (index
 * case_assistance_case; or ASSIST_TABLE by case_uuid; ASSIST_COLS NULL: no
 * assistance, the victims alone), merged: ON_CASE(ARG, CS) once per victim, then
 * ON_ROW(ARG, CS, AS) for each of its assistance rows.  PRE (NPRE values)
 * are bound first, as ?1.. */
struct report_merge {
    const char *date_expr, *cond, *case_cols, *assist_cols;
    const char *assist_table;   /* NULL: case_assistance; or case_help */
    const char **pre;
    int npre;
    void (*on_case)(void *arg, struct db_stmt *cs);
    void (*on_row)(void *arg, struct db_stmt *cs, struct db_stmt *as);
};
/* Runs merge M in two halves of the uuids at once, the first on DB with
 * state ARGS[0], the second in a thread of its own with its own read-only
 * connection and state ARGS[1] (or after the first, on DB, when no thread
 * or connection can be had); the caller adds ARGS[1]'s counts to ARGS[0]'s.
 * Two sequential reads per half, no lookup per victim; 0, or -1 with err set. */
int report_victims_merge(struct db *db, const struct report_opts *o, const struct report_merge *m,
                         void *args[2]);
/* Adds the counts of every row of SRC (not the total) to the row of DST
 * with the same key, appended when missing; the columns are the same. */
void rtable_add_counts(struct rtable *dst, const struct rtable *src);
/* "cases WHERE <the victims>" for O, to be followed by " AND ..." terms:
 * read from index cases_victims (in uuid order) unless O asks for drafts
 * or the database predates the index. */
const char *report_victims_from(struct db *db, const struct report_opts *o);
/* SQLite's length() of text S: its characters. */
size_t report_text_len(const char *s);
/* REPORT_AGE_GROUP_EXPR worked out in C ('c', 'a' or 'u') from the
 * registration date REG, the birth date BIRTH (NULL: none), the age AGE when
 * HAS_AGE, and the clerk's age group GROUP: a victim's age group costs no
 * SQL expression per row. */
char report_age_group(const char *reg, const char *birth, int has_age, double age, const char *group);
/* 1 when the first four characters of S (a date or year) fall in the years
 * of O, compared as text the way report_filter_sql compares them. */
int report_year_ok(const char *s, const struct report_opts *o);
/* Binds VALS[0..N-1] as text parameters 1..N. */
void report_bind(struct db_stmt *st, const char **vals, int n);
/* The SQL expression of dimension BY over TABLE's columns (year from DATE_EXPR),
 * or NULL when the report has no such breakdown. */
const char *report_dim_expr(const char *table, enum report_by by, const char *date_expr);
/* Labels row R of a table keyed by dimension BY (reference names, code labels). */
void report_label_row(struct db *db, enum report_by by, struct rrow *r);
/* Adds a zero row for every year of the period (when --from/--to are set) and
 * sorts the rows by key, the not-recorded row ("") last. */
void report_fill_years(struct rtable *t, const struct report_opts *opts);
void report_sort_rows(struct rtable *t);
/* The name of BY for legends and CSV headers ("year", "province"...). */
const char *report_by_name(enum report_by by);
/* English/Lao label of a code of the fixed lists (exploitation, agency,
 * pillar...); NULL when unknown. */
const char *report_code_label(const char *code, const char *lang);

/* The builders, one per report. */
struct report *report_victims_new(struct db *db, const struct report_opts *o);
struct report *report_protection_new(struct db *db, const struct report_opts *o);
struct report *report_prosecutions_new(struct db *db, const struct report_opts *o);
struct report *report_prevention_new(struct db *db, const struct report_opts *o);
struct report *report_npa_new(struct db *db, const struct report_opts *o);
struct report *report_quality_new(struct db *db, const struct report_opts *o);

/* Median of N values (reorders V in place; linear time on average); 0 when
 * N is 0. */
double report_median(double *v, int n);

#endif
