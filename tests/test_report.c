/* Tests for report: every report's numbers on hand-made records whose right
 * answers are worked out by hand in the comments, each breakdown and
 * filter, drafts and deleted records left out, small-cell suppression that
 * never lets a hidden cell be worked out, and the study's Tables 3 and 4
 * given back exactly from records built to match them. */
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
#include "report.h"
#include "util.h"

static char dir[64];
static struct db *db;

static void exec_ok(const char *sql)
{
    if (db_exec(db, sql) != 0)
        fail_msg("%s: %s", sql, err_msg());
}

/* A case; NULL or -1 leave a column empty. */
static void add_case(const char *ref, const char *status, int deleted, const char *reg,
                     const char *sex, const char *birth, int age, const char *ts,
                     const char *expl, const char *country, const char *prov, const char *agency)
{
    struct db_stmt *st = db_prepare(db,
        "INSERT INTO cases (uuid, ref, office, status, created_at, created_by, updated_at, updated_by,"
        " deleted_at, registered_on, sex, birth_date, age, trafficking_status, exploitation,"
        " exploitation_country, home_province, identified_by)"
        " VALUES (?1, ?2, 'LA1301', ?3, '2024-01-01T00:00:00Z', 't', '2024-01-01T00:00:00Z', 't',"
        " ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)", 1);
    char uuid[37];

    assert_non_null(st);
    util_uuid4(uuid);
    db_bind_text(st, 1, uuid);
    db_bind_text(st, 2, ref);
    db_bind_text(st, 3, status);
    db_bind_text(st, 4, deleted ? "2024-12-01T00:00:00Z" : NULL);
    db_bind_text(st, 5, reg);
    db_bind_text(st, 6, sex);
    db_bind_text(st, 7, birth);
    if (age >= 0)
        db_bind_int(st, 8, age);
    db_bind_text(st, 9, ts);
    db_bind_text(st, 10, expl);
    db_bind_text(st, 11, country);
    db_bind_text(st, 12, prov);
    db_bind_text(st, 13, agency);
    if (db_step(st) != 0)
        fail_msg("insert %s: %s", ref, err_msg());
    db_reset(st);
}

static void add_prosecution(const char *ref, const char *status, int deleted, const char *inv,
                            const char *charged, const char *verdict_on, const char *verdict,
                            int official)
{
    struct db_stmt *st = db_prepare(db,
        "INSERT INTO prosecutions (uuid, ref, office, status, created_at, created_by, updated_at,"
        " updated_by, deleted_at, investigated_on, charged_on, verdict_on, verdict, official_involved,"
        " province) VALUES (?1, ?2, 'LA1301', ?3, '2024-01-01T00:00:00Z', 't', '2024-01-01T00:00:00Z', 't',"
        " ?4, ?5, ?6, ?7, ?8, ?9, 'LA13')", 1);
    char uuid[37];

    assert_non_null(st);
    snprintf(uuid, sizeof(uuid), "%s", ref);
    util_uuid4(uuid);
    db_bind_text(st, 1, uuid);
    db_bind_text(st, 2, ref);
    db_bind_text(st, 3, status);
    db_bind_text(st, 4, deleted ? "2024-12-01T00:00:00Z" : NULL);
    db_bind_text(st, 5, inv);
    db_bind_text(st, 6, charged);
    db_bind_text(st, 7, verdict_on);
    db_bind_text(st, 8, verdict);
    db_bind_int(st, 9, official);
    if (db_step(st) != 0)
        fail_msg("insert %s: %s", ref, err_msg());
    db_reset(st);
}

static void add_suspect(const char *pref, int seq, const char *sex, const char *stage, int months)
{
    struct db_stmt *st = db_prepare(db,
        "INSERT INTO suspects (prosecution_uuid, seq, sex, stage, sentence_months)"
        " SELECT uuid, ?2, ?3, ?4, ?5 FROM prosecutions WHERE ref = ?1", 1);

    db_bind_text(st, 1, pref);
    db_bind_int(st, 2, seq);
    db_bind_text(st, 3, sex);
    db_bind_text(st, 4, stage);
    if (months >= 0)
        db_bind_int(st, 5, months);
    assert_int_equal(db_step(st), 0);
    db_reset(st);
}

