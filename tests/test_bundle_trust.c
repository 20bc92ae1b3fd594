/* Bundles forged with a correct checksum: the import still refuses a schema
 * other than the writer's (views, triggers, extra tables), values beyond the
 * forms' limits or the canonical ranges (rev, refs), and a value too large
 * to read, each with a message naming the file and quoting no control byte,
 * and the province's database unchanged byte for byte. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "bundle.h"
#include "config.h"
#include "db.h"
#include "demo.h"
#include "util.h"
#include "testlib.h"
#include "../src/db_bundle_sql.h"

static char dir[64];
static struct config district, province;
static struct db *ddb, *pdb;
static char *good;

static void office(struct config *c, const char *code, enum office_level level, const char *sub)
{
    const char *src = getenv("TIPDESK_SRC");

    c->office_code = xstrdup(code);
    c->level = level;
    c->db_path = xasprintf("%s/%s.db", dir, sub);
    c->export_dir = xasprintf("%s/%s-exports", dir, sub);
    c->forms_dir = xasprintf("%s/forms", src && *src ? src : ".");
    c->user = xstrdup("noy");
}

static int setup(void **state)
{
    struct db_actor who = { "LA1301", "noy" };
    struct demo_opts o = { 12, 3, 3, 7, tl_demo_forms() };
    struct bundle_export x = {0};

    (void)state;
    snprintf(dir, sizeof(dir), "/tmp/tipdesk-trust.XXXXXX");
    if (!mkdtemp(dir))
        return -1;
    office(&district, "LA1301", LEVEL_DISTRICT, "district");
    office(&province, "LA13", LEVEL_PROVINCE, "province");
    good = xasprintf("%s/good.tipx", dir);
    x.all = 1;
    x.out = good;
    if (!(ddb = db_open(district.db_path, DB_OPEN_CREATE)) || db_migrate(ddb) < 0 ||
        demo_generate(ddb, &who, &o) < 0 || bundle_export(ddb, &district, &x, NULL) < 0 ||
        !(pdb = db_open(province.db_path, DB_OPEN_CREATE)) || db_migrate(pdb) < 0) {
        fprintf(stderr, "setup: %s\n", err_msg());
        return -1;
    }
    bundle_export_free(&x);
    return 0;
}

static int teardown(void **state)
{
    char *cmd = xasprintf("rm -rf '%s'", dir);
    int rc;

    (void)state;
    db_close(ddb);
    db_close(pdb);
    rc = system(cmd);
    free(cmd);
    free(good);
    return rc;
}

/* The checksum of the bundle PATH made right again, as a forger would
 * (unless reading it never ends, as with a recursive view), through a
 * connection of the district's database with the bundle attached. */
static void reseal(const char *path)
{
    struct db_limits bound = { 0, 0, 100000000 };
    struct db *h = db_open_peer(ddb);
    struct db_stmt *st;
    char sum[65];

    assert_non_null(h);
    assert_int_equal(db_harden(h, &bound), 0);
    assert_non_null(st = db_prepare(h, "ATTACH ?1 AS f", 0));
    db_bind_text(st, 1, path);
    assert_int_equal(db_step(st), 0);
    db_finalize(st);
    if (dbb_checksum(h, "f", sum, NULL, 0, 0) == 0) {
        assert_non_null(st = db_prepare(h, "UPDATE f.manifest SET value = ?1 WHERE key = 'checksum'", 0));
        db_bind_text(st, 1, sum);
        assert_int_equal(db_step(st), 0);
        db_finalize(st);
    }
    db_close(h);
}

/* A copy of the good bundle as NAME, changed by SQL, its checksum made
 * right again.  Returns the path (caller frees). */
