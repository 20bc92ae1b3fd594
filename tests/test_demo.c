/* Tests for demo data: the same seed gives the same content (timestamps
 * aside), another seed other content, the counts asked for, a seed is not
 * added twice, and the records keep the rules check and reports rely on. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "db_rec.h"
#include "demo.h"
#include "formdef.h"
#include "util.h"
#include "testlib.h"

static char dir[64];
static const struct db_actor who = { "LA1301", "demo" };

static int setup(void **state)
{
    (void)state;
    return tl_mkdtemp(dir, "demo");
}

static int teardown(void **state)
{
    (void)state;
    return tl_rm_rf(dir);
}

static struct db *make_db(const char *name, uint64_t seed, long cases)
{
    char *path = xasprintf("%s/%s", dir, name);
    struct db *db = db_open(path, DB_OPEN_CREATE);
    struct demo_opts o = { cases, cases / 10, cases / 5, seed, tl_demo_forms() };

    free(path);
    assert_non_null(db);
    assert_int_equal(db_migrate(db), 0);
    assert_int_equal(demo_generate(db, &who, &o), 0);
    return db;
}

/* Every stored value except row ids and timestamps, in a stable order. */
static char *content(struct db *db)
{
    static const char *const tables[] = {
        "cases ORDER BY uuid", "case_events ORDER BY case_uuid, seq",
        "case_screening ORDER BY case_uuid, seq", "case_assistance ORDER BY case_uuid, seq",
        "prosecutions ORDER BY uuid", "suspects ORDER BY prosecution_uuid, seq",
        "prosecution_victims ORDER BY prosecution_uuid, seq", "events ORDER BY uuid",
    };
    struct sbuf b = {0};
    size_t t;

    for (t = 0; t < ARRAY_LEN(tables); t++) {
        char *sql = xasprintf("SELECT * FROM %s", tables[t]);
        struct db_stmt *st = db_prepare(db, sql, 0);
        int i, n;

        assert_non_null(st);
        n = db_column_count(st);
        while (db_step(st) == 1) {
            for (i = 0; i < n; i++) {
                const char *col = db_column_name(st, i);

                if (strcmp(col, "id") == 0 || strcmp(col, "created_at") == 0 ||
                    strcmp(col, "updated_at") == 0)
                    continue;
                sbuf_addf(&b, "%s=%s|", col, db_column_is_null(st, i) ? "NULL" : db_column_text(st, i));
            }
            sbuf_addc(&b, '\n');
        }
        db_finalize(st);
        free(sql);
    }
    return b.s;
}

static void test_same_seed_same_content(void **state)
{
    struct db *a = make_db("a.db", 7, 300), *b = make_db("b.db", 7, 300), *c = make_db("c.db", 8, 300);
    char *ca = content(a), *cb = content(b), *cc = content(c);

    (void)state;
    assert_true(strlen(ca) > 100000);
    assert_string_equal(ca, cb);
    assert_true(strcmp(ca, cc) != 0);
    /* Not even one uuid in common between two seeds. */
    {
        struct db_stmt *st = db_prepare(c, "SELECT uuid FROM cases", 0);
        int rows = 0;

        while (db_step(st) == 1) {
            assert_int_equal(db_query_int(a, "SELECT count(*) FROM cases WHERE uuid = ?1",
                                          db_column_text(st, 0), -1), 0);
            rows++;
        }
        assert_int_equal(rows, 300);
        db_finalize(st);
    }
    free(ca);
    free(cb);
    free(cc);
    db_close(a);
    db_close(b);
    db_close(c);
}

static void test_counts_and_second_run(void **state)
{
    struct db *db = make_db("counts.db", 42, 500);
    struct demo_opts again = { 10, 0, 0, 42, tl_demo_forms() }, other = { 10, 3, 0, 43, tl_demo_forms() };

    (void)state;
    assert_int_equal(db_query_int(db, "SELECT count(*) FROM cases", NULL, -1), 500);
    assert_int_equal(db_query_int(db, "SELECT count(*) FROM prosecutions", NULL, -1), 50);
    assert_int_equal(db_query_int(db, "SELECT count(*) FROM events", NULL, -1), 100);
    assert_int_equal(db_query_int(db, "SELECT count(*) FROM audit_log", NULL, -1), 650);
    /* The same seed again is refused and adds nothing. */
    assert_int_equal(demo_generate(db, &who, &again), -1);
    assert_non_null(strstr(err_msg(), "seed 42"));
    assert_non_null(strstr(err_msg(), "another --seed"));
    assert_int_equal(db_query_int(db, "SELECT count(*) FROM cases", NULL, -1), 500);
    /* Another seed adds to what is there. */
    assert_int_equal(demo_generate(db, &who, &other), 0);
    assert_int_equal(db_query_int(db, "SELECT count(*) FROM cases", NULL, -1), 510);
    assert_int_equal(db_query_int(db, "SELECT count(*) FROM prosecutions", NULL, -1), 53);
    db_close(db);
}

