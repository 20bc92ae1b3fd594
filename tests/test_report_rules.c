/* Tests for the counting rules README.md states, each on records made for
 * it with the answer worked out by hand: the age group at identification,
 * which verdicts time to verdict counts, persons acquitted (co-accused of
 * a convicted prosecution too), a district whose only record is a verdict
 * in the period; and the analysts' views (db/004_counting_views.sql)
 * giving the reports' totals, on those records and on demo data. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "db.h"
#include "demo.h"
#include "report.h"
#include "util.h"
#include "testlib.h"

static char dir[64];
static struct db *db;

static void exec_ok(const char *sql)
{
    if (db_exec(db, sql) != 0)
        fail_msg("%s: %s", sql, err_msg());
}

static int n_case, n_pros;

/* A victim registered on REG; NULL or -1 leave a column empty. */
static void victim(const char *reg, const char *sex, const char *birth, int age,
                   const char *age_group, const char *district)
{
    struct db_stmt *st = db_prepare(db,
        "INSERT INTO cases (uuid, ref, office, status, created_at, created_by, updated_at, updated_by,"
        " registered_on, first_name, last_name, sex, birth_date, age, age_group, trafficking_status,"
        " home_province, home_district)"
        " VALUES (?1, ?2, 'LA1301', 'complete', 'x', 't', 'x', 't', ?3, 'ສົມສັກ', 'ແກ້ວມະນີ', ?4, ?5, ?6,"
        " ?7, 'ActualVictimOfTrafficking', substr(?8, 1, 4), ?8)", 1);
    char uuid[37], ref[16];

    assert_non_null(st);
    util_uuid4(uuid);
    snprintf(ref, sizeof(ref), "C%02d", ++n_case);
    db_bind_text(st, 1, uuid);
    db_bind_text(st, 2, ref);
    db_bind_text(st, 3, reg);
    db_bind_text(st, 4, sex);
    db_bind_text(st, 5, birth);
    if (age >= 0)
        db_bind_int(st, 6, age);
    db_bind_text(st, 7, age_group);
    db_bind_text(st, 8, district);
    if (db_step(st) != 0)
        fail_msg("insert %s: %s", ref, err_msg());
    db_reset(st);
}

static void prosecution(const char *district, const char *inv, const char *verdict_on,
                        const char *verdict)
{
    struct db_stmt *st = db_prepare(db,
        "INSERT INTO prosecutions (uuid, ref, office, status, created_at, created_by, updated_at,"
        " updated_by, investigated_on, charged_on, verdict_on, verdict, province, district)"
        " VALUES (?1, ?2, 'LA1301', 'complete', 'x', 't', 'x', 't', ?3, ?3, ?4, ?5,"
        " substr(?6, 1, 4), ?6)", 1);
    char uuid[37], ref[16];

    assert_non_null(st);
    util_uuid4(uuid);
    snprintf(ref, sizeof(ref), "P%02d", ++n_pros);
    db_bind_text(st, 1, uuid);
    db_bind_text(st, 2, ref);
    db_bind_text(st, 3, inv);
    db_bind_text(st, 4, verdict_on);
    db_bind_text(st, 5, verdict);
    db_bind_text(st, 6, district);
    if (db_step(st) != 0)
        fail_msg("insert %s: %s", ref, err_msg());
    db_reset(st);
}

static void suspect(int pros, int seq, const char *sex, const char *stage)
{
    struct db_stmt *st = db_prepare(db,
        "INSERT INTO suspects (prosecution_uuid, seq, sex, stage)"
        " SELECT uuid, ?2, ?3, ?4 FROM prosecutions WHERE ref = ?1", 1);
    char ref[16];

    snprintf(ref, sizeof(ref), "P%02d", pros);
    db_bind_text(st, 1, ref);
    db_bind_int(st, 2, seq);
    db_bind_text(st, 3, sex);
    db_bind_text(st, 4, stage);
    assert_int_equal(db_step(st), 0);
    db_reset(st);
}

