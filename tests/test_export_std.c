/* Tests for the standard exports: the HTCDS files of demo data use only
 * field and value names of db/ref/htcds-2.0-fields.tsv, IOM's official 2.0
 * table, parsed here (every header, not deprecated, every value of every
 * coded column, Date fields whole ISO dates, phones E.164), de-identified
 * files hold no personal field;
 * the DHIS2 JSON is valid JSON whose values are non-negative integers for a
 * real district and the asked year, its CSV has the same values, and its
 * ADX is well-formed XML; the mapping file's errors name the file. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "db.h"
#include "demo.h"
#include "export_std.h"
#include "formdef_dhis2.h"
#include "util.h"
#include "testlib.h"

static char dir[64];
static struct db *db;

/* The TSV's field names and, per coded field, its value names. */
struct tsv_field {
    char name[64];
    char values[2048];      /* " A B C " or "" when not a fixed list */
    char type[32];          /* "Date", "Picklist", "Multiselect Picklist", "Text", ... */
    int deprecated;
};
static struct tsv_field fields[128];
static int nfields;

static void load_tsv(void)
{
    size_t len;
    char *text = util_read_file("db/ref/htcds-2.0-fields.tsv", &len), *line, *save = NULL;

    assert_non_null(text);
    for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        char *col[13] = {0}, *p = line;
        int n = 0;

        while (n < 13) {
            col[n++] = p;
            if (!(p = strchr(p, '\t')))
                break;
            *p++ = '\0';
        }
        if (n < 7 || !strchr(col[6], '_') || nfields == (int)ARRAY_LEN(fields))
            continue;
        snprintf(fields[nfields].name, sizeof(fields[0].name), "%s", col[6]);
        snprintf(fields[nfields].type, sizeof(fields[0].type), "%s", col[7]);
        fields[nfields].deprecated = strcmp(col[1], "DEPRECATED") == 0;
        /* "A | B | C" lists are fixed; "Use ISO ..." is a standard, not a list. */
        if (n > 9 && strstr(col[7], "Picklist") && strstr(col[9], " | ")) {
            char *v, *s2 = NULL;
            struct sbuf b = {0};

            sbuf_add(&b, " ");
            for (v = strtok_r(col[9], "|", &s2); v; v = strtok_r(NULL, "|", &s2)) {
                while (*v == ' ')
                    v++;
                sbuf_addn(&b, v, strcspn(v, " "));
                sbuf_add(&b, " ");
            }
            snprintf(fields[nfields].values, sizeof(fields[0].values), "%s", sbuf_str(&b));
            sbuf_free(&b);
        }
        nfields++;
    }
    free(text);
    assert_true(nfields > 80);
}

static const struct tsv_field *field_find(const char *name)
{
    int i;

    for (i = 0; i < nfields; i++)
        if (strcmp(fields[i].name, name) == 0)
            return &fields[i];
    return NULL;
}

static int setup(void **state)
{
    struct db_actor who = { "LA1301", "test" };
    struct demo_opts o = { 400, 60, 60, 7, tl_demo_forms() };
    char *path;

    (void)state;
    if (tl_mkdtemp(dir, "export") < 0)
        return -1;
    path = xasprintf("%s/demo.db", dir);
    db = db_open(path, DB_OPEN_CREATE);
    free(path);
    if (!db || db_migrate(db) < 0 || demo_generate(db, &who, &o) < 0)
        return -1;
    load_tsv();
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    db_close(db);
    return tl_rm_rf(dir);
}

/* Splits a CSV line into fields in place (our files quote only free text). */
static int csv_split(char *line, char **f, int max)
{
    int n = 0;
    char *p = line, *w;

    while (n < max) {
        f[n++] = w = p;
        if (*p == '"') {
            p++;
            for (;;) {
                if (*p == '"' && p[1] == '"') { *w++ = '"'; p += 2; }
                else if (*p == '"') { p++; break; }
                else if (!*p) break;
                else *w++ = *p++;
            }
        } else {
            while (*p && *p != ',')
                *w++ = *p++;
        }
        if (*p != ',') {
            *w = '\0';
            break;
        }
        *w = '\0';
        p++;
    }
    return n;
}

/* A whole, existing date YYYY-MM-DD (checked by the C library's calendar). */
static int iso_date(const char *v)
{
    struct tm tm = {0};
    int y, m, d, k = 0;

    if (strlen(v) != 10 || sscanf(v, "%4d-%2d-%2d%n", &y, &m, &d, &k) != 3 || k != 10)
        return 0;
    tm.tm_year = y - 1900;
    tm.tm_mon = m - 1;
    tm.tm_mday = d;
    tm.tm_hour = 12;
    if (timegm(&tm) == (time_t)-1)
        return 0;
    return tm.tm_year == y - 1900 && tm.tm_mon == m - 1 && tm.tm_mday == d;
}

/* E.164 with its plus: '+', a digit 1-9, at most 15 digits in all. */
static int e164(const char *v)
{
    size_t n = strlen(v);

    return n >= 3 && n <= 16 && v[0] == '+' && v[1] >= '1' && v[1] <= '9'
        && strspn(v + 1, "0123456789") == n - 1;
}

/* A P-code (LA##, LA####): a code, not a place name. */
static int pcode(const char *v)
{
    size_t n = strlen(v);

    return (n == 4 || n == 6) && strncmp(v, "LA", 2) == 0 && strspn(v + 2, "0123456789") == n - 2;
}

/* Every header is an HTCDS 2.0 field that is not deprecated; every value of
 * a coded column is one of the field's value names (one only in a
 * single-choice picklist); Date fields hold whole ISO dates, phones E.164,
 * languages ISO 639-2 codes; no field holds a P-code; the forced labour
 * industry comes only with forced or child labour.  Returns the data rows. */
