/* The line editor driven by fuzzed bytes: the first byte sets the limit in
 * code points, each following byte is an operation, some taking bytes of
 * text after them.  After every step the editor's invariants must hold. */
#include "fuzz.h"

#include "edit.h"
#include "text.h"

#define CHECK(x) do { if (!(x)) { fprintf(stderr, "broken: %s\n", #x); abort(); } } while (0)

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    return 0;
}

static void check(const struct edit *e, int valid)
{
    CHECK(e->buf && e->len < e->cap && e->buf[e->len] == '\0' && strlen(e->buf) == e->len);
    CHECK(e->cur <= e->len && e->scroll <= e->len);
    if (valid) {
        CHECK(text_valid(e->buf));
        CHECK(!e->maxcp || text_cp_count(e->buf) <= e->maxcp);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct edit e;
    size_t i = 1;
    int valid = 1;

    if (size < 1)
        return 0;
    edit_init(&e, NULL, data[0] % 16);
    check(&e, valid);
    while (i < size) {
        int op = data[i++] % 11, col;
        size_t k = i < size ? data[i] % 8 : 0;
        char *s;
        switch (op) {
        case 0:
        case 9:
            i += i < size;
            k = k < size - i ? k : size - i;
            s = xstrndup((const char *)data + i, k);
            i += k;
            if (op == 0) {
                edit_insert(&e, s);
            } else {
                edit_set(&e, s);
                valid = text_valid(s) && (!e.maxcp || text_cp_count(s) <= e.maxcp);
            }
            free(s);
            break;
        case 1: edit_left(&e); break;
        case 2: edit_right(&e); break;
        case 3: edit_home(&e); break;
        case 4: edit_end(&e); break;
        case 5: edit_backspace(&e); break;
        case 6: edit_delete(&e); break;
        case 7: edit_clear(&e); valid = 1; break;
        case 8:
            col = i < size ? data[i++] % 40 : 10;
            CHECK(edit_scroll(&e, col) <= e.len);
            CHECK(edit_cursor_col(&e) >= 0);
            break;
        default:
            edit_text(&e);
            break;
        }
        check(&e, valid);
    }
    edit_free(&e);
    err_clear();
    return 0;
}
