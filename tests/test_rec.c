/* Tests for the record store (db_rec.h) on a real database file: create and
 * update with rev and audit rows, stale revisions, child rows, soft delete,
 * keyset paging forward and backward, and Lao and Latin substring search. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "db_audit.h"
#include "db_history.h"
#include "db_rec.h"
#include "util.h"
#include "testlib.h"

#define NPAGED 2500

static char dir[64];
static struct db *db;
static const struct db_actor clerk = { "LA1301", "noy" };

static int setup(void **state)
{
    char *path;

    (void)state;
    if (tl_mkdtemp(dir, "rec") < 0)
        return -1;
    path = xasprintf("%s/rec.db", dir);
    db = db_open(path, DB_OPEN_CREATE);
    free(path);
    return db && db_migrate(db) == 0 ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    db_close(db);
    return tl_rm_rf(dir);
}

static int64_t count(const char *sql, const char *param)
{
    return db_query_int(db, sql, param, -1);
}

/* The text of the first column of SQL's first row, or "" (caller frees). */
static char *query_text(const char *sql, const char *param)
{
    struct db_stmt *st = db_prepare(db, sql, 0);
    char *s;

    assert_non_null(st);
    if (param)
        db_bind_text(st, 1, param);
    s = xstrdup(db_step(st) == 1 && db_column_text(st, 0) ? db_column_text(st, 0) : "");
    db_finalize(st);
    return s;
}

/* Adds a child row of TABLE to R with two values. */
static void add_row(struct rec *r, const char *table, const char *c1, const char *v1,
                    const char *c2, const char *v2)
{
    struct rec *k = rec_kid_add(r, table);

    rec_set(k, c1, v1);
    rec_set(k, c2, v2);
}

static struct rec *new_case(const char *date, const char *first, const char *last, const char *village)
{
    struct rec *r = rec_new("cases");

    rec_set(r, "status", "complete");
    rec_set(r, "registered_on", date);
    rec_set(r, "first_name", first);
    rec_set(r, "last_name", last);
    rec_set(r, "home_village", village);
    rec_set(r, "sex", "F");
    rec_set(r, "home_province", "LA13");
    rec_set(r, "home_district", "LA1301");
    return r;
}

static void test_create(void **state)
{
    struct rec *r = new_case("2026-03-05", "ສົມສັກ", "ແກ້ວມະນີ", "ບ້ານ ໂພນທັນ");
    const char *uuid;

    (void)state;
    assert_int_equal(db_rec_save(db, r, &clerk), 1);
    uuid = rec_get(r, "uuid");
    assert_non_null(uuid);
    assert_int_equal(strlen(uuid), 36);
    assert_int_equal(uuid[14], '4');
    assert_string_equal(rec_get(r, "rev"), "1");
    assert_string_equal(rec_get(r, "ref"), "LA1301-2026-0001");
    assert_string_equal(rec_get(r, "office"), "LA1301");
    assert_string_equal(rec_get(r, "created_by"), "noy");
    assert_int_equal(count("SELECT count(*) FROM audit_log WHERE uuid = ?1 AND action = 'create' "
                           "AND rev = 1", uuid), 1);
    assert_int_equal(count("SELECT count(*) FROM cases WHERE uuid = ?1 AND first_name = 'ສົມສັກ'", uuid), 1);
    rec_free(r);

    /* The running number continues per office and year. */
    r = new_case("2026-04-01", "ບຸນມີ", "ພົມມະຈັນ", "ບ້ານ ນາໄຊ");
    assert_int_equal(db_rec_save(db, r, &clerk), 1);
    assert_string_equal(rec_get(r, "ref"), "LA1301-2026-0002");
    rec_free(r);
    r = new_case("2019-01-20", "Bounmy", "Phommachanh", "Ban Naxay");
    assert_int_equal(db_rec_save(db, r, &clerk), 1);
    assert_string_equal(rec_get(r, "ref"), "LA1301-2019-0001");
    rec_free(r);
}

