/* Start-up shared by the commands and the TUI. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "app.h"
#include "db_rec.h"
#include "formdef.h"
#include "util.h"

struct db *app_db(struct app *app, int create)
{
    struct db *db;
    struct stat sb;
    int fresh;

    if (app->db)
        return app->db;
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
