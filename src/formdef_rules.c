/* formdef_rules — what the forms decide about a record: values of fields
 * (including screening items kept as child rows), relevance, computed
 * fields, the protocol screening and validation with bilingual messages. */
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cond.h"
#include "formdef_priv.h"
#include "record.h"
#include "text.h"
#include "util.h"

/* For "table:item" columns: the child table and the item code. */
static int item_column(const struct field *f, char **table, const char **item)
{
    const char *colon = strchr(f->column, ':');

    if (!colon)
        return 0;
    *table = xstrndup(f->column, (size_t)(colon - f->column));
    *item = colon + 1;
    return 1;
}

static struct rec *item_row(const struct rec *r, const char *table, const char *item)
{
    size_t i;

    for (i = 0; i < r->nkids; i++) {
        const char *it = rec_get(r->kids[i], "item");
        if (strcmp(r->kids[i]->table, table) == 0 && it && strcmp(it, item) == 0)
            return r->kids[i];
    }
    return NULL;
}

const char *form_value(const struct form *fm, const struct field *f, const struct rec *r)
{
    char *table;
    const char *item, *v = NULL;
    struct rec *row;

    (void)fm;
    if (!item_column(f, &table, &item))
        return rec_get(r, f->column);
    row = item_row(r, table, item);
    if (row)
        v = rec_get(row, "answer");
    free(table);
    return v;
}

void form_set_value(const struct form *fm, const struct field *f, struct rec *r, const char *v)
{
    char *table;
    const char *item;
    struct rec *row;

    (void)fm;
    if (!item_column(f, &table, &item)) {
        rec_set(r, f->column, v);
        return;
    }
    row = item_row(r, table, item);
    if (!row && !util_empty(v)) {
        row = rec_kid_add(r, table);
        rec_set(row, "item", item);
    }
    if (row)
        rec_set(row, "answer", v);
    free(table);
}

struct lookup_ctx {
    const struct form *fm;
    const struct rec *r;
};

/* Field ids of the form, then the record's own columns (status). */
static const char *lookup(void *arg, const char *id)
{
    struct lookup_ctx *lc = arg;
    int i = form_field_index(lc->fm, id);

    if (i >= 0)
        return form_value(lc->fm, &lc->fm->fields[i], lc->r);
    return rec_get(lc->r, id);
}

int form_relevant(const struct form *fm, const struct field *f, const struct rec *r)
{
    struct lookup_ctx lc = {fm, r};

    return !f->relevant || cond_holds(f->relevant, lookup, &lc);
}

static const char *by_id(const struct form *fm, const struct rec *r, const char *id)
{
    int i = form_field_index(fm, id);

    return i >= 0 ? form_value(fm, &fm->fields[i], r) : rec_get(r, id);
}

/* Age in years from birth date and registration date (or today), else the
 * age field; -1 when unknown. */
static long age_of(const struct form *fm, const struct rec *r)
{
    const char *b = by_id(fm, r, "birth_date"), *at = by_id(fm, r, "registered_on");
    char today[11];
    long a;

    if (!at) {
        util_today(today);
        at = today;
    }
    if (b && strlen(b) == 10 && strlen(at) == 10) {
        int y1, m1, d1, y2, m2, d2;
        if (sscanf(b, "%4d-%2d-%2d", &y1, &m1, &d1) == 3 && sscanf(at, "%4d-%2d-%2d", &y2, &m2, &d2) == 3)
            return y2 - y1 - (m2 < m1 || (m2 == m1 && d2 < d1));
    }
    if (util_parse_long(by_id(fm, r, "age") ? by_id(fm, r, "age") : "", &a) == 0)
        return a;
    return -1;
}

