/* Start-up shared by the commands and the TUI. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app.h"
#include "db_rec.h"
#include "formdef.h"
#include "util.h"

/* 0 when the database file and its folder can be written (SQLite makes its
 * -wal there); else -1 with err set, before SQLite half-opens it read-only. */
static int writable(const char *path)
{
    const char *slash = strrchr(path, '/');
    char *dir = slash ? xstrndup(path, slash == path ? 1 : (size_t)(slash - path)) : xstrdup(".");
    int rc = 0;

    /* A missing folder is db_open's to report ("run tipdesk init"). */
    if (((access(path, F_OK) == 0 && access(path, W_OK) != 0) || access(dir, W_OK) != 0) &&
        errno != ENOENT)
        rc = err_set("%s: cannot be changed where it is (%s); this needs a database that can be "
                     "written (check, report, export csv|htcds|dhis2 and backup only read, and "
                     "work on read-only media)", path, strerror(errno));
    free(dir);
    return rc;
}

int app_usage_error(const char *cmd, const char *usage, const char *fmt, ...)
{
    va_list ap;

    fprintf(stderr, "tipdesk %s: ", cmd);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nusage: tipdesk %s\n", usage);
    return EXIT_USAGE;
}

struct db *app_db(struct app *app, int create)
{
    struct db *db;
    struct stat sb;
    int fresh;

    if (app->db)
        return app->db;
    if (writable(app->cfg->db_path) < 0)
        return NULL;
    fresh = create && stat(app->cfg->db_path, &sb) != 0;
    db = db_open(app->cfg->db_path, create ? DB_OPEN_CREATE : DB_OPEN_EXISTING);
    if (!db)
        return NULL;
    if (db_migrate(db) < 0) {
        db_close(db);
        return NULL;
    }
    app->db = db;
    if (app_login_pending(app, fresh) < 0) {
        app->db = NULL;
        db_close(db);
        return NULL;
    }
    return db;
}

struct db *app_db_read(struct app *app)
{
    const char *path = app->cfg->db_path;
    struct db *db;
    int version;

    if (app->db)
        return app->db;
    /* A login writes where it can (a wrong password is counted in the users
     * table); on read-only media it is checked all the same, uncounted. */
    if (app->login_needed && access(path, W_OK) == 0)
        return app_db(app, 0);
    if (!(db = db_open(path, DB_OPEN_READONLY)))
        return NULL;
    version = db_schema_version(db);
    if (version < db_latest_version()) {
        db_close(db);
        /* access() also says no on a read-only file system, even to root. */
        if (access(path, W_OK) == 0)
            return app_db(app, 0);
        err_set("%s: schema version %d must be brought to %d, which cannot be done where it is "
                "(read-only media or file); copy the database folder to a writable place and run "
                "'tipdesk init' there", path, version, db_latest_version());
        return NULL;
    }
    if (db_immutable(db))
        fprintf(stderr, "tipdesk: %s: on read-only media; reading it as an unchanging file\n", path);
    app->db = db;
    if (app_login_pending(app, 0) < 0) {
        app->db = NULL;
        db_close(db);
        return NULL;
    }
    return db;
}

void app_actor(const struct app *app, struct db_actor *who)
{
    who->office = app->cfg->office_code;
    who->user = app->cfg->user ? app->cfg->user : "unknown";
}

struct formset *app_forms_load(const struct app *app, struct db *db)
{
    struct formset *fs = formset_load(app->cfg->forms_dir);
    char msg[1024];

    if (fs && (!db || formset_check_db(fs, db) == 0))
        return fs;
    formset_free(fs);
    snprintf(msg, sizeof(msg), "%s", err_msg());
    err_set("the records are checked against the forms in %s, which cannot be used: %s",
            app->cfg->forms_dir, msg);
    return NULL;
}
