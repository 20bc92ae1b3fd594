/* Tests for cond: every operator and function, three-valued logic with
 * empty fields, and parse errors with their positions. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cond.h"
#include "util.h"

/* Field values for the tests: pairs id, value. */
static const char *vals[] = {
    "age", "15",
    "age_b", "40",
    "sex", "F",
    "first_name", "ສົມສັກ",
    "birth_date", "2008-05-20",
    "registered_on", "2024-05-19",
    "charged_on", "2024-03-01",
    "verdict_on", "2024-02-28",
    "exploitation", "ForcedLabour;SexualExploitation",
    "participants_f", "12",
    "participants_m", "8",
    "participants_u", "0",
    "participants_total", "20",
    "pre_score", "45.5",
    "post_score", "70",
    "blank", "",
    NULL,
};

static const char *lookup(void *ctx, const char *id)
{
    size_t i;

    (void)ctx;
    for (i = 0; vals[i]; i += 2)
        if (strcmp(vals[i], id) == 0)
            return vals[i + 1];
    return NULL;
}

static enum cond_truth ev(const char *src)
{
    struct cond *c = cond_parse(src);
    enum cond_truth t;

    if (!c)
        fail_msg("parse of \"%s\" failed: %s", src, err_msg());
    t = cond_eval(c, lookup, NULL);
    cond_free(c);
    return t;
}

static char *value(const char *src)
{
    struct cond *c = cond_parse(src);
    char *v;

    if (!c)
        fail_msg("parse of \"%s\" failed: %s", src, err_msg());
    v = cond_value_alloc(c, lookup, NULL);
    cond_free(c);
    return v;
}

static void perr(const char *src, const char *msg)
{
    struct cond *c = cond_parse(src);

    assert_null(c);
    assert_string_equal(err_msg(), msg);
}

static void test_compare_numbers(void **state)
{
    (void)state;
    assert_int_equal(ev("age < 18"), COND_TRUE);
    assert_int_equal(ev("age <= 15"), COND_TRUE);
    assert_int_equal(ev("age > 15"), COND_FALSE);
    assert_int_equal(ev("age >= 15"), COND_TRUE);
    assert_int_equal(ev("age = 15"), COND_TRUE);
    assert_int_equal(ev("age != 15"), COND_FALSE);
    /* Numeric, not text: "15" < "40" and 9 < 15 both hold. */
    assert_int_equal(ev("age < age_b"), COND_TRUE);
    assert_int_equal(ev("9 < age"), COND_TRUE);
    assert_int_equal(ev("pre_score < 46"), COND_TRUE);
}

static void test_compare_text_and_dates(void **state)
{
    (void)state;
    assert_int_equal(ev("sex = 'F'"), COND_TRUE);
    assert_int_equal(ev("sex != 'M'"), COND_TRUE);
    assert_int_equal(ev("first_name = 'ສົມສັກ'"), COND_TRUE);
    assert_int_equal(ev("verdict_on >= charged_on"), COND_FALSE);
    assert_int_equal(ev("charged_on > '2024-02-29'"), COND_TRUE);
    assert_int_equal(ev("registered_on <= today()"), COND_TRUE);
}

static void test_logic(void **state)
{
    (void)state;
    assert_int_equal(ev("age < 18 and sex = 'F'"), COND_TRUE);
    assert_int_equal(ev("age > 18 or sex = 'F'"), COND_TRUE);
    assert_int_equal(ev("not sex = 'F'"), COND_FALSE);
    assert_int_equal(ev("not (age > 18 or sex = 'M')"), COND_TRUE);
    /* and binds tighter than or. */
    assert_int_equal(ev("sex = 'M' and age > 18 or age < 18"), COND_TRUE);
    assert_int_equal(ev("sex = 'M' and (age > 18 or age < 18)"), COND_FALSE);
}

static void test_unknown(void **state)
{
    (void)state;
    assert_int_equal(ev("blank = 'x'"), COND_UNKNOWN);
    assert_int_equal(ev("missing < 18"), COND_UNKNOWN);
    assert_int_equal(ev("not missing < 18"), COND_UNKNOWN);
    /* Kleene: false and unknown is false, true or unknown is true. */
    assert_int_equal(ev("sex = 'M' and missing = 1"), COND_FALSE);
    assert_int_equal(ev("sex = 'F' or missing = 1"), COND_TRUE);
    assert_int_equal(ev("sex = 'F' and missing = 1"), COND_UNKNOWN);
    assert_int_equal(ev("missing + 1 = 2"), COND_UNKNOWN);
    {
        struct cond *c = cond_parse("missing < 18");
        assert_false(cond_holds(c, lookup, NULL));
        cond_free(c);
    }
}

