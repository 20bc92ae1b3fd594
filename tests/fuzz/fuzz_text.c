/* The UTF-8 functions of text.h on arbitrary bytes, checking the promises
 * their header makes (lengths, boundaries, widths, round trips); a broken
 * promise aborts so the fuzzer reports it. */
#include "fuzz.h"

#include "text.h"

#define CHECK(x) do { if (!(x)) { fprintf(stderr, "broken: %s\n", #x); abort(); } } while (0)

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    return 0;
}

static void walk(const char *s, size_t len)
{
    size_t off, prev;
    int valid = 1;

    for (off = 0; off < len;) {
        uint32_t cp;
        char enc[4];
        int n = text_decode(s + off, len - off, &cp);
        CHECK(n != 0);
        if (n < 0) {
            CHECK(cp == 0xFFFD);
            valid = 0;
            off++;
            continue;
        }
        CHECK((size_t)n <= len - off);
        CHECK(text_encode(cp, enc) == n && memcmp(enc, s + off, (size_t)n) == 0);
        CHECK(text_cp_width(cp) >= 0 && text_cp_width(cp) <= 2);
        off += (size_t)n;
    }
    CHECK(text_valid_n(s, len) == valid);
    for (off = 0; off < len; off = prev) {
        prev = text_next_cluster(s, len, off);
        CHECK(prev > off && prev <= len);
        CHECK(text_prev_cluster(s, len, prev) < prev);
    }
    for (off = len; off > 0; off = prev) {
        CHECK(text_prev_cp(s, off) < off);
        prev = text_prev_cluster(s, len, off);
        CHECK(prev < off);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = xmalloc(size + 1);
    char *half, *t;
    size_t len, fit;
    int cols = size ? data[0] % 40 : 0, w = -1;

    memcpy(s, data, size);
    s[size] = '\0';
    walk(s, size);
    len = strlen(s);
    CHECK(text_width_n(s, len) == text_width(s));
    CHECK(text_cp_count(s) <= len);
    fit = text_fit(s, len, cols, &w);
    CHECK(fit <= len && w >= 0 && w <= cols);
    t = text_fit_alloc(s, cols, cols & 1);
    CHECK(text_width(t) == cols || !text_valid(s));
    free(t);
    t = text_lao_digits_alloc(s);
    CHECK(strlen(t) <= len);
    free(t);
    half = xstrndup(s, len / 2);
    CHECK(text_contains(s, half) == 1);
    CHECK(text_casecmp(s, s) == 0);
    CHECK((text_casecmp(s, half) == 0) == (strlen(half) == len));
    free(half);
    free(s);
    return 0;
}
