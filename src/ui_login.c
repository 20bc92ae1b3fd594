/* The login screen at start and the password change: a name and a password
 * (shown as *), the lockout counted down on screen. */
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

#define NFIELDS 3
#define FIELD_MAX (USER_PASSWORD_MAX + 2)

struct login {
    int change;                 /* 0: log in (name, password); 1: change password */
    int field;
    char val[NFIELDS][FIELD_MAX];
    int done;
};

static int nfields(const struct login *lg)
{
    return lg->change ? 3 : 2;
}

static void wipe(struct login *lg)
{
    sodium_memzero(lg->val, sizeof(lg->val));
}

static const char *label(struct ui *ui, const struct login *lg, int i)
{
    static const char *const keys[2][NFIELDS] = {
        { "login.name", "login.password", "" },
        { "login.pw_old", "login.pw_new", "login.pw_again" } };
    static const char *const defs[2][NFIELDS] = {
        { "User name", "Password", "" },
        { "Current password", "New password", "New password again" } };

    return ui_tr(ui, keys[lg->change][i], defs[lg->change][i]);
}

static void login_draw(struct ui *ui, void *st)
{
    struct login *lg = st;
    int y = ui->work_y + 3, x = 10, i, lw = 26;
    const char *name = lg->change ? ui->app->cfg->user : lg->val[0];
    long wait = name && *name && !user_name_check(name)
                ? user_lock_wait(ui->db, name, time(NULL)) : 0;

    ui_put(ui, y, x, ui->cols - 2 * x, R_HEADER, lg->change
           ? ui_tr(ui, "login.change_title", "Change your password")
           : ui_tr(ui, "login.title", "Log in"));
    y += 2;
    for (i = 0; i < nfields(lg); i++, y += 2) {
        char stars[FIELD_MAX];
        size_t n = text_cp_count(lg->val[i]);
        int secret = lg->change || i == 1;

        if (n > sizeof(stars) - 1)
            n = sizeof(stars) - 1;
        memset(stars, '*', n);
        stars[n] = '\0';
        ui_put(ui, y, x, lw, R_LABEL, label(ui, lg, i));
        ui_put(ui, y, x + lw, 34, i == lg->field ? R_CURFIELD : R_FIELD,
               secret ? stars : lg->val[i]);
        if (i == lg->field) {
            ui->cur_y = y;
            ui->cur_x = x + lw + (secret ? (int)n : text_width(lg->val[i]));
        }
    }
    if (wait > 0)
        ui_putf(ui, y + 1, x, ui->cols - 2 * x, R_ERROR, "%s %ld %s",
                ui_tr(ui, "login.locked", "Too many wrong passwords: try again in"), wait,
                ui_tr(ui, "login.seconds", "seconds"));
    else
        ui_put(ui, y + 1, x, ui->cols - 2 * x, R_DIM,
               ui_tr(ui, "login.hint", "Type, then Enter; Tab moves between the fields."));
}

static void backspace(char *s)
{
    size_t n = strlen(s);

    while (n > 0 && ((unsigned char)s[n - 1] & 0xc0) == 0x80)
        n--;
    if (n > 0)
        n--;
    s[n] = '\0';
}

static void try_login(struct ui *ui, struct login *lg)
{
    struct db_user u;

    if (user_login(ui->db, lg->val[0], lg->val[1], time(NULL), &u) < 0) {
        ui_msg(ui, R_ERROR, "%s", err_msg());
        sodium_memzero(lg->val[1], sizeof(lg->val[1]));
        lg->field = 1;
        return;
    }
    app_set_user(ui->app, u.name, user_role_parse(u.role));
    lg->done = 1;
    ui_pop(ui);
}

static void try_change(struct ui *ui, struct login *lg)
{
    char hash[DB_USER_HASH_MAX];
    const char *me = ui->app->cfg->user;

    if (strcmp(lg->val[1], lg->val[2]) != 0) {
        ui_msg(ui, R_ERROR, "%s", ui_tr(ui, "login.differ", "The two new passwords differ."));
        lg->field = 1;
        return;
    }
    if (strlen(lg->val[1]) < USER_PASSWORD_MIN) {
        ui_msg(ui, R_ERROR, "%s", ui_tr(ui, "login.short",
               "The new password is too short: at least 8 characters."));
        lg->field = 1;
        return;
    }
    if (user_login(ui->db, me, lg->val[0], time(NULL), NULL) < 0 ||
        user_hash(lg->val[1], hash, sizeof(hash)) < 0 ||
        db_user_set_hash(ui->db, me, hash, me) < 0) {
        ui_msg(ui, R_ERROR, "%s", err_msg());
        lg->field = 0;
        return;
    }
    ui_msg(ui, R_GOOD, "%s", ui_tr(ui, "login.changed", "Password changed."));
    lg->done = 1;
    ui_pop(ui);
}

static int login_key(struct ui *ui, void *st, const struct ui_event *ev)
{
    struct login *lg = st;
    char *v = lg->val[lg->field];
    char buf[4];
    int n;

    if (ev->ch) {
        n = text_encode((uint32_t)ev->ch, buf);
        if (n > 0 && strlen(v) + (size_t)n < FIELD_MAX - 1)
            strncat(v, buf, (size_t)n);
        return 1;
    }
    switch (ev->act) {
    case ACT_BKSP: backspace(v); return 1;
    case ACT_CLEAR: v[0] = '\0'; return 1;
    case ACT_NEXT: lg->field = (lg->field + 1) % nfields(lg); return 1;
    case ACT_PREV: lg->field = (lg->field + nfields(lg) - 1) % nfields(lg); return 1;
    case ACT_OPEN:
        if (lg->field < nfields(lg) - 1 && !lg->val[lg->field + 1][0]) {
            lg->field++;
            return 1;
        }
        if (lg->change)
            try_change(ui, lg);
        else
            try_login(ui, lg);
        return 1;
    case ACT_BACK:
        if (!lg->change)
            return 1;       /* nothing behind the login screen */
        ui_pop(ui);
        return 1;
    default: return 0;
    }
}

static void login_free(void *st)
{
    wipe(st);
    free(st);
}

static const struct ui_screen login_screen = {
    .name = "login",
    .keys = KC_ALWAYS | KC_EDIT | KC_LOGIN,
    .draw = login_draw,
    .key = login_key,
    .free = login_free,
};
static const struct ui_screen passwd_screen = {
    .name = "passwd",
    .keys = KC_GLOBAL | KC_EDIT | KC_LOGIN,
    .draw = login_draw,
    .key = login_key,
    .free = login_free,
};

int ui_login_run(struct ui *ui)
{
    struct login *lg = xcalloc(1, sizeof(*lg));
    int idle = ui->idle_ms;

    /* A name given with --user (or TIPDESK_USER) is filled in. */
    if (app_login_name(ui->app) && !user_name_check(app_login_name(ui->app))) {
        snprintf(lg->val[0], sizeof(lg->val[0]), "%s", app_login_name(ui->app));
        lg->field = 1;
    }
    /* Redraw every second so that a lockout counts down. */
    ui->idle_ms = 1000;
    ui_push(ui, &login_screen, lg);
    ui_loop(ui, ui->depth);
    ui->idle_ms = idle;
    return ui->app->logged_in ? 0 : -1;
}

void ui_login_passwd(struct ui *ui)
{
    struct login *lg = xcalloc(1, sizeof(*lg));

    lg->change = 1;
    ui_push(ui, &passwd_screen, lg);
}
