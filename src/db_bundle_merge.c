/* Merging a verified bundle by uuid and rev with INSERT ... SELECT, so a
 * 100 000-record bundle costs about what the same upsert costs in sqlite3. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "bundle.h"
#include "canon.h"
#include "db.h"
#include "db_audit.h"
#include "db_bundle.h"
#include "db_bundle_sql.h"
#include "util.h"

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
    sqlite3_stmt *st = dbb_prep(h, "SELECT name FROM pragma_table_info(?1, 'bx') "
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
    sqlite3_stmt *st = dbb_prep(h, "SELECT name FROM pragma_table_info(?1, 'bx') ORDER BY cid");
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
    rc = dbb_run(h, sql.s);
    free(same);
    sbuf_free(&sql);
    return rc;
}

/* 1 when some record of T was classified ACT. */
static int has_act(sqlite3 *h, const char *t, char act)
{
    sqlite3_stmt *st = dbb_prep(h, "SELECT 1 FROM temp.xcls WHERE tbl = ?1 AND act = ?2 LIMIT 1");
    char a[2] = { act, '\0' };
    int rc;

    if (!st)
        return 1;
    sqlite3_bind_text(st, 1, t, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, a, 1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    sqlite3_finalize(st);
    return rc != SQLITE_DONE;
}

/* Writes the records of main table index I classified i/u, their children,
 * the conflicts and the ref counters. */
static int merge_table(sqlite3 *h, int i, int64_t import_id)
{
    const char *t = bundle_tables[i];
    char *cols = dbb_columns(h, "bx", t, 0, ""), *set = col_list(h, t, "\"%s\" = excluded.\"%s\"", ", ");
    char *json = json_of(h, t);
    struct sbuf sql = {0};
    size_t k;
    int rc = -1;

    if (!cols || !set || !json)
        goto out;
    sbuf_addf(&sql, "INSERT INTO main.\"%s\"(%s) SELECT %s FROM bx.\"%s\" WHERE uuid IN "
              "(SELECT uuid FROM temp.xcls WHERE tbl = ?1 AND act IN ('i', 'u')) "
              "ON CONFLICT(uuid) DO UPDATE SET %s", t, cols, cols, t, set);
    if (dbb_exec(h, sql.s, t, NULL, 0) < 0)
        goto out;
    for (k = 0; k < DBB_NKIDS; k++) {
        const char *kt = bundle_tables[dbb_kids[k].table];
        char *kcols;

        if (dbb_kids[k].parent != i)
            continue;
        if (!(kcols = dbb_columns(h, "bx", kt, 0, "")))
            goto out;
        sbuf_reset(&sql);
        sbuf_addf(&sql, "DELETE FROM main.\"%s\" WHERE %s IN (SELECT uuid FROM temp.xcls "
                  "WHERE tbl = ?1 AND act = 'u')", kt, dbb_kids[k].fk);
        rc = dbb_exec(h, sql.s, t, NULL, 0);
        sbuf_reset(&sql);
        sbuf_addf(&sql, "INSERT INTO main.\"%s\"(%s) SELECT %s FROM bx.\"%s\" WHERE %s IN "
                  "(SELECT uuid FROM temp.xcls WHERE tbl = ?1 AND act IN ('i', 'u'))",
                  kt, kcols, kcols, kt, dbb_kids[k].fk);
        free(kcols);
        if (rc < 0 || (rc = dbb_exec(h, sql.s, t, NULL, 0)) < 0)
            goto out;
        rc = -1;
    }
    /* The bundle has no index on uuid, so this scans it: only when needed. */
    sbuf_reset(&sql);
    sbuf_addf(&sql, "INSERT INTO main.conflicts(import_id, tbl, uuid, local_rev, remote_rev, "
              "remote_office, remote_data) SELECT ?3, ?1, b.uuid, x.lrev, b.rev, b.office, %s "
              "FROM bx.\"%s\" b JOIN temp.xcls x ON x.tbl = ?1 AND x.uuid = b.uuid WHERE x.act = 'c'",
              json, t);
    if (has_act(h, t, 'c') && dbb_exec(h, sql.s, t, NULL, import_id) < 0)
        goto out;
    /* New refs of any office raise its counter, so local numbering never
     * hands out a ref that arrived in a bundle. */
    sbuf_reset(&sql);
    sbuf_addf(&sql, "INSERT INTO main.ref_counter(tbl, office, year, last) "
              "SELECT ?1, office, CAST(substr(ref, length(office) + 2, 4) AS INTEGER), "
              "max(CAST(substr(ref, length(office) + 7) AS INTEGER)) FROM bx.\"%s\" "
              "WHERE uuid IN (SELECT uuid FROM temp.xcls WHERE tbl = ?1 AND act = 'i') "
              "GROUP BY 2, 3 ON CONFLICT(tbl, office, year) DO UPDATE SET last = max(last, excluded.last)", t);
    rc = has_act(h, t, 'i') ? dbb_exec(h, sql.s, t, NULL, 0) : 0;
out:
    free(cols);
    free(set);
    free(json);
    sbuf_free(&sql);
    return rc;
}

/* Audit rows of merged records that are not here yet, in the order of the
 * sending office's log (the bundle holds them by id, so no sort of its
 * largest table), then an 'import' row for any merged record that got none:
 * the next export of this office carries what it imported. */
static int merge_audit(sqlite3 *h, const struct db_bundle_office *o, const char *name, int64_t before)
{
    char now[21], *sql;
    int rc;
    size_t i;

    sql = db_audit_insert_alloc("SELECT " DB_AUDIT_COLUMNS " FROM bx.audit_log a WHERE EXISTS "
                    "(SELECT 1 FROM temp.xcls x WHERE x.tbl = a.tbl AND x.uuid = a.uuid AND x.act IN ('i', 'u')) "
                    "AND NOT EXISTS (SELECT 1 FROM main.audit_log l WHERE l.uuid = a.uuid AND l.rev = a.rev "
                    "AND l.action = a.action AND l.at = a.at) ORDER BY a.rowid");
    rc = dbb_run(h, sql);
    free(sql);
    util_now_iso(now);
    for (i = 0; i < DBB_NMAINS && rc == 0; i++) {
        const char *t = bundle_tables[dbb_mains[i]];
        char *j = db_audit_import_changes_alloc(name);
        char *rows = xasprintf("SELECT ?1, ?2, ?3, '%s', b.uuid, 'import', b.rev, ?4 FROM bx.\"%s\" b "
                               "JOIN temp.xcls x ON x.tbl = '%s' AND x.uuid = b.uuid AND x.act IN ('i', 'u') "
                               "WHERE NOT EXISTS (SELECT 1 FROM main.audit_log l WHERE l.uuid = b.uuid AND l.id > ?5)",
                               t, t, t);
        sqlite3_stmt *st;

        sql = db_audit_insert_alloc(rows);
        free(rows);
        st = dbb_prep(h, sql);
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
            rc = dbb_fail(h, "bundle");
        sqlite3_finalize(st);
        free(j);
    }
    return rc;
}

static int count_acts(sqlite3 *h, struct bundle_summary *s)
{
    sqlite3_stmt *st = dbb_prep(h, "SELECT act, count(*) FROM temp.xcls GROUP BY act");

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

    for (i = 0; i < DBB_NMAINS; i++) {
        const char *t = bundle_tables[dbb_mains[i]];
        char *sql = xasprintf("SELECT b.ref || ' (uuid ' || b.uuid || ') is already the ref of "
                              "another record here (uuid ' || l.uuid || ')' FROM bx.\"%s\" b "
                              "JOIN main.\"%s\" l ON l.ref = b.ref AND l.uuid <> b.uuid LIMIT 1", t, t);
        char *bad = NULL;
        int rc = dbb_first_text(h, sql, NULL, &bad);

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
    sqlite3 *h = dbb_open_main(db);
    sqlite3_stmt *st;
    const char *base = strrchr(file, '/') ? strrchr(file, '/') + 1 : file;
    char *uri = uri_ro(file), *name = NULL, *at = NULL;
    int64_t import_id = 0, before;
    size_t i;
    int rc = -1, attached = 0, step = 0;

    if (!h)
        goto out;
    st = dbb_prep(h, "ATTACH ?1 AS bx");
    if (!st)
        goto out;
    sqlite3_bind_text(st, 1, uri, -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        rc = dbb_fail(h, file);
        goto out;
    }
    attached = 1;
    rc = -1;
    /* The indexes of a large database are written at random places: 128 MB
     * of cache keeps most of their pages between rows (old PCs have 1-2 GB),
     * and the small work tables (temp.xcls, IN lists) stay off the disk. */
    if (dbb_run(h, "PRAGMA cache_size=-131072; PRAGMA temp_store=MEMORY") < 0 ||
        dbb_run(h, s->dry_run ? "BEGIN" : "BEGIN IMMEDIATE") < 0)
        goto out;
    st = dbb_prep(h, "SELECT imported_at FROM imports WHERE office = ?1 AND seq = ?2 AND checksum = ?3");
    if (!st)
        goto out;
    sqlite3_bind_text(st, 1, s->office, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, s->seq);
    sqlite3_bind_text(st, 3, s->checksum, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW) {
        s->already = 1;
        dbb_copy_str(s->imported_on, sizeof(s->imported_on), (const char *)sqlite3_column_text(st, 0));
    }
    sqlite3_finalize(st);
    if (s->already) {
        rc = 0;
        goto out;
    }
    if (check_refs(h, s) < 0 ||
        dbb_run(h, "CREATE TEMP TABLE IF NOT EXISTS xcls (tbl TEXT, uuid TEXT, act TEXT, lrev INTEGER, "
               "PRIMARY KEY (tbl, uuid)) WITHOUT ROWID; DELETE FROM temp.xcls") < 0)
        goto out;
    for (i = 0; i < DBB_NMAINS; i++)
        if (classify(h, bundle_tables[dbb_mains[i]]) < 0)
            goto out;
    if (count_acts(h, s) < 0)
        goto out;
    dbb_progress(p, ++step, 6);
    if (s->dry_run) {
        rc = 0;
        goto out;
    }
    before = dbb_query_int(h, "SELECT max(id) FROM main.audit_log", NULL, 0);
    st = dbb_prep(h, "INSERT INTO imports(office, seq, file, checksum, imported_at, imported_by, "
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
        rc = dbb_fail(h, "imports");
        goto out;
    }
    rc = -1;
    import_id = sqlite3_last_insert_rowid(h);
    for (i = 0; i < DBB_NMAINS; i++) {
        if (merge_table(h, dbb_mains[i], import_id) < 0)
            goto out;
        dbb_progress(p, ++step, 6);
    }
    name = xasprintf("%s_%lld", s->office, (long long)s->seq);
    if (merge_audit(h, o, name, before) < 0 || dbb_run(h, "COMMIT") < 0)
        goto out;
    dbb_progress(p, 6, 6);
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
