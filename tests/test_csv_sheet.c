/* Tests for the spreadsheet-safe CSV field writer and the pseudonyms of
 * de-identified exports (util). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "util.h"

static void expect_sheet(const char *v, int text, const char *want)
{
    struct sbuf b = {0};

    util_csv_field_sheet(&b, v, text);
    assert_string_equal(sbuf_str(&b), want);
    sbuf_free(&b);
}

static void test_formulas_made_text(void **state)
{
    (void)state;
    expect_sheet("=HYPERLINK(\"http://x\",\"ສົມສັກ\")", 1, "\"'=HYPERLINK(\"\"http://x\"\",\"\"ສົມສັກ\"\")\"");
    expect_sheet("+856 20 5555 1234", 1, "'+856 20 5555 1234");
    expect_sheet("-2+3", 0, "'-2+3");
    expect_sheet("@SUM(A1)", 0, "'@SUM(A1)");
    expect_sheet("\tx", 0, "'\tx");
    expect_sheet("\rx", 0, "\"'\rx\"");
    expect_sheet("-", 0, "'-");
    expect_sheet("-.5", 0, "'-.5");
    expect_sheet("=1,2", 0, "\"'=1,2\"");
}

static void test_numbers_stay_numbers(void **state)
{
    (void)state;
    expect_sheet("-12", 0, "-12");
    expect_sheet("-12.5", 0, "-12.5");
    expect_sheet("0", 1, "0");
    expect_sheet("150000000000", 0, "150000000000");
    expect_sheet("ກິນເຂົ້າ", 1, "ກິນເຂົ້າ");
    expect_sheet("", 1, "");
    expect_sheet("a=b", 1, "a=b");
}

static void test_digits_kept_as_typed(void **state)
{
    (void)state;
    expect_sheet("02055512345", 1, "\"=\"\"02055512345\"\"\"");
    expect_sheet("0012345678901234567", 1, "\"=\"\"0012345678901234567\"\"\"");
    expect_sheet("1234567890123456", 1, "\"=\"\"1234567890123456\"\"\"");
    expect_sheet("123456789012345", 1, "123456789012345");
    expect_sheet("020 5555 1234", 1, "020 5555 1234");
    /* Not in a text column: a number as it is. */
    expect_sheet("02055512345", 0, "02055512345");
}

static void test_null_is_empty(void **state)
{
    struct sbuf b = {0};

    (void)state;
    util_csv_field_sheet(&b, NULL, 1);
    assert_int_equal(b.len, 0);
    sbuf_free(&b);
}

static void test_pseudonyms(void **state)
{
    unsigned char s1[UTIL_SECRET_LEN], s2[UTIL_SECRET_LEN];
    char a[37], b[37], c[37];
    const char *uuid = "5e089aea-ccc4-4b68-82bf-ed19a6746346";

    (void)state;
    util_pseudonym_secret(s1);
    util_pseudonym_secret(s2);
    assert_memory_not_equal(s1, s2, UTIL_SECRET_LEN);
    util_pseudonym(s1, uuid, a);
    util_pseudonym(s1, uuid, b);
    assert_string_equal(a, b);
    assert_int_equal(strlen(a), 36);
    assert_int_equal(strspn(a, "0123456789abcdef-"), 36);
    assert_int_equal(a[14], '4');
    util_pseudonym(s2, uuid, c);
    assert_string_not_equal(a, c);
    util_pseudonym(s1, "LA1301-2026-0001", c);
    assert_string_not_equal(a, c);
    assert_null(strstr(a, "5e089aea"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_formulas_made_text),
        cmocka_unit_test(test_numbers_stay_numbers),
        cmocka_unit_test(test_digits_kept_as_typed),
        cmocka_unit_test(test_null_is_empty),
        cmocka_unit_test(test_pseudonyms),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
