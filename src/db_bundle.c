/* Bundles on the SQLite side: write through ATTACH, verify read-only, merge
 * by uuid and rev with INSERT ... SELECT so that a 100 000-record bundle
 * costs about what the same upsert costs in the sqlite3 tool. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>
#include <sqlite3.h>

#include "bundle.h"
#include "canon.h"
#include "db.h"
#include "db_bundle.h"
#include "util.h"

const char *const bundle_tables[BT_N] = {
    "cases", "case_events", "case_screening", "case_assistance",
    "prosecutions", "suspects", "prosecution_victims", "events", "audit_log"
};

/* Each child table: its parent's index and the column naming the parent. */
static const struct {
    int table, parent;
    const char *fk;
} kids[] = {
    { BT_CASE_EVENTS, BT_CASES, "case_uuid" },
    { BT_CASE_SCREENING, BT_CASES, "case_uuid" },
    { BT_CASE_ASSISTANCE, BT_CASES, "case_uuid" },
    { BT_SUSPECTS, BT_PROSECUTIONS, "prosecution_uuid" },
    { BT_PROSECUTION_VICTIMS, BT_PROSECUTIONS, "prosecution_uuid" },
};
static const int mains[] = { BT_CASES, BT_PROSECUTIONS, BT_EVENTS };

static void progress(const struct bundle_progress *p, int64_t done, int64_t total)
{
    if (p && p->fn)
        p->fn(p->ctx, done, total);
}

static int fail(sqlite3 *h, const char *what)
{
    int code = sqlite3_extended_errcode(h);

    if (code == SQLITE_BUSY || code == SQLITE_LOCKED)
        return err_set("%s: the database is busy (another tipdesk is writing); try again", what);
    if (code == SQLITE_FULL)
        return err_set("%s: the disk is full; free some space and try again", what);
    return err_set("%s: %s", what, sqlite3_errmsg(h));
}

static int run(sqlite3 *h, const char *sql)
{
    if (sqlite3_exec(h, sql, NULL, NULL, NULL) != SQLITE_OK)
        return fail(h, "bundle");
    return 0;
}

/* A connection of our own to the database file of DB (which exists: DB is
 * open); CREATE lets ATTACH make a new bundle file. */
static sqlite3 *open_main(struct db *db)
{
    sqlite3 *h = NULL;

    if (sqlite3_open_v2(db_path(db), &h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_URI,
                        NULL) != SQLITE_OK) {
        fail(h, db_path(db));
        sqlite3_close(h);
        return NULL;
    }
    sqlite3_extended_result_codes(h, 1);
    sqlite3_busy_timeout(h, 10000);
    if (run(h, "PRAGMA foreign_keys=ON; PRAGMA synchronous=FULL") < 0) {
        sqlite3_close(h);
        return NULL;
    }
    return h;
}

static sqlite3_stmt *prep(sqlite3 *h, const char *sql)
{
    sqlite3_stmt *st = NULL;

    if (sqlite3_prepare_v2(h, sql, -1, &st, NULL) != SQLITE_OK) {
        fail(h, "bundle");
        return NULL;
    }
    return st;
}

/* The columns of SCHEMA.TABLE but `id`, quoted and comma-separated, with
 * their declared types when TYPES; PREFIX ("b.") before each name.  NULL
 * with err set when the table is missing. */
static char *columns(sqlite3 *h, const char *schema, const char *table, int types,
                     const char *prefix)
{
    sqlite3_stmt *st = prep(h, "SELECT name, type FROM pragma_table_info(?1, ?2) ORDER BY cid");
    struct sbuf b = {0};
    int n = 0;

    if (!st)
        return NULL;
    sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, schema, -1, SQLITE_STATIC);
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *name = (const char *)sqlite3_column_text(st, 0);

        if (strcmp(name, "id") == 0)
            continue;
        sbuf_addf(&b, "%s%s\"%s\"", n++ ? ", " : "", prefix, name);
        if (types)
            sbuf_addf(&b, " %s", (const char *)sqlite3_column_text(st, 1));
    }
    sqlite3_finalize(st);
    if (!n) {
        sbuf_free(&b);
        err_set("the table %s is missing", table);
        return NULL;
    }
    return b.s;
}

/* Runs SQL built by the caller from our own table and column names, with up
 * to two text and one integer parameter. */
static int exec_bound(sqlite3 *h, const char *sql, const char *t1, const char *t2, int64_t i3)
{
    sqlite3_stmt *st = prep(h, sql);
    int rc;

    if (!st)
        return -1;
    if (sqlite3_bind_parameter_count(st) >= 1)
        sqlite3_bind_text(st, 1, t1, -1, SQLITE_STATIC);
    if (sqlite3_bind_parameter_count(st) >= 2)
        sqlite3_bind_text(st, 2, t2, -1, SQLITE_STATIC);
    if (sqlite3_bind_parameter_count(st) >= 3)
        sqlite3_bind_int64(st, 3, i3);
    rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        return fail(h, "bundle");
    return 0;
}

