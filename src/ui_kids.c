/* Child rows of a form (journey, assistance, suspects, victim links): a
 * sub-list with add, edit and delete, each row entered with the form screen
 * over the child form.  Also the link picker that finds another record by
 * reference or name, and the labels of links. */
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db_rec.h"
#include "edit.h"
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
    "kids", KC_GLOBAL | KC_KIDS | KC_MOVE | KC_OPEN, NULL, kids_draw, kids_key, free, NULL
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

/* The link picker: records found by reference or name as the clerk types. */
#define LINK_ROWS 64

struct linkpick {
    const char *table;
    struct edit search;
    struct db_row rows[LINK_ROWS];
    int n, sel, chosen;
};

static void link_fetch(struct ui *ui, struct linkpick *p)
{
    struct db_filter f;
    const char *s = edit_text(&p->search);

    memset(&f, 0, sizeof(f));
    f.search = *s ? s : NULL;
    f.descending = 1;
    p->n = db_list_page(ui->db, p->table, &f, NULL, 1, p->rows, LINK_ROWS);
    if (p->n < 0) {
        ui_msg(ui, R_ERROR, "%s", err_msg());
        p->n = 0;
    }
    p->sel = 0;
}

static void link_draw(struct ui *ui, void *st)
{
    struct linkpick *p = st;
    const char *q = ui_tr(ui, "link.search", "Find by reference or name:");
    int y = ui->work_y, qw = text_width(q) + 1, i, fw = ui->cols - qw - 1;

    ui_put(ui, y, 0, ui->cols, R_NORMAL, "");
    ui_put(ui, y, 0, qw, R_LABEL, q);
    ui_put(ui, y, qw, fw, R_CURFIELD, edit_text(&p->search) + edit_scroll(&p->search, fw));
    ui->cur_y = y;
    ui->cur_x = qw + edit_cursor_col(&p->search);
    for (y++, i = 0; i < p->n && y < ui->work_y + ui->work_h; i++, y++) {
        enum ui_role role = i == p->sel ? R_SELECT : R_NORMAL;
        char date[11];

        ui_date(ui, p->rows[i].date, date);
        ui_put(ui, y, 0, ui->cols, role, "");
        ui_put(ui, y, 1, 17, role, p->rows[i].ref);
        ui_put(ui, y, 18, 11, role, date);
        ui_put(ui, y, 29, 30, role, p->rows[i].title);
        ui_put(ui, y, 60, ui->cols - 60, role, strcmp(ui->lang, "lo") == 0
               ? p->rows[i].place_lo : p->rows[i].place_en);
    }
    for (; y < ui->work_y + ui->work_h; y++)
        ui_put(ui, y, 0, ui->cols, R_NORMAL, "");
}

static int link_key(struct ui *ui, void *st, const struct ui_event *ev)
{
    struct linkpick *p = st;
    struct edit *e = &p->search;
    char b[5] = {0};

    switch (ev->act) {
    case ACT_UP: if (p->sel > 0) p->sel--; return 1;
    case ACT_DOWN: if (p->sel + 1 < p->n) p->sel++; return 1;
    case ACT_OPEN:
        if (p->n) {
            p->chosen = 1;
            ui_pop(ui);
        }
        return 1;
    case ACT_BACK: ui_pop(ui); return 1;
    case ACT_LEFT: edit_left(e); return 1;
    case ACT_RIGHT: edit_right(e); return 1;
    case ACT_BKSP: edit_backspace(e); link_fetch(ui, p); return 1;
    case ACT_CLEAR: edit_clear(e); link_fetch(ui, p); return 1;
    default: break;
    }
    if (ev->ch && text_encode((uint32_t)ev->ch, b) > 0) {
        if (edit_insert(e, b) == 0)
            link_fetch(ui, p);
        return 1;
    }
    return 0;
}

static const struct ui_screen link_screen = {
    "link", KC_GLOBAL | KC_EDIT | KC_MOVE | KC_OPEN, NULL, link_draw, link_key, NULL, NULL
};

int ui_link_pick(struct ui *ui, const char *table, const char *init, char out[37])
{
    struct linkpick *p = xcalloc(1, sizeof(*p));
    int d, chosen;

    p->table = table;
    edit_init(&p->search, init, 60);
    link_fetch(ui, p);
    ui_push_overlay(ui, &link_screen, p);
    d = ui->depth;
    ui_loop(ui, d);
    ui_pop_to(ui, d);
    chosen = p->chosen;
    if (chosen)
        snprintf(out, 37, "%s", p->rows[p->sel].uuid);
    edit_free(&p->search);
    free(p);
    return chosen;
}

const char *ui_link_label(struct ui *ui, const char *table, const char *uuid)
{
    static char cache_uuid[8][37], cache_label[8][200];
    static int next;
    struct rec *r;
    int i;

    for (i = 0; i < 8; i++)
        if (strcmp(cache_uuid[i], uuid) == 0)
            return cache_label[i];
    i = next;
    next = (next + 1) % 8;
    snprintf(cache_uuid[i], sizeof(cache_uuid[i]), "%s", uuid);
    r = db_rec_get(ui->db, table, uuid);
    if (!r) {
        snprintf(cache_label[i], sizeof(cache_label[i]), "%s (%s)", uuid,
                 ui_tr(ui, "link.missing", "not in this database"));
        return cache_label[i];
    }
    snprintf(cache_label[i], sizeof(cache_label[i]), "%s %s %s", rec_get(r, "ref"),
             rec_get(r, "first_name") ? rec_get(r, "first_name")
             : rec_get(r, "title") ? rec_get(r, "title") : "",
             rec_get(r, "last_name") ? rec_get(r, "last_name") : "");
    rec_free(r);
    return cache_label[i];
}
