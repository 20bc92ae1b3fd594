/* Home: the three kinds of record with their counts, reports,
 * export/import, settings and about, quit.  Also the settings/about page. */
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "config.h"
#include "db.h"
#include "db_keys.h"
#include "db_rec.h"
#include "ui.h"
#include "util.h"

struct item {
    enum ui_act act;
    const char *key, *text, *def;
    const char *table;      /* record kinds: the table counted */
};

static const struct item items[] = {
    { ACT_CASES,    "1", "app.cases", "Victim cases", "cases" },
    { ACT_PROS,     "2", "app.prosecutions", "Prosecutions", "prosecutions" },
    { ACT_EVENTS,   "3", "app.events", "Prevention and NPA events", "events" },
    { ACT_REPORTS,  "4", "app.reports", "Reports", NULL },
    { ACT_XFER,     "5", "app.exchange", "Export / import (bundles, CSV)", NULL },
    { ACT_SETTINGS, "6", "app.settings", "Settings / about", NULL },
    { ACT_QUIT,     "q", "app.quit", "Quit", NULL },
};

struct home {
    int sel;
    unsigned long seen;     /* ui->changes when the counts were taken */
    int64_t count[3], drafts[3];
    int counted;
    int unacked;            /* bundles written here that no receipt acknowledges */
    char unacked_seqs[64];
};

static void recount(struct ui *ui, struct home *h)
{
    struct db_filter f;
    size_t i;

    for (i = 0; i < 3; i++) {
        memset(&f, 0, sizeof(f));
        h->count[i] = db_list_count(ui->db, items[i].table, &f);
        f.status = "draft";
        h->drafts[i] = db_list_count(ui->db, items[i].table, &f);
    }
    {
        struct sbuf b = {0};

        h->unacked = db_exports_unacked(ui->db, ui->app->cfg->office_code, &b);
        snprintf(h->unacked_seqs, sizeof(h->unacked_seqs), "%s", sbuf_str(&b));
        sbuf_free(&b);
    }
    h->seen = ui->changes;
    h->counted = 1;
}

static void home_draw(struct ui *ui, void *st)
{
    struct home *h = st;
    int y = ui->work_y + 1, x = 4;
    size_t i;

    if (!h->counted || h->seen != ui->changes)
        recount(ui, h);
    ui_put(ui, y, x, ui->cols - 2 * x, R_HEADER,
           ui_tr(ui, "home.title", "National Plan of Action on human trafficking — records"));
    y += 2;
    for (i = 0; i < ARRAY_LEN(items); i++) {
        const struct item *it = &items[i];
        enum ui_role role = (int)i == h->sel ? R_SELECT : R_NORMAL;

        if (i == 3 || i == ARRAY_LEN(items) - 1)
            y++;
        ui_putf(ui, y, x, 4, role, " %s ", it->key);
        ui_put(ui, y, x + 4, 40, role, ui_tr(ui, it->text, it->def));
        if (i < 3) {
            char n[64], d[64];

            snprintf(n, sizeof(n), "%lld", (long long)h->count[i]);
            ui_putf(ui, y, x + 44, 10, role, "%9s ", n);
            if (h->drafts[i] > 0) {
                snprintf(d, sizeof(d), "(%lld %s)", (long long)h->drafts[i],
                         ui_tr(ui, "home.drafts", "draft"));
                ui_put(ui, y, x + 56, ui->cols - x - 56, R_DIM, d);
            }
        }
        y++;
    }
    ui_put(ui, y + 2, x, ui->cols - 2 * x, R_DIM,
           ui_tr(ui, "home.hint", "Press a number, or move with ↑ ↓ and press Enter."));
    if (h->unacked > 0)
        ui_putf(ui, y + 4, x, ui->cols - 2 * x, R_WARN, "%s %s",
                ui_tr(ui, "home.unacked", "Bundles sent, no receipt back yet:"), h->unacked_seqs);
}

static void home_choose(struct ui *ui, struct home *h, enum ui_act act)
{
    size_t i;

    for (i = 0; i < ARRAY_LEN(items); i++)
        if (items[i].act == act)
            h->sel = (int)i;
    switch (act) {
    case ACT_CASES: ui_list_open(ui, "cases"); break;
    case ACT_PROS: ui_list_open(ui, "prosecutions"); break;
    case ACT_EVENTS: ui_list_open(ui, "events"); break;
    case ACT_REPORTS: ui_report_open(ui); break;
    case ACT_XFER: ui_xfer_open(ui); break;
    default: break;
    }
}

