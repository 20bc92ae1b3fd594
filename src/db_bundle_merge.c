/* Merging a verified bundle by uuid and rev with INSERT ... SELECT, so a
 * 100 000-record bundle costs about what the same upsert costs in sqlite3. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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
static char *col_list(struct db *h, const char *table, const char *fmt, const char *sep)
{
    struct db_stmt *st = db_prepare(h, "SELECT name FROM pragma_table_info(?1, 'bx') "
                                       "WHERE name NOT IN ('id', 'uuid') ORDER BY cid", 0);
    struct sbuf b = {0};
    int n = 0;

    if (!st)
        return NULL;
    db_bind_text(st, 1, table);
    while (db_step(st) == 1) {
        const char *c = db_column_text(st, 0);

        if (n++)
            sbuf_add(&b, sep);
        sbuf_addf(&b, fmt, c, c, c);
    }
    db_finalize(st);
    return b.s ? b.s : xstrdup("1");
}

/* json_object over every column of bx.T as b; past 60 columns the rest are
 * added by json_insert, since SQL functions take at most 127 arguments. */
static char *json_of(struct db *h, const char *table)
{
    struct db_stmt *st = db_prepare(h, "SELECT name FROM pragma_table_info(?1, 'bx') ORDER BY cid", 0);
    struct sbuf chunk = {0};
    char *expr = NULL, *next;
    int n = 0;

    if (!st)
        return NULL;
    db_bind_text(st, 1, table);
    for (;;) {
        int more = db_step(st) == 1;
        const char *c = more ? db_column_text(st, 0) : NULL;

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
    db_finalize(st);
    sbuf_free(&chunk);
    return expr ? expr : xstrdup("'{}'");
}

/* Sorts every bundle record of T into temp.xcls: i (new here), u (higher
 * rev), s (same rev and content), o (older than here), c (conflict). */
static int classify(struct db *h, const char *t)
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
    rc = dbb_exec(h, sql.s, NULL, NULL, 0);
    free(same);
    sbuf_free(&sql);
    return rc;
}

/* 1 when some record of T was classified ACT. */
static int has_act(struct db *h, const char *t, char act)
{
    struct db_stmt *st = db_prepare(h, "SELECT 1 FROM temp.xcls WHERE tbl = ?1 AND act = ?2 LIMIT 1", 0);
    char a[2] = { act, '\0' };
    int rc;

    if (!st)
        return 1;
    db_bind_text(st, 1, t);
    db_bind_text(st, 2, a);
    rc = db_step(st);
    db_finalize(st);
    return rc != 0;
}

/* Writes the records of main table index I classified i/u, their children,
 * the conflicts and the ref counters. */
static int merge_table(struct db *h, int i, int64_t import_id)
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
static int merge_audit(struct db *h, const struct db_bundle_office *o, const char *name, int64_t before)
{
    char now[21], *sql;
    int rc;
    size_t i;

    sql = db_audit_insert_alloc("SELECT " DB_AUDIT_COLUMNS " FROM bx.audit_log a WHERE EXISTS "
                    "(SELECT 1 FROM temp.xcls x WHERE x.tbl = a.tbl AND x.uuid = a.uuid AND x.act IN ('i', 'u')) "
                    "AND NOT EXISTS (SELECT 1 FROM main.audit_log l WHERE l.uuid = a.uuid AND l.rev = a.rev "
                    "AND l.action = a.action AND l.at = a.at) ORDER BY a.rowid");
    rc = dbb_exec(h, sql, NULL, NULL, 0);
    free(sql);
    util_now_iso(now);
    for (i = 0; i < DBB_NMAINS && rc == 0; i++) {
        const char *t = bundle_tables[dbb_mains[i]];
        char *j = db_audit_import_changes_alloc(name);
        char *rows = xasprintf("SELECT ?1, ?2, ?3, '%s', b.uuid, 'import', b.rev, ?4 FROM bx.\"%s\" b "
                               "JOIN temp.xcls x ON x.tbl = '%s' AND x.uuid = b.uuid AND x.act IN ('i', 'u') "
                               "WHERE NOT EXISTS (SELECT 1 FROM main.audit_log l WHERE l.uuid = b.uuid AND l.id > ?5)",
                               t, t, t);
        struct db_stmt *st;

        sql = db_audit_insert_alloc(rows);
        free(rows);
        st = db_prepare(h, sql, 0);
        free(sql);
        if (!st) {
            free(j);
            return -1;
        }
        db_bind_text(st, 1, now);
        db_bind_text(st, 2, o->user);
        db_bind_text(st, 3, o->code);
        db_bind_text(st, 4, j);
        db_bind_int(st, 5, before);
        if (db_step(st) != 0)
            rc = db_fail(h, "bundle");
        db_finalize(st);
        free(j);
    }
    return rc;
}