static int setup(void **state)
{
    char *path;

    (void)state;
    if (tl_mkdtemp(dir, "rules") < 0)
        return -1;
    path = xasprintf("%s/rules.db", dir);
    db = db_open(path, DB_OPEN_CREATE);
    free(path);
    assert_non_null(db);
    assert_int_equal(db_migrate(db), 0);
    db_begin(db);
    /* Registered 2024-03-01.  Born in 2006 (17 or 18 that day): the
     * clerk's choice decides, else unknown. */
    victim("2024-03-01", "F", "2006", -1, "Child", "LA1301");      /* C01 under 18 */
    victim("2024-03-01", "M", "2006", -1, "Adult", "LA1301");      /* C02 18+ */
    victim("2024-03-01", "F", "2006", -1, NULL, "LA1301");         /* C03 unknown */
    /* A partial date and a recorded age: the age. */
    victim("2024-03-01", "F", "2006-05", 17, "Adult", "LA1301");   /* C04 under 18 */
    /* A birth year that settles it wins over the clerk's choice. */
    victim("2024-03-01", "M", "2007", -1, "Adult", "LA1301");      /* C05 under 18 */
    victim("2024-03-01", "M", "2005", -1, "Child", "LA1301");      /* C06 18+ */
    /* A full date: the exact age, whatever else is recorded. */
    victim("2024-03-01", "F", "2006-03-02", 30, "Adult", "LA1301"); /* C07 17: under 18 */
    victim("2024-03-01", "F", "2006-03-01", 10, "Child", "LA1301"); /* C08 18 that day: 18+ */
    victim("2024-03-01", NULL, NULL, -1, NULL, "LA1301");           /* C09 unknown */

    /* P01: investigated 2024-01-01, convicted 2024-01-11 (10 days): one
     * suspect convicted, one acquitted.  P02: dismissed after 60 days. */
    prosecution("LA1301", "2024-01-01", "2024-01-11", "Convicted");
    suspect(1, 1, "F", "Convicted");
    suspect(1, 2, "M", "Acquitted");
    prosecution("LA1301", "2024-01-01", "2024-03-01", "Dismissed");
    suspect(2, 1, "M", "Prosecuted");
    /* P03: investigated and charged 2019 in LA0101 (no other record
     * there), acquitted 2024 after 1 827 days. */
    prosecution("LA0101", "2019-01-01", "2024-01-02", "Acquitted");
    suspect(3, 1, "M", "Acquitted");
    /* P04: dismissed in 2024 in LA1601, nothing else: no verdict, no row. */
    prosecution("LA1601", "2019-01-01", "2024-06-01", "Dismissed");
    suspect(4, 1, "F", "Prosecuted");

    exec_ok("INSERT INTO events (uuid, ref, office, status, created_at, created_by, updated_at, updated_by,"
            " pillar, event_type, start_on, province, district, border_area, high_risk, participants_f,"
            " participants_m, participants_u, participants_under18, tested_count, pre_score, post_score,"
            " target_groups) VALUES"
            " ('e0000001-0000-4000-8000-000000000001', 'E1', 'LA1301', 'complete', 'x', 't', 'x', 't',"
            "  'Prevention', 'CommunityAwareness', '2024-03-01', 'LA13', 'LA1301', 'TH', 0, 30, 20, 1, 10,"
            "  40, 50, 70, 'Youth;Migrants'),"
            " ('e0000001-0000-4000-8000-000000000002', 'E2', 'LA1301', 'complete', 'x', 't', 'x', 't',"
            "  'Prevention', 'SchoolSession', '2023-06-01', 'LA13', 'LA1301', 'None', 1, 10, 5, 5, 0,"
            "  10, 40, 80, 'Youth'),"
            " ('e0000001-0000-4000-8000-000000000003', 'E3', 'LA1301', 'draft', 'x', 't', 'x', 't',"
            "  'Prevention', 'SchoolSession', '2024-02-01', 'LA13', 'LA1301', 'None', 1, 100, 100, 0, 0,"
            "  NULL, NULL, NULL, 'Youth')");
    db_commit(db);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    db_close(db);
    return tl_rm_rf(dir);
}

static struct report_opts opts(enum report_by by)
{
    return tl_report_opts(by);
}

