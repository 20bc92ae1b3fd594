/* Entering one field of a form: what the editor holds for each type, how
 * typed text becomes a stored value (through formdef's parser), the code
 * lists' pickers, and how a value is shown. */
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

int ui_field_enterable(const struct field *f)
{
    return f->type != FT_COMPUTED && f->calc == FC_NONE && !f->readonly;
}

/* Fields typed as text in the editor; the others open a picker or a list. */
static int typed(const struct field *f)
{
    return f->type != FT_MULTI && f->type != FT_LINK && f->type != FT_CHILD;
}

void ui_field_load(struct form_view *v)
{
    const struct field *f;
    char *s;

    if (v->cur < 0) {
        edit_set(&v->ed, "");
        return;
    }
    f = &v->fm->fields[v->cur];
    v->ed.maxcp = f->maxlen > 0 ? (size_t)f->maxlen : 0;
    if (!typed(f)) {
        edit_set(&v->ed, "");
    } else {
        s = field_format_alloc(f, form_value(v->fm, f, v->r), v->ui->lang, v->ui->dmy);
        edit_set(&v->ed, s);
        free(s);
    }
    v->ed.changed = 0;
}

/* The value of the field F's filter field ("" when none or empty). */
static const char *filter_value(struct form_view *v, const struct field *f)
{
    int k;
    const char *s;

    if (!f->filter)
        return "";
    k = form_field_index(v->fm, f->filter);
    s = k >= 0 ? form_value(v->fm, &v->fm->fields[k], v->r) : NULL;
    return s ? s : "";
}

/* The items of F's list a clerk may choose now (a district: those of the
 * chosen province).  Caller frees the array. */
static const struct list_item **allowed_items(struct form_view *v, const struct field *f,
                                              size_t *n)
{
    const char *want = filter_value(v, f);
    const struct list_item **out;
    size_t i;

    *n = 0;
    out = xcalloc(f->list->n + 1, sizeof(*out));
    for (i = 0; i < f->list->n; i++) {
        const struct list_item *it = &f->list->items[i];

        if (*want && *it->filter && strcmp(it->filter, want) != 0)
            continue;
        out[(*n)++] = it;
    }
    return out;
}

/* ASCII letters folded; a prefix of the code or either label. */
static int has_prefix(const char *s, const char *p)
{
    size_t n = strlen(p);
    char *head;
    int r;

    if (!s || strlen(s) < n)
        return 0;
    head = xstrndup(s, n);
    r = text_casecmp(head, p) == 0;
    free(head);
    return r;
}

/* The one allowed item that TYPED names: exactly (code or label), else as
 * the only prefix.  NULL when none or several. */
static const struct list_item *match_item(const struct list_item **v, size_t n, const char *t)
{
    const struct list_item *one = NULL;
    size_t i, hits = 0;

    for (i = 0; i < n; i++)
        if (text_casecmp(v[i]->code, t) == 0 || text_casecmp(v[i]->label_en, t) == 0
            || strcmp(v[i]->label_lo, t) == 0)
            return v[i];
    for (i = 0; i < n; i++)
        if (has_prefix(v[i]->code, t) || has_prefix(v[i]->label_en, t)
            || has_prefix(v[i]->label_lo, t)) {
            one = v[i];
            hits++;
        }
    return hits == 1 ? one : NULL;
}

/* Sets the value and recomputes; 1 when it changed, else 0. */
static int set_value(struct form_view *v, const struct field *f, const char *val)
{
    const char *old = form_value(v->fm, f, v->r);
    int same = (!old && util_empty(val)) || (old && val && strcmp(old, val) == 0);

    form_set_value(v->fm, f, v->r, val);
    form_compute(v->fm, v->r);
    if (v->root != v)
        form_compute(v->root->fm, v->root->r);
    ui_field_load(v);
    return !same;
}

static int pick_choice(struct form_view *v, const struct field *f, const char *init)
{
    struct ui_pick p;
    size_t n, i;
    const struct list_item **items = allowed_items(v, f, &n);
    const char *cur = form_value(v->fm, f, v->r);
    int r;

    memset(&p, 0, sizeof(p));
    p.title = field_label(f, "en");
    p.title_lo = field_label(f, "lo");
    p.items = items;
    p.n = n;
    p.filter = init;
    p.current = -1;
    for (i = 0; cur && i < n; i++)
        if (strcmp(items[i]->code, cur) == 0)
            p.current = (int)i;
    r = ui_pick_run(v->ui, &p);
    if (r >= 0)
        r = set_value(v, f, items[r]->code);
    free(items);
    return r;
}

static int pick_multi(struct form_view *v, const struct field *f, const char *init)
{
    struct ui_pick p;
    size_t n, i;
    const struct list_item **items = allowed_items(v, f, &n);
    const char *cur = form_value(v->fm, f, v->r);
    struct sbuf b = {0};
    int r;

    memset(&p, 0, sizeof(p));
    p.title = field_label(f, "en");
    p.title_lo = field_label(f, "lo");
    p.items = items;
    p.n = n;
    p.multi = 1;
    p.filter = init;
    p.current = -1;
    p.marked = xcalloc(n + 1, 1);
    for (i = 0; cur && i < n; i++) {
        size_t len = strlen(items[i]->code);
        const char *s = cur;

        while (*s) {
            size_t k = strcspn(s, ";");

            if (k == len && strncmp(s, items[i]->code, len) == 0)
                p.marked[i] = 1;
            s += k + (s[k] == ';');
        }
    }
    r = ui_pick_run(v->ui, &p);
    if (r >= 0) {
        for (i = 0; i < n; i++)
            if (p.marked[i]) {
                if (b.len)
                    sbuf_addc(&b, ';');
                sbuf_add(&b, items[i]->code);
            }
        r = set_value(v, f, b.len ? b.s : NULL);
    }
    sbuf_free(&b);
    free(p.marked);
    free(items);
    return r;
}

