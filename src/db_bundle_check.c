/* Verifying a bundle without changing it: header, manifest, integrity,
 * checksum, links and every value. */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
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

/* The checks of every row, made during the checksum pass: values against
 * the canonical rules, the common columns of records, keys in order (so
 * none twice), children and audit rows pointing at records of the bundle.
 * The first failure is kept and the pass goes on, so that a damaged file
 * is reported as damaged (checksum) rather than by the rule it breaks. */
struct uuids {
    char (*v)[37];
    size_t n, cap;
};

struct row_check {
    const struct bundle_summary *s;
    char *bad;                  /* the first failure; the checks stop there */
    int t, n;                   /* table (bundle_tables index), columns */
    const struct canon_rule **rules;
    int key, seq, ref, office, tbl, common[9];
    const char *fk_of;          /* kids: the parent table */
    int parent;
    int64_t row;
    char prev[37];              /* the key of the row before */
    int64_t prev_seq;
    struct uuids sets[BT_N];    /* every record's uuid, mains only, sorted */
};

static const char *const common_cols[9] = {
    "uuid", "ref", "office", "rev", "status", "created_at", "updated_at", "created_by", "updated_by"
};

static int col_index(sqlite3_stmt *st, const char *name)
{
    int i, n = sqlite3_column_count(st);

    for (i = 0; i < n; i++)
        if (strcmp(sqlite3_column_name(st, i), name) == 0)
            return i;
    return -1;
}

static void rc_begin(void *ctx, int t, sqlite3_stmt *st)
{
    struct row_check *c = ctx;
    size_t k;
    int i;

    c->t = t;
    c->n = sqlite3_column_count(st);
    c->row = 0;
    c->prev[0] = '\0';
    c->prev_seq = 0;
    free(c->rules);
    c->rules = xcalloc((size_t)c->n, sizeof(*c->rules));
    for (i = 0; i < c->n; i++)
        c->rules[i] = canon_rule_of(bundle_tables[t], sqlite3_column_name(st, i));
    c->fk_of = NULL;
    c->key = c->seq = -1;
    for (k = 0; k < DBB_NKIDS; k++)
        if (dbb_kids[k].table == t) {
            c->fk_of = bundle_tables[dbb_kids[k].parent];
            c->parent = dbb_kids[k].parent;
            c->key = col_index(st, dbb_kids[k].fk);
            c->seq = col_index(st, "seq");
        }
    if (t == BT_CASES || t == BT_PROSECUTIONS || t == BT_EVENTS)
        c->key = col_index(st, "uuid");
    for (i = 0; i < 9; i++)
        c->common[i] = col_index(st, common_cols[i]);
    c->ref = c->common[1];
    c->office = c->common[2];
    c->tbl = col_index(st, "tbl");
    if (t == BT_AUDIT_LOG)
        c->key = col_index(st, "uuid");
}

static void rc_fail(struct row_check *c, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    c->bad = xstrdup(buf);
}

static const char *text(sqlite3_stmt *st, int i)
{
    return i < 0 ? NULL : (const char *)sqlite3_column_text(st, i);
}

static int cmp_uuid(const void *a, const void *b)
{
    return strcmp(a, b);
}

static int in_set(const struct uuids *u, const char *uuid)
{
    return uuid && strlen(uuid) == 36 && bsearch(uuid, u->v, u->n, sizeof(*u->v), cmp_uuid);
}

/* A record's common columns: present, its office at or below the bundle's,
 * its ref OFFICE-YYYY-N... */
static int record_ok(struct row_check *c, sqlite3_stmt *st)
{
    const char *t = bundle_tables[c->t], *ref = text(st, c->ref);
    const char *office = text(st, c->office), *me = c->s->office;
    size_t n;
    int i;

    for (i = 0; i < 9; i++)
        if (!text(st, c->common[i])) {
            rc_fail(c, "%s %s: a common column (uuid, ref, office, rev, status, created/updated) is empty",
                    t, ref ? ref : "(no ref)");
            return 0;
        }
    if (strncmp(office, me, strlen(me)) != 0) {
        rc_fail(c, "%s %s: office %s is not %s or below it", t, ref, office, me);
        return 0;
    }
    n = strlen(office);
    if (strncmp(ref, office, n) != 0 || ref[n] != '-' || (ref[n + 1] != '1' && ref[n + 1] != '2') ||
        !isdigit((unsigned char)ref[n + 2]) || !isdigit((unsigned char)ref[n + 3]) ||
        !isdigit((unsigned char)ref[n + 4]) || ref[n + 5] != '-' || !isdigit((unsigned char)ref[n + 6])) {
        rc_fail(c, "%s %s: ref does not start with its office %s and the year (OFFICE-YYYY-NNNN)",
                t, ref, office);
        return 0;
    }
    return 1;
}

/* Records by uuid and children by parent and seq, each key greater than the
 * one before: a key twice is a copied row. */