void form_screening(const struct form *fm, const struct rec *r, struct screening *out)
{
    static const char *const prefix[] = {"act_", "means_", "purpose_"};
    int state[3];
    size_t g, i;
    long age = age_of(fm, r);

    for (g = 0; g < 3; g++) {
        int yes = 0, all_no = 1, any = 0;
        for (i = 0; i < fm->nfields; i++) {
            const char *colon = strchr(fm->fields[i].column, ':'), *v;
            if (!colon || strncmp(colon + 1, prefix[g], strlen(prefix[g])) != 0)
                continue;
            any = 1;
            v = form_value(fm, &fm->fields[i], r);
            if (v && strcmp(v, "Yes") == 0)
                yes = 1;
            if (!v || strcmp(v, "No") != 0)
                all_no = 0;
        }
        state[g] = yes ? 1 : (any && all_no) ? 0 : -1;
    }
    out->act = state[0];
    out->means = state[1];
    out->purpose = state[2];
    out->child = age < 0 ? -1 : age < 18;
    /* Children: act and purpose suffice; the means are irrelevant. */
    if (out->act == 1 && out->purpose == 1 && (out->means == 1 || out->child == 1))
        out->result = "PossibleVictim";
    else if (out->act == 0 || out->purpose == 0 || (out->means == 0 && out->child == 0))
        out->result = "NotIndicated";
    else
        out->result = "Inconclusive";
}

static char *calc(const struct form *fm, const struct field *f, const struct rec *r)
{
    struct lookup_ctx lc = {fm, r};
    struct screening s;
    long age, n, sum = 0;
    double pre, post;
    int any = 0;
    size_t i;
    static const char *const parts[] = {"participants_f", "participants_m", "participants_u"};

    switch (f->calc) {
    case FC_EXPR:
        return cond_value_alloc(f->compute, lookup, &lc);
    case FC_AGE_GROUP:
        age = age_of(fm, r);
        return xstrdup(age < 0 ? "Unknown" : age < 18 ? "Child" : "Adult");
    case FC_PARTICIPANTS_TOTAL:
        /* A head-count alone stays as typed; once parts are given they decide. */
        for (i = 0; i < ARRAY_LEN(parts); i++)
            if (util_parse_long(by_id(fm, r, parts[i]) ? by_id(fm, r, parts[i]) : "", &n) == 0) {
                sum += n;
                any = 1;
            }
        return any ? xasprintf("%ld", sum) : NULL;
    case FC_SCORE_GAIN:
        if (!by_id(fm, r, "pre_score") || !by_id(fm, r, "post_score"))
            return NULL;
        pre = strtod(by_id(fm, r, "pre_score"), NULL);
        post = strtod(by_id(fm, r, "post_score"), NULL);
        return xasprintf("%.15g", post - pre);
    case FC_SCREENING_RESULT:
        form_screening(fm, r, &s);
        return xstrdup(s.result);
    case FC_NONE:
        break;
    }
    return NULL;
}

void form_compute(const struct form *fm, struct rec *r)
{
    size_t i;

    for (i = 0; i < fm->nfields; i++) {
        const struct field *f = &fm->fields[i];
        char *v;
        if (!f->calc)
            continue;
        v = calc(fm, f, r);
        if (v || f->calc != FC_PARTICIPANTS_TOTAL)
            form_set_value(fm, f, r, v);
        free(v);
    }
}

void form_hiddens_free(struct form_hiddens *out)
{
    size_t i;

    for (i = 0; i < out->n; i++) {
        free(out->v[i].value);
        free(out->v[i].why);
    }
    free(out->v);
    memset(out, 0, sizeof(*out));
}

/* V as a message quotes it: a long text cut to 40 columns, ending in "…". */
static char *shown_alloc(const char *v)
{
    size_t n = text_fit(v, strlen(v), 40, NULL);

    return n < strlen(v) ? xasprintf("%.*s…", (int)n, v) : xstrdup(v);
}

struct why_ctx {
    const struct form *fm;
    const struct rec *r;
    const struct form_hiddens *out;
    size_t first;               /* OUT's entries of this walk start here */
    int kid;
    struct sbuf *b;
    const char *seen[16];       /* ids already said */
    size_t nseen;
};

/* Says what field ID holds; personal and free-text values are not quoted
 * (tipdesk check prints this without a login). */
