/* Bundles on the SQLite side: the helpers shared by db_bundle*.c, the
 * canonical checksum, and writing a bundle through ATTACH. */
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
#include "db_bundle_sql.h"

const char *const bundle_tables[BT_N] = {
    "cases", "case_events", "case_screening", "case_assistance",
    "prosecutions", "suspects", "prosecution_victims", "events", "audit_log"
};

/* Each child table: its parent's index and the column naming the parent. */
const struct dbb_kid dbb_kids[DBB_NKIDS] = {
    { BT_CASE_EVENTS, BT_CASES, "case_uuid" },
    { BT_CASE_SCREENING, BT_CASES, "case_uuid" },
    { BT_CASE_ASSISTANCE, BT_CASES, "case_uuid" },
    { BT_SUSPECTS, BT_PROSECUTIONS, "prosecution_uuid" },
    { BT_PROSECUTION_VICTIMS, BT_PROSECUTIONS, "prosecution_uuid" },
};
const int dbb_mains[DBB_NMAINS] = { BT_CASES, BT_PROSECUTIONS, BT_EVENTS };

void dbb_progress(const struct bundle_progress *p, int64_t done, int64_t total)
{
    if (p && p->fn)
        p->fn(p->ctx, done, total);
}

int dbb_fail(sqlite3 *h, const char *what)
{
    int code = sqlite3_extended_errcode(h);

    if (code == SQLITE_BUSY || code == SQLITE_LOCKED)
        return err_set("%s: the database is busy (another tipdesk is writing); try again", what);
    if (code == SQLITE_FULL)
        return err_set("%s: the disk is full; free some space and try again", what);
    return err_set("%s: %s", what, sqlite3_errmsg(h));
}

int dbb_run(sqlite3 *h, const char *sql)
{
    if (sqlite3_exec(h, sql, NULL, NULL, NULL) != SQLITE_OK)
        return dbb_fail(h, "bundle");
    return 0;
}

/* A connection of our own to the database file of DB (which exists: DB is
 * open); CREATE lets ATTACH make a new bundle file. */
sqlite3 *dbb_open_main(struct db *db)
{
    sqlite3 *h = NULL;

    if (sqlite3_open_v2(db_path(db), &h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_URI,
                        NULL) != SQLITE_OK) {
        dbb_fail(h, db_path(db));
        sqlite3_close(h);
        return NULL;
    }
    sqlite3_extended_result_codes(h, 1);
    sqlite3_busy_timeout(h, 10000);
    if (dbb_run(h, "PRAGMA foreign_keys=ON; PRAGMA synchronous=FULL") < 0) {
        sqlite3_close(h);
        return NULL;
    }
    return h;
}

sqlite3_stmt *dbb_prep(sqlite3 *h, const char *sql)
{
    sqlite3_stmt *st = NULL;

    if (sqlite3_prepare_v2(h, sql, -1, &st, NULL) != SQLITE_OK) {
        dbb_fail(h, "bundle");
        return NULL;
    }
    return st;
}

/* The columns of SCHEMA.TABLE but `id`, quoted and comma-separated, with
 * their declared types when TYPES; PREFIX ("b.") before each name.  NULL
 * with err set when the table is missing. */