static int count_acts(struct db *h, struct bundle_summary *s)
{
    struct db_stmt *st = db_prepare(h, "SELECT act, count(*) FROM temp.xcls GROUP BY act", 0);

    if (!st)
        return -1;
    s->inserted = s->updated = s->unchanged = s->older = s->conflicts = 0;
    while (db_step(st) == 1) {
        const char *a = db_column_text(st, 0);
        int64_t n = db_column_int(st, 1);

        switch (a[0]) {
        case 'i': s->inserted = n; break;
        case 'u': s->updated = n; break;
        case 's': s->unchanged = n; break;
        case 'o': s->older = n; break;
        default: s->conflicts = n; break;
        }
    }
    db_finalize(st);
    return 0;
}

/* Refs are unique: a new record whose ref another record holds here would
 * be a numbering clash between offices. */
static int check_refs(struct db *h, const char *name)
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
            err_set("%s: %s %s; the bundle is refused", name, t, util_printable(bad));
        free(bad);
        if (rc)
            return -1;
    }
    return 0;
}

/* Merges the verified bundle bx into main inside H's open transaction (or
 * only counts, S->dry_run) and records it in `imports`; 0 leaves the
 * transaction for the caller to commit. */
static int merge(struct db *h, const struct db_bundle_office *o, const char *name, const char *base,
                 struct bundle_summary *s, const struct bundle_progress *p)
{
    struct db_stmt *st;
    char *label = NULL, at[21];
    int64_t import_id = 0, before;
    size_t i;
    int rc = -1, step = 0;

    st = db_prepare(h, "SELECT imported_at FROM imports WHERE office = ?1 AND seq = ?2 AND checksum = ?3", 0);
    if (!st)
        return -1;
    db_bind_text(st, 1, s->office);
    db_bind_int(st, 2, s->seq);
    db_bind_text(st, 3, s->checksum);
    if (db_step(st) == 1) {
        s->already = 1;
        dbb_copy_str(s->imported_on, sizeof(s->imported_on), db_column_text(st, 0));
    }
    db_finalize(st);
    if (s->already)
        return 0;
    if (check_refs(h, name) < 0 ||
        db_exec(h, "CREATE TEMP TABLE IF NOT EXISTS xcls (tbl TEXT, uuid TEXT, act TEXT, lrev INTEGER, "
               "PRIMARY KEY (tbl, uuid)) WITHOUT ROWID; DELETE FROM temp.xcls") < 0)
        return -1;
    for (i = 0; i < DBB_NMAINS; i++)
        if (classify(h, bundle_tables[dbb_mains[i]]) < 0)
            return -1;
    if (count_acts(h, s) < 0)
        return -1;
    dbb_progress(p, ++step, 6);
    if (s->dry_run)
        return 0;
    before = db_query_int(h, "SELECT max(id) FROM main.audit_log", NULL, 0);
    st = db_prepare(h, "INSERT INTO imports(office, seq, file, checksum, imported_at, imported_by, "
                       "inserted, updated, unchanged, conflicts) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)", 0);
    if (!st)
        return -1;
    util_now_iso(at);
    db_bind_text(st, 1, s->office);
    db_bind_int(st, 2, s->seq);
    db_bind_text(st, 3, base);
    db_bind_text(st, 4, s->checksum);
    db_bind_text(st, 5, at);
    db_bind_text(st, 6, o->user);
    db_bind_int(st, 7, s->inserted);
    db_bind_int(st, 8, s->updated);
    db_bind_int(st, 9, s->unchanged + s->older);
    db_bind_int(st, 10, s->conflicts);
    rc = db_step(st);
    db_finalize(st);
    if (rc != 0)
        return db_fail(h, "imports");
    import_id = db_last_insert_rowid(h);
    for (i = 0; i < DBB_NMAINS; i++) {
        if (merge_table(h, dbb_mains[i], import_id) < 0)
            return -1;
        dbb_progress(p, ++step, 6);
    }
    label = xasprintf("%s_%lld", s->office, (long long)s->seq);
    rc = merge_audit(h, o, label, before);
    free(label);
    return rc;
}

/* The work an import may do, in SQLite VM steps: far more than any real
 * bundle of its size needs (a 9 MB bundle of 2 000 cases takes 0.1 steps a
 * byte to check and 0.4 to merge), so a file made to keep SQLite busy is
 * stopped rather than hanging the import for good. */
