/* Start-up shared by the commands and the TUI. */
#include <stdlib.h>

#include "app.h"
#include "db_rec.h"
#include "util.h"

struct db *app_db(struct app *app, int create)
{
    struct db *db;

    if (app->db)
        return app->db;
    db = db_open(app->cfg->db_path, create ? DB_OPEN_CREATE : DB_OPEN_EXISTING);
    if (!db)
        return NULL;
    if (db_migrate(db) < 0) {
        db_close(db);
        return NULL;
    }
    app->db = db;
    return db;
}

void app_actor(const struct app *app, struct db_actor *who)
{
    who->office = app->cfg->office_code;
    who->user = app->cfg->user;
}
