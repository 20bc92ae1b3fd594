/* The small forms of user accounts: the login screen at start (a name and a
 * password shown as *, the lockout counted down on screen), changing one's
 * own password, and for an admin a new user or another user's password. */
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

#define NFIELDS 4
#define FIELD_MAX (USER_PASSWORD_MAX + 2)

/* The four small forms of this file. */
enum login_mode {
    LM_LOGIN,       /* name, password */
    LM_OWN,         /* change my password: current, new, again */
    LM_SET,         /* an admin sets another user's password: new, again */
    LM_ADD,         /* an admin adds a user: name, role, password, again */
    LM_COUNT
};

enum field_kind { FK_NONE, FK_TEXT, FK_SECRET, FK_ROLE };

static const struct {
    const char *key, *def;
    enum field_kind kind;
} fields[LM_COUNT][NFIELDS] = {
    [LM_LOGIN] = { { "login.name", "User name", FK_TEXT },
                   { "login.password", "Password", FK_SECRET } },
    [LM_OWN] = { { "login.pw_old", "Current password", FK_SECRET },
                 { "login.pw_new", "New password", FK_SECRET },
                 { "login.pw_again", "New password again", FK_SECRET } },
    [LM_SET] = { { "login.pw_new", "New password", FK_SECRET },
                 { "login.pw_again", "New password again", FK_SECRET } },
    [LM_ADD] = { { "login.name", "User name", FK_TEXT },
                 { "users.role", "Role", FK_ROLE },
                 { "login.password", "Password", FK_SECRET },
                 { "login.pw_again_plain", "Password again", FK_SECRET } },
};

struct login {
    enum login_mode mode;
    char who[DB_USER_NAME_MAX];     /* LM_SET: whose password */
    enum user_role role;            /* LM_ADD */
    int field;
    char val[NFIELDS][FIELD_MAX];
    int done;
};

static int nfields(const struct login *lg)
{
    int n = 0;

    while (n < NFIELDS && fields[lg->mode][n].kind != FK_NONE)
        n++;
    return n;
}

static void wipe(struct login *lg)
{
    sodium_memzero(lg->val, sizeof(lg->val));
}