char *dbb_columns(sqlite3 *h, const char *schema, const char *table, int types,
                     const char *prefix)
{
    sqlite3_stmt *st = dbb_prep(h, "SELECT name, type FROM pragma_table_info(?1, ?2) ORDER BY cid");
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
int dbb_exec(sqlite3 *h, const char *sql, const char *t1, const char *t2, int64_t i3)
{
    sqlite3_stmt *st = dbb_prep(h, sql);
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
        return dbb_fail(h, "bundle");
    return 0;
}

int64_t dbb_query_int(sqlite3 *h, const char *sql, const char *t1, int64_t def)
{
    sqlite3_stmt *st = dbb_prep(h, sql);
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

/* Runs SQL on V; returns 1 with *OUT (caller frees) the first column of the
 * first row, 0 when no row, -1 on error. */
int dbb_first_text(sqlite3 *v, const char *sql, const char *param, char **out)
{
    sqlite3_stmt *st = dbb_prep(v, sql);
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
        return dbb_fail(v, "the bundle cannot be read");
    return rc == SQLITE_ROW;
}

void dbb_copy_str(char *dst, size_t n, const char *src)
{
    snprintf(dst, n, "%s", src ? src : "");
}

/* Checksum: every table in bundle order, its column names, then its rows
 * (format 1: ordered by all columns; since format 2 in the order the file
 * holds them, which the writer makes the order of their keys, so no sort);
 * each value a type byte, an 8-byte length and its bytes; then the manifest
 * without its checksum.  Hex into OUT. */
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

struct hash_pass {
    crypto_generichash_state hs;
    const char *schema;
    int sorted;
    const struct dbb_visit *vis;
    const struct bundle_progress *p;
    int64_t done, total;
};

static int hash_table(sqlite3 *h, struct hash_pass *hp, int t, int64_t *rows)
{
    const char *table = bundle_tables[t];
    char *cols = dbb_columns(h, hp->schema, table, 0, "");
    struct sbuf sql = {0};
    sqlite3_stmt *st;
    int i, n, rc;

    if (!cols)
        return -1;
    sbuf_addf(&sql, "SELECT %s FROM %s.\"%s\"", cols, hp->schema, table);
    hash_bytes(&hp->hs, 'S', table, strlen(table));
    hash_bytes(&hp->hs, 'S', cols, strlen(cols));
    free(cols);
    if (!hp->sorted)
        sbuf_add(&sql, " ORDER BY rowid");
    st = dbb_prep(h, sql.s);
    if (st && hp->sorted) {
        n = sqlite3_column_count(st);
        sqlite3_finalize(st);
        for (i = 1; i <= n; i++)
            sbuf_addf(&sql, "%s%d", i > 1 ? ", " : " ORDER BY ", i);
        st = dbb_prep(h, sql.s);
    }
    sbuf_free(&sql);
    if (!st)
        return -1;
    n = sqlite3_column_count(st);
    if (hp->vis)
        hp->vis->begin(hp->vis->ctx, t, st);
    *rows = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        for (i = 0; i < n; i++) {
            int type = sqlite3_column_type(st, i);
            const void *v = type == SQLITE_BLOB ? sqlite3_column_blob(st, i)
                                                : (const void *)sqlite3_column_text(st, i);
            static const char tag[] = "?IRTBN";

            hash_bytes(&hp->hs, tag[type], v, (size_t)sqlite3_column_bytes(st, i));
        }
        /* The checks see the row after it is hashed, through text only:
         * column types are unreliable once a value was converted. */
        if (hp->vis)
            hp->vis->row(hp->vis->ctx, st);
        ++*rows;
        if (++hp->done % 4096 == 0)
            dbb_progress(hp->p, hp->done, hp->total);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return dbb_fail(h, "the bundle cannot be read");
    return 0;
}

int dbb_checksum_rows(sqlite3 *h, const char *schema, char out[65], const struct dbb_visit *vis,
                      int64_t rows[], const struct bundle_progress *p, int64_t total)
{
    struct hash_pass hp = { .schema = schema, .vis = vis, .p = p, .total = total };
    unsigned char md[32];
    struct sbuf sql = {0};
    sqlite3_stmt *st;
    char *format = NULL;
    int64_t n;
    int i, rc;

    if (sodium_init() < 0)
        return err_set("cannot start libsodium");
    sbuf_addf(&sql, "SELECT value FROM %s.manifest WHERE key = 'format_version'", schema);
    rc = dbb_first_text(h, sql.s, NULL, &format);
    sbuf_free(&sql);
    if (rc < 0)
        return -1;
    hp.sorted = format && strcmp(format, "1") == 0;
    free(format);
    crypto_generichash_init(&hp.hs, NULL, 0, sizeof(md));
    for (i = 0; i < BT_N; i++)
        if (hash_table(h, &hp, i, rows ? &rows[i] : &n) < 0)
            return -1;
    sbuf_addf(&sql, "SELECT key, value FROM %s.manifest WHERE key <> 'checksum' ORDER BY key", schema);
    st = dbb_prep(h, sql.s);
    sbuf_free(&sql);
    if (!st)
        return -1;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        for (i = 0; i < 2; i++)
            hash_bytes(&hp.hs, 'T', sqlite3_column_text(st, i), (size_t)sqlite3_column_bytes(st, i));
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return dbb_fail(h, "the bundle cannot be read");
    crypto_generichash_final(&hp.hs, md, sizeof(md));
    sodium_bin2hex(out, 65, md, sizeof(md));
    return 0;
}

int dbb_checksum(sqlite3 *h, const char *schema, char out[65],
                 const struct bundle_progress *p, int64_t done, int64_t total)
{
    (void)done;
    return dbb_checksum_rows(h, schema, out, NULL, NULL, p, total);
}

/* Export */

static int manifest_put(sqlite3 *h, const char *key, const char *value)
{
    return dbb_exec(h, "INSERT OR REPLACE INTO bx.manifest(key, value) VALUES (?1, ?2)", key, value, 0);
}

static int manifest_putn(sqlite3 *h, const char *key, int64_t v)
{
    char buf[32];

    snprintf(buf, sizeof(buf), "%lld", (long long)v);
    return manifest_put(h, key, buf);
}

/* The manifest, as every bundle has it. */
static const char manifest_def[] = "manifest (key TEXT PRIMARY KEY, value TEXT NOT NULL)";

/* "\"c1\" TYPE, ..." of table T: the columns NAMES_FROM.T has but id, in
 * its order, each with the type it has in main; NULL with err set when a
 * column is not in main or the table has none. */
static char *table_def(sqlite3 *h, const char *t, const char *names_from)
{
    sqlite3_stmt *st = dbb_prep(h, "SELECT n.name, m.type FROM pragma_table_info(?1, ?2) n "
                                  "LEFT JOIN pragma_table_info(?1, 'main') m ON m.name = n.name "
                                  "WHERE n.name <> 'id' ORDER BY n.cid");
    struct sbuf b = {0};
    int rc;

    if (!st)
        return NULL;
    sqlite3_bind_text(st, 1, t, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, names_from, -1, SQLITE_STATIC);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *name = (const char *)sqlite3_column_text(st, 0);

        if (sqlite3_column_type(st, 1) == SQLITE_NULL) {
            err_set("column %s.%s is unknown to this tipdesk; update tipdesk here", t,
                    util_printable(name));
            rc = SQLITE_ERROR;
            break;
        }
        sbuf_addf(&b, "%s\"%s\" %s", b.len ? ", " : "", name, (const char *)sqlite3_column_text(st, 1));
    }
    if (rc == SQLITE_DONE && !b.len)
        err_set("the table %s is missing", t);
    else if (rc != SQLITE_DONE && rc != SQLITE_ERROR)
        dbb_fail(h, "the bundle cannot be read");
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE || !b.len) {
        sbuf_free(&b);
        return NULL;
    }
    return b.s;
}