static void add_assist(const char *cref, int seq, const char *type, const char *start,
                       const char *end, const char *status)
{
    struct db_stmt *st = db_prepare(db,
        "INSERT INTO case_assistance (case_uuid, seq, type, start_on, end_on, status)"
        " SELECT uuid, ?2, ?3, ?4, ?5, ?6 FROM cases WHERE ref = ?1", 1);

    db_bind_text(st, 1, cref);
    db_bind_int(st, 2, seq);
    db_bind_text(st, 3, type);
    db_bind_text(st, 4, start);
    db_bind_text(st, 5, end);
    db_bind_text(st, 6, status);
    assert_int_equal(db_step(st), 0);
    db_reset(st);
}

static void open_db(const char *name)
{
    char *path = xasprintf("%s/%s", dir, name);

    db = db_open(path, DB_OPEN_CREATE);
    free(path);
    assert_non_null(db);
    assert_int_equal(db_migrate(db), 0);
}

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof(dir), "/tmp/tipdesk-report.XXXXXX");
    if (!mkdtemp(dir))
        return -1;
    open_db("fixture.db");
    db_begin(db);
    /* Victims 2023: #1 F 16, #2 F born 2005-06-01 → 17 on 2023-05-10, #3 M 30, #4 sex and age unknown. */
    add_case("C01", "complete", 0, "2023-03-01", "F", NULL, 16, "ActualVictimOfTrafficking",
             "ForcedLabour;SexualExploitation", "TH", "LA13", "Police");
    add_case("C02", "verified", 0, "2023-05-10", "F", "2005-06-01", -1, "PossibleVictimOfTrafficking",
             "SexualExploitation", "TH", "LA13", "BorderImmigration");
    add_case("C03", "complete", 0, "2023-07-01", "M", NULL, 30, "ActualVictimOfTrafficking",
             "ForcedLabour", "CN", "LA16", "Police");
    add_case("C04", "complete", 0, "2023-08-01", NULL, NULL, -1, "PossibleVictimOfTrafficking",
             NULL, NULL, "LA13", "Hotline");
    /* 2024: #5 F 18 that very day (adult), #6 X born 2007 (17 at most: child), #7 M born 2006
     * (17 or 18: unknown), #11 F "child" chosen by the clerk. */
    add_case("C05", "complete", 0, "2024-01-15", "F", "2006-01-15", -1, "ActualVictimOfTrafficking",
             "ForcedMarriage", "CN", "LA02", "WomensUnion");
    add_case("C06", "complete", 0, "2024-02-01", "X", "2007", -1, "ActualVictimOfTrafficking",
             "ForcedLabour", "TH", "LA13", "SocialWelfare");
    add_case("C07", "complete", 0, "2024-03-01", "M", "2006", -1, "PossibleVictimOfTrafficking",
             "ForcedCriminality", "MM", "LA13", "Police");
    /* Not counted: a draft, a deleted case, not a victim. */
    add_case("C08", "draft", 0, "2024-04-01", "F", NULL, 20, "ActualVictimOfTrafficking",
             "ForcedLabour", "TH", "LA13", "Police");
    add_case("C09", "complete", 1, "2024-05-01", "F", NULL, 25, "ActualVictimOfTrafficking",
             "ForcedLabour", "TH", "LA13", "Police");
    add_case("C10", "complete", 0, "2024-06-01", "M", NULL, 22, "NotAVictimOfTrafficking",
             NULL, NULL, "LA13", "Police");
    add_case("C11", "verified", 0, "2024-07-01", "F", NULL, -1, "PossibleVictimOfTrafficking",
             "SexualExploitation", "TH", "LA13", "NGO");
    exec_ok("UPDATE cases SET age_group = 'Child' WHERE ref = 'C11'");
    /* A second record of C02's person: same name (spaces differ) and birth date. */
    add_case("C12", "complete", 0, "2024-08-01", "F", "2005-06-01", -1, "NotAVictimOfTrafficking",
             NULL, NULL, "LA13", "Police");
    exec_ok("UPDATE cases SET first_name = 'ສົມໃຈ', last_name = 'ພົມມະຈັນ' WHERE ref = 'C02'");
    exec_ok("UPDATE cases SET first_name = ' ສົມໃຈ', last_name = 'ພົມມະຈັນ ' WHERE ref = 'C12'");
    exec_ok("UPDATE cases SET case_status = 'FollowUp', followup_on = '2024-01-01' WHERE ref IN ('C01', 'C03')");
    exec_ok("UPDATE cases SET case_status = 'Closed' WHERE ref = 'C05'");

    add_assist("C01", 1, "Shelter", "2023-03-02", "2023-03-12", "Completed");
    add_assist("C01", 2, "Medical", "2023-03-05", NULL, "Ongoing");
    add_assist("C03", 1, "Reintegration", "2023-08-01", NULL, "Completed");
    add_assist("C05", 1, "Shelter", "2024-01-20", "2024-02-19", "Ongoing");
    add_assist("C08", 1, "Shelter", "2024-04-02", NULL, "Ongoing");
    add_assist("C09", 1, "Shelter", "2024-05-02", NULL, "Ongoing");

    add_prosecution("P1", "complete", 0, "2022-01-10", "2022-03-01", "2022-07-10", "Convicted", 1);
    add_suspect("P1", 1, "F", "Convicted", 60);
    add_suspect("P1", 2, "M", "Convicted", 24);
    add_suspect("P1", 3, "M", "Acquitted", -1);
    add_prosecution("P2", "complete", 0, "2022-02-01", "2023-01-05", "2023-02-01", "Acquitted", 0);
    add_suspect("P2", 1, "M", "Acquitted", -1);
    add_prosecution("P3", "verified", 0, "2023-01-01", NULL, NULL, "Pending", 0);
    add_suspect("P3", 1, "M", "Suspected", -1);
    add_suspect("P3", 2, "F", "Arrested", -1);
    add_prosecution("P4", "draft", 0, "2023-01-01", NULL, NULL, NULL, 0);
    add_prosecution("P5", "complete", 1, "2022-05-01", "2022-06-01", "2022-08-01", "Convicted", 0);

    exec_ok("INSERT INTO events (uuid, ref, office, status, created_at, created_by, updated_at, updated_by,"
            " pillar, event_type, start_on, province, district, border_area, high_risk, participants_f,"
            " participants_m, participants_u, participants_under18, tested_count, pre_score, post_score,"
            " followup_planned, followup_done, referrals_count, cases_identified, target_groups) VALUES"
            " ('e0000001-0000-4000-8000-000000000001', 'E1', 'LA1301', 'complete', 'x', 't', 'x', 't',"
            "  'Prevention', 'CommunityAwareness', '2023-03-01', 'LA13', 'LA1301', 'TH', 0, 30, 20, 0, 10,"
            "  40, 50, 70, 1, 1, 2, 1, 'Youth;Migrants'),"
            " ('e0000001-0000-4000-8000-000000000002', 'E2', 'LA1301', 'complete', 'x', 't', 'x', 't',"
            "  'Prevention', 'SchoolSession', '2023-06-01', 'LA13', 'LA1301', 'None', 1, 10, 5, 5, 0,"
            "  10, 40, 80, 1, 0, 0, 0, 'Youth'),"
            " ('e0000001-0000-4000-8000-000000000003', 'E3', 'LA1301', 'verified', 'x', 't', 'x', 't',"
            "  'Policy', 'TrainingOfficials', '2024-01-01', 'LA01', 'LA0101', 'None', 0, 3, 4, 0, 0,"
            "  NULL, NULL, NULL, 0, 0, 0, 0, 'Officials'),"
            " ('e0000001-0000-4000-8000-000000000004', 'E4', 'LA1301', 'draft', 'x', 't', 'x', 't',"
            "  'Prevention', 'SchoolSession', '2024-02-01', 'LA13', 'LA1301', 'TH', 1, 100, 100, 0, 50,"
            "  NULL, NULL, NULL, 0, 0, 9, 9, 'Youth')");
    exec_ok("INSERT INTO imports (office, seq, file, checksum, imported_at, imported_by) VALUES"
            " ('LA1301', 1, 'a', 'c1', 'x', 't'), ('LA1301', 2, 'b', 'c2', 'x', 't'),"
            " ('LA1301', 5, 'e', 'c5', 'x', 't'), ('LA0101', 1, 'f', 'c6', 'x', 't')");
    db_commit(db);
    return 0;
}