static void test_empty(void **state)
{
    (void)state;
    assert_int_equal(ev("empty(blank)"), COND_TRUE);
    assert_int_equal(ev("empty(missing)"), COND_TRUE);
    assert_int_equal(ev("empty(sex)"), COND_FALSE);
    assert_int_equal(ev("blank is empty"), COND_TRUE);
    assert_int_equal(ev("sex is not empty"), COND_TRUE);
    assert_int_equal(ev("missing is not empty or age > 1"), COND_TRUE);
}

static void test_contains(void **state)
{
    (void)state;
    assert_int_equal(ev("contains(exploitation, 'ForcedLabour')"), COND_TRUE);
    assert_int_equal(ev("contains(exploitation, 'SexualExploitation')"), COND_TRUE);
    /* Whole codes only: 'Forced' is part of a code, not a code. */
    assert_int_equal(ev("contains(exploitation, 'Forced')"), COND_FALSE);
    assert_int_equal(ev("contains(exploitation, 'OrganRemoval')"), COND_FALSE);
    assert_int_equal(ev("contains(missing, 'OrganRemoval')"), COND_UNKNOWN);
}

static void test_arithmetic(void **state)
{
    char *v;

    (void)state;
    assert_int_equal(ev("participants_f + participants_m + participants_u = participants_total"),
                     COND_TRUE);
    assert_int_equal(ev("participants_f + participants_m = 19"), COND_FALSE);
    assert_int_equal(ev("participants_f - participants_m * 2 = -4"), COND_TRUE);
    assert_int_equal(ev("coalesce(missing, 0) + age = 15"), COND_TRUE);
    v = value("post_score - pre_score");
    assert_string_equal(v, "24.5");
    free(v);
    v = value("participants_f + participants_m");
    assert_string_equal(v, "20");
    free(v);
    assert_null(value("missing * 2"));
    v = value("age < 18");
    assert_string_equal(v, "1");
    free(v);
    v = value("coalesce(blank, 'Unknown')");
    assert_string_equal(v, "Unknown");
    free(v);
}

static void test_age_years(void **state)
{
    char *v;

    (void)state;
    /* The day before the 16th birthday: still 15. */
    v = value("age_years(birth_date, registered_on)");
    assert_string_equal(v, "15");
    free(v);
    v = value("age_years(birth_date, '2024-05-20')");
    assert_string_equal(v, "16");
    free(v);
    assert_null(value("age_years(birth_date, '2024')"));
    assert_null(value("age_years(missing, registered_on)"));
    assert_int_equal(ev("age_years(birth_date, registered_on) < 18"), COND_TRUE);
    v = value("today()");
    assert_int_equal(strlen(v), 10);
    free(v);
}

static void test_fields_listed(void **state)
{
    struct cond *c = cond_parse("a + b = c and empty(d) or contains(e, 'X')");
    struct sbuf b = {0};

    (void)state;
    cond_each_field(c, (void (*)(void *, const char *))sbuf_add, &b);
    assert_string_equal(sbuf_str(&b), "abcde");
    sbuf_free(&b);
    cond_free(c);
}

static void test_parse_errors(void **state)
{
    (void)state;
    perr("sex = ", "at 7: expected a value after '='");
    perr("participants_f = ", "at 18: expected a value after '='");
    perr("", "at 1: expected a condition, found nothing");
    perr("(age < 18", "at 10: expected ')' after '18'");
    perr("age < 18 sex", "at 10: expected 'and', 'or' or the end, found 'sex'");
    perr("sex = 'F", "at 7: unterminated string: add the closing '");
    perr("first_name = 'ສົມ' and ?", "at 24: expected a value after 'and'");
    perr("foo(age)", "at 1: unknown function 'foo' (known: empty, contains, age_years, today, coalesce)");
    perr("contains(exploitation)", "at 1: contains() takes 2 values");
    perr("empty(a, b)", "at 1: empty() takes 1 value");
    perr("age is full", "at 8: expected 'empty' after 'is'");
    perr("age < 1.2.3", "at 7: not a number");
    perr("age $ 3", "at 5: expected 'and', 'or' or the end, found '$'");
    perr("contains(a 'X')", "at 12: expected ',' or ')' after 'a'");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_compare_numbers),
        cmocka_unit_test(test_compare_text_and_dates),
        cmocka_unit_test(test_logic),
        cmocka_unit_test(test_unknown),
        cmocka_unit_test(test_empty),
        cmocka_unit_test(test_contains),
        cmocka_unit_test(test_arithmetic),
        cmocka_unit_test(test_age_years),
        cmocka_unit_test(test_fields_listed),
        cmocka_unit_test(test_parse_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
