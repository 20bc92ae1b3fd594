/* app — what every command and the TUI share at start-up: the loaded config
 * and the open database, plus the command table of the command line.  Each
 * command is `int cmd_NAME(struct app *, int argc, char **argv)` returning
 * the exit code (0 ok, 1 failure with a message on stderr, 2 usage error);
 * argv[0] is the command's name. */
#ifndef TIPDESK_APP_H
#define TIPDESK_APP_H

#include "config.h"
#include "db.h"
#include "util.h"

#include <stddef.h>

#define TIPDESK_VERSION "0.1.0"

/* Exit codes (README.md, "Commands"). */
enum { EXIT_OK = 0, EXIT_FAIL = 1, EXIT_USAGE = 2 };

struct app {
    struct config *cfg;
    struct db *db;          /* opened on demand by app_db */
    /* Login (app_login.c): --user and --password-file as given, and who is
     * logged in (cfg->user holds the name, role an enum user_role). */
    const char *login_name;
    const char *password_file;
    int logged_in;
    int role;
    int login_needed;       /* app_db logs in (for login_perm) once open */
    int login_perm;
    char login_what[64];    /* the command, for messages */
};

/* A usage error of command CMD: "tipdesk CMD: " and the message made of
 * FMT, then the command's USAGE, on stderr.  Returns EXIT_USAGE. */
int app_usage_error(const char *cmd, const char *usage, const char *fmt, ...) PRINTF_LIKE(3, 4);

/* The database of APP's config, opened and migrated to the current schema
 * (created when CREATE is set).  Prints nothing; NULL with err set. */
struct db *app_db(struct app *app, int create);

/* The forms of APP's config, loaded and checked against DB (when not NULL).
 * Every command that validates records needs them: NULL with err set naming
 * the forms folder and what to do.  The caller frees with formset_free. */
struct formset;
struct formset *app_forms_load(const struct app *app, struct db *db);
/* The database of APP's config opened read-only, for commands that only
 * read (check, report, export csv|htcds|dhis2, backup): works on read-only
 * media and never writes to the file.  A database that needs a newer schema
 * is migrated as by app_db when it can be written, else refused.  Prints a
 * note on stderr when it reads the file as unchanging (see db_immutable). */
struct db *app_db_read(struct app *app);

/* The db_actor for records saved by this office and user. */
struct db_actor;
void app_actor(const struct app *app, struct db_actor *who);

/* Login (app_login.c).  Takes --user NAME and --password-file FILE (also
 * "=VALUE") out of ARGV wherever they stand; 0 or -1 with err set. */
int app_take_login_args(struct app *app, int *argc, char **argv);
/* The user name (--user, else $TIPDESK_USER) and the password file
 * (--password-file, else $TIPDESK_PASSWORD_FILE); NULL when not given. */
const char *app_login_name(const struct app *app);
const char *app_password_file(const struct app *app);
/* Logs in (once) with the name and password given, then checks that the
 * role may do PERM (an enum user_perm; -1 for none).  WHAT names the action
 * in messages.  0, or -1 with err set (no name, wrong password, locked,
 * role not allowed). */
int app_login(struct app *app, int perm, const char *what);
/* Notes the login command ARGV (argv[0] its name) needs, so that app_db
 * logs in once the command has parsed its arguments and opens the file. */
void app_login_for_command(struct app *app, int argc, char **argv);
/* Called by app_db with the database open: logs in as noted (FRESH: the file
 * was just created, so the user given becomes its administrator).  0 or -1. */
int app_login_pending(struct app *app, int fresh);
/* Records NAME (role an enum user_role) as the user at work. */
void app_set_user(struct app *app, const char *name, int role);

/* Creates the first user, NAME, as admin of DB (password from the password
 * file or asked twice) and logs in as NAME.  0 or -1 with err set. */
int app_create_admin(struct app *app, struct db *db, const char *name);

/* Commands. */
int cmd_user(struct app *app, int argc, char **argv);
int cmd_init(struct app *app, int argc, char **argv);
int cmd_check(struct app *app, int argc, char **argv);
int cmd_backup(struct app *app, int argc, char **argv);
int cmd_demo(struct app *app, int argc, char **argv);
int cmd_report(struct app *app, int argc, char **argv);
int cmd_history(struct app *app, int argc, char **argv);
/* export htcds|dhis2 (argv[0] is the kind), called by cmd_export. */
int cmd_export_std(struct app *app, int argc, char **argv);
int cmd_export(struct app *app, int argc, char **argv);
int cmd_import(struct app *app, int argc, char **argv);
int cmd_keys(struct app *app, int argc, char **argv);

/* The passphrase of this office's keys into BUF (N bytes): read from FILE
 * when given, else $TIPDESK_PASSPHRASE, else asked on the terminal without
 * echo (twice when CONFIRM).  0 or -1 with err set. */
int app_passphrase(const char *file, int confirm, char *buf, size_t n);
/* This office's keys, unlocked with the passphrase as app_passphrase gets
 * it; NULL with err set.  Free with seal_keys_free. */
struct seal_keys;
struct seal_keys *app_keys_unlock(struct app *app, const char *pass_file);

/* A rotating automatic backup into cfg->backup_dir keeping cfg->backups_keep
 * files; at most one a day.  0 or -1 with err set. */
int app_backup_rotate(struct app *app);

/* Creates the folder of the config's database file (with parents) when
 * missing, so that a new office's first command can create the file.  0 or -1. */
int app_make_db_dir(const struct app *app);

#endif