static int64_t query_int(sqlite3 *h, const char *sql, const char *t1, int64_t def)
{
    sqlite3_stmt *st = prep(h, sql);
    int64_t v = def;

    if (!st)
        return def;
    if (t1)
        sqlite3_bind_text(st, 1, t1, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL)
        v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

/* Checksum: every table in bundle order, its column names, then its rows
 * ordered by all columns; each value a type byte, an 8-byte length and its
 * bytes; then the manifest without its checksum.  Hex into OUT. */
static void hash_bytes(crypto_generichash_state *hs, char type, const void *p, size_t n)
{
    unsigned char len[9];
    size_t i;

    len[0] = (unsigned char)type;
    for (i = 0; i < 8; i++)
        len[1 + i] = (unsigned char)((uint64_t)n >> (8 * i));
    crypto_generichash_update(hs, len, sizeof(len));
    if (n)
        crypto_generichash_update(hs, p, n);
}

static int hash_table(sqlite3 *h, crypto_generichash_state *hs, const char *schema,
                      const char *table, const struct bundle_progress *p, int64_t *done, int64_t total)
{
    char *cols = columns(h, schema, table, 0, "");
    struct sbuf sql = {0};
    sqlite3_stmt *st;
    int i, n, rc;

    if (!cols)
        return -1;
    sbuf_addf(&sql, "SELECT %s FROM %s.\"%s\"", cols, schema, table);
    hash_bytes(hs, 'S', table, strlen(table));
    hash_bytes(hs, 'S', cols, strlen(cols));
    free(cols);
    st = prep(h, sql.s);
    if (!st) {
        sbuf_free(&sql);
        return -1;
    }
    n = sqlite3_column_count(st);
    sqlite3_finalize(st);
    for (i = 1; i <= n; i++)
        sbuf_addf(&sql, "%s%d", i > 1 ? ", " : " ORDER BY ", i);
    st = prep(h, sql.s);
    sbuf_free(&sql);
    if (!st)
        return -1;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        for (i = 0; i < n; i++) {
            int type = sqlite3_column_type(st, i);
            const void *v = type == SQLITE_BLOB ? sqlite3_column_blob(st, i)
                                                : (const void *)sqlite3_column_text(st, i);
            static const char tag[] = "?IRTBN";

            hash_bytes(hs, tag[type], v, (size_t)sqlite3_column_bytes(st, i));
        }
        if (++*done % 4096 == 0)
            progress(p, *done, total);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return fail(h, "the bundle cannot be read");
    return 0;
}

static int checksum(sqlite3 *h, const char *schema, char out[65],
                    const struct bundle_progress *p, int64_t done, int64_t total)
{
    crypto_generichash_state hs;
    unsigned char md[32];
    struct sbuf sql = {0};
    sqlite3_stmt *st;
    int i, rc;

    if (sodium_init() < 0)
        return err_set("cannot start libsodium");
    crypto_generichash_init(&hs, NULL, 0, sizeof(md));
    for (i = 0; i < BT_N; i++)
        if (hash_table(h, &hs, schema, bundle_tables[i], p, &done, total) < 0)
            return -1;
    sbuf_addf(&sql, "SELECT key, value FROM %s.manifest WHERE key <> 'checksum' ORDER BY key", schema);
    st = prep(h, sql.s);
    sbuf_free(&sql);
    if (!st)
        return -1;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        for (i = 0; i < 2; i++)
            hash_bytes(&hs, 'T', sqlite3_column_text(st, i), (size_t)sqlite3_column_bytes(st, i));
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return fail(h, "the bundle cannot be read");
    crypto_generichash_final(&hs, md, sizeof(md));
    sodium_bin2hex(out, 65, md, sizeof(md));
    return 0;
}

/* Export */

static int manifest_put(sqlite3 *h, const char *key, const char *value)
{
    return exec_bound(h, "INSERT OR REPLACE INTO bx.manifest(key, value) VALUES (?1, ?2)", key, value, 0);
}

static int manifest_putn(sqlite3 *h, const char *key, int64_t v)
{
    char buf[32];

    snprintf(buf, sizeof(buf), "%lld", (long long)v);
    return manifest_put(h, key, buf);
}

/* Fills the attached bx from main: the office's records changed since the
 * last export (audit rows after its high-water mark, or updated since it),
 * their children and audit rows. */
static int fill(sqlite3 *h, const struct db_bundle_office *o, struct bundle_export *x,
                int64_t since_id, const char *since_at)
{
    int i, all = x->all || !since_at;

    for (i = 0; i < BT_N; i++) {
        const char *t = bundle_tables[i];
        char *def = columns(h, "main", t, 1, ""), *cols = columns(h, "main", t, 0, "");
        struct sbuf sql = {0};
        int rc = -1;
        size_t k;

        if (!def || !cols)
            goto next;
        sbuf_addf(&sql, "CREATE TABLE bx.\"%s\" (%s)", t, def);
        if (run(h, sql.s) < 0)
            goto next;
        sbuf_reset(&sql);
        sbuf_addf(&sql, "INSERT INTO bx.\"%s\" SELECT %s FROM main.\"%s\" ", t, cols, t);
        if (i == BT_CASES || i == BT_PROSECUTIONS || i == BT_EVENTS) {
            sbuf_addf(&sql, "WHERE substr(office, 1, length(?1)) = ?1 AND (%d OR updated_at > ?2 "
                      "OR uuid IN (SELECT uuid FROM main.audit_log WHERE id > ?3 AND tbl = '%s'))",
                      all, t);
        } else if (i == BT_AUDIT_LOG) {
            sbuf_addf(&sql, "WHERE (%d OR id > ?3) AND ((tbl = 'cases' AND uuid IN (SELECT uuid FROM bx.cases))"
                      " OR (tbl = 'prosecutions' AND uuid IN (SELECT uuid FROM bx.prosecutions))"
                      " OR (tbl = 'events' AND uuid IN (SELECT uuid FROM bx.events))) ORDER BY id", all);
        } else {
            for (k = 0; k < ARRAY_LEN(kids); k++)
                if (kids[k].table == i)
                    sbuf_addf(&sql, "WHERE %s IN (SELECT uuid FROM bx.\"%s\")", kids[k].fk,
                              bundle_tables[kids[k].parent]);
        }
        rc = exec_bound(h, sql.s, o->code, since_at ? since_at : "", since_id);
        x->counts[i] = sqlite3_changes(h);
next:
        free(def);
        free(cols);
        sbuf_free(&sql);
        if (rc < 0)
            return -1;
    }
    return 0;
}

int db_bundle_write(struct db *db, const struct db_bundle_office *o, const char *tmp,
                    struct bundle_export *x, const struct bundle_progress *p)
{
    sqlite3 *h = open_main(db);
    sqlite3_stmt *st;
    char now[21], *since_at = NULL, *sql;
    int64_t since_id = 0, hwm, total = 0;
    int i, rc = -1, attached = 0;

    if (!h)
        return -1;
    st = prep(h, "ATTACH ?1 AS bx");
    if (!st)
        goto out;
    sqlite3_bind_text(st, 1, tmp, -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        rc = fail(h, tmp);
        goto out;
    }
    attached = 1;
    rc = -1;
    if (run(h, "PRAGMA bx.journal_mode=OFF; PRAGMA bx.synchronous=OFF; BEGIN IMMEDIATE") < 0)
        goto out;
    x->seq = query_int(h, "SELECT max(seq) FROM exports WHERE office = ?1", o->code, 0) + 1;
    st = prep(h, "SELECT since, created_at FROM exports WHERE office = ?1 ORDER BY seq DESC LIMIT 1");
    if (!st)
        goto out;
    sqlite3_bind_text(st, 1, o->code, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW) {
        const char *s = (const char *)sqlite3_column_text(st, 0);

        since_id = s ? strtoll(s, NULL, 10) : 0;
        since_at = xstrdup((const char *)sqlite3_column_text(st, 1));
    }
    sqlite3_finalize(st);
    hwm = query_int(h, "SELECT max(id) FROM main.audit_log", NULL, 0);
    progress(p, 0, 0);
    if (fill(h, o, x, since_id, since_at) < 0)
        goto out;
    util_now_iso(now);
    if (run(h, "CREATE TABLE bx.manifest (key TEXT PRIMARY KEY, value TEXT NOT NULL)") < 0 ||
        manifest_put(h, "app", "tipdesk") < 0 ||
        manifest_putn(h, "format_version", BUNDLE_FORMAT) < 0 ||
        manifest_putn(h, "schema_version", query_int(h, "PRAGMA main.user_version", NULL, 0)) < 0 ||
        manifest_put(h, "office", o->code) < 0 || manifest_put(h, "level", o->level) < 0 ||
        manifest_putn(h, "seq", x->seq) < 0 || manifest_put(h, "created_at", now) < 0 ||
        manifest_put(h, "created_by", o->user) < 0 ||
        manifest_put(h, "since", x->all || !since_at ? "" : since_at) < 0 ||
        manifest_putn(h, "high_water", hwm) < 0)
        goto out;
    for (i = 0; i < BT_N; i++) {
        char *key = xasprintf("count.%s", bundle_tables[i]);
        int r = manifest_putn(h, key, x->counts[i]);

        free(key);
        total += x->counts[i];
        if (r < 0)
            goto out;
    }
    if (checksum(h, "bx", x->checksum, p, 0, total) < 0 || manifest_put(h, "checksum", x->checksum) < 0)
        goto out;
    sql = xasprintf("PRAGMA bx.application_id=%d; PRAGMA bx.user_version=%d",
                    BUNDLE_APPLICATION_ID, (int)query_int(h, "PRAGMA main.user_version", NULL, 0));
    rc = run(h, sql);
    free(sql);
    if (rc < 0 || run(h, "COMMIT") < 0) {
        rc = -1;
        goto out;
    }
    progress(p, total, total);
    x->high_water = hwm;
    memcpy(x->created_at, now, sizeof(now));
    rc = 0;
out:
    if (rc < 0) {
        char msg[1024];

        snprintf(msg, sizeof(msg), "%s", err_msg());
        sqlite3_exec(h, "ROLLBACK", NULL, NULL, NULL);
        err_set("%s", msg);
    }
    if (attached)
        sqlite3_exec(h, "DETACH bx", NULL, NULL, NULL);
    sqlite3_close(h);
    if (rc < 0)
        unlink(tmp);
    free(since_at);
    return rc;
}

int db_bundle_record_export(struct db *db, const struct db_bundle_office *o,
                            const char *file, const struct bundle_export *x)
{
    struct sbuf counts = {0};
    struct db_stmt *st;
    char hw[32];
    int i, rc = -1;

    sbuf_addc(&counts, '{');
    for (i = 0; i < BT_N; i++)
        sbuf_addf(&counts, "%s\"%s\":%lld", i ? "," : "", bundle_tables[i], (long long)x->counts[i]);
    sbuf_addc(&counts, '}');
    snprintf(hw, sizeof(hw), "%lld", (long long)x->high_water);
    st = db_prepare(db, "INSERT INTO exports(office, seq, file, created_at, since, counts, checksum) "
                        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)", 0);
    if (st) {
        db_bind_text(st, 1, o->code);
        db_bind_int(st, 2, x->seq);
        db_bind_text(st, 3, file);
        db_bind_text(st, 4, x->created_at);
        db_bind_text(st, 5, hw);
        db_bind_text(st, 6, counts.s);
        db_bind_text(st, 7, x->checksum);
        rc = db_step(st) < 0 ? -1 : 0;
        db_finalize(st);
    }
    sbuf_free(&counts);
    return rc;
}

/* Verify */

static uint32_t be(const unsigned char *p, int n)
{
    uint32_t v = 0;
    int i;

    for (i = 0; i < n; i++)
        v = (v << 8) | p[i];
    return v;
}

/* The file's first 100 bytes tell a bundle from anything else, and the page
 * count in them a whole file from a cut one, before SQLite reads it. */
static int check_header(const char *file)
{
    unsigned char h[100];
    FILE *f = fopen(file, "rb");
    long long size, want;
    uint32_t page, pages;
    size_t n;

    if (!f)
        return err_set("%s: cannot open: %s", file, strerror(errno));
    n = fread(h, 1, sizeof(h), f);
    size = fseek(f, 0, SEEK_END) == 0 ? ftell(f) : -1;
    fclose(f);
    if (n < sizeof(h) || memcmp(h, "SQLite format 3", 16) != 0)
        return err_set("%s: not a tipdesk bundle (not an SQLite file); "
                       "ask the office for the .tipx file that 'tipdesk export bundle' wrote", file);
    if (be(h + 68, 4) == DB_APPLICATION_ID)
        return err_set("%s: a tipdesk database, not a bundle; "
                       "run 'tipdesk export bundle' where it is used and import that file", file);
    if (be(h + 68, 4) != BUNDLE_APPLICATION_ID)
        return err_set("%s: an SQLite file of another program, not a tipdesk bundle", file);
    page = be(h + 16, 2) == 1 ? 65536 : be(h + 16, 2);
    pages = be(h + 28, 4);
    want = (long long)page * pages;
    if (be(h + 92, 4) == be(h + 24, 4) && page >= 512 && (size < want || size % page != 0))
        return err_set("%s: the bundle is truncated (%lld of %lld bytes); "
                       "copy it again from the office's stick", file, size, want);
    return 0;
}

/* Runs SQL on V; returns 1 with *OUT (caller frees) the first column of the
 * first row, 0 when no row, -1 on error. */
static int first_text(sqlite3 *v, const char *sql, const char *param, char **out)
{
    sqlite3_stmt *st = prep(v, sql);
    int rc;

    *out = NULL;
    if (!st)
        return -1;
    if (param)
        sqlite3_bind_text(st, 1, param, -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *out = xstrdup(sqlite3_column_text(st, 0) ? (const char *)sqlite3_column_text(st, 0) : "");
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return fail(v, "the bundle cannot be read");
    return rc == SQLITE_ROW;
}

/* Links, keys and refs that single values cannot show. */
static int check_links(sqlite3 *v, const struct bundle_summary *s)
{
    struct sbuf sql = {0};
    char *bad = NULL;
    size_t i;
    int rc = 0;

    for (i = 0; i < ARRAY_LEN(mains) && !rc; i++) {
        const char *t = bundle_tables[mains[i]];

        sbuf_reset(&sql);
        sbuf_addf(&sql, "SELECT 'uuid ' || uuid || ' appears twice in ' || '%s' FROM \"%s\" "
                  "GROUP BY uuid HAVING count(*) > 1 UNION ALL "
                  "SELECT '%s ' || ifnull(ref, '(no ref)') || ': ' || CASE "
                  "WHEN uuid IS NULL OR ref IS NULL OR office IS NULL OR rev IS NULL OR status IS NULL "
                  "OR created_at IS NULL OR updated_at IS NULL OR created_by IS NULL OR updated_by IS NULL "
                  "THEN 'a common column (uuid, ref, office, rev, status, created/updated) is empty' "
                  "WHEN substr(office, 1, length(?1)) <> ?1 THEN 'office ' || office || ' is not ' || ?1 || ' or below it' "
                  "ELSE 'ref does not start with its office ' || office || ' and the year (OFFICE-YYYY-NNNN)' END "
                  "FROM \"%s\" WHERE uuid IS NULL OR ref IS NULL OR office IS NULL OR rev IS NULL "
                  "OR status IS NULL OR created_at IS NULL OR updated_at IS NULL OR created_by IS NULL "
                  "OR updated_by IS NULL OR substr(office, 1, length(?1)) <> ?1 "
                  "OR ref NOT GLOB office || '-[12][0-9][0-9][0-9]-[0-9]*' LIMIT 1", t, t, t, t);
        rc = first_text(v, sql.s, s->office, &bad);
    }
    for (i = 0; i < ARRAY_LEN(kids) && !rc; i++) {
        const char *k = bundle_tables[kids[i].table], *pt = bundle_tables[kids[i].parent];

        sbuf_reset(&sql);
        sbuf_addf(&sql, "SELECT '%s row ' || ifnull(seq, '?') || ' points at ' || ifnull(%s, 'no record') || "
                  "', which is not a %s record in the bundle' FROM \"%s\" "
                  "WHERE %s IS NULL OR seq IS NULL OR %s NOT IN (SELECT uuid FROM \"%s\") UNION ALL "
                  "SELECT '%s row ' || seq || ' of ' || %s || ' appears twice' FROM \"%s\" "
                  "GROUP BY %s, seq HAVING count(*) > 1 LIMIT 1",
                  k, kids[i].fk, pt, k, kids[i].fk, kids[i].fk, pt, k, kids[i].fk, k, kids[i].fk);
        rc = first_text(v, sql.s, NULL, &bad);
    }
    if (!rc)
        rc = first_text(v, "SELECT 'audit row of ' || ifnull(tbl, '?') || ' ' || ifnull(uuid, '?') || "
                        "' is not about a record in the bundle' FROM audit_log WHERE NOT ("
                        "(tbl = 'cases' AND uuid IN (SELECT uuid FROM cases)) OR "
                        "(tbl = 'prosecutions' AND uuid IN (SELECT uuid FROM prosecutions)) OR "
                        "(tbl = 'events' AND uuid IN (SELECT uuid FROM events))) LIMIT 1", NULL, &bad);
    sbuf_free(&sql);
    if (rc > 0)
        err_set("%s; the bundle is refused, ask %s to export it again", bad, s->office);
    free(bad);
    return rc ? -1 : 0;
}

/* Every value of every row against the canonical rules. */
static int check_values(sqlite3 *v, const struct bundle_summary *s,
                        const struct bundle_progress *p, int64_t total)
{
    int64_t done = 0;
    int i, c, n, rc;

    for (i = 0; i < BT_N; i++) {
        const char *t = bundle_tables[i];
        char *sql = xasprintf("SELECT * FROM \"%s\"", t);
        sqlite3_stmt *st = prep(v, sql);

        free(sql);
        if (!st)
            return -1;
        n = sqlite3_column_count(st);
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
            for (c = 0; c < n; c++) {
                const char *col = sqlite3_column_name(st, c);
                const char *val = (const char *)sqlite3_column_text(st, c);
                const char *why = canon_check(t, col, val);

                if (why) {
                    err_set("%s: %s row %lld (%s %s): %s '%s': %s; the bundle is refused, "
                            "ask %s to correct it and export again", s->file, t,
                            (long long)(done + 1), sqlite3_column_name(st, 0),
                            sqlite3_column_text(st, 0) ? (const char *)sqlite3_column_text(st, 0) : "",
                            col, val, why, s->office);
                    sqlite3_finalize(st);
                    return -1;
                }
            }
            if (++done % 4096 == 0)
                progress(p, done, total);
        }
        sqlite3_finalize(st);
        if (rc != SQLITE_DONE)
            return fail(v, "the bundle cannot be read");
    }
    return 0;
}

static void copy_str(char *dst, size_t n, const char *src)
{
    snprintf(dst, n, "%s", src ? src : "");
}

static int read_manifest(sqlite3 *v, struct bundle_summary *s, int64_t counts[BT_N],
                         int *format, int *schema)
{
    sqlite3_stmt *st;
    int i, rc;

    if (sqlite3_prepare_v2(v, "SELECT key, value FROM manifest", -1, &st, NULL) != SQLITE_OK) {
        if (sqlite3_errcode(v) == SQLITE_CORRUPT || sqlite3_errcode(v) == SQLITE_NOTADB)
            return err_set("%s: the bundle is damaged (%s); copy it again", s->file, sqlite3_errmsg(v));
        return err_set("%s: not a tipdesk bundle (it has no manifest)", s->file);
    }
    *format = *schema = -1;
    for (i = 0; i < BT_N; i++)
        counts[i] = -1;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *k = (const char *)sqlite3_column_text(st, 0);
        const char *val = (const char *)sqlite3_column_text(st, 1);

        if (!k || !val)
            continue;
        if (!strcmp(k, "format_version")) *format = atoi(val);
        else if (!strcmp(k, "schema_version")) *schema = atoi(val);
        else if (!strcmp(k, "office")) copy_str(s->office, sizeof(s->office), val);
        else if (!strcmp(k, "level")) copy_str(s->level, sizeof(s->level), val);
        else if (!strcmp(k, "seq")) s->seq = atoll(val);
        else if (!strcmp(k, "created_at")) copy_str(s->created_at, sizeof(s->created_at), val);
        else if (!strcmp(k, "checksum")) copy_str(s->checksum, sizeof(s->checksum), val);
        else if (!strncmp(k, "count.", 6))
            for (i = 0; i < BT_N; i++)
                if (!strcmp(k + 6, bundle_tables[i]))
                    counts[i] = atoll(val);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return err_set("%s: the bundle is damaged (%s); copy it again", s->file, sqlite3_errmsg(v));
    if (*format > BUNDLE_FORMAT || *schema > db_latest_version())
        return err_set("%s: this bundle was made by a newer tipdesk; update tipdesk here "
                       "(bundle format %d, schema %d; this one reads up to %d and %d)", s->file, *format,
                       *schema, BUNDLE_FORMAT, db_latest_version());
    if (*format < 1 || *schema < 1 || canon_check("cases", "office", s->office) || !s->office[0] ||
        s->seq < 1 || !s->checksum[0])
        return err_set("%s: not a tipdesk bundle (its manifest lacks the format, schema, office, "
                       "sequence number or checksum)", s->file);
    return 0;
}

int db_bundle_verify(struct db *db, const char *file, struct bundle_summary *s,
                     const struct bundle_progress *p)
{
    sqlite3 *v = NULL;
    sqlite3_stmt *st;
    int64_t counts[BT_N], total = 0;
    char sum[65], *bad = NULL;
    int format, schema, i, rc = -1;

    if (check_header(file) < 0)
        return -1;
    if (sqlite3_open_v2(file, &v, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        err_set("%s: cannot open the bundle: %s", file, sqlite3_errmsg(v));
        goto out;
    }
    sqlite3_extended_result_codes(v, 1);
    if (run(v, "PRAGMA query_only=1") < 0 || read_manifest(v, s, counts, &format, &schema) < 0)
        goto out;
    /* A damaged file fails here, before any of its rows is trusted. */
    if (first_text(v, "SELECT group_concat(integrity_check, '; ') FROM pragma_integrity_check(5) "
                      "WHERE integrity_check <> 'ok'", NULL, &bad) < 0 || (bad && *bad)) {
        err_set("%s: the bundle is damaged (integrity check: %s); copy it again or ask %s "
                "to export it again", file, bad ? bad : err_msg(), s->office);
        goto out;
    }
    for (i = 0; i < BT_N; i++) {
        char *sql = xasprintf("SELECT count(*) FROM \"%s\"", bundle_tables[i]);
        int64_t n = query_int(v, sql, NULL, -1);

        free(sql);
        if (n < 0 || n != counts[i]) {
            err_set("%s: the bundle is damaged: table %s has %lld rows, its manifest says %lld; "
                    "ask %s to export it again", file, bundle_tables[i], (long long)n,
                    (long long)counts[i], s->office);
            goto out;
        }
        total += n;
        st = prep(v, "SELECT name FROM pragma_table_info(?1)");
        if (!st)
            goto out;
        sqlite3_bind_text(st, 1, bundle_tables[i], -1, SQLITE_STATIC);
        while (sqlite3_step(st) == SQLITE_ROW) {
            const char *col = (const char *)sqlite3_column_text(st, 0);

            if (!db_has_column(db, bundle_tables[i], col)) {
                err_set("%s: column %s.%s is unknown to this tipdesk; update tipdesk here",
                        file, bundle_tables[i], col);
                sqlite3_finalize(st);
                goto out;
            }
        }
        sqlite3_finalize(st);
    }
    if (checksum(v, "main", sum, p, 0, total * 2) < 0)
        goto out;
    if (strcmp(sum, s->checksum) != 0) {
        err_set("%s: the bundle's content does not match its checksum (changed or damaged "
                "after it was written); ask %s to export it again", file, s->office);
        goto out;
    }
    if (check_links(v, s) < 0)
        goto out;
    if (check_values(v, s, p, total) < 0)
        goto out;
    rc = 0;
out:
    free(bad);
    sqlite3_close(v);
    return rc;
}

/* Merge */

/* "file:PATH?mode=ro" with PATH percent-encoded where URIs need it. */
static char *uri_ro(const char *path)
{
    struct sbuf b = {0};
    const unsigned char *c;

    sbuf_add(&b, "file:");
    for (c = (const unsigned char *)path; *c; c++) {
        if (*c == '%' || *c == '?' || *c == '#' || *c <= ' ' || *c >= 0x7f)
            sbuf_addf(&b, "%%%02X", *c);
        else
            sbuf_addc(&b, (char)*c);
    }
    sbuf_add(&b, "?mode=ro");
    return b.s;
}

/* "c1 = excluded.c1, ..." or "b.c1 IS l.c1 AND ..." over COLS (the bundle's). */
static char *col_list(sqlite3 *h, const char *table, const char *fmt, const char *sep)
{
    sqlite3_stmt *st = prep(h, "SELECT name FROM pragma_table_info(?1, 'bx') "
                               "WHERE name NOT IN ('id', 'uuid') ORDER BY cid");
    struct sbuf b = {0};
    int n = 0;

    if (!st)
        return NULL;
    sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *c = (const char *)sqlite3_column_text(st, 0);

        if (n++)
            sbuf_add(&b, sep);
        sbuf_addf(&b, fmt, c, c, c);
    }
    sqlite3_finalize(st);
    return b.s ? b.s : xstrdup("1");
}

/* json_object over every column of bx.T as b; past 60 columns the rest are
 * added by json_insert, since SQL functions take at most 127 arguments. */
static char *json_of(sqlite3 *h, const char *table)
{
    sqlite3_stmt *st = prep(h, "SELECT name FROM pragma_table_info(?1, 'bx') ORDER BY cid");
    struct sbuf chunk = {0};
    char *expr = NULL, *next;
    int n = 0;

    if (!st)
        return NULL;
    sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
    for (;;) {
        int more = sqlite3_step(st) == SQLITE_ROW;
        const char *c = more ? (const char *)sqlite3_column_text(st, 0) : NULL;

        if (chunk.len && (!more || n % 60 == 0)) {
            next = expr ? xasprintf("json_insert(%s%s)", expr, chunk.s)
                        : xasprintf("json_object(%s)", chunk.s + 2);
            free(expr);
            expr = next;
            sbuf_reset(&chunk);
        }
        if (!more)
            break;
        sbuf_addf(&chunk, expr ? ", '$.%s', b.\"%s\"" : ", '%s', b.\"%s\"", c, c);
        n++;
    }
    sqlite3_finalize(st);
    sbuf_free(&chunk);
    return expr ? expr : xstrdup("'{}'");
}

/* Sorts every bundle record of T into temp.xcls: i (new here), u (higher
 * rev), s (same rev and content), o (older than here), c (conflict). */
static int classify(sqlite3 *h, const char *t)
{
    char *same = col_list(h, t, "b.\"%s\" IS l.\"%s\"", " AND ");
    struct sbuf sql = {0};
    int rc;

    if (!same)
        return -1;
    sbuf_addf(&sql, "INSERT INTO temp.xcls(tbl, uuid, act, lrev) SELECT '%s', b.uuid, "
              "CASE WHEN l.uuid IS NULL THEN 'i' WHEN b.rev > l.rev THEN 'u' "
              "WHEN b.rev < l.rev THEN 'o' WHEN %s THEN 's' ELSE 'c' END, l.rev "
              "FROM bx.\"%s\" b LEFT JOIN main.\"%s\" l ON l.uuid = b.uuid", t, same, t, t);
    rc = run(h, sql.s);
    free(same);
    sbuf_free(&sql);
    return rc;
}

/* Writes the records of main table index I classified i/u, their children,
 * the conflicts and the ref counters. */
static int merge_table(sqlite3 *h, int i, int64_t import_id)
{
    const char *t = bundle_tables[i];
    char *cols = columns(h, "bx", t, 0, ""), *set = col_list(h, t, "\"%s\" = excluded.\"%s\"", ", ");
    char *json = json_of(h, t);
    struct sbuf sql = {0};
    size_t k;
    int rc = -1;

    if (!cols || !set || !json)
        goto out;
    sbuf_addf(&sql, "INSERT INTO main.\"%s\"(%s) SELECT %s FROM bx.\"%s\" WHERE uuid IN "
              "(SELECT uuid FROM temp.xcls WHERE tbl = ?1 AND act IN ('i', 'u')) "
              "ON CONFLICT(uuid) DO UPDATE SET %s", t, cols, cols, t, set);
    if (exec_bound(h, sql.s, t, NULL, 0) < 0)
        goto out;
    for (k = 0; k < ARRAY_LEN(kids); k++) {
        const char *kt = bundle_tables[kids[k].table];
        char *kcols;

        if (kids[k].parent != i)
            continue;
        if (!(kcols = columns(h, "bx", kt, 0, "")))
            goto out;
        sbuf_reset(&sql);
        sbuf_addf(&sql, "DELETE FROM main.\"%s\" WHERE %s IN (SELECT uuid FROM temp.xcls "
                  "WHERE tbl = ?1 AND act = 'u')", kt, kids[k].fk);
        rc = exec_bound(h, sql.s, t, NULL, 0);
        sbuf_reset(&sql);
        sbuf_addf(&sql, "INSERT INTO main.\"%s\"(%s) SELECT %s FROM bx.\"%s\" WHERE %s IN "
                  "(SELECT uuid FROM temp.xcls WHERE tbl = ?1 AND act IN ('i', 'u'))",
                  kt, kcols, kcols, kt, kids[k].fk);
        free(kcols);
        if (rc < 0 || (rc = exec_bound(h, sql.s, t, NULL, 0)) < 0)
            goto out;
        rc = -1;
    }
    sbuf_reset(&sql);
    sbuf_addf(&sql, "INSERT INTO main.conflicts(import_id, tbl, uuid, local_rev, remote_rev, "
              "remote_office, remote_data) SELECT ?3, ?1, b.uuid, x.lrev, b.rev, b.office, %s "
              "FROM bx.\"%s\" b JOIN temp.xcls x ON x.tbl = ?1 AND x.uuid = b.uuid WHERE x.act = 'c'",
              json, t);
    if (exec_bound(h, sql.s, t, NULL, import_id) < 0)
        goto out;
    /* New refs of any office raise its counter, so local numbering never
     * hands out a ref that arrived in a bundle. */
    sbuf_reset(&sql);
    sbuf_addf(&sql, "INSERT INTO main.ref_counter(tbl, office, year, last) "
              "SELECT ?1, office, CAST(substr(ref, length(office) + 2, 4) AS INTEGER), "
              "max(CAST(substr(ref, length(office) + 7) AS INTEGER)) FROM bx.\"%s\" "
              "WHERE uuid IN (SELECT uuid FROM temp.xcls WHERE tbl = ?1 AND act = 'i') "
              "GROUP BY 2, 3 ON CONFLICT(tbl, office, year) DO UPDATE SET last = max(last, excluded.last)", t);
    rc = exec_bound(h, sql.s, t, NULL, 0);
out:
    free(cols);
    free(set);
    free(json);
    sbuf_free(&sql);
    return rc;
}

/* Audit rows of merged records that are not here yet, then an 'import' row
 * for any merged record that got none: the next export of this office
 * carries what it imported. */
static int merge_audit(sqlite3 *h, const struct db_bundle_office *o, const char *name, int64_t before)
{
    char *cols = columns(h, "bx", "audit_log", 0, "");
    char now[21], *sql;
    int rc;
    size_t i;

    if (!cols)
        return -1;
    sql = xasprintf("INSERT INTO main.audit_log(%s) SELECT %s FROM bx.audit_log a WHERE EXISTS "
                    "(SELECT 1 FROM temp.xcls x WHERE x.tbl = a.tbl AND x.uuid = a.uuid AND x.act IN ('i', 'u')) "
                    "AND NOT EXISTS (SELECT 1 FROM main.audit_log l WHERE l.uuid = a.uuid AND l.rev = a.rev "
                    "AND l.action = a.action AND l.at = a.at) ORDER BY a.at", cols, cols);
    rc = run(h, sql);
    free(sql);
    free(cols);
    util_now_iso(now);
    for (i = 0; i < ARRAY_LEN(mains) && rc == 0; i++) {
        const char *t = bundle_tables[mains[i]];
        char *j = xasprintf("{\"bundle\":\"%s\"}", name);
        sqlite3_stmt *st;

        sql = xasprintf("INSERT INTO main.audit_log(at, user, office, tbl, uuid, action, rev, changes) "
                        "SELECT ?1, ?2, ?3, '%s', b.uuid, 'import', b.rev, ?4 FROM bx.\"%s\" b "
                        "JOIN temp.xcls x ON x.tbl = '%s' AND x.uuid = b.uuid AND x.act IN ('i', 'u') "
                        "WHERE NOT EXISTS (SELECT 1 FROM main.audit_log l WHERE l.uuid = b.uuid AND l.id > ?5)",
                        t, t, t);
        st = prep(h, sql);
        free(sql);
        if (!st) {
            free(j);
            return -1;
        }
        sqlite3_bind_text(st, 1, now, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, o->user, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, o->code, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 4, j, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 5, before);
        if (sqlite3_step(st) != SQLITE_DONE)
            rc = fail(h, "bundle");
        sqlite3_finalize(st);
        free(j);
    }
    return rc;
}

static int count_acts(sqlite3 *h, struct bundle_summary *s)
{
    sqlite3_stmt *st = prep(h, "SELECT act, count(*) FROM temp.xcls GROUP BY act");

    if (!st)
        return -1;
    s->inserted = s->updated = s->unchanged = s->older = s->conflicts = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *a = (const char *)sqlite3_column_text(st, 0);
        int64_t n = sqlite3_column_int64(st, 1);

        switch (a[0]) {
        case 'i': s->inserted = n; break;
        case 'u': s->updated = n; break;
        case 's': s->unchanged = n; break;
        case 'o': s->older = n; break;
        default: s->conflicts = n; break;
        }
    }
    sqlite3_finalize(st);
    return 0;
}

