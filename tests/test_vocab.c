/* Tests that canon is the one owner of the vocabulary: every code set the
 * schema's CHECKs spell out (read from the embedded migrations) and every
 * code list of forms/lists.ini a record column uses holds exactly canon's
 * codes, and canon's date rule is the one the forms and `check` apply. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "canon.h"
#include "embedded.h"
#include "util.h"

/* Count of the codes in canon's "|A|B|" set. */
static int set_size(const char *codes)
{
    int n = 0;

    for (; *codes; codes++)
        n += *codes == '|';
    return n - 1;
}

/* Compares the codes CODES[0..N) read from WHERE with canon's set of
 * TABLE.COL: the same codes, none missing on either side. */
static void assert_same_set(const char *where, const char *table, const char *col,
                            char **codes, int n)
{
    const char *canon = canon_codes(table, col);
    int i;

    if (!canon)
        fail_msg("%s: %s.%s has codes but canon has no code set for it", where, table, col);
    for (i = 0; i < n; i++)
        if (!canon_is_code(table, col, codes[i]))
            fail_msg("%s: code '%s' of %s.%s is not in canon's set %s", where, codes[i],
                     table, col, canon);
    if (set_size(canon) != n)
        fail_msg("%s: %s.%s has %d codes, canon's set %s has %d", where, table, col, n,
                 canon, set_size(canon));
}

