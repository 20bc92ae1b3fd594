/* Office keys, public key files, the sealed bundle envelope and receipts.
 * Only libsodium's constructions: Argon2id + XChaCha20-Poly1305 for the key
 * file, crypto_box_seal + secretstream for the content, Ed25519 signatures. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "seal.h"
#include "util.h"

#define KEYS_MAGIC "tipdesk-office-keys 1"
#define PUB_MAGIC "tipdesk-public-keys 1"
#define TEXT_MAX 4096           /* no key file or receipt is longer */
#define LINES_MAX 16
#define HEAD_MAX 512            /* the envelope's clear header */
#define CHUNK (64 * 1024)       /* plaintext bytes per secretstream chunk */
#define SSA crypto_secretstream_xchacha20poly1305_ABYTES
#define SEALED_KEY (crypto_box_SEALBYTES + crypto_secretstream_xchacha20poly1305_KEYBYTES)

static int start(void)
{
    if (sodium_init() < 0)
        return err_set("cannot start libsodium");
    return 0;
}

int seal_office_ok(const char *code, const char *level)
{
    size_t n = strlen(code), i;

    if (n < 2 || code[0] != 'L' || code[1] != 'A')
        return 0;
    for (i = 2; i < n; i++)
        if (code[i] < '0' || code[i] > '9')
            return 0;
    return (n == 2 && !strcmp(level, "centre")) || (n == 4 && !strcmp(level, "province")) ||
           (n == 6 && !strcmp(level, "district"));
}

void seal_fingerprint(struct seal_pub *p)
{
    crypto_generichash_state st;
    unsigned char md[10];
    char hex[21];
    int i;

    crypto_generichash_init(&st, NULL, 0, sizeof(md));
    crypto_generichash_update(&st, (const unsigned char *)"tipdesk-fpr1", 12);
    crypto_generichash_update(&st, (const unsigned char *)p->office, strlen(p->office) + 1);
    crypto_generichash_update(&st, (const unsigned char *)p->level, strlen(p->level) + 1);
    crypto_generichash_update(&st, p->sign_pk, sizeof(p->sign_pk));
    crypto_generichash_update(&st, p->box_pk, sizeof(p->box_pk));
    crypto_generichash_final(&st, md, sizeof(md));
    sodium_bin2hex(hex, sizeof(hex), md, sizeof(md));
    for (i = 0; i < 5; i++)
        snprintf(p->fpr + 5 * i, sizeof(p->fpr) - 5 * (size_t)i, "%.4s%s", hex + 4 * i, i < 4 ? " " : "");
}

/* ---- strict line files ---- */

struct lines {
    const char *path;
    char buf[TEXT_MAX + 1];
    char raw[TEXT_MAX + 1];     /* the bytes as read, for signatures and associated data */
    size_t len;
    char *line[LINES_MAX];
    size_t off[LINES_MAX];      /* where each line starts in buf */
    int n;
};

/* Reads at most TEXT_MAX bytes of PATH: printable ASCII lines, each ending
 * in a newline, at most LINES_MAX of them. */
static int lines_read(struct lines *L, const char *path, const char *what)
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
static const char *lines_get(struct lines *L, int i, const char *key)
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

static int lines_b64(struct lines *L, int i, const char *key, unsigned char *out, size_t n)
{
    const char *v = lines_get(L, i, key);
    size_t got = 0;

    if (!v)
        return -1;
    if (sodium_base642bin(out, n, v, strlen(v), NULL, &got, NULL, sodium_base64_VARIANT_ORIGINAL) != 0 ||
        got != n)
        return err_set("%s:%d: %s: not %zu bytes of base64", L->path, i + 1, key, n);
    return 0;
}

