/* formdef_priv — the loaded formset as formdef.c builds it, shared with the
 * rules (formdef_rules.c) and input parsing (formdef_input.c) only, and the
 * line scanner (formdef_scan.c) the loader reads every file through. */
#ifndef TIPDESK_FORMDEF_PRIV_H
#define TIPDESK_FORMDEF_PRIV_H

#include "formdef.h"

struct ui_text {
    char *key, *en, *lo;
};

struct formset {
    char *dir;
    char *files[5];             /* paths for messages; fields point into them */
    struct form *forms[3];      /* cases, prosecutions, events */
    size_t nlists;
    struct code_list *lists;
    size_t ntexts;
    struct ui_text *texts;      /* sorted by key */
};

/* One forms file as the scanner read it (formdef_scan.c). */
struct scan_key {
    char *key;                  /* as written (list codes keep their case) */
    int line;
};
struct scan_sec {
    char *name;
    int line;
    size_t nkeys;
    struct scan_key *keys;
};
struct scan {
    const char *file;
    size_t nsec;
    struct scan_sec *secs;
    struct _dictionary_ *d;     /* iniparser's dictionary of the values */
};

/* Reads FILE into SC: every section and key with its line, then the values.
 * 0, or -1 with "FILE:LINE: ..." in err_msg() and SC empty. */
int scan_file(struct scan *sc, const char *file);
/* Frees what scan_file read; SC may be empty. */
void scan_free(struct scan *sc);
/* The value of KEY in SEC, or NULL; borrowed until scan_free. */
const char *scan_val(const struct scan *sc, const struct scan_sec *sec, const char *key);
/* The line of KEY in SEC, or the section's own line when KEY is absent. */
int scan_key_line(const struct scan_sec *sec, const char *key);
/* Splits "English | Lao | extra" V into N new trimmed strings (missing: ""). */
void scan_split_bar(const char *v, char **out, size_t n);

/* Frees a form and its child forms (not the formset). */
void form_free(struct form *fm);

struct rec;
/* Checks the stored value V of F (type, range, length, pattern, list codes
 * and filter against R's values): 0, or -1 with new messages in *EN, *LO. */
int field_check_value(const struct form *fm, const struct field *f, const char *v,
                      const struct rec *r, char **en, char **lo);

#endif