#define STEPS_FIXED 100000000LL
#define STEPS_PER_BYTE 50LL
/* The longest value read from a bundle: far beyond any field of the forms
 * (100 000 characters at most) or a record's audit entry, and it bounds
 * the memory one value can take. */
#define VALUE_MAX (8 << 20)

static int attach(struct db *h, const char *what, const char *as)
{
    struct db_stmt *st = db_prepare(h, "ATTACH ?1 AS ?2", 0);
    int rc;

    if (!st)
        return -1;
    db_bind_text(st, 1, what);
    db_bind_text(st, 2, as);
    rc = db_step(st);
    db_finalize(st);
    return rc < 0 ? -1 : 0;
}

/* The file at FILE is still the one opened as FD, unchanged since A. */
static int same_file(int fd, const char *file, const struct stat *a, const char *name)
{
    struct stat b, c;

    if (fstat(fd, &b) != 0 || stat(file, &c) != 0 || b.st_dev != a->st_dev || b.st_ino != a->st_ino ||
        c.st_dev != a->st_dev || c.st_ino != a->st_ino || b.st_size != a->st_size ||
        b.st_mtim.tv_sec != a->st_mtim.tv_sec || b.st_mtim.tv_nsec != a->st_mtim.tv_nsec)
        return err_set("%s: the file changed while it was imported; the bundle is refused, "
                       "import it again", name);
    return 0;
}

int db_bundle_import(struct db *db, const struct db_bundle_office *o, const char *file,
                     const struct db_bundle_limits *lim, struct bundle_summary *s,
                     const struct bundle_progress *p)
{
    const char *base = strrchr(file, '/') ? strrchr(file, '/') + 1 : file;
    char *name = xstrdup(util_printable(file)), *uri = uri_ro(file), msg[1024];
    struct db_limits bounds = { VALUE_MAX, 1 << 20, 0 };
    struct stat sb;
    struct db *h = NULL;
    int fd, rc = -1, attached = 0;

    if ((fd = dbb_open_file(file, name, &sb)) < 0)
        goto out;
    bounds.work = STEPS_FIXED + STEPS_PER_BYTE * (int64_t)sb.st_size;
    if (!(h = db_open_peer(db)) || db_harden(h, &bounds) < 0)
        goto out;
    if (attach(h, uri, "bx") < 0) {
        db_fail(h, name);
        goto out;
    }
    attached = 1;
    /* The scratch database the expected schema is built in. */
    if (attach(h, ":memory:", "bexp") < 0) {
        db_fail(h, "bundle");
        goto out;
    }
    attached = 2;
    /* Memory stays bounded whatever the bundle's size (district PCs have
     * 1-2 GB, shared with everything else): 16 MB of page cache, work
     * tables, sorts and IN lists in temporary files once they outgrow their
     * 4 MB (42 MB at the peak for 100 000 records).  One transaction from
     * the first read of the bundle to the commit: the rows merged are the
     * rows verified. */
    if (same_file(fd, file, &sb, name) < 0 ||
        db_exec(h, "PRAGMA cache_size=-16384; PRAGMA temp.cache_size=-4096; "
                "PRAGMA temp_store=FILE") < 0 ||
        (s->dry_run ? db_begin_read(h) : db_begin(h)) < 0 ||
        dbb_verify(h, name, lim, s, p) < 0 ||
        (lim->accept && lim->accept(lim->actx, s) < 0))
        goto out;
    /* bx holds plain tables now, nothing of it runs; main's own full-text
     * triggers need a trusted schema to write. */
    if (db_exec(h, "PRAGMA trusted_schema=ON") < 0 || merge(h, o, name, base, s, p) < 0)
        goto out;
    if (!s->dry_run && !s->already &&
        (same_file(fd, file, &sb, name) < 0 || db_commit(h) < 0))
        goto out;
    dbb_progress(p, 6, 6);
    rc = 0;
out:
    if (rc < 0 && h && db_fault(h) == DB_FAULT_WORK)
        err_set("%s: reading the bundle takes far more work than a bundle of its size needs "
                "(a file made to hang the import); the bundle is refused", name);
    else if (rc < 0 && h && db_fault(h) == DB_FAULT_TOO_BIG)
        err_set("%s: the bundle holds a value longer than %d MB, far beyond any field; "
                "the bundle is refused", name, VALUE_MAX >> 20);
    snprintf(msg, sizeof(msg), "%s", err_msg());
    if (h) {
        db_rollback(h);
        if (attached > 1)
            db_exec(h, "DETACH bexp");
        if (attached)
            db_exec(h, "DETACH bx");
        db_close(h);
    }
    if (rc < 0)
        err_set("%s", msg);
    if (fd >= 0)
        close(fd);
    free(uri);
    free(name);
    return rc;
}
