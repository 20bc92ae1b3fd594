/* Pickers: a box over the screen listing the items of a code list, narrowed
 * as the clerk types (code, English or Lao label); one choice, or several
 * marked with Space.  Also a one-line text question (ui_ask_text). */
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "edit.h"
#include "formdef.h"
#include "text.h"
#include "ui.h"
#include "util.h"

struct pick_st {
    struct ui_pick *p;
    struct edit filter;
    size_t *shown;          /* indexes of the items matching the filter */
    size_t nshown;
    int sel, top;
    int result;
};

static int matches(const struct list_item *it, const char *f)
{
    return !*f || text_contains(it->code, f) || text_contains(it->label_en, f)
           || (it->label_lo && text_contains(it->label_lo, f));
}

static void refilter(struct pick_st *s)
{
    const char *f = edit_text(&s->filter);
    size_t i, keep = s->nshown && s->sel >= 0 && (size_t)s->sel < s->nshown
                     ? s->shown[s->sel] : (size_t)-1;

    s->nshown = 0;
    s->sel = 0;
    for (i = 0; i < s->p->n; i++) {
        if (!matches(s->p->items[i], f))
            continue;
        if (i == keep)
            s->sel = (int)s->nshown;
        s->shown[s->nshown++] = i;
    }
    s->top = 0;
}

/* The box: centred, as wide as useful, as tall as the work area allows. */
static void box_geom(const struct ui *ui, int *y, int *x, int *h, int *w)
{
    *w = ui->cols - 8 > 76 ? 76 : ui->cols - 8;
    *h = ui->work_h - 2;
    *y = ui->work_y + 1;
    *x = (ui->cols - *w) / 2;
}

static void frame(struct ui *ui, int y, int x, int h, int w)
{
    int i;

    attrset(ui_attr(ui, R_BOX));
    mvaddstr(y, x, "┌");
    mvaddstr(y + h - 1, x, "└");
    for (i = 1; i < w - 1; i++) {
        mvaddstr(y, x + i, "─");
        mvaddstr(y + h - 1, x + i, "─");
    }
    mvaddstr(y, x + w - 1, "┐");
    mvaddstr(y + h - 1, x + w - 1, "┘");
    for (i = 1; i < h - 1; i++) {
        mvaddstr(y + i, x, "│");
        ui_put(ui, y + i, x + 1, w - 2, R_NORMAL, "");
        attrset(ui_attr(ui, R_BOX));
        mvaddstr(y + i, x + w - 1, "│");
    }
    attrset(A_NORMAL);
}

static void pick_draw(struct ui *ui, void *st)
{
    struct pick_st *s = st;
    const char *other = strcmp(ui->lang, "lo") == 0 ? "en" : "lo";
    int y, x, h, w, rows, i, fx, fw, qw, tw;
    char count[64], title[256];
    const char *q;

    box_geom(ui, &y, &x, &h, &w);
    frame(ui, y, x, h, w);
    /* the title on the top border, the border's line on either side */
    snprintf(title, sizeof(title), " %s ", strcmp(ui->lang, "lo") == 0 && s->p->title_lo
             ? s->p->title_lo : s->p->title);
    tw = text_width(title);
    ui_put(ui, y, x + 2, tw < w - 4 ? tw : w - 4, R_HEADER, title);
    snprintf(count, sizeof(count), " %zu/%zu ", s->nshown, s->p->n);
    q = ui_tr(ui, "pick.filter", "Type to find:");
    qw = text_width(q) + 1;
    fw = w - 4 - qw - text_width(count);
    ui_put(ui, y + 1, x + 2, qw, R_LABEL, q);
    fx = x + 2 + qw;
    ui_put(ui, y + 1, fx, fw, R_CURFIELD, edit_text(&s->filter) + edit_scroll(&s->filter, fw));
    ui_put(ui, y + 1, x + w - 1 - text_width(count), text_width(count), R_DIM, count);
    ui->cur_y = y + 1;
    ui->cur_x = fx + edit_cursor_col(&s->filter);
    rows = h - 3;
    if (s->sel < s->top)
        s->top = s->sel;
    if (s->sel >= s->top + rows)
        s->top = s->sel - rows + 1;
    for (i = 0; i < rows && s->top + i < (int)s->nshown; i++) {
        size_t k = s->shown[s->top + i];
        const struct list_item *it = s->p->items[k];
        enum ui_role role = s->top + i == s->sel ? R_SELECT : R_NORMAL;
        const char *lab = list_item_label(it, ui->lang), *lab2 = list_item_label(it, other);
        int cx = x + 2, lw = (w - 4) * 3 / 5;

        ui_put(ui, y + 2 + i, cx, w - 4, role, "");
        if (s->p->multi) {
            ui_put(ui, y + 2 + i, cx, 4, role, s->p->marked[k] ? "[x]" : "[ ]");
            cx += 4;
            lw -= 4;
        }
        ui_put(ui, y + 2 + i, cx, lw, role, lab);
        if (strcmp(lab, lab2) != 0)
            ui_put(ui, y + 2 + i, cx + lw + 1, x + w - 2 - (cx + lw + 1),
                   role == R_SELECT ? role : R_DIM, lab2);
    }
    if (!s->nshown)
        ui_put(ui, y + 2, x + 2, w - 4, R_DIM, ui_tr(ui, "picker.none", "Nothing matches."));
    ui_msg(ui, R_MSG, "%s", s->p->multi
           ? ui_tr(ui, "pick.help_multi", "Space marks or unmarks; Enter takes the marked ones.")
           : ui_tr(ui, "pick.help", "Enter takes the highlighted one; Esc leaves it as it was."));
}