static void about_open(struct ui *ui);

static int home_key(struct ui *ui, void *st, const struct ui_event *ev)
{
    struct home *h = st;
    int n = (int)ARRAY_LEN(items);

    switch (ev->act) {
    case ACT_UP: h->sel = (h->sel + n - 1) % n; return 1;
    case ACT_DOWN: h->sel = (h->sel + 1) % n; return 1;
    case ACT_FIRST: case ACT_PGUP: h->sel = 0; return 1;
    case ACT_LAST: case ACT_PGDN: h->sel = n - 1; return 1;
    case ACT_OPEN:
        if (items[h->sel].act == ACT_QUIT)
            ui_quit(ui);
        else if (items[h->sel].act == ACT_SETTINGS)
            about_open(ui);
        else
            home_choose(ui, h, items[h->sel].act);
        return 1;
    case ACT_SETTINGS: h->sel = 5; about_open(ui); return 1;
    case ACT_CASES: case ACT_PROS: case ACT_EVENTS: case ACT_REPORTS: case ACT_XFER:
        home_choose(ui, h, ev->act);
        return 1;
    default:
        return 0;
    }
}

static const struct ui_screen home_screen = {
    .name = "home",
    .keys = KC_ALWAYS | KC_HOME | KC_MOVE | KC_OPEN,
    .draw = home_draw,
    .key = home_key,
    .free = free,
};

void ui_home_open(struct ui *ui)
{
    ui_push(ui, &home_screen, xcalloc(1, sizeof(struct home)));
}

/* Settings / about: what this copy of tipdesk runs on (config.ini is edited
 * with a text editor; a change takes effect at the next start). */
static void about_draw(struct ui *ui, void *st)
{
    const struct config *c = ui->app->cfg;
    int y = ui->work_y + 1, w = ui->cols - 28;
    struct {
        const char *key, *def, *val;
    } rows[] = {
        { "about.version", "Version", TIPDESK_VERSION },
        { "about.config", "Config file", c->file },
        { "about.office", "Office", c->office_code },
        { "about.office_name", "Office name", c->office_name },
        { "about.level", "Level", config_level_name(c->level) },
        { "about.user", "User", c->user },
        { "about.database", "Database", c->db_path },
        { "about.forms", "Forms folder", c->forms_dir },
        { "about.exports", "Export folder", c->export_dir },
        { "about.language", "Language at start", c->language },
        { "about.date_format", "Date format", c->date_dmy ? "dd/mm/yyyy" : "yyyy-mm-dd" },
        { "about.colour", "Colour", ui->color ? "on" : "off" },
    };
    size_t i;
    char schema[32];

    (void)st;
    ui_put(ui, y, 2, ui->cols - 4, R_HEADER, ui_tr(ui, "about.title", "Settings and about"));
    y += 2;
    for (i = 0; i < ARRAY_LEN(rows); i++, y++) {
        ui_put(ui, y, 2, 24, R_LABEL, ui_tr(ui, rows[i].key, rows[i].def));
        ui_put(ui, y, 26, w, R_FIELD, rows[i].val ? rows[i].val : "");
    }
    snprintf(schema, sizeof(schema), "%d", db_schema_version(ui->db));
    ui_put(ui, y, 2, 24, R_LABEL, ui_tr(ui, "about.schema", "Database schema"));
    ui_put(ui, y++, 26, w, R_FIELD, schema);
    ui_put(ui, y + 1, 2, ui->cols - 4, R_DIM, ui_tr(ui, "about.hint",
           "Settings live in the config file; change it and start tipdesk again."));
}

static int about_key(struct ui *ui, void *st, const struct ui_event *ev)
{
    (void)st;
    if (ev->act == ACT_PASSWD)
        ui_login_passwd(ui);
    else if (ev->act == ACT_USERS)
        ui_users_open(ui);
    else
        return 0;
    return 1;
}

static const struct ui_screen about_screen = {
    .name = "about",
    .keys = KC_GLOBAL | KC_ACCOUNT,
    .draw = about_draw,
    .key = about_key,
};

static void about_open(struct ui *ui)
{
    ui_push(ui, &about_screen, NULL);
}
