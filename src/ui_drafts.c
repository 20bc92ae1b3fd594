/* Drafts left by an earlier run (a power cut, a killed program, quitting
 * with unsaved changes): listed at start so each can be resumed or
 * discarded. */
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "app.h"
#include "db_draft.h"
#include "record.h"
#include "ui.h"
#include "util.h"

#define MAX_DRAFTS 100

struct drafts {
    struct db_draft d[MAX_DRAFTS];
    char what[MAX_DRAFTS][200];
    int n, sel;
    unsigned long seen;
};

static void drafts_load(struct ui *ui, struct drafts *s)
{
    int i;

    s->n = db_draft_list(ui->db, NULL, s->d, MAX_DRAFTS);
    if (s->n < 0) {
        ui_msg(ui, R_ERROR, "%s", err_msg());
        s->n = 0;
    }
    for (i = 0; i < s->n; i++) {
        struct rec *r = db_draft_get(ui->db, s->d[i].id);
        const char *ref = r ? rec_get(r, "ref") : NULL;
        const char *a = r ? rec_get(r, "first_name") : NULL, *b = r ? rec_get(r, "last_name") : NULL;

        if (r && !a)
            a = rec_get(r, "title") ? rec_get(r, "title") : rec_get(r, "court_case_no");
        snprintf(s->what[i], sizeof(s->what[i]), "%s %s %s", ref ? ref
                 : ui_tr(ui, "entry.new", "(new)"), a ? a : "", b ? b : "");
        rec_free(r);
    }
    if (s->sel >= s->n)
        s->sel = s->n ? s->n - 1 : 0;
    s->seen = ui->changes;
}

static const char *kind(const struct ui *ui, const char *form)
{
    if (strcmp(form, "cases") == 0)
        return ui_tr(ui, "drafts.case", "case");
    if (strcmp(form, "prosecutions") == 0)
        return ui_tr(ui, "drafts.prosecution", "prosecution");
    return ui_tr(ui, "drafts.event", "event");
}

static void drafts_draw(struct ui *ui, void *st)
{
    struct drafts *s = st;
    int y = ui->work_y, i;

    if (s->seen != ui->changes)
        drafts_load(ui, s);
    ui_put(ui, y++, 0, ui->cols, R_HEADER, ui_tr(ui, "drafts.title",
           "Unsaved work found: Enter resumes it, d discards it, Esc leaves it for later"));
    y++;
    for (i = 0; i < s->n && y < ui->work_y + ui->work_h; i++, y++) {
        enum ui_role role = i == s->sel ? R_SELECT : R_NORMAL;
        char when[32];

        snprintf(when, sizeof(when), "%.10s %.5s", s->d[i].updated_at, s->d[i].updated_at + 11);
        ui_put(ui, y, 0, ui->cols, role, "");
        ui_put(ui, y, 1, 12, role, kind(ui, s->d[i].form));
        ui_put(ui, y, 13, 17, role, when);
        ui_put(ui, y, 30, 12, role, s->d[i].user);
        ui_put(ui, y, 42, ui->cols - 43, role, s->what[i]);
    }
    if (!s->n)
        ui_put(ui, y, 1, ui->cols - 2, R_DIM, ui_tr(ui, "drafts.none", "No unsaved work left."));
}

static int drafts_key(struct ui *ui, void *st, const struct ui_event *ev)
{
    struct drafts *s = st;
    const struct db_draft *d = s->n ? &s->d[s->sel] : NULL;

    switch (ev->act) {
    case ACT_UP: if (s->sel > 0) s->sel--; return 1;
    case ACT_DOWN: if (s->sel + 1 < s->n) s->sel++; return 1;
    case ACT_OPEN:
        if (d) {
            ui_form_open(ui, d->form, d->record_uuid[0] ? d->record_uuid : NULL, d->id);
            ui->changes++;      /* reload this list when the form is done */
        }
        return 1;
    case ACT_DELETE:
        if (d && ui_confirm(ui, ui_tr(ui, "drafts.ask_discard", "Discard this unsaved work?"))) {
            if (db_draft_delete(ui->db, d->id) < 0)
                ui_msg(ui, R_ERROR, "%s", err_msg());
            drafts_load(ui, s);
        }
        return 1;
    default:
        return 0;
    }
}

static const struct ui_screen drafts_screen = {
    .name = "drafts",
    .keys = KC_GLOBAL | KC_DISCARD | KC_MOVE | KC_OPEN,
    .draw = drafts_draw,
    .key = drafts_key,
    .free = free,
};

void ui_drafts_offer(struct ui *ui)
{
    struct drafts *s = xcalloc(1, sizeof(*s));

    drafts_load(ui, s);
    if (!s->n) {
        free(s);
        return;
    }
    ui_push(ui, &drafts_screen, s);
}