static int pick_key(struct ui *ui, void *st, const struct ui_event *ev)
{
    struct pick_st *s = st;
    int page = ui->work_h - 5;
    struct edit *e = &s->filter;

    switch (ev->act) {
    case ACT_UP: if (s->sel > 0) s->sel--; return 1;
    case ACT_DOWN: if (s->sel + 1 < (int)s->nshown) s->sel++; return 1;
    case ACT_PGUP: s->sel = s->sel > page ? s->sel - page : 0; return 1;
    case ACT_PGDN:
        s->sel = s->sel + page < (int)s->nshown ? s->sel + page : (int)s->nshown - 1;
        if (s->sel < 0)
            s->sel = 0;
        return 1;
    case ACT_FIRST: s->sel = 0; return 1;
    case ACT_LAST: s->sel = s->nshown ? (int)s->nshown - 1 : 0; return 1;
    case ACT_TOGGLE:
        if (s->nshown)
            s->p->marked[s->shown[s->sel]] ^= 1;
        return 1;
    case ACT_OPEN:
        if (s->p->multi)
            s->result = 1;
        else if (s->nshown)
            s->result = (int)s->shown[s->sel];
        else
            return 1;
        ui_pop(ui);
        return 1;
    case ACT_BACK: s->result = -1; ui_pop(ui); return 1;
    case ACT_LEFT: edit_left(e); return 1;
    case ACT_RIGHT: edit_right(e); return 1;
    case ACT_LSTART: edit_home(e); return 1;
    case ACT_LEND: edit_end(e); return 1;
    case ACT_BKSP: edit_backspace(e); refilter(s); return 1;
    case ACT_DEL: edit_delete(e); refilter(s); return 1;
    case ACT_CLEAR: edit_clear(e); refilter(s); return 1;
    default: break;
    }
    if (ev->ch) {
        char b[5] = {0};

        if (text_encode((uint32_t)ev->ch, b) > 0 && edit_insert(e, b) == 0)
            refilter(s);
        return 1;
    }
    return ev->act != ACT_HELP && ev->act != ACT_QUIT && ev->act != ACT_LANG;
}

static unsigned pick_keys(void *st)
{
    struct pick_st *s = st;

    return KC_GLOBAL | KC_EDIT | KC_MOVE | KC_OPEN | (s->p->multi ? KC_PICK : 0);
}

static const struct ui_screen pick_screen = {
    .name = "pick",
    .keys_now = pick_keys,
    .draw = pick_draw,
    .key = pick_key,
};

