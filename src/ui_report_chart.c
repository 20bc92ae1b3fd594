/* Bar charts of report tables, drawn with block characters: a full block and
 * the seven left eighth blocks give a bar's length to an eighth of a column.
 * Victims and participants by sex are stacked on one line per row (in colour
 * a cell where one part ends and the next begins shows both: the eighth
 * block in the first part's colour on the next one's); the prosecution
 * funnel puts investigations, prosecutions and convictions side by side;
 * other tables chart their total. */
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "text.h"
#include "ui.h"
#include "ui_report_priv.h"
#include "util.h"

#define NSERIES 4
/* Colour pairs of the series, after the ones ui.c gives the roles. */
#define PAIR_BASE 32

static const short palette[NSERIES] = { COLOR_MAGENTA, COLOR_CYAN, COLOR_YELLOW, COLOR_GREEN };
/* Without colour the parts of a stacked bar differ by their shade. */
static const char *const mono_fill[NSERIES] = { "█", "▓", "▒", "░" };
static const char *const eighths[9] = { " ", "▏", "▎", "▍", "▌", "▋", "▊", "▉", "█" };

enum chart_mode { CH_NONE, CH_STACK, CH_GROUP, CH_SINGLE };

struct chart {
    enum chart_mode mode;
    int n, col[NSERIES];    /* the series: columns of the table */
    int total;              /* stacked: the column of the row's total, or -1 */
    int *rows;              /* the table rows charted, the total row last */
    int nrows;
    int64_t max;            /* the longest bar */
};

/* Pair of series S on background series BG (-1: the terminal's). */
static short pair_of(int s, int bg)
{
    return (short)(PAIR_BASE + s * (NSERIES + 1) + bg + 1);
}

static int colours(const struct ui *ui)
{
    static int done, ok;
    int s, b;

    if (!ui->color)
        return 0;
    if (!done) {
        done = 1;
        ok = COLORS >= 8 && COLOR_PAIRS > pair_of(NSERIES - 1, NSERIES - 1);
        for (s = 0; ok && s < NSERIES; s++)
            for (b = -1; b < NSERIES; b++)
                init_pair(pair_of(s, b), palette[s], b < 0 ? -1 : palette[b]);
    }
    return ok;
}

static void glyph(const struct ui *ui, int y, int x, const char *g, int s, int bg)
{
    attrset(colours(ui) && s >= 0 ? COLOR_PAIR(pair_of(s, bg)) : A_NORMAL);
    mvaddstr(y, x, g);
    attrset(A_NORMAL);
}

static int64_t cell(const struct rtable *t, int r, int c)
{
    const struct rcell *x = &t->rows[r].c[c];

    return x->sup || x->v < 0 ? 0 : x->v;
}

/* Which columns to chart: the funnel, the parts by sex, else the total. */
static int chart_spec(const struct rtable *t, struct chart *ch)
{
    static const char *const funnel[] = { "investigations", "prosecutions", "convictions" };
    static const char *const sexes[2][NSERIES] = {
        { "female", "male", "other", "unknown" },
        { "participants_female", "participants_male", "participants_unknown", NULL },
    };
    int i, j, r;

    memset(ch, 0, sizeof(*ch));
    ch->total = -1;
    ch->rows = xmalloc(((size_t)t->nrow + 1) * sizeof(*ch->rows));
    for (i = 0; i < 3 && (ch->col[i] = rtable_col_find(t, funnel[i])) >= 0; i++)
        ;
    if (i == 3) {
        ch->mode = CH_GROUP;
        ch->n = 3;
    }
    for (j = 0; j < 2 && ch->mode == CH_NONE; j++) {
        if (rtable_col_find(t, sexes[j][0]) < 0 || rtable_col_find(t, sexes[j][1]) < 0)
            continue;
        for (i = 0; i < NSERIES && sexes[j][i]; i++)
            if ((ch->col[ch->n] = rtable_col_find(t, sexes[j][i])) >= 0)
                ch->n++;
        ch->mode = CH_STACK;
        ch->total = rtable_col_find(t, j ? "participants" : "total");
    }
    if (ch->mode == CH_NONE) {
        ch->col[0] = rtable_col_find(t, "total");
        for (i = 0; i < t->ncol && ch->col[0] < 0; i++)
            if (t->cols[i].kind == RC_COUNT)
                ch->col[0] = i;
        if (ch->col[0] < 0)
            return 0;
        ch->mode = CH_SINGLE;
        ch->n = 1;
    }
    for (r = 0; r < t->nrow; r++)
        if (!t->rows[r].is_total) {
            int64_t sum = 0;

            ch->rows[ch->nrows++] = r;
            for (i = 0; i < ch->n; i++) {
                if (ch->mode == CH_STACK)
                    sum += cell(t, r, ch->col[i]);
                else if (cell(t, r, ch->col[i]) > sum)
                    sum = cell(t, r, ch->col[i]);
            }
            if (sum > ch->max)
                ch->max = sum;
        }
    /* The total row is shown as numbers, under the bars. */
    for (r = 0; r < t->nrow && ch->mode != CH_GROUP; r++)
        if (t->rows[r].is_total)
            ch->rows[ch->nrows++] = r;
    return ch->nrows > 0;
}