static int lines_int(struct lines *L, int i, const char *key, int64_t lo, int64_t hi, int64_t *out)
{
    const char *v = lines_get(L, i, key);
    long x;

    if (!v)
        return -1;
    if (util_parse_long(v, &x) != 0 || x < lo || x > hi)
        return err_set("%s:%d: %s '%s': not a number from %lld to %lld", L->path, i + 1, key, v,
                       (long long)lo, (long long)hi);
    *out = x;
    return 0;
}

static int lines_str(struct lines *L, int i, const char *key, char *out, size_t n)
{
    const char *v = lines_get(L, i, key);

    if (!v)
        return -1;
    if (strlen(v) >= n)
        return err_set("%s:%d: %s: too long", L->path, i + 1, key);
    memcpy(out, v, strlen(v) + 1);
    return 0;
}

/* The office and level of lines I and I+1, checked against each other. */
static int lines_office(struct lines *L, int i, char *office, char *level)
{
    if (lines_str(L, i, "office", office, 16) < 0 || lines_str(L, i + 1, "level", level, 12) < 0)
        return -1;
    if (!seal_office_ok(office, level))
        return err_set("%s:%d: office '%s' is not a P-code of a %s (LA centre, LA## province, "
                       "LA#### district)", L->path, i + 1, office, level);
    return 0;
}

static void add_b64(struct sbuf *b, const char *key, const unsigned char *p, size_t n)
{
    char *s = xmalloc(sodium_base64_ENCODED_LEN(n, sodium_base64_VARIANT_ORIGINAL));

    sodium_bin2base64(s, sodium_base64_ENCODED_LEN(n, sodium_base64_VARIANT_ORIGINAL), p, n,
                      sodium_base64_VARIANT_ORIGINAL);
    sbuf_addf(b, "%s %s\n", key, s);
    free(s);
}

/* Writes N bytes to the new file PATH (0600), synced; REPLACE goes through a
 * temporary name and a rename. */
static int write_new(const char *path, const char *p, size_t n, int replace)
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

/* ---- the key file ---- */

static void pub_lines(struct sbuf *b, const struct seal_pub *p)
{
    sbuf_addf(b, "office %s\nlevel %s\n", p->office, p->level);
    add_b64(b, "sign-public", p->sign_pk, sizeof(p->sign_pk));
    add_b64(b, "seal-public", p->box_pk, sizeof(p->box_pk));
}

int seal_keys_create(const char *path, const char *office, const char *level, const char *pass,
                     int fast, struct seal_pub *pub)
{
    struct seal_keys *k;
    unsigned char salt[crypto_pwhash_SALTBYTES], nonce[crypto_aead_xchacha20poly1305_ietf_NPUBBYTES];
    unsigned char kek[32], ct[96 + crypto_aead_xchacha20poly1305_ietf_ABYTES];
    unsigned long long ops = fast ? crypto_pwhash_OPSLIMIT_INTERACTIVE : crypto_pwhash_OPSLIMIT_MODERATE;
    size_t mem = fast ? crypto_pwhash_MEMLIMIT_INTERACTIVE : crypto_pwhash_MEMLIMIT_MODERATE;
    struct sbuf b = {0};
    int rc = -1;

    if (start() < 0)
        return -1;
    if (!seal_office_ok(office, level))
        return err_set("office '%s' is not a P-code of a %s", office, level);
    k = sodium_malloc(sizeof(*k));
    if (!k)
        die("out of memory");
    memset(&k->pub, 0, sizeof(k->pub));
    snprintf(k->pub.office, sizeof(k->pub.office), "%s", office);
    snprintf(k->pub.level, sizeof(k->pub.level), "%s", level);
    crypto_sign_keypair(k->pub.sign_pk, k->sign_sk);
    crypto_box_keypair(k->pub.box_pk, k->box_sk);
    seal_fingerprint(&k->pub);
    randombytes_buf(salt, sizeof(salt));
    randombytes_buf(nonce, sizeof(nonce));
    if (crypto_pwhash(kek, sizeof(kek), pass, strlen(pass), salt, ops, mem, crypto_pwhash_ALG_ARGON2ID13) != 0) {
        err_set("not enough memory for the passphrase hash (%zu MiB)", mem >> 20);
        goto out;
    }
    sbuf_addf(&b, KEYS_MAGIC "\n");
    pub_lines(&b, &k->pub);
    sbuf_addf(&b, "kdf argon2id13\nopslimit %llu\nmemlimit %zu\n", ops, mem);
    add_b64(&b, "salt", salt, sizeof(salt));
    add_b64(&b, "nonce", nonce, sizeof(nonce));
    /* The lines above are the associated data: none can be edited unseen. */
    crypto_aead_xchacha20poly1305_ietf_encrypt(ct, NULL, k->sign_sk, 96, (const unsigned char *)b.s,
                                               b.len, NULL, nonce, kek);
    add_b64(&b, "secret", ct, sizeof(ct));
    if (write_new(path, b.s, b.len, 0) < 0)
        goto out;
    *pub = k->pub;
    rc = 0;
out:
    sodium_memzero(kek, sizeof(kek));
    seal_keys_free(k);
    sbuf_free(&b);
    return rc;
}