int ui_pick_run(struct ui *ui, struct ui_pick *p)
{
    struct pick_st s;
    size_t i;
    int d;

    memset(&s, 0, sizeof(s));
    s.p = p;
    s.result = -1;
    s.shown = xcalloc(p->n + 1, sizeof(*s.shown));
    edit_init(&s.filter, p->filter, 60);
    s.sel = -1;
    refilter(&s);
    for (i = 0; p->current >= 0 && i < s.nshown; i++)
        if ((int)s.shown[i] == p->current)
            s.sel = (int)i;
    ui_push_overlay(ui, &pick_screen, &s);
    d = ui->depth;
    ui_loop(ui, d);
    ui_pop_to(ui, d);
    edit_free(&s.filter);
    free(s.shown);
    return s.result;
}

/* A one-line question with an answer typed on the message line. */
struct asktext {
    const char *question;
    struct edit e;
    int done;
    int secret;             /* show a star per character, never the text */
};

static void asktext_draw(struct ui *ui, void *st)
{
    struct asktext *a = st;
    int qw = text_width(a->question) + 1, fw = ui->cols - qw - 1;

    ui_put(ui, ui->rows - 3, 0, qw, R_WARN, a->question);
    if (a->secret) {
        char stars[64];
        int n = (int)text_width(edit_text(&a->e));

        n = n < fw && n < (int)sizeof(stars) - 1 ? n : (fw < (int)sizeof(stars) - 1 ? fw : (int)sizeof(stars) - 1);
        memset(stars, '*', (size_t)(n > 0 ? n : 0));
        stars[n > 0 ? n : 0] = '\0';
        ui_put(ui, ui->rows - 3, qw, fw, R_CURFIELD, stars);
        ui->cur_y = ui->rows - 3;
        ui->cur_x = qw + (n > 0 ? n : 0);
        ui->msg[0] = '\0';
        return;
    }
    ui_put(ui, ui->rows - 3, qw, fw, R_CURFIELD, edit_text(&a->e) + edit_scroll(&a->e, fw));
    ui->cur_y = ui->rows - 3;
    ui->cur_x = qw + edit_cursor_col(&a->e);
    ui->msg[0] = '\0';
}

static int asktext_key(struct ui *ui, void *st, const struct ui_event *ev)
{
    struct asktext *a = st;

    switch (ev->act) {
    case ACT_OPEN: a->done = 1; ui_pop(ui); return 1;
    case ACT_BACK: ui_pop(ui); return 1;
    case ACT_LEFT: edit_left(&a->e); return 1;
    case ACT_RIGHT: edit_right(&a->e); return 1;
    case ACT_LSTART: edit_home(&a->e); return 1;
    case ACT_LEND: edit_end(&a->e); return 1;
    case ACT_BKSP: edit_backspace(&a->e); return 1;
    case ACT_DEL: edit_delete(&a->e); return 1;
    case ACT_CLEAR: edit_clear(&a->e); return 1;
    default: break;
    }
    if (ev->ch) {
        char b[5] = {0};

        if (text_encode((uint32_t)ev->ch, b) > 0)
            edit_insert(&a->e, b);
        return 1;
    }
    return ev->act != ACT_HELP && ev->act != ACT_QUIT && ev->act != ACT_LANG;
}

static const struct ui_screen asktext_screen = {
    .name = "asktext",
    .keys = KC_GLOBAL | KC_EDIT | KC_OPEN,
    .draw = asktext_draw,
    .key = asktext_key,
};

static char *ask(struct ui *ui, const char *question, const char *init, int secret)
{
    struct asktext a;
    char *out = NULL;
    int d;

    memset(&a, 0, sizeof(a));
    a.question = question;
    a.secret = secret;
    edit_init(&a.e, init, 200);
    ui_push_overlay(ui, &asktext_screen, &a);
    d = ui->depth;
    ui_loop(ui, d);
    ui_pop_to(ui, d);
    if (a.done)
        out = xstrdup(edit_text(&a.e));
    if (secret)             /* no passphrase left behind in freed memory */
        sodium_memzero((char *)edit_text(&a.e), strlen(edit_text(&a.e)));
    edit_free(&a.e);
    return out;
}

char *ui_ask_text_alloc(struct ui *ui, const char *question, const char *init)
{
    return ask(ui, question, init, 0);
}

char *ui_ask_secret_alloc(struct ui *ui, const char *question)
{
    return ask(ui, question, "", 1);
}
