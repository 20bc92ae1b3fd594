/* The strict reader of seal's line-based files, base64 lines and 0600
 * file writing, shared by seal.c and seal_box.c. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "seal.h"
#include "seal_priv.h"
#include "util.h"

int seal_start(void)
{
    if (sodium_init() < 0)
        return err_set("cannot start libsodium");
    return 0;
}

/* Reads at most TEXT_MAX bytes of PATH: printable ASCII lines, each ending
 * in a newline, at most LINES_MAX of them. */
int seal_lines_read(struct lines *L, const char *path, const char *what)
{
    FILE *f = fopen(path, "rb");
    size_t i, s = 0;

    L->path = path;
    L->n = 0;
    if (!f)
        return err_set("%s: cannot open: %s", path, strerror(errno));
    L->len = fread(L->buf, 1, sizeof(L->buf), f);
    fclose(f);
    if (L->len > TEXT_MAX)
        return err_set("%s: longer than %d bytes; not %s", path, TEXT_MAX, what);
    if (L->len == 0 || L->buf[L->len - 1] != '\n')
        return err_set("%s: empty or cut short (no newline at the end); not %s", path, what);
    memcpy(L->raw, L->buf, L->len);
    L->raw[L->len] = '\0';
    for (i = 0; i < L->len; i++) {
        unsigned char c = (unsigned char)L->buf[i];

        if (c == '\n') {
            if (L->n == LINES_MAX)
                return err_set("%s:%d: too many lines; not %s", path, L->n + 1, what);
            L->buf[i] = '\0';
            L->off[L->n] = s;
            L->line[L->n++] = L->buf + s;
            s = i + 1;
        } else if (c < 0x20 || c > 0x7e) {
            return err_set("%s:%d: unexpected byte 0x%02x; not %s (edited or damaged?)", path, L->n + 1,
                           c, what);
        }
    }
    L->buf[L->len] = '\0';
    return 0;
}

/* The value of line I, which must read "KEY value". */
const char *seal_lines_get(struct lines *L, int i, const char *key)
{
    size_t k = strlen(key);

    if (i >= L->n) {
        err_set("%s:%d: '%s' missing; the file is cut short", L->path, i + 1, key);
        return NULL;
    }
    if (strncmp(L->line[i], key, k) != 0 || L->line[i][k] != ' ' || !L->line[i][k + 1]) {
        err_set("%s:%d: expected '%s ...'", L->path, i + 1, key);
        return NULL;
    }
    return L->line[i] + k + 1;
}

int seal_lines_b64(struct lines *L, int i, const char *key, unsigned char *out, size_t n)
{
    const char *v = seal_lines_get(L, i, key);
    size_t got = 0;

    if (!v)
        return -1;
    if (sodium_base642bin(out, n, v, strlen(v), NULL, &got, NULL, sodium_base64_VARIANT_ORIGINAL) != 0 ||
        got != n)
        return err_set("%s:%d: %s: not %zu bytes of base64", L->path, i + 1, key, n);
    return 0;
}

int seal_lines_int(struct lines *L, int i, const char *key, int64_t lo, int64_t hi, int64_t *out)
{
    const char *v = seal_lines_get(L, i, key);
    long x;

    if (!v)
        return -1;
    if (util_parse_long(v, &x) != 0 || x < lo || x > hi)
        return err_set("%s:%d: %s '%s': not a number from %lld to %lld", L->path, i + 1, key, v,
                       (long long)lo, (long long)hi);
    *out = x;
    return 0;
}

int seal_lines_str(struct lines *L, int i, const char *key, char *out, size_t n)
{
    const char *v = seal_lines_get(L, i, key);

    if (!v)
        return -1;
    if (strlen(v) >= n)
        return err_set("%s:%d: %s: too long", L->path, i + 1, key);
    memcpy(out, v, strlen(v) + 1);
    return 0;
}

/* The office and level of lines I and I+1, checked against each other. */
int seal_lines_office(struct lines *L, int i, char *office, char *level)
{
    if (seal_lines_str(L, i, "office", office, 16) < 0 || seal_lines_str(L, i + 1, "level", level, 12) < 0)
        return -1;
    if (!seal_office_ok(office, level))
        return err_set("%s:%d: office '%s' is not a P-code of a %s (LA centre, LA## province, "
                       "LA#### district)", L->path, i + 1, office, level);
    return 0;
}

void seal_add_b64(struct sbuf *b, const char *key, const unsigned char *p, size_t n)
{
    char *s = xmalloc(sodium_base64_ENCODED_LEN(n, sodium_base64_VARIANT_ORIGINAL));

    sodium_bin2base64(s, sodium_base64_ENCODED_LEN(n, sodium_base64_VARIANT_ORIGINAL), p, n,
                      sodium_base64_VARIANT_ORIGINAL);
    sbuf_addf(b, "%s %s\n", key, s);
    free(s);
}

/* Writes N bytes to the new file PATH (0600), synced; REPLACE goes through a
 * temporary name and a rename. */
int seal_write_new(const char *path, const char *p, size_t n, int replace)
{
    char *tmp = replace ? xasprintf("%s.tmp-%ld", path, (long)getpid()) : xstrdup(path);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL, 0600), rc = -1;

    if (fd < 0) {
        err_set("%s: cannot create: %s", tmp, strerror(errno));
        goto out;
    }
    if (write(fd, p, n) != (ssize_t)n || fsync(fd) != 0) {
        err_set("%s: cannot write: %s", tmp, strerror(errno));
        close(fd);
        unlink(tmp);
        goto out;
    }
    close(fd);
    if (replace && rename(tmp, path) != 0) {
        err_set("%s: cannot write: %s", path, strerror(errno));
        unlink(tmp);
        goto out;
    }
    rc = 0;
out:
    free(tmp);
    return rc;
}

