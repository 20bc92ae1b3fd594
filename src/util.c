#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>

#include <sodium.h>

#include "util.h"

void (*die_hook)(void);

/* Per thread: a report may count in two threads at once. */
static _Thread_local char errbuf[1024];

void die(const char *fmt, ...)
{
    va_list ap;

    if (die_hook) {
        void (*hook)(void) = die_hook;
        die_hook = NULL;        /* a failing hook must not recurse */
        hook();
    }
    fputs("tipdesk: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    exit(1);
}

void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);

    if (!p)
        die("out of memory (%zu bytes)", n);
    return p;
}

void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);

    if (!p)
        die("out of memory (%zu × %zu bytes)", n, size);
    return p;
}

void *xrealloc(void *p, size_t n)
{
    p = realloc(p, n ? n : 1);
    if (!p)
        die("out of memory (%zu bytes)", n);
    return p;
}

char *xstrdup(const char *s)
{
    return xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t n)
{
    char *p = xmalloc(n + 1);

    if (n)
        memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

static char *xvasprintf(const char *fmt, va_list ap)
{
    va_list ap2;
    int n;
    char *p;

    va_copy(ap2, ap);
    n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0)
        die("bad format string '%s'", fmt);
    p = xmalloc((size_t)n + 1);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    return p;
}

char *xasprintf(const char *fmt, ...)
{
    va_list ap;
    char *p;

    va_start(ap, fmt);
    p = xvasprintf(fmt, ap);
    va_end(ap);
    return p;
}

int err_set(const char *fmt, ...)
{
    va_list ap;
    char tmp[sizeof(errbuf)];

    /* Format into a copy: the arguments may point into errbuf itself. */
    va_start(ap, fmt);
    vsnprintf(tmp, sizeof(tmp), fmt, ap);
    va_end(ap);
    memcpy(errbuf, tmp, sizeof(errbuf));
    return -1;
}

const char *err_msg(void)
{
    return errbuf;
}

void err_clear(void)
{
    errbuf[0] = '\0';
}

static void sbuf_grow(struct sbuf *b, size_t extra)
{
    size_t need = b->len + extra + 1;

    if (need <= b->cap)
        return;
    b->cap = b->cap ? b->cap : 64;
    while (b->cap < need)
        b->cap *= 2;
    b->s = xrealloc(b->s, b->cap);
}

void sbuf_addn(struct sbuf *b, const char *s, size_t n)
{
    sbuf_grow(b, n);
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = '\0';
}

void sbuf_add(struct sbuf *b, const char *s)
{
    sbuf_addn(b, s, strlen(s));
}

void sbuf_addc(struct sbuf *b, char c)
{
    sbuf_addn(b, &c, 1);
}