static int teardown(void **state)
{
    char *cmd = xasprintf("rm -rf '%s'", dir);
    int rc;

    (void)state;
    db_close(db);
    rc = system(cmd);
    free(cmd);
    return rc;
}

static struct report_opts opts(enum report_by by)
{
    struct report_opts o = {0};

    o.by = by;
    o.min_cell = 5;
    o.lang = "en";
    o.today = "2024-06-30";
    return o;
}

/* The main table of report NAME as CSV (LF line ends for easy comparison). */
static char *csv_of(const char *name, const struct report_opts *o)
{
    struct report *rep = report_run_new(db, name, o);
    struct sbuf out = {0};
    char *s, *p, *q;

    if (!rep)
        fail_msg("report %s: %s", name, err_msg());
    report_write(rep, o, 1, &out);
    report_free(rep);
    s = xstrdup(sbuf_str(&out));
    sbuf_free(&out);
    for (p = q = s; *p; p++)
        if (*p != '\r')
            *q++ = *p;
    *q = '\0';
    return s;
}

static void assert_csv(const char *name, const struct report_opts *o, const char *want)
{
    char *got = csv_of(name, o);

    assert_string_equal(got, want);
    free(got);
}

static void victims_by_year(void **state)
{
    struct report_opts o = opts(BY_YEAR);

    (void)state;
    assert_csv("victims", &o,
        "year,female,male,other,unknown,total,under_18,adult,age_unknown\n"
        "2023,2,1,0,1,4,2,1,1\n"
        "2024,2,1,1,0,4,2,1,1\n"
        "total,4,2,1,1,8,4,2,2\n");
}