static char *forge(const char *name, const char *sql)
{
    char *path = xasprintf("%s/%s", dir, name), *cmd = xasprintf("cp '%s' '%s'", good, path);
    sqlite3 *h;

    assert_int_equal(system(cmd), 0);
    free(cmd);
    assert_int_equal(sqlite3_open(path, &h), SQLITE_OK);
    assert_int_equal(sqlite3_exec(h, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(h);
    reseal(path);
    return path;
}

/* The province's database and WAL as bytes (caller frees). */
static char *snapshot(size_t *n)
{
    char *wal = xasprintf("%s-wal", province.db_path);
    size_t a = 0, b = 0;
    char *x = util_read_file(province.db_path, &a), *y = util_read_file(wal, &b);
    char *all = xmalloc(a + b + 1);

    memcpy(all, x ? x : "", a);
    memcpy(all + a, y ? y : "", b);
    *n = a + b;
    free(x);
    free(y);
    free(wal);
    return all;
}

/* Imports PATH (for real) and expects a refusal naming it whose message
 * holds WANT, has no ESC and leaves the province's bytes as they were. */
static void refused(char *path, const char *want)
{
    struct bundle_summary s;
    size_t n0, n1;
    char *before = snapshot(&n0), *after;
    int rc = bundle_import(pdb, &province, path, 0, &s, NULL);

    bundle_summary_free(&s);
    if (rc == 0 || !strstr(err_msg(), want))
        fail_msg("%s: rc %d, message: %s", path, rc, err_msg());
    assert_non_null(strstr(err_msg(), util_printable(strrchr(path, '/') + 1)));
    assert_null(strchr(err_msg(), '\x1b'));
    assert_null(strchr(err_msg(), '\n'));
    after = snapshot(&n1);
    assert_int_equal(n0, n1);
    assert_memory_equal(before, after, n0);
    free(before);
    free(after);
    free(path);
}

static void test_the_good_bundle_imports(void **state)
{
    struct bundle_summary s;

    (void)state;
    assert_int_equal(bundle_import(pdb, &province, good, 1, &s, NULL), 0);
    assert_int_equal(s.inserted, 18);
    bundle_summary_free(&s);
}

static void test_schema_other_than_the_writers(void **state)
{
    (void)state;
    refused(forge("view.tipx", "ALTER TABLE cases RENAME TO c2; CREATE VIEW cases AS SELECT * FROM c2"),
            "the view 'cases'");
    refused(forge("trigger.tipx", "CREATE TRIGGER tg AFTER INSERT ON events BEGIN SELECT 1; END"),
            "the trigger 'tg'");
    refused(forge("extra.tipx", "CREATE TABLE notes_of_mine (x)"), "the table 'notes_of_mine'");
    refused(forge("index.tipx", "CREATE INDEX by_ref ON cases(ref)"), "the index 'by_ref'");
    refused(forge("recursive.tipx", "ALTER TABLE events RENAME TO e2; CREATE VIEW events AS "
                  "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT e2.* FROM r, e2"),
            "the view 'events'");
    refused(forge("default.tipx", "CREATE TABLE t2 AS SELECT * FROM events; DROP TABLE events; "
                  "CREATE TABLE events AS SELECT * FROM t2; DROP TABLE t2"), "the table 'events'");
}

static void test_rev_ref_and_lengths(void **state)
{
    (void)state;
    refused(forge("rev.tipx", "UPDATE cases SET rev = 9223372036854775807 WHERE rowid = 1"),
            "not a whole number from 1 to 1000000000");
    refused(forge("rev2.tipx", "UPDATE events SET rev = 1000000001 WHERE rowid = 1"),
            "rev '1000000001'");
    refused(forge("seq.tipx", "UPDATE case_events SET seq = 4611686018427387904 WHERE rowid = 1"),
            "not a whole number from 1 to 1000000000");
    refused(forge("ref.tipx", "UPDATE cases SET ref = substr(ref, 1, 12) || '9223372036854775807' "
                  "WHERE rowid = 1"), "a number of up to 9 digits");
    /* cases.notes: maxlen 4000 in forms/case.ini; 4001 Lao letters. */
    refused(forge("notes.tipx", "WITH RECURSIVE r(n, s) AS (SELECT 1, 'ກ' UNION ALL "
                  "SELECT n + 1, s || 'ກ' FROM r WHERE n < 4001) "
                  "UPDATE cases SET notes = (SELECT s FROM r WHERE n = 4001) WHERE rowid = 2"),
            "notes is 4001 characters long, more than the 4000 the forms allow");
}

static void test_no_control_bytes_in_messages(void **state)
{
    (void)state;
    refused(forge("esc.tipx", "UPDATE cases SET sex = char(27) || ']52;c;ZWNobyBoaQ==' || char(7) "
                  "WHERE rowid = 1"), "sex '\\x1B]52;c;ZWNobyBoaQ==\\x07'");
    refused(forge("esc\x1b]52;c;aGk=\x07.tipx", "CREATE VIEW v AS SELECT 1"), "esc\\x1B]52;c;aGk=\\x07.tipx");
}

/* 100 MB in one note (made by the sqlite3 tool, so that this process never
 * holds it): refused at once, without reading it into memory. */
static void test_huge_value_bounded(void **state)
{
    char *path = xasprintf("%s/huge.tipx", dir);
    char *cmd = xasprintf("cp '%s' '%s' && sqlite3 '%s' \"UPDATE cases SET notes = "
                          "CAST(zeroblob(100000000) AS TEXT) WHERE rowid = 3\"", good, path, path);
    struct rusage r0, r1;
    struct timespec t0, t1;

    (void)state;
    assert_int_equal(system(cmd), 0);
    free(cmd);
    getrusage(RUSAGE_SELF, &r0);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    refused(path, "longer than 8 MB");
    clock_gettime(CLOCK_MONOTONIC, &t1);
    getrusage(RUSAGE_SELF, &r1);
    assert_true(r1.ru_maxrss - r0.ru_maxrss < 40 * 1024);
    assert_true(t1.tv_sec - t0.tv_sec < 20);
}

/* Audit rows: a create row's changes are empty (the values of revision 1
 * are rebuilt from the record and the later rows), an older tipdesk's full
 * create row still imports, and rows of any other shape are refused. */
static void test_audit_rows(void **state)
{
    struct bundle_summary s;
    sqlite3 *h;
    sqlite3_stmt *st;
    char *old;

    (void)state;
    assert_int_equal(sqlite3_open(good, &h), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(h, "SELECT count(*), count(changes) FROM audit_log WHERE action = 'create'",
                                        -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(st, 0), 18);
    assert_int_equal(sqlite3_column_int(st, 1), 0);
    sqlite3_finalize(st);
    sqlite3_close(h);

    old = forge("oldcreate.tipx", "UPDATE audit_log SET changes = "
                "'{\"first_name\":[null,\"ສົມສັກ\"],\"case_events\":[null,[{\"step\":\"Recruitment\"}]]}' "
                "WHERE action = 'create' AND tbl = 'cases'");
    if (bundle_import(pdb, &province, old, 1, &s, NULL) != 0)
        fail_msg("an older full create row: %s", err_msg());
    bundle_summary_free(&s);
    free(old);

    refused(forge("create2.tipx", "UPDATE audit_log SET rev = 2 WHERE rowid = "
                  "(SELECT min(rowid) FROM audit_log WHERE action = 'create')"), "is not revision 1");
    refused(forge("createjson.tipx", "UPDATE audit_log SET changes = '{\"first_name\":' WHERE rowid = "
                  "(SELECT min(rowid) FROM audit_log WHERE action = 'create')"),
            "has changes that are not a JSON object");
    refused(forge("createarray.tipx", "UPDATE audit_log SET changes = '[\"ສົມສັກ\"]' WHERE rowid = "
                  "(SELECT min(rowid) FROM audit_log WHERE action = 'create')"),
            "has changes that are not a JSON object");
    refused(forge("update0.tipx", "UPDATE audit_log SET action = 'update', rev = 2 WHERE rowid = "
                  "(SELECT min(rowid) FROM audit_log WHERE action = 'create')"), "has no changes");
    refused(forge("pair.tipx", "UPDATE audit_log SET action = 'update', rev = 2, changes = '{\"age\":\"17\"}' "
                  "WHERE rowid = (SELECT min(rowid) FROM audit_log WHERE action = 'create')"),
            "has a change that is not a pair [old, new]");
    refused(forge("import.tipx", "UPDATE audit_log SET action = 'import', changes = '{}' WHERE rowid = "
                  "(SELECT min(rowid) FROM audit_log WHERE action = 'create')"), "names no bundle");
}

/* Children and audit rows must be about records of the bundle, checked in
 * constant memory: a cursor along the records, and SQL for the audit rows. */
static void test_rows_about_missing_records(void **state)
{
    (void)state;
    refused(forge("kidlast.tipx", "UPDATE case_events SET case_uuid = 'ffffffff-ffff-4fff-bfff-ffffffffffff' "
                  "WHERE rowid = (SELECT max(rowid) FROM case_events)"),
            "points at ffffffff-ffff-4fff-bfff-ffffffffffff, which is not a cases record in the bundle");
    refused(forge("noparent.tipx", "DELETE FROM prosecutions WHERE rowid = (SELECT min(rowid) FROM prosecutions "
                  "WHERE uuid IN (SELECT prosecution_uuid FROM suspects)); "
                  "UPDATE manifest SET value = value - 1 WHERE key = 'count.prosecutions'"),
            "which is not a prosecutions record in the bundle");
    refused(forge("auditof.tipx", "UPDATE audit_log SET uuid = 'ffffffff-ffff-4fff-bfff-ffffffffffff' "
                  "WHERE rowid = (SELECT max(rowid) FROM audit_log WHERE tbl = 'events')"),
            "audit row of events ffffffff-ffff-4fff-bfff-ffffffffffff is not about a record in the bundle");
    refused(forge("twice.tipx", "INSERT INTO events SELECT * FROM events WHERE rowid = 1; "
                  "UPDATE manifest SET value = value + 1 WHERE key = 'count.events'"), "is out of order");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_the_good_bundle_imports),
        cmocka_unit_test(test_schema_other_than_the_writers),
        cmocka_unit_test(test_rev_ref_and_lengths),
        cmocka_unit_test(test_no_control_bytes_in_messages),
        cmocka_unit_test(test_huge_value_bounded),
        cmocka_unit_test(test_audit_rows),
        cmocka_unit_test(test_rows_about_missing_records),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
