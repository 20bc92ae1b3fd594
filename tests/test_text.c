/* Tests for text: UTF-8 decoding and validity, display width of Lao, Thai,
 * Latin and CJK text, cluster boundaries, fitting to table columns, Lao
 * digits and picker matching. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "text.h"

static void test_decode_encode(void **state)
{
    uint32_t cp;
    char buf[4];

    (void)state;
    assert_int_equal(text_decode("\xE0\xBA\x81", 3, &cp), 3);   /* ກ */
    assert_int_equal(cp, 0x0E81);
    assert_int_equal(text_decode("A", 1, &cp), 1);
    assert_int_equal(text_decode("\xE0\xBA", 2, &cp), -1);       /* truncated */
    assert_int_equal(cp, 0xFFFD);
    assert_int_equal(text_decode("\xC0\xAF", 2, &cp), -1);       /* overlong '/' */
    assert_int_equal(text_decode("\xED\xA0\x80", 3, &cp), -1);   /* surrogate */
    assert_int_equal(text_decode("\xF4\x90\x80\x80", 4, &cp), -1); /* > U+10FFFF */
    assert_int_equal(text_decode("", 0, &cp), 0);
    assert_int_equal(text_encode(0x0EC8, buf), 3);
    assert_memory_equal(buf, "\xE0\xBB\x88", 3);
    assert_int_equal(text_encode(0x1F600, buf), 4);
    assert_int_equal(text_encode(0xD800, buf), 0);
    assert_int_equal(text_encode(0x110000, buf), 0);
}

static void test_valid(void **state)
{
    (void)state;
    assert_true(text_valid("ສົມສັກ ແກ້ວມະນີ"));
    assert_true(text_valid(""));
    assert_false(text_valid("abc\xFF"));
    assert_false(text_valid("\xE0\xBA"));
}

static void test_width(void **state)
{
    (void)state;
    assert_int_equal(text_width("Somsack"), 7);
    /* ກິນເຂົ້າ: ກ ິ ນ ເ ຂ ົ ້ າ — three marks take no column. */
    assert_int_equal(text_width("ກິນເຂົ້າ"), 5);
    assert_int_equal(text_width("ສົມສັກ ແກ້ວມະນີ"), 11);
    assert_int_equal(text_width("ບ້ານ ໂພນທັນ"), 9);
    assert_int_equal(text_width("漢字"), 4);
    assert_int_equal(text_width("e\xCC\x81"), 1);      /* e + combining acute */
    assert_int_equal(text_width("กิน"), 2);            /* Thai sara i is a mark */
    assert_int_equal(text_cp_width(0x0EB3), 1);        /* Lao AM is spacing */
    assert_int_equal(text_cp_width(0x0ECD), 0);
    assert_int_equal(text_cp_width(0x0EB0), 1);
    assert_int_equal(text_cp_count("ກິນ"), 3);
}

static void test_clusters(void **state)
{
    const char *s = "ກິນ";   /* bytes: ກ 0-3, ິ 3-6, ນ 6-9 */
    const char *t = "ເຂົ້າ";  /* ເ 0, ຂ 3, ົ 6, ້ 9, າ 12 */

    (void)state;
    assert_int_equal(text_next_cluster(s, 9, 0), 6);
    assert_int_equal(text_next_cluster(s, 9, 6), 9);
    assert_int_equal(text_next_cluster(s, 9, 9), 9);
    assert_int_equal(text_prev_cluster(s, 9, 9), 6);
    assert_int_equal(text_prev_cluster(s, 9, 6), 0);
    assert_int_equal(text_prev_cluster(s, 9, 0), 0);
    assert_int_equal(text_next_cluster(t, 15, 3), 12);     /* base with two marks */
    assert_int_equal(text_prev_cluster(t, 15, 12), 3);
    assert_int_equal(text_prev_cp(t, 12), 9);
    assert_int_equal(text_prev_cp("a\xFF", 2), 1);         /* invalid byte alone */
}

static void test_fit(void **state)
{
    char *s;
    int w;

    (void)state;
    assert_int_equal(text_fit("ກິນເຂົ້າ", strlen("ກິນເຂົ້າ"), 2, &w), 9);
    assert_int_equal(w, 2);
    /* A wide character never splits across the edge. */
    assert_int_equal(text_fit("a漢", 4, 2, &w), 1);
    assert_int_equal(w, 1);
    s = text_fit_alloc("ສົມສັກ", 6, 0);
    assert_string_equal(s, "ສົມສັກ  ");
    free(s);
    s = text_fit_alloc("ແກ້ວມະນີ", 3, 1);
    assert_string_equal(s, "ແກ້…");
    assert_int_equal(text_width(s), 3);
    free(s);
    s = text_fit_alloc(NULL, 2, 1);
    assert_string_equal(s, "  ");
    free(s);
    s = text_fit_alloc("abc", 3, 1);
    assert_string_equal(s, "abc");
    free(s);
}

static void test_lao_digits(void **state)
{
    char *s;

    (void)state;
    s = text_lao_digits_alloc("໒໐໒໔-໐໓ ບ້ານ 7");
    assert_string_equal(s, "2024-03 ບ້ານ 7");
    free(s);
    s = text_lao_digits_alloc("");
    assert_string_equal(s, "");
    free(s);
}

static void test_compare(void **state)
{
    (void)state;
    assert_int_equal(text_casecmp("Female", "fEMALE"), 0);
    assert_true(text_casecmp("abc", "abd") < 0);
    assert_true(text_casecmp("ຍິງ", "ຊາຍ") != 0);
    assert_true(text_contains("Vientiane Capital", "capi"));
    assert_true(text_contains("ນະຄອນຫຼວງວຽງຈັນ", "ວຽງ"));
    assert_false(text_contains("ນະຄອນຫຼວງວຽງຈັນ", "ວັງ"));
    assert_false(text_contains("Savannakhet", "xyz"));
    assert_true(text_contains("anything", ""));
    assert_false(text_contains("ab", "abc"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_decode_encode),
        cmocka_unit_test(test_valid),
        cmocka_unit_test(test_width),
        cmocka_unit_test(test_clusters),
        cmocka_unit_test(test_fit),
        cmocka_unit_test(test_lao_digits),
        cmocka_unit_test(test_compare),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
