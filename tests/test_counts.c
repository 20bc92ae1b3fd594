/* Tests for the record counts the lists and the home screen show: kept by
 * triggers (db/004_counts.sql) through create, update, status change,
 * delete and restore, read without counting a table, and filtered counts
 * that stop at DB_LIST_COUNT_MAX. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "db_rec.h"
#include "util.h"

static char dir[64];
static struct db *db;
static const struct db_actor clerk = { "LA1301", "noy" };

static int setup(void **state)
{
    char *path;

    (void)state;
    snprintf(dir, sizeof(dir), "/tmp/tipdesk-counts.XXXXXX");
    if (!mkdtemp(dir))
        return -1;
    path = xasprintf("%s/counts.db", dir);
    db = db_open(path, DB_OPEN_CREATE);
    free(path);
    return db && db_migrate(db) == 0 ? 0 : -1;
}

static int teardown(void **state)
{
    char *cmd = xasprintf("rm -rf '%s'", dir);
    int rc;

    (void)state;
    db_close(db);
    rc = system(cmd);
    free(cmd);
    return rc;
}

static struct rec *new_case(const char *date, const char *status)
{
    struct rec *r = rec_new("cases");

    rec_set(r, "status", status);
    rec_set(r, "registered_on", date);
    rec_set(r, "first_name", "ສົມສັກ");
    rec_set(r, "last_name", "ແກ້ວມະນີ");
    rec_set(r, "home_village", "ບ້ານ ໂພນທັນ");
    rec_set(r, "sex", "F");
    rec_set(r, "home_province", "LA13");
    rec_set(r, "home_district", "LA1301");
    return r;
}

static struct rec *new_event(const char *status)
{
    struct rec *r = rec_new("events");

    rec_set(r, "status", status);
    rec_set(r, "start_on", "2025-03-01");
    rec_set(r, "title", "ກິນເຂົ້າ ນຳກັນ");
    rec_set(r, "province", "LA13");
    rec_set(r, "district", "LA1301");
    return r;
}

/* Every list count without a search or place filter, against count(*). */
static void assert_counts_right(void)
{
    static const char *const tables[] = { "cases", "prosecutions", "events" };
    static const char *const statuses[] = { NULL, "draft", "complete", "verified" };
    static const char *const deleted_sql[] = { "deleted_at IS NULL", "deleted_at IS NOT NULL", "1" };
    size_t t, s;
    int d;

    for (t = 0; t < ARRAY_LEN(tables); t++)
        for (s = 0; s < ARRAY_LEN(statuses); s++)
            for (d = 0; d < 3; d++) {
                struct db_filter f = {0};
                char *sql = xasprintf("SELECT count(*) FROM %s WHERE %s AND (?1 IS NULL OR status = ?1)",
                                      tables[t], deleted_sql[d]);

                f.status = statuses[s];
                f.deleted = d;
                assert_true(db_list_count_exact(&f));
                assert_int_equal(db_list_count(db, tables[t], &f),
                                 db_query_int(db, sql, statuses[s], -1));
                free(sql);
            }
}

static char *save_new(struct rec *r)
{
    char *uuid;

    assert_int_equal(db_rec_save(db, r, &clerk), 1);
    uuid = xstrdup(rec_get(r, "uuid"));
    rec_free(r);
    return uuid;
}

