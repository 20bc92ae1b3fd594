/* The sealed bundle envelope and receipts: crypto_box_seal of a content
 * key, XChaCha20-Poly1305 secretstream over the content, Ed25519 signatures. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "seal.h"
#include "seal_priv.h"
#include "util.h"

#define HEAD_MAX 512            /* the envelope's clear header */
#define CHUNK (64 * 1024)       /* plaintext bytes per secretstream chunk */
#define SSA crypto_secretstream_xchacha20poly1305_ABYTES
#define SEALED_KEY (crypto_box_SEALBYTES + crypto_secretstream_xchacha20poly1305_KEYBYTES)

int seal_file_starts(const char *file, const char *magic)
{
    char buf[32];
    size_t n = strlen(magic);
    struct stat sb;
    int fd;

    /* Only a regular file is opened, and without blocking: a pipe or a
     * device would hang the import. */
    if (stat(file, &sb) != 0)
        return err_set("%s: cannot open: %s", util_printable(file), strerror(errno));
    if (!S_ISREG(sb.st_mode))
        return err_set("%s: %s, not a bundle; import the .tipx file that 'tipdesk export bundle' wrote",
                       util_printable(file), util_file_kind(sb.st_mode));
    if ((fd = open(file, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC)) < 0)
        return err_set("%s: cannot open: %s", util_printable(file), strerror(errno));
    if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        close(fd);
        return err_set("%s: %s, not a bundle", util_printable(file), util_file_kind(sb.st_mode));
    }
    n = pread(fd, buf, n, 0) == (ssize_t)n && memcmp(buf, magic, n) == 0;
    close(fd);
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

    if (seal_start() < 0)
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
    if (seal_lines_str(L, 0, "from", h->from, sizeof(h->from)) < 0 || seal_lines_str(L, 1, "level", h->level, sizeof(h->level)) < 0 ||
        seal_lines_str(L, 2, "to", h->to, sizeof(h->to)) < 0 || seal_lines_int(L, 3, "seq", 1, INT64_MAX / 2, &seq) < 0 ||
        seal_lines_str(L, 4, "created", h->created, sizeof(h->created)) < 0 ||
        seal_lines_str(L, 5, "checksum", h->checksum, sizeof(h->checksum)) < 0)
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

    if (seal_start() < 0)
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

    if (seal_start() < 0)
        return -1;
    receipt_body(&b, r);
    crypto_sign_detached(sig, NULL, (const unsigned char *)b.s, b.len, k->sign_sk);
    seal_add_b64(&b, "signature", sig, sizeof(sig));
    rc = seal_write_new(path, b.s, b.len, 1);
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
    if (seal_start() < 0 || seal_lines_read(L, path, what) < 0)
        goto out;
    if (strcmp(L->line[0], "tipdesk-receipt 1") != 0) {
        err_set("%s:1: not %s", path, what);
        goto out;
    }
    if (seal_lines_str(L, 1, "by", r->by, sizeof(r->by)) < 0 || seal_lines_str(L, 2, "office", r->office, sizeof(r->office)) < 0 ||
        seal_lines_int(L, 3, "seq", 1, INT64_MAX / 2, &v[0]) < 0 ||
        seal_lines_str(L, 4, "checksum", r->checksum, sizeof(r->checksum)) < 0 ||
        seal_lines_str(L, 5, "result", r->result, sizeof(r->result)) < 0 ||
        seal_lines_int(L, 6, "inserted", 0, INT64_MAX / 2, &v[1]) < 0 || seal_lines_int(L, 7, "updated", 0, INT64_MAX / 2, &v[2]) < 0 ||
        seal_lines_int(L, 8, "unchanged", 0, INT64_MAX / 2, &v[3]) < 0 ||
        seal_lines_int(L, 9, "conflicts", 0, INT64_MAX / 2, &v[4]) < 0 || seal_lines_str(L, 10, "at", r->at, sizeof(r->at)) < 0 ||
        seal_lines_b64(L, 11, "signature", r->sig, sizeof(r->sig)) < 0)
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