static void victims_period_status_where(void **state)
{
    struct report_opts o = opts(BY_YEAR);

    (void)state;
    o.from = o.to = 2024;
    assert_csv("victims", &o,
        "year,female,male,other,unknown,total,under_18,adult,age_unknown\n"
        "2024,2,1,1,0,4,2,1,1\n"
        "total,2,1,1,0,4,2,1,1\n");
    /* A period with no records still lists its years. */
    o.from = 2021;
    o.to = 2022;
    assert_csv("victims", &o,
        "year,female,male,other,unknown,total,under_18,adult,age_unknown\n"
        "2021,0,0,0,0,0,0,0,0\n2022,0,0,0,0,0,0,0,0\n"
        "total,0,0,0,0,0,0,0,0\n");
    o = opts(BY_YEAR);
    o.status = "verified";      /* C02 (2023) and C11 (2024), both girls */
    assert_csv("victims", &o,
        "year,female,male,other,unknown,total,under_18,adult,age_unknown\n"
        "2023,1,0,0,0,1,1,0,0\n2024,1,0,0,0,1,1,0,0\n"
        "total,2,0,0,0,2,2,0,0\n");
    o = opts(BY_YEAR);
    o.status = "draft";         /* drafts only on request: C08 */
    assert_csv("victims", &o,
        "year,female,male,other,unknown,total,under_18,adult,age_unknown\n"
        "2024,1,0,0,0,1,0,1,0\ntotal,1,0,0,0,1,0,1,0\n");
    o = opts(BY_YEAR);
    o.nwhere = 1;               /* one value of the multi-select: C01, C03, C06 */
    o.where_col[0] = "exploitation";
    o.where_val[0] = "ForcedLabour";
    assert_csv("victims", &o,
        "year,female,male,other,unknown,total,under_18,adult,age_unknown\n"
        "2023,1,1,0,0,2,1,1,0\n2024,0,0,1,0,1,1,0,0\n"
        "total,1,1,1,0,3,2,1,0\n");
    o.where_col[0] = "no_such_column";
    assert_null(report_run_new(db, "victims", &o));
    assert_non_null(strstr(err_msg(), "no_such_column"));
    o.where_col[0] = "sex; DROP TABLE cases";
    assert_null(report_run_new(db, "victims", &o));
}