/* Reads the key file's lines and its public half. */
static int keys_parse(struct lines *L, const char *path, struct seal_pub *pub)
{
    const char *what = "a tipdesk key file";

    if (lines_read(L, path, what) < 0)
        return -1;
    if (strcmp(L->line[0], KEYS_MAGIC) != 0)
        return err_set("%s:1: not %s (it should start with '" KEYS_MAGIC "')", path, what);
    memset(pub, 0, sizeof(*pub));
    if (lines_office(L, 1, pub->office, pub->level) < 0 ||
        lines_b64(L, 3, "sign-public", pub->sign_pk, sizeof(pub->sign_pk)) < 0 ||
        lines_b64(L, 4, "seal-public", pub->box_pk, sizeof(pub->box_pk)) < 0)
        return -1;
    seal_fingerprint(pub);
    return 0;
}

int seal_keys_read_pub(const char *path, struct seal_pub *pub)
{
    struct lines *L = xmalloc(sizeof(*L));
    int rc = keys_parse(L, path, pub);

    free(L);
    return rc;
}

struct seal_keys *seal_keys_unlock(const char *path, const char *pass)
{
    struct lines *L = xmalloc(sizeof(*L));
    struct seal_keys *k = NULL;
    unsigned char salt[crypto_pwhash_SALTBYTES], nonce[crypto_aead_xchacha20poly1305_ietf_NPUBBYTES];
    unsigned char kek[32], ct[96 + crypto_aead_xchacha20poly1305_ietf_ABYTES], pk[32];
    int64_t ops, mem;
    const char *kdf;
    int ok = 0;

