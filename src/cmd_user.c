/* tipdesk user add|passwd|list|disable, and the first administrator that
 * init creates. */
#include <getopt.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "db_user.h"
#include "text.h"
#include "user.h"
#include "util.h"

static const char user_usage[] =
    "user add NAME --role clerk|supervisor|viewer|admin [--new-password-file FILE]\n"
    "       tipdesk user passwd NAME [--new-password-file FILE]\n"
    "       tipdesk user list\n"
    "       tipdesk user disable|enable NAME\n"
    "An admin logs in (--user NAME, password asked or --password-file FILE) to\n"
    "manage users; anyone may change their own password with 'user passwd'.\n"
    "The new password is asked twice without echo, or read from the first line\n"
    "of --new-password-file FILE (mode 0600).  At least 8 characters.";

static int fail(const char *sub)
{
    fprintf(stderr, "tipdesk user %s: %s\n", sub, err_msg());
    return EXIT_FAIL;
}

/* With a new password for NAME from FILE or the terminal: adds NAME with
 * ROLE (ROLE_NONE: sets NAME's password instead), done by BY. */
static int with_new_password(struct db *db, const char *file, const char *name,
                             enum user_role role, const char *by)
{
    char pw[USER_PASSWORD_MAX + 2];
    int rc = user_password_new(file, name, pw, sizeof(pw));

    if (rc == 0)
        rc = role == ROLE_NONE ? user_set_password(db, name, pw, by)
                               : user_add(db, name, role, pw, by);
    sodium_memzero(pw, sizeof(pw));
    return rc;
}

int app_create_admin(struct app *app, struct db *db, const char *name)
{
    if (user_name_check(name) < 0 ||
        with_new_password(db, app_password_file(app), name, ROLE_ADMIN, name) < 0)
        return -1;
    app_set_user(app, name, ROLE_ADMIN);
    return 0;
}

static int list_one(const struct db_user *u, void *arg)
{
    time_t now = *(const time_t *)arg;
    int pad = 20 - text_width(u->name);     /* Lao names: columns, not bytes */

    printf("%s%*s %-10s %-8s %s\n", u->name, pad > 0 ? pad : 0, "", u->role,
           u->disabled ? "disabled" : u->locked_until > now ? "locked" : "active", u->changed_at);
    return 0;
}

static int run_sub(struct app *app, const char *sub, const char *name, const char *role,
                   const char *newfile)
{
    char what[64];
    struct db_user u;
    time_t now = time(NULL);
    int r;

    snprintf(what, sizeof(what), "'tipdesk user %s'", sub);
    if (!strcmp(sub, "passwd")) {
        /* Anyone may change their own password; others' need an admin. */
        if (app_login(app, -1, what) < 0 ||
            (strcmp(name, app->cfg->user) != 0 && app_login(app, PERM_USERS, what) < 0))
            return fail(sub);
        if (with_new_password(app->db, newfile, name, ROLE_NONE, app->cfg->user) < 0)
            return fail(sub);
        printf("user %s: password changed\n", name);
        return EXIT_OK;
    }
    if (app_login(app, PERM_USERS, what) < 0)
        return fail(sub);
    if (!strcmp(sub, "list")) {
        printf("%-20s %-10s %-8s %s\n", "name", "role", "state", "changed");
        return db_user_each(app->db, list_one, &now) < 0 ? fail(sub) : EXIT_OK;
    }
    if (!strcmp(sub, "disable") || !strcmp(sub, "enable")) {
        int off = !strcmp(sub, "disable");

        if (user_set_disabled(app->db, name, off, app->cfg->user) < 0)
            return fail(sub);
        printf("user %s: %s\n", name, off ? "disabled" : "enabled");
        return EXIT_OK;
    }
    /* Asked before the password, not after it was typed twice. */
    if (user_name_check(name) < 0 || (r = db_user_get(app->db, name, &u)) < 0)
        return fail(sub);
    if (r > 0) {
        err_set("a user named '%s' exists already; choose another name", name);
        return fail(sub);
    }
    if (with_new_password(app->db, newfile, name, user_role_parse(role), app->cfg->user) < 0)
        return fail(sub);
    printf("user %s: added, role %s\n", name, role);
    return EXIT_OK;
}

int cmd_user(struct app *app, int argc, char **argv)
{
    static const struct option opts[] = {
        { "role", required_argument, NULL, 'r' },
        { "new-password-file", required_argument, NULL, 'p' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 }
    };
    const char *role = NULL, *newfile = NULL, *sub, *name = NULL;
    int c, want_name;

    opterr = 0;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'r': role = optarg; break;
        case 'p': newfile = optarg; break;
        case 'h': printf("usage: tipdesk %s\n", user_usage); return EXIT_OK;
        default: return app_usage_error("user", user_usage,
                                        "unknown option or missing value '%s'", argv[optind - 1]);
        }
    }
    if (optind >= argc)
        return app_usage_error("user", user_usage,
                               "say what to do: add, passwd, list, disable or enable");
    sub = argv[optind++];
    if (strcmp(sub, "add") && strcmp(sub, "passwd") && strcmp(sub, "list") &&
        strcmp(sub, "disable") && strcmp(sub, "enable"))
        return app_usage_error("user", user_usage, "unknown action '%s'", sub);
    want_name = strcmp(sub, "list") != 0;
    if (want_name) {
        if (optind >= argc)
            return app_usage_error("user", user_usage, "name the user");
        name = argv[optind++];
    }
    if (optind < argc)
        return app_usage_error("user", user_usage, "unexpected argument '%s'", argv[optind]);
    if (!strcmp(sub, "add") != !!role)
        return app_usage_error("user", user_usage,
                               "%s", role ? "--role is for 'user add'" : "'user add' needs --role");
    if (role && user_role_parse(role) == ROLE_NONE)
        return app_usage_error("user", user_usage,
                               "--role takes clerk, supervisor, viewer or admin, not '%s'", role);
    if (newfile && (!strcmp(sub, "list") || !strcmp(sub, "disable") || !strcmp(sub, "enable")))
        return app_usage_error("user", user_usage, "--new-password-file is for add and passwd");
    return run_sub(app, sub, name, role, newfile);
}