static void test_kept_through_changes(void **state)
{
    struct db_filter drafts = {0};
    char *a, *b, *e;
    struct rec *r;

    (void)state;
    drafts.status = "draft";
    assert_counts_right();
    a = save_new(new_case("2026-03-05", "draft"));
    b = save_new(new_case("2026-03-06", "complete"));
    e = save_new(new_event("draft"));
    assert_counts_right();
    assert_int_equal(db_list_count(db, "cases", &drafts), 1);

    /* An update that leaves the status alone, then a status change. */
    r = db_rec_get(db, "cases", a);
    assert_non_null(r);
    rec_set(r, "home_village", "ບ້ານ ນາໄຊ");
    assert_int_equal(db_rec_save(db, r, &clerk), 1);
    assert_counts_right();
    rec_set(r, "status", "complete");
    assert_int_equal(db_rec_save(db, r, &clerk), 1);
    rec_free(r);
    assert_counts_right();
    assert_int_equal(db_list_count(db, "cases", &drafts), 0);
    r = db_rec_get(db, "events", e);
    rec_set(r, "status", "verified");
    assert_int_equal(db_rec_save(db, r, &clerk), 1);
    rec_free(r);
    assert_counts_right();

    /* Delete and restore move a record between live and deleted. */
    assert_int_equal(db_rec_delete(db, "cases", b, &clerk), 0);
    assert_counts_right();
    assert_int_equal(db_rec_delete(db, "events", e, &clerk), 0);
    assert_counts_right();
    assert_int_equal(db_rec_restore(db, "cases", b, &clerk), 0);
    assert_counts_right();
    /* A refused save changes no count. */
    r = new_case("2026-03-07", "draft");
    rec_set(r, "sex", "female");
    assert_int_equal(db_rec_save(db, r, &clerk), -1);
    rec_free(r);
    assert_counts_right();
    free(a);
    free(b);
    free(e);
}

/* The lists' totals are read from the kept counts, not by counting: a
 * kept count changed behind the program's back shows. */
static void test_read_not_counted(void **state)
{
    struct db_filter f = {0};
    int64_t n = db_list_count(db, "cases", &f);

    (void)state;
    assert_true(n > 0);
    assert_int_equal(db_exec(db, "UPDATE record_counts SET n = n + 1000000 "
                                 "WHERE tbl = 'cases' AND status = 'complete' AND deleted = 0"), 0);
    assert_int_equal(db_list_count(db, "cases", &f), n + 1000000);
    assert_int_equal(db_exec(db, "UPDATE record_counts SET n = n - 1000000 "
                                 "WHERE tbl = 'cases' AND status = 'complete' AND deleted = 0"), 0);
    assert_int_equal(db_list_count(db, "cases", &f), n);
}

/* Filters by year or place, and searches, count up to DB_LIST_COUNT_MAX. */
static void test_filtered_counts_capped(void **state)
{
    struct db_filter f = {0};
    int i, extra = DB_LIST_COUNT_MAX + 50;

    (void)state;
    assert_int_equal(db_begin(db), 0);
    for (i = 0; i < extra; i++)
        free(save_new(new_case("2024-06-01", "complete")));
    assert_int_equal(db_commit(db), 0);
    assert_counts_right();
    f.year = 2024;
    assert_false(db_list_count_exact(&f));
    assert_int_equal(db_list_count(db, "cases", &f), DB_LIST_COUNT_MAX);
    f.year = 2026;
    assert_int_equal(db_list_count(db, "cases", &f), 2);     /* a and b */
    f.year = 0;
    f.district = "LA1301";
    assert_false(db_list_count_exact(&f));
    assert_int_equal(db_list_count(db, "cases", &f), DB_LIST_COUNT_MAX);
    f.district = NULL;
    f.search = "ແກ້ວມະ";
    assert_false(db_list_count_exact(&f));
    assert_int_equal(db_list_count(db, "cases", &f), DB_LIST_COUNT_MAX);
    f.search = NULL;
    /* Without those filters the count is exact, however large. */
    f.status = "complete";
    assert_int_equal(db_list_count(db, "cases", &f),
                     db_query_int(db, "SELECT count(*) FROM cases WHERE status = 'complete' "
                                      "AND deleted_at IS NULL", NULL, -1));
    assert_true(db_list_count(db, "cases", &f) > DB_LIST_COUNT_MAX);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kept_through_changes),
        cmocka_unit_test(test_read_not_counted),
        cmocka_unit_test(test_filtered_counts_capped),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