    if (start() < 0 || !(k = sodium_malloc(sizeof(*k))))
        goto out;
    if (keys_parse(L, path, &k->pub) < 0 || !(kdf = lines_get(L, 5, "kdf")))
        goto out;
    if (strcmp(kdf, "argon2id13") != 0) {
        err_set("%s:6: kdf '%s' unknown (argon2id13 expected)", path, kdf);
        goto out;
    }
    if (lines_int(L, 6, "opslimit", crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_OPSLIMIT_SENSITIVE, &ops) < 0 ||
        lines_int(L, 7, "memlimit", crypto_pwhash_MEMLIMIT_MIN, crypto_pwhash_MEMLIMIT_SENSITIVE, &mem) < 0 ||
        lines_b64(L, 8, "salt", salt, sizeof(salt)) < 0 || lines_b64(L, 9, "nonce", nonce, sizeof(nonce)) < 0 ||
        lines_b64(L, 10, "secret", ct, sizeof(ct)) < 0)
        goto out;
    if (L->n != 11) {
        err_set("%s:12: unexpected line after 'secret'", path);
        goto out;
    }
    if (crypto_pwhash(kek, sizeof(kek), pass, strlen(pass), salt, (unsigned long long)ops, (size_t)mem,
                      crypto_pwhash_ALG_ARGON2ID13) != 0) {
        err_set("%s: not enough memory for the passphrase hash (%lld MiB)", path, (long long)(mem >> 20));
        goto out;
    }
    if (crypto_aead_xchacha20poly1305_ietf_decrypt(k->sign_sk, NULL, NULL, ct, sizeof(ct),
                                                   (const unsigned char *)L->raw, L->off[10], nonce, kek) != 0) {
        err_set("%s: wrong passphrase (or the key file was changed)", path);
        goto out;
    }
    /* The public keys in clear must be those of the secret ones. */
    crypto_sign_ed25519_sk_to_pk(pk, k->sign_sk);
    if (sodium_memcmp(pk, k->pub.sign_pk, 32) != 0 || crypto_scalarmult_base(pk, k->box_sk) != 0 ||
        sodium_memcmp(pk, k->pub.box_pk, 32) != 0) {
        err_set("%s: the public keys do not match the secret ones; the file was changed", path);
        goto out;
    }
    ok = 1;
out:
    sodium_memzero(kek, sizeof(kek));
    free(L);
    if (!ok) {
        seal_keys_free(k);
        k = NULL;
    }
    return k;
}

void seal_keys_free(struct seal_keys *k)
{
    if (k)
        sodium_free(k);
}

/* ---- public key files ---- */

int seal_pub_write(const struct seal_pub *p, const char *path)
{
    struct sbuf b = {0};
    int rc = 0;

    sbuf_add(&b, PUB_MAGIC "\n");
    pub_lines(&b, p);
    sbuf_addf(&b, "fingerprint %s\n", p->fpr);
    if (path)
        rc = write_new(path, b.s, b.len, 1);
    else if (fwrite(b.s, 1, b.len, stdout) != b.len)
        rc = err_set("cannot write to the standard output");
    sbuf_free(&b);
    return rc;
}

int seal_pub_read(const char *path, struct seal_pub *p)
{
    struct lines *L = xmalloc(sizeof(*L));
    const char *what = "a tipdesk public key file", *fpr;
    int rc = -1;

    if (start() < 0 || lines_read(L, path, what) < 0)
        goto out;
    if (strcmp(L->line[0], PUB_MAGIC) != 0) {
        err_set("%s:1: not %s (it should start with '" PUB_MAGIC "')", path, what);
        goto out;
    }
    memset(p, 0, sizeof(*p));
    if (lines_office(L, 1, p->office, p->level) < 0 ||
        lines_b64(L, 3, "sign-public", p->sign_pk, sizeof(p->sign_pk)) < 0 ||
        lines_b64(L, 4, "seal-public", p->box_pk, sizeof(p->box_pk)) < 0 || !(fpr = lines_get(L, 5, "fingerprint")))
        goto out;
    if (L->n != 6) {
        err_set("%s:7: unexpected line after 'fingerprint'", path);
        goto out;
    }
    seal_fingerprint(p);
    if (strcmp(fpr, p->fpr) != 0) {
        err_set("%s:6: fingerprint '%s' does not match the keys (%s); the file was changed", path, fpr, p->fpr);
        goto out;
    }
    rc = 0;
out:
    free(L);
    return rc;
}

/* ---- the envelope ---- */

int seal_file_starts(const char *file, const char *magic)
{
    char buf[32];
    size_t n = strlen(magic);
    FILE *f = fopen(file, "rb");

    if (!f)
        return err_set("%s: cannot open: %s", file, strerror(errno));
    n = fread(buf, 1, n, f) == n && memcmp(buf, magic, n) == 0;
    fclose(f);
    return (int)n;
}

static void head_text(struct sbuf *b, const struct seal_head *h)
{
    sbuf_addf(b, SEAL_MAGIC "from %s\nlevel %s\nto %s\nseq %lld\ncreated %s\nchecksum %s\n\n", h->from,
              h->level, h->to, (long long)h->seq, h->created, h->checksum);
}