int dbb_create_tables(sqlite3 *h, const char *schema, const char *names_from)
{
    char *sql;
    int i, rc;

    for (i = 0; i < BT_N; i++) {
        char *def = table_def(h, bundle_tables[i], names_from);

        if (!def)
            return -1;
        sql = xasprintf("CREATE TABLE %s.\"%s\" (%s)", schema, bundle_tables[i], def);
        rc = dbb_run(h, sql);
        free(sql);
        free(def);
        if (rc < 0)
            return -1;
    }
    sql = xasprintf("CREATE TABLE %s.%s", schema, manifest_def);
    rc = dbb_run(h, sql);
    free(sql);
    return rc;
}

/* Fills the tables of the attached bx from main: the office's records
 * changed since the last export (audit rows after its high-water mark, or
 * updated since it), their children and audit rows.  Records go in by
 * uuid, children by parent and seq, audit rows by id: the order the
 * checksum and the checks of an import read them in, one pass without a
 * sort. */
static int fill(sqlite3 *h, const struct db_bundle_office *o, struct bundle_export *x,
                int64_t since_id, const char *since_at)
{
    int i, all = x->all || !since_at;

    if (dbb_create_tables(h, "bx", "main") < 0)
        return -1;
    for (i = 0; i < BT_N; i++) {
        const char *t = bundle_tables[i];
        char *cols = dbb_columns(h, "main", t, 0, "");
        struct sbuf sql = {0};
        int rc = -1;
        size_t k;

        if (!cols)
            return -1;
        sbuf_addf(&sql, "INSERT INTO bx.\"%s\" SELECT %s FROM main.\"%s\" ", t, cols, t);
        if (i == BT_CASES || i == BT_PROSECUTIONS || i == BT_EVENTS) {
            sbuf_addf(&sql, "WHERE substr(office, 1, length(?1)) = ?1 AND (%d OR updated_at > ?2 "
                      "OR uuid IN (SELECT uuid FROM main.audit_log WHERE id > ?3 AND tbl = '%s')) ORDER BY uuid",
                      all, t);
        } else if (i == BT_AUDIT_LOG) {
            sbuf_addf(&sql, "WHERE (%d OR id > ?3) AND ((tbl = 'cases' AND uuid IN (SELECT uuid FROM bx.cases))"
                      " OR (tbl = 'prosecutions' AND uuid IN (SELECT uuid FROM bx.prosecutions))"
                      " OR (tbl = 'events' AND uuid IN (SELECT uuid FROM bx.events))) ORDER BY id", all);
        } else {
            for (k = 0; k < DBB_NKIDS; k++)
                if (dbb_kids[k].table == i)
                    sbuf_addf(&sql, "WHERE %s IN (SELECT uuid FROM bx.\"%s\") ORDER BY %s, seq",
                              dbb_kids[k].fk, bundle_tables[dbb_kids[k].parent], dbb_kids[k].fk);
        }
        rc = dbb_exec(h, sql.s, o->code, since_at ? since_at : "", since_id);
        x->counts[i] = sqlite3_changes(h);
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
    sqlite3 *h = dbb_open_main(db);
    sqlite3_stmt *st;
    char now[21], *since_at = NULL, *sql;
    int64_t since_id = 0, hwm, total = 0;
    int i, rc = -1, attached = 0;

    if (!h)
        return -1;
    st = dbb_prep(h, "ATTACH ?1 AS bx");
    if (!st)
        goto out;
    sqlite3_bind_text(st, 1, tmp, -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        rc = dbb_fail(h, tmp);
        goto out;
    }
    attached = 1;
    rc = -1;
    /* 64 KiB pages: read with far fewer calls.  Since create rows stopped
     * repeating every value, rows are small and the page size hardly
     * matters (100 000 demo cases: 179 MB at 4 KiB, 175 MB at 16 and 64 KiB,
     * import times equal within noise), so the format stays as it was. */
    if (dbb_run(h, "PRAGMA bx.page_size=65536; PRAGMA bx.journal_mode=OFF; PRAGMA bx.synchronous=OFF; "
                "BEGIN IMMEDIATE") < 0)
        goto out;
    x->seq = dbb_query_int(h, "SELECT max(seq) FROM exports WHERE office = ?1", o->code, 0) + 1;
    st = dbb_prep(h, "SELECT since, created_at FROM exports WHERE office = ?1 ORDER BY seq DESC LIMIT 1");
    if (!st)
        goto out;
    sqlite3_bind_text(st, 1, o->code, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW) {
        const char *s = (const char *)sqlite3_column_text(st, 0);

        since_id = s ? strtoll(s, NULL, 10) : 0;
        since_at = xstrdup((const char *)sqlite3_column_text(st, 1));
    }
    sqlite3_finalize(st);
    hwm = dbb_query_int(h, "SELECT max(id) FROM main.audit_log", NULL, 0);
    dbb_progress(p, 0, 0);
    if (fill(h, o, x, since_id, since_at) < 0)
        goto out;
    util_now_iso(now);
    if (manifest_put(h, "app", "tipdesk") < 0 ||
        manifest_putn(h, "format_version", BUNDLE_FORMAT) < 0 ||
        manifest_putn(h, "schema_version", dbb_query_int(h, "PRAGMA main.user_version", NULL, 0)) < 0 ||
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
    if (dbb_checksum(h, "bx", x->checksum, p, 0, total) < 0 || manifest_put(h, "checksum", x->checksum) < 0)
        goto out;
    sql = xasprintf("PRAGMA bx.application_id=%d; PRAGMA bx.user_version=%d",
                    BUNDLE_APPLICATION_ID, (int)dbb_query_int(h, "PRAGMA main.user_version", NULL, 0));
    rc = dbb_run(h, sql);
    free(sql);
    if (rc < 0 || dbb_run(h, "COMMIT") < 0) {
        rc = -1;
        goto out;
    }
    dbb_progress(p, total, total);
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