static void test_update_and_no_change(void **state)
{
    struct rec *r = new_case("2026-05-01", "ມາລີ", "ວົງສາ", "ບ້ານ ດົງໂດກ"), *got;
    char *uuid, *changes;
    int64_t audits;

    (void)state;
    assert_int_equal(db_rec_save(db, r, &clerk), 1);
    uuid = xstrdup(rec_get(r, "uuid"));
    rec_free(r);

    got = db_rec_get(db, "cases", uuid);
    assert_non_null(got);
    rec_set(got, "home_village", "ບ້ານ ໂພນທັນ");
    assert_int_equal(db_rec_save(db, got, &clerk), 1);
    assert_string_equal(rec_get(got, "rev"), "2");
    changes = query_text("SELECT changes FROM audit_log WHERE uuid = ?1 AND action = 'update'", uuid);
    assert_string_equal(changes, "{\"home_village\":[\"ບ້ານ ດົງໂດກ\",\"ບ້ານ ໂພນທັນ\"]}");
    free(changes);

    /* Saving the same values again writes nothing. */
    audits = count("SELECT count(*) FROM audit_log WHERE uuid = ?1", uuid);
    assert_int_equal(db_rec_save(db, got, &clerk), 0);
    assert_string_equal(rec_get(got, "rev"), "2");
    assert_int_equal(count("SELECT count(*) FROM audit_log WHERE uuid = ?1", uuid), audits);
    assert_int_equal(count("SELECT rev FROM cases WHERE uuid = ?1", uuid), 2);
    rec_free(got);
    free(uuid);
}

static void test_stale_rev_refused(void **state)
{
    struct rec *r = new_case("2026-06-01", "ວັນນາ", "ສຸລິວົງ", "ບ້ານ ສີໄຄ"), *a, *b;
    char *uuid, *village;
    int64_t audits;

    (void)state;
    assert_int_equal(db_rec_save(db, r, &clerk), 1);
    uuid = xstrdup(rec_get(r, "uuid"));
    rec_free(r);
    /* Two clerks open the same record; the second saves after the first. */
    a = db_rec_get(db, "cases", uuid);
    b = db_rec_get(db, "cases", uuid);
    rec_set(a, "home_village", "ບ້ານ ນາແຄ");
    assert_int_equal(db_rec_save(db, a, &clerk), 1);
    audits = count("SELECT count(*) FROM audit_log WHERE uuid = ?1", uuid);
    rec_set(b, "home_village", "ບ້ານ ໜອງບົວ");
    assert_int_equal(db_rec_save(db, b, &clerk), -1);
    assert_non_null(strstr(err_msg(), "changed meanwhile"));
    assert_non_null(strstr(err_msg(), "LA1301-2026-"));
    village = query_text("SELECT home_village FROM cases WHERE uuid = ?1", uuid);
    assert_string_equal(village, "ບ້ານ ນາແຄ");
    assert_int_equal(count("SELECT rev FROM cases WHERE uuid = ?1", uuid), 2);
    assert_int_equal(count("SELECT count(*) FROM audit_log WHERE uuid = ?1", uuid), audits);
    free(village);
    rec_free(a);
    rec_free(b);
    free(uuid);
}

static void test_child_rows(void **state)
{
    struct rec *r = new_case("2025-02-10", "ນາລີ", "ອິນທະວົງ", "ບ້ານ ນາຄູນ"), *k, *got;
    char *uuid, *changes;

    (void)state;
    k = rec_kid_add(r, "case_events");
    rec_set(k, "step", "Recruitment");
    rec_set(k, "country", "LA");
    rec_set(k, "place", "ບ້ານ ນາຄູນ");
    add_row(r, "case_events", "step", "Exploitation", "country", "TH");
    add_row(r, "case_screening", "item", "act_recruited", "answer", "Yes");
    assert_int_equal(db_rec_save(db, r, &clerk), 1);
    uuid = xstrdup(rec_get(r, "uuid"));
    rec_free(r);
    assert_int_equal(count("SELECT count(*) FROM case_events WHERE case_uuid = ?1", uuid), 2);
    assert_int_equal(count("SELECT max(seq) FROM case_events WHERE case_uuid = ?1", uuid), 2);

    got = db_rec_get(db, "cases", uuid);
    assert_non_null(got);
    assert_int_equal(rec_kids_count(got, "case_events"), 2);
    assert_int_equal(rec_kids_count(got, "case_screening"), 1);
    /* Replace the journey by one row; the screening stays as it was. */
    rec_kids_clear(got, "case_events");
    add_row(got, "case_events", "step", "Exploitation", "country", "CN");
    assert_int_equal(db_rec_save(db, got, &clerk), 1);
    assert_int_equal(count("SELECT count(*) FROM case_events WHERE case_uuid = ?1", uuid), 1);
    assert_int_equal(count("SELECT count(*) FROM case_events WHERE case_uuid = ?1 AND country = 'CN'", uuid), 1);
    assert_int_equal(count("SELECT count(*) FROM case_screening WHERE case_uuid = ?1", uuid), 1);
    changes = query_text("SELECT changes FROM audit_log WHERE uuid = ?1 AND action = 'update'", uuid);
    assert_non_null(strstr(changes, "\"case_events\""));
    assert_null(strstr(changes, "\"case_screening\""));
    free(changes);
    rec_free(got);
    free(uuid);
}

