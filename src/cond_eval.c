/* cond_eval — three-valued evaluation of parsed expressions over stored
 * values (codes, ISO dates, ASCII numbers).  Values are compared as numbers
 * when both sides are numbers, else as text, which orders ISO dates. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cond_node.h"
#include "util.h"

enum val_kind { V_NULL, V_NUM, V_STR, V_BOOL };

struct val {
    enum val_kind kind;
    double num;
    int truth;
    const char *str;        /* V_STR: borrowed from the tree or the lookup;
                               NULL: the text is in buf (values are copied) */
    char buf[24];
};

static const char *sv(const struct val *v)
{
    return v->str ? v->str : v->buf;
}

struct env {
    cond_lookup_fn get;
    void *ctx;
};

/* A plain decimal number: no hex, inf or nan that strtod would take. */
static int as_number(const char *s, double *out)
{
    char *end;
    const char *q = s;

    if (*q == '-' || *q == '+')
        q++;
    if (!((*q >= '0' && *q <= '9') || *q == '.'))
        return 0;
    for (; *q; q++)
        if (!((*q >= '0' && *q <= '9') || *q == '.'))
            return 0;
    *out = strtod(s, &end);
    return *end == '\0';
}

static int val_number(const struct val *v, double *out)
{
    if (v->kind == V_NUM) {
        *out = v->num;
        return 1;
    }
    if (v->kind == V_BOOL) {
        *out = v->truth;
        return 1;
    }
    return v->kind == V_STR && as_number(sv(v), out);
}

static enum cond_truth truth_of(const struct val *v)
{
    switch (v->kind) {
    case V_NULL:
        return COND_UNKNOWN;
    case V_BOOL:
        return v->truth ? COND_TRUE : COND_FALSE;
    case V_NUM:
        return v->num != 0 ? COND_TRUE : COND_FALSE;
    case V_STR:
        return *sv(v) && strcmp(sv(v), "0") != 0 ? COND_TRUE : COND_FALSE;
    }
    return COND_UNKNOWN;
}

static struct val v_bool(enum cond_truth t)
{
    struct val v = {0};

    if (t == COND_UNKNOWN)
        return v;
    v.kind = V_BOOL;
    v.truth = t == COND_TRUE;
    return v;
}

static struct val v_num(double d)
{
    struct val v = {0};

    v.kind = V_NUM;
    v.num = d;
    return v;
}

static int parse_date(const char *s, int *y, int *m, int *d)
{
    if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return 0;
    if (sscanf(s, "%4d-%2d-%2d", y, m, d) != 3)
        return 0;
    return *m >= 1 && *m <= 12 && *d >= 1 && *d <= 31;
}

static struct val eval(const struct cond *c, const struct env *e);

static struct val call(const struct cond *c, const struct env *e)
{
    struct val a = {0}, b = {0}, r = {0};
    int y1, m1, d1, y2, m2, d2;

    if (c->nargs > 0)
        a = eval(c->args[0], e);
    if (c->nargs > 1)
        b = eval(c->args[1], e);
    switch ((enum fn_kind)c->op) {
    case F_EMPTY:
        return v_bool(a.kind == V_NULL ? COND_TRUE : COND_FALSE);
    case F_CONTAINS: {
        /* Whole parts of a ';'-joined multi-choice value, never substrings. */
        const char *s, *want;
        size_t n;
        if (a.kind != V_STR || b.kind != V_STR)
            return r;
        want = sv(&b);
        n = strlen(want);
        for (s = sv(&a); *s; ) {
            size_t len = strcspn(s, ";");
            if (len == n && strncmp(s, want, n) == 0)
                return v_bool(COND_TRUE);
            s += len;
            if (*s == ';')
                s++;
        }
        return v_bool(COND_FALSE);
    }
    case F_AGE_YEARS:
        if (a.kind != V_STR || b.kind != V_STR || !parse_date(sv(&a), &y1, &m1, &d1) ||
            !parse_date(sv(&b), &y2, &m2, &d2))
            return r;
        return v_num(y2 - y1 - (m2 < m1 || (m2 == m1 && d2 < d1)));
    case F_TODAY:
        r.kind = V_STR;
        util_today(r.buf);
        return r;
    case F_COALESCE:
        if (a.kind != V_NULL)
            return a;
        return b;
    }
    return r;
}

