/* Shared by csvio.c and csvio_import.c: the CSV tables and where their
 * columns live in the forms. */
#ifndef TIPDESK_CSVIO_PRIV_H
#define TIPDESK_CSVIO_PRIV_H

struct formset;
struct form;
struct field;

struct csv_table {
    const char *name;
    const char *parent;     /* main table of a child table, else NULL */
    const char *fk;         /* the child's column naming its parent's uuid */
    const char *ref_col;    /* the CSV column with the parent's ref */
    int importable;
};

/* The CSV table NAME, or NULL. */
const struct csv_table *csv_table_find(const char *name);
/* The form field storing TABLE.COL (main or child form), and its form in
 * *OWNER; NULL when the forms have none (or FS is NULL). */
const struct field *csv_field_of(const struct formset *fs, const char *table, const char *col,
                                 const struct form **owner);

#endif
