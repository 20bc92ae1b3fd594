/* canon — the canonical rules every stored value obeys whatever the forms say
 * (docs/ARCHITECTURE.md, "One owner for each concept"): uuids, ISO dates and
 * timestamps, P-codes, and the fixed code sets of the schema.  Bundles and
 * CSV import check rows with it before anything is written. */
#ifndef TIPDESK_CANON_H
#define TIPDESK_CANON_H

/* The largest revision and sequence number accepted anywhere: at one save
 * a second a record reaches it in 31 years, and far below it no sum or +1
 * can overflow. */
#define CANON_REV_MAX 1000000000

/* NULL when VAL (non-empty) is a valid value of TABLE.COL, else a short
 * English message ("not a date (YYYY-MM-DD)"); static storage. */
const char *canon_check(const char *table, const char *col, const char *val);

/* The rule of TABLE.COL, looked up once for checking many rows; NULL when
 * the column has none.  Static storage. */
struct canon_rule;
const struct canon_rule *canon_rule_of(const char *table, const char *col);
/* canon_check with the rule of canon_rule_of (NULL: every value is fine). */
const char *canon_check_rule(const struct canon_rule *r, const char *val);

/* The fixed code set of TABLE.COL as "|A|B|C|" (one code or several joined
 * by ';' in the column), or NULL when the column has none.  Static storage. */
const char *canon_codes(const char *table, const char *col);
/* 1 when CODE is one code of the code set of TABLE.COL. */
int canon_is_code(const char *table, const char *col, const char *code);
/* The codes of TABLE.COL in canon's order into CODES (room for MAX, each
 * shorter than CANON_CODE_MAX bytes): their number, 0 when COL has no code
 * set.  For lists that show or count every code (a filter's choices, a
 * report's columns). */
#define CANON_CODE_MAX 48
int canon_code_list(const char *table, const char *col, char (*codes)[CANON_CODE_MAX], int max);

/* The years a stored date may have. */
#define CANON_YEAR_MIN 1900
#define CANON_YEAR_MAX 2100

/* 1 when S is a well-formed UUID (8-4-4-4-12 hex digits). */
int canon_uuid(const char *s);
/* The year S names: four digits from CANON_YEAR_MIN to CANON_YEAR_MAX (the
 * years a date may have, so also the years a report or export may ask
 * for); 0 when S is not one. */
int canon_year(const char *s);
/* 1 when S is YYYY, YYYY-MM or YYYY-MM-DD of a real day (partial dates:
 * PARTIAL set), 0 otherwise. */
int canon_date(const char *s, int partial);

/* 1 when COL holds a date (birth_date and every *_on column). */
int canon_is_date_col(const char *col);

/* 1 when COL of TABLE holds personal data dropped by --deidentify when the
 * forms cannot say (fixed list). */
int canon_is_pii(const char *table, const char *col);

#endif
