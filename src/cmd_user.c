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
    "       tipdesk user disable NAME\n"
    "An admin logs in (--user NAME, password asked or --password-file FILE) to\n"
    "manage users; anyone may change their own password with 'user passwd'.\n"
    "The new password is asked twice without echo, or read from the first line\n"
    "of --new-password-file FILE (mode 0600).  At least 8 characters.";

static int fail(const char *sub)
{
    fprintf(stderr, "tipdesk user %s: %s\n", sub, err_msg());
    return EXIT_FAIL;
}

/* A new password for NAME from FILE or the terminal, hashed into HASH. */
static int new_hash(const char *file, const char *name, char *hash, size_t n)
{
    char pw[USER_PASSWORD_MAX + 2];
    int rc = user_password_new(file, name, pw, sizeof(pw));

    if (rc == 0)
        rc = user_hash(pw, hash, n);
    sodium_memzero(pw, sizeof(pw));
    return rc;
}

int app_create_admin(struct app *app, struct db *db, const char *name)
{
    char hash[DB_USER_HASH_MAX];

    if (user_name_check(name) < 0 ||
        new_hash(app_password_file(app), name, hash, sizeof(hash)) < 0 ||
        db_user_add(db, name, "admin", hash, name) < 0)
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
    char hash[DB_USER_HASH_MAX], what[64];
    struct db_user u;
    time_t now = time(NULL);
    int r;

    snprintf(what, sizeof(what), "'tipdesk user %s'", sub);
    if (!strcmp(sub, "passwd")) {
        /* Anyone may change their own password; others' need an admin. */
        if (app_login(app, -1, what) < 0 ||
            (strcmp(name, app->cfg->user) != 0 && app_login(app, PERM_USERS, what) < 0))
            return fail(sub);
        if (new_hash(newfile, name, hash, sizeof(hash)) < 0 ||
            db_user_set_hash(app->db, name, hash, app->cfg->user) < 0)
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
    if (!strcmp(sub, "disable")) {
        if (!strcmp(name, app->cfg->user)) {
            err_set("you cannot disable yourself ('%s'); another admin can", name);
            return fail(sub);
        }
        if (db_user_set_disabled(app->db, name, 1, app->cfg->user) < 0)
            return fail(sub);
        printf("user %s: disabled\n", name);
        return EXIT_OK;
    }
    if (user_name_check(name) < 0)
        return fail(sub);
    r = db_user_get(app->db, name, &u);
    if (r != 0) {
        if (r > 0)
            err_set("a user named '%s' exists already; choose another name", name);
        return fail(sub);
    }
    if (new_hash(newfile, name, hash, sizeof(hash)) < 0 ||
        db_user_add(app->db, name, role, hash, app->cfg->user) < 0)
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
        return app_usage_error("user", user_usage, "say what to do: add, passwd, list or disable");
    sub = argv[optind++];
    if (strcmp(sub, "add") && strcmp(sub, "passwd") && strcmp(sub, "list") &&
        strcmp(sub, "disable"))
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
    if (newfile && (!strcmp(sub, "list") || !strcmp(sub, "disable")))
        return app_usage_error("user", user_usage, "--new-password-file is for add and passwd");
    return run_sub(app, sub, name, role, newfile);
}