static int64_t q(struct db *db, const char *sql)
{
    return db_query_int(db, sql, NULL, -1);
}

static void test_plausible(void **state)
{
    struct db *db = make_db("plausible.db", 2026, 2000);
    int64_t n = q(db, "SELECT count(*) FROM cases");

    (void)state;
    /* Mostly women and girls; about three in ten children. */
    assert_true(q(db, "SELECT count(*) FROM cases WHERE sex = 'F'") * 100 > n * 55);
    assert_true(q(db, "SELECT count(*) FROM cases WHERE age_group = 'Child'") * 100 > n * 20);
    assert_true(q(db, "SELECT count(*) FROM cases WHERE age_group = 'Child'") * 100 < n * 40);
    assert_int_equal(q(db, "SELECT count(*) FROM cases WHERE (age < 18) <> (age_group = 'Child')"), 0);
    /* Both scripts, every province. */
    assert_true(q(db, "SELECT count(*) FROM cases WHERE first_name GLOB '*[a-z]*'") > n / 5);
    assert_true(q(db, "SELECT count(*) FROM cases WHERE unicode(first_name) BETWEEN 3712 AND 3839") > n / 5);
    assert_int_equal(q(db, "SELECT count(DISTINCT home_province) FROM cases"), 18);
    assert_int_equal(q(db, "SELECT count(*) FROM cases c JOIN ref_district d ON d.pcode = c.home_district "
                           "WHERE d.province <> c.home_province"), 0);
    /* The main patterns of the Lao caseload. */
    assert_true(q(db, "SELECT count(*) FROM cases WHERE exploitation_country = 'TH'") > n / 3);
    assert_true(q(db, "SELECT count(*) FROM cases WHERE exploitation = 'ForcedMarriage' "
                      "AND exploitation_country = 'CN'") > n / 20);
    assert_int_equal(q(db, "SELECT count(*) FROM cases WHERE exploitation = 'ForcedCriminality' "
                           "AND registered_on < '2019'"), 0);
    assert_true(q(db, "SELECT count(*) FROM cases WHERE exploitation = 'ForcedCriminality'") > 0);
    assert_true(q(db, "SELECT min(registered_on) FROM cases WHERE registered_on >= '2010-01-01'") > 0);
    assert_int_equal(q(db, "SELECT count(*) FROM cases WHERE registered_on < '2010-01-01' "
                           "OR registered_on > date('now')"), 0);
    /* Every case has a journey; screening agrees with the status. */
    assert_int_equal(q(db, "SELECT count(*) FROM cases WHERE uuid NOT IN (SELECT case_uuid FROM case_events)"), 0);
    assert_int_equal(q(db, "SELECT count(*) FROM cases c JOIN case_screening s ON s.case_uuid = c.uuid "
                           "WHERE c.trafficking_status = 'NotAVictimOfTrafficking' "
                           "AND s.item GLOB 'means_*' AND s.answer = 'Yes'"), 0);
    assert_int_equal(q(db, "SELECT count(*) FROM cases WHERE trafficking_status = 'ActualVictimOfTrafficking' "
                           "AND screening_result = 'NotIndicated'"), 0);
    /* Prosecutions: stages in date order, suspects matching the verdict,
     * victims that exist. */
    assert_int_equal(q(db, "SELECT count(*) FROM prosecutions WHERE charged_on < investigated_on "
                           "OR verdict_on < charged_on OR (verdict_on IS NOT NULL AND charged_on IS NULL)"), 0);
    assert_int_equal(q(db, "SELECT count(*) FROM prosecutions p WHERE verdict = 'Convicted' AND NOT EXISTS "
                           "(SELECT 1 FROM suspects s WHERE s.prosecution_uuid = p.uuid AND s.stage = 'Convicted')"), 0);
    assert_int_equal(q(db, "SELECT count(*) FROM suspects s JOIN prosecutions p ON p.uuid = s.prosecution_uuid "
                           "WHERE p.charged_on IS NULL AND s.stage IN ('Prosecuted', 'Convicted', 'Acquitted')"), 0);
    assert_int_equal(q(db, "SELECT count(*) FROM prosecution_victims WHERE case_uuid NOT IN (SELECT uuid FROM cases)"), 0);
    assert_true(q(db, "SELECT count(*) FROM prosecution_victims") > 0);
    assert_int_equal(q(db, "SELECT count(*) FROM prosecutions p WHERE victims_count < "
                           "(SELECT count(*) FROM prosecution_victims v WHERE v.prosecution_uuid = p.uuid)"), 0);
    /* Events: parts add up, a knowledge gain where tested. */
    assert_int_equal(q(db, "SELECT count(*) FROM events WHERE participants_under18 > "
                           "participants_f + participants_m + participants_u OR participants_total <> "
                           "participants_f + participants_m + participants_u"), 0);
    assert_int_equal(q(db, "SELECT count(*) FROM events WHERE tested_count > 0 AND post_score <= pre_score"), 0);
    assert_true(q(db, "SELECT count(*) FROM events WHERE tested_count > 0") > 0);
    assert_true(q(db, "SELECT count(*) FROM events WHERE high_risk = 1") > 0);
    assert_true(q(db, "SELECT count(*) FROM events WHERE border_area <> 'None'") > 0);
    assert_int_equal(q(db, "SELECT count(*) FROM events WHERE end_on < start_on"), 0);
    /* uuids are version 4. */
    assert_int_equal(q(db, "SELECT count(*) FROM cases WHERE substr(uuid, 15, 1) <> '4' "
                           "OR substr(uuid, 20, 1) NOT IN ('8', '9', 'a', 'b')"), 0);
    db_close(db);
}

