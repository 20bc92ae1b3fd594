/* Bundles on the SQLite side: the helpers shared by db_bundle*.c, the
 * canonical checksum, and writing a bundle through ATTACH. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

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

/* The columns of SCHEMA.TABLE but `id`, quoted and comma-separated, with
 * their declared types when TYPES; PREFIX ("b.") before each name.  NULL
 * with err set when the table is missing. */
char *dbb_columns(struct db *h, const char *schema, const char *table, int types,
                  const char *prefix)
{
    struct db_stmt *st = db_prepare(h, "SELECT name, type FROM pragma_table_info(?1, ?2) ORDER BY cid", 0);
    struct sbuf b = {0};
    int n = 0;

    if (!st)
        return NULL;
    db_bind_text(st, 1, table);
    db_bind_text(st, 2, schema);
    while (db_step(st) == 1) {
        const char *name = db_column_text(st, 0);

        if (strcmp(name, "id") == 0)
            continue;
        sbuf_addf(&b, "%s%s\"%s\"", n++ ? ", " : "", prefix, name);
        if (types)
            sbuf_addf(&b, " %s", db_column_text(st, 1));
    }
    db_finalize(st);
    if (!n) {
        sbuf_free(&b);
        err_set("the table %s is missing", table);
        return NULL;
    }
    return b.s;
}

/* Runs SQL built by the caller from our own table and column names, with up
 * to two text and one integer parameter.  A failure names the bundle, whose
 * file most of them write or read. */
int dbb_exec(struct db *h, const char *sql, const char *t1, const char *t2, int64_t i3)
{
    struct db_stmt *st = db_prepare(h, sql, 0);
    int n, rc;

    if (!st)
        return -1;
    n = db_bind_parameter_count(st);
    if (n >= 1)
        db_bind_text(st, 1, t1);
    if (n >= 2)
        db_bind_text(st, 2, t2);
    if (n >= 3)
        db_bind_int(st, 3, i3);
    rc = db_step(st);
    db_finalize(st);
    return rc < 0 ? db_fail(h, "bundle") : 0;
}

/* Runs SQL on V; returns 1 with *OUT (caller frees) the first column of the
 * first row, 0 when no row, -1 on error. */