static char *csv_of(const char *name, const struct report_opts *o)
{
    return tl_report_csv_alloc(db, name, o);
}

static void age_at_identification(void **state)
{
    struct report_opts o = opts(BY_YEAR);
    char *got;

    (void)state;
    /* Under 18: C01 C04 C05 C07; 18+: C02 C06 C08; unknown: C03 C09. */
    got = csv_of("victims", &o);
    assert_string_equal(got,
        "year,female,male,other,unknown,total,under_18,adult,age_unknown\n"
        "2024,5,3,0,1,9,4,3,2\n"
        "total,5,3,0,1,9,4,3,2\n");
    free(got);
}

static const char pros_head[] =
    "district,investigations,prosecutions,convictions,acquittals,persons_investigated,"
    "persons_prosecuted,persons_convicted,persons_acquitted,official_involved,conviction_rate,"
    "median_days_to_verdict,median_sentence_months\n";

static void verdict_rules(void **state)
{
    struct report_opts o = opts(BY_DISTRICT);
    char *got, *want;

    (void)state;
    o.from = o.to = 2024;
    got = csv_of("prosecutions", &o);
    /* LA0101 has only P03's acquittal in 2024 and still has its row.
     * LA1301: P01 and P02 investigated and charged (3 persons prosecuted:
     * P01's two, P02's one); P01 convicted, its second suspect acquitted;
     * days to verdict 10 (P02's dismissal is no verdict: with it the
     * median would be 35).  Total: median of 10 and 1 827 days = 918.5,
     * shown 918 (rounded to even).  P04's dismissal counts nowhere. */
    want = xasprintf("%s"
        "LA0101,0,0,0,1,0,0,0,1,0,0.0,1827,\n"
        "LA1301,2,2,1,0,3,3,1,1,0,100.0,10,\n"
        "total,2,2,1,1,3,3,1,2,0,50.0,918,\n", pros_head);
    assert_string_equal(got, want);
    free(got);
    free(want);
}

/* The total row of the main table of report NAME, column KEY. */
static int64_t report_total(const char *name, const char *key)
{
    struct report_opts o = opts(BY_YEAR);
    struct report *rep = report_run_new(db, name, &o);
    struct rtable *t;
    int c, r;
    int64_t v = -1;

    if (!rep)
        fail_msg("report %s: %s", name, err_msg());
    t = rep->tabs[0];
    c = rtable_col_find(t, key);
    if (c < 0)
        fail_msg("report %s has no column %s", name, key);
    for (r = 0; r < t->nrow; r++)
        if (t->rows[r].is_total)
            v = t->rows[r].c[c].v;
    report_free(rep);
    return v;
}

/* Each report column's total against the same sum over the view. */
static void assert_views_match(void)
{
    static const struct { const char *report, *col, *sql; } sums[] = {
        { "victims", "female", "SELECT total(count_sex = 'F') FROM v_cases_counted" },
        { "victims", "male", "SELECT total(count_sex = 'M') FROM v_cases_counted" },
        { "victims", "other", "SELECT total(count_sex = 'X') FROM v_cases_counted" },
        { "victims", "unknown", "SELECT total(count_sex = 'U') FROM v_cases_counted" },
        { "victims", "total", "SELECT count(*) FROM v_cases_counted" },
        { "victims", "under_18", "SELECT total(count_age_group = 'Under18') FROM v_cases_counted" },
        { "victims", "adult", "SELECT total(count_age_group = 'Adult') FROM v_cases_counted" },
        { "victims", "age_unknown", "SELECT total(count_age_group = 'Unknown') FROM v_cases_counted" },
        { "prosecutions", "investigations", "SELECT total(counts_investigation) FROM v_prosecutions_counted" },
        { "prosecutions", "prosecutions", "SELECT total(counts_prosecution) FROM v_prosecutions_counted" },
        { "prosecutions", "convictions", "SELECT total(counts_conviction) FROM v_prosecutions_counted" },
        { "prosecutions", "acquittals", "SELECT total(counts_acquittal) FROM v_prosecutions_counted" },
        { "prosecutions", "persons_investigated",
          "SELECT total(persons_investigated) FROM v_prosecutions_counted WHERE counts_investigation" },
        { "prosecutions", "persons_prosecuted",
          "SELECT total(persons_prosecuted) FROM v_prosecutions_counted WHERE counts_prosecution" },
        { "prosecutions", "persons_convicted", "SELECT total(persons_convicted) FROM v_prosecutions_counted" },
        { "prosecutions", "persons_acquitted", "SELECT total(persons_acquitted) FROM v_prosecutions_counted" },
        { "prevention", "events", "SELECT count(*) FROM v_events_counted" },
        { "prevention", "participants_female", "SELECT total(participants_f) FROM v_events_counted" },
        { "prevention", "participants", "SELECT total(participants) FROM v_events_counted" },
        { "prevention", "participants_under_18", "SELECT total(participants_under18) FROM v_events_counted" },
        { "prevention", "events_high_risk_or_border", "SELECT total(high_risk_or_border) FROM v_events_counted" },
        { "prevention", "events_tested", "SELECT total(counts_tested) FROM v_events_counted" },
    };
    size_t i;

    for (i = 0; i < ARRAY_LEN(sums); i++) {
        int64_t want = report_total(sums[i].report, sums[i].col);
        int64_t got = db_query_int(db, sums[i].sql, NULL, -1);

        if (want != got)
            fail_msg("%s %s: report %lld, view %lld", sums[i].report, sums[i].col,
                     (long long)want, (long long)got);
    }
}

