/* Tests for db: migrations from an empty file to the newest schema, re-running
 * them, the files db_open must refuse without changing a byte of them
 * (a newer tipdesk's database, another program's SQLite file, not SQLite),
 * and a second connection of the file, hardened for files from elsewhere. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "db.h"
#include "util.h"
#include "testlib.h"

static char dir[64];

static char *path_in(const char *name)
{
    return xasprintf("%s/%s", dir, name);
}

static int setup(void **state)
{
    (void)state;
    return tl_mkdtemp(dir, "db");
}

static int teardown(void **state)
{
    (void)state;
    return tl_rm_rf(dir);
}

static char *slurp(const char *path, size_t *len)
{
    char *s = util_read_file(path, len);

    assert_non_null(s);
    return s;
}

static void assert_file_unchanged(const char *path, const char *before, size_t len)
{
    size_t now_len;
    char *now = slurp(path, &now_len);
    char *wal = xasprintf("%s-wal", path);

    assert_int_equal(now_len, len);
    assert_memory_equal(now, before, len);
    /* Opening must not have turned the file into a WAL database either. */
    assert_int_not_equal(access(wal, F_OK), 0);
    free(wal);
    free(now);
}

/* An SQLite file made by "another program": plain sqlite3, rollback journal. */
static void make_foreign(const char *path, int appid, int version)
{
    sqlite3 *h;
    char *sql = xasprintf("PRAGMA application_id=%d; PRAGMA user_version=%d; "
                          "CREATE TABLE cases(id INTEGER PRIMARY KEY, name TEXT); "
                          "INSERT INTO cases(name) VALUES ('ສົມສັກ ແກ້ວມະນີ');", appid, version);

    assert_int_equal(sqlite3_open(path, &h), SQLITE_OK);
    assert_int_equal(sqlite3_exec(h, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(h);
    free(sql);
}

static void test_migrate_from_empty(void **state)
{
    char *path = path_in("new.db");
    struct db *db;

    (void)state;
    db = db_open(path, DB_OPEN_CREATE);
    assert_non_null(db);
    assert_int_equal(db_schema_version(db), 0);
    assert_int_equal(db_migrate(db), 0);
    assert_true(db_latest_version() >= 2);
    assert_int_equal(db_schema_version(db), db_latest_version());
    assert_int_equal(db_query_int(db, "PRAGMA application_id", NULL, 0), DB_APPLICATION_ID);
    assert_int_equal(db_query_int(db, "SELECT count(*) FROM ref_province", NULL, 0), 18);
    assert_int_equal(db_query_int(db, "SELECT count(*) FROM ref_district", NULL, 0), 148);
    /* Lao names arrive intact through the embedded CSV. */
    assert_int_equal(db_query_int(db, "SELECT count(*) FROM ref_province WHERE pcode = 'LA13' "
                                      "AND name_lo = 'ສະຫວັນນະເຂດ'", NULL, 0), 1);
    assert_int_equal(db_query_int(db, "SELECT count(*) FROM ref_district WHERE name_lo = ?1",
                                  "ຈັນທະບູລີ", 0), 1);
    assert_int_equal(db_query_int(db, "SELECT count(*) FROM ref_country WHERE iso2 = 'TH' "
                                      "AND name_lo = 'ໄທ'", NULL, 0), 1);
    assert_int_equal(db_query_int(db, "SELECT count(*) FROM ref_district d LEFT JOIN ref_province p "
                                      "ON p.pcode = d.province WHERE p.pcode IS NULL", NULL, -1), 0);
    db_close(db);
    free(path);
}

/* The schema and reference rows, as one comparable string. */
static char *fingerprint(struct db *db)
{
    struct db_stmt *st = db_prepare(db,
        "SELECT (SELECT group_concat(name || ':' || ifnull(sql, ''), '|') FROM sqlite_schema), "
        "(SELECT count(*) FROM ref_province), (SELECT count(*) FROM ref_district), "
        "(SELECT count(*) FROM ref_country), (SELECT group_concat(name_lo) FROM ref_province)", 0);
    char *s;

    assert_non_null(st);
    assert_int_equal(db_step(st), 1);
    s = xasprintf("%s/%lld/%lld/%lld/%s/v%d", db_column_text(st, 0), (long long)db_column_int(st, 1),
                  (long long)db_column_int(st, 2), (long long)db_column_int(st, 3),
                  db_column_text(st, 4), db_schema_version(db));
    db_finalize(st);
    return s;
}

static void test_migrate_twice_is_noop(void **state)
{
    char *path = path_in("twice.db");
    struct db *db = db_open(path, DB_OPEN_CREATE);
    char *before, *after;

    (void)state;
    assert_non_null(db);
    assert_int_equal(db_migrate(db), 0);
    before = fingerprint(db);
    assert_int_equal(db_migrate(db), 0);
    db_close(db);
    db = db_open(path, DB_OPEN_EXISTING);
    assert_non_null(db);
    assert_int_equal(db_migrate(db), 0);
    after = fingerprint(db);
    assert_string_equal(before, after);
    db_close(db);
    free(before);
    free(after);
    free(path);
}

static void test_newer_schema_refused(void **state)
{
    char *path = path_in("newer.db"), *bytes;
    struct db *db = db_open(path, DB_OPEN_CREATE);
    char sql[64];
    size_t len;

    (void)state;
    assert_non_null(db);
    assert_int_equal(db_migrate(db), 0);
    snprintf(sql, sizeof(sql), "PRAGMA user_version=%d", db_latest_version() + 1);
    assert_int_equal(db_exec(db, sql), 0);
    assert_int_equal(db_exec(db, "PRAGMA journal_mode=DELETE"), 0);
    db_close(db);
    bytes = slurp(path, &len);
    assert_null(db_open(path, DB_OPEN_EXISTING));
    assert_non_null(strstr(err_msg(), "newer tipdesk"));
    assert_non_null(strstr(err_msg(), path));
    assert_null(db_open(path, DB_OPEN_CREATE));
    assert_non_null(strstr(err_msg(), "newer tipdesk"));
    assert_file_unchanged(path, bytes, len);
    free(bytes);
    free(path);
}

static void test_foreign_sqlite_refused(void **state)
{
    static const int appids[] = { 0x12345678, 0 };
    size_t i;

    (void)state;
    for (i = 0; i < ARRAY_LEN(appids); i++) {
        char *path = path_in(i ? "plain.db" : "other-app.db"), *bytes;
        size_t len;

        make_foreign(path, appids[i], 0);
        bytes = slurp(path, &len);
        assert_null(db_open(path, DB_OPEN_EXISTING));
        assert_non_null(strstr(err_msg(), "not a tipdesk database"));
        assert_non_null(strstr(err_msg(), "another program"));
        assert_null(db_open(path, DB_OPEN_CREATE));
        assert_null(db_open(path, DB_OPEN_READONLY));
        assert_file_unchanged(path, bytes, len);
        free(bytes);
        free(path);
    }
}

static void test_not_sqlite_refused(void **state)
{
    /* A config file, and a header that is almost SQLite's (NUL inside). */
    static const char text[] = "[office]\ncode = LA1301\n";
    static const char almost[] = "SQLite format 2\0garbage that only looks like a header";
    static const struct { const char *p; size_t n; } contents[] = {
        { text, sizeof(text) }, { almost, sizeof(almost) },
    };
    unsigned char noise[3000];
    size_t i, len;
    char *path, *bytes;
    FILE *f;

    (void)state;
    for (i = 0; i < sizeof(noise); i++)
        noise[i] = (unsigned char)(i * 131 + 7);
    for (i = 0; i < ARRAY_LEN(contents) + 1; i++) {
        path = xasprintf("%s/junk%zu.db", dir, i);
        f = fopen(path, "wb");
        assert_non_null(f);
        if (i < ARRAY_LEN(contents))
            fwrite(contents[i].p, 1, contents[i].n, f);
        else
            fwrite(noise, 1, sizeof(noise), f);
        fclose(f);
        bytes = slurp(path, &len);
        assert_null(db_open(path, DB_OPEN_CREATE));
        assert_non_null(strstr(err_msg(), "not an SQLite file"));
        assert_non_null(strstr(err_msg(), path));
        assert_file_unchanged(path, bytes, len);
        free(bytes);
        free(path);
    }
}

static void test_missing_file(void **state)
{
    char *path = path_in("absent.db");

    (void)state;
    assert_null(db_open(path, DB_OPEN_EXISTING));
    assert_non_null(strstr(err_msg(), "tipdesk init"));
    assert_int_not_equal(access(path, F_OK), 0);
    free(path);
}

static void test_integrity_of_fresh_db(void **state)
{
    char *path = path_in("fresh.db");
    struct db *db = db_open(path, DB_OPEN_CREATE);
    struct sbuf out = {0};

    (void)state;
    assert_non_null(db);
    assert_int_equal(db_migrate(db), 0);
    assert_int_equal(db_integrity(db, 0, &out), 0);
    assert_string_equal(sbuf_str(&out), "");
    /* A child row pointing at no case is a foreign-key problem. */
    assert_int_equal(db_exec(db, "PRAGMA foreign_keys=OFF; INSERT INTO case_events(case_uuid, seq) "
                                 "VALUES ('00000000-0000-4000-8000-000000000000', 1); "
                                 "PRAGMA foreign_keys=ON"), 0);
    assert_int_equal(db_integrity(db, 0, &out), 1);
    assert_non_null(strstr(sbuf_str(&out), "case_events"));
    sbuf_free(&out);
    db_close(db);
    free(path);
}

/* A peer works on DB's file beside DB: it sees what DB committed, has
 * transactions of its own, DB's settings, and ATTACH through it makes a
 * new file. */
static void test_peer_connection(void **state)
{
    char *path = path_in("peer.db"), *made = path_in("made-by-attach.db");
    struct db *db = db_open(path, DB_OPEN_CREATE), *peer;
    struct db_stmt *st;

    (void)state;
    assert_non_null(db);
    assert_int_equal(db_exec(db, "CREATE TABLE t (x); INSERT INTO t VALUES ('a')"), 0);
    assert_non_null(peer = db_open_peer(db));
    assert_string_equal(db_path(peer), path);
    assert_int_equal(db_query_int(peer, "SELECT count(*) FROM t", NULL, -1), 1);
    assert_int_equal(db_query_int(peer, "PRAGMA foreign_keys", NULL, -1), 1);
    assert_int_equal(db_query_int(peer, "PRAGMA synchronous", NULL, -1), 2);
    assert_int_equal(db_begin(peer), 0);
    assert_true(db_in_tx(peer));
    assert_false(db_in_tx(db));
    assert_non_null(st = db_prepare(peer, "INSERT INTO t VALUES (?1)", 0));
    assert_int_equal(db_bind_parameter_count(st), 1);
    db_bind_text(st, 1, "b");
    assert_int_equal(db_step(st), 0);
    db_finalize(st);
    assert_int_equal(db_last_insert_rowid(peer), 2);
    assert_int_equal(db_changes(peer), 1);
    assert_int_equal(db_query_int(db, "SELECT count(*) FROM t", NULL, -1), 1);
    assert_int_equal(db_commit(peer), 0);
    assert_int_equal(db_query_int(db, "SELECT count(*) FROM t", NULL, -1), 2);
    assert_non_null(st = db_prepare(peer, "ATTACH ?1 AS o", 0));
    db_bind_text(st, 1, made);
    assert_int_equal(db_step(st), 0);
    db_finalize(st);
    assert_int_equal(db_exec(peer, "CREATE TABLE o.u (y); INSERT INTO o.u VALUES (x'00ff')"), 0);
    assert_int_equal(access(made, F_OK), 0);
    assert_non_null(st = db_prepare(peer, "SELECT y, length(y) FROM o.u", 0));
    assert_int_equal(db_step(st), 1);
    assert_int_equal(db_column_type(st, 0), DB_BLOB);
    assert_int_equal(db_column_type(st, 1), DB_INTEGER);
    assert_string_equal(db_column_text(st, 1), "2");
    assert_int_equal(db_column_bytes(st, 1), 1);
    db_finalize(st);
    db_close(peer);
    db_close(db);
    free(made);
    free(path);
}

/* A hardened peer refuses a value or SQL over its lengths, says when a file
 * is damaged, stops work past its bound for good, and its failures can name
 * another file; DB itself stays unbound. */
static void test_harden_bounds(void **state)
{
    char *path = path_in("hard.db"), *junk = path_in("junk.tipx");
    struct db *db = db_open(path, DB_OPEN_CREATE), *peer;
    struct db_limits lim = { 1000, 200, 1000000 };
    struct db_stmt *st;
    char sql[300];
    FILE *f;

    (void)state;
    assert_non_null(db);
    assert_non_null(peer = db_open_peer(db));
    assert_int_equal(db_harden(peer, &lim), 0);
    assert_int_equal(db_query_int(peer, "PRAGMA trusted_schema", NULL, -1), 0);
    assert_int_equal(db_query_int(peer, "PRAGMA cell_size_check", NULL, -1), 1);
    assert_int_equal(db_query_int(peer, "SELECT length(zeroblob(1000))", NULL, -1), 1000);
    assert_non_null(st = db_prepare(peer, "SELECT zeroblob(1001)", 0));
    assert_int_equal(db_step(st), -1);
    db_finalize(st);
    assert_int_equal(db_fault(peer), DB_FAULT_TOO_BIG);
    assert_int_equal(db_fail(peer, "x.tipx"), -1);
    assert_int_equal(strncmp(err_msg(), "x.tipx: ", 8), 0);
    assert_non_null(strstr(err_msg(), db_errmsg(peer)));
    snprintf(sql, sizeof(sql), "SELECT '%0250d'", 0);
    assert_null(db_prepare(peer, sql, 0));
    assert_non_null(strstr(err_msg(), path));
    assert_non_null(f = fopen(junk, "w"));
    for (int i = 0; i < 200; i++)
        fputs("not a database at all ", f);
    fclose(f);
    assert_non_null(st = db_prepare(peer, "ATTACH ?1 AS j", 0));
    db_bind_text(st, 1, junk);
    assert_int_equal(db_step(st), -1);
    db_finalize(st);
    assert_int_equal(db_fault(peer), DB_FAULT_DAMAGED);
    assert_non_null(st = db_prepare(peer, "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r "
                                          "WHERE n < 10000000) SELECT count(*) FROM r", 0));
    assert_int_equal(db_step(st), -1);
    db_finalize(st);
    assert_int_equal(db_fault(peer), DB_FAULT_WORK);
    assert_int_equal(db_query_int(peer, "SELECT 7", NULL, -1), 7);
    assert_int_equal(db_fault(peer), DB_FAULT_WORK);
    assert_int_equal(db_query_int(db, "SELECT length(zeroblob(5000))", NULL, -1), 5000);
    assert_int_equal(db_fault(db), DB_FAULT_OTHER);
    db_close(peer);
    db_close(db);
    free(junk);
    free(path);
}

/* A statement that changes megabytes inside a transaction keeps them in a
 * statement journal, which spills from memory to a file: it works, and a
 * statement that fails half-way is taken back on its own while what came
 * before it in the transaction stays. */
static void test_big_statement_journal(void **state)
{
    char *path = path_in("stmt.db");
    struct db *db = db_open(path, DB_OPEN_CREATE);

    (void)state;
    assert_non_null(db);
    assert_int_equal(db_exec(db, "CREATE TABLE t (id INTEGER PRIMARY KEY, k INTEGER UNIQUE, "
                                 "v BLOB CHECK (length(v) > 0)); "
                                 "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r "
                                 "WHERE n < 20000) INSERT INTO t SELECT n, n, randomblob(300) FROM r"), 0);
    assert_int_equal(db_begin(db), 0);
    assert_int_equal(db_exec(db, "INSERT INTO t VALUES (0, 0, x'01')"), 0);
    /* about 6 MB of pages, journalled before each is changed */
    assert_int_equal(db_exec(db, "UPDATE t SET v = zeroblob(310) WHERE id > 0"), 0);
    /* fails on the last row (k 0 is taken), after every other row changed */
    assert_int_equal(db_exec(db, "UPDATE t SET k = CASE id WHEN 20000 THEN 0 ELSE -k END, "
                                 "v = x'02' WHERE id > 0"), -1);
    assert_int_equal(db_commit(db), 0);
    assert_int_equal(db_query_int(db, "SELECT count(*) FROM t WHERE length(v) = 310 AND k = id", NULL, -1),
                     20000);
    assert_int_equal(db_query_int(db, "SELECT count(*) FROM t WHERE id = 0 AND v = x'01'", NULL, -1), 1);
    db_close(db);
    free(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_migrate_from_empty),
        cmocka_unit_test(test_migrate_twice_is_noop),
        cmocka_unit_test(test_newer_schema_refused),
        cmocka_unit_test(test_foreign_sqlite_refused),
        cmocka_unit_test(test_not_sqlite_refused),
        cmocka_unit_test(test_missing_file),
        cmocka_unit_test(test_integrity_of_fresh_db),
        cmocka_unit_test(test_peer_connection),
        cmocka_unit_test(test_harden_bounds),
        cmocka_unit_test(test_big_statement_journal),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
