/* The quality report: drafts (left out of official counts), recommended
 * fields left empty, possible duplicate persons, records changed since the
 * last export, and bundles not received per office.  Internal: it lists
 * record refs and is never published. */
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "util.h"

static const char *const main_tables[] = { "cases", "prosecutions", "events" };

/* One main table TB: its row of the summary SUM (the counts since the last
 * export SINCE) and its rows of MISSING.  Records, drafts and deleted come
 * from the kept record counts, the recommended fields left empty from the
 * kept quality counts (db/008_quality_counts.sql names the fields and what
 * counts as empty), and the changes from the index on updated_at, so no
 * count reads every record. */
static int table_pass(struct db *db, const char *tb, const char *since, struct rrow *sum,
                      struct rtable *missing)
{
    struct sbuf sql = {0};
    struct db_stmt *st;
    int rc;

    st = db_prepare(db,
        "SELECT total(CASE WHEN deleted = 0 THEN n END),"
        " total(CASE WHEN deleted = 0 AND status = 'draft' THEN n END),"
        " total(CASE WHEN deleted = 1 THEN n END) FROM record_counts WHERE tbl = ?1", 0);
    if (!st)
        return -1;
    report_bind(st, &tb, 1);
    if ((rc = db_step(st)) == 1) {
        sum->c[0].v = db_column_int(st, 0);
        sum->c[1].v = db_column_int(st, 1);
        sum->c[2].v = db_column_int(st, 2);
    }
    db_finalize(st);
    if (rc != 1)
        return -1;
    /* Deleted records travel in bundles too, so they count as changed. */
    sbuf_addf(&sql, "SELECT count(*) FROM %s WHERE updated_at > ?1", tb);
    st = db_prepare(db, sbuf_str(&sql), 0);
    sbuf_free(&sql);
    if (!st)
        return -1;
    report_bind(st, &since, 1);
    if ((rc = db_step(st)) == 1)
        sum->c[4].v = db_column_int(st, 0);
    db_finalize(st);
    if (rc != 1)
        return -1;
    st = db_prepare(db,
        "SELECT pos, field, total(n), total(CASE WHEN status = 'draft' THEN n END)"
        " FROM quality_counts WHERE tbl = ?1 GROUP BY pos ORDER BY pos", 0);
    if (!st)
        return -1;
    report_bind(st, &tb, 1);
    while ((rc = db_step(st)) == 1) {
        char key[96];
        struct rrow *r;

        if (db_column_int(st, 0) == 0) {        /* records with any field empty */
            sum->c[3].v = db_column_int(st, 2);
            continue;
        }
        snprintf(key, sizeof(key), "%s.%s", tb, db_column_text(st, 1));
        r = rtable_row(missing, key, NULL, NULL);
        r->c[0].v = db_column_int(st, 2);
        r->c[1].v = db_column_int(st, 3);
    }
    db_finalize(st);
    return rc < 0 ? -1 : 0;
}

/* The summary per main table and the recommended fields left empty. */
static int counts_tables(struct db *db, struct rtable **sum_out, struct rtable **missing_out)
{
    struct rtable *t = rtable_new("quality", "Data quality", "ຄຸນນະພາບຂໍ້ມູນ",
                                  "table", "Records", "ບັນທຶກ");
    struct rtable *m = rtable_new("missing_fields", "Recommended fields left empty",
                                  "ຂໍ້ມູນທີ່ແນະນຳແຕ່ຍັງວ່າງ", "field", "Field", "ຊ່ອງຂໍ້ມູນ");
    struct db_stmt *st;
    char *last;
    size_t i;
    int rc = 0;

    rtable_col(t, "records", "Records", "ບັນທຶກ", RC_COUNT);
    rtable_col(t, "drafts", "Drafts", "ສະບັບຮ່າງ", RC_COUNT);
    rtable_col(t, "deleted", "Deleted", "ລຶບແລ້ວ", RC_COUNT);
    rtable_col(t, "missing_recommended", "With empty fields", "ຂາດຂໍ້ມູນ", RC_COUNT);
    rtable_col(t, "changed_since_export", "Changed since export", "ປ່ຽນແປງຫຼັງສົ່ງອອກ", RC_COUNT);
    rtable_col(m, "empty", "Empty", "ວ່າງ", RC_COUNT);
    rtable_col(m, "empty_in_drafts", "Of which drafts", "ໃນສະບັບຮ່າງ", RC_COUNT);
    st = db_prepare(db, "SELECT max(created_at) FROM exports", 0);
    last = st && db_step(st) == 1 && db_column_text(st, 0) ? xstrdup(db_column_text(st, 0)) : NULL;
    db_finalize(st);
    for (i = 0; i < ARRAY_LEN(main_tables) && rc == 0; i++)
        rc = table_pass(db, main_tables[i], last ? last : "",
                        rtable_row(t, main_tables[i], main_tables[i], main_tables[i]), m);
    free(last);
    rtable_add_total(t);
    rtable_note(t, "Drafts are left out of every official count.", "ສະບັບຮ່າງບໍ່ຖືກນັບໃນຕົວເລກທາງການ.");
    *sum_out = t;
    *missing_out = m;
    return rc;
}

