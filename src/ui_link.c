/* The link picker: finds another record by reference or name for a link
 * field (a victim's case, say), and the labels links are shown with. */
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db_rec.h"
#include "edit.h"
#include "record.h"
#include "text.h"
#include "ui.h"
#include "ui_form.h"
#include "util.h"

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
    int y = ui->work_y, qw = text_width(q) + 1, i, fw = ui->cols - qw - 1, wref = 17, x;

    ui_put(ui, y, 0, ui->cols, R_NORMAL, "");
    ui_put(ui, y, 0, qw, R_LABEL, q);
    ui_put(ui, y, qw, fw, R_CURFIELD, edit_text(&p->search) + edit_scroll(&p->search, fw));
    ui->cur_y = y;
    ui->cur_x = qw + edit_cursor_col(&p->search);
    /* References whole, however long (as in the lists); the name gives way. */
    for (i = 0; i < p->n; i++)
        if (text_width(p->rows[i].ref) + 1 > wref && text_width(p->rows[i].ref) + 1 <= 24)
            wref = text_width(p->rows[i].ref) + 1;
    x = 1 + wref + 11;
    for (y++, i = 0; i < p->n && y < ui->work_y + ui->work_h; i++, y++) {
        enum ui_role role = i == p->sel ? R_SELECT : R_NORMAL;
        char date[11];

        ui_date(ui, p->rows[i].date, date);
        ui_put(ui, y, 0, ui->cols, role, "");
        ui_put(ui, y, 1, wref - 1, role, p->rows[i].ref);
        ui_put(ui, y, 1 + wref, 11, role, date);
        ui_put(ui, y, x, 60 - x, role, p->rows[i].title);
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
    .name = "link",
    .keys = KC_GLOBAL | KC_EDIT | KC_MOVE | KC_OPEN,
    .draw = link_draw,
    .key = link_key,
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