static int check_file(const char *name, const char *must_have)
{
    char *path = xasprintf("%s/%s", dir, name);
    size_t len;
    char *text = util_read_file(path, &len), *line, *save = NULL;
    char *head[64], *val[64];
    const struct tsv_field *fd[64];
    int nh = 0, rows = 0, i, industry = -1, expl = -1;

    assert_non_null(text);
    free(path);
    for (line = strtok_r(text, "\r\n", &save); line; line = strtok_r(NULL, "\r\n", &save)) {
        if (!nh) {
            nh = csv_split(line, head, 64);
            assert_string_equal(head[0], "uuid");
            for (i = 1; i < nh; i++) {
                fd[i] = field_find(head[i]);
                if (!fd[i])
                    fail_msg("%s: header %s is not an HTCDS 2.0 field", name, head[i]);
                if (fd[i]->deprecated)
                    fail_msg("%s: header %s is deprecated in HTCDS 2.0", name, head[i]);
                if (!strcmp(head[i], "vic_ForcedLabourIndustry"))
                    industry = i;
                if (!strcmp(head[i], "vic_TypeOfExploitation"))
                    expl = i;
            }
            assert_non_null(strstr(must_have, head[1]));
            continue;
        }
        assert_int_equal(csv_split(line, val, 64), nh);
        assert_int_equal(strlen(val[0]), 36);
        for (i = 1; i < nh; i++) {
            char *v, *s2 = NULL, buf[512];

            if (!val[i][0])
                continue;
            if (pcode(val[i]))
                fail_msg("%s: %s = '%s' is a P-code, not a place", name, head[i], val[i]);
            if (!strcmp(fd[i]->type, "Date") && !iso_date(val[i]))
                fail_msg("%s: %s = '%s' is not a whole YYYY-MM-DD date", name, head[i], val[i]);
            if (strstr(head[i], "Phone") && !e164(val[i]))
                fail_msg("%s: %s = '%s' is not E.164", name, head[i], val[i]);
            if (!strcmp(head[i], "prs_PrimaryLanguage")
                && (strlen(val[i]) != 3 || strspn(val[i], "abcdefghijklmnopqrstuvwxyz") != 3))
                fail_msg("%s: %s = '%s' is not an ISO 639-2 code", name, head[i], val[i]);
            if (!fd[i]->values[0])
                continue;
            if (!strcmp(fd[i]->type, "Picklist") && strchr(val[i], ';'))
                fail_msg("%s: %s = '%s': one value only", name, head[i], val[i]);
            snprintf(buf, sizeof(buf), "%s", val[i]);
            for (v = strtok_r(buf, ";", &s2); v; v = strtok_r(NULL, ";", &s2)) {
                char word[128];

                snprintf(word, sizeof(word), " %s ", v);
                if (!strstr(fd[i]->values, word))
                    fail_msg("%s: %s = '%s' is not an HTCDS value name", name, head[i], v);
            }
        }
        if (industry > 0 && val[industry][0] && !strstr(val[expl], "ForcedLabour")
            && !strstr(val[expl], "ChildLabour"))
            fail_msg("%s: industry %s without forced or child labour", name, val[industry]);
        rows++;
    }
    free(text);
    return rows;
}

static void htcds_names_from_tsv(void **state)
{
    struct htcds_opts o = { dir, 0, 0 };
    struct htcds_result r;
    int64_t want = db_query_int(db, "SELECT count(*) FROM cases WHERE deleted_at IS NULL"
                                " AND status <> 'draft'", NULL, -1);

    (void)state;
    assert_int_equal(export_htcds(db, &o, &r), 0);
    assert_int_equal(r.cases, want);
    assert_true(r.cases > 100);
    assert_int_equal(check_file("htcds_cases.csv", "prs_FirstName"), r.cases);
    assert_true(check_file("htcds_trafficking_events.csv", "hte_Type") > 0);
    assert_true(check_file("htcds_support_plans.csv", "spl_Type") > 0);
}

static void htcds_deidentified(void **state)
{
    struct htcds_opts o = { dir, 1, 0 };
    struct htcds_result r;
    char *path = xasprintf("%s/htcds_cases.csv", dir);
    size_t len;
    char *text;
    static const char *const pii[] = { "prs_FirstName", "prs_SecondName", "prs_Birthdate",
                                       "prs_IdentityNumber", "prs_MobilePhone", "prs_HomePhone",
                                       "prs_MailingCity", "vic_LocationOfExploitation", "cco_CaseComment",
                                       "cas_ReferringOrganisation", "cas_ReferredOrganisation" };
    size_t i;

    (void)state;
    assert_int_equal(export_htcds(db, &o, &r), 0);
    text = util_read_file(path, &len);
    assert_non_null(text);
    for (i = 0; i < ARRAY_LEN(pii); i++)
        assert_null(strstr(text, pii[i]));
    free(text);
    free(path);
    assert_int_equal(check_file("htcds_cases.csv", "prs_Gender"), r.cases);
    path = xasprintf("%s/htcds_trafficking_events.csv", dir);
    text = util_read_file(path, &len);
    assert_null(strstr(text, "hte_Description"));
    free(text);
    free(path);
}

/* Adds a complete case with the given columns (a NULL-ended list of
 * column, value pairs) and one journey step on EVENT_ON. */
static void add_case(const char *uuid, const char *event_on, ...)
{
    struct sbuf cols = {0}, qs = {0};
    const char *vals[32];
    struct db_stmt *st;
    int n = 0, i;
    va_list ap;

    va_start(ap, event_on);
    for (;;) {
        const char *c = va_arg(ap, const char *);

        if (!c)
            break;
        vals[n++] = va_arg(ap, const char *);
        sbuf_addf(&cols, ", %s", c);
        sbuf_addf(&qs, ", ?%d", n + 1);
    }
    va_end(ap);
    {
        char *sql = xasprintf("INSERT INTO cases (uuid, ref, office, status, created_at, created_by,"
                              " updated_at, updated_by%s) VALUES (?1, ?1, 'LA1301', 'complete',"
                              " '2024-05-01T00:00:00Z', 'test', '2024-05-01T00:00:00Z', 'test'%s)",
                              sbuf_str(&cols), sbuf_str(&qs));

        st = db_prepare(db, sql, 0);
        free(sql);
    }
    assert_non_null(st);
    db_bind_text(st, 1, uuid);
    for (i = 0; i < n; i++)
        db_bind_text(st, i + 2, vals[i]);
    assert_int_equal(db_step(st), 0);
    db_finalize(st);
    st = db_prepare(db, "INSERT INTO case_events (case_uuid, seq, step, event_on, country, province,"
                    " district, place) VALUES (?1, 1, 'Exploitation', ?2, 'LA', 'LA13', 'LA1301', ?3)", 0);
    db_bind_text(st, 1, uuid);
    db_bind_text(st, 2, event_on);
    db_bind_text(st, 3, "ບ້ານ ໂພນທັນ");
    assert_int_equal(db_step(st), 0);
    db_finalize(st);
    sbuf_free(&cols);
    sbuf_free(&qs);
}

