/* seal_priv — what the seal*.c files share: the strict reader of the
 * line-based files (key files, public key files, receipts, the envelope's
 * header), base64 lines and 0600 file writing.  Not for other modules. */
#ifndef TIPDESK_SEAL_PRIV_H
#define TIPDESK_SEAL_PRIV_H

#include <stddef.h>
#include <stdint.h>

struct sbuf;

#define TEXT_MAX 4096           /* no key file or receipt is longer */
#define LINES_MAX 16

/* A file of printable ASCII lines, read whole, split in place. */
struct lines {
    const char *path;
    char buf[TEXT_MAX + 1];
    char raw[TEXT_MAX + 1];     /* the bytes as read, for signatures and associated data */
    size_t len;
    char *line[LINES_MAX];
    size_t off[LINES_MAX];      /* where each line starts in raw */
    int n;
};

/* sodium_init, or -1 with err set. */
int seal_start(void);
/* Reads at most TEXT_MAX bytes of PATH: printable ASCII lines, each ending
 * in a newline, at most LINES_MAX of them; errors name PATH:LINE and WHAT
 * the file should have been.  0 or -1. */
int seal_lines_read(struct lines *L, const char *path, const char *what);
/* The value of line I, which must read "KEY value"; NULL with err set. */
const char *seal_lines_get(struct lines *L, int i, const char *key);
/* Line I as base64 of exactly N bytes, a number from LO to HI, a string
 * shorter than N, or an office and its level (lines I and I+1).  0 or -1. */
int seal_lines_b64(struct lines *L, int i, const char *key, unsigned char *out, size_t n);
int seal_lines_int(struct lines *L, int i, const char *key, int64_t lo, int64_t hi, int64_t *out);
int seal_lines_str(struct lines *L, int i, const char *key, char *out, size_t n);
int seal_lines_office(struct lines *L, int i, char *office, char *level);
/* Appends "KEY base64\n" to B. */
void seal_add_b64(struct sbuf *b, const char *key, const unsigned char *p, size_t n);
/* Writes N bytes to the new file PATH (0600), synced; REPLACE goes through a
 * temporary name and a rename.  0 or -1. */
int seal_write_new(const char *path, const char *p, size_t n, int replace);

#endif