static int key_ok(struct row_check *c, sqlite3_stmt *st)
{
    const char *t = bundle_tables[c->t], *key = text(st, c->key);
    int64_t seq = c->seq >= 0 ? sqlite3_column_int64(st, c->seq) : 0;
    int d = c->row > 1 ? strcmp(key, c->prev) : 1;
    struct uuids *u = &c->sets[c->t];

    if (strlen(key) != 36) {
        rc_fail(c, "%s row %lld: '%s' is not a well-formed uuid", t, (long long)c->row, key);
        return 0;
    }
    if (d == 0 && c->fk_of)
        d = seq > c->prev_seq ? 1 : seq < c->prev_seq ? -1 : 0;
    if (d == 0 || (d < 0 && !c->fk_of && in_set(u, key))) {
        if (c->fk_of)
            rc_fail(c, "%s row %lld of %s appears twice", t, (long long)seq, key);
        else
            rc_fail(c, "uuid %s appears twice in %s", key, t);
        return 0;
    }
    if (d < 0) {
        rc_fail(c, "%s row of %s is out of order (tipdesk writes them by %s)", t, key,
                c->fk_of ? "record and seq" : "uuid");
        return 0;
    }
    memcpy(c->prev, key, 37);
    c->prev_seq = seq;
    if (!c->fk_of) {
        if (u->n == u->cap) {
            u->cap = u->cap ? 2 * u->cap : 4096;
            u->v = xrealloc(u->v, u->cap * sizeof(*u->v));
        }
        memcpy(u->v[u->n++], key, 37);
    }
    return 1;
}

static void rc_row(void *ctx, sqlite3_stmt *st)
{
    struct row_check *c = ctx;
    const char *t = bundle_tables[c->t];
    int i;

    c->row++;
    if (c->bad)
        return;
    if (c->fk_of && (!text(st, c->key) || !text(st, c->seq))) {
        rc_fail(c, "%s row %s points at %s, which is not a %s record in the bundle", t,
                text(st, c->seq) ? text(st, c->seq) : "?", text(st, c->key) ? text(st, c->key) : "no record",
                c->fk_of);
        return;
    }
    if (c->t == BT_CASES || c->t == BT_PROSECUTIONS || c->t == BT_EVENTS)
        if (!record_ok(c, st))
            return;
    for (i = 0; i < c->n; i++) {
        const char *val = c->rules[i] ? text(st, i) : NULL;
        const char *why = canon_check_rule(c->rules[i], val);

        if (why) {
            rc_fail(c, "%s row %lld (%s %s): %s '%s': %s", t, (long long)c->row,
                    sqlite3_column_name(st, 0), text(st, 0) ? text(st, 0) : "",
                    sqlite3_column_name(st, i), val, why);
            return;
        }
    }
    if (c->t == BT_AUDIT_LOG) {
        const char *tbl = text(st, c->tbl), *uuid = text(st, c->key);
        int k = !tbl ? -1 : !strcmp(tbl, "cases") ? BT_CASES : !strcmp(tbl, "prosecutions") ? BT_PROSECUTIONS
              : !strcmp(tbl, "events") ? BT_EVENTS : -1;

        if (k < 0 || !in_set(&c->sets[k], uuid))
            rc_fail(c, "audit row of %s %s is not about a record in the bundle", tbl ? tbl : "?",
                    uuid ? uuid : "?");
        return;
    }
    if (c->key >= 0 && key_ok(c, st) && c->fk_of && !in_set(&c->sets[c->parent], text(st, c->key)))
        rc_fail(c, "%s row %lld points at %s, which is not a %s record in the bundle", t,
                (long long)sqlite3_column_int64(st, c->seq), text(st, c->key), c->fk_of);
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
    struct row_check c = { .s = s };
    struct dbb_visit vis = { rc_begin, rc_row, &c };
    int64_t counts[BT_N], rows[BT_N], total = 0;
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
    /* A damaged file fails here, before any of its rows is trusted.  The
     * full integrity_check, not quick_check: the bundle's only index is the
     * manifest's key, by which the checksum reads it, so checking index
     * against table costs nothing measurable and keeps the two consistent. */
    if (dbb_first_text(v, "SELECT group_concat(integrity_check, '; ') FROM pragma_integrity_check(5) "
                      "WHERE integrity_check <> 'ok'", NULL, &bad) < 0 || (bad && *bad)) {
        err_set("%s: the bundle is damaged (integrity check: %s); copy it again or ask %s "
                "to export it again", file, bad ? bad : err_msg(), s->office);
        goto out;
    }
    for (i = 0; i < BT_N; i++) {
        if (counts[i] < 0) {
            err_set("%s: the bundle is damaged: its manifest has no count of %s; "
                    "ask %s to export it again", file, bundle_tables[i], s->office);
            goto out;
        }
        total += counts[i];
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
    /* One read of every row: the checksum, the counts and the row checks. */
    if (dbb_checksum_rows(v, "main", sum, &vis, rows, p, total) < 0)
        goto out;
    for (i = 0; i < BT_N; i++)
        if (rows[i] != counts[i]) {
            err_set("%s: the bundle is damaged: table %s has %lld rows, its manifest says %lld; "
                    "ask %s to export it again", file, bundle_tables[i], (long long)rows[i],
                    (long long)counts[i], s->office);
            goto out;
        }
    if (strcmp(sum, s->checksum) != 0) {
        err_set("%s: the bundle's content does not match its checksum (changed or damaged "
                "after it was written); ask %s to export it again", file, s->office);
        goto out;
    }
    if (c.bad) {
        err_set("%s: %s; the bundle is refused, ask %s to correct it and export again",
                file, c.bad, s->office);
        goto out;
    }
    rc = 0;
out:
    for (i = 0; i < BT_N; i++)
        free(c.sets[i].v);
    free(c.rules);
    free(c.bad);
    free(bad);
    sqlite3_close(v);
    return rc;
}