/* The row of UUID in DIR/NAME split into VAL under the headers HEAD (both
 * pointing into *TEXT, which the caller frees); the number of fields. */
static int row_of(const char *name, const char *uuid, char **text, char **head, char **val)
{
    char *path = xasprintf("%s/%s", dir, name), *line, *save = NULL;
    size_t len;
    int nh = 0, nv = 0;

    *text = util_read_file(path, &len);
    free(path);
    assert_non_null(*text);
    for (line = strtok_r(*text, "\r\n", &save); line; line = strtok_r(NULL, "\r\n", &save)) {
        if (!nh)
            nh = csv_split(line, head, 64);
        else if (strncmp(line, uuid, 36) == 0)
            nv = csv_split(line, val, 64);
    }
    assert_int_equal(nv, nh);
    return nh;
}

static const char *col(char **head, char **val, int n, const char *name)
{
    int i;

    for (i = 0; i < n; i++)
        if (strcmp(head[i], name) == 0)
            return val[i];
    fail_msg("no column %s", name);
    return NULL;
}

/* Values that need care: a partly known birth date goes to the case
 * comment, a partly known journey date to the description; Lao phones
 * become E.164 (mobile or home), an unusable one is left out and counted;
 * the industry of sexual exploitation is not written; the district and the
 * place are no city or street; the Core fields tipdesk holds are there. */
static void htcds_values(void **state)
{
    struct htcds_opts o = { dir, 0, 0 };
    struct htcds_result r;
    char *text, *head[64], *val[64];
    const char *a = "aaaaaaaa-0000-4000-8000-000000000001", *b = "aaaaaaaa-0000-4000-8000-000000000002";
    const char *c = "aaaaaaaa-0000-4000-8000-000000000003";
    int n;

    (void)state;
    assert_int_equal(db_begin(db), 0);
    add_case(a, "2023-04", "registered_on", "2024-03-01", "first_name", "ສົມສັກ", "last_name", "ແກ້ວມະນີ",
             "sex", "M", "birth_date", "1998-05", "phone", "020 5555 1234", "trafficking_status",
             "ActualVictimOfTrafficking", "status_decided_by", " police ", "exploitation", "SexualExploitation",
             "labour_sector", "I", "case_status", "ClosedReferred", "closure_reason", "Referred",
             "referral_org", "Lao Women's Union", "referral_on", "2024-02-28", "referred_to", "ກິນເຂົ້າ shelter",
             "exploitation_place", "Karaoke, Bokeo", "language", "kjg", "education", "LowerSecondary",
             "home_province", "LA13", "home_district", "LA1301", NULL);
    add_case(b, "2023-04-02", "registered_on", "2024-03-02", "first_name", "Noy", "sex", "F",
             "birth_date", "2001-02-03", "phone", "021 212 345", "trafficking_status",
             "PossibleVictimOfTrafficking", "status_decided_by", "Provincial court", "exploitation",
             "ForcedLabour;SexualExploitation", "labour_sector", "A03", "language", "other", "education", "Higher",
             NULL);
    add_case(c, "2023", "registered_on", "2024-03-03", "first_name", "Kham", "sex", "F", "phone", "12-34",
             "trafficking_status", "PossibleVictimOfTrafficking", "case_status", "Active", "closure_reason",
             "Moved", "referred_to", "ກິນເຂົ້າ", NULL);
    assert_int_equal(export_htcds(db, &o, &r), 0);
    db_rollback(db);
    assert_int_equal(r.phones_left_out, 1);
    check_file("htcds_cases.csv", "prs_FirstName");
    check_file("htcds_trafficking_events.csv", "hte_Type");

    n = row_of("htcds_cases.csv", a, &text, head, val);
    assert_string_equal(col(head, val, n, "prs_Birthdate"), "");
    assert_string_equal(col(head, val, n, "cco_CaseComment"), "Birth date known only as: 1998-05");
    assert_string_equal(col(head, val, n, "prs_MobilePhone"), "+8562055551234");
    assert_string_equal(col(head, val, n, "prs_HomePhone"), "");
    assert_string_equal(col(head, val, n, "vic_TraffickingStatusDecisionMakingOrg"), "Police");
    assert_string_equal(col(head, val, n, "vic_ForcedLabourIndustry"), "");
    assert_string_equal(col(head, val, n, "cas_ReasonForCaseClosure"), "Referred");
    assert_string_equal(col(head, val, n, "cas_ReferringOrganisation"), "Lao Women's Union");
    assert_string_equal(col(head, val, n, "cas_IncomingReferralDate"), "2024-02-28");
    assert_string_equal(col(head, val, n, "cas_ReferredOrganisation"), "ກິນເຂົ້າ shelter");
    assert_string_equal(col(head, val, n, "vic_LocationOfExploitation"), "Karaoke, Bokeo");
    assert_string_equal(col(head, val, n, "prs_PrimaryLanguage"), "mkh");
    assert_string_equal(col(head, val, n, "prs_HighestLevelOfEducation"), "LowerSecondaryEducation");
    assert_string_equal(col(head, val, n, "prs_MailingState"), "Savannakhet");
    free(text);

    n = row_of("htcds_cases.csv", b, &text, head, val);
    assert_string_equal(col(head, val, n, "prs_Birthdate"), "2001-02-03");
    assert_string_equal(col(head, val, n, "cco_CaseComment"), "");
    assert_string_equal(col(head, val, n, "prs_MobilePhone"), "");
    assert_string_equal(col(head, val, n, "prs_HomePhone"), "+85621212345");
    assert_string_equal(col(head, val, n, "vic_TraffickingStatusDecisionMakingOrg"), "Other");
    assert_string_equal(col(head, val, n, "vic_ForcedLabourIndustry"), "A_AgricultureForestryAndFishing");
    assert_string_equal(col(head, val, n, "prs_PrimaryLanguage"), "");
    assert_string_equal(col(head, val, n, "prs_HighestLevelOfEducation"), "");
    free(text);

    n = row_of("htcds_cases.csv", c, &text, head, val);
    assert_string_equal(col(head, val, n, "prs_MobilePhone"), "");
    assert_string_equal(col(head, val, n, "prs_HomePhone"), "");
    assert_string_equal(col(head, val, n, "cas_Status"), "Active");
    assert_string_equal(col(head, val, n, "cas_ReasonForCaseClosure"), "");
    assert_string_equal(col(head, val, n, "cas_ReferredOrganisation"), "");
    free(text);

    n = row_of("htcds_trafficking_events.csv", a, &text, head, val);
    assert_string_equal(col(head, val, n, "hte_Date"), "");
    assert_string_equal(col(head, val, n, "hte_State"), "Savannakhet");
    assert_string_equal(col(head, val, n, "hte_Description"),
                        "District: Kaysone Phomvihane; Place: ບ້ານ ໂພນທັນ; Date known only as: 2023-04");
    free(text);
    n = row_of("htcds_trafficking_events.csv", b, &text, head, val);
    assert_string_equal(col(head, val, n, "hte_Date"), "2023-04-02");
    free(text);
}

