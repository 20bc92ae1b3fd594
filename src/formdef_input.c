/* formdef_input — stored values against their field: checking a stored
 * value, turning typed input (dd/mm/yyyy, Lao digits, labels) into the
 * stored form, and showing a stored value to the clerk. */
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "canon.h"
#include "formdef_priv.h"
#include "record.h"
#include "text.h"
#include "util.h"

static int digits(const char *s, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return 1;
}

static int number_ok(const char *s, double *out)
{
    char *end;
    const char *q = *s == '-' ? s + 1 : s;

    if (!*q || !((*q >= '0' && *q <= '9') || *q == '.'))
        return 0;
    *out = strtod(s, &end);
    return *end == '\0';
}

static int fail(char **en, char **lo, char *e, char *l)
{
    *en = e;
    *lo = l;
    return -1;
}

static int code_ok(const struct form *fm, const struct field *f, const char *code,
                   const struct rec *r, char **en, char **lo)
{
    const struct list_item *it = list_find(f->list, code);
    const char *ll = *f->label_lo ? f->label_lo : f->label;

    if (!it)
        return fail(en, lo, xasprintf("%s: '%s' is not a code of the list; pick one from the list", f->label, code),
                    xasprintf("%s: '%s' ບໍ່ມີໃນລາຍການ; ເລືອກຈາກລາຍການ", ll, code));
    if (f->filter && *it->filter) {
        int k = form_field_index(fm, f->filter);
        const char *want = k >= 0 ? form_value(fm, &fm->fields[k], r) : NULL;
        if (want && strcmp(want, it->filter) != 0) {
            const struct field *pf = &fm->fields[k];
            return fail(en, lo,
                        xasprintf("%s: %s is not in %s %s; pick again", f->label, it->label_en, pf->label,
                                  list_label(pf->list, want, "en")),
                        xasprintf("%s: %s ບໍ່ຢູ່ໃນ %s %s; ເລືອກໃໝ່", ll, list_item_label(it, "lo"),
                                  *pf->label_lo ? pf->label_lo : pf->label, list_label(pf->list, want, "lo")));
        }
    }
    return 0;
}

int field_check_value(const struct form *fm, const struct field *f, const char *v,
                      const struct rec *r, char **en, char **lo)
{
    const char *ll = *f->label_lo ? f->label_lo : f->label;
    double x;
    long n;

    switch (f->type) {
    case FT_INT:
        if (util_parse_long(v, &n) < 0)
            return fail(en, lo, xasprintf("%s: '%s' is not a whole number", f->label, v),
                        xasprintf("%s: '%s' ບໍ່ແມ່ນຈຳນວນເຕັມ", ll, v));
        x = (double)n;
        goto range;
    case FT_DECIMAL:
        if (!number_ok(v, &x))
            return fail(en, lo, xasprintf("%s: '%s' is not a number", f->label, v),
                        xasprintf("%s: '%s' ບໍ່ແມ່ນຕົວເລກ", ll, v));
    range:
        if ((f->has_min && x < f->min) || (f->has_max && x > f->max))
            return fail(en, lo, xasprintf("%s: %s is outside %g to %g", f->label, v,
                                          f->has_min ? f->min : 0, f->has_max ? f->max : 1e15),
                        xasprintf("%s: %s ຢູ່ນອກ %g ຫາ %g", ll, v, f->has_min ? f->min : 0,
                                  f->has_max ? f->max : 1e15));
        return 0;
    case FT_DATE:
        if (!canon_date(v, f->partial_date))
            return fail(en, lo,
                        xasprintf("%s: '%s' is not a %sdate", f->label, v, f->partial_date ? "" : "full "),
                        xasprintf("%s: '%s' ບໍ່ແມ່ນວັນທີທີ່ຖືກຕ້ອງ", ll, v));
        return 0;
    case FT_YESNO:
        if (strcmp(v, "0") && strcmp(v, "1"))
            return fail(en, lo, xasprintf("%s: '%s' is not yes (1) or no (0)", f->label, v),
                        xasprintf("%s: '%s' ບໍ່ແມ່ນ ແມ່ນ (1) ຫຼື ບໍ່ (0)", ll, v));
        return 0;
    case FT_CHOICE:
        return code_ok(fm, f, v, r, en, lo);
    case FT_MULTI: {
        const char *s = v;
        while (*s) {
            size_t len = strcspn(s, ";");
            char *part = xstrndup(s, len);
            int rc = code_ok(fm, f, part, r, en, lo);
            free(part);
            if (rc < 0)
                return -1;
            s += len;
            if (*s)
                s++;
        }
        return 0;
    }
    case FT_LINK:
        if (strlen(v) != 36)
            return fail(en, lo, xasprintf("%s: '%s' is not a record link", f->label, v),
                        xasprintf("%s: '%s' ບໍ່ແມ່ນການເຊື່ອມໂຍງ", ll, v));
        return 0;
    default:
        break;
    }
    if (f->maxlen && text_cp_count(v) > (size_t)f->maxlen)
        return fail(en, lo, xasprintf("%s: longer than %d characters", f->label, f->maxlen),
                    xasprintf("%s: ຍາວກວ່າ %d ຕົວອັກສອນ", ll, f->maxlen));
    if (f->pattern) {
        int ok;
        if (strcmp(f->pattern, "digits") == 0)
            ok = digits(v, strlen(v));
        else if (strcmp(f->pattern, "phone") == 0)
            ok = strspn(v, "0123456789+- ") == strlen(v) && strlen(v) >= 6;
        else
            ok = regexec(f->priv, v, 0, NULL, 0) == 0;
        if (!ok)
            return fail(en, lo, xasprintf("%s: '%s' does not have the expected form (%s)", f->label, v, f->pattern),
                        xasprintf("%s: '%s' ຮູບແບບບໍ່ຖືກຕ້ອງ (%s)", ll, v, f->pattern));
    }
    return 0;
}

