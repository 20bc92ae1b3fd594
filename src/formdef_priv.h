/* formdef_priv — the loaded formset as formdef.c builds it, shared with the
 * rules (formdef_rules.c) and input parsing (formdef_input.c) only. */
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

/* Frees a form and its child forms (not the formset). */
void form_free(struct form *fm);

struct rec;
/* Checks the stored value V of F (type, range, length, pattern, list codes
 * and filter against R's values): 0, or -1 with new messages in *EN, *LO. */
int field_check_value(const struct form *fm, const struct field *f, const char *v,
                      const struct rec *r, char **en, char **lo);

#endif