static void why_one(void *arg, const char *id)
{
    struct why_ctx *w = arg;
    int i = form_field_index(w->fm, id);
    const struct field *f = i >= 0 ? &w->fm->fields[i] : NULL;
    const char *v = f ? form_value(w->fm, f, w->r) : rec_get(w->r, id);
    size_t k;

    for (k = 0; k < w->nseen; k++)
        if (strcmp(w->seen[k], id) == 0)
            return;
    if (w->nseen == ARRAY_LEN(w->seen))
        return;
    w->seen[w->nseen++] = id;
    sbuf_addf(w->b, "%s%s is ", w->nseen > 1 ? ", " : "", id);
    for (k = w->first; !v && f && k < w->out->n; k++)
        if (w->out->v[k].f == f && w->out->v[k].kid == w->kid) {
            sbuf_add(w->b, "not asked either");
            return;
        }
    if (!v)
        sbuf_add(w->b, "empty");
    else if (f && (f->pii || f->type == FT_TEXT || f->type == FT_LONGTEXT))
        sbuf_add(w->b, "filled in");
    else {
        char *q = shown_alloc(v);

        sbuf_addf(w->b, "'%s'", q);
        free(q);
    }
}

static void add_hidden(struct form_hiddens *out, size_t first, const struct form *fm,
                       const struct field *f, const struct rec *r, int kid, const char *v)
{
    struct sbuf b = {0};
    struct why_ctx w = { fm, r, out, first, kid, &b, {0}, 0 };
    struct form_hidden *h;

    sbuf_addf(&b, "the form asks %s only when %s (here ", f->label, f->relevant_src);
    cond_each_field(f->relevant, why_one, &w);
    sbuf_add(&b, ")");
    if (out->n == out->cap) {
        out->cap = out->cap ? out->cap * 2 : 8;
        out->v = xrealloc(out->v, out->cap * sizeof(*out->v));
    }
    h = &out->v[out->n++];
    h->fm = fm;
    h->f = f;
    h->kid = kid;
    h->value = shown_alloc(v);
    h->why = b.s;           /* never NULL: text was added */
}

/* 1 when a value of F is emptied where its `relevant` does not hold;
 * computed fields are form_compute's. */
static int may_hide(const struct field *f)
{
    return f->relevant && f->type != FT_CHILD && f->type != FT_COMPUTED && f->calc == FC_NONE;
}

/* One pass over the fields of FM in R (child row KID of the record, or -1). */
static size_t hide_pass(const struct form *fm, struct rec *r, int kid, struct form_hiddens *out,
                        size_t first)
{
    size_t i, n = 0;

    for (i = 0; i < fm->nfields; i++) {
        const struct field *f = &fm->fields[i];
        const char *v;

        if (!may_hide(f))
            continue;
        if (!(v = form_value(fm, f, r)) || form_relevant(fm, f, r))
            continue;
        if (out)
            add_hidden(out, first, fm, f, r, kid, v);
        form_set_value(fm, f, r, NULL);
        n++;
    }
    return n;
}

size_t form_hidden_clear(const struct form *fm, struct rec *r, struct form_hiddens *out)
{
    size_t i, k, n = 0, pass, first = out ? out->n : 0;

    while ((pass = hide_pass(fm, r, -1, out, first)) > 0)
        n += pass;
    for (i = 0; i < fm->nfields; i++) {
        const struct field *f = &fm->fields[i];

        if (f->type != FT_CHILD || !f->child)
            continue;
        for (k = 0; k < r->nkids; k++)
            if (strcmp(r->kids[k]->table, f->column) == 0)
                while ((pass = hide_pass(f->child, r->kids[k], (int)k, out, first)) > 0)
                    n += pass;
    }
    return n;
}

static int form_may_hide(const struct form *fm)
{
    size_t i;

    for (i = 0; i < fm->nfields; i++)
        if (may_hide(&fm->fields[i]))
            return 1;
    return 0;
}

int form_hidden_where(const struct form *fm, const char **kids, size_t n)
{
    size_t i, k = 0;

    for (i = 0; i < fm->nfields; i++) {
        const struct field *f = &fm->fields[i];

        if (f->type == FT_CHILD && f->child && form_may_hide(f->child) && k + 1 < n)
            kids[k++] = f->column;
    }
    if (n > 0)
        kids[k] = NULL;
    return form_may_hide(fm) || k > 0;
}

