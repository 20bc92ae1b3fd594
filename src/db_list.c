/* Lists of records: keyset paging, filters and substring search. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "db_rec.h"
#include "text.h"
#include "util.h"

/* What a list shows of each kind of record.  The key expressions must match
 * the list indexes in db/001_schema.sql so that paging stays cheap. */
struct listdef {
    const char *table;
    const char *date_key, *name_key;
    const char *title, *province, *district;
    const char *search_cols[4];
};

static const struct listdef listdefs[] = {
    { "cases", "ifnull(registered_on, '')",
      "ifnull(last_name, '') || ' ' || ifnull(first_name, '')",
      "trim(ifnull(first_name, '') || ' ' || ifnull(last_name, ''))",
      "home_province", "home_district",
      { "ref", "first_name", "last_name", "home_village" } },
    { "prosecutions", "ifnull(investigated_on, '')", "ifnull(court_case_no, '')",
      "ifnull(court_case_no, ifnull(police_case_no, ''))", "province", "district",
      { "ref", "court_case_no", "police_case_no", NULL } },
    { "events", "ifnull(start_on, '')", "ifnull(title, '')",
      "ifnull(title, ifnull(event_type, ''))", "province", "district",
      { "ref", "title", "village", "organiser" } },
};

static const struct listdef *listdef_find(const char *table)
{
    size_t i;

    for (i = 0; i < ARRAY_LEN(listdefs); i++)
        if (strcmp(listdefs[i].table, table) == 0)
            return &listdefs[i];
    return NULL;
}

static const char *sort_key(const struct listdef *l, enum db_sort s)
{
    switch (s) {
    case DB_SORT_REF: return "ref";
    case DB_SORT_NAME: return l->name_key;
    case DB_SORT_UPDATED: return "updated_at";
    case DB_SORT_DATE: break;
    }
    return l->date_key;
}

/* A query being built: SQL text plus the text values of its parameters. */
struct query {
    struct sbuf sql;
    char *arg[24];
    int n;
};

/* Adds a parameter value; returns its number. */
static int q_val(struct query *q, const char *v)
{
    if (q->n == (int)ARRAY_LEN(q->arg))
        die("list query has too many parameters");
    q->arg[q->n++] = v ? xstrdup(v) : NULL;
    return q->n;
}

/* Adds a parameter and its placeholder in the SQL. */
static void q_arg(struct query *q, const char *v)
{
    sbuf_addf(&q->sql, "?%d", q_val(q, v));
}

static void q_free(struct query *q)
{
    int i;

    for (i = 0; i < q->n; i++)
        free(q->arg[i]);
    sbuf_free(&q->sql);
}


/* A search the trigram index can serve (3+ characters). */
static int fts_search(const struct db_filter *f)
{
    return f && !util_empty(f->search) && text_cp_count(f->search) >= 3;
}

/* The FROM clause: with a trigram search, the matching rowids drive the
 * query (in rowid order, streamed), so only the rows shown are read. */
static void list_from(struct query *q, const struct db_table *t, const struct db_filter *f)
{
    struct sbuf pat = {0};
    const char *s;

    if (!fts_search(f)) {
        sbuf_addf(&q->sql, " FROM %s", t->name);
        return;
    }
    /* One FTS5 phrase: the trigram index matches it as a substring. */
    sbuf_addc(&pat, '"');
    for (s = f->search; *s; s++) {
        if (*s == '"')
            sbuf_addc(&pat, '"');
        sbuf_addc(&pat, *s);
    }
    sbuf_addc(&pat, '"');
    sbuf_addf(&q->sql, " FROM (SELECT rowid AS hit FROM %s WHERE %s MATCH ", t->fts, t->fts);
    q_arg(q, sbuf_str(&pat));
    sbuf_addf(&q->sql, ") AS h JOIN %s ON %s.id = h.hit", t->name, t->name);
    sbuf_free(&pat);
}

