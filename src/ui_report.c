/* Reports screen: the tables of report.h (README.md, "Counting rules"), built
 * by the same report library as `tipdesk report`, shown as a bar chart
 * (ui_report_chart.c) or as a table that scrolls both ways; the report, its
 * breakdown and the years are chosen here, and what is shown is exported to
 * CSV in the export folder. */
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "canon.h"
#include "config.h"
#include "report.h"
#include "text.h"
#include "ui.h"
#include "ui_report_priv.h"
#include "util.h"

/* The reports in the order Tab goes through them, with their breakdowns
 * (the first is the one shown first; npa and quality have none). */
static const struct kind {
    const char *name, *en;
    enum report_by by[8];
    int nby;
} kinds[] = {
    { "victims", "Victims",
      { BY_YEAR, BY_PROVINCE, BY_DISTRICT, BY_OFFICE, BY_COUNTRY, BY_EXPLOITATION, BY_AGENCY }, 7 },
    { "prosecutions", "Prosecutions", { BY_YEAR, BY_PROVINCE, BY_DISTRICT, BY_OFFICE }, 4 },
    { "prevention", "Prevention",
      { BY_PROVINCE, BY_YEAR, BY_DISTRICT, BY_OFFICE, BY_BORDER, BY_TYPE }, 6 },
    { "protection", "Protection", { BY_YEAR, BY_PROVINCE, BY_DISTRICT, BY_OFFICE }, 4 },
    { "npa", "NPA activities", { BY_YEAR }, 0 },
    { "quality", "Data quality", { BY_YEAR }, 0 },
};

struct rs {
    int kind, by;           /* kinds[kind], its breakdown kinds[kind].by[by] */
    int from, to;           /* years; 0 = open */
    int tab;                /* the table shown */
    int table;              /* 1: as a table, 0: as a chart */
    int top, left;          /* first line and (table) first column shown */
    struct report *rep;
    int stale;              /* the report must be run again */
    unsigned long seen;     /* ui->changes when it was run */
};

static void opts_of(const struct ui *ui, const struct rs *s, struct report_opts *o)
{
    memset(o, 0, sizeof(*o));
    o->from = s->from;
    o->to = s->to;
    o->by = kinds[s->kind].by[s->by];
    o->min_cell = ui->app->cfg->min_cell;
    o->lang = ui->lang;
}

static void run(struct ui *ui, struct rs *s)
{
    struct report_opts o;

    opts_of(ui, s, &o);
    report_free(s->rep);
    /* Over 100 000 cases a report takes a moment: say so before. */
    ui_put(ui, ui->rows - 3, 0, ui->cols, R_MSG, ui_tr(ui, "report_screen.counting", "Counting..."));
    refresh();
    s->rep = report_run_new(ui->db, kinds[s->kind].name, &o);
    if (!s->rep)
        ui_msg(ui, R_ERROR, "%s", err_msg());
    s->stale = 0;
    s->seen = ui->changes;
    if (s->rep && s->tab >= s->rep->ntab)
        s->tab = 0;
}

static const struct rtable *shown(const struct rs *s)
{
    return s->rep && s->tab < s->rep->ntab ? s->rep->tabs[s->tab] : NULL;
}