/* A group of possible duplicates: its refs, the first (least) leading. */
struct dup_group {
    int n;
    size_t first;           /* length of the first ref */
    char *refs;
};

static int group_cmp(const void *a, const void *b)
{
    const struct dup_group *x = a, *y = b;
    int c = memcmp(x->refs, y->refs, x->first < y->first ? x->first : y->first);

    return c ? c : (x->first > y->first) - (x->first < y->first);
}

/* The person's key as the index cases_person orders it:
 * lower(replace(first || last, ' ', '')) (SQLite's lower() folds ASCII
 * only), then the birth date or "age N". */
static void person_key(struct sbuf *name, struct sbuf *born, struct db_stmt *st)
{
    size_t i, j;

    sbuf_reset(name);
    sbuf_reset(born);
    sbuf_add(name, util_empty(db_column_text(st, 0)) ? "" : db_column_text(st, 0));
    sbuf_add(name, util_empty(db_column_text(st, 1)) ? "" : db_column_text(st, 1));
    for (i = j = 0; i < name->len; i++)     /* in place: spaces out, A-Z folded */
        if (name->s[i] != ' ')
            name->s[j++] = name->s[i] >= 'A' && name->s[i] <= 'Z' ? (char)(name->s[i] - 'A' + 'a')
                                                                 : name->s[i];
    if (name->s)
        name->s[j] = '\0';
    name->len = j;
    if (!db_column_is_null(st, 2)) {
        sbuf_add(born, db_column_text(st, 2));
    } else {
        sbuf_add(born, "age ");
        sbuf_add(born, db_column_text(st, 3));
    }
}

/* Persons with the same name (case and spaces ignored) and the same birth
 * date, or the same age when no birth date. */
static struct rtable *duplicates_table(struct db *db)
{
    struct rtable *t = rtable_new("possible_duplicates", "Possible duplicate persons",
                                  "ບຸກຄົນທີ່ອາດຊ້ຳກັນ", "group", "Group", "ກຸ່ມ");
    struct dup_group *g = NULL;
    struct sbuf name = {0}, born = {0}, refs = {0}, n = {0}, b = {0};
    struct db_stmt *st;
    int ng = 0, cap = 0, run = 0, rc, i;
    char key[16];

