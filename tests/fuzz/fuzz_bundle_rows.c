/* bundle_import (dry run) of a valid bundle whose rows the input edits, its
 * checksum made right again, so the checks of every row's values and links
 * and the merge are reached (a raw fuzzed file rarely passes the checksum).
 * The input is a list of edits: TABLE ROW COLUMN KIND LEN, then LEN bytes
 * of value; KIND says text, integer, NULL, delete the row or copy it, or
 * changes the schema (ROW picks how: a view named like the table, one that
 * recurses, another view, a trigger, an index, a table or column of its
 * own), which the import must refuse whatever the rows say.  The
 * bundle is $TIPDESK_FUZZ_BUNDLE, imported into the office of
 * $TIPDESK_FUZZ_CONFIG. */
#include "fuzz.h"

#include <sqlite3.h>

#include "bundle.h"
#include "config.h"
#include "db.h"
#include "../../src/db_bundle_sql.h"

static struct config *cfg;
static struct db *db;
static char *path, *bundle;
static size_t bundle_len;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    struct bundle_summary s;

    (void)argc;
    (void)argv;
    if (!(cfg = config_load(fuzz_need_env("TIPDESK_FUZZ_CONFIG"))) ||
        !(db = db_open(cfg->db_path, DB_OPEN_EXISTING)) || db_migrate(db) < 0 ||
        !(bundle = util_read_file(fuzz_need_env("TIPDESK_FUZZ_BUNDLE"), &bundle_len)))
        die("%s", err_msg());
    path = xasprintf("%s/rows.tipx", fuzz_dir());
    fuzz_write(path, bundle, bundle_len);
    if (bundle_import(db, cfg, path, 1, &s, NULL) < 0)
        die("the unchanged bundle is refused: %s", err_msg());
    bundle_summary_free(&s);
    return 0;
}

/* A change of the schema around table T: what a forger could add. */
static void schema_edit(sqlite3 *h, const char *t, const uint8_t *e, const char *v)
{
    char *q = sqlite3_mprintf("%Q", v), *sql;

    switch (e[1] % 7) {
    case 0:
        sql = xasprintf("ALTER TABLE \"%s\" RENAME TO \"%s_\"; CREATE VIEW \"%s\" AS SELECT * FROM \"%s_\" "
                        "WHERE rowid %% 2 = %d", t, t, t, t, e[2] % 2);
        break;
    case 1:
        sql = xasprintf("ALTER TABLE \"%s\" RENAME TO \"%s_\"; CREATE VIEW \"%s\" AS WITH RECURSIVE "
                        "r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT \"%s_\".* FROM r, \"%s_\"",
                        t, t, t, t, t);
        break;
    case 2:
        sql = xasprintf("CREATE VIEW \"v%d\" AS SELECT %s AS x", e[2], q);
        break;
    case 3:
        sql = xasprintf("CREATE TRIGGER \"g%d\" AFTER INSERT ON \"%s\" BEGIN SELECT %s; END", e[2], t, q);
        break;
    case 4:
        sql = xasprintf("CREATE INDEX \"i%d\" ON \"%s\"(rowid)", e[2], t);
        break;
    case 5:
        sql = xasprintf("CREATE TABLE \"x%d\" (v); INSERT INTO \"x%d\" VALUES (%s)", e[2], e[2], q);
        break;
    default:
        sql = xasprintf("ALTER TABLE \"%s\" ADD COLUMN \"c%d\" TEXT DEFAULT %s", t, e[2], q);
    }
    sqlite3_exec(h, sql, NULL, NULL, NULL);
    free(sql);
    sqlite3_free(q);
}