/* The table view: the row labels stay, the columns from s->left on scroll. */
static void draw_table(struct ui *ui, struct rs *s, const struct rtable *t, int y, int h)
{
    int *w = xcalloc((size_t)t->ncol + 1, sizeof(int));
    int x0 = 1, lw, r, c, x, last = s->left, body = h - 1, nlines;
    const char *lang = ui->lang;
    char buf[64];

    lw = text_width(rtable_label(t->key_en, t->key_lo, lang));
    for (r = 0; r < t->nrow; r++) {
        if (text_width(rtable_label(t->rows[r].en, t->rows[r].lo, lang)) > lw)
            lw = text_width(rtable_label(t->rows[r].en, t->rows[r].lo, lang));
        for (c = 0; c < t->ncol; c++) {
            const char *v = buf;

            if (t->cols[c].kind == RC_TEXT)
                v = t->rows[r].c[c].s ? t->rows[r].c[c].s : "";
            else
                rtable_cell_str(t, r, c, 0, buf, sizeof(buf));
            if (text_width(v) > w[c])
                w[c] = text_width(v);
        }
    }
    for (c = 0; c < t->ncol; c++) {
        int hw = text_width(rtable_label(t->cols[c].en, t->cols[c].lo, lang));

        if (hw > w[c])
            w[c] = hw;
        if (w[c] > ui->cols / 2)
            w[c] = ui->cols / 2;
    }
    if (lw > ui->cols / 3)
        lw = ui->cols / 3;
    if (s->left >= t->ncol)
        s->left = t->ncol > 0 ? t->ncol - 1 : 0;

    /* Header, and how far the columns reach. */
    ui_put(ui, y, x0, lw, R_HEADER, rtable_label(t->key_en, t->key_lo, lang));
    for (c = s->left, x = x0 + lw; c < t->ncol && x + 2 + w[c] <= ui->cols - 1; c++) {
        const char *lab = rtable_label(t->cols[c].en, t->cols[c].lo, lang);

        if (t->cols[c].kind == RC_TEXT)
            ui_put(ui, y, x + 2, w[c], R_HEADER, lab);
        else
            ui_put_right(ui, y, x + 2, w[c], R_HEADER, lab);
        x += 2 + w[c];
        last = c;
    }
    if (s->left > 0)
        ui_put(ui, y, x0 + lw, 1, R_DIM, "◂");
    if (last < t->ncol - 1)
        ui_put(ui, y, ui->cols - 1, 1, R_DIM, "▸");

    nlines = t->nrow + (t->note_en ? 1 : 0) + (t->nrow == 0);
    if (s->top > nlines - body)
        s->top = nlines - body;
    if (s->top < 0)
        s->top = 0;
    for (r = s->top; r < s->top + body && r < nlines; r++) {
        int yy = y + 1 + r - s->top;
        const struct rrow *row;
        enum ui_role role;

        if (r >= t->nrow) {
            ui_put(ui, yy, x0, ui->cols - 2, R_DIM, t->nrow == 0 && r == 0
                   ? ui_tr(ui, "report_screen.no_rows", "(no records)")
                   : rtable_label(t->note_en, t->note_lo, lang));
            continue;
        }
        row = &t->rows[r];
        role = row->is_total ? R_SECTION : R_NORMAL;
        ui_put(ui, yy, x0, lw, row->is_total ? R_SECTION : R_LABEL, rtable_label(row->en, row->lo, lang));
        for (c = s->left, x = x0 + lw; c <= last && c < t->ncol; c++) {
            if (t->cols[c].kind == RC_TEXT) {
                ui_put(ui, yy, x + 2, w[c], role, row->c[c].s ? row->c[c].s : "");
            } else {
                rtable_cell_str(t, r, c, 0, buf, sizeof(buf));
                ui_put_right(ui, yy, x + 2, w[c], role, buf);
            }
            x += 2 + w[c];
        }
    }
    if (s->top > 0)
        ui_put(ui, y + 1, ui->cols - 1, 1, R_DIM, "▲");
    if (s->top + body < nlines)
        ui_put(ui, y + body, ui->cols - 1, 1, R_DIM, "▼");
    free(w);
}

static void report_draw(struct ui *ui, void *st)
{
    struct rs *s = st;
    const struct rtable *t;
    const char *name;
    char pos[64];
    int y = ui->work_y, nw;

    if (s->stale || s->seen != ui->changes)
        run(ui, s);
    t = shown(s);
    /* Which report and table, then the filters in the library's words. */
    {
        char key[64];

        snprintf(key, sizeof(key), "report.%s", kinds[s->kind].name);
        name = ui_tr(ui, key, kinds[s->kind].en);
    }
    nw = text_width(name) + 2;
    ui_putf(ui, y, 0, nw, R_SELECT, " %s ", name);
    snprintf(pos, sizeof(pos), "%d/%d", s->rep ? s->tab + 1 : 0, s->rep ? s->rep->ntab : 0);
    ui_put(ui, y, nw + 1, ui->cols - nw - 2 - (int)strlen(pos), R_HEADER,
           t ? rtable_label(t->title_en, t->title_lo, ui->lang) : "");
    ui_put(ui, y, ui->cols - (int)strlen(pos) - 1, (int)strlen(pos), R_DIM, pos);
    if (s->rep)
        ui_put(ui, y + 1, 1, ui->cols - 2, R_DIM,
               rtable_label(s->rep->legend_en, s->rep->legend_lo, ui->lang));
    if (!t)
        return;
    if (!s->table && ui_report_chart_draw(ui, t, y + 2, ui->work_h - 2, &s->top) > 0)
        return;
    if (!s->table && !ui->msg[0])
        ui_msg(ui, R_MSG, "%s", ui_tr(ui, "report_screen.no_chart",
               "No counts to chart in this table: c shows it as a table"));
    draw_table(ui, s, t, y + 2, ui->work_h - 2);
}