static void put32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)v; p[1] = (unsigned char)(v >> 8);
    p[2] = (unsigned char)(v >> 16); p[3] = (unsigned char)(v >> 24);
}

static int put(FILE *f, crypto_sign_state *ss, const void *p, size_t n)
{
    crypto_sign_update(ss, p, n);
    return fwrite(p, 1, n, f) == n ? 0 : -1;
}

int seal_file(const char *plain, const char *out, const struct seal_keys *k,
              const struct seal_pub *to, const struct seal_head *h)
{
    crypto_secretstream_xchacha20poly1305_state st;
    unsigned char key[crypto_secretstream_xchacha20poly1305_KEYBYTES], sealed[SEALED_KEY];
    unsigned char hdr[crypto_secretstream_xchacha20poly1305_HEADERBYTES], sig[64], len[4];
    unsigned char *buf = xmalloc(CHUNK), *ct = xmalloc(CHUNK + SSA);
    crypto_sign_state ss;
    struct sbuf head = {0};
    FILE *in = NULL, *o = NULL;
    int fd, rc = -1, first = 1, c;

    if (start() < 0)
        goto out;
    if (!(in = fopen(plain, "rb"))) {
        err_set("%s: cannot open: %s", plain, strerror(errno));
        goto out;
    }
    if ((fd = open(out, O_WRONLY | O_CREAT | O_EXCL, 0600)) < 0 || !(o = fdopen(fd, "wb"))) {
        err_set("%s: cannot create: %s", out, strerror(errno));
        goto out;
    }
    head_text(&head, h);
    crypto_sign_init(&ss);
    crypto_secretstream_xchacha20poly1305_keygen(key);
    crypto_box_seal(sealed, key, sizeof(key), to->box_pk);
    crypto_secretstream_xchacha20poly1305_init_push(&st, hdr, key);
    if (put(o, &ss, head.s, head.len) < 0 || put(o, &ss, sealed, sizeof(sealed)) < 0 ||
        put(o, &ss, hdr, sizeof(hdr)) < 0)
        goto wfail;
    for (;;) {
        size_t n = fread(buf, 1, CHUNK, in);
        unsigned long long cl;
        unsigned char tag = 0;

        if (ferror(in)) {
            err_set("%s: cannot read: %s", plain, strerror(errno));
            goto out;
        }
        if (n < CHUNK || (c = fgetc(in)) == EOF)
            tag = crypto_secretstream_xchacha20poly1305_TAG_FINAL;
        else
            ungetc(c, in);
        /* The first chunk carries the header as associated data: a header
         * relabelled to another sender or recipient no longer decrypts. */
        crypto_secretstream_xchacha20poly1305_push(&st, ct, &cl, buf, n, first ? (const unsigned char *)head.s : NULL,
                                                   first ? head.len : 0, tag);
        first = 0;
        put32(len, (uint32_t)cl);
        if (put(o, &ss, len, 4) < 0 || put(o, &ss, ct, (size_t)cl) < 0)
            goto wfail;
        if (tag)
            break;
    }
    crypto_sign_final_create(&ss, sig, NULL, k->sign_sk);
    if (fwrite(sig, 1, sizeof(sig), o) != sizeof(sig) || fflush(o) != 0 || fsync(fileno(o)) != 0)
        goto wfail;
    rc = 0;
    goto out;
wfail:
    err_set("%s: cannot write: %s", out, strerror(errno));
out:
    sodium_memzero(key, sizeof(key));
    sodium_memzero(buf, CHUNK);
    if (in)
        fclose(in);
    if (o && fclose(o) != 0 && rc == 0)
        rc = err_set("%s: cannot write: %s", out, strerror(errno));
    if (rc < 0 && o)
        unlink(out);
    free(buf);
    free(ct);
    sbuf_free(&head);
    return rc;
}

