/* text — UTF-8 decoding, display width and grapheme clusters, written out by
 * hand so that nothing depends on the C locale or the libc's wcwidth tables
 * (which differ between machines and get Lao marks wrong on old ones). */
#include "text.h"

#include <string.h>

#include "util.h"

int text_decode(const char *s, size_t n, uint32_t *cp)
{
    const unsigned char *u = (const unsigned char *)s;
    uint32_t c, min;
    size_t len, i;

    if (n == 0)
        return 0;
    c = u[0];
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    if (c >= 0xC2 && c <= 0xDF) {
        len = 2; c &= 0x1F; min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3; c &= 0x0F; min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4; c &= 0x07; min = 0x10000;
    } else {
        goto bad;
    }
    if (n < len)
        goto bad;
    for (i = 1; i < len; i++) {
        if ((u[i] & 0xC0) != 0x80)
            goto bad;
        c = (c << 6) | (u[i] & 0x3F);
    }
    /* Overlong forms and surrogates would let two spellings of one text in. */
    if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
        goto bad;
    *cp = c;
    return (int)len;
bad:
    *cp = 0xFFFD;
    return -1;
}

int text_encode(uint32_t cp, char buf[4])
{
    if (cp < 0x80) {
        buf[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        buf[0] = (char)(0xC0 | (cp >> 6));
        buf[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp >= 0xD800 && cp <= 0xDFFF)
        return 0;
    if (cp < 0x10000) {
        buf[0] = (char)(0xE0 | (cp >> 12));
        buf[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        buf[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    if (cp > 0x10FFFF)
        return 0;
    buf[0] = (char)(0xF0 | (cp >> 18));
    buf[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    buf[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    buf[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

int text_valid_n(const char *s, size_t n)
{
    size_t i = 0;
    uint32_t cp;

    while (i < n) {
        int k = text_decode(s + i, n - i, &cp);
        if (k <= 0)
            return 0;
        i += (size_t)k;
    }
    return 1;
}

int text_valid(const char *s)
{
    return text_valid_n(s, strlen(s));
}

struct range {
    uint32_t lo, hi;
};

/* Zero-width: Lao and Thai above/below vowels and tone marks, the general
 * combining blocks, zero-width spaces and joiners, variation selectors. */
static const struct range marks[] = {
    {0x0300, 0x036F}, {0x0483, 0x0489}, {0x0591, 0x05BD}, {0x0610, 0x061A},
    {0x064B, 0x065F}, {0x0E31, 0x0E31}, {0x0E34, 0x0E3A}, {0x0E47, 0x0E4E},
    {0x0EB1, 0x0EB1}, {0x0EB4, 0x0EBC}, {0x0EC8, 0x0ECD}, {0x1AB0, 0x1AFF},
    {0x1DC0, 0x1DFF}, {0x200B, 0x200F}, {0x20D0, 0x20FF}, {0xFE00, 0xFE0F},
    {0xFE20, 0xFE2F},
};

/* East Asian wide and fullwidth. */
static const struct range wide[] = {
    {0x1100, 0x115F}, {0x2E80, 0x303E}, {0x3041, 0x33FF}, {0x3400, 0x4DBF},
    {0x4E00, 0x9FFF}, {0xA000, 0xA4CF}, {0xAC00, 0xD7A3}, {0xF900, 0xFAFF},
    {0xFE30, 0xFE4F}, {0xFF00, 0xFF60}, {0xFFE0, 0xFFE6}, {0x1F300, 0x1F64F},
    {0x1F900, 0x1F9FF}, {0x20000, 0x3FFFD},
};

static int in_ranges(uint32_t cp, const struct range *r, size_t n)
{
    size_t lo = 0, hi = n;

    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (cp < r[mid].lo)
            hi = mid;
        else if (cp > r[mid].hi)
            lo = mid + 1;
        else
            return 1;
    }
    return 0;
}

int text_cp_is_mark(uint32_t cp)
{
    return cp >= 0x300 && in_ranges(cp, marks, ARRAY_LEN(marks));
}

int text_cp_width(uint32_t cp)
{
    if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0))
        return 0;
    if (text_cp_is_mark(cp))
        return 0;
    if (cp >= 0x1100 && in_ranges(cp, wide, ARRAY_LEN(wide)))
        return 2;
    return 1;
}

/* Decodes at S+I; an invalid byte reads as one U+FFFD of one byte. */
static size_t step(const char *s, size_t len, size_t i, uint32_t *cp)
{
    int k = text_decode(s + i, len - i, cp);
    return k > 0 ? (size_t)k : 1;
}

int text_width_n(const char *s, size_t n)
{
    size_t i = 0;
    int w = 0;
    uint32_t cp;

    while (i < n) {
        i += step(s, n, i, &cp);
        w += text_cp_width(cp);
    }
    return w;
}

int text_width(const char *s)
{
    return text_width_n(s, strlen(s));
}

size_t text_cp_count(const char *s)
{
    size_t i = 0, n = 0, len = strlen(s);
    uint32_t cp;

    while (i < len) {
        i += step(s, len, i, &cp);
        n++;
    }
    return n;
}

size_t text_next_cluster(const char *s, size_t len, size_t off)
{
    uint32_t cp;

    if (off >= len)
        return len;
    off += step(s, len, off, &cp);
    /* The base takes every mark after it, whatever the order they were typed in. */
    while (off < len) {
        size_t k = step(s, len, off, &cp);
        if (!text_cp_is_mark(cp))
            break;
        off += k;
    }
    return off;
}

size_t text_prev_cp(const char *s, size_t off)
{
    size_t i;
    uint32_t cp;

    if (off == 0)
        return 0;
    /* Step back over at most three continuation bytes, then check they decode. */
    i = off - 1;
    while (i > 0 && off - i < 4 && ((unsigned char)s[i] & 0xC0) == 0x80)
        i--;
    if (text_decode(s + i, off - i, &cp) == (int)(off - i))
        return i;
    return off - 1;
}

size_t text_prev_cluster(const char *s, size_t len, size_t off)
{
    uint32_t cp;

    if (off > len)
        off = len;
    while (off > 0) {
        size_t p = text_prev_cp(s, off);
        step(s, len, p, &cp);
        off = p;
        if (!text_cp_is_mark(cp))
            break;
    }
    return off;
}

size_t text_fit(const char *s, size_t len, int cols, int *width)
{
    size_t off = 0;
    int w = 0;

    while (off < len) {
        size_t next = text_next_cluster(s, len, off);
        int cw = text_width_n(s + off, next - off);
        if (w + cw > cols)
            break;
        w += cw;
        off = next;
    }
    if (width)
        *width = w;
    return off;
}

char *text_fit_alloc(const char *s, int cols, int ellipsis)
{
    struct sbuf b = {0};
    size_t len = s ? strlen(s) : 0;
    size_t n;
    int w;

    if (cols < 0)
        cols = 0;
    if (!s)
        s = "";
    n = text_fit(s, len, cols, &w);
    if (n < len && ellipsis && cols > 0) {
        n = text_fit(s, len, cols - 1, &w);
        sbuf_addn(&b, s, n);
        sbuf_add(&b, "\xE2\x80\xA6");
        w++;
    } else {
        sbuf_addn(&b, s, n);
    }
    while (w++ < cols)
        sbuf_addc(&b, ' ');
    if (!b.s)
        return xstrdup("");
    return b.s;
}

char *text_lao_digits_alloc(const char *s)
{
    struct sbuf b = {0};
    size_t i = 0, len = strlen(s);
    uint32_t cp;

    while (i < len) {
        size_t k = step(s, len, i, &cp);
        if (cp >= 0x0ED0 && cp <= 0x0ED9)
            sbuf_addc(&b, (char)('0' + (cp - 0x0ED0)));
        else
            sbuf_addn(&b, s + i, k);
        i += k;
    }
    return b.s ? b.s : xstrdup("");
}

static int lower(int c)
{
    return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

int text_casecmp(const char *a, const char *b)
{
    const unsigned char *x = (const unsigned char *)a, *y = (const unsigned char *)b;

    while (*x && lower(*x) == lower(*y)) {
        x++;
        y++;
    }
    return lower(*x) - lower(*y);
}

int text_contains(const char *hay, const char *needle)
{
    size_t i, j, hn = strlen(hay), nn = strlen(needle);

    if (nn == 0)
        return 1;
    /* Byte-wise is exact for UTF-8: a match can only start on a lead byte. */
    for (i = 0; i + nn <= hn; i++) {
        for (j = 0; j < nn; j++)
            if (lower((unsigned char)hay[i + j]) != lower((unsigned char)needle[j]))
                break;
        if (j == nn)
            return 1;
    }
    return 0;
}
