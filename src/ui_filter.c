/* Place names from the code lists, and the filter dialog of the lists:
 * year, status, province and district (districts narrowed to the chosen
 * province). */
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "canon.h"
#include "formdef.h"
#include "text.h"
#include "ui.h"
#include "util.h"

const char *ui_place_name(const struct ui *ui, const char *pcode)
{
    const struct code_list *l;
    const struct list_item *it;

    if (!pcode || !ui->fs)
        return pcode ? pcode : "";
    l = formset_list(ui->fs, strlen(pcode) > 4 ? "district" : "province");
    it = l ? list_find(l, pcode) : NULL;
    return it ? list_item_label(it, ui->lang) : pcode;
}

struct filter {
    int *year;
    char *status, *province, *district;
    size_t ns, np;
    int sel, changed;
};

enum { F_YEAR, F_STATUS, F_PROVINCE, F_DISTRICT, F_N };

static const char *status_text(const struct ui *ui, const char *s)
{
    char key[32];

    if (!*s)
        return ui_tr(ui, "filter.any", "any");
    snprintf(key, sizeof(key), "status.%s", s);
    return ui_tr(ui, key, s);
}

static void filter_draw(struct ui *ui, void *st)
{
    struct filter *f = st;
    const char *any = ui_tr(ui, "filter.any", "any");
    const char *labels[F_N];
    char year[16];
    const char *vals[F_N];
    int y = ui->work_y + 3, x = ui->cols / 2 - 30, i;

    labels[F_YEAR] = ui_tr(ui, "filter.year", "Year");
    labels[F_STATUS] = ui_tr(ui, "filter.status", "Status");
    labels[F_PROVINCE] = ui_tr(ui, "filter.province", "Province");
    labels[F_DISTRICT] = ui_tr(ui, "filter.district", "District");
    snprintf(year, sizeof(year), "%d", *f->year);
    vals[F_YEAR] = *f->year ? year : any;
    vals[F_STATUS] = status_text(ui, f->status);
    vals[F_PROVINCE] = *f->province ? ui_place_name(ui, f->province) : any;
    vals[F_DISTRICT] = *f->district ? ui_place_name(ui, f->district) : any;
    for (i = -1; i <= F_N + 1; i++)
        ui_put(ui, y + i, x - 2, 64, R_BOX, "");
    ui_put(ui, y - 1, x, 60, R_HEADER, ui_tr(ui, "filter.title", "Show only records with"));
    for (i = 0; i < F_N; i++) {
        ui_put(ui, y + 1 + i, x, 16, R_LABEL, labels[i]);
        ui_put(ui, y + 1 + i, x + 16, 40, i == f->sel ? R_SELECT : R_FIELD, vals[i]);
    }
    ui_msg(ui, R_MSG, "%s", ui_tr(ui, "filter.help",
           "Enter changes the setting, d clears it; Esc goes back to the list."));
}

static const struct list_item **place_items(const struct ui *ui, const char *list,
                                            const char *within, size_t *n)
{
    const struct code_list *l = formset_list(ui->fs, list);
    const struct list_item **v;
    size_t i;

    *n = 0;
    if (!l)
        return NULL;
    v = xcalloc(l->n + 1, sizeof(*v));
    for (i = 0; i < l->n; i++)
        if (!within || !*within || !*l->items[i].filter || strcmp(l->items[i].filter, within) == 0)
            v[(*n)++] = &l->items[i];
    return v;
}

static void pick_place(struct ui *ui, struct filter *f, int district)
{
    struct ui_pick p;
    size_t n, i;
    const struct list_item **v = place_items(ui, district ? "district" : "province",
                                             district ? f->province : NULL, &n);
    char *dst = district ? f->district : f->province;
    int r;

    if (!v || !n) {
        ui_msg(ui, R_WARN, "%s", ui_tr(ui, "filter.no_places", "No place list in the forms."));
        free(v);
        return;
    }
    memset(&p, 0, sizeof(p));
    p.title = ui_tr_in(ui, "en", district ? "filter.district" : "filter.province",
                       district ? "District" : "Province");
    p.title_lo = ui_tr_in(ui, "lo", district ? "filter.district" : "filter.province",
                          district ? "District" : "Province");
    p.items = v;
    p.n = n;
    p.current = -1;
    for (i = 0; i < n; i++)
        if (strcmp(v[i]->code, dst) == 0)
            p.current = (int)i;
    r = ui_pick_run(ui, &p);
    if (r >= 0 && strcmp(dst, v[r]->code) != 0) {
        snprintf(dst, f->np, "%s", v[r]->code);
        f->changed = 1;
        /* a district of another province no longer applies */
        if (!district && *f->district && strncmp(f->district, f->province, strlen(f->province)))
            f->district[0] = '\0';
        if (district && !*f->province)
            snprintf(f->province, f->np, "%.4s", v[r]->code);
    }
    free(v);
}