static void test_generator(void **state)
{
    struct demo_rng a = { 1 }, b = { 1 };
    char u1[37], u2[37], d[11];
    int i, hits = 0;

    (void)state;
    for (i = 0; i < 1000; i++)
        assert_true(demo_next(&a) == demo_next(&b));
    for (i = 0; i < 10000; i++) {
        long v = demo_below(&a, 7);

        assert_true(v >= 0 && v < 7);
        hits += demo_chance(&a, 30);
    }
    assert_true(hits > 2700 && hits < 3300);
    demo_uuid(&a, u1);
    demo_uuid(&a, u2);
    assert_int_equal(strlen(u1), 36);
    assert_string_not_equal(u1, u2);
    demo_date(demo_days(2024, 2, 29), d);
    assert_string_equal(d, "2024-02-29");
    demo_date(demo_days(2010, 1, 1) - 1, d);
    assert_string_equal(d, "2009-12-31");
    assert_int_equal(demo_days(1970, 1, 1), 0);
}

/* Demo records are ones a clerk could have saved: every complete or verified
 * record passes the shipped forms' checks (required fields, lists, relevance,
 * cross-field rules), so a demo case opened on screen saves as it is. */
static void test_valid_by_forms(void **state)
{
    static const char *const tables[] = { "cases", "prosecutions", "events" };
    const char *src = getenv("TIPDESK_SRC");
    char *fdir = xasprintf("%s/forms", src ? src : ".");
    struct formset *fs = formset_load(fdir);
    struct db *db;
    size_t t;

    (void)state;
    free(fdir);
    if (!fs)
        fail_msg("forms: %s", err_msg());
    db = make_db("forms.db", 11, 600);
    for (t = 0; t < ARRAY_LEN(tables); t++) {
        const struct form *fm = formset_form(fs, tables[t]);
        char *sql = xasprintf("SELECT uuid FROM %s WHERE status <> 'draft' AND deleted_at IS NULL",
                              tables[t]);
        struct db_stmt *st = db_prepare(db, sql, 0);
        int n = 0, bad = 0;

        assert_non_null(fm);
        assert_non_null(st);
        while (db_step(st) == 1) {
            struct rec *r = db_rec_get(db, tables[t], db_column_text(st, 0));
            struct form_issues is = {0};
            size_t i;

            assert_non_null(r);
            form_validate(fm, r, &is);
            n++;
            for (i = 0; i < is.n; i++) {
                if (is.v[i].level != ISSUE_ERROR)
                    continue;
                if (bad < 5)
                    print_message("%s %s: %s\n", tables[t], rec_get(r, "ref"), is.v[i].msg_en);
                bad++;
            }
            form_issues_free(&is);
            rec_free(r);
        }
        db_finalize(st);
        free(sql);
        assert_true(n > 0);
        assert_int_equal(bad, 0);
    }
    db_close(db);
    formset_free(fs);
}