/* Parses the clear header at the start of F; *LEN its length in bytes. */
static int head_parse(FILE *f, const char *file, struct seal_head *h, char *text, size_t *len)
{
    struct lines *L = xmalloc(sizeof(*L));
    size_t n = fread(text, 1, HEAD_MAX, f), i, end = 0;
    int64_t seq;
    int rc = -1;

    memset(h, 0, sizeof(*h));
    for (i = strlen(SEAL_MAGIC); i + 1 < n; i++)
        if (text[i] == '\n' && text[i + 1] == '\n') {
            end = i + 2;
            break;
        }
    if (n < strlen(SEAL_MAGIC) || memcmp(text, SEAL_MAGIC, strlen(SEAL_MAGIC)) != 0) {
        err_set("%s: not a sealed tipdesk bundle", file);
        goto out;
    }
    if (!end) {
        err_set("%s: the sealed bundle's header is cut short or too long; ask for the file again", file);
        goto out;
    }
    /* The header lines through the same strict reader as key files. */
    L->path = file;
    L->n = 0;
    for (i = strlen(SEAL_MAGIC); i < end - 1; i++) {
        size_t s = i;

        while (text[i] != '\n') {
            if ((unsigned char)text[i] < 0x20 || (unsigned char)text[i] > 0x7e) {
                err_set("%s: damaged header (byte 0x%02x); ask for the file again", file, (unsigned char)text[i]);
                goto out;
            }
            i++;
        }
        if (L->n == LINES_MAX || i - s >= 200) {
            err_set("%s: damaged header; ask for the file again", file);
            goto out;
        }
        L->line[L->n] = L->buf + (s - strlen(SEAL_MAGIC));
        memcpy(L->line[L->n], text + s, i - s);
        L->line[L->n++][i - s] = '\0';
    }
    if (lines_str(L, 0, "from", h->from, sizeof(h->from)) < 0 || lines_str(L, 1, "level", h->level, sizeof(h->level)) < 0 ||
        lines_str(L, 2, "to", h->to, sizeof(h->to)) < 0 || lines_int(L, 3, "seq", 1, INT64_MAX / 2, &seq) < 0 ||
        lines_str(L, 4, "created", h->created, sizeof(h->created)) < 0 ||
        lines_str(L, 5, "checksum", h->checksum, sizeof(h->checksum)) < 0)
        goto out;
    if (L->n != 6 || !seal_office_ok(h->from, h->level) || strlen(h->to) > 6) {
        err_set("%s: damaged header (office '%s' of level '%s'); ask for the file again", file, h->from, h->level);
        goto out;
    }
    h->seq = seq;
    *len = end;
    rc = 0;
out:
    free(L);
    return rc;
}

int seal_read_head(const char *file, struct seal_head *h)
{
    char text[HEAD_MAX];
    size_t len;
    FILE *f = fopen(file, "rb");
    int rc;

    if (!f)
        return err_set("%s: cannot open: %s", file, strerror(errno));
    rc = head_parse(f, file, h, text, &len);
    fclose(f);
    return rc;
}

static uint32_t get32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static int take(FILE *f, crypto_sign_state *ss, void *p, size_t n)
{
    if (fread(p, 1, n, f) != n)
        return -1;
    crypto_sign_update(ss, p, n);
    return 0;
}