/* Refs are unique: a new record whose ref another record holds here would
 * be a numbering clash between offices. */
static int check_refs(sqlite3 *h, const struct bundle_summary *s)
{
    size_t i;

    for (i = 0; i < ARRAY_LEN(mains); i++) {
        const char *t = bundle_tables[mains[i]];
        char *sql = xasprintf("SELECT b.ref || ' (uuid ' || b.uuid || ') is already the ref of "
                              "another record here (uuid ' || l.uuid || ')' FROM bx.\"%s\" b "
                              "JOIN main.\"%s\" l ON l.ref = b.ref AND l.uuid <> b.uuid LIMIT 1", t, t);
        char *bad = NULL;
        int rc = first_text(h, sql, NULL, &bad);

        free(sql);
        if (rc > 0)
            err_set("%s: %s %s; the bundle is refused", s->file, t, bad);
        free(bad);
        if (rc)
            return -1;
    }
    return 0;
}

int db_bundle_merge(struct db *db, const struct db_bundle_office *o, const char *file,
                    struct bundle_summary *s, const struct bundle_progress *p)
{
    sqlite3 *h = open_main(db);
    sqlite3_stmt *st;
    const char *base = strrchr(file, '/') ? strrchr(file, '/') + 1 : file;
    char *uri = uri_ro(file), *name = NULL, *at = NULL;
    int64_t import_id = 0, before;
    size_t i;
    int rc = -1, attached = 0, step = 0;