void form_clear_hidden(const struct form *fm, struct rec *r)
{
    form_compute(fm, r);
    form_hidden_clear(fm, r, NULL);
    form_compute(fm, r);
}

void form_issues_free(struct form_issues *out)
{
    size_t i;

    for (i = 0; i < out->n; i++) {
        free(out->v[i].msg_en);
        free(out->v[i].msg_lo);
    }
    free(out->v);
    memset(out, 0, sizeof(*out));
}

/* Takes ownership of EN and LO. */
static void add(struct form_issues *out, enum issue_level lv, int field, char *en, char *lo)
{
    struct form_issue *is;

    if (out->n == out->cap) {
        out->cap = out->cap ? out->cap * 2 : 8;
        out->v = xrealloc(out->v, out->cap * sizeof(*out->v));
    }
    is = &out->v[out->n++];
    is->level = lv;
    is->field = field;
    is->kid = -1;
    is->kid_field = -1;
    is->msg_en = en;
    is->msg_lo = lo;
    if (lv == ISSUE_ERROR)
        out->errors++;
    else
        out->warnings++;
}

static void validate_rows(const struct form *fm, const struct rec *r, const char *status,
                          struct form_issues *out)
{
    struct lookup_ctx lc = {fm, r};
    size_t i;

    for (i = 0; i < fm->nfields; i++) {
        const struct field *f = &fm->fields[i];
        const char *v = form_value(fm, f, r);
        char *en = NULL, *lo = NULL;
        const char *le = f->label, *ll = *f->label_lo ? f->label_lo : f->label;

        if (!form_relevant(fm, f, r))
            continue;
        if (f->type == FT_CHILD) {
            size_t k, row = 0;
            for (k = 0; k < r->nkids; k++) {
                struct form_issues sub = {0};
                size_t j;
                if (strcmp(r->kids[k]->table, f->column) != 0)
                    continue;
                validate_rows(f->child, r->kids[k], status, &sub);
                for (j = 0; j < sub.n; j++) {
                    add(out, sub.v[j].level, (int)i,
                        xasprintf("%s, row %zu: %s", le, row + 1, sub.v[j].msg_en),
                        xasprintf("%s, ແຖວ %zu: %s", ll, row + 1, sub.v[j].msg_lo));
                    out->v[out->n - 1].kid = (int)row;
                    out->v[out->n - 1].kid_field = sub.v[j].field;
                }
                form_issues_free(&sub);
                row++;
            }
            continue;
        }
        if (util_empty(v)) {
            if (f->readonly)
                continue;
            if (f->need == NEED_REQUIRED && !(status && strcmp(status, "draft") == 0))
                add(out, ISSUE_ERROR, (int)i, xasprintf("%s is required; fill it in or save as draft", le),
                    xasprintf("ຕ້ອງປ້ອນ %s; ປ້ອນໃຫ້ຄົບ ຫຼື ບັນທຶກເປັນສະບັບຮ່າງ", ll));
            else if (f->need != NEED_OPTIONAL)
                add(out, ISSUE_WARNING, (int)i, xasprintf("%s is empty; fill it in if known", le),
                    xasprintf("%s ຍັງຫວ່າງ; ປ້ອນຖ້າຮູ້", ll));
            continue;
        }
        if (field_check_value(fm, f, v, r, &en, &lo) < 0)
            add(out, ISSUE_ERROR, (int)i, en, lo);
    }
    for (i = 0; i < fm->nchecks; i++) {
        const struct form_check *c = &fm->checks[i];
        if (cond_eval(c->cond, lookup, &lc) == COND_FALSE)
            add(out, c->level, c->field, xstrdup(c->message),
                xstrdup(*c->message_lo ? c->message_lo : c->message));
    }
}

int form_validate(const struct form *fm, const struct rec *r, struct form_issues *out)
{
    int before = out->errors;

    validate_rows(fm, r, rec_get(r, "status"), out);
    return out->errors - before;
}
