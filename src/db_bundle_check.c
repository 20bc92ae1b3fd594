/* Verifying a bundle without changing it: header, manifest, integrity,
 * checksum, links and every value. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bundle.h"
#include "canon.h"
#include "db.h"
#include "db_bundle.h"
#include "db_bundle_sql.h"
#include "text.h"
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
 * count in them a whole file from a cut one, before SQLite reads it.  Only
 * a regular file is opened, and without blocking: a pipe or a device would
 * hang the import or never end. */
int dbb_open_file(const char *file, const char *name, struct stat *sb)
{
    unsigned char h[100];
    long long want;
    uint32_t page, pages;
    ssize_t n;
    int fd;

    if (stat(file, sb) != 0)
        return err_set("%s: cannot open: %s", name, strerror(errno));
    if (!S_ISREG(sb->st_mode))
        return err_set("%s: %s, not a bundle; import the .tipx file that 'tipdesk export bundle' wrote",
                       name, util_file_kind(sb->st_mode));
    fd = open(file, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (fd < 0)
        return err_set("%s: cannot open: %s", name, strerror(errno));
    if (fstat(fd, sb) != 0 || !S_ISREG(sb->st_mode)) {
        err_set("%s: %s, not a bundle; import the .tipx file that 'tipdesk export bundle' wrote",
                name, util_file_kind(sb->st_mode));
        goto fail;
    }
    n = pread(fd, h, sizeof(h), 0);
    if (n < (ssize_t)sizeof(h) || memcmp(h, "SQLite format 3", 16) != 0) {
        err_set("%s: not a tipdesk bundle (not an SQLite file); "
                "ask the office for the .tipx file that 'tipdesk export bundle' wrote", name);
        goto fail;
    }
    if (be(h + 68, 4) == DB_APPLICATION_ID) {
        err_set("%s: a tipdesk database, not a bundle; "
                "run 'tipdesk export bundle' where it is used and import that file", name);
        goto fail;
    }
    if (be(h + 68, 4) != BUNDLE_APPLICATION_ID) {
        err_set("%s: an SQLite file of another program, not a tipdesk bundle", name);
        goto fail;
    }
    page = be(h + 16, 2) == 1 ? 65536 : be(h + 16, 2);
    pages = be(h + 28, 4);
    want = (long long)page * pages;
    if (be(h + 92, 4) == be(h + 24, 4) && page >= 512 &&
        ((long long)sb->st_size < want || sb->st_size % page != 0)) {
        err_set("%s: the bundle is truncated (%lld of %lld bytes); "
                "copy it again from the office's stick", name, (long long)sb->st_size, want);
        goto fail;
    }
    /* Bundles are written in rollback mode; a WAL one would be read with
     * a -wal file beside it, which is not what was checked. */
    if (h[18] != 1 || h[19] != 1) {
        err_set("%s: not a bundle as tipdesk writes it (WAL mode); ask the office to export it again", name);
        goto fail;
    }
    return fd;
fail:
    close(fd);
    return -1;
}

int db_bundle_probe(const char *file)
{
    struct stat sb;
    char *name = xstrdup(util_printable(file));
    int fd = dbb_open_file(file, name, &sb);

    free(name);
    if (fd < 0)
        return -1;
    close(fd);
    return 0;
}

/* The checks of every row, made during the checksum pass: values against
 * the canonical rules, the common columns of records, keys in order (so
 * none twice), children pointing at records of the bundle.  The first
 * failure is kept and the pass goes on, so that a damaged file is reported
 * as damaged (checksum) rather than by the rule it breaks.  Memory stays
 * the same at any size: children and their records are both in uuid order,
 * so one cursor over the records walks along with the children (audit rows
 * are by id, and checked in SQL after the pass, check_audit_records). */

struct row_check {
    const struct bundle_summary *s;
    const struct db_bundle_limits *lim;
    char *bad;                  /* the first failure; the checks stop there */
    int t, n;                   /* table (bundle_tables index), columns */
    const struct canon_rule **rules;
    int *maxlen;                /* the forms' limit of each column, 0: none */
    int key, seq, ref, office, tbl, common[9];
    const char *fk_of;          /* kids: the parent table */
    int parent;
    int64_t row;
    char prev[37];              /* the key of the row before */
    int64_t prev_seq;
    struct db *h;
    int sorted;                 /* format 1: rows are read sorted, not by rowid */
    struct db_stmt *parents;    /* kids: the parent table's uuids, in order */
    char parent_key[37];        /* the uuid the cursor is at */
    int parents_done;
};

static const char *const common_cols[9] = {
    "uuid", "ref", "office", "rev", "status", "created_at", "updated_at", "created_by", "updated_by"
};

static int col_index(struct db_stmt *st, const char *name)
{
    int i, n = db_column_count(st);

    for (i = 0; i < n; i++)
        if (strcmp(db_column_name(st, i), name) == 0)
            return i;
    return -1;
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

static void rc_begin(void *ctx, int t, struct db_stmt *st)
{
    struct row_check *c = ctx;
    size_t k;
    int i;

    c->t = t;
    c->n = db_column_count(st);
    c->row = 0;
    c->prev[0] = '\0';
    c->prev_seq = 0;
    free(c->rules);
    free(c->maxlen);
    c->rules = xcalloc((size_t)c->n, sizeof(*c->rules));
    c->maxlen = xcalloc((size_t)c->n, sizeof(*c->maxlen));
    for (i = 0; i < c->n; i++) {
        c->rules[i] = canon_rule_of(bundle_tables[t], db_column_name(st, i));
        if (c->lim && c->lim->maxlen)
            c->maxlen[i] = c->lim->maxlen(c->lim->ctx, bundle_tables[t], db_column_name(st, i));
    }
    c->fk_of = NULL;
    c->key = c->seq = -1;
    db_finalize(c->parents);
    c->parents = NULL;
    c->parent_key[0] = '\0';
    c->parents_done = 0;
    for (k = 0; k < DBB_NKIDS; k++)
        if (dbb_kids[k].table == t) {
            char *sql = xasprintf("SELECT uuid FROM bx.\"%s\" ORDER BY %s", bundle_tables[dbb_kids[k].parent],
                                  c->sorted ? "uuid" : "rowid");

            c->fk_of = bundle_tables[dbb_kids[k].parent];
            c->parent = dbb_kids[k].parent;
            c->key = col_index(st, dbb_kids[k].fk);
            c->seq = col_index(st, "seq");
            if (!(c->parents = db_prepare(c->h, sql, 0)))
                rc_fail(c, "%s cannot be read: %s", c->fk_of, err_msg());
            free(sql);
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


static const char *text(struct db_stmt *st, int i)
{
    return i < 0 ? NULL : db_column_text(st, i);
}

/* Whether the parent table has the record UUID: the children come in the
 * order of their records, so the cursor only moves forward. */
static int parent_has(struct row_check *c, const char *uuid)
{
    while (!c->parents_done && (!c->parent_key[0] || strcmp(c->parent_key, uuid) < 0)) {
        if (db_step(c->parents) == 1) {
            const char *k = db_column_text(c->parents, 0);

            snprintf(c->parent_key, sizeof(c->parent_key), "%s", k ? k : "");
        } else {
            c->parents_done = 1;
        }
    }
    return !c->parents_done && strcmp(c->parent_key, uuid) == 0;
}

/* A record's common columns: present, its office at or below the bundle's,
 * its ref OFFICE-YYYY-N... */
static int record_ok(struct row_check *c, struct db_stmt *st)
{
    const char *t = bundle_tables[c->t], *ref = text(st, c->ref);
    const char *office = text(st, c->office), *me = c->s->office;
    size_t n;
    int i;

    for (i = 0; i < 9; i++)
        if (!text(st, c->common[i])) {
            rc_fail(c, "%s %s: a common column (uuid, ref, office, rev, status, created/updated) is empty",
                    t, ref ? util_printable(ref) : "(no ref)");
            return 0;
        }
    if (strncmp(office, me, strlen(me)) != 0) {
        rc_fail(c, "%s %s: office %s is not %s or below it", t, util_printable(ref),
                util_printable(office), me);
        return 0;
    }
    n = strlen(office);
    /* The number raises this office's ref counter on merge: digits only,
     * at most nine, so it can never overflow. */
    if (strncmp(ref, office, n) != 0 || ref[n] != '-' || (ref[n + 1] != '1' && ref[n + 1] != '2') ||
        !isdigit((unsigned char)ref[n + 2]) || !isdigit((unsigned char)ref[n + 3]) ||
        !isdigit((unsigned char)ref[n + 4]) || ref[n + 5] != '-' || strlen(ref + n + 6) < 1 ||
        strlen(ref + n + 6) > 9 || strspn(ref + n + 6, "0123456789") != strlen(ref + n + 6)) {
        rc_fail(c, "%s %s: ref is not its office %s, the year and a number of up to 9 digits "
                "(OFFICE-YYYY-NNNN)", t, util_printable(ref), office);
        return 0;
    }
    return 1;
}

/* Records by uuid and children by parent and seq, each key greater than the
 * one before: a key twice is a copied row. */
static int key_ok(struct row_check *c, struct db_stmt *st)
{
    const char *t = bundle_tables[c->t], *key = text(st, c->key);
    int64_t seq = c->seq >= 0 ? db_column_int(st, c->seq) : 0;
    int d = c->row > 1 ? strcmp(key, c->prev) : 1;

    if (strlen(key) != 36) {
        rc_fail(c, "%s row %lld: '%s' is not a well-formed uuid", t, (long long)c->row, util_printable(key));
        return 0;
    }
    if (d == 0 && c->fk_of)
        d = seq > c->prev_seq ? 1 : seq < c->prev_seq ? -1 : 0;
    if (d == 0) {
        if (c->fk_of)
            rc_fail(c, "%s row %lld of %s appears twice", t, (long long)seq, util_printable(key));
        else
            rc_fail(c, "uuid %s appears twice in %s", util_printable(key), t);
        return 0;
    }
    if (d < 0) {
        rc_fail(c, "%s row of %s is out of order (tipdesk writes them by %s)", t, util_printable(key),
                c->fk_of ? "record and seq" : "uuid");
        return 0;
    }
    memcpy(c->prev, key, 37);
    c->prev_seq = seq;
    return 1;
}

static void rc_row(void *ctx, struct db_stmt *st)
{
    struct row_check *c = ctx;
    const char *t = bundle_tables[c->t];
    int i;

    c->row++;
    if (c->bad)
        return;
    if (c->fk_of && (!text(st, c->key) || !text(st, c->seq))) {
        rc_fail(c, "%s row %s points at %s, which is not a %s record in the bundle", t,
                text(st, c->seq) ? util_printable(text(st, c->seq)) : "?",
                text(st, c->key) ? util_printable(text(st, c->key)) : "no record", c->fk_of);
        return;
    }
    if (c->t == BT_CASES || c->t == BT_PROSECUTIONS || c->t == BT_EVENTS)
        if (!record_ok(c, st))
            return;
    for (i = 0; i < c->n; i++) {
        const char *val = c->rules[i] || c->maxlen[i] ? text(st, i) : NULL;
        const char *why = canon_check_rule(c->rules[i], val);
        size_t len;

        if (why) {
            rc_fail(c, "%s row %lld (%s %s): %s '%s': %s", t, (long long)c->row,
                    db_column_name(st, 0), util_printable(text(st, 0)),
                    db_column_name(st, i), util_printable(val), why);
            return;
        }
        if (val && c->maxlen[i] && (len = text_cp_count(val)) > (size_t)c->maxlen[i]) {
            rc_fail(c, "%s row %lld (%s %s): %s is %zu characters long, more than the %d the forms allow",
                    t, (long long)c->row, db_column_name(st, 0), util_printable(text(st, 0)),
                    db_column_name(st, i), len, c->maxlen[i]);
            return;
        }
    }
    if (c->t == BT_AUDIT_LOG) {
        const char *tbl = text(st, c->tbl), *uuid = text(st, c->key);

        if (!tbl || !uuid || (strcmp(tbl, "cases") && strcmp(tbl, "prosecutions") && strcmp(tbl, "events")))
            rc_fail(c, "audit row of %s %s is not about a record in the bundle",
                    tbl ? util_printable(tbl) : "?", uuid ? util_printable(uuid) : "?");
        return;
    }
    if (c->key >= 0 && key_ok(c, st) && c->fk_of && !parent_has(c, text(st, c->key)))
        rc_fail(c, "%s row %lld points at %s, which is not a %s record in the bundle", t,
                (long long)db_column_int(st, c->seq), util_printable(text(st, c->key)), c->fk_of);
}

static int read_manifest(struct db *v, const char *name, struct bundle_summary *s, int64_t counts[BT_N],
                         int *format, int *schema)
{
    struct db_stmt *st = db_prepare(v, "SELECT key, value FROM bx.manifest", 0);
    int i, rc;
    long seq = 0;

    if (!st) {
        if (db_fault(v) == DB_FAULT_DAMAGED)
            return err_set("%s: the bundle is damaged (%s); copy it again", name, db_errmsg(v));
        return err_set("%s: not a tipdesk bundle (it has no manifest)", name);
    }
    *format = *schema = -1;
    for (i = 0; i < BT_N; i++)
        counts[i] = -1;
    while ((rc = db_step(st)) == 1) {
        const char *k = db_column_text(st, 0);
        const char *val = db_column_text(st, 1);

        if (!k || !val)
            continue;
        if (!strcmp(k, "format_version")) *format = atoi(val);
        else if (!strcmp(k, "schema_version")) *schema = atoi(val);
        else if (!strcmp(k, "office")) dbb_copy_str(s->office, sizeof(s->office), val);
        else if (!strcmp(k, "level")) dbb_copy_str(s->level, sizeof(s->level), val);
        else if (!strcmp(k, "seq") && util_parse_long(val, &seq) < 0) seq = -1;
        else if (!strcmp(k, "created_at")) dbb_copy_str(s->created_at, sizeof(s->created_at), val);
        else if (!strcmp(k, "checksum")) dbb_copy_str(s->checksum, sizeof(s->checksum), val);
        else if (!strncmp(k, "count.", 6))
            for (i = 0; i < BT_N; i++)
                if (!strcmp(k + 6, bundle_tables[i]))
                    counts[i] = atoll(val);
    }
    db_finalize(st);
    if (rc < 0)
        return err_set("%s: the bundle is damaged (%s); copy it again", name, db_errmsg(v));
    if (*format > BUNDLE_FORMAT || *schema > db_latest_version())
        return err_set("%s: this bundle was made by a newer tipdesk; update tipdesk here "
                       "(bundle format %d, schema %d; this one reads up to %d and %d)", name, *format,
                       *schema, BUNDLE_FORMAT, db_latest_version());
    if (*format < 1 || *schema < 1 || canon_check("cases", "office", s->office) || !s->office[0] ||
        seq == 0 || !s->checksum[0])
        return err_set("%s: not a tipdesk bundle (its manifest lacks the format, schema, office, "
                       "sequence number or checksum)", name);
    if (seq < 1 || seq > CANON_REV_MAX)
        return err_set("%s: the bundle's sequence number is not a whole number from 1 to %d; "
                       "the bundle is refused", name, CANON_REV_MAX);
    s->seq = seq;
    return 0;
}

/* The bundle's schema object for object (type, name, table, SQL) is the one
 * the writer makes, built here by the writer's own code in a scratch
 * database: only its tables, no view, trigger, index or table of its own.
 * Nothing else of the bundle is read before this holds. */
static int check_schema(struct db *h, const char *name)
{
    static const char diff[] =
        "SELECT type || ' ' || quote(name) FROM (SELECT type, name, tbl_name, sql FROM %s.sqlite_schema "
        "EXCEPT SELECT type, name, tbl_name, sql FROM %s.sqlite_schema) "
        "ORDER BY CASE type WHEN 'table' THEN 2 WHEN 'index' THEN 3 ELSE 1 END, name LIMIT 1";
    char *sql, *bad = NULL;
    int rc;

    if (dbb_create_tables(h, "bexp", "bx") < 0)
        return err_set("%s: not a bundle as tipdesk writes it: %s; the bundle is refused", name,
                       err_msg());
    sql = xasprintf(diff, "bx", "bexp");
    rc = dbb_first_text(h, sql, NULL, &bad);
    free(sql);
    if (rc > 0)
        err_set("%s: the bundle holds the %s, which tipdesk never writes into a bundle "
                "(a changed or forged file); the bundle is refused", name, util_printable(bad));
    if (rc < 0)
        err_set("%s: %s", name, err_msg());
    if (rc == 0) {
        sql = xasprintf(diff, "bexp", "bx");
        rc = dbb_first_text(h, sql, NULL, &bad);
        free(sql);
        if (rc > 0)
            err_set("%s: the bundle lacks the %s tipdesk writes; the bundle is refused", name,
                    util_printable(bad));
        else if (rc < 0)
            err_set("%s: %s", name, err_msg());
    }
    free(bad);
    return rc == 0 ? 0 : -1;
}

/* A bundle of this program's schema has exactly its columns; an older one
 * may lack some (checked against main by dbb_create_tables). */
static int check_columns(struct db *h, const char *name)
{
    int i, rc = 0;

    for (i = 0; i < BT_N && rc == 0; i++) {
        char *b = dbb_columns(h, "bx", bundle_tables[i], 0, "");
        char *m = dbb_columns(h, "main", bundle_tables[i], 0, "");

        if (!b || !m || strcmp(b, m) != 0)
            rc = err_set("%s: the bundle's table %s does not have the columns of its schema version; "
                         "the bundle is refused", name, bundle_tables[i]);
        free(b);
        free(m);
    }
    return rc;
}

/* Audit rows as tipdesk writes them: a create at revision 1 whose changes
 * are empty (or, from an older tipdesk, a JSON object of every value, which
 * nothing reads back: its members are not parsed, which would take longer
 * than the rest of the check of such a bundle); update, delete and restore
 * with a JSON object of [old, new] pairs, which a rebuild of revision 1
 * trusts; an import naming its bundle.  CASE keeps json_each from ever
 * seeing text that is not JSON. */
static int check_audit(struct db *h, const char *name, const char *office)
{
    static const char sql[] =
        "SELECT a.action || ' row of ' || a.tbl || ' ' || a.uuid || ', revision ' || a.rev || ', ' || why "
        "FROM (SELECT *, CASE "
        "WHEN action = 'create' AND rev <> 1 THEN 'is not revision 1' "
        "WHEN changes IS NULL THEN CASE WHEN action = 'create' THEN NULL ELSE 'has no changes' END "
        "WHEN NOT json_valid(changes) OR json_type(changes) <> 'object' THEN 'has changes that are not a JSON object' "
        "WHEN action = 'import' THEN CASE WHEN json_type(changes, '$.bundle') = 'text' THEN NULL "
        "     ELSE 'names no bundle' END "
        "WHEN action <> 'create' AND EXISTS (SELECT 1 FROM json_each(changes) j WHERE j.type <> 'array' "
        "     OR json_array_length(j.value) <> 2) THEN 'has a change that is not a pair [old, new]' "
        "END AS why FROM bx.audit_log) a WHERE why IS NOT NULL LIMIT 1";
    char *bad = NULL;
    int rc = dbb_first_text(h, sql, NULL, &bad);

    if (rc > 0)
        err_set("%s: the %s; the bundle is refused, ask %s to export it again", name,
                util_printable(bad), office);
    else if (rc < 0)
        err_set("%s: %s", name, err_msg());
    free(bad);
    return rc == 0 ? 0 : -1;
}

/* Every audit row is about a record of the bundle: one pass each, the
 * records' uuids in a temporary index that spills to a file (temp_store),
 * so memory does not grow with the bundle. */
static int check_audit_records(struct db *h, const char *name, const char *office)
{
    size_t i;

    for (i = 0; i < DBB_NMAINS; i++) {
        const char *t = bundle_tables[dbb_mains[i]];
        char *sql = xasprintf("SELECT uuid FROM bx.audit_log WHERE tbl = '%s' AND uuid NOT IN "
                              "(SELECT uuid FROM bx.\"%s\") LIMIT 1", t, t);
        char *bad = NULL;
        int rc = dbb_first_text(h, sql, NULL, &bad);

        free(sql);
        if (rc > 0)
            err_set("%s: audit row of %s %s is not about a record in the bundle; the bundle is refused, "
                    "ask %s to correct it and export again", name, t, util_printable(bad), office);
        else if (rc < 0)
            err_set("%s: %s", name, err_msg());
        free(bad);
        if (rc)
            return -1;
    }
    return 0;
}

int dbb_verify(struct db *h, const char *name, const struct db_bundle_limits *lim,
               struct bundle_summary *s, const struct bundle_progress *p)
{
    struct row_check c = { .s = s, .lim = lim, .h = h };
    struct dbb_visit vis = { rc_begin, rc_row, &c };
    int64_t counts[BT_N], rows[BT_N], total = 0, last;
    char sum[65], *bad = NULL;
    int format = -1, schema = -1, i, rc = -1;

    if (check_schema(h, name) < 0 || read_manifest(h, name, s, counts, &format, &schema) < 0 ||
        (schema == db_latest_version() && check_columns(h, name) < 0))
        goto out;
    /* Gaps are normal (a lost stick), but not a jump no office makes. */
    last = db_query_int(h, "SELECT max(seq) FROM main.imports WHERE office = ?1", s->office, 0);
    if (last > 0 && s->seq > last + BUNDLE_SEQ_JUMP) {
        err_set("%s: bundle %lld of %s, but the last one imported from %s is %lld: more than %d "
                "ahead; the bundle is refused, ask %s which bundle this is", name, (long long)s->seq,
                s->office, s->office, (long long)last, BUNDLE_SEQ_JUMP, s->office);
        goto out;
    }
    /* A damaged file fails here, before any of its rows is trusted.  The
     * full integrity_check, not quick_check: the bundle's only index is the
     * manifest's key, by which the checksum reads it, so checking index
     * against table costs nothing measurable and keeps the two consistent. */
    if (dbb_first_text(h, "SELECT group_concat(integrity_check, '; ') FROM pragma_integrity_check(5, 'bx') "
                      "WHERE integrity_check <> 'ok'", NULL, &bad) < 0 || (bad && *bad)) {
        err_set("%s: the bundle is damaged (integrity check: %s); copy it again or ask %s "
                "to export it again", name, bad ? util_printable(bad) : err_msg(), s->office);
        goto out;
    }
    for (i = 0; i < BT_N; i++) {
        if (counts[i] < 0) {
            err_set("%s: the bundle is damaged: its manifest has no count of %s; "
                    "ask %s to export it again", name, bundle_tables[i], s->office);
            goto out;
        }
        total += counts[i];
    }
    c.sorted = format == 1;
    /* One read of every row: the checksum, the counts and the row checks. */
    if (dbb_checksum_rows(h, "bx", sum, &vis, rows, p, total) < 0) {
        err_set("%s: %s", name, err_msg());
        goto out;
    }
    for (i = 0; i < BT_N; i++)
        if (rows[i] != counts[i]) {
            err_set("%s: the bundle is damaged: table %s has %lld rows, its manifest says %lld; "
                    "ask %s to export it again", name, bundle_tables[i], (long long)rows[i],
                    (long long)counts[i], s->office);
            goto out;
        }
    if (strcmp(sum, s->checksum) != 0) {
        err_set("%s: the bundle's content does not match its checksum (changed or damaged "
                "after it was written); ask %s to export it again", name, s->office);
        goto out;
    }
    if (c.bad) {
        err_set("%s: %s; the bundle is refused, ask %s to correct it and export again",
                name, c.bad, s->office);
        goto out;
    }
    if (check_audit_records(h, name, s->office) < 0 || check_audit(h, name, s->office) < 0)
        goto out;
    rc = 0;
out:
    db_finalize(c.parents);
    free(c.rules);
    free(c.maxlen);
    free(c.bad);
    free(bad);
    return rc;
}