static void q_where(struct query *q, const struct db_table *t, const struct listdef *l,
                    const struct db_filter *f)
{
    size_t i;

    sbuf_add(&q->sql, " WHERE ");
    if (!f || f->deleted == 0)
        sbuf_add(&q->sql, "deleted_at IS NULL");
    else if (f->deleted == 1)
        sbuf_add(&q->sql, "deleted_at IS NOT NULL");
    else
        sbuf_add(&q->sql, "1");
    if (!f)
        return;
    if (f->year > 0) {
        char y0[16], y1[16];

        snprintf(y0, sizeof(y0), "%d", f->year);
        snprintf(y1, sizeof(y1), "%d", f->year + 1);
        sbuf_addf(&q->sql, " AND %s >= ", t->date_col);
        q_arg(q, y0);
        sbuf_addf(&q->sql, " AND %s < ", t->date_col);
        q_arg(q, y1);
    }
    if (!util_empty(f->status)) {
        sbuf_add(&q->sql, " AND status = ");
        q_arg(q, f->status);
    }
    if (!util_empty(f->province)) {
        sbuf_addf(&q->sql, " AND %s = ", l->province);
        q_arg(q, f->province);
    }
    if (!util_empty(f->district)) {
        sbuf_addf(&q->sql, " AND %s = ", l->district);
        q_arg(q, f->district);
    }
    if (!util_empty(f->search) && !fts_search(f)) {
        /* The trigram index finds nothing under three characters: a LIKE
         * over the base table (list_from joins the index otherwise). */
        struct sbuf pat = {0};
        const char *s;
        int p;

        sbuf_addc(&pat, '%');
        for (s = f->search; *s; s++) {
            if (*s == '%' || *s == '_' || *s == '\\')
                sbuf_addc(&pat, '\\');
            sbuf_addc(&pat, *s);
        }
        sbuf_addc(&pat, '%');
        p = q_val(q, sbuf_str(&pat));
        sbuf_add(&q->sql, " AND (");
        for (i = 0; i < ARRAY_LEN(l->search_cols) && l->search_cols[i]; i++)
            sbuf_addf(&q->sql, "%s%s LIKE ?%d ESCAPE '\\'", i ? " OR " : "",
                      l->search_cols[i], p);
        sbuf_add(&q->sql, ")");
        sbuf_free(&pat);
    }
}

static struct db_stmt *q_prepare(struct db *db, struct query *q)
{
    struct db_stmt *st = db_prepare(db, sbuf_str(&q->sql), 1);
    int i;

    if (!st)
        return NULL;
    for (i = 0; i < q->n; i++)
        db_bind_text(st, i + 1, q->arg[i]);
    return st;
}

static void copy_text(char *dst, size_t size, const char *src)
{
    size_t n;

    if (!src)
        src = "";
    n = strlen(src);
    if (n >= size) {
        /* Cut on a character boundary. */
        n = size - 1;
        while (n > 0 && ((unsigned char)src[n] & 0xc0) == 0x80)
            n--;
    }
    memcpy(dst, src, n);
    dst[n] = '\0';
}