static void victims_other_breakdowns(void **state)
{
    struct report_opts o = opts(BY_PROVINCE);

    (void)state;
    assert_csv("victims", &o,
        "province,female,male,other,unknown,total,under_18,adult,age_unknown\n"
        "LA02,1,0,0,0,1,0,1,0\n"
        "LA13,3,1,1,1,6,4,0,2\n"
        "LA16,0,1,0,0,1,0,1,0\n"
        "total,4,2,1,1,8,4,2,2\n");
    o.by = BY_EXPLOITATION;     /* C01 counts under two forms; C04 has none recorded */
    assert_csv("victims", &o,
        "exploitation,female,male,other,unknown,total,under_18,adult,age_unknown\n"
        "ForcedCriminality,0,1,0,0,1,0,0,1\n"
        "ForcedLabour,1,1,1,0,3,2,1,0\n"
        "ForcedMarriage,1,0,0,0,1,0,1,0\n"
        "SexualExploitation,3,0,0,0,3,3,0,0\n"
        ",0,0,0,1,1,0,0,1\n");
    o.by = BY_COUNTRY;
    assert_csv("victims", &o,
        "country,female,male,other,unknown,total,under_18,adult,age_unknown\n"
        "CN,1,1,0,0,2,0,2,0\nMM,0,1,0,0,1,0,0,1\nTH,3,0,1,0,4,4,0,0\n,0,0,0,1,1,0,0,1\n"
        "total,4,2,1,1,8,4,2,2\n");
    o.by = BY_AGENCY;
    assert_csv("victims", &o,
        "agency,female,male,other,unknown,total,under_18,adult,age_unknown\n"
        "BorderImmigration,1,0,0,0,1,1,0,0\nHotline,0,0,0,1,1,0,0,1\nNGO,1,0,0,0,1,1,0,0\n"
        "Police,1,2,0,0,3,1,1,1\nSocialWelfare,0,0,1,0,1,1,0,0\nWomensUnion,1,0,0,0,1,0,1,0\n"
        "total,4,2,1,1,8,4,2,2\n");
}

static void victims_text_lao(void **state)
{
    struct report_opts o = opts(BY_PROVINCE);
    struct report *rep;
    struct sbuf out = {0};
    const char *s, *line;
    int col = -1;

    (void)state;
    o.lang = "lo";
    rep = report_run_new(db, "victims", &o);
    assert_non_null(rep);
    report_write(rep, &o, 0, &out);
    s = sbuf_str(&out);
    assert_non_null(strstr(s, "ສະຫວັນນະເຂດ"));
    report_free(rep);
    (void)line;
    (void)col;
    sbuf_free(&out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(victims_by_year),
        cmocka_unit_test(victims_period_status_where),
        cmocka_unit_test(victims_other_breakdowns),
        cmocka_unit_test(victims_text_lao),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
