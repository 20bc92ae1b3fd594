/* Tests for edit: typing Lao syllables mark by mark, moving by cluster,
 * Backspace by code point, Delete by cluster, the length limit and
 * horizontal scrolling. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "edit.h"
#include "text.h"
#include "util.h"

static void test_type_lao(void **state)
{
    struct edit e;

    (void)state;
    edit_init(&e, NULL, 0);
    assert_int_equal(edit_insert(&e, "ກ"), 0);
    assert_int_equal(edit_insert(&e, "ິ"), 0);
    assert_int_equal(edit_insert(&e, "ນ"), 0);
    assert_string_equal(edit_text(&e), "ກິນ");
    assert_int_equal(e.cur, strlen("ກິນ"));
    assert_true(e.changed);
    edit_free(&e);
}

static void test_backspace_mark(void **state)
{
    struct edit e;

    (void)state;
    edit_init(&e, "ກິ", 0);
    assert_int_equal(edit_backspace(&e), 0);
    assert_string_equal(edit_text(&e), "ກ");
    /* A wrong tone mark is removed alone and retyped. */
    edit_set(&e, "ເຂົ່າ");
    edit_left(&e);
    assert_int_equal(edit_backspace(&e), 0);
    assert_string_equal(edit_text(&e), "ເຂົາ");
    assert_int_equal(edit_insert(&e, "້"), 0);
    assert_string_equal(edit_text(&e), "ເຂົ້າ");
    assert_int_equal(e.cur, strlen("ເຂົ້"));
    edit_home(&e);
    assert_int_equal(edit_backspace(&e), -1);
    edit_free(&e);
}

static void test_left_right(void **state)
{
    struct edit e;

    (void)state;
    edit_init(&e, "ກິນ", 0);
    assert_int_equal(edit_left(&e), 0);
    assert_int_equal(e.cur, strlen("ກິ"));     /* before ນ */
    assert_int_equal(edit_left(&e), 0);
    assert_int_equal(e.cur, 0);                 /* before ກ, skipping ິ */
    assert_int_equal(edit_left(&e), -1);
    assert_int_equal(edit_right(&e), 0);
    assert_int_equal(e.cur, strlen("ກິ"));
    edit_end(&e);
    assert_int_equal(edit_right(&e), -1);
    edit_home(&e);
    assert_int_equal(e.cur, 0);
    edit_free(&e);
}

static void test_insert_middle(void **state)
{
    struct edit e;

    (void)state;
    edit_init(&e, "ກນ", 0);
    edit_left(&e);
    assert_int_equal(edit_insert(&e, "ິ"), 0);
    assert_string_equal(edit_text(&e), "ກິນ");
    assert_int_equal(e.cur, strlen("ກິ"));
    /* A second mark typed while the cursor is between ກ and its vowel joins
     * the cluster; the cursor moves to the boundary after all its marks. */
    edit_set(&e, "ເຂົາ");
    e.cur = strlen("ເຂ");
    assert_int_equal(edit_insert(&e, "້"), 0);
    assert_string_equal(edit_text(&e), "ເຂ້ົາ");
    assert_int_equal(e.cur, strlen("ເຂ້ົ"));
    edit_free(&e);
}

static void test_delete_cluster(void **state)
{
    struct edit e;

    (void)state;
    edit_init(&e, "ເຂົ້າ", 0);
    edit_home(&e);
    edit_right(&e);
    assert_int_equal(edit_delete(&e), 0);      /* ຂ with both marks */
    assert_string_equal(edit_text(&e), "ເາ");
    edit_end(&e);
    assert_int_equal(edit_delete(&e), -1);
    edit_clear(&e);
    assert_string_equal(edit_text(&e), "");
    assert_int_equal(e.cur, 0);
    edit_free(&e);
}

static void test_backspace_base_keeps_boundary(void **state)
{
    struct edit e;

    (void)state;
    /* Deleting ນ's base in "ກນິ" leaves ິ after ກ: the cursor must not sit
     * between ກ and ິ. */
    edit_init(&e, "ກນິ", 0);
    e.cur = strlen("ກນ");
    edit_backspace(&e);
    assert_string_equal(edit_text(&e), "ກິ");
    assert_int_equal(e.cur, strlen("ກິ"));
    edit_free(&e);
}

static void test_maxlen(void **state)
{
    struct edit e;

    (void)state;
    edit_init(&e, NULL, 3);
    assert_int_equal(edit_insert(&e, "ກິນ"), 0);
    e.changed = 0;
    assert_int_equal(edit_insert(&e, "x"), -1);
    assert_string_equal(err_msg(), "at most 3 characters");
    assert_string_equal(edit_text(&e), "ກິນ");
    assert_false(e.changed);
    assert_int_equal(edit_insert(&e, "\xFF"), -1);
    assert_string_equal(err_msg(), "not valid UTF-8 text; type it again");
    edit_free(&e);
}

static void test_scroll(void **state)
{
    struct edit e;
    size_t off;

    (void)state;
    edit_init(&e, "abcdefghij", 0);
    off = edit_scroll(&e, 5);
    assert_int_equal(off, 6);                  /* "ghij" and the cursor */
    assert_int_equal(edit_cursor_col(&e), 4);
    edit_home(&e);
    assert_int_equal(edit_scroll(&e, 5), 0);
    assert_int_equal(edit_cursor_col(&e), 0);
    /* Lao: the scroll offset is always a cluster boundary. */
    edit_set(&e, "ກິນເຂົ້າແລ້ວ");
    off = edit_scroll(&e, 4);
    assert_int_equal(text_next_cluster(edit_text(&e), e.len,
                                       text_prev_cluster(edit_text(&e), e.len, off)), off);
    assert_true(text_width(edit_text(&e) + off) <= 3);
    assert_true(edit_cursor_col(&e) <= 3);
    /* After deleting at the end the field scrolls back to show more. */
    edit_set(&e, "abcdefghij");
    edit_scroll(&e, 5);
    while (e.len > 3)
        edit_backspace(&e);
    assert_int_equal(edit_scroll(&e, 5), 0);
    edit_free(&e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_type_lao),
        cmocka_unit_test(test_backspace_mark),
        cmocka_unit_test(test_left_right),
        cmocka_unit_test(test_insert_middle),
        cmocka_unit_test(test_delete_cluster),
        cmocka_unit_test(test_backspace_base_keeps_boundary),
        cmocka_unit_test(test_maxlen),
        cmocka_unit_test(test_scroll),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