static int pick_yesno(struct form_view *v, const struct field *f)
{
    struct list_item it[2] = {
        { (char *)"1", (char *)"Yes", (char *)"ແມ່ນ", (char *)"" },
        { (char *)"0", (char *)"No", (char *)"ບໍ່", (char *)"" },
    };
    const struct list_item *items[2] = { &it[0], &it[1] };
    const char *cur = form_value(v->fm, f, v->r);
    struct ui_pick p;
    int r;

    memset(&p, 0, sizeof(p));
    p.title = field_label(f, "en");
    p.title_lo = field_label(f, "lo");
    p.items = items;
    p.n = 2;
    p.current = cur ? (strcmp(cur, "1") == 0 ? 0 : 1) : -1;
    r = ui_pick_run(v->ui, &p);
    if (r >= 0)
        r = set_value(v, f, it[r].code);
    return r;
}

static void show_error(struct form_view *v, const char *en, const char *lo)
{
    ui_msg(v->ui, R_ERROR, "%s", strcmp(v->ui->lang, "lo") == 0 && lo ? lo : en);
}

int ui_field_commit(struct form_view *v, int pick)
{
    const struct field *f;
    const char *t;
    char *stored = NULL, *lo = NULL;
    int rc;

    if (v->cur < 0)
        return 0;
    f = &v->fm->fields[v->cur];
    if (!typed(f) || !v->ed.changed)
        return 0;
    t = edit_text(&v->ed);
    while (*t == ' ')
        t++;
    if (f->type == FT_CHOICE && *t) {
        size_t n;
        const struct list_item **items = allowed_items(v, f, &n);
        const struct list_item *it = match_item(items, n, t);

        if (it)
            rc = set_value(v, f, it->code);
        else
            rc = pick ? pick_choice(v, f, t) : -1;
        free(items);
        if (rc < 0)
            ui_msg(v->ui, R_ERROR, "%s: %s", field_label(f, v->ui->lang),
                   ui_tr(v->ui, "entry.pick_one", "not in the list; pick one (F4)"));
        return rc;
    }
    if (field_parse_input(v->fm, f, t, &stored, &lo) < 0) {
        show_error(v, err_msg(), lo);
        free(lo);
        return -1;
    }
    rc = set_value(v, f, stored);
    free(stored);
    return rc;
}

static int pick_link(struct form_view *v, const struct field *f, const char *init)
{
    char uuid[37];

    if (!ui_link_pick(v->ui, f->target ? f->target : "cases", init, uuid))
        return 0;
    return set_value(v, f, uuid);
}

int ui_field_pick(struct form_view *v)
{
    const struct field *f;

    if (v->cur < 0)
        return 0;
    f = &v->fm->fields[v->cur];
    switch (f->type) {
    case FT_CHOICE: return pick_choice(v, f, v->ed.changed ? edit_text(&v->ed) : NULL) > 0;
    case FT_MULTI: return pick_multi(v, f, NULL) > 0;
    case FT_YESNO: return pick_yesno(v, f) > 0;
    case FT_LINK: return pick_link(v, f, NULL);
    default:
        ui_msg(v->ui, R_MSG, "%s", ui_tr(v->ui, "entry.no_list", "This field has no list: type the value."));
        return 0;
    }
}

/* Typing on a field that is not typed opens its picker with what was typed. */
int ui_field_typed_pick(struct form_view *v, const char *s)
{
    const struct field *f = &v->fm->fields[v->cur];

    if (f->type == FT_MULTI)
        return pick_multi(v, f, s) > 0;
    if (f->type == FT_LINK)
        return pick_link(v, f, s);
    return 0;
}

static const char *mark(int x)
{
    return x == 1 ? "✓" : x == 0 ? "✗" : "?";
}

char *ui_field_show_alloc(struct form_view *v, const struct field *f, const struct rec *r)
{
    const char *val = form_value(v->fm, f, r);
    struct ui *ui = v->ui;

    if (f->type == FT_CHILD) {
        size_t n = rec_kids_count(r, f->column);

        return xasprintf("%zu %s — %s", n, ui_tr(ui, "form.rows", "rows"),
                         ui_tr(ui, "entry.enter_opens", "Enter opens the list"));
    }
    if (f->type == FT_LINK)
        return xstrdup(val ? ui_link_label(ui, f->target ? f->target : "cases", val) : "");
    if (f->calc == FC_SCREENING_RESULT) {
        struct screening s;

        form_screening(v->fm, r, &s);
        return xasprintf("%s  (%s %s · %s %s · %s %s%s)",
                         s.result ? list_label(f->list, s.result, ui->lang) : "—",
                         ui_tr(ui, "form.act", "act"), mark(s.act),
                         ui_tr(ui, "form.means", "means"), s.child == 1 ? "–" : mark(s.means),
                         ui_tr(ui, "form.purpose", "purpose"), mark(s.purpose),
                         s.child == 1 ? ui_tr(ui, "entry.child", " · child") : "");
    }
    return field_format_alloc(f, val, ui->lang, ui->dmy);
}