/* dd/mm/yyyy, d/m/yyyy, mm/yyyy or ISO into ISO; NULL when not a date. */
static char *date_input(const char *s, int partial)
{
    int d, m, y, k = 0;
    char *out = NULL;

    if (sscanf(s, "%2d/%2d/%4d%n", &d, &m, &y, &k) == 3 && !s[k])
        out = xasprintf("%04d-%02d-%02d", y, m, d);
    else if (partial && sscanf(s, "%2d/%4d%n", &m, &y, &k) == 2 && !s[k])
        out = xasprintf("%04d-%02d", y, m);
    else
        out = xstrdup(s);
    if (!canon_date(out, partial)) {
        free(out);
        return NULL;
    }
    return out;
}

static const char *const yes_words[] = {"1", "yes", "y", "true", "ແມ່ນ", "ມີ", NULL};
static const char *const no_words[] = {"0", "no", "n", "false", "ບໍ່", "ບໍ່ມີ", "ບໍ່ແມ່ນ", NULL};

static int word_in(const char *s, const char *const *w)
{
    for (; *w; w++)
        if (text_casecmp(s, *w) == 0)
            return 1;
    return 0;
}

static int parse_fail(char **msg_lo, char *en, char *lo)
{
    err_set("%s", en);
    free(en);
    if (msg_lo)
        *msg_lo = lo;
    else
        free(lo);
    return -1;
}