/* Applies one edit to table T of the bundle open in H. */
static void edit(sqlite3 *h, const char *t, const uint8_t *e, const char *v, size_t n)
{
    int64_t rows = 0;
    sqlite3_stmt *st;
    char *sql = xasprintf("SELECT count(*) FROM \"%s\"", t), *col = NULL;

    if (sqlite3_prepare_v2(h, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        rows = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    free(sql);
    if (e[3] % 6 == 5) {
        schema_edit(h, t, e, v);
        return;
    }
    if (!rows)
        return;
    sql = xasprintf("SELECT name FROM pragma_table_info('%s') LIMIT 1 OFFSET %d", t, e[2] % 24);
    if (sqlite3_prepare_v2(h, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        col = xstrdup((const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    free(sql);
    if (!col)
        return;
    switch (e[3] % 6) {
    case 3:
        sql = xasprintf("DELETE FROM \"%s\" WHERE rowid = (SELECT rowid FROM \"%s\" LIMIT 1 OFFSET ?2)", t, t);
        break;
    case 4:
        sql = xasprintf("INSERT OR IGNORE INTO \"%s\" SELECT * FROM \"%s\" LIMIT 1 OFFSET ?2", t, t);
        break;
    default:
        sql = xasprintf("UPDATE OR IGNORE \"%s\" SET \"%s\" = ?1 WHERE rowid = "
                        "(SELECT rowid FROM \"%s\" LIMIT 1 OFFSET ?2)", t, col, t);
    }
    if (sqlite3_prepare_v2(h, sql, -1, &st, NULL) == SQLITE_OK) {
        if (e[3] % 6 == 0)
            sqlite3_bind_text(st, 1, v, (int)n, SQLITE_TRANSIENT);
        else if (e[3] % 6 == 1)
            sqlite3_bind_int64(st, 1, strtoll(v, NULL, 10));
        sqlite3_bind_int64(st, 2, e[1] % rows);
        sqlite3_step(st);
    }
    sqlite3_finalize(st);
    free(sql);
    free(col);
}

static int stop_after(void *ctx)
{
    return --*(long *)ctx < 0;
}

/* The checksum of the bundle at PATH made right again, through a
 * connection of the database with the bundle attached, its work bounded
 * (a recursive view is never read to its end). */
static void reseal(void)
{
    struct db_limits bound = { 0, 0, 20000000 };
    struct db *h = db_open_peer(db);
    struct db_stmt *st;
    char sum[65];

    if (!h || db_harden(h, &bound) < 0 || !(st = db_prepare(h, "ATTACH ?1 AS f", 0)))
        die("%s", err_msg());
    db_bind_text(st, 1, path);
    if (db_step(st) < 0)
        die("%s", err_msg());
    db_finalize(st);
    if (dbb_checksum(h, "f", sum, NULL, 0, 0) < 0)
        sum[0] = '\0';
    if ((st = db_prepare(h, "UPDATE f.manifest SET value = ?1 WHERE key = 'checksum'", 0))) {
        db_bind_text(st, 1, sum);
        db_step(st);
        db_finalize(st);
    }
    db_close(h);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct bundle_summary s;
    long steps = 20000;
    sqlite3 *h;
    size_t i = 0;

    fuzz_write(path, bundle, bundle_len);
    if (sqlite3_open(path, &h) != SQLITE_OK)
        die("%s: cannot open", path);
    /* A recursive view is never read to its end by the edits. */
    sqlite3_progress_handler(h, 1000, stop_after, &steps);
    while (i + 5 <= size) {
        const uint8_t *e = data + i;
        size_t n = e[4] % 64 < size - i - 5 ? e[4] % 64 : size - i - 5;
        char *v = xstrndup((const char *)e + 5, n);
        const char *t = e[0] % (BT_N + 1) == BT_N ? "manifest" : bundle_tables[e[0] % (BT_N + 1)];
        edit(h, t, e, v, n);
        free(v);
        i += 5 + n;
    }
    sqlite3_close(h);
    reseal();
    bundle_import(db, cfg, path, 1, &s, NULL);
    bundle_summary_free(&s);
    if (db_in_tx(db))
        die("bundle_import left a transaction open");
    err_clear();
    return 0;
}
