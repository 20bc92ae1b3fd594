/* ui_form — the form screen's state, shared by its files: ui_form.c
 * (drawing, moving between fields, saving, drafts, opening child rows),
 * ui_field.c (entering one field: typed text, codes, pickers), ui_kids.c
 * (the list of child rows) and ui_link.c (picking a linked record).  A
 * child row is entered with the same screen over the child form; its
 * record belongs to the main form's record. */
#ifndef TIPDESK_UI_FORM_H
#define TIPDESK_UI_FORM_H

#include <stdint.h>

#include "edit.h"

struct ui;
struct form;
struct field;
struct rec;

struct form_view {
    struct ui *ui;
    const struct form *fm;
    struct rec *r;              /* the main record, or a child row (owned by root->r) */
    struct form_view *root;     /* the main form's view (itself for the main form) */
    const char *table;          /* the main table */
    int cur;                    /* index of the current field; -1: none can be entered */
    struct edit ed;             /* the text of the current field as typed */
    int top;                    /* first screen line drawn */
    /* the main form only: */
    int dirty;                  /* changed since opened or saved */
    int64_t draft_id;           /* its row in drafts; 0: none yet */
    int pending;                /* typed text not yet in the draft */
    int is_new;                 /* a new kid row: dropped on Esc when empty */
    const struct field *kid;    /* child rows: the main form's field they belong to */
};

/* 1 when the clerk can enter F (not computed, not read only). */
int ui_field_enterable(const struct field *f);
/* Loads the current field's value into the editor (as the clerk types it). */
void ui_field_load(struct form_view *v);
/* Stores the editor's text as the current field's value: parses it and,
 * when PICK, opens the picker for text that names no item of the list.
 * 1 when the value changed, 0 when unchanged, -1 with the message shown.
 * The field editor only sets values: the form marks the record changed
 * and writes its draft. */
int ui_field_commit(struct form_view *v, int pick);
/* Typing S on a field entered by picker (multi-choice, link) opens the
 * picker with S as its filter; 1 when the value changed. */
int ui_field_typed_pick(struct form_view *v, const char *s);
/* F4 on the current field: the picker of a list, yes/no or link; 1 when
 * the value changed. */
int ui_field_pick(struct form_view *v);
/* The value of F in R as shown on the form (labels in the current language,
 * dates as configured, child row counts, linked records).  Caller frees. */
char *ui_field_show_alloc(struct form_view *v, const struct field *f, const struct rec *r);

/* Marks the main record changed and writes its draft now. */
void ui_form_touch(struct form_view *v);
/* Opens the child form of field F over KID (a row of the main record). */
void ui_form_open_child(struct form_view *root, const struct field *f, struct rec *kid, int is_new);

/* The rows of child field F of PARENT: add, edit, delete. */
void ui_kids_open(struct form_view *root, struct rec *parent, const struct field *f);
/* Picks a record of TABLE by ref or name (search starts with INIT); its
 * uuid into OUT.  1 when chosen, 0 on Esc. */
int ui_link_pick(struct ui *ui, const char *table, const char *init, char out[37]);
/* "REF name" of the record UUID of TABLE, for showing a link; borrowed
 * until the next call. */
const char *ui_link_label(struct ui *ui, const char *table, const char *uuid);

#endif