/* A save that changes the record and not its child rows leaves those rows
 * as they are (not deleted and written again: a trigger of this test counts
 * deletions); a change to one row, a row fewer or two rows swapped is
 * still seen and audited. */
static void test_child_rows_kept(void **state)
{
    struct rec *r = new_case("2025-03-01", "ສົມສັກ", "ແກ້ວມະນີ", "ບ້ານ ໂພນທັນ"), *k, *got;
    const char *ids = "SELECT group_concat(id) FROM (SELECT id FROM case_events WHERE case_uuid = ?1 ORDER BY seq)";
    char *uuid, *before, *after, *changes;

    (void)state;
    add_row(r, "case_events", "step", "Recruitment", "place", "ບ້ານ ໂພນທັນ");
    add_row(r, "case_events", "step", "Exploitation", "country", "TH");
    assert_int_equal(db_rec_save(db, r, &clerk), 1);
    uuid = xstrdup(rec_get(r, "uuid"));
    rec_free(r);
    before = query_text(ids, uuid);
    assert_int_equal(db_exec(db, "CREATE TEMP TABLE kid_deletes (n INTEGER); "
                                 "CREATE TEMP TRIGGER kid_deleted AFTER DELETE ON main.case_events "
                                 "BEGIN INSERT INTO kid_deletes VALUES (1); END"), 0);

    got = db_rec_get(db, "cases", uuid);
    rec_set(got, "home_village", "ບ້ານ ນາຄູນ");
    assert_int_equal(db_rec_save(db, got, &clerk), 1);
    after = query_text(ids, uuid);
    assert_string_equal(after, before);
    assert_int_equal(count("SELECT count(*) FROM kid_deletes", NULL), 0);
    changes = query_text("SELECT changes FROM audit_log WHERE uuid = ?1 AND rev = 2", uuid);
    assert_string_equal(changes, "{\"home_village\":[\"ບ້ານ ໂພນທັນ\",\"ບ້ານ ນາຄູນ\"]}");
    free(changes);
    free(after);
    rec_free(got);

    /* One value of one row. */
    got = db_rec_get(db, "cases", uuid);
    rec_set(got->kids[1], "country", "CN");
    assert_int_equal(db_rec_save(db, got, &clerk), 1);
    assert_int_equal(count("SELECT count(*) FROM kid_deletes", NULL), 2);
    assert_int_equal(count("SELECT count(*) FROM case_events WHERE case_uuid = ?1 AND country = 'CN'", uuid), 1);
    changes = query_text("SELECT changes FROM audit_log WHERE uuid = ?1 AND rev = 3", uuid);
    assert_non_null(strstr(changes, "\"case_events\""));
    free(changes);
    rec_free(got);

    /* The two rows swapped. */
    got = db_rec_get(db, "cases", uuid);
    k = got->kids[0];
    got->kids[0] = got->kids[1];
    got->kids[1] = k;
    assert_int_equal(db_rec_save(db, got, &clerk), 1);
    assert_int_equal(count("SELECT seq FROM case_events WHERE case_uuid = ?1 AND step = 'Exploitation'", uuid), 1);
    rec_free(got);

    /* A row fewer, and then nothing changed at all. */
    got = db_rec_get(db, "cases", uuid);
    rec_kids_clear(got, "case_events");
    add_row(got, "case_events", "step", "Exploitation", "country", "CN");
    assert_int_equal(db_rec_save(db, got, &clerk), 1);
    assert_int_equal(count("SELECT count(*) FROM case_events WHERE case_uuid = ?1", uuid), 1);
    assert_int_equal(db_rec_save(db, got, &clerk), 0);
    assert_int_equal(count("SELECT max(rev) FROM audit_log WHERE uuid = ?1", uuid), 5);
    rec_free(got);
    assert_int_equal(db_exec(db, "DROP TRIGGER temp.kid_deleted; DROP TABLE temp.kid_deletes"), 0);
    free(before);
    free(uuid);
}