/* V as a length in eighths of W columns (a count above 0 shows at least an eighth). */
static int scale(int64_t v, const struct chart *ch, int w)
{
    int u;

    if (ch->max <= 0 || v <= 0)
        return 0;
    u = (int)((v * w * 8 + ch->max / 2) / ch->max);
    return u > 0 ? u : 1;
}

static void bar(const struct ui *ui, int y, int x, int units, int s)
{
    int i;

    for (i = 0; i < units / 8; i++)
        glyph(ui, y, x + i, eighths[8], s, -1);
    if (units % 8)
        glyph(ui, y, x + units / 8, eighths[units % 8], s, -1);
}

static void bar_stack(const struct ui *ui, int y, int x, int w, const struct chart *ch,
                      const struct rtable *t, int r)
{
    int end[NSERIES], i, c;
    int64_t cum = 0;

    for (i = 0; i < ch->n; i++) {
        int prev = i ? end[i - 1] : 0;

        cum += cell(t, r, ch->col[i]);
        end[i] = scale(cum, ch, w);
        if (!colours(ui))       /* whole cells: round the eighths */
            end[i] = (end[i] + 4) / 8 * 8;
        if (cell(t, r, ch->col[i]) > 0 && end[i] <= prev)
            end[i] = prev + (colours(ui) ? 1 : 8);
        if (end[i] < prev)
            end[i] = prev;
        if (end[i] > 8 * w)
            end[i] = 8 * w;
    }
    for (c = 0; c < w; c++) {
        int lo = 8 * c, s = -1, bg = -1;

        for (i = 0; i < ch->n && s < 0; i++)
            if (end[i] > lo)
                s = i;
        if (s < 0)
            break;
        if (!colours(ui)) {
            glyph(ui, y, x + c, mono_fill[s], -1, -1);
            continue;
        }
        if (end[s] >= lo + 8) {
            glyph(ui, y, x + c, eighths[8], s, -1);
            continue;
        }
        for (i = s + 1; i < ch->n && bg < 0; i++)
            if (end[i] > end[s])
                bg = i;
        glyph(ui, y, x + c, eighths[end[s] - lo], s, bg);
    }
}

static int num_width(const struct rtable *t, const struct chart *ch, int c)
{
    char buf[64];
    int i, w = 1;

    for (i = 0; i < ch->nrows; i++) {
        rtable_cell_str(t, ch->rows[i], c, 0, buf, sizeof(buf));
        if (text_width(buf) > w)
            w = text_width(buf);
    }
    return w;
}

/* A number column's width: its numbers, and its name up to 7 columns (a
 * longer name is cut, so the bars keep their room at 80 columns). */
static int head_width(int numbers, int name)
{
    if (name > 7)
        name = 7;
    return numbers > name ? numbers : name;
}

static void num(struct ui *ui, int y, int x, int w, enum ui_role role, const struct rtable *t,
                int r, int c)
{
    char buf[64];

    rtable_cell_str(t, r, c, 0, buf, sizeof(buf));
    ui_put_right(ui, y, x, w, role, buf);
}

/* The legend: each series' mark and label, from X on, at most W columns. */
static void legend(struct ui *ui, int y, int x, int w, const struct rtable *t,
                   const struct chart *ch)
{
    int i, end = x + w;

    for (i = 0; i < ch->n; i++) {
        const struct rcol *c = &t->cols[ch->col[i]];
        const char *lab = rtable_label(c->en, c->lo, ui->lang);
        int lw = text_width(lab);

        if (x + 2 + lw > end)
            break;
        glyph(ui, y, x, ch->mode == CH_STACK && !colours(ui) ? mono_fill[i] : eighths[8],
              ch->n > 1 ? i : 0, -1);
        ui_put(ui, y, x + 2, lw, R_LABEL, lab);
        x += lw + 4;
    }
}