static void login_draw(struct ui *ui, void *st)
{
    struct login *lg = st;
    int y = ui->work_y + 3, x = 10, i, lw = 26;
    /* whose lockout to count down: the name typed, or mine when I change
     * my password (a wrong current password counts too) */
    const char *name = lg->mode == LM_LOGIN ? lg->val[0]
                       : lg->mode == LM_OWN ? ui->app->cfg->user : NULL;
    long wait = name && *name && !user_name_check(name)
                ? user_lock_wait(ui->db, name, time(NULL)) : 0;

    switch (lg->mode) {
    case LM_LOGIN: ui_put(ui, y, x, ui->cols - 2 * x, R_HEADER, ui_tr(ui, "login.title", "Log in")); break;
    case LM_OWN:
        ui_put(ui, y, x, ui->cols - 2 * x, R_HEADER, ui_tr(ui, "login.change_title", "Change your password"));
        break;
    case LM_SET:
        ui_putf(ui, y, x, ui->cols - 2 * x, R_HEADER, "%s %s",
                ui_tr(ui, "users.set_title", "New password for"), lg->who);
        break;
    default: ui_put(ui, y, x, ui->cols - 2 * x, R_HEADER, ui_tr(ui, "users.add_title", "New user")); break;
    }
    y += 2;
    for (i = 0; i < nfields(lg); i++, y += 2) {
        char stars[FIELD_MAX], shown[64];
        size_t n = text_cp_count(lg->val[i]);
        enum field_kind kind = fields[lg->mode][i].kind;
        const char *v = lg->val[i];

        if (n > sizeof(stars) - 1)
            n = sizeof(stars) - 1;
        memset(stars, '*', n);
        stars[n] = '\0';
        if (kind == FK_SECRET)
            v = stars;
        else if (kind == FK_ROLE) {
            snprintf(shown, sizeof(shown), "◂ %s ▸", ui_role_label(ui, lg->role));
            v = shown;
        }
        ui_put(ui, y, x, lw, R_LABEL, ui_tr(ui, fields[lg->mode][i].key, fields[lg->mode][i].def));
        ui_put(ui, y, x + lw, 34, i == lg->field ? R_CURFIELD : R_FIELD, v);
        if (i == lg->field) {
            ui->cur_y = y;
            ui->cur_x = x + lw + (kind == FK_SECRET ? (int)n : kind == FK_ROLE ? 2 : text_width(v));
        }
    }
    if (wait > 0)
        ui_putf(ui, y + 1, x, ui->cols - 2 * x, R_ERROR, "%s %ld %s",
                ui_tr(ui, "login.locked", "Too many wrong passwords: try again in"), wait,
                ui_tr(ui, "login.seconds", "seconds"));
    else if (fields[lg->mode][lg->field].kind == FK_ROLE)
        ui_put(ui, y + 1, x, ui->cols - x - 1, R_DIM, ui_tr(ui, "users.role_hint",
               "Space, ← or → changes the role; or type c, s, v or a."));
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

/* The two new passwords of fields A and A + 1 are the same and long
 * enough; else says so and puts the cursor on A. */
static int new_pair_ok(struct ui *ui, struct login *lg, int a)
{
    if (strcmp(lg->val[a], lg->val[a + 1]) != 0)
        ui_msg(ui, R_ERROR, "%s", ui_tr(ui, "login.differ", "The two new passwords differ."));
    else if (strlen(lg->val[a]) < USER_PASSWORD_MIN)
        ui_msg(ui, R_ERROR, "%s", ui_tr(ui, "login.short",
               "The new password is too short: at least 8 characters."));
    else
        return 1;
    /* both typed again, from the first */
    sodium_memzero(lg->val[a], sizeof(lg->val[a]));
    sodium_memzero(lg->val[a + 1], sizeof(lg->val[a + 1]));
    lg->field = a;
    return 0;
}

static void submit(struct ui *ui, struct login *lg)
{
    const char *me = ui->app->cfg->user;

    switch (lg->mode) {
    case LM_LOGIN:
        try_login(ui, lg);
        return;
    case LM_OWN:
        if (!new_pair_ok(ui, lg, 1))
            return;
        if (user_login(ui->db, me, lg->val[0], time(NULL), NULL) < 0 ||
            user_set_password(ui->db, me, lg->val[1], me) < 0) {
            ui_msg(ui, R_ERROR, "%s", err_msg());
            lg->field = 0;
            return;
        }
        ui_msg(ui, R_GOOD, "%s", ui_tr(ui, "login.changed", "Password changed."));
        break;
    case LM_SET:
        if (!new_pair_ok(ui, lg, 0))
            return;
        if (user_set_password(ui->db, lg->who, lg->val[0], me) < 0) {
            ui_msg(ui, R_ERROR, "%s", err_msg());
            return;
        }
        ui_msg(ui, R_GOOD, "%s %s.", ui_tr(ui, "users.set_done", "New password set for"), lg->who);
        break;
    default:
        if (user_name_check(lg->val[0]) < 0) {
            ui_msg(ui, R_ERROR, "%s", err_msg());
            lg->field = 0;
            return;
        }
        if (!new_pair_ok(ui, lg, 2))
            return;
        if (user_add(ui->db, lg->val[0], lg->role, lg->val[2], me) < 0) {
            ui_msg(ui, R_ERROR, "%s", err_msg());
            lg->field = 0;
            return;
        }
        ui_msg(ui, R_GOOD, "%s %s (%s).", ui_tr(ui, "users.added", "User added:"), lg->val[0],
               ui_role_label(ui, lg->role));
        break;
    }
    lg->done = 1;
    ui->changes++;
    ui_pop(ui);
}

/* The role field: Space and the arrows go round the roles; the first
 * letter of a role's name (user_role_name) picks it. */
static int role_key(struct login *lg, const struct ui_event *ev)
{
    enum { NROLES = ROLE_ADMIN + 1 };
    int r;

    if (ev->ch == ' ' || ev->act == ACT_RIGHT) {
        lg->role = (enum user_role)(((int)lg->role + 1) % NROLES);
        return 1;
    }
    if (ev->act == ACT_LEFT) {
        lg->role = (enum user_role)(((int)lg->role + NROLES - 1) % NROLES);
        return 1;
    }
    for (r = 0; ev->ch && ev->ch < 0x80 && r < NROLES; r++)
        if (user_role_name((enum user_role)r)[0] == (char)(ev->ch | 0x20)) {
            lg->role = (enum user_role)r;
            return 1;
        }
    return ev->ch != 0;     /* other text does not go into this field */
}

static int login_key(struct ui *ui, void *st, const struct ui_event *ev)
{
    struct login *lg = st;
    char *v = lg->val[lg->field];
    char buf[4];
    int n;

    if (fields[lg->mode][lg->field].kind == FK_ROLE && role_key(lg, ev))
        return 1;
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
        /* Enter goes on to the next field while it is empty (a role is
         * never empty: Enter goes on from it). */
        if (lg->field < nfields(lg) - 1 && (!lg->val[lg->field + 1][0] ||
                fields[lg->mode][lg->field].kind == FK_ROLE)) {
            lg->field++;
            return 1;
        }
        submit(ui, lg);
        return 1;
    case ACT_BACK:
        if (lg->mode == LM_LOGIN)
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
    .keys = KC_GLOBAL | KC_EDIT | KC_ACCOUNT_FORM | KC_LOGIN,
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

static void open_mode(struct ui *ui, enum login_mode mode, const char *who)
{
    struct login *lg = xcalloc(1, sizeof(*lg));

    lg->mode = mode;
    lg->role = ROLE_CLERK;
    if (who)
        snprintf(lg->who, sizeof(lg->who), "%s", who);
    ui_push(ui, &passwd_screen, lg);
}

void ui_login_passwd(struct ui *ui)
{
    open_mode(ui, LM_OWN, NULL);
}

void ui_login_set_password(struct ui *ui, const char *name)
{
    open_mode(ui, LM_SET, name);
}

void ui_login_add_user(struct ui *ui)
{
    open_mode(ui, LM_ADD, NULL);
}