static struct val eval(const struct cond *c, const struct env *e)
{
    struct val r = {0}, a, b;
    double x, y;
    enum cond_truth ta, tb;

    switch (c->kind) {
    case N_NUM:
        return v_num(c->num);
    case N_STR:
        r.kind = V_STR;
        r.str = c->str;
        return r;
    case N_FIELD:
        r.str = e->get(e->ctx, c->str);
        r.kind = util_empty(r.str) ? V_NULL : V_STR;
        return r;
    case N_CALL:
        return call(c, e);
    case N_NOT:
        a = eval(c->a, e);
        ta = truth_of(&a);
        return v_bool(ta == COND_UNKNOWN ? ta : ta == COND_TRUE ? COND_FALSE : COND_TRUE);
    case N_AND:
    case N_OR:
        a = eval(c->a, e);
        b = eval(c->b, e);
        ta = truth_of(&a);
        tb = truth_of(&b);
        if (c->kind == N_AND) {
            if (ta == COND_FALSE || tb == COND_FALSE)
                return v_bool(COND_FALSE);
            return v_bool(ta == COND_TRUE && tb == COND_TRUE ? COND_TRUE : COND_UNKNOWN);
        }
        if (ta == COND_TRUE || tb == COND_TRUE)
            return v_bool(COND_TRUE);
        return v_bool(ta == COND_FALSE && tb == COND_FALSE ? COND_FALSE : COND_UNKNOWN);
    case N_NEG:
        a = eval(c->a, e);
        if (!val_number(&a, &x))
            return r;
        return v_num(-x);
    case N_ARITH:
        a = eval(c->a, e);
        b = eval(c->b, e);
        if (!val_number(&a, &x) || !val_number(&b, &y))
            return r;
        return v_num(c->op == '+' ? x + y : c->op == '-' ? x - y : x * y);
    case N_CMP: {
        struct val ca = eval(c->a, e), cb = eval(c->b, e);
        int cmp;
        if (ca.kind == V_NULL || cb.kind == V_NULL)
            return r;
        if (val_number(&ca, &x) && val_number(&cb, &y))
            cmp = x < y ? -1 : x > y;
        else if (ca.kind == V_STR && cb.kind == V_STR)
            cmp = strcmp(sv(&ca), sv(&cb));
        else
            return r;
        switch ((enum cmp_op)c->op) {
        case OP_EQ: return v_bool(cmp == 0 ? COND_TRUE : COND_FALSE);
        case OP_NE: return v_bool(cmp != 0 ? COND_TRUE : COND_FALSE);
        case OP_LT: return v_bool(cmp < 0 ? COND_TRUE : COND_FALSE);
        case OP_LE: return v_bool(cmp <= 0 ? COND_TRUE : COND_FALSE);
        case OP_GT: return v_bool(cmp > 0 ? COND_TRUE : COND_FALSE);
        case OP_GE: return v_bool(cmp >= 0 ? COND_TRUE : COND_FALSE);
        }
        return r;
    }
    }
    return r;
}

enum cond_truth cond_eval(const struct cond *c, cond_lookup_fn get, void *ctx)
{
    struct env e = {get, ctx};
    struct val v = eval(c, &e);

    return truth_of(&v);
}

int cond_holds(const struct cond *c, cond_lookup_fn get, void *ctx)
{
    return cond_eval(c, get, ctx) == COND_TRUE;
}

char *cond_value_alloc(const struct cond *c, cond_lookup_fn get, void *ctx)
{
    struct env e = {get, ctx};
    struct val v = eval(c, &e);

    switch (v.kind) {
    case V_NULL:
        return NULL;
    case V_BOOL:
        return xstrdup(v.truth ? "1" : "0");
    case V_STR:
        return xstrdup(sv(&v));
    case V_NUM:
        break;
    }
    return xasprintf("%.15g", v.num);
}
