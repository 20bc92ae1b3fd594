/* util — process-wide helpers every module may use: fatal errors (die), checked
 * allocation, the last recoverable error message (err_set/err_msg), growable
 * string buffers and UTC timestamps.  No terminal, no database. */
#ifndef TIPDESK_UTIL_H
#define TIPDESK_UTIL_H

#include <stdarg.h>
#include <stddef.h>

#if defined(__GNUC__)
#define PRINTF_LIKE(a, b) __attribute__((format(printf, a, b)))
#define NORETURN __attribute__((noreturn))
#else
#define PRINTF_LIKE(a, b)
#define NORETURN
#endif

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* Called by die() before printing, so the UI can give the terminal back. */
extern void (*die_hook)(void);

/* Fatal error: runs die_hook, prints "tipdesk: MESSAGE" on stderr, exits 1. */
void die(const char *fmt, ...) PRINTF_LIKE(1, 2) NORETURN;

/* Allocation that never returns NULL (dies instead). */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* A newly allocated formatted string; the caller frees it. */
char *xasprintf(const char *fmt, ...) PRINTF_LIKE(1, 2);

/* Records a recoverable error message for the caller to show; returns -1 so
 * that `return err_set(...)` reads naturally. */
int err_set(const char *fmt, ...) PRINTF_LIKE(1, 2);
/* The last message set by err_set; valid until the next err_set. */
const char *err_msg(void);
void err_clear(void);

/* A growable NUL-terminated string. Zero-initialise before use. */
struct sbuf {
    char *s;
    size_t len, cap;
};
void sbuf_add(struct sbuf *b, const char *s);
void sbuf_addn(struct sbuf *b, const char *s, size_t n);
void sbuf_addc(struct sbuf *b, char c);
void sbuf_addf(struct sbuf *b, const char *fmt, ...) PRINTF_LIKE(2, 3);
void sbuf_reset(struct sbuf *b);
/* Always a valid string ("" when empty); borrowed until the next change. */
const char *sbuf_str(const struct sbuf *b);
void sbuf_free(struct sbuf *b);

/* The current UTC time as "YYYY-MM-DDTHH:MM:SSZ" (buf holds >= 21 bytes). */
void util_now_iso(char buf[21]);
/* Today's UTC date as "YYYY-MM-DD" (buf holds >= 11 bytes). */
void util_today(char buf[11]);

/* True when S is NULL or "". */
int util_empty(const char *s);

/* Parses a whole decimal integer (no octal, no trailing junk); 0 on success. */
int util_parse_long(const char *s, long *out);

/* A random UUID v4 string (buf holds >= 37 bytes). */
void util_uuid4(char buf[37]);
/* Formats 16 random bytes as a UUID v4 string (the version and variant bits
 * are set here); for reproducible ids from a seeded generator. */
void util_uuid_format(unsigned char r[16], char buf[37]);

/* Pseudonyms for de-identified files: a new random secret for each export,
 * and the key of V under it, shaped as a UUID v4 (a keyed BLAKE2b hash: the
 * same V gives the same key under one secret, nothing links keys made under
 * two, and no key leads back to V). */
#define UTIL_SECRET_LEN 32
void util_pseudonym_secret(unsigned char secret[UTIL_SECRET_LEN]);
void util_pseudonym(const unsigned char secret[UTIL_SECRET_LEN], const char *v, char out[37]);

/* mkdir -p: creates PATH and its missing parents, private to the user
 * (0700: they hold personal data); 0 or -1 with err set. */
int util_mkdirs(const char *path);
/* The folder part of PATH: "." when it has none, "/" for a file at the
 * root.  The caller frees. */
char *util_dir_alloc(const char *path);

/* Appends V to B as one RFC 4180 CSV field (quoted when it holds a comma,
 * quote or line break); NULL appends nothing (an empty field). */
void util_csv_field(struct sbuf *b, const char *v);
/* util_csv_field for a file opened in a spreadsheet: a value that would run
 * as a formula (it starts with = + - @, tab or CR and is not a plain number
 * like -12.5) gets a leading '.  TEXT (a text column): digits only that the
 * spreadsheet would turn into a number (a leading zero, or more than 15
 * digits) are written as the formula ="0205..." so they stay as typed. */
void util_csv_field_sheet(struct sbuf *b, const char *v, int text);

/* Appends S to B as one JSON string: quote and backslash escaped, newline
 * and tab as \n and \t, other control characters as \u00XX, each byte that
 * is not part of valid UTF-8 as \ufffd (so the output is always valid JSON);
 * NULL appends null. */
void util_json_string(struct sbuf *b, const char *s);

/* Reads a whole file; returns NULL and sets err on failure. Caller frees. */
char *util_read_file(const char *path, size_t *len);

/* S (NULL: "") made safe to print in a message: control bytes (below 0x20,
 * 0x7f, and C1 controls U+0080-U+009F) and bytes that are not valid UTF-8
 * become \xNN, so text from a file or a file name cannot move the cursor,
 * set the title or write the clipboard; valid UTF-8 (Lao) stays as it is.
 * Past UTIL_PRINTABLE_MAX bytes of output it ends with "...".  Borrowed:
 * one of four static buffers, valid until the fourth call after. */
#define UTIL_PRINTABLE_MAX 480
const char *util_printable(const char *s);

/* What a file of mode M is, for a message ("a folder", "a named pipe
 * (FIFO)", "a device", ...), when it is not a regular file. */
const char *util_file_kind(unsigned int m);

#endif
