/* formdef — the forms folder: case.ini, prosecution.ini and
 * event.ini (fields, pages, child lists, cross-field checks), lists.ini (code
 * lists with English and Lao labels) and ui.ini (every text of the screens in
 * English and Lao).  It owns the loaded formset and everything in it, and
 * does what forms decide about a record: relevance, computed fields,
 * validation, and turning typed input into stored values.  Only this module
 * and config read ini files. */
#ifndef TIPDESK_FORMDEF_H
#define TIPDESK_FORMDEF_H

#include <stddef.h>

struct cond;
struct db;
struct rec;
struct formset;

enum field_type {
    FT_TEXT, FT_LONGTEXT, FT_INT, FT_DECIMAL, FT_DATE, FT_YESNO,
    FT_CHOICE, FT_MULTI, FT_LINK, FT_CHILD, FT_COMPUTED
};
enum field_need { NEED_OPTIONAL, NEED_RECOMMENDED, NEED_REQUIRED };
enum issue_level { ISSUE_WARNING, ISSUE_ERROR };
/* Named computations (compute = NAME); FC_EXPR is a cond expression. */
enum field_calc {
    FC_NONE, FC_EXPR, FC_AGE_GROUP, FC_PARTICIPANTS_TOTAL, FC_SCORE_GAIN,
    FC_SCREENING_RESULT
};

struct list_item {
    char *code;             /* stored value, e.g. "ForcedLabour", "LA0101" */
    char *label_en;
    char *label_lo;         /* "" when the list gives none: show label_en */
    char *filter;           /* e.g. the province of a district; "" for none */
};

struct code_list {
    char *name;
    size_t n;
    struct list_item *items;    /* in file order */
};

struct form;

struct field {
    char *id;               /* the section name: lower-case ASCII */
    char *column;           /* table column; FT_CHILD: the child table;
                               screening items "case_screening:act_recruited" */
    char *label, *label_lo, *help, *help_lo;
    enum field_type type;
    const struct code_list *list;   /* choice/multi; NULL otherwise */
    char *filter;           /* id of the field whose value filters the list */
    char *target;           /* FT_LINK: the main table linked to ("cases") */
    enum field_need need;
    int has_min, has_max;
    double min, max;
    int maxlen;             /* in code points; 0 = no limit */
    char *pattern;          /* "digits", "phone" or a POSIX extended regex */
    int pii, partial_date, readonly;
    struct cond *relevant;  /* NULL: always relevant */
    char *relevant_src;     /* its text as the form gives it, for messages */
    enum field_calc calc;
    struct cond *compute;   /* FC_EXPR only */
    struct form *child;     /* FT_CHILD: the form of one child row */
    size_t section;         /* index into the form's sections */
    const char *file;       /* for messages */
    int line;
    void *priv;             /* compiled pattern */
};

/* A page of a form.  Every field of every form (child forms too) lies in
 * exactly one section: fields before the first [section.X] get one titled
 * as the form. */
struct form_section {
    char *id, *title, *title_lo;
    size_t first, count;    /* its fields: fields[first .. first+count-1] */
};

struct form_check {
    char *id;
    struct cond *cond;      /* what must hold */
    char *message, *message_lo;
    enum issue_level level;
    int field;              /* field the check points at (first named), -1 none */
    int line;
};

struct form {
    char *name;             /* "cases", "prosecutions", "events", or a child
                               form's field id ("journey") */
    char *table;            /* table its records are stored in */
    char *title, *title_lo;    /* child forms: the child field's label */
    const char *file;
    size_t nfields;
    struct field *fields;   /* in file order */
    size_t nsections;
    struct form_section *sections;
    size_t nchecks;
    struct form_check *checks;
    const struct form *parent;      /* child forms: the main form */
    const struct formset *fs;
};

/* One problem found by form_validate. */
struct form_issue {
    enum issue_level level;
    int field;              /* index in the form's fields; -1: the record */
    int kid;                /* child row number (0-based) when the problem is
                               in a child row of fields[field], else -1 */
    int kid_field;          /* index in the child form's fields, else -1 */
    char *msg_en, *msg_lo;  /* whole sentences naming the field */
};
struct form_issues {
    size_t n, cap;
    struct form_issue *v;
    int errors, warnings;
};
/* Frees the issues' messages and array; OUT may be reused after. */
void form_issues_free(struct form_issues *out);

/* Loads every form, list and text in DIR.  NULL with err_msg() one line
 * "DIR/case.ini:37: field 'xyz': what is wrong; what to do" on any problem:
 * bad line, unknown attribute or type, unknown list or field, a condition
 * that does not parse ("relevant: at 5: expected ..."). */
struct formset *formset_load(const char *dir);
void formset_free(struct formset *fs);
/* Checks the forms against the schema of DB: every field's column exists in
 * its table ("...: field 'xyz': no such column cases.xyz").  0 or -1. */
int formset_check_db(const struct formset *fs, struct db *db);

/* Replaces the rows of DB's table code_label with every code of every list
 * and its English and Lao labels (Lao falls back to English).  0 or -1. */
int formset_save_labels(const struct formset *fs, struct db *db);

/* The form of main table "cases", "prosecutions" or "events"; NULL if none. */
const struct form *formset_form(const struct formset *fs, const char *table);
/* The text KEY ("home.title") of ui.ini in LANG ("en"/"lo"): falls back to
 * English, then to KEY itself.  Borrowed while FS lives. */
