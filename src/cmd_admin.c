/* The maintenance commands: init (create or migrate the database) and backup
 * (one file on request, or rotating copies in backup_dir). */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "app.h"
#include "formdef.h"
#include "outfile.h"
#include "util.h"

/* Backup files made by rotation: tipdesk-YYYYMMDD-HHMMSS.db (UTC). */
#define BACKUP_PREFIX "tipdesk-"
#define BACKUP_NAME_LEN 26

int app_make_db_dir(const struct app *app)
{
    const char *path = app->cfg->db_path;
    const char *slash = strrchr(path, '/');
    struct stat sb;
    char *dir;
    int rc = 0;

    if (!slash || slash == path)
        return 0;
    dir = xstrndup(path, (size_t)(slash - path));
    if (stat(dir, &sb) != 0)
        rc = util_mkdirs(dir);
    else if (!S_ISDIR(sb.st_mode))
        rc = err_set("%s: not a folder; check [database] path in %s", dir, app->cfg->file);
    free(dir);
    return rc;
}

int cmd_init(struct app *app, int argc, char **argv)
{
    static const char usage[] =
        "init [--admin NAME]\n"
        "Creates the database named in config.ini ([database] path), or brings an\n"
        "existing one to the current schema, and stores the labels of the code\n"
        "lists (forms/lists.ini) in its table code_label.  Running it again changes\n"
        "nothing.\n"
        "On a database without users, --admin NAME (or --user NAME, TIPDESK_USER)\n"
        "creates the first user, the administrator; the password is asked twice,\n"
        "or read from --password-file FILE (mode 0600).";
    static const struct option opts[] = {
        { "admin", required_argument, NULL, 'a' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 }
    };
    const char *admin = NULL;
    char typed[128];
    struct formset *fs;
    struct db *db;
    int c, before, users;
    struct stat sb;

    opterr = 0;
    while ((c = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
        if (c == 'a') {
            admin = optarg;
            continue;
        }
        if (c == 'h') {
            printf("usage: tipdesk %s\n", usage);
            return EXIT_OK;
        }
        fprintf(stderr, "tipdesk init: unknown option or missing value '%s'\nusage: tipdesk %s\n",
                argv[optind - 1], usage);
        return EXIT_USAGE;
    }
    if (optind < argc) {
        fprintf(stderr, "tipdesk init: unexpected argument '%s'\nusage: tipdesk %s\n",
                argv[optind], usage);
        return EXIT_USAGE;
    }
    before = stat(app->cfg->db_path, &sb) == 0;
    /* The forms before the database: a broken lists.ini leaves no
     * half-made database. */
    if (app_make_db_dir(app) < 0 || !(fs = formset_load(app->cfg->forms_dir))) {
        fprintf(stderr, "tipdesk init: %s\n", err_msg());
        return EXIT_FAIL;
    }
    if (!(db = app_db(app, 1)) || formset_save_labels(fs, db) < 0) {
        fprintf(stderr, "tipdesk init: %s\n", err_msg());
        formset_free(fs);
        return EXIT_FAIL;
    }
    formset_free(fs);
    printf("database %s: %s, schema version %d, %lld provinces, %lld districts\n",
           app->cfg->db_path, before ? "ready" : "created", db_schema_version(db),
           (long long)db_query_int(db, "SELECT count(*) FROM ref_province", NULL, 0),
           (long long)db_query_int(db, "SELECT count(*) FROM ref_district", NULL, 0));
    users = (int)db_query_int(db, "SELECT count(*) FROM users", NULL, 0);
    if (!admin && users == 0)
        admin = app_login_name(app);
    if (admin && users > 0 && admin != app_login_name(app)) {
        fprintf(stderr, "tipdesk init: the database has users already; an admin adds more "
                        "with 'tipdesk user add NAME --role ROLE'\n");
        return EXIT_FAIL;
    }
    /* At a terminal (the first `make run`), the administrator is made now. */
    if (users == 0 && !admin && isatty(STDIN_FILENO) && isatty(STDERR_FILENO)) {
        fprintf(stderr, "No users yet.  Name of the administrator (Enter for 'admin'): ");
        if (!fgets(typed, sizeof(typed), stdin))
            typed[0] = '\0';
        typed[strcspn(typed, "\r\n")] = '\0';
        admin = typed[0] ? typed : "admin";
    }
    if (users == 0 && !admin) {
        fprintf(stderr, "tipdesk init: no users yet; create the administrator with "
                        "'tipdesk init --admin NAME' (the password is asked, or read from "
                        "--password-file FILE)\n");
        return EXIT_OK;
    }
    if (users == 0) {
        if (app_create_admin(app, db, admin) < 0) {
            fprintf(stderr, "tipdesk init: %s\n", err_msg());
            return EXIT_FAIL;
        }
        printf("user %s: created, role admin\n", admin);
    }
    return EXIT_OK;
}

/* 1 when NAME is one of our rotating backup files. */
static int is_backup_name(const char *name)
{
    size_t i;

    if (strlen(name) != BACKUP_NAME_LEN || strncmp(name, BACKUP_PREFIX, 8) != 0 ||
        strcmp(name + 23, ".db") != 0 || name[16] != '-')
        return 0;
    for (i = 8; i < 23; i++)
        if (i != 16 && (name[i] < '0' || name[i] > '9'))
            return 0;
    return 1;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The rotating backup files in DIR, oldest first (their names sort by time).
 * Returns the count; the caller frees the names and the array. */
static int list_backups(const char *dir, char ***names)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    size_t n = 0, cap = 0;

    *names = NULL;
    if (!d)
        return err_set("%s: cannot read the backup folder: %s", dir, strerror(errno));
    while ((e = readdir(d))) {
        if (!is_backup_name(e->d_name))
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 16;
            *names = xrealloc(*names, cap * sizeof(**names));
        }
        (*names)[n++] = xstrdup(e->d_name);
    }
    closedir(d);
    if (n)
        qsort(*names, n, sizeof(**names), cmp_str);
    return (int)n;
}

