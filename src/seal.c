/* Office keys and public key files.  Only libsodium's constructions:
 * Argon2id + XChaCha20-Poly1305 for the key file.  The envelope and
 * receipts are in seal_box.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "seal.h"
#include "seal_priv.h"
#include "util.h"

#define KEYS_MAGIC "tipdesk-office-keys 1"
#define PUB_MAGIC "tipdesk-public-keys 1"

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

/* ---- the key file ---- */

static void pub_lines(struct sbuf *b, const struct seal_pub *p)
{
    sbuf_addf(b, "office %s\nlevel %s\n", p->office, p->level);
    seal_add_b64(b, "sign-public", p->sign_pk, sizeof(p->sign_pk));
    seal_add_b64(b, "seal-public", p->box_pk, sizeof(p->box_pk));
}

/* Writes the key file of K at PATH, its secret keys encrypted under PASS
 * (limits as seal_keys_create says); REPLACE: in place of the file there,
 * by a rename, so a power cut leaves the old file or the new one. */
static int keys_write(const char *path, const struct seal_keys *k, const char *pass, int fast, int replace)
{
    unsigned char salt[crypto_pwhash_SALTBYTES], nonce[crypto_aead_xchacha20poly1305_ietf_NPUBBYTES];
    unsigned char kek[32], ct[96 + crypto_aead_xchacha20poly1305_ietf_ABYTES];
    unsigned long long ops = fast ? crypto_pwhash_OPSLIMIT_INTERACTIVE : crypto_pwhash_OPSLIMIT_MODERATE;
    size_t mem = fast ? crypto_pwhash_MEMLIMIT_INTERACTIVE : crypto_pwhash_MEMLIMIT_MODERATE;
    struct sbuf b = {0};
    int rc = -1;

    randombytes_buf(salt, sizeof(salt));
    randombytes_buf(nonce, sizeof(nonce));
    if (crypto_pwhash(kek, sizeof(kek), pass, strlen(pass), salt, ops, mem, crypto_pwhash_ALG_ARGON2ID13) != 0) {
        err_set("not enough memory for the passphrase hash (%zu MiB)", mem >> 20);
        goto out;
    }
    sbuf_addf(&b, KEYS_MAGIC "\n");
    pub_lines(&b, &k->pub);
    sbuf_addf(&b, "kdf argon2id13\nopslimit %llu\nmemlimit %zu\n", ops, mem);
    seal_add_b64(&b, "salt", salt, sizeof(salt));
    seal_add_b64(&b, "nonce", nonce, sizeof(nonce));
    /* The lines above are the associated data: none can be edited unseen. */
    crypto_aead_xchacha20poly1305_ietf_encrypt(ct, NULL, k->sign_sk, 96, (const unsigned char *)b.s,
                                               b.len, NULL, nonce, kek);
    seal_add_b64(&b, "secret", ct, sizeof(ct));
    rc = seal_write_new(path, b.s, b.len, replace);
out:
    sodium_memzero(kek, sizeof(kek));
    sbuf_free(&b);
    return rc;
}

int seal_keys_create(const char *path, const char *office, const char *level, const char *pass,
                     int fast, struct seal_pub *pub)
{
    struct seal_keys *k;
    int rc;

    if (seal_start() < 0)
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
    if ((rc = keys_write(path, k, pass, fast, 0)) == 0)
        *pub = k->pub;
    seal_keys_free(k);
    return rc;
}

int seal_keys_repass(const char *path, const char *old, const char *pass, int fast, struct seal_pub *pub)
{
    struct seal_keys *k = seal_keys_unlock(path, old);
    int rc;

    if (!k)
        return -1;
    if ((rc = keys_write(path, k, pass, fast, 1)) == 0)
        *pub = k->pub;
    seal_keys_free(k);
    return rc;
}

/* Reads the key file's lines and its public half. */
static int keys_parse(struct lines *L, const char *path, struct seal_pub *pub)
{
    const char *what = "a tipdesk key file";

    if (seal_lines_read(L, path, what) < 0)
        return -1;
    if (strcmp(L->line[0], KEYS_MAGIC) != 0)
        return err_set("%s:1: not %s (it should start with '" KEYS_MAGIC "')", path, what);
    memset(pub, 0, sizeof(*pub));
    if (seal_lines_office(L, 1, pub->office, pub->level) < 0 ||
        seal_lines_b64(L, 3, "sign-public", pub->sign_pk, sizeof(pub->sign_pk)) < 0 ||
        seal_lines_b64(L, 4, "seal-public", pub->box_pk, sizeof(pub->box_pk)) < 0)
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

    if (seal_start() < 0 || !(k = sodium_malloc(sizeof(*k))))
        goto out;
    if (keys_parse(L, path, &k->pub) < 0 || !(kdf = seal_lines_get(L, 5, "kdf")))
        goto out;
    if (strcmp(kdf, "argon2id13") != 0) {
        err_set("%s:6: kdf '%s' unknown (argon2id13 expected)", path, kdf);
        goto out;
    }
    if (seal_lines_int(L, 6, "opslimit", crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_OPSLIMIT_SENSITIVE, &ops) < 0 ||
        seal_lines_int(L, 7, "memlimit", crypto_pwhash_MEMLIMIT_MIN, crypto_pwhash_MEMLIMIT_SENSITIVE, &mem) < 0 ||
        seal_lines_b64(L, 8, "salt", salt, sizeof(salt)) < 0 || seal_lines_b64(L, 9, "nonce", nonce, sizeof(nonce)) < 0 ||
        seal_lines_b64(L, 10, "secret", ct, sizeof(ct)) < 0)
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
        rc = seal_write_new(path, b.s, b.len, 1);
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

    if (seal_start() < 0 || seal_lines_read(L, path, what) < 0)
        goto out;
    if (strcmp(L->line[0], PUB_MAGIC) != 0) {
        err_set("%s:1: not %s (it should start with '" PUB_MAGIC "')", path, what);
        goto out;
    }
    memset(p, 0, sizeof(*p));
    if (seal_lines_office(L, 1, p->office, p->level) < 0 ||
        seal_lines_b64(L, 3, "sign-public", p->sign_pk, sizeof(p->sign_pk)) < 0 ||
        seal_lines_b64(L, 4, "seal-public", p->box_pk, sizeof(p->box_pk)) < 0 || !(fpr = seal_lines_get(L, 5, "fingerprint")))
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