const char *formset_text(const struct formset *fs, const char *key, const char *lang);
/* The code list NAME, or NULL. */
const struct code_list *formset_list(const struct formset *fs, const char *name);

/* The item of L with CODE (exact), or NULL. */
const struct list_item *list_find(const struct code_list *l, const char *code);
/* The item whose code or English label (ASCII case ignored) or Lao label
 * equals S, or NULL.  For CSV import and typed codes. */
const struct list_item *list_match(const struct code_list *l, const char *s);
/* The label of item IT in LANG (Lao falls back to English). */
const char *list_item_label(const struct list_item *it, const char *lang);
/* The label of CODE in LANG, or CODE itself when not in L. */
const char *list_label(const struct code_list *l, const char *code, const char *lang);

/* Field labels and help in LANG (Lao falls back to English); borrowed. */
const char *field_label(const struct field *f, const char *lang);
const char *field_help(const struct field *f, const char *lang);
/* Index of field ID in FM, or -1. */
int form_field_index(const struct form *fm, const char *id);

/* The stored value of F in R (screening items read their child row); NULL
 * when empty.  Borrowed until R changes. */
const char *form_value(const struct form *fm, const struct field *f, const struct rec *r);
/* Sets the stored value of F in R (NULL/"" empties it). */
void form_set_value(const struct form *fm, const struct field *f, struct rec *r, const char *v);

/* 1 when F should be shown and entered for R (its `relevant` holds). */
int form_relevant(const struct form *fm, const struct field *f, const struct rec *r);
/* Recomputes every computed field of R (age group, participant total, score
 * gain, screening result, expressions). */
void form_compute(const struct form *fm, struct rec *r);
/* A value a record holds in a field its form does not ask for that record
 * (the field's `relevant` does not hold), as form_hidden_clear found it. */
struct form_hidden {
    const struct form *fm;      /* the field's form: R's, or a child list's */
    const struct field *f;
    int kid;                    /* index in R->kids of the child row holding
                                   it; -1: R itself (screening items too) */
    char *value;                /* the value it held, a long text cut to 40
                                   columns ("…") for messages */
    char *why;                  /* "the form asks Returned from country only
                                   when identified_by = '...' (here
                                   identified_by is 'Police')"; values of
                                   personal and free-text fields not quoted */
};
struct form_hiddens {
    size_t n, cap;
    struct form_hidden *v;
};
/* Frees the values and the array; OUT may be reused after. */
void form_hiddens_free(struct form_hiddens *out);
/* The one rule of values in fields a form does not ask: empties every field
 * of R (and of its child rows) that holds a value while its `relevant`
 * does not hold, field by field in form order, again until nothing changes
 * (a value emptied may hide another).  Computed fields are left to
 * form_compute.  Appends each value emptied to OUT unless OUT is NULL
 * (callers that must not lose data empty a copy and refuse).  Returns the
 * number emptied. */
size_t form_hidden_clear(const struct form *fm, struct rec *r, struct form_hiddens *out);
/* Where form_hidden_clear can empty anything in FM's records: KIDS (room
 * for N) gets the child tables whose rows may lose a value, NULL-terminated;
 * returns 0 when nothing of a record, child rows included, ever can. */
int form_hidden_where(const struct form *fm, const char **kids, size_t n);
/* The screens' save: form_compute, form_hidden_clear, form_compute again, so
 * that a record keeps no answer to a question it was not asked. */
void form_clear_hidden(const struct form *fm, struct rec *r);
/* Appends to OUT every problem of R (and its child rows): required fields
 * (errors, unless R's status is "draft"), recommended fields (warnings),
 * types, min/max, length, pattern, dates, list codes and filters, and the
 * form's checks.  Fields that are not relevant are not checked.  Returns
 * the number of errors added. */
int form_validate(const struct form *fm, const struct rec *r, struct form_issues *out);

/* Turns what a clerk typed (or a CSV cell) into the stored value of F:
 * trims spaces, Lao digits to ASCII, dates dd/mm/yyyy or ISO (YYYY or
 * mm/yyyy and YYYY-MM too where partial_date), yes/no in English or Lao or
 * 1/0, codes or labels of the list (multi: parts joined by ';' or ',').
 * *STORED gets a new string (NULL for empty input).  0, or -1 with err set
 * to an English message naming the field; MSG_LO (may be NULL) then gets the
 * Lao message (caller frees). */
int field_parse_input(const struct form *fm, const struct field *f, const char *typed,
                      char **stored, char **msg_lo);
/* The stored value V of F shown to the clerk: labels of codes in LANG,
 * dates as dd/mm/yyyy when DMY.  Caller frees. */
char *field_format_alloc(const struct field *f, const char *v, const char *lang, int dmy);

/* Live screening state for the case form: each 1 (some item Yes), 0 (all
 * items of that element answered No) or -1 (not yet known). */
struct screening {
    int act, means, purpose;
    int child;              /* 1 under 18, 0 adult, -1 unknown */
    const char *result;     /* "PossibleVictim", "NotIndicated", "Inconclusive" */
};
void form_screening(const struct form *fm, const struct rec *r, struct screening *out);

#endif