    rtable_col(t, "records", "Records", "ບັນທຶກ", RC_COUNT);
    rtable_col(t, "refs", "Refs", "ເລກອ້າງອີງ", RC_TEXT);
    /* A walk of the index cases_person (db/011_person_index.sql: the same
     * expressions and condition), refs in order within each person: runs of
     * the same person are found here, with no grouping or string built per
     * case; only the groups found are sorted (by their least ref). */
    st = db_prepare(db,
        "SELECT first_name, last_name, birth_date, age, ref FROM cases INDEXED BY cases_person"
        " WHERE deleted_at IS NULL AND first_name IS NOT NULL AND (birth_date IS NOT NULL OR age IS NOT NULL)"
        " ORDER BY lower(replace(ifnull(first_name, '') || ifnull(last_name, ''), ' ', '')),"
        " ifnull(birth_date, 'age ' || age), ref", 0);
    if (!st) {
        rtable_free(t);
        return NULL;
    }
    for (;;) {
        const char *ref = NULL;
        int same;

        rc = db_step(st);
        if (rc == 1) {
            person_key(&n, &b, st);
            ref = db_column_text(st, 4);
        }
        same = rc == 1 && run && n.len == name.len && b.len == born.len &&
               memcmp(sbuf_str(&n), sbuf_str(&name), n.len) == 0 &&
               memcmp(sbuf_str(&b), sbuf_str(&born), b.len) == 0;
        if (!same && run > 1) {
            if (ng == cap) {
                cap = cap ? 2 * cap : 16;
                g = xrealloc(g, (size_t)cap * sizeof(*g));
            }
            g[ng].n = run;
            g[ng].refs = xstrdup(sbuf_str(&refs));
            g[ng++].first = strcspn(sbuf_str(&refs), " ");
        }
        if (rc != 1)
            break;
        if (!same) {
            struct sbuf swap = name;

            name = n;           /* the new person's key is kept, the old reused */
            n = swap;
            swap = born;
            born = b;
            b = swap;
            sbuf_reset(&refs);
            run = 0;
        }
        if (run++)
            sbuf_addc(&refs, ' ');
        sbuf_add(&refs, ref ? ref : "");
    }
    db_finalize(st);
    if (ng > 1)
        qsort(g, (size_t)ng, sizeof(*g), group_cmp);
    for (i = 0; i < ng; i++) {
        struct rrow *r;

        if (rc == 0) {
            snprintf(key, sizeof(key), "%d", i + 1);
            r = rtable_append(t, key, NULL, NULL);      /* group numbers are new */
            r->c[0].v = g[i].n;
            rtable_set_text(t, r, 1, g[i].refs);
        }
        free(g[i].refs);
    }
    free(g);
    sbuf_free(&name);
    sbuf_free(&born);
    sbuf_free(&n);
    sbuf_free(&b);
    sbuf_free(&refs);
    if (rc < 0) {
        rtable_free(t);
        return NULL;
    }
    return t;
}

/* Offices whose bundles arrived with gaps in their sequence numbers. */
static struct rtable *bundles_table(struct db *db)
{
    struct rtable *t = rtable_new("bundles_missing", "Bundles not received", "ຊຸດຂໍ້ມູນທີ່ຍັງບໍ່ໄດ້ຮັບ",
                                  "office", "Office", "ຫ້ອງການ");
    struct db_stmt *st = db_prepare(db, "SELECT DISTINCT office, seq FROM imports ORDER BY office, seq", 0);
    struct sbuf gaps = {0};
    char *office = NULL;
    int64_t expect = 1, missing = 0;
    int rc, i;

    rtable_col(t, "received", "Received", "ໄດ້ຮັບ", RC_COUNT);
    rtable_col(t, "missing", "Missing", "ຂາດ", RC_COUNT);
    rtable_col(t, "missing_seq", "Missing numbers", "ເລກທີ່ຂາດ", RC_TEXT);
    if (!st) {
        rtable_free(t);
        return NULL;
    }
    for (;;) {
        const char *o;
        int64_t seq;

        rc = db_step(st);
        o = rc == 1 ? db_column_text(st, 0) : NULL;
        if (office && (!o || strcmp(o, office) != 0)) {
            struct rrow *r = rtable_find(t, office);

            r->c[1].v = missing;
            rtable_set_text(t, r, 2, sbuf_str(&gaps));
            free(office);
            office = NULL;
        }
        if (rc != 1)
            break;
        if (!office) {
            office = xstrdup(o);
            rtable_row(t, office, NULL, NULL);
            expect = 1;
            missing = 0;
            sbuf_reset(&gaps);
        }
        seq = db_column_int(st, 1);
        if (seq > expect) {
            sbuf_addf(&gaps, "%s%lld", gaps.len ? ", " : "", (long long)expect);
            if (seq - 1 > expect)
                sbuf_addf(&gaps, "-%lld", (long long)(seq - 1));
            missing += seq - expect;
        }
        rtable_find(t, office)->c[0].v++;
        expect = seq + 1;
    }
    free(office);
    sbuf_free(&gaps);
    db_finalize(st);
    for (i = 0; i < t->nrow; i++)
        report_label_row(db, BY_OFFICE, &t->rows[i]);
    if (rc < 0) {
        rtable_free(t);
        return NULL;
    }
    return t;
}

struct report *report_quality_new(struct db *db, const struct report_opts *o)
{
    struct report *rep = report_alloc("quality");
    struct rtable *t, *m;
    int rc;

    (void)o;
    rc = counts_tables(db, &t, &m);
    report_add(rep, t);
    report_add(rep, m);
    if (rc < 0 || !(t = duplicates_table(db)))
        goto fail;
    report_add(rep, t);
    if (!(t = bundles_table(db)))
        goto fail;
    report_add(rep, t);
    return rep;
fail:
    report_free(rep);
    return NULL;
}