/* --excel: each file starts with a UTF-8 byte order mark; without, none. */
static void htcds_excel_bom(void **state)
{
    static const char *const files[] = { "htcds_cases.csv", "htcds_trafficking_events.csv",
                                         "htcds_support_plans.csv" };
    struct htcds_opts o = { dir, 1, 1 };
    struct htcds_result r;
    size_t i, len;

    (void)state;
    for (o.excel = 1; o.excel >= 0; o.excel--) {
        assert_int_equal(export_htcds(db, &o, &r), 0);
        for (i = 0; i < ARRAY_LEN(files); i++) {
            char *path = xasprintf("%s/%s", dir, files[i]), *text = util_read_file(path, &len);

            assert_non_null(text);
            assert_int_equal(strncmp(text, o.excel ? "\xEF\xBB\xBFuuid," : "uuid,", o.excel ? 8 : 5), 0);
            free(text);
            free(path);
        }
    }
}

static void htcds_phone(void **state)
{
    static const struct { const char *in, *out; int mobile; } t[] = {
        { "020 5555 1234", "+8562055551234", 1 }, { "020-5555-1234", "+8562055551234", 1 },
        { "030 555 1234", "+856305551234", 1 }, { "2055551234", "+8562055551234", 1 },
        { "+856 20 5555 1234", "+8562055551234", 1 }, { "00856 20 5555 1234", "+8562055551234", 1 },
        { "8562055551234", "+8562055551234", 1 }, { "021 212 345", "+85621212345", 0 },
        { "(071) 252 123", "+85671252123", 0 }, { "+66 81 234 5678", "+66812345678", 1 },
        { "0066 81 234 5678", "+66812345678", 1 }, { "020 555", "", 1 }, { "12-34", "", 1 },
        { "0812345678", "", 1 }, { "+856 99 123 456", "", 1 }, { "+0 123 456 789", "", 1 },
        { "020 5555 1234 ext 2", "", 1 }, { "+1234567890123456", "", 1 }, { "", "", 1 },
    };
    size_t i;

    (void)state;
    for (i = 0; i < ARRAY_LEN(t); i++) {
        char out[17];
        int mobile = -1, rc = export_htcds_phone(t[i].in, out, &mobile);

        if (strcmp(out, t[i].out) != 0 || rc != (t[i].out[0] ? 0 : -1))
            fail_msg("phone '%s': got '%s' (%d), want '%s'", t[i].in, out, rc, t[i].out);
        if (rc == 0)
            assert_int_equal(mobile, t[i].mobile);
    }
    assert_int_equal(export_htcds_phone(NULL, (char[17]){0}, &(int){0}), -1);
}

static void htcds_orgs(void **state)
{
    (void)state;
    assert_string_equal(export_htcds_decision_org("Police"), "Police");
    assert_string_equal(export_htcds_decision_org("Court or prosecution"), "CourtOrProsecution");
    assert_string_equal(export_htcds_decision_org("Non-police governmental organisation"),
                        "NonPoliceGovernmentalOrganization");
    assert_string_equal(export_htcds_decision_org("ngo"), "NGO");
    assert_string_equal(export_htcds_decision_org("ຕຳຫຼວດ"), "Other");
    assert_string_equal(export_htcds_decision_org(""), "");
}

static void htcds_gender(void **state)
{
    (void)state;
    assert_string_equal(export_htcds_gender("F"), "Feminine");
    assert_string_equal(export_htcds_gender("M"), "Masculine");
    assert_string_equal(export_htcds_gender("X"), "NonConforming");
    assert_string_equal(export_htcds_gender("U"), "NonSpecifiedUnknown");
    assert_string_equal(export_htcds_gender(NULL), "");
}

/* A small JSON syntax check: value := object | array | string | number | literal. */
static const char *json_value(const char *p);