struct hidden_count {
    const struct form *fm;
    int records, hidden;
};

static int count_hidden(void *arg, struct rec *r)
{
    struct hidden_count *h = arg;
    struct form_hiddens out = {0};
    size_t i;

    h->records++;
    form_hidden_clear(h->fm, r, &out);
    for (i = 0; i < out.n && h->hidden < 5; i++)
        print_message("%s %s: %s: %s\n", r->table, rec_get(r, "ref"), out.v[i].f->column, out.v[i].why);
    h->hidden += (int)out.n;
    form_hiddens_free(&out);
    return 0;
}

/* No demo record, drafts and child rows included, holds a value in a field
 * its form does not ask (an age beside a birth date, a sentence of a suspect
 * not convicted): the screens would hide it while reports count it. */
static void test_nothing_hidden(void **state)
{
    static const char *const tables[] = { "cases", "prosecutions", "events" };
    struct db *db = make_db("hidden.db", 2026, 1500);
    size_t t;

    (void)state;
    for (t = 0; t < ARRAY_LEN(tables); t++) {
        struct hidden_count h = { formset_form(tl_demo_forms(), tables[t]), 0, 0 };
        char *sql = xasprintf("SELECT count(*) FROM %s", tables[t]);

        assert_int_equal(db_rec_each(db, tables[t], NULL, count_hidden, &h), 0);
        assert_int_equal(h.records, q(db, sql));
        assert_int_equal(h.hidden, 0);
        free(sql);
    }
    /* The generators draw such values: without the forms no record is made. */
    {
        struct demo_opts none = { 10, 0, 0, 99, NULL };

        assert_int_equal(demo_generate(db, &who, &none), -1);
        assert_int_equal(q(db, "SELECT count(*) FROM cases"), 1500);
    }
    db_close(db);
}

/* Where a value can be unasked: in a case's journey rows (not its screening
 * or assistance rows), a prosecution's suspects, an event itself; the walk
 * over records then reads just those child rows, the same ones as in full. */
struct kid_count {
    int records;
    long rows, journey;
};

static int count_kids(void *arg, struct rec *r)
{
    struct kid_count *c = arg;
    size_t k;

    c->records++;
    c->rows += (long)r->nkids;
    for (k = 0; k < r->nkids; k++)
        c->journey += strcmp(r->kids[k]->table, "case_events") == 0;
    return 0;
}

static void test_hidden_where(void **state)
{
    const struct formset *fs = tl_demo_forms();
    struct db *db = make_db("where.db", 2027, 300);
    const char *kids[8];
    struct kid_count some = {0}, all = {0};

    (void)state;
    assert_true(form_hidden_where(formset_form(fs, "cases"), kids, ARRAY_LEN(kids)));
    assert_string_equal(kids[0], "case_events");
    assert_null(kids[1]);
    assert_true(form_hidden_where(formset_form(fs, "prosecutions"), kids, ARRAY_LEN(kids)));
    assert_string_equal(kids[0], "suspects");
    assert_null(kids[1]);
    assert_true(form_hidden_where(formset_form(fs, "events"), kids, ARRAY_LEN(kids)));
    assert_null(kids[0]);
    /* no room: nothing written past N */
    kids[0] = "x";
    assert_true(form_hidden_where(formset_form(fs, "cases"), kids, 1));
    assert_null(kids[0]);

    form_hidden_where(formset_form(fs, "cases"), kids, ARRAY_LEN(kids));
    assert_int_equal(db_rec_each(db, "cases", kids, count_kids, &some), 0);
    assert_int_equal(db_rec_each(db, "cases", NULL, count_kids, &all), 0);
    assert_int_equal(some.records, 300);
    assert_int_equal(all.records, 300);
    assert_true(some.journey > 0);
    assert_int_equal(some.rows, some.journey);
    assert_int_equal(all.journey, some.journey);
    assert_int_equal(all.rows, q(db, "SELECT (SELECT count(*) FROM case_events) + "
                                      "(SELECT count(*) FROM case_screening) + "
                                      "(SELECT count(*) FROM case_assistance)"));
    assert_true(all.rows > some.rows);
    db_close(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_generator),
        cmocka_unit_test(test_same_seed_same_content),
        cmocka_unit_test(test_counts_and_second_run),
        cmocka_unit_test(test_plausible),
        cmocka_unit_test(test_valid_by_forms),
        cmocka_unit_test(test_nothing_hidden),
        cmocka_unit_test(test_hidden_where),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