int db_list_page(struct db *db, const char *table, const struct db_filter *f,
                 const struct db_row *at, int forward, struct db_row *rows, int n)
{
    const struct db_table *t = db_table_find(table);
    const struct listdef *l = listdef_find(table);
    struct query q = {0};
    struct db_stmt *st;
    const char *key;
    int desc = f && f->descending, asc_scan, got = 0, i;
    char limit[16];

    if (!t || !l)
        return err_set("'%s' is not a kind of record", table);
    key = fts_search(f) ? "h.hit" : sort_key(l, f ? f->sort : DB_SORT_DATE);
    /* Scanning direction: the display order when paging forward. */
    asc_scan = forward ? !desc : desc;
    sbuf_addf(&q.sql,
        "SELECT id, uuid, ref, substr(ifnull(%s, ''), 1, 10), status, deleted_at IS NOT NULL, %s, "
        "ifnull((SELECT name_en FROM ref_district WHERE pcode = %s) || ', ', '') || "
        "ifnull((SELECT name_en FROM ref_province WHERE pcode = %s), ''), "
        "ifnull((SELECT name_lo FROM ref_district WHERE pcode = %s) || ', ', '') || "
        "ifnull((SELECT name_lo FROM ref_province WHERE pcode = %s), ''), %s",
        t->date_col, l->title, l->district, l->province, l->district, l->province, key);
    list_from(&q, t, f);
    q_where(&q, t, l, f);
    if (at) {
        char id[24];
        int pk, pid;

        /* Spelled out rather than as a row value, so that SQLite searches
         * the list index from the anchor instead of scanning up to it. */
        snprintf(id, sizeof(id), "%lld", (long long)at->id);
        pk = q_val(&q, at->sortkey);
        pid = q_val(&q, id);
        if (fts_search(f))
            sbuf_addf(&q.sql, " AND h.hit %s CAST(?%d AS INTEGER)", asc_scan ? ">" : "<", pid);
        else
            sbuf_addf(&q.sql, " AND %s %s= ?%d AND (%s %s ?%d OR id %s CAST(?%d AS INTEGER))",
                      key, asc_scan ? ">" : "<", pk, key, asc_scan ? ">" : "<", pk,
                      asc_scan ? ">" : "<", pid);
    }
    if (fts_search(f))      /* one term, so the index's own order serves */
        sbuf_addf(&q.sql, " ORDER BY h.hit %s LIMIT ", asc_scan ? "ASC" : "DESC");
    else
        sbuf_addf(&q.sql, " ORDER BY %s %s, id %s LIMIT ", key, asc_scan ? "ASC" : "DESC",
                  asc_scan ? "ASC" : "DESC");
    snprintf(limit, sizeof(limit), "%d", n);
    q_arg(&q, limit);
    st = q_prepare(db, &q);
    if (!st) {
        q_free(&q);
        return -1;
    }
    while (got < n) {
        struct db_row *r = &rows[got];
        int rc = db_step(st);

        if (rc < 0) {
            db_reset(st);
            q_free(&q);
            return -1;
        }
        if (rc == 0)
            break;
        memset(r, 0, sizeof(*r));
        r->id = db_column_int(st, 0);
        copy_text(r->uuid, sizeof(r->uuid), db_column_text(st, 1));
        copy_text(r->ref, sizeof(r->ref), db_column_text(st, 2));
        copy_text(r->date, sizeof(r->date), db_column_text(st, 3));
        copy_text(r->status, sizeof(r->status), db_column_text(st, 4));
        r->deleted = (int)db_column_int(st, 5);
        copy_text(r->title, sizeof(r->title), db_column_text(st, 6));
        copy_text(r->place_en, sizeof(r->place_en), db_column_text(st, 7));
        copy_text(r->place_lo, sizeof(r->place_lo), db_column_text(st, 8));
        copy_text(r->sortkey, sizeof(r->sortkey), db_column_text(st, 9));
        got++;
    }
    db_reset(st);
    q_free(&q);
    if (!forward) {
        /* Fetched backwards from the anchor: give them in display order. */
        for (i = 0; i < got / 2; i++) {
            struct db_row tmp = rows[i];

            rows[i] = rows[got - 1 - i];
            rows[got - 1 - i] = tmp;
        }
    }
    return got;
}

int db_list_count_exact(const struct db_filter *f)
{
    return !f || (util_empty(f->search) && f->year <= 0 && util_empty(f->province)
                  && util_empty(f->district));
}

/* The kept counts (db/004_counts.sql): a few rows of record_counts, however
 * many records there are. */
static int64_t kept_count(struct db *db, const char *table, const struct db_filter *f)
{
    struct db_stmt *st = db_prepare(db,
        "SELECT total(n) FROM record_counts WHERE tbl = ?1 AND (?2 IS NULL OR status = ?2)"
        " AND (?3 = 2 OR deleted = ?3)", 1);
    int64_t n = -1;

    if (!st)
        return -1;
    db_bind_text(st, 1, table);
    db_bind_text(st, 2, f && !util_empty(f->status) ? f->status : NULL);
    db_bind_int(st, 3, f ? f->deleted : 0);
    if (db_step(st) == 1)
        n = (int64_t)db_column_double(st, 0);
    db_reset(st);
    return n;
}

int64_t db_list_count(struct db *db, const char *table, const struct db_filter *f)
{
    const struct db_table *t = db_table_find(table);
    const struct listdef *l = listdef_find(table);
    struct query q = {0};
    struct db_stmt *st;
    int64_t n = -1;

    if (!t || !l)
        return err_set("'%s' is not a kind of record", table);
    if (db_list_count_exact(f))
        return kept_count(db, table, f);
    /* Searches and filters by year or place: counted up to a cap, so a
     * count never reads more rows than a few pages of the list. */
    sbuf_add(&q.sql, "SELECT count(*) FROM (SELECT 1");
    list_from(&q, t, f);
    q_where(&q, t, l, f);
    sbuf_addf(&q.sql, " LIMIT %d)", DB_LIST_COUNT_MAX);
    st = q_prepare(db, &q);
    if (st) {
        if (db_step(st) == 1)
            n = db_column_int(st, 0);
        db_reset(st);
    }
    q_free(&q);
    return n;
}
