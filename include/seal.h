/* seal — trust between offices, all through libsodium: the office's key file
 * (Ed25519 signing and X25519 sealing pairs, the secret halves encrypted
 * under a passphrase with Argon2id), the public key files carried between
 * offices, the sealed and signed bundle envelope, and signed receipts.
 * Every file it reads is treated as hostile.  No database, no terminal. */
#ifndef TIPDESK_SEAL_H
#define TIPDESK_SEAL_H

#include <stdint.h>

/* The first bytes of a sealed bundle and of a receipt. */
#define SEAL_MAGIC "TIPDSEAL1\n"
#define SEAL_RECEIPT_MAGIC "tipdesk-receipt 1\n"

/* An office's public keys, as registered at other offices. */
struct seal_pub {
    char office[16];
    char level[12];
    unsigned char sign_pk[32];  /* Ed25519 */
    unsigned char box_pk[32];   /* X25519 */
    char fpr[32];               /* "3f2a 9c1d 0b7e 44a1 e0c2", to compare by phone */
};

/* The office's unlocked keys; wiped by seal_keys_free. */
struct seal_keys {
    struct seal_pub pub;
    unsigned char sign_sk[64];
    unsigned char box_sk[32];
};

/* What the envelope says in clear, all of it signed. */
struct seal_head {
    char from[16], level[12], to[16];
    int64_t seq;
    char created[24];
    char checksum[65];          /* the bundle's own content checksum */
};

/* A receipt: what an office did with a bundle it received. */
struct seal_receipt {
    char by[16];                /* the receiving office, which signs it */
    char office[16];            /* the office that sent the bundle */
    int64_t seq;
    char checksum[65];
    char result[16];            /* "imported" or "already" */
    int64_t inserted, updated, unchanged, conflicts;
    char at[24];
    char body[1024];            /* the signed text (filled by seal_receipt_read) */
    unsigned char sig[64];
};

/* 1 when CODE is a P-code (LA, LA##, LA####) whose shape is LEVEL (centre,
 * province, district); 0 otherwise. */
int seal_office_ok(const char *code, const char *level);

/* Fills P->fpr from its office, level and keys. */
void seal_fingerprint(struct seal_pub *p);

/* Makes new key pairs for OFFICE and writes them to PATH (created 0600, must
 * not exist), the secret keys encrypted under PASS with Argon2id at the
 * MODERATE limits (256 MiB, 3 passes) or INTERACTIVE ones (64 MiB, 2 passes)
 * when FAST.  Fills PUB.  0 or -1 with err set (nothing left behind). */
int seal_keys_create(const char *path, const char *office, const char *level, const char *pass,
                     int fast, struct seal_pub *pub);
/* Encrypts the secret keys of the key file PATH under the passphrase PASS
 * instead of OLD (limits as above), replacing the file by a rename; the
 * keys, so the fingerprint in PUB, stay the same.  A wrong OLD leaves the
 * file as it was.  0 or -1 with err set. */
int seal_keys_repass(const char *path, const char *old, const char *pass, int fast, struct seal_pub *pub);
/* Reads the public half of the key file PATH (no passphrase).  0 or -1. */
int seal_keys_read_pub(const char *path, struct seal_pub *pub);
/* Decrypts the key file PATH with PASS; NULL with err set (wrong passphrase,
 * damaged file).  Free with seal_keys_free. */
struct seal_keys *seal_keys_unlock(const char *path, const char *pass);
void seal_keys_free(struct seal_keys *k);

/* Writes P as a public key file to PATH (NULL: stdout).  0 or -1. */
int seal_pub_write(const struct seal_pub *p, const char *path);
/* Reads a public key file strictly; errors name PATH:LINE.  0 or -1. */
int seal_pub_read(const char *path, struct seal_pub *p);

/* 1 when FILE starts with MAGIC, 0 when not, -1 with err set when it
 * cannot be read. */
int seal_file_starts(const char *file, const char *magic);

/* Encrypts the file PLAIN for the office TO (a random content key sealed to
 * its X25519 key, the content in XChaCha20-Poly1305 secretstream chunks with
 * the header as associated data) and signs header and ciphertext with K
 * (Ed25519ph), writing OUT (created 0600, must not exist).  0 or -1. */
int seal_file(const char *plain, const char *out, const struct seal_keys *k,
              const struct seal_pub *to, const struct seal_head *h);
/* Reads the clear header of the sealed FILE (not yet trusted).  0 or -1. */
int seal_read_head(const char *file, struct seal_head *h);
/* Checks the sealed FILE's signature against FROM and decrypts it with K
 * into OUT (created 0600, must not exist; removed on failure).  0 or -1
 * with err naming the office. */
int seal_open_file(const char *file, const struct seal_keys *k, const struct seal_pub *from,
                   const char *out);

/* Writes R signed by K to PATH (replaced atomically, 0600).  0 or -1. */
int seal_receipt_write(const char *path, const struct seal_receipt *r, const struct seal_keys *k);
/* Reads a receipt strictly (signature not yet checked).  0 or -1. */
int seal_receipt_read(const char *path, struct seal_receipt *r);
/* 0 when R's signature is BY's, else -1 with err set. */
int seal_receipt_verify(const struct seal_receipt *r, const struct seal_pub *by);

#endif
