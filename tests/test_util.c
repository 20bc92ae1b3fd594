/* Tests for util's JSON string writer, the one escaper of the audit log's
 * changes, the drafts and the DHIS2 export: control characters, quotes,
 * backslashes, Lao UTF-8 kept as it is and invalid UTF-8 replaced. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "util.h"

/* S written as a JSON string, compared with WANT. */
static void assert_json(const char *s, const char *want)
{
    struct sbuf b = {0};

    util_json_string(&b, s);
    assert_string_equal(sbuf_str(&b), want);
    sbuf_free(&b);
}

static void test_plain_and_null(void **state)
{
    (void)state;
    assert_json("", "\"\"");
    assert_json("LA1301", "\"LA1301\"");
    assert_json(NULL, "null");
}

static void test_quotes_and_backslash(void **state)
{
    (void)state;
    assert_json("say \"ok\"", "\"say \\\"ok\\\"\"");
    assert_json("C:\\forms\\", "\"C:\\\\forms\\\\\"");
    assert_json("'single'/slash", "\"'single'/slash\"");
}

static void test_control_chars(void **state)
{
    (void)state;
    assert_json("a\nb\tc", "\"a\\nb\\tc\"");
    assert_json("\r", "\"\\u000d\"");
    assert_json("\x01\x1f", "\"\\u0001\\u001f\"");
    assert_json("\x7f", "\"\x7f\"");
}

static void test_lao_kept(void **state)
{
    (void)state;
    assert_json("ສົມສັກ ແກ້ວມະນີ", "\"ສົມສັກ ແກ້ວມະນີ\"");
    assert_json("ບ້ານ ໂພນທັນ\n\"ກິນເຂົ້າ\"", "\"ບ້ານ ໂພນທັນ\\n\\\"ກິນເຂົ້າ\\\"\"");
    assert_json("\xf0\x9f\x98\x80", "\"\xf0\x9f\x98\x80\"");
}

static void test_invalid_utf8_replaced(void **state)
{
    (void)state;
    /* A stray continuation byte, a lone lead byte, Latin-1 é. */
    assert_json("a\x80" "b", "\"a\\ufffdb\"");
    assert_json("\xe0", "\"\\ufffd\"");
    assert_json("caf\xe9", "\"caf\\ufffd\"");
    /* Lao cut in the middle of a character: each stray byte is replaced. */
    assert_json("\xe0\xba" "x", "\"\\ufffd\\ufffdx\"");
    /* Overlong '/', a UTF-16 surrogate, beyond U+10FFFF. */
    assert_json("\xc0\xaf", "\"\\ufffd\\ufffd\"");
    assert_json("\xed\xa0\x80", "\"\\ufffd\\ufffd\\ufffd\"");
    assert_json("\xf4\x90\x80\x80", "\"\\ufffd\\ufffd\\ufffd\\ufffd\"");
    /* Invalid bytes next to a quote keep the quote escaped. */
    assert_json("\xff\"", "\"\\ufffd\\\"\"");
}

/* The folder of a path, as config, outfile and bundles take it. */
static void test_dir_alloc(void **state)
{
    static const char *const cases[][2] = {
        { "config.ini", "." }, { "/config.ini", "/" }, { "/etc/tipdesk/config.ini", "/etc/tipdesk" },
        { "ບ້ານ ໂພນທັນ/LA1301.tipx", "ບ້ານ ໂພນທັນ" }, { "a/b/", "a/b" }, { "", "." },
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char *d = util_dir_alloc(cases[i][0]);

        assert_string_equal(d, cases[i][1]);
        free(d);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plain_and_null),
        cmocka_unit_test(test_quotes_and_backslash),
        cmocka_unit_test(test_control_chars),
        cmocka_unit_test(test_lao_kept),
        cmocka_unit_test(test_invalid_utf8_replaced),
        cmocka_unit_test(test_dir_alloc),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
