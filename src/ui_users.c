/* Users, for an admin: everyone who may log in to this database with their
 * role and state; a new user, a new password for one, disabling and
 * enabling.  The rules (names, passwords, not disabling oneself) are
 * user.c's, the same as 'tipdesk user'. */
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#include <curses.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "db_user.h"
#include "text.h"
#include "ui.h"
#include "user.h"
#include "util.h"

struct users {
    struct db_user *v;      /* no hashes kept */
    size_t n, cap;
    int sel, top;
    int loaded;
    unsigned long seen;     /* ui->changes when read */
};

static int add_one(const struct db_user *u, void *arg)
{
    struct users *s = arg;

    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 16;
        s->v = xrealloc(s->v, s->cap * sizeof(*s->v));
    }
    s->v[s->n] = *u;
    sodium_memzero(s->v[s->n].hash, sizeof(s->v[s->n].hash));
    s->n++;
    return 0;
}

/* Reads the users again when a change was made since (here or on a form
 * this screen opened). */
static void reload(struct ui *ui, struct users *s)
{
    if (s->loaded && s->seen == ui->changes)
        return;
    s->loaded = 1;
    s->seen = ui->changes;
    s->n = 0;
    if (db_user_each(ui->db, add_one, s) < 0)
        ui_msg(ui, R_ERROR, "%s", err_msg());
    if (s->sel >= (int)s->n)
        s->sel = s->n ? (int)s->n - 1 : 0;
}

static const char *state_label(struct ui *ui, const struct db_user *u, time_t now)
{
    if (u->disabled)
        return ui_tr(ui, "users.disabled", "disabled");
    if (u->locked_until > now)
        return ui_tr(ui, "users.locked", "locked");
    return ui_tr(ui, "users.active", "active");
}

/* CHANGED_AT (ISO, UTC) as the date the screens show, in OUT (size N). */
static void changed_text(const struct ui *ui, const char *iso, char *out, size_t n)
{
    if (strlen(iso) < 10)
        snprintf(out, n, "%s", iso);
    else if (ui->dmy)
        snprintf(out, n, "%.2s/%.2s/%.4s", iso + 8, iso + 5, iso);
    else
        snprintf(out, n, "%.10s", iso);
}

static void users_draw(struct ui *ui, void *st)
{
    struct users *s = st;
    int y = ui->work_y, rows = ui->work_h - 3, i;
    time_t now = time(NULL);

    reload(ui, s);
    ui_putf(ui, y, 1, ui->cols - 2, R_HEADER, "%s: %zu", ui_tr(ui, "users.title", "Users"), s->n);
    ui_put(ui, y + 1, 1, ui->cols - 2, R_LABEL, "");
    ui_put(ui, y + 1, 2, 24, R_LABEL, ui_tr(ui, "login.name", "User name"));
    ui_put(ui, y + 1, 27, 16, R_LABEL, ui_tr(ui, "users.role", "Role"));
    ui_put(ui, y + 1, 44, 14, R_LABEL, ui_tr(ui, "users.state", "State"));
    ui_put(ui, y + 1, 59, ui->cols - 60, R_LABEL, ui_tr(ui, "users.changed", "Changed"));
    if (s->sel < s->top)
        s->top = s->sel;
    if (s->sel >= s->top + rows)
        s->top = s->sel - rows + 1;
    for (i = 0; i < rows && s->top + i < (int)s->n; i++) {
        const struct db_user *u = &s->v[s->top + i];
        enum ui_role role = s->top + i == s->sel ? R_SELECT : u->disabled ? R_DIM : R_NORMAL;
        char when[sizeof(u->changed_at)];

        changed_text(ui, u->changed_at, when, sizeof(when));
        ui_put(ui, y + 2 + i, 1, ui->cols - 2, role, "");
        ui_put(ui, y + 2 + i, 2, 24, role, u->name);
        ui_put(ui, y + 2 + i, 27, 16, role, ui_role_label(ui, user_role_parse(u->role)));
        ui_put(ui, y + 2 + i, 44, 14, role, state_label(ui, u, now));
        ui_put(ui, y + 2 + i, 59, ui->cols - 60, role, when);
    }
    if (!ui->msg[0])
        ui_msg(ui, R_MSG, "%s", ui_tr(ui, "users.hint",
               "n adds a user; p gives the one selected a new password; d disables, e enables."));
}

/* Disables or enables the selected user, asking first before disabling. */
static void set_disabled(struct ui *ui, struct users *s, int off)
{
    const struct db_user *u;
    char q[300];

    if (!s->n)
        return;
    u = &s->v[s->sel];
    if (!u->disabled == !off) {
        ui_msg(ui, R_WARN, "%s %s", u->name, off ? ui_tr(ui, "users.already_off", "is disabled already.")
                                                 : ui_tr(ui, "users.already_on", "is not disabled."));
        return;
    }
    /* Not asked for oneself: user.c refuses that, and says why. */
    if (off && strcmp(u->name, ui->app->cfg->user) != 0) {
        snprintf(q, sizeof(q), "%s %s? %s", ui_tr(ui, "users.ask_disable", "Disable"), u->name,
                 ui_tr(ui, "users.ask_disable_why", "They can no longer log in. (y/n)"));
        if (!ui_confirm(ui, q))
            return;
    }
    if (user_set_disabled(ui->db, u->name, off, ui->app->cfg->user) < 0) {
        ui_msg(ui, R_ERROR, "%s", err_msg());
        return;
    }
    ui->changes++;
    ui_msg(ui, R_GOOD, "%s %s", u->name, off ? ui_tr(ui, "users.now_off", "is disabled.")
                                              : ui_tr(ui, "users.now_on", "can log in again."));
}

static int users_key(struct ui *ui, void *st, const struct ui_event *ev)
{
    struct users *s = st;
    int page = ui->work_h - 3;

    switch (ev->act) {
    case ACT_UP: if (s->sel > 0) s->sel--; return 1;
    case ACT_DOWN: if (s->sel + 1 < (int)s->n) s->sel++; return 1;
    case ACT_PGUP: s->sel = s->sel > page ? s->sel - page : 0; return 1;
    case ACT_PGDN: s->sel = s->sel + page < (int)s->n ? s->sel + page : (s->n ? (int)s->n - 1 : 0); return 1;
    case ACT_FIRST: s->sel = 0; return 1;
    case ACT_LAST: s->sel = s->n ? (int)s->n - 1 : 0; return 1;
    case ACT_NEW: ui_login_add_user(ui); return 1;
    case ACT_PASSWD:
        if (s->n)
            ui_login_set_password(ui, s->v[s->sel].name);
        return 1;
    case ACT_DELETE: set_disabled(ui, s, 1); return 1;
    case ACT_UNDELETE: set_disabled(ui, s, 0); return 1;
    default: return 0;
    }
}

static void users_free(void *st)
{
    struct users *s = st;

    free(s->v);
    free(s);
}

static const struct ui_screen users_screen = {
    .name = "users",
    .keys = KC_GLOBAL | KC_MOVE | KC_USERS,
    .draw = users_draw,
    .key = users_key,
    .free = users_free,
};

void ui_users_open(struct ui *ui)
{
    ui_push(ui, &users_screen, xcalloc(1, sizeof(struct users)));
}
