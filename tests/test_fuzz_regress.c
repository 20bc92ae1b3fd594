/* Regression tests for what fuzzing the parsers found (make fuzz; the
 * inputs are kept in tests/fuzz/regress/TARGET/ and replayed by every fuzz
 * run).  Each test repeats one finding through the public interface so that
 * make test and make sanitize guard it without clang. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "edit.h"
#include "text.h"
#include "util.h"

/* regress/fuzz_edit/delete-after-scroll: Delete after moving left of the
 * first drawn cluster left e->scroll beyond the end of the text. */
static void test_edit_delete_keeps_scroll_in_text(void **state)
{
    struct edit e;

    (void)state;
    edit_init(&e, "abcdef", 0);
    assert_true(edit_scroll(&e, 3) > 0);
    edit_home(&e);
    while (edit_delete(&e) == 0)
        assert_true(e.scroll <= e.cur && e.cur <= e.len);
    assert_int_equal(e.len, 0);
    assert_int_equal(e.scroll, 0);
    edit_set(&e, "ກິນເຂົ້າແລ້ວ");
    edit_scroll(&e, 3);
    edit_left(&e);
    edit_left(&e);
    edit_left(&e);
    edit_delete(&e);
    assert_true(e.scroll <= e.cur);
    assert_int_equal(e.scroll, text_next_cluster(e.buf, e.len, text_prev_cluster(e.buf, e.len, e.scroll)));
    edit_free(&e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_edit_delete_keeps_scroll_in_text),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
