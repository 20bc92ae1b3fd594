/* Who is working: the --user/--password-file options, logging in for the
 * commands that change data or write identified files, and which role each
 * command needs (one table, so the policy reads in one place). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sodium.h>
#include <time.h>

#include "app.h"
#include "db_user.h"
#include "user.h"
#include "util.h"

/* Takes "--user NAME", "--user=NAME", "--password-file FILE" and
 * "--password-file=FILE" out of ARGV (before a "--"), wherever they are. */
int app_take_login_args(struct app *app, int *argc, char **argv)
{
    static const char *const names[] = { "--user", "--password-file" };
    const char **slot[2];
    int i, k, out = 1;

    slot[0] = &app->login_name;
    slot[1] = &app->password_file;
    for (i = 1; i < *argc; i++) {
        const char *a = argv[i];
        int taken = 0;

        if (strcmp(a, "--") == 0) {
            while (i < *argc)
                argv[out++] = argv[i++];
            break;
        }
        for (k = 0; k < 2 && !taken; k++) {
            size_t n = strlen(names[k]);

            if (strncmp(a, names[k], n) != 0)
                continue;
            if (a[n] == '=') {
                *slot[k] = a + n + 1;
                taken = 1;
            } else if (a[n] == '\0') {
                if (i + 1 >= *argc)
                    return err_set("%s needs a value", names[k]);
                *slot[k] = argv[++i];
                taken = 1;
            }
        }
        if (!taken)
            argv[out++] = argv[i];
    }
    argv[out] = NULL;
    *argc = out;
    return 0;
}

const char *app_login_name(const struct app *app)
{
    const char *n = app->login_name;

    if (util_empty(n))
        n = getenv("TIPDESK_USER");
    return util_empty(n) ? NULL : n;
}

const char *app_password_file(const struct app *app)
{
    const char *f = app->password_file;

    if (util_empty(f))
        f = getenv("TIPDESK_PASSWORD_FILE");
    return util_empty(f) ? NULL : f;
}

void app_set_user(struct app *app, const char *name, int role)
{
    free(app->cfg->user);
    app->cfg->user = xstrdup(name);
    app->role = role;
    app->logged_in = 1;
}

int app_login(struct app *app, int perm, const char *what)
{
    const char *name = app_login_name(app);
    char pw[USER_PASSWORD_MAX + 2], prompt[200];
    struct db_user u;
    struct db *db;
    int rc, users;

    if (!app->logged_in) {
        if (!name)
            return err_set("%s needs a login: give --user NAME (or set TIPDESK_USER) and the "
                           "password when asked (or --password-file FILE, mode 0600)", what);
        if (!(db = app->db ? app->db : app_db(app, 0)))
            return -1;
        if ((users = db_user_count(db)) < 0)
            return -1;
        if (users == 0)
            return err_set("%s has no users yet: create the administrator first with "
                           "'tipdesk init --admin NAME'", app->cfg->db_path);
        snprintf(prompt, sizeof(prompt), "Password for %s: ", name);
        rc = user_password_read(app_password_file(app), prompt, pw, sizeof(pw));
        if (rc == 0)
            rc = user_login(db, name, pw, time(NULL), &u);
        sodium_memzero(pw, sizeof(pw));
        if (rc < 0)
            return -1;
        app_set_user(app, u.name, user_role_parse(u.role));
    }
    if (perm >= 0 && !user_can((enum user_role)app->role, (enum user_perm)perm))
        return err_set("%s needs %s; '%s' is a %s", what, user_perm_roles((enum user_perm)perm),
                       app->cfg->user, user_role_name((enum user_role)app->role));
    return 0;
}

static int has_arg(int argc, char **argv, const char *a)
{
    int i;

    for (i = 1; i < argc; i++)
        if (strcmp(argv[i], a) == 0)
            return 1;
    return 0;
}

/* The permission command ARGV needs (-1: none, no login).  Reading commands
 * (report, check, export dhis2, a rotating backup) stay open for the centre's
 * scripts; whatever changes records or writes identified data needs a role. */
static int command_perm(int argc, char **argv)
{
    const char *c = argv[0];

    if (has_arg(argc, argv, "--help") || has_arg(argc, argv, "-h"))
        return -1;
    if (!strcmp(c, "import") || !strcmp(c, "demo"))
        return PERM_XFER;
    if (!strcmp(c, "keys"))
        return PERM_KEYS;
    /* A record's past as anyone may see the record: names for those who may. */
    if (!strcmp(c, "history"))
        return PERM_REPORT;
    if (!strcmp(c, "backup"))
        return argc > 1 ? PERM_XFER : -1;
    if (!strcmp(c, "export")) {
        if (argc > 1 && !strcmp(argv[1], "dhis2"))
            return -1;
        return has_arg(argc, argv, "--deidentify") ? PERM_DEIDENT : PERM_XFER;
    }
    return -1;
}

void app_login_for_command(struct app *app, int argc, char **argv)
{
    int perm = command_perm(argc, argv);

    if (perm < 0)
        return;
    app->login_needed = 1;
    app->login_perm = perm;
    snprintf(app->login_what, sizeof(app->login_what), "'tipdesk %s'", argv[0]);
}

int app_login_pending(struct app *app, int fresh)
{
    const char *name = app_login_name(app);

    if (!app->login_needed)
        return 0;
    app->login_needed = 0;
    /* A command that creates the database (demo on a new office) makes the
     * user given its administrator, as init does. */
    if (fresh && name && db_user_count(app->db) == 0 && app_create_admin(app, app->db, name) < 0)
        return -1;
    return app_login(app, app->login_perm, app->login_what);
}
