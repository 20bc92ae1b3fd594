/* util_printable: what messages quote from files reaches the terminal with
 * no control byte, C1 control or invalid UTF-8, and Lao text unchanged. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "util.h"

static void test_lao_and_ascii_unchanged(void **state)
{
    (void)state;
    assert_string_equal(util_printable("ສົມສັກ ແກ້ວມະນີ, ບ້ານ ໂພນທັນ"), "ສົມສັກ ແກ້ວມະນີ, ບ້ານ ໂພນທັນ");
    assert_string_equal(util_printable("LA1301_3_20260101.tipx"), "LA1301_3_20260101.tipx");
    assert_string_equal(util_printable(NULL), "");
}

static void test_controls_escaped(void **state)
{
    (void)state;
    assert_string_equal(util_printable("a\x1b]52;c;aGk=\x07z"), "a\\x1B]52;c;aGk=\\x07z");
    assert_string_equal(util_printable("line\r\nnext\tx\x7f"), "line\\x0D\\x0Anext\\x09x\\x7F");
    /* U+009B, the one-byte CSI, and U+0085 (NEL) in UTF-8. */
    assert_string_equal(util_printable("\xc2\x9b" "2J\xc2\x85"), "\\xC2\\x9B2J\\xC2\\x85");
    assert_string_equal(util_printable("\xc2\xa0"), "\xc2\xa0");
}

static void test_invalid_utf8_escaped(void **state)
{
    (void)state;
    assert_string_equal(util_printable("\xff\xfe"), "\\xFF\\xFE");
    /* A cut Lao letter, an overlong '/', a UTF-16 surrogate. */
    assert_string_equal(util_printable("\xe0\xba"), "\\xE0\\xBA");
    assert_string_equal(util_printable("\xc0\xaf"), "\\xC0\\xAF");
    assert_string_equal(util_printable("\xed\xa0\x80"), "\\xED\\xA0\\x80");
    assert_string_equal(util_printable("\xe0\xba\x81\xe0"), "\xe0\xba\x81\\xE0");
}

static void test_long_text_cut(void **state)
{
    char big[4096];
    const char *p;

    (void)state;
    memset(big, '\x1b', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    p = util_printable(big);
    assert_true(strlen(p) <= UTIL_PRINTABLE_MAX + 3);
    assert_string_equal(p + strlen(p) - 3, "...");
    assert_null(strchr(p, '\x1b'));
}

/* Four calls in one message each keep their own text. */
static void test_four_buffers(void **state)
{
    const char *a, *b, *c, *d;

    (void)state;
    a = util_printable("a");
    b = util_printable("b");
    c = util_printable("c");
    d = util_printable("d");
    assert_string_equal(a, "a");
    assert_string_equal(b, "b");
    assert_string_equal(c, "c");
    assert_string_equal(d, "d");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lao_and_ascii_unchanged),
        cmocka_unit_test(test_controls_escaped),
        cmocka_unit_test(test_invalid_utf8_escaped),
        cmocka_unit_test(test_long_text_cut),
        cmocka_unit_test(test_four_buffers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
