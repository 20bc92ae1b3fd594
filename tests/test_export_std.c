/* Tests for the standard exports: the HTCDS files of demo data use only
 * field and value names of db/ref/htcds-2.0-fields.tsv (every header, every
 * value of every coded column), de-identified files hold no personal field;
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
struct field {
    char name[64];
    char values[2048];      /* " A B C " or "" when not a fixed list */
};
static struct field fields[128];
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

static const struct field *field_find(const char *name)
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
    struct demo_opts o = { 400, 60, 60, 7 };
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

/* Every header is an HTCDS field (or the joining uuid); every value of a
 * coded column is one of the field's value names.  Returns the data rows. */
static int check_file(const char *name, const char *must_have)
{
    char *path = xasprintf("%s/%s", dir, name);
    size_t len;
    char *text = util_read_file(path, &len), *line, *save = NULL;
    char *head[64], *val[64];
    const struct field *fd[64];
    int nh = 0, rows = 0, i;

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
            }
            assert_non_null(strstr(must_have, head[1]));
            continue;
        }
        assert_int_equal(csv_split(line, val, 64), nh);
        assert_int_equal(strlen(val[0]), 36);
        for (i = 1; i < nh; i++) {
            char *v, *s2 = NULL, buf[512];

            if (!fd[i]->values[0] || !val[i][0])
                continue;
            snprintf(buf, sizeof(buf), "%s", val[i]);
            for (v = strtok_r(buf, ";", &s2); v; v = strtok_r(NULL, ";", &s2)) {
                char word[128];

                snprintf(word, sizeof(word), " %s ", v);
                if (!strstr(fd[i]->values, word))
                    fail_msg("%s: %s = '%s' is not an HTCDS value name", name, head[i], v);
            }
        }
        rows++;
    }
    free(text);
    return rows;
}

static void htcds_names_from_tsv(void **state)
{
    long n = 0;
    int64_t want = db_query_int(db, "SELECT count(*) FROM cases WHERE deleted_at IS NULL"
                                " AND status <> 'draft'", NULL, -1);

    (void)state;
    assert_int_equal(export_htcds(db, dir, 0, &n), 0);
    assert_int_equal(n, want);
    assert_true(n > 100);
    assert_int_equal(check_file("htcds_cases.csv", "prs_FirstName"), n);
    assert_true(check_file("htcds_trafficking_events.csv", "hte_Type") > 0);
    assert_true(check_file("htcds_support_plans.csv", "spl_Type") > 0);
}

static void htcds_deidentified(void **state)
{
    char *path = xasprintf("%s/htcds_cases.csv", dir);
    size_t len;
    char *text;
    long n;
    static const char *const pii[] = { "prs_FirstName", "prs_SecondName", "prs_Birthdate",
                                       "prs_IdentityNumber", "prs_MobilePhone", "prs_MailingCity" };
    size_t i;

    (void)state;
    assert_int_equal(export_htcds(db, dir, 1, &n), 0);
    text = util_read_file(path, &len);
    assert_non_null(text);
    for (i = 0; i < ARRAY_LEN(pii); i++)
        assert_null(strstr(text, pii[i]));
    free(text);
    free(path);
    assert_int_equal(check_file("htcds_cases.csv", "prs_Gender"), n);
    path = xasprintf("%s/htcds_trafficking_events.csv", dir);
    text = util_read_file(path, &len);
    assert_null(strstr(text, "hte_Description"));
    free(text);
    free(path);
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

static void dhis2_json(void **state)
{
    struct dhis2_map *m = load_map();
    struct sbuf out = {0}, csv = {0};
    struct db_stmt *known = db_prepare(db, "SELECT 1 FROM ref_district WHERE pcode = ?1", 0);
    const char *p, *end;
    int64_t sum_json = 0, sum_csv = 0;
    int n = 0, year;
    long skipped;

    (void)state;
    year = (int)db_query_int(db, "SELECT max(substr(registered_on, 1, 4)) FROM cases", NULL, 2024) - 1;
    assert_int_equal(export_dhis2(db, m, year, DHIS2_JSON, &out, &skipped), 0);
    end = json_value(sbuf_str(&out));
    assert_non_null(end);
    assert_string_equal(ws(end), "");
    assert_non_null(strstr(sbuf_str(&out), "{\"dataValues\":["));
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
        assert_true(v[0] != '0');
        assert_int_equal(atoi(per), year);
        db_bind_text(known, 1, org);
        assert_int_equal(db_step(known), 1);
        db_reset(known);
        sum_json += atoll(v);
        n++;
    }
    assert_true(n > 20);
    /* The CSV holds the same values. */
    assert_int_equal(export_dhis2(db, m, year, DHIS2_CSV, &csv, NULL), 0);
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

static void dhis2_adx(void **state)
{
    struct dhis2_map *m = load_map();
    struct sbuf out = {0};
    char *path = xasprintf("%s/out.adx", dir), *cmd;
    FILE *f;

    (void)state;
    assert_int_equal(export_dhis2(db, m, 2024, DHIS2_ADX, &out, NULL), 0);
    assert_non_null(strstr(sbuf_str(&out), "<adx xmlns=\"urn:ihe:qrph:adx:2015\">"));
    assert_non_null(strstr(sbuf_str(&out), "period=\"2024-01-01/P1Y\""));
    f = fopen(path, "w");
    fputs(sbuf_str(&out), f);
    fclose(f);
    if (system("command -v xmllint >/dev/null 2>&1") == 0) {
        cmd = xasprintf("xmllint --noout '%s'", path);
        assert_int_equal(system(cmd), 0);
        free(cmd);
    }
    free(path);
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
    free(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(htcds_names_from_tsv),
        cmocka_unit_test(htcds_deidentified),
        cmocka_unit_test(htcds_gender),
        cmocka_unit_test(dhis2_json),
        cmocka_unit_test(dhis2_adx),
        cmocka_unit_test(dhis2_map_errors),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