int dbb_first_text(struct db *v, const char *sql, const char *param, char **out)
{
    struct db_stmt *st = db_prepare(v, sql, 0);
    int rc;

    *out = NULL;
    if (!st)
        return -1;
    if (param)
        db_bind_text(st, 1, param);
    rc = db_step(st);
    if (rc == 1)
        *out = xstrdup(db_column_text(st, 0) ? db_column_text(st, 0) : "");
    db_finalize(st);
    if (rc < 0)
        return db_fail(v, "the bundle cannot be read");
    return rc;
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

static int hash_table(struct db *h, struct hash_pass *hp, int t, int64_t *rows)
{
    const char *table = bundle_tables[t];
    char *cols = dbb_columns(h, hp->schema, table, 0, "");
    struct sbuf sql = {0};
    struct db_stmt *st;
    int i, n, rc;

    if (!cols)
        return -1;
    sbuf_addf(&sql, "SELECT %s FROM %s.\"%s\"", cols, hp->schema, table);
    hash_bytes(&hp->hs, 'S', table, strlen(table));
    hash_bytes(&hp->hs, 'S', cols, strlen(cols));
    free(cols);
    if (!hp->sorted)
        sbuf_add(&sql, " ORDER BY rowid");
    st = db_prepare(h, sql.s, 0);
    if (st && hp->sorted) {
        n = db_column_count(st);
        db_finalize(st);
        for (i = 1; i <= n; i++)
            sbuf_addf(&sql, "%s%d", i > 1 ? ", " : " ORDER BY ", i);
        st = db_prepare(h, sql.s, 0);
    }
    sbuf_free(&sql);
    if (!st)
        return -1;
    n = db_column_count(st);
    if (hp->vis)
        hp->vis->begin(hp->vis->ctx, t, st);
    *rows = 0;
    while ((rc = db_step(st)) == 1) {
        for (i = 0; i < n; i++) {
            int type = db_column_type(st, i), len;
            const void *v = type == DB_BLOB ? db_column_blob(st, i, &len) : db_column_text(st, i);
            static const char tag[] = "?IRTBN";

            if (type != DB_BLOB)
                len = db_column_bytes(st, i);
            hash_bytes(&hp->hs, tag[type], v, (size_t)len);
        }
        /* The checks see the row after it is hashed, through text only:
         * column types are unreliable once a value was converted. */
        if (hp->vis)
            hp->vis->row(hp->vis->ctx, st);
        ++*rows;
        if (++hp->done % 4096 == 0)
            dbb_progress(hp->p, hp->done, hp->total);
    }
    db_finalize(st);
    if (rc < 0)
        return db_fail(h, "the bundle cannot be read");
    return 0;
}

int dbb_checksum_rows(struct db *h, const char *schema, char out[65], const struct dbb_visit *vis,
                      int64_t rows[], const struct bundle_progress *p, int64_t total)
{
    struct hash_pass hp = { .schema = schema, .vis = vis, .p = p, .total = total };
    unsigned char md[32];
    struct sbuf sql = {0};
    struct db_stmt *st;
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
    st = db_prepare(h, sql.s, 0);
    sbuf_free(&sql);
    if (!st)
        return -1;
    while ((rc = db_step(st)) == 1)
        for (i = 0; i < 2; i++)
            hash_bytes(&hp.hs, 'T', db_column_text(st, i), (size_t)db_column_bytes(st, i));
    db_finalize(st);
    if (rc < 0)
        return db_fail(h, "the bundle cannot be read");
    crypto_generichash_final(&hp.hs, md, sizeof(md));
    sodium_bin2hex(out, 65, md, sizeof(md));
    return 0;
}

int dbb_checksum(struct db *h, const char *schema, char out[65],
                 const struct bundle_progress *p, int64_t done, int64_t total)
{
    (void)done;
    return dbb_checksum_rows(h, schema, out, NULL, NULL, p, total);
}

/* Export */

static int manifest_put(struct db *h, const char *key, const char *value)
{
    return dbb_exec(h, "INSERT OR REPLACE INTO bx.manifest(key, value) VALUES (?1, ?2)", key, value, 0);
}

static int manifest_putn(struct db *h, const char *key, int64_t v)
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
static char *table_def(struct db *h, const char *t, const char *names_from)
{
    struct db_stmt *st = db_prepare(h, "SELECT n.name, m.type FROM pragma_table_info(?1, ?2) n "
                                       "LEFT JOIN pragma_table_info(?1, 'main') m ON m.name = n.name "
                                       "WHERE n.name <> 'id' ORDER BY n.cid", 0);
    struct sbuf b = {0};
    int rc;

    if (!st)
        return NULL;
    db_bind_text(st, 1, t);
    db_bind_text(st, 2, names_from);
    while ((rc = db_step(st)) == 1) {
        const char *name = db_column_text(st, 0);

        if (db_column_is_null(st, 1)) {
            err_set("column %s.%s is unknown to this tipdesk; update tipdesk here", t,
                    util_printable(name));
            break;          /* rc stays 1 */
        }
        sbuf_addf(&b, "%s\"%s\" %s", b.len ? ", " : "", name, db_column_text(st, 1));
    }
    if (rc == 0 && !b.len)
        err_set("the table %s is missing", t);
    else if (rc < 0)
        db_fail(h, "the bundle cannot be read");
    db_finalize(st);
    if (rc != 0 || !b.len) {
        sbuf_free(&b);
        return NULL;
    }
    return b.s;
}

int dbb_create_tables(struct db *h, const char *schema, const char *names_from)
{
    char *sql;
    int i, rc;

    for (i = 0; i < BT_N; i++) {
        char *def = table_def(h, bundle_tables[i], names_from);

        if (!def)
            return -1;
        sql = xasprintf("CREATE TABLE %s.\"%s\" (%s)", schema, bundle_tables[i], def);
        rc = dbb_exec(h, sql, NULL, NULL, 0);
        free(sql);
        free(def);
        if (rc < 0)
            return -1;
    }
    sql = xasprintf("CREATE TABLE %s.%s", schema, manifest_def);
    rc = dbb_exec(h, sql, NULL, NULL, 0);
    free(sql);
    return rc;
}

/* Fills the tables of the attached bx from main: the office's records
 * changed since the last export (audit rows after its high-water mark, or
 * updated since it), their children and audit rows.  Records go in by
 * uuid, children by parent and seq, audit rows by id: the order the
 * checksum and the checks of an import read them in, one pass without a
 * sort. */
static int fill(struct db *h, const struct db_bundle_office *o, struct bundle_export *x,
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
        x->counts[i] = db_changes(h);
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
    struct db *h = db_open_peer(db);
    struct db_stmt *st;
    char now[21], *since_at = NULL, *sql, msg[1024];
    int64_t since_id = 0, hwm, total = 0;
    int i, rc = -1, attached = 0;

    if (!h)
        goto out;
    if (!(st = db_prepare(h, "ATTACH ?1 AS bx", 0)))
        goto out;
    db_bind_text(st, 1, tmp);
    rc = db_step(st);
    db_finalize(st);
    if (rc < 0) {
        db_fail(h, tmp);
        goto out;
    }
    attached = 1;
    rc = -1;
    /* 64 KiB pages: read with far fewer calls.  Since create rows stopped
     * repeating every value, rows are small and the page size hardly
     * matters (100 000 demo cases: 179 MB at 4 KiB, 175 MB at 16 and 64 KiB,
     * import times equal within noise), so the format stays as it was. */
    if (db_exec(h, "PRAGMA bx.page_size=65536; PRAGMA bx.journal_mode=OFF; PRAGMA bx.synchronous=OFF; "
                "BEGIN IMMEDIATE") < 0)
        goto out;
    x->seq = db_query_int(h, "SELECT max(seq) FROM exports WHERE office = ?1", o->code, 0) + 1;
    st = db_prepare(h, "SELECT since, created_at FROM exports WHERE office = ?1 ORDER BY seq DESC LIMIT 1", 0);
    if (!st)
        goto out;
    db_bind_text(st, 1, o->code);
    if (db_step(st) == 1) {
        const char *s = db_column_text(st, 0);

        since_id = s ? strtoll(s, NULL, 10) : 0;
        since_at = xstrdup(db_column_text(st, 1));
    }
    db_finalize(st);
    hwm = db_query_int(h, "SELECT max(id) FROM main.audit_log", NULL, 0);
    dbb_progress(p, 0, 0);
    if (fill(h, o, x, since_id, since_at) < 0)
        goto out;
    util_now_iso(now);
    if (manifest_put(h, "app", "tipdesk") < 0 ||
        manifest_putn(h, "format_version", BUNDLE_FORMAT) < 0 ||
        manifest_putn(h, "schema_version", db_query_int(h, "PRAGMA main.user_version", NULL, 0)) < 0 ||
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
    /* The commit writes the bundle's file: a full disk is the bundle's. */
    sql = xasprintf("PRAGMA bx.application_id=%d; PRAGMA bx.user_version=%d; COMMIT",
                    BUNDLE_APPLICATION_ID, (int)db_query_int(h, "PRAGMA main.user_version", NULL, 0));
    rc = db_exec(h, sql);
    free(sql);
    if (rc < 0) {
        db_fail(h, "bundle");
        goto out;
    }
    dbb_progress(p, total, total);
    x->high_water = hwm;
    memcpy(x->created_at, now, sizeof(now));
    rc = 0;
out:
    snprintf(msg, sizeof(msg), "%s", err_msg());
    if (h) {
        db_rollback(h);
        if (attached)
            db_exec(h, "DETACH bx");
        db_close(h);
    }
    if (rc < 0) {
        unlink(tmp);
        err_set("%s", msg);
    }
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

