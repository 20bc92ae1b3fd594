/* text — UTF-8 without the C locale: decoding and encoding code points,
 * validity, display width (Lao and Thai vowel and tone marks take no column,
 * CJK takes two), grapheme clusters (a base and its following zero-width
 * marks), fitting a string to a column width, Lao digits, and the
 * comparisons that pickers and CSV import need.  No allocation unless a
 * function's name ends in _alloc. */
#ifndef TIPDESK_TEXT_H
#define TIPDESK_TEXT_H

#include <stddef.h>
#include <stdint.h>

/* Decodes the code point at S (at most N bytes): returns its length 1..4 and
 * sets *CP; 0 when N is 0; -1 for an invalid or truncated sequence (then *CP
 * is U+FFFD and the caller skips one byte). */
int text_decode(const char *s, size_t n, uint32_t *cp);
/* Encodes CP into BUF: returns the length 1..4, 0 for a surrogate or > U+10FFFF. */
int text_encode(uint32_t cp, char buf[4]);
/* 1 when the N bytes at S are valid UTF-8 (no overlong forms, surrogates or
 * code points above U+10FFFF), else 0. */
int text_valid_n(const char *s, size_t n);
/* text_valid_n over a NUL-terminated string. */
int text_valid(const char *s);

/* Columns CP takes on a terminal: 0 for combining marks (Lao U+0EB1,
 * U+0EB4–U+0EBC, U+0EC8–U+0ECD, Thai, Latin combining), zero-width joiners
 * and controls; 2 for East Asian wide; 1 otherwise. */
int text_cp_width(uint32_t cp);
/* 1 when CP joins the cluster before it (a zero-width mark). */
int text_cp_is_mark(uint32_t cp);
/* Display width of the N bytes at S (an invalid byte counts 1 column). */
int text_width_n(const char *s, size_t n);
/* Display width of a NUL-terminated string. */
int text_width(const char *s);
/* Number of code points in S (an invalid byte counts as one). */
size_t text_cp_count(const char *s);

/* Byte offset of the cluster boundary after OFF in S (LEN bytes); LEN at the end. */
size_t text_next_cluster(const char *s, size_t len, size_t off);
/* Byte offset of the cluster boundary before OFF; 0 at the start. */
size_t text_prev_cluster(const char *s, size_t len, size_t off);
/* Byte offset where the code point ending at OFF starts; 0 at the start. */
size_t text_prev_cp(const char *s, size_t off);

/* Bytes of the longest prefix of S (LEN bytes) that fits in COLS columns,
 * cut on a cluster boundary; *WIDTH (may be NULL) gets its width. */
size_t text_fit(const char *s, size_t len, int cols, int *width);
/* S cut to COLS columns on a cluster boundary (ending in "…" when ELLIPSIS
 * and something was cut) and padded with spaces to exactly COLS columns.
 * For table cells.  Caller frees. */
char *text_fit_alloc(const char *s, int cols, int ellipsis);

/* A copy of S with the Lao digits ໐–໙ (U+0ED0–U+0ED9) turned into 0–9.  Caller frees. */
char *text_lao_digits_alloc(const char *s);
/* Compares A and B with ASCII letters folded to lower case; other bytes as is. */
int text_casecmp(const char *a, const char *b);
/* 1 when NEEDLE occurs in HAY, ASCII letters case-insensitively and every
 * other character (Lao included) exactly; an empty NEEDLE matches all. */
int text_contains(const char *hay, const char *needle);

#endif