static void test_delete_and_restore(void **state)
{
    struct rec *r = new_case("2026-07-07", "ຈັນທະວີ", "ທຳມະວົງ", "ບ້ານ ຫ້ວຍຊາຍ");
    struct db_filter live = {0}, gone = {0};
    int64_t before;
    char *uuid;

    (void)state;
    gone.deleted = 1;
    assert_int_equal(db_rec_save(db, r, &clerk), 1);
    uuid = xstrdup(rec_get(r, "uuid"));
    rec_free(r);
    before = db_list_count(db, "cases", &live);
    assert_int_equal(db_rec_delete(db, "cases", uuid, &clerk), 0);
    assert_int_equal(db_list_count(db, "cases", &live), before - 1);
    assert_int_equal(db_list_count(db, "cases", &gone), 1);
    assert_int_equal(count("SELECT count(*) FROM cases WHERE uuid = ?1 AND deleted_at IS NOT NULL", uuid), 1);
    /* Deleting twice is an error that changes nothing. */
    assert_int_equal(db_rec_delete(db, "cases", uuid, &clerk), -1);
    assert_non_null(strstr(err_msg(), "already deleted"));
    assert_int_equal(count("SELECT rev FROM cases WHERE uuid = ?1", uuid), 2);
    assert_int_equal(db_rec_restore(db, "cases", uuid, &clerk), 0);
    assert_int_equal(db_list_count(db, "cases", &live), before);
    assert_int_equal(db_list_count(db, "cases", &gone), 0);
    assert_int_equal(count("SELECT count(*) FROM audit_log WHERE uuid = ?1 AND action IN "
                           "('delete', 'restore')", uuid), 2);
    free(uuid);
}

/* Keyset paging: walking every page forward and then backward gives each
 * row once, in order, the same both ways. */
static void test_paging(void **state)
{
    struct db_filter f = {0};
    struct db_row page[50];
    int64_t *seen, total;
    int i, n, got = 0, pages = 0;

    (void)state;
    assert_int_equal(db_begin(db), 0);
    for (i = 0; i < NPAGED; i++) {
        char date[32];
        struct rec *r;

        /* Many rows share a date, so the id must break ties. */
        snprintf(date, sizeof(date), "20%02d-%02d-%02d", 10 + i % 17, 1 + i % 12, 1 + i % 28);
        r = new_case(date, i % 2 ? "Somsak" : "ສົມສັກ", "Keomany", "Ban Phonthan");
        assert_int_equal(db_rec_save(db, r, &clerk), 1);
        rec_free(r);
    }
    assert_int_equal(db_commit(db), 0);
    total = db_list_count(db, "cases", &f);
    assert_true(total >= NPAGED);
    seen = xcalloc((size_t)total, sizeof(*seen));

    n = db_list_page(db, "cases", &f, NULL, 1, page, 50);
    while (n > 0) {
        for (i = 0; i < n; i++) {
            assert_true(got < total);
            seen[got++] = page[i].id;
        }
        pages++;
        n = db_list_page(db, "cases", &f, &page[n - 1], 1, page, 50);
    }
    assert_int_equal(n, 0);
    assert_int_equal(got, total);
    assert_int_equal(count("SELECT count(*) FROM cases WHERE deleted_at IS NULL", NULL), total);
    for (i = 1; i < got; i++)
        assert_true(seen[i] != seen[i - 1]);
    /* Order check against SQL's own ordering of the same rows. */
    {
        struct db_stmt *st = db_prepare(db, "SELECT id FROM cases WHERE deleted_at IS NULL "
                                            "ORDER BY ifnull(registered_on, ''), id", 0);

        for (i = 0; db_step(st) == 1; i++)
            assert_int_equal(db_column_int(st, 0), seen[i]);
        assert_int_equal(i, got);
        db_finalize(st);
    }

    /* Backward from the end: the last page first, then each earlier one. */
    n = db_list_page(db, "cases", &f, NULL, 0, page, 50);
    assert_int_equal(n, 50);
    assert_int_equal(page[49].id, seen[got - 1]);
    while (n > 0) {
        for (i = n - 1; i >= 0; i--)
            assert_int_equal(page[i].id, seen[--got]);
        n = db_list_page(db, "cases", &f, &page[0], 0, page, 50);
    }
    assert_int_equal(got, 0);

    /* A middle page, opened from its anchor, is the same as in the walk. */
    {
        struct db_row anchor;
        int mid = (int)total / 2;

        n = db_list_page(db, "cases", &f, NULL, 1, page, 50);
        for (i = 50; i <= mid; i += 50) {
            anchor = page[n - 1];
            n = db_list_page(db, "cases", &f, &anchor, 1, page, 50);
        }
        assert_int_equal(n, 50);
        assert_int_equal(page[0].id, seen[i - 50]);
    }
    assert_true(pages >= NPAGED / 50);
    free(seen);
}