/* "2015", "2015-2017", "2015-", "-2017" or "" (all years). */
static int parse_years(const char *str, int *from, int *to)
{
    char a[16] = "", b[16] = "";
    const char *dash = strchr(str, '-');
    int f = 0, t = 0;

    if (strlen(str) > 12)
        return -1;
    if (dash) {
        snprintf(a, sizeof(a), "%.*s", (int)(dash - str), str);
        snprintf(b, sizeof(b), "%s", dash + 1);
    } else {
        snprintf(a, sizeof(a), "%s", str);
        snprintf(b, sizeof(b), "%s", str);
    }
    if ((*a && !(f = canon_year(a))) || (*b && !(t = canon_year(b))) || (f && t && f > t))
        return -1;
    *from = f;
    *to = t;
    return 0;
}

static void ask_years(struct ui *ui, struct rs *s)
{
    char init[32] = "";
    char *ans, *txt;
    int from, to;

    if (s->from || s->to)
        snprintf(init, sizeof(init), s->from == s->to ? "%d" : "%.0d-%.0d", s->from, s->to);
    ans = ui_ask_text_alloc(ui, ui_tr(ui, "report_screen.years_ask",
                            "Years: 2015, 2015-2017, or empty for all years"), init);
    if (!ans)
        return;
    txt = text_lao_digits_alloc(ans);
    if (parse_years(txt, &from, &to) < 0) {
        ui_msg(ui, R_ERROR, "%s", ui_tr(ui, "report_screen.years_bad",
               "Years: write a year such as 2015 or a range such as 2015-2017"));
    } else {
        s->from = from;
        s->to = to;
        s->stale = 1;
        s->top = 0;
    }
    free(txt);
    free(ans);
}

static void export_shown(struct ui *ui, struct rs *s)
{
    const struct rtable *t = shown(s);
    struct report_opts o;
    char *path;

    if (!t)
        return;
    opts_of(ui, s, &o);
    if (!(path = report_save_csv_alloc(s->rep, t, &o, ui->app->cfg->export_dir))) {
        ui_msg(ui, R_ERROR, "%s", err_msg());
        return;
    }
    ui_msg(ui, R_GOOD, "%s: %s (%d %s)", ui_tr(ui, "report_screen.written", "Written"), path,
           t->nrow, ui_tr(ui, "report_screen.rows", "rows"));
    free(path);
}

static int report_key(struct ui *ui, void *st, const struct ui_event *ev)
{
    struct rs *s = st;
    int n = (int)ARRAY_LEN(kinds), page = ui->work_h - 4;

    switch (ev->act) {
    case ACT_NEXT: case ACT_PREV:
        s->kind = (s->kind + (ev->act == ACT_NEXT ? 1 : n - 1)) % n;
        s->by = s->tab = s->top = s->left = 0;
        s->stale = 1;
        return 1;
    case ACT_RTABLE:
        if (s->rep && s->rep->ntab)
            s->tab = (s->tab + 1) % s->rep->ntab;
        s->top = s->left = 0;
        return 1;
    case ACT_BY:
        if (kinds[s->kind].nby < 2) {
            ui_msg(ui, R_MSG, "%s", ui_tr(ui, "report_screen.by_none",
                   "This report has no other breakdown"));
            return 1;
        }
        s->by = (s->by + 1) % kinds[s->kind].nby;
        s->tab = s->top = s->left = 0;
        s->stale = 1;
        return 1;
    case ACT_FILTER: ask_years(ui, s); return 1;
    case ACT_VIEW: s->table = !s->table; s->top = s->left = 0; return 1;
    case ACT_EXPORT: export_shown(ui, s); return 1;
    case ACT_UP: s->top--; return 1;
    case ACT_DOWN: s->top++; return 1;
    case ACT_PGUP: s->top -= page; return 1;
    case ACT_PGDN: s->top += page; return 1;
    case ACT_FIRST: s->top = 0; return 1;
    case ACT_LAST: s->top = 1 << 20; return 1;       /* the draw clamps it */
    case ACT_LEFT: if (s->left > 0) s->left--; return 1;
    case ACT_RIGHT: s->left++; return 1;
    default: return 0;
    }
}

static void report_free_st(void *st)
{
    struct rs *s = st;

    report_free(s->rep);
    free(s);
}

static const struct ui_screen report_screen = {
    .name = "report",
    .keys = KC_GLOBAL | KC_MOVE | KC_REPORT,
    .draw = report_draw,
    .key = report_key,
    .free = report_free_st,
};

void ui_report_open(struct ui *ui)
{
    struct rs *s = xcalloc(1, sizeof(*s));

    s->stale = 1;
    ui_push(ui, &report_screen, s);
}