static void pick_status(struct ui *ui, struct filter *f)
{
    char statuses[4][CANON_CODE_MAX];
    struct list_item items[ARRAY_LEN(statuses)];
    const struct list_item *v[ARRAY_LEN(statuses)];
    struct ui_pick p;
    size_t i, n = (size_t)canon_code_list("cases", "status", statuses, (int)ARRAY_LEN(statuses));
    int r;

    memset(&p, 0, sizeof(p));
    p.current = -1;
    for (i = 0; i < n; i++) {
        char key[sizeof("status.") + sizeof(statuses)];

        snprintf(key, sizeof(key), "status.%s", statuses[i]);
        memset(&items[i], 0, sizeof(items[i]));
        items[i].code = (char *)statuses[i];
        items[i].label_en = (char *)ui_tr_in(ui, "en", key, statuses[i]);
        items[i].label_lo = (char *)ui_tr_in(ui, "lo", key, statuses[i]);
        items[i].filter = (char *)"";
        v[i] = &items[i];
        if (strcmp(f->status, statuses[i]) == 0)
            p.current = (int)i;
    }
    p.title = ui_tr_in(ui, "en", "filter.status", "Status");
    p.title_lo = ui_tr_in(ui, "lo", "filter.status", "Status");
    p.items = v;
    p.n = n;
    r = ui_pick_run(ui, &p);
    if (r >= 0) {
        snprintf(f->status, f->ns, "%s", statuses[r]);
        f->changed = 1;
    }
}

static void ask_year(struct ui *ui, struct filter *f)
{
    char init[16] = "";
    char *s, *d;
    int y;

    if (*f->year)
        snprintf(init, sizeof(init), "%d", *f->year);
    s = ui_ask_text_alloc(ui, ui_tr(ui, "filter.ask_year", "Year (e.g. 2024):"), init);
    if (!s)
        return;
    d = text_lao_digits_alloc(s);
    if (!*d) {
        *f->year = 0;
        f->changed = 1;
    } else if ((y = canon_year(d))) {
        *f->year = y;
        f->changed = 1;
    } else {
        ui_msg(ui, R_ERROR, "%s", ui_tr(ui, "filter.bad_year", "A year is four digits, e.g. 2024."));
    }
    free(d);
    free(s);
}

static int filter_key(struct ui *ui, void *st, const struct ui_event *ev)
{
    struct filter *f = st;

    switch (ev->act) {
    case ACT_UP: f->sel = (f->sel + F_N - 1) % F_N; return 1;
    case ACT_DOWN: f->sel = (f->sel + 1) % F_N; return 1;
    case ACT_OPEN:
        if (f->sel == F_YEAR)
            ask_year(ui, f);
        else if (f->sel == F_STATUS)
            pick_status(ui, f);
        else
            pick_place(ui, f, f->sel == F_DISTRICT);
        return 1;
    case ACT_CLEAR:
        if (f->sel == F_YEAR)
            *f->year = 0;
        else if (f->sel == F_STATUS)
            f->status[0] = '\0';
        else if (f->sel == F_PROVINCE)
            f->province[0] = f->district[0] = '\0';
        else
            f->district[0] = '\0';
        f->changed = 1;
        return 1;
    case ACT_BACK: ui_pop(ui); return 1;
    default: return 0;
    }
}

static const struct ui_screen filter_screen = {
    .name = "filter",
    .keys = KC_GLOBAL | KC_MOVE | KC_OPEN | KC_CLEAR,
    .draw = filter_draw,
    .key = filter_key,
};

int ui_filter_run(struct ui *ui, int *year, char *status, size_t ns, char *province,
                  char *district, size_t np)
{
    struct filter f;
    int d;

    memset(&f, 0, sizeof(f));
    f.year = year;
    f.status = status;
    f.ns = ns;
    f.province = province;
    f.district = district;
    f.np = np;
    ui_push_overlay(ui, &filter_screen, &f);
    d = ui->depth;
    ui_loop(ui, d);
    ui_pop_to(ui, d);
    return f.changed;
}