static void test_search(void **state)
{
    struct db_filter f = {0};
    struct db_row rows[20];
    struct rec *r;
    char ref[32];
    int n;

    (void)state;
    r = new_case("2024-08-15", "ກິນເຂົ້າ", "ແສງສຸລິຍາ", "ບ້ານ ສະພັງເມິກ");
    assert_int_equal(db_rec_save(db, r, &clerk), 1);
    snprintf(ref, sizeof(ref), "%s", rec_get(r, "ref"));
    rec_free(r);
    r = new_case("2024-08-16", "Phetsamone", "Sengsouriya", "Ban Saphangmek");
    assert_int_equal(db_rec_save(db, r, &clerk), 1);
    rec_free(r);

    /* Three or more Lao characters: the trigram index, inside a word. */
    f.search = "ສຸລິຍາ";
    n = db_list_page(db, "cases", &f, NULL, 1, rows, 20);
    assert_int_equal(n, 1);
    assert_non_null(strstr(rows[0].title, "ແສງສຸລິຍາ"));
    assert_int_equal(db_list_count(db, "cases", &f), 1);
    f.search = "ພັງເມິກ";
    assert_int_equal(db_list_page(db, "cases", &f, NULL, 1, rows, 20), 1);
    /* Two Lao characters: the base tables (the index finds nothing). */
    f.search = "ເຂົ";
    assert_int_equal(db_list_page(db, "cases", &f, NULL, 1, rows, 20), 1);
    f.search = "ກິ";
    assert_int_equal(db_list_page(db, "cases", &f, NULL, 1, rows, 20), 1);
    assert_int_equal(db_list_count(db, "cases", &f), 1);
    /* Latin, in any case. */
    f.search = "SENGSOU";
    n = db_list_page(db, "cases", &f, NULL, 1, rows, 20);
    assert_int_equal(n, 1);
    assert_non_null(strstr(rows[0].title, "Sengsouriya"));
    f.search = "saphangMEK";
    assert_int_equal(db_list_page(db, "cases", &f, NULL, 1, rows, 20), 1);
    f.search = "pH";
    assert_true(db_list_page(db, "cases", &f, NULL, 1, rows, 20) >= 1);
    f.search = "ບໍ່ມີຊື່ນີ້";
    assert_int_equal(db_list_page(db, "cases", &f, NULL, 1, rows, 20), 0);
    /* By ref, with a quote that must not break the query. */
    f.search = ref;
    assert_int_equal(db_list_page(db, "cases", &f, NULL, 1, rows, 20), 1);
    assert_string_equal(rows[0].ref, ref);
    f.search = "\"Ban";
    assert_int_equal(db_list_page(db, "cases", &f, NULL, 1, rows, 20), 0);
}

static void test_bad_input(void **state)
{
    struct rec *r = rec_new("cases");
    int64_t n = count("SELECT count(*) FROM cases", NULL);

    (void)state;
    rec_set(r, "no_such_column", "x");
    assert_int_equal(db_rec_save(db, r, &clerk), -1);
    assert_non_null(strstr(err_msg(), "no_such_column"));
    rec_free(r);
    r = new_case("2026-01-01", "ສົມສັກ", "ແກ້ວມະນີ", "ບ້ານ ໂພນທັນ");
    rec_set(r, "sex", "female");    /* a label, not a code: the schema refuses it */
    assert_int_equal(db_rec_save(db, r, &clerk), -1);
    rec_free(r);
    r = rec_new("victims");
    assert_int_equal(db_rec_save(db, r, &clerk), -1);
    assert_non_null(strstr(err_msg(), "victims"));
    rec_free(r);
    assert_int_equal(count("SELECT count(*) FROM cases", NULL), n);
}