/* Reads "name" at P (an SQL identifier) into BUF. */
static const char *ident(const char *p, char *buf, size_t size)
{
    size_t n = 0;

    while (*p == ' ')
        p++;
    while ((*p == '_' || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9')) && n + 1 < size)
        buf[n++] = *p++;
    buf[n] = '\0';
    return p;
}

/* Every "col ... CHECK (col IN ('A', 'B'))" of every embedded migration. */
static void test_schema_checks_match_canon(void **state)
{
    const struct embedded_file *f;
    int sets = 0;

    (void)state;
    for (f = embedded_files; f->path; f++) {
        const char *p, *q;
        char table[64] = "";

        if (!strstr(f->path, ".sql"))
            continue;
        for (p = f->text; *p; p++) {
            char col[64], col2[64], *codes[64];
            int n = 0, i;

            if (strncmp(p, "CREATE TABLE ", 13) == 0) {
                ident(p + 13, table, sizeof(table));
                continue;
            }
            if (strncmp(p, "CHECK (", 7) != 0)
                continue;
            q = ident(p + 7, col, sizeof(col));
            if (strncmp(q, " IN (", 5) != 0)
                continue;
            for (q += 5; *q && *q != ')'; q++) {
                if (*q == '\'') {
                    const char *e = strchr(q + 1, '\'');

                    assert_non_null(e);
                    assert_true(n < 64);
                    codes[n++] = xstrndup(q + 1, (size_t)(e - q - 1));
                    q = e;
                }
            }
            /* Flags (IN (0, 1)) are numbers; the reference tables are not records. */
            if (n && strncmp(table, "ref_", 4) != 0) {
                ident(p + 7, col2, sizeof(col2));
                assert_same_set(f->path, table, col2, codes, n);
                sets++;
            }
            for (i = 0; i < n; i++)
                free(codes[i]);
        }
    }
    /* statuses, sexes, verdicts... the schema has more than twenty sets. */
    assert_true(sets >= 20);
}

/* The list of forms/lists.ini each coded record column takes its choices from. */
static const struct {
    const char *table, *col, *list;
} columns[] = {
    { "cases", "sex", "sex" },
    { "cases", "identified_by", "identified_by" },
    { "cases", "age_group", "age_group" },
    { "cases", "trafficking_status", "trafficking_status" },
    { "cases", "exploitation", "exploitation" },
    { "cases", "case_status", "case_status" },
    { "cases", "route", "route" },
    { "cases", "screening_result", "screening_result" },
    { "case_events", "step", "step" },
    { "case_screening", "answer", "answer" },
    { "case_assistance", "status", "assistance_status" },
    { "prosecutions", "exploitation", "exploitation" },
    { "prosecutions", "investigation_outcome", "stage_outcome" },
    { "prosecutions", "prosecution_outcome", "stage_outcome" },
    { "prosecutions", "verdict", "verdict" },
    { "suspects", "sex", "sex" },
    { "suspects", "age_group", "age_group" },
    { "suspects", "stage", "suspect_stage" },
    { "events", "pillar", "pillar" },
};

/* The codes of [LIST] in the lists.ini at PATH; returns their number. */
static int read_list(const char *path, const char *list, char **codes, int max)
{
    FILE *fp = fopen(path, "r");
    char line[1024], head[128];
    int n = 0, in = 0;

    if (!fp)
        fail_msg("cannot read %s", path);
    snprintf(head, sizeof(head), "[%s]", list);
    while (fgets(line, sizeof(line), fp)) {
        char *eq;

        line[strcspn(line, "\r\n")] = '\0';
        if (line[0] == '[') {
            in = strcmp(line, head) == 0;
            continue;
        }
        if (!in || line[0] == ';' || !(eq = strstr(line, " = ")))
            continue;
        assert_true(n < max);
        codes[n++] = xstrndup(line, (size_t)(eq - line));
    }
    fclose(fp);
    return n;
}

static void test_lists_match_canon(void **state)
{
    const char *src = getenv("TIPDESK_SRC");
    char *path = xasprintf("%s/forms/lists.ini", util_empty(src) ? "." : src);
    size_t i;

    (void)state;
    for (i = 0; i < ARRAY_LEN(columns); i++) {
        char *codes[64];
        int n = read_list(path, columns[i].list, codes, 64), j;

        assert_true(n > 0);
        assert_same_set(path, columns[i].table, columns[i].col, codes, n);
        for (j = 0; j < n; j++)
            free(codes[j]);
    }
    free(path);
}

/* A drifted set is caught: the comparison is not vacuous. */
static void test_canon_sets(void **state)
{
    (void)state;
    assert_true(canon_is_code("cases", "sex", "F"));
    assert_false(canon_is_code("cases", "sex", "f"));
    assert_true(canon_is_code("suspects", "stage", "Arrested"));
    assert_false(canon_is_code("cases", "stage", "Arrested"));
    assert_true(canon_is_code("case_assistance", "status", "Discontinued"));
    assert_false(canon_is_code("cases", "status", "Discontinued"));
    assert_null(canon_codes("cases", "first_name"));
    assert_int_equal(set_size(canon_codes("prosecutions", "verdict")), 4);
}

/* The lists that show or count every code take them from canon, in order. */
static void test_code_list(void **state)
{
    char codes[8][CANON_CODE_MAX];
    const char *set = canon_codes("case_assistance", "status");
    struct sbuf b = {0};
    int n, i;

    (void)state;
    n = canon_code_list("case_assistance", "status", codes, 8);
    assert_int_equal(n, set_size(set));
    sbuf_addc(&b, '|');
    for (i = 0; i < n; i++)
        sbuf_addf(&b, "%s|", codes[i]);
    assert_string_equal(sbuf_str(&b), set);
    sbuf_free(&b);
    assert_int_equal(canon_code_list("cases", "status", codes, 8), 3);
    assert_string_equal(codes[0], "draft");
    assert_string_equal(codes[2], "verified");
    /* No more than asked; none for a column without codes. */
    assert_int_equal(canon_code_list("case_assistance", "status", codes, 2), 2);
    assert_int_equal(canon_code_list("cases", "first_name", codes, 8), 0);
}

/* One date rule: a real calendar day from 1900 to 2100, partial when asked. */
static void test_date_rule(void **state)
{
    (void)state;
    assert_true(canon_date("2024-02-29", 0));
    assert_false(canon_date("2023-02-29", 0));
    assert_false(canon_date("2100-02-29", 0));
    assert_false(canon_date("1900-02-29", 0));
    assert_true(canon_date("2000-02-29", 0));
    assert_false(canon_date("2024-04-31", 0));
    assert_true(canon_date("1900-01-01", 0));
    assert_false(canon_date("1899-12-31", 0));
    assert_true(canon_date("2100-12-31", 0));
    assert_false(canon_date("2101-01-01", 0));
    assert_false(canon_date("2150-06-01", 1));
    assert_true(canon_date("2019", 1));
    assert_false(canon_date("2019", 0));
    assert_true(canon_date("2019-05", 1));
    assert_false(canon_date("2019-13", 1));
    assert_false(canon_date("2019-5-01", 1));
    assert_false(canon_date("2019-05-01x", 1));
    assert_string_equal(canon_check("cases", "registered_on", "2150-01-01"), "not a date (YYYY-MM-DD)");
    assert_null(canon_check("cases", "registered_on", "2024-12-31"));
}

/* The years a report, an export or a filter may ask for are the years a
 * date may have: no other range anywhere. */
static void test_year_rule(void **state)
{
    char y[12];
    int i;

    (void)state;
    assert_int_equal(canon_year("2024"), 2024);
    assert_int_equal(canon_year("1900"), 1900);
    assert_int_equal(canon_year("2100"), 2100);
    assert_int_equal(canon_year("1899"), 0);
    assert_int_equal(canon_year("2101"), 0);
    assert_int_equal(canon_year("2200"), 0);
    assert_int_equal(canon_year("+2024"), 0);
    assert_int_equal(canon_year(" 2024"), 0);
    assert_int_equal(canon_year("20245"), 0);
    assert_int_equal(canon_year("202"), 0);
    assert_int_equal(canon_year(""), 0);
    assert_int_equal(canon_year(NULL), 0);
    /* A year is a year exactly when its first of January is a date. */
    for (i = 1000; i <= 9999; i++) {
        char day[24];

        snprintf(y, sizeof(y), "%d", i);
        snprintf(day, sizeof(day), "%s-01-01", y);
        assert_int_equal(canon_year(y) != 0, canon_date(day, 0));
        assert_int_equal(canon_year(y) != 0, canon_date(y, 1));
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_schema_checks_match_canon),
        cmocka_unit_test(test_lists_match_canon),
        cmocka_unit_test(test_canon_sets),
        cmocka_unit_test(test_code_list),
        cmocka_unit_test(test_date_rule),
        cmocka_unit_test(test_year_rule),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
