/* Verifying a bundle without changing it: header, manifest, integrity,
 * checksum, links and every value. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "bundle.h"
#include "canon.h"
#include "db.h"
#include "db_bundle.h"
#include "db_bundle_sql.h"
#include "util.h"

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

/* Links, keys and refs that single values cannot show. */
static int check_links(sqlite3 *v, const struct bundle_summary *s)
{
    struct sbuf sql = {0};
    char *bad = NULL;
    size_t i;
    int rc = 0;

    for (i = 0; i < DBB_NMAINS && !rc; i++) {
        const char *t = bundle_tables[dbb_mains[i]];

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
        rc = dbb_first_text(v, sql.s, s->office, &bad);
    }
    for (i = 0; i < DBB_NKIDS && !rc; i++) {
        const char *k = bundle_tables[dbb_kids[i].table], *pt = bundle_tables[dbb_kids[i].parent];

        sbuf_reset(&sql);
        sbuf_addf(&sql, "SELECT '%s row ' || ifnull(seq, '?') || ' points at ' || ifnull(%s, 'no record') || "
                  "', which is not a %s record in the bundle' FROM \"%s\" "
                  "WHERE %s IS NULL OR seq IS NULL OR %s NOT IN (SELECT uuid FROM \"%s\") UNION ALL "
                  "SELECT '%s row ' || seq || ' of ' || %s || ' appears twice' FROM \"%s\" "
                  "GROUP BY %s, seq HAVING count(*) > 1 LIMIT 1",
                  k, dbb_kids[i].fk, pt, k, dbb_kids[i].fk, dbb_kids[i].fk, pt, k, dbb_kids[i].fk, k, dbb_kids[i].fk);
        rc = dbb_first_text(v, sql.s, NULL, &bad);
    }
    if (!rc)
        rc = dbb_first_text(v, "SELECT 'audit row of ' || ifnull(tbl, '?') || ' ' || ifnull(uuid, '?') || "
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
        sqlite3_stmt *st = dbb_prep(v, sql);

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
                dbb_progress(p, done, total);
        }
        sqlite3_finalize(st);
        if (rc != SQLITE_DONE)
            return dbb_fail(v, "the bundle cannot be read");
    }
    return 0;
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
        else if (!strcmp(k, "office")) dbb_copy_str(s->office, sizeof(s->office), val);
        else if (!strcmp(k, "level")) dbb_copy_str(s->level, sizeof(s->level), val);
        else if (!strcmp(k, "seq")) s->seq = atoll(val);
        else if (!strcmp(k, "created_at")) dbb_copy_str(s->created_at, sizeof(s->created_at), val);
        else if (!strcmp(k, "checksum")) dbb_copy_str(s->checksum, sizeof(s->checksum), val);
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
    if (dbb_run(v, "PRAGMA query_only=1") < 0 || read_manifest(v, s, counts, &format, &schema) < 0)
        goto out;
    /* A damaged file fails here, before any of its rows is trusted. */
    if (dbb_first_text(v, "SELECT group_concat(integrity_check, '; ') FROM pragma_integrity_check(5) "
                      "WHERE integrity_check <> 'ok'", NULL, &bad) < 0 || (bad && *bad)) {
        err_set("%s: the bundle is damaged (integrity check: %s); copy it again or ask %s "
                "to export it again", file, bad ? bad : err_msg(), s->office);
        goto out;
    }
    for (i = 0; i < BT_N; i++) {
        char *sql = xasprintf("SELECT count(*) FROM \"%s\"", bundle_tables[i]);
        int64_t n = dbb_query_int(v, sql, NULL, -1);

        free(sql);
        if (n < 0 || n != counts[i]) {
            err_set("%s: the bundle is damaged: table %s has %lld rows, its manifest says %lld; "
                    "ask %s to export it again", file, bundle_tables[i], (long long)n,
                    (long long)counts[i], s->office);
            goto out;
        }
        total += n;
        st = dbb_prep(v, "SELECT name FROM pragma_table_info(?1)");
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
    if (dbb_checksum(v, "main", sum, p, 0, total * 2) < 0)
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

