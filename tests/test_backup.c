/* Tests for backups: a backup of a database with records opens as a tipdesk
 * database with the same rows; rotation keeps the newest backups_keep files,
 * takes at most one automatic backup a day and leaves other files alone. */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "app.h"
#include "demo.h"
#include "util.h"
#include "testlib.h"

static char dir[64];
static struct config cfg;
static struct app app;

static const char *const counted[] = { "cases", "case_events", "case_screening", "case_assistance",
    "prosecutions", "suspects", "prosecution_victims", "events", "audit_log", "ref_district" };

static int setup(void **state)
{
    struct db_actor who = { "LA1301", "noy" };
    struct demo_opts o = { 150, 20, 30, 11, tl_demo_forms() };

    (void)state;
    if (tl_mkdtemp(dir, "backup") < 0)
        return -1;
    cfg.file = xasprintf("%s/config.ini", dir);
    cfg.db_path = xasprintf("%s/tipdesk.db", dir);
    cfg.backup_dir = xasprintf("%s/backups", dir);
    cfg.backups_keep = 3;
    app.cfg = &cfg;
    app.db = db_open(cfg.db_path, DB_OPEN_CREATE);
    if (!app.db || db_migrate(app.db) < 0)
        return -1;
    return demo_generate(app.db, &who, &o);
}

static int teardown(void **state)
{
    int rc;

    (void)state;
    db_close(app.db);
    rc = tl_rm_rf(dir);
    free(cfg.file);
    free(cfg.db_path);
    free(cfg.backup_dir);
    return rc;
}

static void test_backup_has_same_rows(void **state)
{
    char *dest = xasprintf("%s/copy.db", dir), *wal = xasprintf("%s/copy.db-wal", dir);
    struct sbuf problems = {0};
    struct db *copy;
    size_t i;

    (void)state;
    assert_int_equal(db_backup_to(app.db, dest), 0);
    copy = db_open(dest, DB_OPEN_READONLY);
    assert_non_null(copy);
    assert_int_equal(db_schema_version(copy), db_latest_version());
    for (i = 0; i < ARRAY_LEN(counted); i++) {
        char *sql = xasprintf("SELECT count(*) FROM %s", counted[i]);
        int64_t n = db_query_int(app.db, sql, NULL, -1);

        assert_true(n > 0);
        assert_int_equal(db_query_int(copy, sql, NULL, -2), n);
        free(sql);
    }
    assert_int_equal(db_integrity(copy, 0, &problems), 0);
    db_close(copy);
    /* A standalone file: nothing of it lives in a WAL beside it. */
    assert_int_not_equal(access(wal, F_OK), 0);
    sbuf_free(&problems);
    free(dest);
    free(wal);
}

static void touch(const char *name)
{
    char *p = xasprintf("%s/%s", cfg.backup_dir, name);
    FILE *f = fopen(p, "w");

    assert_non_null(f);
    fclose(f);
    free(p);
}

/* The rotating backups in backup_dir, sorted, joined by spaces. */
static char *list_backups(int *n)
{
    DIR *d = opendir(cfg.backup_dir);
    struct dirent *e;
    char *names[64];
    struct sbuf b = {0};
    int i, j;

    assert_non_null(d);
    *n = 0;
    while ((e = readdir(d)))
        if (strncmp(e->d_name, "tipdesk-2", 9) == 0 && *n < 64)
            names[(*n)++] = xstrdup(e->d_name);
    closedir(d);
    for (i = 0; i < *n; i++)
        for (j = i + 1; j < *n; j++)
            if (strcmp(names[j], names[i]) < 0) {
                char *t = names[i];

                names[i] = names[j];
                names[j] = t;
            }
    for (i = 0; i < *n; i++) {
        sbuf_addf(&b, "%s%s", i ? " " : "", names[i]);
        free(names[i]);
    }
    return b.s ? b.s : xstrdup("");
}

static void test_rotation(void **state)
{
    char today[11], stamp[9], *first, *second, *keep_path;
    int n;

    (void)state;
    util_today(today);
    snprintf(stamp, sizeof(stamp), "%.4s%.2s%.2s", today, today + 5, today + 8);
    keep_path = xasprintf("mkdir -p '%s'", cfg.backup_dir);
    assert_int_equal(system(keep_path), 0);
    free(keep_path);
    touch("tipdesk-20200101-000000.db");
    touch("tipdesk-20200102-000000.db");
    touch("tipdesk-20200103-000000.db");
    touch("tipdesk-20200104-000000.db");
    touch("notes.txt");
    touch("tipdesk-latest.db");

    assert_int_equal(app_backup_rotate(&app), 0);
    first = list_backups(&n);
    assert_int_equal(n, 3);
    /* The two oldest went; the new one is today's. */
    assert_string_equal(strstr(first, "tipdesk-20200103"), first);
    assert_non_null(strstr(first, stamp));
    keep_path = xasprintf("%s/notes.txt", cfg.backup_dir);
    assert_int_equal(access(keep_path, F_OK), 0);
    free(keep_path);
    keep_path = xasprintf("%s/tipdesk-latest.db", cfg.backup_dir);
    assert_int_equal(access(keep_path, F_OK), 0);
    free(keep_path);

    /* Once a day: a second automatic backup today changes nothing. */
    assert_int_equal(app_backup_rotate(&app), 0);
    second = list_backups(&n);
    assert_string_equal(first, second);
    free(first);
    free(second);
}

static void test_rotation_off(void **state)
{
    char *before, *after;
    int n, m;

    (void)state;
    before = list_backups(&n);
    cfg.backups_keep = 0;
    assert_int_equal(app_backup_rotate(&app), 0);
    cfg.backups_keep = 3;
    after = list_backups(&m);
    assert_string_equal(before, after);
    free(before);
    free(after);
}

static void test_backup_command_errors(void **state)
{
    char *bad = xasprintf("%s/no/such/folder/copy.db", dir);
    char *args_bad[] = { "backup", bad, NULL };
    char *args_two[] = { "backup", "a.db", "b.db", NULL };
    char *args_opt[] = { "backup", "--fast", NULL };

    (void)state;
    assert_int_equal(cmd_backup(&app, 2, args_bad), EXIT_FAIL);
    assert_non_null(strstr(err_msg(), "no/such/folder/copy.db"));
    assert_int_not_equal(access(bad, F_OK), 0);
    optind = 0;
    assert_int_equal(cmd_backup(&app, 3, args_two), EXIT_USAGE);
    optind = 0;
    assert_int_equal(cmd_backup(&app, 2, args_opt), EXIT_USAGE);
    optind = 0;
    free(bad);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_backup_has_same_rows),
        cmocka_unit_test(test_rotation),
        cmocka_unit_test(test_rotation_off),
        cmocka_unit_test(test_backup_command_errors),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
