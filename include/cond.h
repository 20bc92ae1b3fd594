/* cond — the small expression language of the forms folder: relevance (skip
 * logic), cross-field checks and computed fields.  An expression is parsed
 * once into a tree and evaluated against a lookup callback (field id →
 * stored value or NULL).
 *
 * Grammar: or-expr of and-expr of [not] comparison; comparison is
 * sum (= != < <= > >=) sum, or `x is [not] empty`; sum is product (+ -)
 * product; product is atom (*) atom; atom is a number, a 'string' (also
 * dates 'YYYY-MM-DD'), a field id, ( expr ), or a call: empty(x),
 * contains(multi, 'Code'), age_years(from, to), today(), coalesce(x, y).
 *
 * Three-valued logic: a comparison or arithmetic with an empty field is
 * UNKNOWN; `and`/`or`/`not` follow Kleene (false and unknown = false, true or
 * unknown = true).  A field is relevant only when its condition is TRUE; a
 * check fires only when its condition is FALSE, so a check never fires on
 * fields that are still empty (say so with empty(x) when it should). */
#ifndef TIPDESK_COND_H
#define TIPDESK_COND_H

#include <stddef.h>

struct cond;

enum cond_truth { COND_FALSE = 0, COND_TRUE = 1, COND_UNKNOWN = -1 };

/* The stored value of field ID (NULL or "" when empty), borrowed at least
 * until the evaluation returns. */
typedef const char *(*cond_lookup_fn)(void *ctx, const char *id);

/* Parses SRC.  NULL with err "at 14: expected a value after '='" (positions
 * count characters from 1) on a syntax error.  Free with cond_free. */
struct cond *cond_parse(const char *src);
void cond_free(struct cond *c);

/* TRUE, FALSE or UNKNOWN as above; a value that is not a truth (a number or
 * text) is TRUE when non-empty and not 0. */
enum cond_truth cond_eval(const struct cond *c, cond_lookup_fn get, void *ctx);
/* 1 when C is TRUE, 0 when FALSE or UNKNOWN (relevance). */
int cond_holds(const struct cond *c, cond_lookup_fn get, void *ctx);
/* The value of C as stored text (numbers without needless decimals: "12",
 * "2.5"; truths "1"/"0"), or NULL when unknown.  Caller frees. */
char *cond_value_alloc(const struct cond *c, cond_lookup_fn get, void *ctx);

/* Calls FN for every field id C mentions (repeats included); for checking
 * forms against their fields and for choosing which field a check points at. */
void cond_each_field(const struct cond *c, void (*fn)(void *arg, const char *id), void *arg);

#endif
