/* cond — the recursive-descent parser of the forms' expressions: tokens,
 * precedence (or < and < not < comparison < + - < *), calls, and error
 * messages with the character position where something was expected. */
#include "cond.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cond_node.h"
#include "text.h"
#include "util.h"

static const struct {
    const char *name;
    enum fn_kind fn;
    int nargs;
} functions[] = {
    {"empty", F_EMPTY, 1}, {"contains", F_CONTAINS, 2}, {"age_years", F_AGE_YEARS, 2},
    {"today", F_TODAY, 0}, {"coalesce", F_COALESCE, 2},
};

/* ---- parsing ---- */

enum tok_kind { T_END, T_NUM, T_STR, T_ID, T_OP, T_BAD };

struct parser {
    const char *src;
    size_t pos;             /* byte offset of the next token */
    enum tok_kind kind;
    size_t start, len;      /* the current token */
    size_t prev_start, prev_len;
    int failed;
};

/* Positions in messages count characters from 1, so Lao text counts right. */
static size_t column(const struct parser *p, size_t off)
{
    char *head = xstrndup(p->src, off);
    size_t n = text_cp_count(head) + 1;

    free(head);
    return n;
}

static void fail_at(struct parser *p, size_t off, const char *what)
{
    if (p->failed)
        return;
    p->failed = 1;
    err_set("at %zu: %s", column(p, off), what);
}

static int is_id(char c, int first)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
           (!first && ((c >= '0' && c <= '9') || c == ':'));
}

static void next(struct parser *p)
{
    const char *s = p->src;
    size_t i = p->pos;

    p->prev_start = p->start;
    p->prev_len = p->len;
    while (s[i] == ' ' || s[i] == '\t')
        i++;
    p->start = i;
    if (!s[i]) {
        p->kind = T_END;
    } else if ((s[i] >= '0' && s[i] <= '9') || (s[i] == '.' && s[i + 1] >= '0' && s[i + 1] <= '9')) {
        while ((s[i] >= '0' && s[i] <= '9') || s[i] == '.')
            i++;
        p->kind = T_NUM;
    } else if (s[i] == '\'') {
        for (i++; s[i] && s[i] != '\''; i++)
            ;
        if (!s[i]) {
            p->kind = T_BAD;
            fail_at(p, p->start, "unterminated string: add the closing '");
            p->pos = i;
            p->len = i - p->start;
            return;
        }
        i++;
        p->kind = T_STR;
    } else if (is_id(s[i], 1)) {
        while (is_id(s[i], 0))
            i++;
        p->kind = T_ID;
    } else if ((s[i] == '!' || s[i] == '<' || s[i] == '>') && s[i + 1] == '=') {
        i += 2;
        p->kind = T_OP;
    } else if (strchr("=<>+-*(),", s[i])) {
        i++;
        p->kind = T_OP;
    } else {
        p->kind = T_BAD;
        i += text_next_cluster(s, strlen(s), i) - i;
    }
    p->len = i - p->start;
    p->pos = i;
}

static int is(const struct parser *p, const char *text)
{
    return (p->kind == T_OP || p->kind == T_ID) && strlen(text) == p->len &&
           strncmp(p->src + p->start, text, p->len) == 0;
}

static struct cond *node(enum node_kind k)
{
    struct cond *c = xcalloc(1, sizeof(*c));
    c->kind = k;
    return c;
}

static struct cond *parse_or(struct parser *p);

/* "expected a value after '='" names what came before. */
static void expected(struct parser *p, const char *what)
{
    char *msg;

    if (p->kind == T_BAD && p->failed)
        return;
    if (p->prev_len)
        msg = xasprintf("expected %s after '%.*s'", what, (int)p->prev_len, p->src + p->prev_start);
    else
        msg = xasprintf("expected %s", what);
    fail_at(p, p->start, msg);
    free(msg);
}

static struct cond *parse_call(struct parser *p, const char *name, size_t at)
{
    struct cond *c;
    size_t i;
    int n = 0;

    for (i = 0; i < ARRAY_LEN(functions); i++)
        if (strcmp(functions[i].name, name) == 0)
            break;
    if (i == ARRAY_LEN(functions)) {
        char *msg = xasprintf("unknown function '%s' (known: empty, contains, age_years, today, coalesce)", name);
        fail_at(p, at, msg);
        free(msg);
        return NULL;
    }
    c = node(N_CALL);
    c->op = (int)functions[i].fn;
    next(p);                                    /* past '(' */
    while (!is(p, ")")) {
        if (n > 0) {
            if (!is(p, ",")) {
                expected(p, "',' or ')'");
                goto bad;
            }
            next(p);
        }
        if (n == 2) {
            fail_at(p, p->start, "too many values for the function");
            goto bad;
        }
        c->args[n] = parse_or(p);
        if (!c->args[n])
            goto bad;
        c->nargs = ++n;
    }
    if (n != functions[i].nargs) {
        char *msg = xasprintf("%s() takes %d value%s", name, functions[i].nargs,
                              functions[i].nargs == 1 ? "" : "s");
        fail_at(p, at, msg);
        free(msg);
        goto bad;
    }
    next(p);
    return c;
bad:
    cond_free(c);
    return NULL;
}

static struct cond *parse_atom(struct parser *p)
{
    struct cond *c;