int seal_open_file(const char *file, const struct seal_keys *k, const struct seal_pub *from,
                   const char *out)
{
    crypto_secretstream_xchacha20poly1305_state st;
    unsigned char key[crypto_secretstream_xchacha20poly1305_KEYBYTES], sealed[SEALED_KEY];
    unsigned char hdr[crypto_secretstream_xchacha20poly1305_HEADERBYTES], sig[64], len[4];
    unsigned char *buf = xmalloc(CHUNK), *ct = xmalloc(CHUNK + SSA);
    const char *who = from->office;
    struct seal_head h;
    crypto_sign_state ss;
    char text[HEAD_MAX];
    size_t hlen;
    struct stat sb;
    FILE *in = NULL, *o = NULL;
    int64_t pos, end;
    int fd, rc = -1, first = 1, final = 0;

    if (start() < 0)
        goto out;
    if (!(in = fopen(file, "rb")) || fstat(fileno(in), &sb) != 0) {
        err_set("%s: cannot open: %s", file, strerror(errno));
        goto out;
    }
    if (head_parse(in, file, &h, text, &hlen) < 0)
        goto out;
    end = (int64_t)sb.st_size - (int64_t)sizeof(sig);
    if (end < (int64_t)(hlen + sizeof(sealed) + sizeof(hdr) + 4 + SSA) || fseek(in, (long)end, SEEK_SET) != 0 ||
        fread(sig, 1, sizeof(sig), in) != sizeof(sig) || fseek(in, (long)hlen, SEEK_SET) != 0) {
        err_set("%s: the bundle from %s is truncated (cut short); ask %s to export it again", file, who, who);
        goto out;
    }
    if ((fd = open(out, O_WRONLY | O_CREAT | O_EXCL, 0600)) < 0 || !(o = fdopen(fd, "wb"))) {
        err_set("%s: cannot create: %s", out, strerror(errno));
        goto out;
    }
    crypto_sign_init(&ss);
    crypto_sign_update(&ss, (const unsigned char *)text, hlen);
    if (take(in, &ss, sealed, sizeof(sealed)) < 0 || take(in, &ss, hdr, sizeof(hdr)) < 0)
        goto cut;
    if (crypto_box_seal_open(key, sealed, sizeof(sealed), k->pub.box_pk, k->box_sk) != 0) {
        err_set("%s: the bundle from %s is not sealed for this office's key (made for other keys, or "
                "changed); ask %s to export it again with this office's current public key", file, who, who);
        goto out;
    }
    if (crypto_secretstream_xchacha20poly1305_init_pull(&st, hdr, key) != 0)
        goto bad;
    pos = (int64_t)(hlen + sizeof(sealed) + sizeof(hdr));
    while (!final) {
        unsigned long long n;
        unsigned char tag;
        uint32_t cl;

        if (pos + 4 > end || take(in, &ss, len, 4) < 0)
            goto cut;
        cl = get32(len);
        if (cl < SSA || cl > CHUNK + SSA)
            goto bad;
        if (pos + 4 + (int64_t)cl > end)
            goto cut;
        if (take(in, &ss, ct, cl) < 0)
            goto cut;
        pos += 4 + (int64_t)cl;
        if (crypto_secretstream_xchacha20poly1305_pull(&st, buf, &n, &tag, ct, cl,
                                                       first ? (const unsigned char *)text : NULL,
                                                       first ? hlen : 0) != 0)
            goto bad;
        first = 0;
        final = tag == crypto_secretstream_xchacha20poly1305_TAG_FINAL;
        if (fwrite(buf, 1, (size_t)n, o) != (size_t)n) {
            err_set("%s: cannot write: %s", out, strerror(errno));
            goto out;
        }
    }
    if (pos != end)
        goto bad;
    if (crypto_sign_final_verify(&ss, sig, from->sign_pk) != 0) {
        err_set("%s: the signature is not %s's: the bundle was changed or signed with another key; "
                "refused, ask %s to export it again", file, who, who);
        goto out;
    }
    if (fflush(o) != 0) {
        err_set("%s: cannot write: %s", out, strerror(errno));
        goto out;
    }
    rc = 0;
    goto out;
cut:
    err_set("%s: the bundle from %s is truncated (cut short); ask %s to export it again", file, who, who);
    goto out;
bad:
    err_set("%s: the bundle from %s was changed or damaged after %s sealed it (it does not decrypt); "
            "refused, ask %s to export it again", file, who, who, who);
out:
    sodium_memzero(key, sizeof(key));
    if (in)
        fclose(in);
    if (o && fclose(o) != 0 && rc == 0)
        rc = err_set("%s: cannot write: %s", out, strerror(errno));
    if (rc < 0 && o)
        unlink(out);
    sodium_memzero(buf, CHUNK);
    free(buf);
    free(ct);
    return rc;
}