static void views_give_report_totals(void **state)
{
    (void)state;
    assert_views_match();
    /* The hand fixture's own figures, so the comparison is not empty. */
    assert_int_equal(db_query_int(db, "SELECT count(*) FROM v_cases_counted", NULL, -1), 9);
    assert_int_equal(db_query_int(db, "SELECT total(persons_acquitted) FROM v_prosecutions_counted",
                                  NULL, -1), 2);
    assert_int_equal(db_query_int(db, "SELECT count(*) FROM v_events_counted", NULL, -1), 2);
}

/* The same over a demo database of 1 500 cases, 300 prosecutions and 300
 * events: every code path of the generator's data. */
static void views_give_report_totals_demo(void **state)
{
    struct db *hand = db;
    struct demo_opts d = { 1500, 300, 300, 7, tl_demo_forms() };
    struct db_actor who = { "LA1301", "ທົດສອບ" };
    char *path = xasprintf("%s/demo.db", dir);

    (void)state;
    db = db_open(path, DB_OPEN_CREATE);
    free(path);
    assert_non_null(db);
    assert_int_equal(db_migrate(db), 0);
    if (demo_generate(db, &who, &d) != 0)
        fail_msg("demo: %s", err_msg());
    assert_true(db_query_int(db, "SELECT count(*) FROM v_cases_counted", NULL, -1) > 1000);
    assert_views_match();
    db_close(db);
    db = hand;
}

/* Tables that count the same records are audited as one system when
 * published: equal totals, and the multi-select rows bounded by them. */
static void tables_published_together(void **state)
{
    struct report_opts o = opts(BY_YEAR);
    struct report *rep;
    int i;

    (void)state;
    rep = report_run_new(db, "victims", &o);
    assert_non_null(rep);
    for (i = 0; i < rep->ntab; i++)
        assert_int_equal(rep->tabs[i]->share_total,
                         strcmp(rep->tabs[i]->name, "victims_by_exploitation") == 0
                         ? SHARE_COVER : SHARE_EQUAL);
    report_free(rep);
    rep = report_run_new(db, "prevention", &o);
    assert_non_null(rep);
    assert_int_equal(rep->ntab, 4);
    for (i = 0; i < rep->ntab; i++)
        assert_int_equal(rep->tabs[i]->share_total,
                         strcmp(rep->tabs[i]->name, "prevention_by_target_group") == 0
                         ? SHARE_COVER : SHARE_EQUAL);
    report_free(rep);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(age_at_identification),
        cmocka_unit_test(verdict_rules),
        cmocka_unit_test(views_give_report_totals),
        cmocka_unit_test(views_give_report_totals_demo),
        cmocka_unit_test(tables_published_together),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