static const char *ws(const char *p)
{
    while (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t')
        p++;
    return p;
}

static const char *json_string(const char *p)
{
    if (*p++ != '"')
        return NULL;
    while (*p && *p != '"') {
        if ((unsigned char)*p < 0x20)
            return NULL;
        p += *p == '\\' ? 2 : 1;
    }
    return *p == '"' ? p + 1 : NULL;
}

static const char *json_value(const char *p)
{
    p = ws(p);
    if (*p == '{' || *p == '[') {
        char close = *p == '{' ? '}' : ']';

        p = ws(p + 1);
        if (*p == close)
            return p + 1;
        for (;;) {
            if (close == '}') {
                if (!(p = json_string(ws(p))) || *(p = ws(p)) != ':')
                    return NULL;
                p++;
            }
            if (!(p = json_value(p)))
                return NULL;
            p = ws(p);
            if (*p == close)
                return p + 1;
            if (*p++ != ',')
                return NULL;
        }
    }
    if (*p == '"')
        return json_string(p);
    if (*p == '-' || (*p >= '0' && *p <= '9')) {
        p += *p == '-';
        while ((*p >= '0' && *p <= '9') || *p == '.' || *p == 'e' || *p == 'E' || *p == '+' || *p == '-')
            p++;
        return p;
    }
    if (!strncmp(p, "true", 4) || !strncmp(p, "null", 4))
        return p + 4;
    return strncmp(p, "false", 5) ? NULL : p + 5;
}

static struct dhis2_map *load_map(void)
{
    struct dhis2_map *m = dhis2_map_load("forms/dhis2.ini");

    if (!m)
        fail_msg("%s", err_msg());
    return m;
}

/* The value of "KEY":"..." in the object at P, copied into BUF. */
static int json_get(const char *p, const char *key, char *buf, size_t n)
{
    char pat[64];
    const char *s, *e;

    snprintf(pat, sizeof(pat), "\"%s\":\"", key);
    if (!(s = strstr(p, pat)))
        return -1;
    s += strlen(pat);
    e = strchr(s, '"');
    snprintf(buf, n, "%.*s", (int)(e - s), s);
    return 0;
}

static const char json_head[] = "{\"idScheme\":\"CODE\",\"dataElementIdScheme\":\"CODE\","
    "\"orgUnitIdScheme\":\"CODE\",\"categoryOptionComboIdScheme\":\"CODE\",\"dataValues\":[";

static void dhis2_json(void **state)
{
    struct dhis2_map *m = load_map();
    struct sbuf out = {0}, csv = {0};
    struct db_stmt *known = db_prepare(db, "SELECT 1 FROM ref_district WHERE pcode = ?1", 0);
    const char *p, *end;
    int64_t sum_json = 0, sum_csv = 0;
    int n = 0, zeros = 0, year;
    long skipped;
    struct dhis2_opts o = { 0, DHIS2_JSON, NULL, 0 };

    (void)state;
    year = (int)db_query_int(db, "SELECT max(substr(registered_on, 1, 4)) FROM cases", NULL, 2024) - 1;
    o.period = year;
    assert_int_equal(export_dhis2(db, m, &o, &out, &skipped), 0);
    end = json_value(sbuf_str(&out));
    assert_non_null(end);
    assert_string_equal(ws(end), "");
    /* The CODE id schemes, ahead of the values. */
    assert_int_equal(strncmp(sbuf_str(&out), json_head, strlen(json_head)), 0);
    for (p = strstr(sbuf_str(&out), "\n{"); p; p = strstr(p + 1, "\n{")) {
        char v[32], per[16], org[16], de[64], coc[64];
        const char *c;

        assert_int_equal(json_get(p, "value", v, sizeof(v)), 0);
        assert_int_equal(json_get(p, "period", per, sizeof(per)), 0);
        assert_int_equal(json_get(p, "orgUnit", org, sizeof(org)), 0);
        assert_int_equal(json_get(p, "dataElement", de, sizeof(de)), 0);
        assert_int_equal(json_get(p, "categoryOptionCombo", coc, sizeof(coc)), 0);
        for (c = v; *c; c++)
            assert_true(*c >= '0' && *c <= '9');
        assert_true(v[0] != '0' || v[1] == '\0');
        zeros += strcmp(v, "0") == 0;
        assert_int_equal(atoi(per), year);
        db_bind_text(known, 1, org);
        assert_int_equal(db_step(known), 1);
        db_reset(known);
        sum_json += atoll(v);
        n++;
    }
    assert_true(n > 20);
    assert_true(zeros > 0 && zeros < n);
    /* The CSV holds the same values. */
    o.format = DHIS2_CSV;
    assert_int_equal(export_dhis2(db, m, &o, &csv, NULL), 0);
    assert_int_equal(strncmp(sbuf_str(&csv), "dataelement,period,orgunit,categoryoptioncombo,", 47), 0);
    for (p = strchr(sbuf_str(&csv), '\n'); p && p[1]; p = strchr(p + 1, '\n')) {
        const char *last = p + 1, *q;

        for (q = p + 1; *q && *q != '\r'; q++)
            if (*q == ',')
                last = q + 1;
        sum_csv += atoll(last);
    }
    assert_int_equal(sum_csv, sum_json);
    db_finalize(known);
    sbuf_free(&out);
    sbuf_free(&csv);
    dhis2_map_free(m);
}

/* Appends an xs:simpleType NAME enumerating the codes of SECTION of the
 * mapping (the keys listed in KEYS). */
static void xsd_enum(struct sbuf *x, const struct dhis2_map *m, const char *name, const char *section,
                     const char *const *keys)
{
    sbuf_addf(x, "<xs:simpleType name=\"%s\"><xs:restriction base=\"xs:token\">\n", name);
    for (; *keys; keys++) {
        const char *code = dhis2_map_code(m, section, *keys);

        assert_non_null(code);
        sbuf_addf(x, "<xs:enumeration value=\"%s\"/>\n", code);
    }
    sbuf_add(x, "</xs:restriction></xs:simpleType>\n");
}

/* A strict schema for our data set, in the form the ADX profile derives
 * from a data structure definition (dhis2/adx IHE2015 adx_sample_generated.xsd):
 * org units, data elements and each disaggregation restricted to the codes
 * of forms/dhis2.ini and the districts of ref_district. */
static char *strict_schema(const struct dhis2_map *m)
{
    static const char *const des[] = { "victims_identified", "victims_exploitation", "victims_assisted",
        "cases_investigated", "cases_prosecuted", "cases_convicted", "persons_investigated",
        "persons_prosecuted", "persons_convicted", "prevention_events", "prevention_participants",
        "prevention_participants_under18", NULL };
    static const char *const cocs[] = { "default", "female", "male", "other", "unknown",
        "female_under18", "female_adult", "female_age_unknown", "male_under18", "male_adult",
        "male_age_unknown", "other_under18", "other_adult", "other_age_unknown", "unknown_under18",
        "unknown_adult", "unknown_age_unknown", "forcedlabour", "sexualexploitation", "forcedmarriage",
        "servitude", "forcedbegging", "forcedcriminality", "organremoval", "childlabour",
        "other_exploitation", NULL };
    static const char *const sexes[] = { "female", "male", "other", "unknown", NULL };
    static const char *const ages[] = { "under18", "adult", "age_unknown", NULL };
    static const char *const expl[] = { "forcedlabour", "sexualexploitation", "forcedmarriage",
        "servitude", "forcedbegging", "forcedcriminality", "organremoval", "childlabour",
        "other_exploitation", NULL };
    struct db_stmt *st = db_prepare(db, "SELECT pcode FROM ref_district ORDER BY pcode", 0);
    struct sbuf x = {0};
    char cwd[512];

    assert_non_null(getcwd(cwd, sizeof(cwd)));
    sbuf_add(&x, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<xs:schema xmlns=\"urn:ihe:qrph:adx:2015\""
             " xmlns:common=\"http://www.sdmx.org/resources/sdmxml/schemas/v2_1/common\""
             " xmlns:xs=\"http://www.w3.org/2001/XMLSchema\" targetNamespace=\"urn:ihe:qrph:adx:2015\""
             " elementFormDefault=\"qualified\">\n<xs:import namespace=\"http://www.sdmx.org/resources/"
             "sdmxml/schemas/v2_1/common\" schemaLocation=\"");
    sbuf_addf(&x, "%s/tests/adx/sdmx/SDMXCommon.xsd\"/>\n", cwd);
    sbuf_add(&x, "<xs:simpleType name=\"orgUnitType\"><xs:restriction base=\"xs:token\">\n");
    while (db_step(st) == 1)
        sbuf_addf(&x, "<xs:enumeration value=\"%s\"/>\n", db_column_text(st, 0));
    db_finalize(st);
    sbuf_add(&x, "</xs:restriction></xs:simpleType>\n");
    xsd_enum(&x, m, "dataElementType", "data_element", des);
    xsd_enum(&x, m, "cocType", "category_option_combo", cocs);
    xsd_enum(&x, m, "sexType", "adx_sex", sexes);
    xsd_enum(&x, m, "ageType", "adx_age", ages);
    xsd_enum(&x, m, "explType", "adx_exploitation", expl);
    sbuf_addf(&x, "<xs:complexType name=\"adxType\"><xs:sequence maxOccurs=\"unbounded\">"
              "<xs:element name=\"group\" type=\"groupType\"/></xs:sequence>"
              "<xs:attribute name=\"exported\" use=\"required\" type=\"xs:dateTime\"/></xs:complexType>\n"
              "<xs:complexType name=\"groupType\"><xs:sequence maxOccurs=\"unbounded\">"
              "<xs:element name=\"dataValue\" type=\"dataValueType\"/></xs:sequence>"
              "<xs:attribute name=\"orgUnit\" use=\"required\" type=\"orgUnitType\"/>"
              "<xs:attribute name=\"period\" use=\"required\" type=\"common:TimeRangeType\"/>"
              "<xs:attribute name=\"dataSet\" use=\"required\" type=\"xs:token\" fixed=\"%s\"/>"
              "</xs:complexType>\n"
              "<xs:complexType name=\"dataValueType\">"
              "<xs:attribute name=\"dataElement\" use=\"required\" type=\"dataElementType\"/>"
              "<xs:attribute name=\"value\" use=\"required\" type=\"xs:nonNegativeInteger\"/>"
              "<xs:attribute name=\"categoryOptionCombo\" type=\"cocType\"/>"
              "<xs:attribute name=\"%s\" type=\"sexType\"/><xs:attribute name=\"%s\" type=\"ageType\"/>"
              "<xs:attribute name=\"%s\" type=\"explType\"/></xs:complexType>\n"
              "<xs:element name=\"adx\" type=\"adxType\"/>\n</xs:schema>\n",
              dhis2_map_code(m, "dataset", "code"), dhis2_map_code(m, "adx_category", "sex"),
              dhis2_map_code(m, "adx_category", "age"), dhis2_map_code(m, "adx_category", "exploitation"));
    return x.s;     /* the caller frees it */
}

/* Writes TEXT to DIR/NAME and runs xmllint --schema XSD on it; its exit status. */
static int xmllint_schema(const char *xsd, const char *name, const char *text)
{
    char *path = xasprintf("%s/%s", dir, name), *cmd;
    FILE *f = fopen(path, "w");
    int rc;

    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    cmd = xasprintf("xmllint --noout --schema '%s' '%s' 2>/dev/null", xsd, path);
    rc = system(cmd);
    free(cmd);
    free(path);
    return rc;
}

#define LOOSE "tests/adx/adx_loose.xsd"

/* ADX of both disaggregations validates against the IHE ADX 2015 loose
 * schema and a strict one of our codes; the same file without its exported
 * time, or with a district that does not exist, does not. */
static void dhis2_adx(void **state)
{
    struct dhis2_map *m = load_map();
    struct dhis2_opts o = { 2024, DHIS2_ADX, "LA13", 0 };
    struct sbuf out = {0}, cat = {0};
    char *p, *e, *strict = strict_schema(m), *xsd = xasprintf("%s/strict.xsd", dir);
    FILE *f = fopen(xsd, "w");

    (void)state;
    assert_non_null(f);
    fputs(strict, f);
    fclose(f);
    assert_int_equal(system("command -v xmllint >/dev/null 2>&1"), 0);
    assert_int_equal(export_dhis2(db, m, &o, &out, NULL), 0);
    assert_non_null(strstr(sbuf_str(&out), "<adx xmlns=\"urn:ihe:qrph:adx:2015\" exported=\"20"));
    assert_non_null(strstr(sbuf_str(&out), "period=\"2024-01-01/P1Y\""));
    assert_non_null(strstr(sbuf_str(&out), "categoryOptionCombo=\"F_LT18\""));
    assert_int_equal(xmllint_schema(LOOSE, "combo.adx", sbuf_str(&out)), 0);
    assert_int_equal(xmllint_schema(xsd, "combo.adx", sbuf_str(&out)), 0);

    o.adx_categories = 1;
    assert_int_equal(export_dhis2(db, m, &o, &cat, NULL), 0);
    assert_non_null(strstr(sbuf_str(&cat), "SEX=\"F\" AGE=\"LT18\""));
    assert_non_null(strstr(sbuf_str(&cat), "EXPLOITATION=\"FORCED_LABOUR\""));
    assert_null(strstr(sbuf_str(&cat), "categoryOptionCombo"));
    assert_int_equal(xmllint_schema(LOOSE, "categories.adx", sbuf_str(&cat)), 0);
    assert_int_equal(xmllint_schema(xsd, "categories.adx", sbuf_str(&cat)), 0);
    /* The strict schema knows the districts: LA9901 is none. */
    p = strstr(cat.s, "orgUnit=\"LA13");
    memcpy(p + 9, "LA9901", 6);
    assert_int_not_equal(xmllint_schema(xsd, "bad.adx", cat.s), 0);

    /* The validator is not idle: drop exported and it refuses the file. */
    p = strstr(out.s, " exported=");
    e = strchr(p + 11, '"');
    memmove(p, e + 1, strlen(e + 1) + 1);
    assert_int_not_equal(xmllint_schema(LOOSE, "old.adx", out.s), 0);
    free(strict);
    free(xsd);
    sbuf_free(&out);
    sbuf_free(&cat);
    dhis2_map_free(m);
}

/* The JSON "value" of the cell (ORG, DE, COC) in OUT into V; -1 when absent. */
static int json_cell(const char *out, const char *org, const char *de, const char *coc, long long *v)
{
    char *pat = xasprintf("{\"dataElement\":\"%s\",\"period\":\"2024\",\"orgUnit\":\"%s\","
                          "\"categoryOptionCombo\":\"%s\",\"value\":\"", de, org, coc);
    const char *p = strstr(out, pat);

    if (p)
        *v = atoll(p + strlen(pat));
    free(pat);
    return p ? 0 : -1;
}

/* A correction: every 2024 record of a district is deleted.  The re-export
 * still lists that district (its records are deleted, not gone) with a 0
 * in every cell that had a figure, so DHIS2 overwrites them. */
static void dhis2_zeros_after_delete(void **state)
{
    struct dhis2_map *m = load_map();
    struct dhis2_opts o = { 2024, DHIS2_JSON, NULL, 0 };
    struct sbuf before = {0}, after = {0};
    char *org = NULL;
    const char *p;
    int cells = 0;

    (void)state;
    assert_int_equal(export_dhis2(db, m, &o, &before, NULL), 0);
    /* The district with the most 2024 victims. */
    {
        struct db_stmt *st = db_prepare(db, "SELECT home_district FROM cases WHERE deleted_at IS NULL"
            " AND status <> 'draft' AND substr(registered_on, 1, 4) = '2024' AND home_district IS NOT NULL"
            " GROUP BY 1 ORDER BY count(*) DESC LIMIT 1", 0);

        assert_int_equal(db_step(st), 1);
        org = xstrdup(db_column_text(st, 0));
        db_finalize(st);
    }
    assert_int_equal(db_begin(db), 0);
    assert_int_equal(db_exec(db, "UPDATE cases SET deleted_at = '2025-01-01T00:00:00Z'"
                             " WHERE substr(registered_on, 1, 4) = '2024' OR uuid IN (SELECT case_uuid FROM"
                             " case_assistance WHERE substr(start_on, 1, 4) = '2024')"), 0);
    assert_int_equal(db_exec(db, "UPDATE prosecutions SET deleted_at = '2025-01-01T00:00:00Z'"), 0);
    assert_int_equal(db_exec(db, "UPDATE events SET deleted_at = '2025-01-01T00:00:00Z'"), 0);
    assert_int_equal(export_dhis2(db, m, &o, &after, NULL), 0);
    db_rollback(db);
    /* Every cell of ORG with a figure before is 0 after. */
    for (p = strstr(before.s, "\n{"); p; p = strstr(p + 1, "\n{")) {
        char v[32], de[64], coc[64], ou[16];
        long long now = -1;

        assert_int_equal(json_get(p, "orgUnit", ou, sizeof(ou)), 0);
        assert_int_equal(json_get(p, "value", v, sizeof(v)), 0);
        if (strcmp(ou, org) != 0 || strcmp(v, "0") == 0)
            continue;
        assert_int_equal(json_get(p, "dataElement", de, sizeof(de)), 0);
        assert_int_equal(json_get(p, "categoryOptionCombo", coc, sizeof(coc)), 0);
        if (json_cell(after.s, org, de, coc, &now) < 0)
            fail_msg("%s %s %s had %s and is missing after the deletion", org, de, coc, v);
        assert_int_equal(now, 0);
        cells++;
    }
    assert_true(cells > 3);
    /* Nothing but zeros is left anywhere. */
    assert_null(strstr(after.s, "\"value\":\"1"));
    free(org);
    sbuf_free(&before);
    sbuf_free(&after);
    dhis2_map_free(m);
}

/* The office's scope is always written: a province office's districts all
 * appear, with zeros, even in a year without records. */
static void dhis2_office_scope(void **state)
{
    struct dhis2_map *m = load_map();
    struct dhis2_opts o = { 1990, DHIS2_CSV, "LA13", 0 };
    struct sbuf out = {0};
    int64_t want = db_query_int(db, "SELECT count(*) FROM ref_district WHERE province = ?1", "LA13", -1);
    int lines = 0;
    const char *p;

    (void)state;
    assert_int_equal(export_dhis2(db, m, &o, &out, NULL), 0);
    for (p = strchr(out.s, '\n'); p && p[1]; p = strchr(p + 1, '\n')) {
        char line[256], *f[8];

        snprintf(line, sizeof(line), "%.*s", (int)strcspn(p + 1, "\r"), p + 1);
        assert_int_equal(csv_split(line, f, 8), 6);
        assert_string_equal(f[1], "1990");
        assert_int_equal(strncmp(f[2], "LA13", 4), 0);
        assert_int_equal(strlen(f[2]), 6);
        assert_string_equal(f[5], "0");
        lines++;
    }
    assert_true(want > 5);
    /* 45 cells per district: sex x age 12, exploitation 9, victims assisted
     * 4, three case counts, three person counts by sex 12, events 1,
     * participants by sex 3, participants under 18 1. */
    assert_int_equal(lines, want * 45);
    sbuf_free(&out);
    dhis2_map_free(m);
}

static void dhis2_map_errors(void **state)
{
    char *path = xasprintf("%s/bad.ini", dir);
    FILE *f = fopen(path, "w");

    (void)state;
    fputs("[dataset]\ncode = X\nthis line is wrong\n", f);
    fclose(f);
    assert_null(dhis2_map_load(path));
    assert_non_null(strstr(err_msg(), "bad.ini:3:"));
    f = fopen(path, "w");
    fputs("[dataset]\ncode = X\n", f);
    fclose(f);
    assert_null(dhis2_map_load(path));
    assert_non_null(strstr(err_msg(), "[data_element] victims_identified: missing"));
    /* A category code ADX cannot carry as an attribute name. */
    {
        size_t len;
        char *good = util_read_file("forms/dhis2.ini", &len), *at = strstr(good, "sex = SEX");

        assert_non_null(at);
        f = fopen(path, "w");
        fprintf(f, "%.*ssex = 1SEX%s", (int)(at - good), good, at + 9);
        fclose(f);
        free(good);
        assert_null(dhis2_map_load(path));
        assert_non_null(strstr(err_msg(), "bad.ini: [adx_category] sex = 1SEX: not usable as an XML attribute name"));
    }
    /* Without the [adx_*] sections the file loads, and only ADX with
     * category attributes asks for them. */
    {
        size_t len;
        char *good = util_read_file("forms/dhis2.ini", &len), *at = strstr(good, "\n[adx_category]");
        struct dhis2_opts o = { 2024, DHIS2_ADX, "LA13", 1 };
        struct dhis2_map *m;
        struct sbuf out = {0};

        assert_non_null(at);
        f = fopen(path, "w");
        fprintf(f, "%.*s", (int)(at - good), good);
        fclose(f);
        free(good);
        assert_non_null(m = dhis2_map_load(path));
        assert_int_equal(export_dhis2(db, m, &o, &out, NULL), -1);
        assert_non_null(strstr(err_msg(), "[adx_category] sex: missing; add the DHIS2 category code"));
        sbuf_reset(&out);
        o.adx_categories = 0;
        assert_int_equal(export_dhis2(db, m, &o, &out, NULL), 0);
        sbuf_free(&out);
        dhis2_map_free(m);
    }
    free(path);
}

/* A count the grid has no cell for (an exploitation code outside the
 * lists) is refused, not dropped from the totals. */
static void dhis2_unknown_code(void **state)
{
    struct dhis2_map *m = load_map();
    struct dhis2_opts o = { 2024, DHIS2_JSON, NULL, 0 };
    struct sbuf out = {0};

    (void)state;
    assert_int_equal(db_begin(db), 0);
    add_case("aaaaaaaa-0000-4000-8000-000000000009", "2024-01-02", "registered_on", "2024-01-02",
             "first_name", "ສົມສັກ", "sex", "F", "trafficking_status", "ActualVictimOfTrafficking",
             "exploitation", "Smuggling", "home_province", "LA13", "home_district", "LA1301", NULL);
    assert_int_equal(export_dhis2(db, m, &o, &out, NULL), -1);
    db_rollback(db);
    assert_non_null(strstr(err_msg(), "LA1301 victims_exploitation: smuggling has no category option combo"));
    sbuf_free(&out);
    dhis2_map_free(m);
}

/* ADX needs a group: no district in scope and no record in the year is an
 * error, not an invalid file. */
static void dhis2_adx_empty(void **state)
{
    struct dhis2_map *m = load_map();
    struct dhis2_opts o = { 1990, DHIS2_ADX, NULL, 0 };
    struct sbuf out = {0};

    (void)state;
    assert_int_equal(export_dhis2(db, m, &o, &out, NULL), -1);
    assert_non_null(strstr(err_msg(), "no district to report for 1990"));
    sbuf_free(&out);
    dhis2_map_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(htcds_names_from_tsv),
        cmocka_unit_test(htcds_deidentified),
        cmocka_unit_test(htcds_gender),
        cmocka_unit_test(htcds_values),
        cmocka_unit_test(htcds_excel_bom),
        cmocka_unit_test(htcds_phone),
        cmocka_unit_test(htcds_orgs),
        cmocka_unit_test(dhis2_json),
        cmocka_unit_test(dhis2_adx),
        cmocka_unit_test(dhis2_zeros_after_delete),
        cmocka_unit_test(dhis2_office_scope),
        cmocka_unit_test(dhis2_map_errors),
        cmocka_unit_test(dhis2_adx_empty),
        cmocka_unit_test(dhis2_unknown_code),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