    if (!h)
        goto out;
    st = prep(h, "ATTACH ?1 AS bx");
    if (!st)
        goto out;
    sqlite3_bind_text(st, 1, uri, -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        rc = fail(h, file);
        goto out;
    }
    attached = 1;
    rc = -1;
    if (run(h, s->dry_run ? "BEGIN" : "BEGIN IMMEDIATE") < 0)
        goto out;
    st = prep(h, "SELECT imported_at FROM imports WHERE office = ?1 AND seq = ?2 AND checksum = ?3");
    if (!st)
        goto out;
    sqlite3_bind_text(st, 1, s->office, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, s->seq);
    sqlite3_bind_text(st, 3, s->checksum, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW) {
        s->already = 1;
        copy_str(s->imported_on, sizeof(s->imported_on), (const char *)sqlite3_column_text(st, 0));
    }
    sqlite3_finalize(st);
    if (s->already) {
        rc = 0;
        goto out;
    }
    if (check_refs(h, s) < 0 ||
        run(h, "CREATE TEMP TABLE IF NOT EXISTS xcls (tbl TEXT, uuid TEXT, act TEXT, lrev INTEGER, "
               "PRIMARY KEY (tbl, uuid)) WITHOUT ROWID; DELETE FROM temp.xcls") < 0)
        goto out;
    for (i = 0; i < ARRAY_LEN(mains); i++)
        if (classify(h, bundle_tables[mains[i]]) < 0)
            goto out;
    if (count_acts(h, s) < 0)
        goto out;
    progress(p, ++step, 6);
    if (s->dry_run) {
        rc = 0;
        goto out;
    }
    before = query_int(h, "SELECT max(id) FROM main.audit_log", NULL, 0);
    st = prep(h, "INSERT INTO imports(office, seq, file, checksum, imported_at, imported_by, "
                 "inserted, updated, unchanged, conflicts) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)");
    if (!st)
        goto out;
    at = xmalloc(21);
    util_now_iso(at);
    sqlite3_bind_text(st, 1, s->office, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, s->seq);
    sqlite3_bind_text(st, 3, base, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, s->checksum, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, at, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 6, o->user, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 7, s->inserted);
    sqlite3_bind_int64(st, 8, s->updated);
    sqlite3_bind_int64(st, 9, s->unchanged + s->older);
    sqlite3_bind_int64(st, 10, s->conflicts);
    rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        rc = fail(h, "imports");
        goto out;
    }
    rc = -1;
    import_id = sqlite3_last_insert_rowid(h);
    for (i = 0; i < ARRAY_LEN(mains); i++) {
        if (merge_table(h, mains[i], import_id) < 0)
            goto out;
        progress(p, ++step, 6);
    }
    name = xasprintf("%s_%lld", s->office, (long long)s->seq);
    if (merge_audit(h, o, name, before) < 0 || run(h, "COMMIT") < 0)
        goto out;
    progress(p, 6, 6);
    rc = 0;
out:
    if (rc < 0 || s->dry_run || s->already) {
        char msg[1024];

        snprintf(msg, sizeof(msg), "%s", err_msg());
        if (h && !sqlite3_get_autocommit(h))
            sqlite3_exec(h, "ROLLBACK", NULL, NULL, NULL);
        err_set("%s", msg);
    }
    if (attached)
        sqlite3_exec(h, "DETACH bx", NULL, NULL, NULL);
    sqlite3_close(h);
    free(uri);
    free(name);
    free(at);
    return rc;
}