/* ---- receipts ---- */

static void receipt_body(struct sbuf *b, const struct seal_receipt *r)
{
    sbuf_addf(b, SEAL_RECEIPT_MAGIC "by %s\noffice %s\nseq %lld\nchecksum %s\nresult %s\ninserted %lld\n"
              "updated %lld\nunchanged %lld\nconflicts %lld\nat %s\n", r->by, r->office, (long long)r->seq,
              r->checksum, r->result, (long long)r->inserted, (long long)r->updated, (long long)r->unchanged,
              (long long)r->conflicts, r->at);
}

int seal_receipt_write(const char *path, const struct seal_receipt *r, const struct seal_keys *k)
{
    unsigned char sig[64];
    struct sbuf b = {0};
    int rc;

    if (start() < 0)
        return -1;
    receipt_body(&b, r);
    crypto_sign_detached(sig, NULL, (const unsigned char *)b.s, b.len, k->sign_sk);
    add_b64(&b, "signature", sig, sizeof(sig));
    rc = write_new(path, b.s, b.len, 1);
    sbuf_free(&b);
    return rc;
}

int seal_receipt_read(const char *path, struct seal_receipt *r)
{
    struct lines *L = xmalloc(sizeof(*L));
    const char *what = "a tipdesk receipt";
    int64_t v[5];
    int rc = -1;

    memset(r, 0, sizeof(*r));
    if (start() < 0 || lines_read(L, path, what) < 0)
        goto out;
    if (strcmp(L->line[0], "tipdesk-receipt 1") != 0) {
        err_set("%s:1: not %s", path, what);
        goto out;
    }
    if (lines_str(L, 1, "by", r->by, sizeof(r->by)) < 0 || lines_str(L, 2, "office", r->office, sizeof(r->office)) < 0 ||
        lines_int(L, 3, "seq", 1, INT64_MAX / 2, &v[0]) < 0 ||
        lines_str(L, 4, "checksum", r->checksum, sizeof(r->checksum)) < 0 ||
        lines_str(L, 5, "result", r->result, sizeof(r->result)) < 0 ||
        lines_int(L, 6, "inserted", 0, INT64_MAX / 2, &v[1]) < 0 || lines_int(L, 7, "updated", 0, INT64_MAX / 2, &v[2]) < 0 ||
        lines_int(L, 8, "unchanged", 0, INT64_MAX / 2, &v[3]) < 0 ||
        lines_int(L, 9, "conflicts", 0, INT64_MAX / 2, &v[4]) < 0 || lines_str(L, 10, "at", r->at, sizeof(r->at)) < 0 ||
        lines_b64(L, 11, "signature", r->sig, sizeof(r->sig)) < 0)
        goto out;
    if (L->n != 12) {
        err_set("%s:13: unexpected line after 'signature'", path);
        goto out;
    }
    if (L->off[11] >= sizeof(r->body)) {
        err_set("%s: too long for a receipt", path);
        goto out;
    }
    r->seq = v[0]; r->inserted = v[1]; r->updated = v[2]; r->unchanged = v[3]; r->conflicts = v[4];
    /* The signed text is exactly the lines before the signature. */
    memcpy(r->body, L->raw, L->off[11]);
    r->body[L->off[11]] = '\0';
    rc = 0;
out:
    free(L);
    return rc;
}

int seal_receipt_verify(const struct seal_receipt *r, const struct seal_pub *by)
{
    if (crypto_sign_verify_detached(r->sig, (const unsigned char *)r->body, strlen(r->body), by->sign_pk) != 0)
        return err_set("the receipt's signature is not %s's: it was changed or signed with another key", by->office);
    return 0;
}
