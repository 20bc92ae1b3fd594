/* app — what every command and the TUI share at start-up: the loaded config
 * and the open database, plus the command table of the command line.  Each
 * command is `int cmd_NAME(struct app *, int argc, char **argv)` returning
 * the exit code (0 ok, 1 failure with a message on stderr, 2 usage error);
 * argv[0] is the command's name. */
#ifndef TIPDESK_APP_H
#define TIPDESK_APP_H

#include "config.h"
#include "db.h"

#define TIPDESK_VERSION "0.1.0"

/* Exit codes (README.md, "Commands"). */
enum { EXIT_OK = 0, EXIT_FAIL = 1, EXIT_USAGE = 2 };

struct app {
    struct config *cfg;
    struct db *db;          /* opened on demand by app_db */
};

/* The database of APP's config, opened and migrated to the current schema
 * (created when CREATE is set).  Prints nothing; NULL with err set. */
struct db *app_db(struct app *app, int create);

/* The forms of APP's config, loaded and checked against DB (when not NULL).
 * Every command that validates records needs them: NULL with err set naming
 * the forms folder and what to do.  The caller frees with formset_free. */
struct formset;
struct formset *app_forms_load(const struct app *app, struct db *db);

/* The db_actor for records saved by this office and user. */
struct db_actor;
void app_actor(const struct app *app, struct db_actor *who);

/* Commands. */
int cmd_init(struct app *app, int argc, char **argv);
int cmd_check(struct app *app, int argc, char **argv);
int cmd_backup(struct app *app, int argc, char **argv);
int cmd_demo(struct app *app, int argc, char **argv);
int cmd_report(struct app *app, int argc, char **argv);
/* export htcds|dhis2 (argv[0] is the kind), called by cmd_export. */
int cmd_export_std(struct app *app, int argc, char **argv);
int cmd_export(struct app *app, int argc, char **argv);
int cmd_import(struct app *app, int argc, char **argv);

/* A rotating automatic backup into cfg->backup_dir keeping cfg->backups_keep
 * files; at most one a day.  0 or -1 with err set. */
int app_backup_rotate(struct app *app);

/* Creates the folder of the config's database file (with parents) when
 * missing, so that a new office's first command can create the file.  0 or -1. */
int app_make_db_dir(const struct app *app);

#endif