int field_parse_input(const struct form *fm, const struct field *f, const char *typed,
                      char **stored, char **msg_lo)
{
    const char *ll = *f->label_lo ? f->label_lo : f->label;
    char *t, *out = NULL, *en, *lo;
    size_t n;

    *stored = NULL;
    if (msg_lo)
        *msg_lo = NULL;
    if (!text_valid(typed))
        return parse_fail(msg_lo, xasprintf("%s: not valid UTF-8 text", f->label),
                          xasprintf("%s: ຂໍ້ຄວາມບໍ່ຖືກຕ້ອງ", ll));
    while (*typed == ' ' || *typed == '\t')
        typed++;
    n = strlen(typed);
    while (n && (typed[n - 1] == ' ' || typed[n - 1] == '\t'))
        n--;
    if (n == 0)
        return 0;
    t = xstrndup(typed, n);
    if (f->type == FT_INT || f->type == FT_DECIMAL || f->type == FT_DATE || f->type == FT_YESNO) {
        char *a = text_lao_digits_alloc(t);
        free(t);
        t = a;
    }
    switch (f->type) {
    case FT_DATE:
        out = date_input(t, f->partial_date);
        if (!out) {
            int rc = parse_fail(msg_lo,
                                xasprintf("%s: '%s' is not a date; type dd/mm/yyyy%s", f->label, t,
                                          f->partial_date ? ", mm/yyyy or yyyy" : ""),
                                xasprintf("%s: '%s' ບໍ່ແມ່ນວັນທີ; ພິມ ວວ/ດດ/ປປປປ", ll, t));
            free(t);
            return rc;
        }
        break;
    case FT_YESNO:
        out = word_in(t, yes_words) ? xstrdup("1") : word_in(t, no_words) ? xstrdup("0") : NULL;
        break;
    case FT_CHOICE: {
        const struct list_item *it = list_match(f->list, t);
        out = it ? xstrdup(it->code) : NULL;
        break;
    }
    case FT_MULTI: {
        struct sbuf b = {0};
        const char *s = t;
        int bad = 0;
        while (*s && !bad) {
            size_t len = strcspn(s, ";,");
            char *part = xstrndup(s, len);
            char *p = part;
            const struct list_item *it;
            while (*p == ' ')
                p++;
            for (size_t e = strlen(p); e && p[e - 1] == ' '; e--)
                p[e - 1] = '\0';
            it = *p ? list_match(f->list, p) : NULL;
            if (*p && !it)
                bad = 1;
            else if (it) {
                if (b.len)
                    sbuf_addc(&b, ';');
                sbuf_add(&b, it->code);
            }
            free(part);
            s += len;
            if (*s)
                s++;
        }
        out = bad ? NULL : xstrdup(sbuf_str(&b));
        sbuf_free(&b);
        break;
    }
    default:
        out = xstrdup(t);
        break;
    }
    if (!out) {
        int rc = parse_fail(msg_lo,
                            xasprintf("%s: '%s' is not in the list; pick one from the list", f->label, t),
                            xasprintf("%s: '%s' ບໍ່ມີໃນລາຍການ; ເລືອກຈາກລາຍການ", ll, t));
        free(t);
        return rc;
    }
    free(t);
    /* Numbers, lengths and patterns are checked as the stored value will be. */
    if (f->type != FT_CHOICE && f->type != FT_MULTI && f->type != FT_DATE) {
        struct rec *empty = rec_new("");
        int rc = field_check_value(fm, f, out, empty, &en, &lo);
        rec_free(empty);
        if (rc < 0) {
            free(out);
            return parse_fail(msg_lo, en, lo);
        }
    }
    *stored = out;
    return 0;
}

char *field_format_alloc(const struct field *f, const char *v, const char *lang, int dmy)
{
    struct sbuf b = {0};

    if (util_empty(v))
        return xstrdup("");
    switch (f->type) {
    case FT_CHOICE:
        return xstrdup(list_label(f->list, v, lang));
    case FT_MULTI:
        while (*v) {
            size_t len = strcspn(v, ";");
            char *part = xstrndup(v, len);
            if (b.len)
                sbuf_add(&b, ", ");
            sbuf_add(&b, list_label(f->list, part, lang));
            free(part);
            v += len;
            if (*v)
                v++;
        }
        return b.s ? b.s : xstrdup("");
    case FT_YESNO:
        if (strcmp(v, "1") == 0)
            return xstrdup(lang && strcmp(lang, "lo") == 0 ? "ແມ່ນ" : "Yes");
        return xstrdup(lang && strcmp(lang, "lo") == 0 ? "ບໍ່" : "No");
    case FT_DATE:
        if (dmy && strlen(v) == 10)
            return xasprintf("%.2s/%.2s/%.4s", v + 8, v + 5, v);
        if (dmy && strlen(v) == 7)
            return xasprintf("%.2s/%.4s", v + 5, v);
        return xstrdup(v);
    default:
        return xstrdup(v);
    }
}