    if (p->kind == T_NUM) {
        char *t = xstrndup(p->src + p->start, p->len), *end;
        c = node(N_NUM);
        c->num = strtod(t, &end);
        if (*end) {
            fail_at(p, p->start, "not a number");
            free(t);
            cond_free(c);
            return NULL;
        }
        free(t);
        next(p);
        return c;
    }
    if (p->kind == T_STR) {
        c = node(N_STR);
        c->str = xstrndup(p->src + p->start + 1, p->len - 2);
        next(p);
        return c;
    }
    if (is(p, "(")) {
        next(p);
        c = parse_or(p);
        if (!c)
            return NULL;
        if (!is(p, ")")) {
            expected(p, "')'");
            cond_free(c);
            return NULL;
        }
        next(p);
        return c;
    }
    if (p->kind == T_ID && !is(p, "and") && !is(p, "or") && !is(p, "not") && !is(p, "is")) {
        char *id = xstrndup(p->src + p->start, p->len);
        size_t at = p->start;
        next(p);
        if (is(p, "(")) {
            c = parse_call(p, id, at);
            free(id);
            return c;
        }
        c = node(N_FIELD);
        c->str = id;
        return c;
    }
    expected(p, "a value");
    return NULL;
}

static struct cond *parse_unary(struct parser *p)
{
    if (is(p, "-")) {
        struct cond *c = node(N_NEG);
        next(p);
        c->a = parse_unary(p);
        if (!c->a) {
            cond_free(c);
            return NULL;
        }
        return c;
    }
    return parse_atom(p);
}

/* Left-associative binary levels share one loop. */
static struct cond *binary(struct parser *p, struct cond *(*sub)(struct parser *),
                           const char *const *ops, enum node_kind k)
{
    struct cond *c = sub(p);

    while (c) {
        int i, op = -1;
        for (i = 0; ops[i]; i++)
            if (is(p, ops[i]))
                op = i;
        if (op < 0)
            break;
        struct cond *n = node(k);
        n->op = ops[op][0];
        n->a = c;
        next(p);
        n->b = sub(p);
        if (!n->b) {
            cond_free(n);
            return NULL;
        }
        c = n;
    }
    return c;
}

static struct cond *parse_prod(struct parser *p)
{
    static const char *const ops[] = {"*", NULL};
    return binary(p, parse_unary, ops, N_ARITH);
}

static struct cond *parse_sum(struct parser *p)
{
    static const char *const ops[] = {"+", "-", NULL};
    return binary(p, parse_prod, ops, N_ARITH);
}

static struct cond *parse_cmp(struct parser *p)
{
    static const char *const ops[] = {"=", "!=", "<", "<=", ">", ">="};
    struct cond *a = parse_sum(p), *c;
    size_t i;

    if (!a)
        return NULL;
    if (is(p, "is")) {
        int neg = 0;
        next(p);
        if (is(p, "not")) {
            neg = 1;
            next(p);
        }
        if (!is(p, "empty")) {
            expected(p, "'empty'");
            cond_free(a);
            return NULL;
        }
        next(p);
        c = node(N_CALL);
        c->op = F_EMPTY;
        c->args[0] = a;
        c->nargs = 1;
        if (neg) {
            struct cond *n = node(N_NOT);
            n->a = c;
            c = n;
        }
        return c;
    }
    for (i = 0; i < ARRAY_LEN(ops); i++)
        if (is(p, ops[i]))
            break;
    if (i == ARRAY_LEN(ops))
        return a;
    c = node(N_CMP);
    c->op = (int)i;
    c->a = a;
    next(p);
    c->b = parse_sum(p);
    if (!c->b) {
        cond_free(c);
        return NULL;
    }
    return c;
}

static struct cond *parse_not(struct parser *p)
{
    if (is(p, "not")) {
        struct cond *c = node(N_NOT);
        next(p);
        c->a = parse_not(p);
        if (!c->a) {
            cond_free(c);
            return NULL;
        }
        return c;
    }
    return parse_cmp(p);
}

static struct cond *parse_and(struct parser *p)
{
    static const char *const ops[] = {"and", NULL};
    return binary(p, parse_not, ops, N_AND);
}

static struct cond *parse_or(struct parser *p)
{
    static const char *const ops[] = {"or", NULL};
    return binary(p, parse_and, ops, N_OR);
}

struct cond *cond_parse(const char *src)
{
    struct parser p = {0};
    struct cond *c;

    p.src = src;
    next(&p);
    if (p.kind == T_END) {
        err_set("at 1: expected a condition, found nothing");
        return NULL;
    }
    c = parse_or(&p);
    if (c && p.kind != T_END) {
        char *msg = xasprintf("expected 'and', 'or' or the end, found '%.*s'",
                              (int)p.len, p.src + p.start);
        fail_at(&p, p.start, msg);
        free(msg);
        cond_free(c);
        return NULL;
    }
    return c;
}

void cond_free(struct cond *c)
{
    if (!c)
        return;
    cond_free(c->a);
    cond_free(c->b);
    cond_free(c->args[0]);
    cond_free(c->args[1]);
    free(c->str);
    free(c);
}

void cond_each_field(const struct cond *c, void (*fn)(void *arg, const char *id), void *arg)
{
    if (!c)
        return;
    if (c->kind == N_FIELD)
        fn(arg, c->str);
    cond_each_field(c->a, fn, arg);
    cond_each_field(c->b, fn, arg);
    cond_each_field(c->args[0], fn, arg);
    cond_each_field(c->args[1], fn, arg);
}