void sbuf_addf(struct sbuf *b, const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        die("bad format string '%s'", fmt);
    sbuf_grow(b, (size_t)n);
    va_start(ap, fmt);
    vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

void sbuf_reset(struct sbuf *b)
{
    b->len = 0;
    if (b->s)
        b->s[0] = '\0';
}

const char *sbuf_str(const struct sbuf *b)
{
    return b->s ? b->s : "";
}

void sbuf_free(struct sbuf *b)
{
    free(b->s);
    b->s = NULL;
    b->len = b->cap = 0;
}

void util_now_iso(char buf[21])
{
    time_t t = time(NULL);
    struct tm tm;

    gmtime_r(&t, &tm);
    strftime(buf, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

void util_today(char buf[11])
{
    time_t t = time(NULL);
    struct tm tm;

    gmtime_r(&t, &tm);
    strftime(buf, 11, "%Y-%m-%d", &tm);
}

int util_empty(const char *s)
{
    return !s || !*s;
}

int util_parse_long(const char *s, long *out)
{
    char *end;
    long v;

    if (util_empty(s))
        return -1;
    errno = 0;
    v = strtol(s, &end, 10);
    if (errno || *end != '\0')
        return -1;
    *out = v;
    return 0;
}

void util_uuid_format(unsigned char r[16], char buf[37])
{
    r[6] = (unsigned char)((r[6] & 0x0f) | 0x40);
    r[8] = (unsigned char)((r[8] & 0x3f) | 0x80);
    snprintf(buf, 37,
             "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
             r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7],
             r[8], r[9], r[10], r[11], r[12], r[13], r[14], r[15]);
}

void util_uuid4(char buf[37])
{
    unsigned char r[16];

    if (sodium_init() < 0)
        die("cannot initialise the random number generator");
    randombytes_buf(r, sizeof(r));
    util_uuid_format(r, buf);
}

void util_pseudonym_secret(unsigned char secret[UTIL_SECRET_LEN])
{
    if (sodium_init() < 0)
        die("cannot initialise the random number generator");
    randombytes_buf(secret, UTIL_SECRET_LEN);
}

void util_pseudonym(const unsigned char secret[UTIL_SECRET_LEN], const char *v, char out[37])
{
    unsigned char h[16];

    crypto_generichash(h, sizeof(h), (const unsigned char *)v, strlen(v), secret, UTIL_SECRET_LEN);
    util_uuid_format(h, out);
}

char *util_dir_alloc(const char *path)
{
    const char *slash = strrchr(path, '/');

    if (!slash)
        return xstrdup(".");
    if (slash == path)
        return xstrdup("/");
    return xstrndup(path, (size_t)(slash - path));
}

int util_mkdirs(const char *path)
{
    char *p = xstrdup(path), *s;
    int rc = 0;

    for (s = p + 1; ; s++) {
        char c = *s;

        if (c != '/' && c != '\0')
            continue;
        *s = '\0';
        if (mkdir(p, 0700) != 0 && errno != EEXIST) {
            rc = err_set("%s: cannot create the folder: %s", p, strerror(errno));
            break;
        }
        *s = c;
        if (!c)
            break;
    }
    free(p);
    return rc;
}

void util_csv_field(struct sbuf *b, const char *v)
{
    if (!v)
        return;
    if (!v[strcspn(v, ",\"\r\n")]) {
        sbuf_add(b, v);
        return;
    }
    sbuf_addc(b, '"');
    for (; *v; v++) {
        if (*v == '"')
            sbuf_addc(b, '"');
        sbuf_addc(b, *v);
    }
    sbuf_addc(b, '"');
}

static size_t utf8_len(const unsigned char *p, size_t n);

void util_json_string(struct sbuf *b, const char *s)
{
    const unsigned char *p;
    size_t n;

    if (!s) {
        sbuf_add(b, "null");
        return;
    }
    sbuf_addc(b, '"');
    for (p = (const unsigned char *)s; *p; p += n ? n : 1) {
        n = utf8_len(p, strnlen((const char *)p, 4));
        if (*p == '"' || *p == '\\') {
            sbuf_addc(b, '\\');
            sbuf_addc(b, (char)*p);
        } else if (*p == '\n') {
            sbuf_add(b, "\\n");
        } else if (*p == '\t') {
            sbuf_add(b, "\\t");
        } else if (*p < 0x20) {
            sbuf_addf(b, "\\u%04x", *p);
        } else if (!n) {
            sbuf_add(b, "\\ufffd");
        } else {
            sbuf_addn(b, (const char *)p, n);
        }
    }
    sbuf_addc(b, '"');
}

/* -12, 3.5: what a spreadsheet reads as a number and nothing else. */
static int plain_number(const char *v)
{
    size_t n = strspn(v + (*v == '-'), "0123456789");
    const char *e = v + (*v == '-') + n;

    if (n == 0)
        return 0;
    if (*e == '.' && e[1])
        e += 1 + strspn(e + 1, "0123456789");
    return *e == '\0';
}

void util_csv_field_sheet(struct sbuf *b, const char *v, int text)
{
    size_t digits;

    if (!v)
        return;
    digits = strspn(v, "0123456789");
    if (text && digits > 0 && !v[digits] && ((v[0] == '0' && digits > 1) || digits > 15)) {
        /* ="0205..." keeps the zeros: a formula giving this text. */
        sbuf_add(b, "\"=\"\"");
        sbuf_add(b, v);
        sbuf_add(b, "\"\"\"");
        return;
    }
    if (*v && strchr("=+-@\t\r", *v) && !plain_number(v)) {
        char *safe = xasprintf("'%s", v);

        util_csv_field(b, safe);
        free(safe);
        return;
    }
    util_csv_field(b, v);
}

char *util_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    struct sbuf b = {0};
    char chunk[65536];
    size_t n;

    if (!f) {
        err_set("%s: cannot open: %s", path, strerror(errno));
        return NULL;
    }
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
        sbuf_addn(&b, chunk, n);
    if (ferror(f)) {
        err_set("%s: cannot read: %s", path, strerror(errno));
        fclose(f);
        sbuf_free(&b);
        return NULL;
    }
    fclose(f);
    if (len)
        *len = b.len;
    if (!b.s)
        return xstrdup("");
    return b.s;
}

/* The length of the valid UTF-8 sequence at P (up to N bytes), or 0. */
static size_t utf8_len(const unsigned char *p, size_t n)
{
    uint32_t c;
    size_t len, i;

    if (p[0] < 0x80)
        return 1;
    if (p[0] >= 0xc2 && p[0] <= 0xdf)
        len = 2, c = p[0] & 0x1f;
    else if (p[0] >= 0xe0 && p[0] <= 0xef)
        len = 3, c = p[0] & 0x0f;
    else if (p[0] >= 0xf0 && p[0] <= 0xf4)
        len = 4, c = p[0] & 0x07;
    else
        return 0;
    if (len > n)
        return 0;
    for (i = 1; i < len; i++) {
        if ((p[i] & 0xc0) != 0x80)
            return 0;
        c = (c << 6) | (p[i] & 0x3f);
    }
    /* Overlong forms, UTF-16 surrogates and code points past U+10FFFF. */
    if ((len == 3 && c < 0x800) || (len == 4 && (c < 0x10000 || c > 0x10ffff)) ||
        (c >= 0xd800 && c <= 0xdfff))
        return 0;
    return len;
}

const char *util_printable(const char *s)
{
    static _Thread_local char ring[4][UTIL_PRINTABLE_MAX + 8];
    static _Thread_local unsigned next;
    char *out = ring[next++ % 4];
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    size_t o = 0;

    while (*p) {
        size_t i, n = utf8_len(p, strnlen((const char *)p, 4));
        /* U+0080-U+009F too: terminals take them as 8-bit controls (CSI). */
        int esc = !n || (n == 1 && (*p < 0x20 || *p == 0x7f)) || (n == 2 && p[0] == 0xc2 && p[1] < 0xa0);

        if (!n)
            n = 1;
        if (o + (esc ? 4 * n : n) > UTIL_PRINTABLE_MAX) {
            memcpy(out + o, "...", 4);
            return out;
        }
        for (i = 0; i < n; i++, o += esc ? 4 : 1)
            if (esc)
                snprintf(out + o, 5, "\\x%02X", p[i]);
            else
                out[o] = (char)p[i];
        p += n;
    }
    out[o] = '\0';
    return out;
}

const char *util_file_kind(unsigned int m)
{
    return S_ISDIR(m) ? "a folder" : S_ISFIFO(m) ? "a named pipe (FIFO)" : S_ISSOCK(m) ? "a socket"
         : S_ISCHR(m) || S_ISBLK(m) ? "a device" : "not a regular file";
}
