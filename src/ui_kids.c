/* Child rows of a form (journey, assistance, suspects, victim links): a
 * sub-list with add, edit and delete, each row entered with the form screen
 * over the child form. */
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "formdef.h"
#include "record.h"
#include "text.h"
#include "ui.h"
#include "ui_form.h"
#include "util.h"

#define KID_COLS 4

struct kids {
    struct form_view *root;
    struct rec *parent;
    const struct field *f;
    int sel;
};

/* The I-th row of the child table (index into parent->kids), or -1. */
static int kid_at(const struct kids *k, int i)
{
    size_t j;

    for (j = 0; j < k->parent->nkids; j++)
        if (strcmp(k->parent->kids[j]->table, k->f->column) == 0 && i-- == 0)
            return (int)j;
    return -1;
}

static void kid_remove(struct rec *parent, int j)
{
    rec_free(parent->kids[j]);
    memmove(parent->kids + j, parent->kids + j + 1,
            (parent->nkids - (size_t)j - 1) * sizeof(*parent->kids));
    parent->nkids--;
}

static int kid_empty(const struct rec *r)
{
    size_t i;

    for (i = 0; i < r->n; i++)
        if (r->val[i])
            return 0;
    return 1;
}

/* The columns shown: the child form's first enterable fields. */
static int kid_columns(const struct form *fm, int *cols)
{
    size_t i;
    int n = 0;

    for (i = 0; i < fm->nfields && n < KID_COLS; i++)
        if (ui_field_enterable(&fm->fields[i]) && fm->fields[i].type != FT_CHILD)
            cols[n++] = (int)i;
    return n;
}

static void kids_draw(struct ui *ui, void *st)
{
    struct kids *k = st;
    const struct form *fm = k->f->child;
    struct form_view tmp;
    int cols[KID_COLS], nc = kid_columns(fm, cols), w, i, j, y = ui->work_y;
    size_t n = rec_kids_count(k->parent, k->f->column);

    memset(&tmp, 0, sizeof(tmp));
    tmp.ui = ui;
    tmp.fm = fm;
    tmp.root = k->root;
    ui_putf(ui, y++, 0, ui->cols, R_HEADER, "%s › %s: %zu %s",
            strcmp(ui->lang, "lo") == 0 && *k->root->fm->title_lo ? k->root->fm->title_lo
            : k->root->fm->title, field_label(k->f, ui->lang), n, ui_tr(ui, "form.rows", "rows"));
    w = nc ? (ui->cols - 5) / nc : ui->cols;
    ui_put(ui, y, 0, ui->cols, R_HEADER, "");
    for (j = 0; j < nc; j++)
        ui_put(ui, y, 4 + j * w, w - 1, R_HEADER, field_label(&fm->fields[cols[j]], ui->lang));
    y++;
    if (k->sel >= (int)n)
        k->sel = n ? (int)n - 1 : 0;
    for (i = 0; i < (int)n && y < ui->work_y + ui->work_h; i++, y++) {
        const struct rec *r = k->parent->kids[kid_at(k, i)];
        enum ui_role role = i == k->sel ? R_SELECT : R_NORMAL;

        ui_putf(ui, y, 0, ui->cols, role, "%3d", i + 1);
        for (j = 0; j < nc; j++) {
            char *s = ui_field_show_alloc(&tmp, &fm->fields[cols[j]], r);

            ui_put(ui, y, 4 + j * w, w - 1, role, s);
            free(s);
        }
    }
    if (!n)
        ui_put(ui, y, 4, ui->cols - 5, R_DIM, ui_tr(ui, "kids.empty", "No rows yet: n adds one."));
}

/* Enters row J with the child form; a new row left empty is dropped. */
static void kid_edit(struct ui *ui, struct kids *k, int j, int is_new)
{
    struct rec *kid = k->parent->kids[j];
    int d;

    ui_form_open_child(k->root, k->f, kid, is_new);
    d = ui->depth;
    ui_loop(ui, d);
    ui_pop_to(ui, d);
    if (is_new && kid_empty(kid)) {
        kid_remove(k->parent, j);
        ui_form_touch(k->root);
    }
}

static int kids_key(struct ui *ui, void *st, const struct ui_event *ev)
{
    struct kids *k = st;
    int n = (int)rec_kids_count(k->parent, k->f->column), j;

    switch (ev->act) {
    case ACT_UP: if (k->sel > 0) k->sel--; return 1;
    case ACT_DOWN: if (k->sel + 1 < n) k->sel++; return 1;
    case ACT_FIRST: case ACT_PGUP: k->sel = 0; return 1;
    case ACT_LAST: case ACT_PGDN: k->sel = n ? n - 1 : 0; return 1;
    case ACT_NEW:
        rec_kid_add(k->parent, k->f->column);
        k->sel = n;
        kid_edit(ui, k, (int)k->parent->nkids - 1, 1);
        return 1;
    case ACT_OPEN:
        if ((j = kid_at(k, k->sel)) >= 0)
            kid_edit(ui, k, j, 0);
        return 1;
    case ACT_DELETE:
        if ((j = kid_at(k, k->sel)) >= 0) {
            char q[256];

            snprintf(q, sizeof(q), "%s %d?", ui_tr(ui, "kids.ask_delete", "Delete row"), k->sel + 1);
            if (ui_confirm(ui, q)) {
                kid_remove(k->parent, j);
                ui_form_touch(k->root);
            }
        }
        return 1;
    default:
        return 0;
    }
}

static const struct ui_screen kids_screen = {
    .name = "kids",
    .keys = KC_GLOBAL | KC_KIDS | KC_MOVE | KC_OPEN,
    .draw = kids_draw,
    .key = kids_key,
    .free = free,
};

void ui_kids_open(struct form_view *root, struct rec *parent, const struct field *f)
{
    struct kids *k;

    if (!f->child)
        return;
    k = xcalloc(1, sizeof(*k));
    k->root = root;
    k->parent = parent;
    k->f = f;
    ui_push(root->ui, &kids_screen, k);
}