static void free_names(char **names, int n)
{
    int i;

    for (i = 0; i < n; i++)
        free(names[i]);
    free(names);
}

/* Writes a new rotating backup (unless ONLY_DAILY and one from today exists)
 * and deletes the oldest beyond backups_keep.  Sets *WRITTEN to the new file
 * (caller frees) or NULL.  0 or -1. */
static int backup_rotate(struct app *app, int only_daily, char **written)
{
    const struct config *cfg = app->cfg;
    char stamp[16], today[9], **names;
    time_t now = time(NULL);
    struct tm tm;
    struct db *db;
    char *path;
    int n, i, rc = 0;

    *written = NULL;
    if (!(db = app_db_read(app)) || util_mkdirs(cfg->backup_dir) < 0)
        return -1;
    gmtime_r(&now, &tm);
    strftime(stamp, sizeof(stamp), "%Y%m%d-%H%M%S", &tm);
    memcpy(today, stamp, 8);
    today[8] = '\0';
    if ((n = list_backups(cfg->backup_dir, &names)) < 0)
        return -1;
    /* An automatic backup is taken once a day: the newest name tells. */
    if (only_daily && n > 0 && strncmp(names[n - 1] + 8, today, 8) == 0) {
        free_names(names, n);
        return 0;
    }
    free_names(names, n);
    path = xasprintf("%s/" BACKUP_PREFIX "%s.db", cfg->backup_dir, stamp);
    if (db_backup_to(db, path) < 0) {
        free(path);
        return -1;
    }
    *written = path;
    /* backups_keep = 0 turns pruning off rather than deleting what we wrote. */
    if (cfg->backups_keep <= 0)
        return 0;
    if ((n = list_backups(cfg->backup_dir, &names)) < 0)
        return -1;
    for (i = 0; i < n - cfg->backups_keep; i++) {
        char *old = xasprintf("%s/%s", cfg->backup_dir, names[i]);

        if (remove(old) != 0)
            rc = err_set("%s: cannot delete an old backup: %s", old, strerror(errno));
        free(old);
    }
    free_names(names, n);
    return rc;
}

int app_backup_rotate(struct app *app)
{
    char *written;
    int rc;

    if (app->cfg->backups_keep <= 0)
        return 0;
    rc = backup_rotate(app, 1, &written);
    free(written);
    return rc;
}

int cmd_backup(struct app *app, int argc, char **argv)
{
    static const char usage[] =
        "backup [FILE [--force]]\n"
        "Copies the open database safely while others may be using it.  With FILE,\n"
        "writes that file (replacing an older copy of a tipdesk database; --force\n"
        "replaces another kind of file); without, writes backup_dir/tipdesk-\n"
        "YYYYMMDD-HHMMSS.db (UTC) and keeps the newest backups_keep of those.";
    static const struct option opts[] = {
        { "force", no_argument, NULL, 'f' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 }
    };
    struct db *db;
    char *written = NULL;
    int rc, force = 0;

    opterr = 0;
    while ((rc = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        if (rc == 'f') {
            force = 1;
            continue;
        }
        if (rc == 'h') {
            printf("usage: tipdesk %s\n", usage);
            return EXIT_OK;
        }
        fprintf(stderr, "tipdesk backup: unknown option '%s'\nusage: tipdesk %s\n", argv[optind - 1], usage);
        return EXIT_USAGE;
    }
    if (argc - optind > 1 || (force && optind == argc)) {
        fprintf(stderr, "tipdesk backup: %s\nusage: tipdesk %s\n",
                force ? "--force goes with a FILE" : "one FILE at most", usage);
        return EXIT_USAGE;
    }
    if (optind < argc) {
        const char *dest = argv[optind];

        if (outfile_check(dest, OUT_BACKUP, force) < 0 || !(db = app_db_read(app)) ||
            db_backup_to(db, dest) < 0) {
            fprintf(stderr, "tipdesk backup: %s\n", err_msg());
            return EXIT_FAIL;
        }
        printf("backup written to %s\n", dest);
        return EXIT_OK;
    }
    rc = backup_rotate(app, 0, &written);
    if (written)
        printf("backup written to %s\n", written);
    free(written);
    if (rc < 0) {
        fprintf(stderr, "tipdesk backup: %s\n", err_msg());
        return EXIT_FAIL;
    }
    return EXIT_OK;
}