int ui_report_chart_draw(struct ui *ui, const struct rtable *t, int y, int h, int *top)
{
    struct chart ch;
    int x0 = 1, lw, sw = 0, nw[NSERIES + 1], area = 0, w, i, nlines, body = h - 1;
    const char *key = rtable_label(t->key_en, t->key_lo, ui->lang);

    if (!chart_spec(t, &ch)) {
        free(ch.rows);
        return 0;
    }
    lw = text_width(key);
    for (i = 0; i < ch.nrows; i++) {
        const struct rrow *row = &t->rows[ch.rows[i]];
        int rw = text_width(rtable_label(row->en, row->lo, ui->lang));

        if (rw > lw)
            lw = rw;
    }
    if (lw > ui->cols / 4)
        lw = ui->cols / 4;
    /* Numbers right of the bars: every part and the total when stacked. */
    for (i = 0; i < ch.n; i++) {
        const struct rcol *c = &t->cols[ch.col[i]];
        int hw = text_width(rtable_label(c->en, c->lo, ui->lang));

        nw[i] = num_width(t, &ch, ch.col[i]);
        if (ch.mode == CH_GROUP) {
            if (hw > sw)
                sw = hw;
            if (nw[i] > nw[0])
                nw[0] = nw[i];
        } else {
            nw[i] = head_width(nw[i], hw);
            area += nw[i] + 1;
        }
    }
    if (ch.mode == CH_STACK && ch.total >= 0) {
        const struct rcol *c = &t->cols[ch.total];

        nw[ch.n] = head_width(num_width(t, &ch, ch.total),
                              text_width(rtable_label(c->en, c->lo, ui->lang)));
        area += nw[ch.n] + 1;
    }
    if (ch.mode == CH_GROUP)
        area = nw[0] + 1 + sw + 1;
    w = ui->cols - x0 - lw - 1 - area - 2;
    if (w < 8)
        w = 8;

    nlines = ch.mode == CH_GROUP ? ch.nrows * ch.n : ch.nrows;
    if (*top > nlines - body)
        *top = nlines - body;
    if (*top < 0)
        *top = 0;

    /* Header: the row key, the legend over the bars, the numbers' names. */
    ui_put(ui, y, x0, lw, R_HEADER, key);
    legend(ui, y, ch.mode == CH_GROUP ? x0 + lw + 1 + sw + 1 : x0 + lw + 1, w, t, &ch);
    if (ch.mode != CH_GROUP) {
        int x = x0 + lw + 1 + w + 1;

        for (i = 0; i <= ch.n; i++) {
            int c = i < ch.n ? ch.col[i] : ch.total;

            if (c < 0)
                continue;
            ui_put_right(ui, y, x, nw[i], R_HEADER, rtable_label(t->cols[c].en, t->cols[c].lo, ui->lang));
            x += nw[i] + 1;
        }
    }

    for (i = 0; i < body && *top + i < nlines; i++) {
        int li = *top + i, yy = y + 1 + i;
        int r = ch.rows[ch.mode == CH_GROUP ? li / ch.n : li];
        const struct rrow *row = &t->rows[r];
        enum ui_role role = row->is_total ? R_SECTION : R_NORMAL;

        if (ch.mode == CH_GROUP) {
            int k = li % ch.n;
            const struct rcol *c = &t->cols[ch.col[k]];

            if (k == 0 || i == 0)
                ui_put(ui, yy, x0, lw, R_LABEL, rtable_label(row->en, row->lo, ui->lang));
            ui_put(ui, yy, x0 + lw + 1, sw, R_DIM, rtable_label(c->en, c->lo, ui->lang));
            bar(ui, yy, x0 + lw + 1 + sw + 1, scale(cell(t, r, ch.col[k]), &ch, w), k);
            num(ui, yy, x0 + lw + 1 + sw + 1 + w + 1, nw[0], R_NORMAL, t, r, ch.col[k]);
            continue;
        }
        ui_put(ui, yy, x0, lw, row->is_total ? R_SECTION : R_LABEL,
               rtable_label(row->en, row->lo, ui->lang));
        if (!row->is_total) {
            if (ch.mode == CH_STACK)
                bar_stack(ui, yy, x0 + lw + 1, w, &ch, t, r);
            else
                bar(ui, yy, x0 + lw + 1, scale(cell(t, r, ch.col[0]), &ch, w), 0);
        }
        {
            int x = x0 + lw + 1 + w + 1, k;

            for (k = 0; k <= ch.n; k++) {
                int c = k < ch.n ? ch.col[k] : ch.total;

                if (c < 0)
                    continue;
                num(ui, yy, x, nw[k], role, t, r, c);
                x += nw[k] + 1;
            }
        }
    }
    if (*top > 0)
        ui_put(ui, y + 1, ui->cols - 1, 1, R_DIM, "▲");
    if (*top + body < nlines)
        ui_put(ui, y + body, ui->cols - 1, 1, R_DIM, "▼");
    free(ch.rows);
    return nlines;
}