/* Every audit row goes in through db_audit: one row from a save, rows from
 * a SELECT as a bundle's merge writes them, and an import row's changes stay
 * valid JSON whatever the bundle is called. */
static void test_audit_writer(void **state)
{
    const struct db_audit a = { "2026-01-02T03:04:05Z", "ສົມສັກ", "LA1301", "cases",
                                "11111111-2222-3333-4444-555555555555", "update", 2,
                                "{\"village\":[\"ບ້ານ ໂພນທັນ\",\"ກິນເຂົ້າ\"]}" };
    const char *uuid = "11111111-2222-3333-4444-555555555555";
    char *changes = db_audit_import_changes_alloc("ບ້ານ \"ໂພນທັນ\"\n.tdb");
    char *rows = xasprintf("SELECT at, user, office, tbl, uuid, 'import', rev, '%s' FROM "
                           "main.audit_log WHERE uuid = '%s'", changes, uuid);
    char *sql = db_audit_insert_alloc(rows);
    char *got;

    (void)state;
    assert_string_equal(changes, "{\"bundle\":\"ບ້ານ \\\"ໂພນທັນ\\\"\\n.tdb\"}");
    assert_int_equal(db_audit_add(db, &a), 0);
    assert_int_equal(count("SELECT count(*) FROM audit_log WHERE uuid = ?1 AND action = 'update' "
                           "AND rev = 2 AND user = 'ສົມສັກ' AND office = 'LA1301' "
                           "AND at = '2026-01-02T03:04:05Z' AND json_valid(changes)", uuid), 1);
    assert_int_equal(db_exec(db, sql), 0);
    got = query_text("SELECT json_extract(changes, '$.bundle') FROM audit_log "
                     "WHERE uuid = ?1 AND action = 'import'", uuid);
    assert_string_equal(got, "ບ້ານ \"ໂພນທັນ\"\n.tdb");
    assert_int_equal(db_exec(db, "DELETE FROM audit_log WHERE uuid = '11111111-2222-3333-4444-555555555555'"), 0);
    free(got);
    free(sql);
    free(rows);
    free(changes);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* "table.N.col=value" lines, sorted, of an array of N lines. */
static char *lines_sorted(char **v, size_t n)
{
    struct sbuf b = {0};
    size_t i;

    qsort(v, n, sizeof(*v), cmp_str);
    for (i = 0; i < n; i++) {
        sbuf_add(&b, v[i]);
        sbuf_addc(&b, '\n');
        free(v[i]);
    }
    free(v);
    return b.s ? b.s : xstrdup("");
}

/* The stored rows of a case and its children as sorted lines, read with
 * plain SELECTs (not through the record store). */
static char *stored_text(const char *uuid)
{
    static const char *const sql[] = {
        "SELECT * FROM cases WHERE uuid = ?1",
        "SELECT * FROM case_events WHERE case_uuid = ?1 ORDER BY seq",
        "SELECT * FROM case_screening WHERE case_uuid = ?1 ORDER BY seq",
        "SELECT * FROM case_assistance WHERE case_uuid = ?1 ORDER BY seq",
    };
    static const char *const name[] = { "cases", "case_events", "case_screening", "case_assistance" };
    char **v = NULL;
    size_t n = 0, i;

    for (i = 0; i < ARRAY_LEN(sql); i++) {
        struct db_stmt *st = db_prepare(db, sql[i], 0);
        int row = 0, c;

        assert_non_null(st);
        db_bind_text(st, 1, uuid);
        while (db_step(st) == 1) {
            row++;
            for (c = 0; c < db_column_count(st); c++) {
                const char *col = db_column_name(st, c);

                if (!strcmp(col, "id") || !strcmp(col, "case_uuid") || db_column_is_null(st, c) ||
                    !*db_column_text(st, c))
                    continue;
                v = xrealloc(v, (n + 1) * sizeof(*v));
                v[n++] = xasprintf("%s.%d.%s=%s", name[i], i ? row : 0, col, db_column_text(st, c));
            }
        }
        db_finalize(st);
    }
    return lines_sorted(v, n);
}

static void rec_lines(const struct rec *r, int row, char ***v, size_t *n)
{
    size_t i;

    for (i = 0; i < r->n; i++) {
        if (!r->val[i] || !strcmp(r->col[i], "id"))
            continue;
        *v = xrealloc(*v, (*n + 1) * sizeof(**v));
        (*v)[(*n)++] = xasprintf("%s.%d.%s=%s", r->table, row, r->col[i], r->val[i]);
    }
}

static char *rec_text(const struct rec *r)
{
    char **v = NULL;
    size_t n = 0, k, j;

    rec_lines(r, 0, &v, &n);
    for (k = 0; k < r->nkids; k++) {
        int row = 0;

        for (j = 0; j <= k; j++)
            row += !strcmp(r->kids[j]->table, r->kids[k]->table);
        rec_lines(r->kids[k], row, &v, &n);
    }
    return lines_sorted(v, n);
}

static struct rec *revision(const char *uuid, int64_t rev)
{
    struct db_history *h = db_history_new(db, "cases", uuid);
    struct rec *r;

    assert_non_null(h);
    r = db_history_revision(db, h, rev);
    db_history_free(h);
    return r;
}

/* A create entry holds no values; every revision is rebuilt from the stored
 * record and the old values of the entries after it. */
static void test_revisions(void **state)
{
    struct rec *r = new_case("2026-05-01", "ສົມສັກ", "ແກ້ວມະນີ", "ບ້ານ ໂພນທັນ"), *got;
    char *uuid, *first, *second, *now, *built;

    (void)state;
    add_row(r, "case_events", "step", "Recruitment", "place", "ບ້ານ ໂພນທັນ");
    add_row(r, "case_assistance", "type", "Shelter", "provider", "ກິນເຂົ້າ");
    assert_int_equal(db_rec_save(db, r, &clerk), 1);
    uuid = xstrdup(rec_get(r, "uuid"));
    rec_free(r);
    assert_int_equal(count("SELECT count(*) FROM audit_log WHERE uuid = ?1 AND action = 'create' "
                           "AND changes IS NULL", uuid), 1);
    first = stored_text(uuid);

    /* Revision 2: a field and the journey. */
    got = db_rec_get(db, "cases", uuid);
    rec_set(got, "first_name", "ສົມພອນ");
    rec_set(got, "age", "17");
    add_row(got, "case_events", "step", "Exploitation", "country", "TH");
    assert_int_equal(db_rec_save(db, got, &clerk), 1);
    rec_free(got);
    second = stored_text(uuid);
    /* Revisions 3 and 4: deleted and restored; 5: assistance emptied, a field cleared. */
    assert_int_equal(db_rec_delete(db, "cases", uuid, &clerk), 0);
    assert_int_equal(db_rec_restore(db, "cases", uuid, &clerk), 0);
    got = db_rec_get(db, "cases", uuid);
    rec_kids_clear(got, "case_assistance");
    rec_set(got, "home_village", NULL);
    assert_int_equal(db_rec_save(db, got, &clerk), 1);
    rec_free(got);
    now = stored_text(uuid);
    assert_string_not_equal(first, now);

    got = revision(uuid, 1);
    assert_non_null(got);
    built = rec_text(got);
    assert_string_equal(built, first);
    free(built);
    rec_free(got);
    got = revision(uuid, 5);
    built = rec_text(got);
    assert_string_equal(built, now);
    free(built);
    rec_free(got);
    /* Revision 2's updated_at is its entry's time, which the copy holds too. */
    got = revision(uuid, 2);
    built = rec_text(got);
    assert_string_equal(built, second);
    free(built);
    rec_free(got);

    /* Out of range, and a lost entry: refused, not guessed. */
    assert_null(revision(uuid, 6));
    assert_non_null(strstr(err_msg(), "no revision 6"));
    assert_int_equal(db_exec(db, "DELETE FROM audit_log WHERE action = 'delete'"), 0);
    assert_null(revision(uuid, 1));
    assert_non_null(strstr(err_msg(), "is not complete"));
    assert_non_null(strstr(err_msg(), "revision 3"));
    assert_non_null(got = revision(uuid, 4));
    rec_free(got);
    free(first);
    free(second);
    free(now);
    free(uuid);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_create),
        cmocka_unit_test(test_update_and_no_change),
        cmocka_unit_test(test_stale_rev_refused),
        cmocka_unit_test(test_child_rows),
        cmocka_unit_test(test_child_rows_kept),
        cmocka_unit_test(test_delete_and_restore),
        cmocka_unit_test(test_paging),
        cmocka_unit_test(test_search),
        cmocka_unit_test(test_bad_input),
        cmocka_unit_test(test_audit_writer),
        cmocka_unit_test(test_revisions),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
