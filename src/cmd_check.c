/* tipdesk check: the database's integrity, then every complete or verified
 * record's canonical values (canon.h) against the fixed code sets, the
 * reference P-codes and the date and count rules.  One line per problem.
 * Then a warning for each value a record (drafts too) holds in a field its
 * form does not ask (form_hidden_clear); warnings do not change the exit. */
#include <dirent.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "app.h"
#include "canon.h"
#include "db_rec.h"
#include "formdef.h"
#include "outfile.h"
#include "util.h"

enum rule_kind {
    R_CODE,         /* one code of the column's canon code set */
    R_MULTI,        /* codes of that set joined by ';' */
    R_COUNTRY,      /* ISO 3166 alpha-2 in ref_country */
    R_COUNTRIES,    /* the same, joined by ';' */
    R_BORDER,       /* a country code or "None" */
    R_PROVINCE,     /* a P-code in ref_province */
    R_DISTRICT,     /* a P-code in ref_district, inside the province column AUX */
    R_DATE,         /* YYYY-MM-DD, or YYYY / YYYY-MM when partly known */
    R_PAST_DATE,    /* the same, not after today */
    R_NONE          /* only fetched for the cross-field rules */
};

struct rule {
    const char *col;
    enum rule_kind kind;
    const char *aux;
    int required;           /* for complete and verified records */
};

struct checker {
    FILE *out;
    int problems;
    char today[11];
    char **provinces, **districts, **district_province, **countries;
    int nprov, ndist, ncountry;
};

struct spec {
    const char *table;      /* main table the problem is reported under */
    const char *rows;       /* table the rows come from (for the code sets) */
    const char *key;        /* SQL for the record's ref */
    const char *from;       /* FROM ... WHERE, the rows aliased k */
    const char *label;      /* SQL for a child row's label, or NULL */
    const struct rule *rules;
    void (*cross)(struct checker *, const char *where, const struct rule *, char **v);
};

static const struct rule case_rules[] = {
    { "registered_on", R_PAST_DATE, NULL, 1 },
    { "identified_by", R_CODE, NULL, 0 },
    { "returned_from", R_COUNTRY, NULL, 0 },
    { "referral_on", R_DATE, NULL, 0 },
    { "sex", R_CODE, NULL, 1 },
    { "birth_date", R_PAST_DATE, NULL, 0 },
    { "citizenship", R_COUNTRY, NULL, 0 },
    { "home_province", R_PROVINCE, NULL, 0 },
    { "home_district", R_DISTRICT, "home_province", 0 },
    { "trafficking_status", R_CODE, NULL, 1 },
    { "status_decided_on", R_DATE, NULL, 0 },
    { "exploitation", R_MULTI, NULL, 0 },
    { "exploitation_country", R_COUNTRY, NULL, 0 },
    { "case_status", R_CODE, NULL, 0 },
    { "followup_on", R_DATE, NULL, 0 },
    { NULL, R_NONE, NULL, 0 }
};

static const struct rule prosecution_rules[] = {
    { "province", R_PROVINCE, NULL, 0 },
    { "district", R_DISTRICT, "province", 0 },
    { "reported_on", R_PAST_DATE, NULL, 0 },
    { "investigated_on", R_PAST_DATE, NULL, 1 },
    { "sent_to_prosecutor_on", R_PAST_DATE, NULL, 0 },
    { "charged_on", R_PAST_DATE, NULL, 0 },
    { "verdict_on", R_PAST_DATE, NULL, 0 },
    { "verdict", R_CODE, NULL, 0 },
    { "exploitation", R_MULTI, NULL, 0 },
    { "countries", R_COUNTRIES, NULL, 0 },
    { NULL, R_NONE, NULL, 0 }
};

static const struct rule event_rules[] = {
    { "pillar", R_CODE, NULL, 1 },
    { "start_on", R_DATE, NULL, 1 },
    { "end_on", R_DATE, NULL, 0 },
    { "province", R_PROVINCE, NULL, 1 },
    { "district", R_DISTRICT, "province", 0 },
    { "border_area", R_BORDER, NULL, 0 },
    { "followup_on", R_DATE, NULL, 0 },
    { "participants_f", R_NONE, NULL, 0 },
    { "participants_m", R_NONE, NULL, 0 },
    { "participants_u", R_NONE, NULL, 0 },
    { "participants_under18", R_NONE, NULL, 0 },
    { NULL, R_NONE, NULL, 0 }
};

static const struct rule journey_rules[] = {
    { "step", R_CODE, NULL, 0 },
    { "event_on", R_DATE, NULL, 0 },
    { "country", R_COUNTRY, NULL, 0 },
    { "province", R_PROVINCE, NULL, 0 },
    { "district", R_DISTRICT, "province", 0 },
    { NULL, R_NONE, NULL, 0 }
};

static const struct rule screening_rules[] = {
    { "answer", R_CODE, NULL, 0 },
    { NULL, R_NONE, NULL, 0 }
};

static const struct rule assistance_rules[] = {
    { "start_on", R_DATE, NULL, 0 },
    { "end_on", R_DATE, NULL, 0 },
    { "status", R_CODE, NULL, 0 },
    { NULL, R_NONE, NULL, 0 }
};

static const struct rule suspect_rules[] = {
    { "sex", R_CODE, NULL, 0 },
    { "citizenship", R_COUNTRY, NULL, 0 },
    { "stage", R_CODE, NULL, 0 },
    { NULL, R_NONE, NULL, 0 }
};

static void problem(struct checker *c, const char *where, const char *fmt, ...) PRINTF_LIKE(3, 4);

static void problem(struct checker *c, const char *where, const char *fmt, ...)
{
    va_list ap;

    fprintf(c->out, "%s: ", where);
    va_start(ap, fmt);
    vfprintf(c->out, fmt, ap);
    va_end(ap);
    fputc('\n', c->out);
    c->problems++;
}

/* YYYY-MM-DD with a real day, or YYYY / YYYY-MM when partly known. */
static int date_known(const char *s)
{
    return canon_date(s, 1);
}

/* A before B, comparing only as much as both dates know (2019 vs 2019-05-01
 * is not a problem). */
static int date_before(const char *a, const char *b)
{
    size_t n = strlen(a) < strlen(b) ? strlen(a) : strlen(b);

    return strncmp(a, b, n) < 0 ? 1 : 0;
}

static int cmp_key(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Index of KEY in the sorted array or -1. */
static int find_sorted(char **arr, int n, const char *key)
{
    char **hit = n ? bsearch(&key, arr, (size_t)n, sizeof(*arr), cmp_key) : NULL;

    return hit ? (int)(hit - arr) : -1;
}

/* Loads the rows of SQL (one or two columns, sorted by the first). */
static int load_ref(struct db *db, const char *sql, char ***keys, char ***second)
{
    struct db_stmt *st = db_prepare(db, sql, 0);
    int n = 0, cap = 0, rc;

    *keys = NULL;
    if (second)
        *second = NULL;
    if (!st)
        return -1;
    while ((rc = db_step(st)) == 1) {
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            *keys = xrealloc(*keys, (size_t)cap * sizeof(char *));
            if (second)
                *second = xrealloc(*second, (size_t)cap * sizeof(char *));
        }
        (*keys)[n] = xstrdup(db_column_text(st, 0));
        if (second)
            (*second)[n] = xstrdup(db_column_text(st, 1));
        n++;
    }
    db_finalize(st);
    if (rc < 0) {
        for (rc = 0; rc < n; rc++) {
            free((*keys)[rc]);
            if (second)
                free((*second)[rc]);
        }
        free(*keys);
        *keys = NULL;
        if (second) {
            free(*second);
            *second = NULL;
        }
        return -1;
    }
    return n;
}

static int check_country(struct checker *c, const char *v)
{
    return find_sorted(c->countries, c->ncountry, v) >= 0;
}

/* Checks one value V of rule R; ROW gives the other values for R_DISTRICT. */
static void check_value(struct checker *c, const char *where, const char *table,
                        const struct rule *rules, const struct rule *r, char **row, const char *v)
{
    const char *p, *semi;
    int i;

    switch (r->kind) {
    case R_CODE:
        if (!canon_is_code(table, r->col, v))
            problem(c, where, "%s '%s' is not a known code", r->col, v);
        break;
    case R_MULTI:
    case R_COUNTRIES:
        for (p = v; *p; p = *semi ? semi + 1 : semi) {
            char *one;
            int ok;

            semi = strchr(p, ';');
            if (!semi)
                semi = p + strlen(p);
            one = xstrndup(p, (size_t)(semi - p));
            ok = r->kind == R_MULTI ? canon_is_code(table, r->col, one) : check_country(c, one);
            if (!ok)
                problem(c, where, "%s: '%s' is not a known code", r->col, one);
            free(one);
        }
        break;
    case R_COUNTRY:
    case R_BORDER:
        if (!check_country(c, v) && !(r->kind == R_BORDER && strcmp(v, "None") == 0))
            problem(c, where, "%s '%s' is not an ISO country code", r->col, v);
        break;
    case R_PROVINCE:
        if (find_sorted(c->provinces, c->nprov, v) < 0)
            problem(c, where, "%s %s is not a province P-code", r->col, v);
        break;
    case R_DISTRICT:
        if ((i = find_sorted(c->districts, c->ndist, v)) < 0) {
            problem(c, where, "%s %s is not a district P-code", r->col, v);
        } else {
            const char *prov = NULL;
            int j;

            for (j = 0; rules[j].col; j++)
                if (strcmp(rules[j].col, r->aux) == 0)
                    prov = row[j];
            if (!prov)
                problem(c, where, "%s %s is given but %s is empty", r->col, v, r->aux);
            else if (strcmp(c->district_province[i], prov) != 0)
                problem(c, where, "%s %s is not in province %s", r->col, v, prov);
        }
        break;
    case R_DATE:
    case R_PAST_DATE:
        if (!date_known(v))
            problem(c, where, "%s '%s' is not a valid date (YYYY-MM-DD, or YYYY-MM / YYYY "
                    "when partly known)", r->col, v);
        else if (r->kind == R_PAST_DATE && date_before(c->today, v))
            problem(c, where, "%s %s is in the future", r->col, v);
        break;
    case R_NONE:
        break;
    }
}

/* The value of COL in a row of RULES (NULL when empty or not fetched). */
static const char *row_get(const struct rule *rules, char **row, const char *col)
{
    int i;

    for (i = 0; rules[i].col; i++)
        if (strcmp(rules[i].col, col) == 0)
            return row[i];
    return NULL;
}

/* LATER must not be before EARLIER when both are valid dates. */
static void check_order(struct checker *c, const char *where, const struct rule *rules,
                        char **row, const char *earlier, const char *later)
{
    const char *a = row_get(rules, row, earlier), *b = row_get(rules, row, later);

    if (a && b && date_known(a) && date_known(b) && date_before(b, a))
        problem(c, where, "%s %s is before %s %s", later, b, earlier, a);
}

static void cross_prosecution(struct checker *c, const char *where, const struct rule *rules,
                              char **row)
{
    check_order(c, where, rules, row, "investigated_on", "charged_on");
    check_order(c, where, rules, row, "charged_on", "verdict_on");
    /* Without a charge date the verdict still follows the investigation. */
    if (!row_get(rules, row, "charged_on"))
        check_order(c, where, rules, row, "investigated_on", "verdict_on");
}

static void cross_event(struct checker *c, const char *where, const struct rule *rules,
                        char **row)
{
    const char *u18 = row_get(rules, row, "participants_under18");
    long total = 0, n;
    static const char *const parts[] = { "participants_f", "participants_m", "participants_u" };
    size_t i;

    check_order(c, where, rules, row, "start_on", "end_on");
    if (!u18)
        return;
    for (i = 0; i < ARRAY_LEN(parts); i++) {
        const char *v = row_get(rules, row, parts[i]);

        if (v && util_parse_long(v, &n) == 0)
            total += n;
    }
    if (util_parse_long(u18, &n) == 0 && n > total)
        problem(c, where, "participants_under18 %ld is more than the %ld participants "
                "(female + male + unknown)", n, total);
}

/* Runs one spec over its rows; returns the number of rows or -1. */
static int check_spec(struct checker *c, struct db *db, const struct spec *s)
{
    struct sbuf sql = {0}, where = {0};
    struct db_stmt *st;
    char **row;
    int ncol, i, rows = 0, rc;

    for (ncol = 0; s->rules[ncol].col; ncol++)
        ;
    /* Column names come from the fixed tables above, never from input. */
    sbuf_addf(&sql, "SELECT %s, %s", s->key, s->label ? s->label : "NULL");
    for (i = 0; i < ncol; i++)
        sbuf_addf(&sql, ", k.%s", s->rules[i].col);
    sbuf_addf(&sql, " %s", s->from);
    st = db_prepare(db, sbuf_str(&sql), 0);
    sbuf_free(&sql);
    if (!st)
        return -1;
    row = xcalloc((size_t)ncol, sizeof(*row));
    while ((rc = db_step(st)) == 1) {
        sbuf_reset(&where);
        sbuf_addf(&where, "%s %s", s->table, db_column_text(st, 0));
        if (s->label)
            sbuf_addf(&where, ": %s", db_column_text(st, 1));
        for (i = 0; i < ncol; i++) {
            const char *v = db_column_text(st, i + 2);

            row[i] = v && *v ? xstrdup(v) : NULL;
        }
        for (i = 0; i < ncol; i++) {
            if (row[i])
                check_value(c, sbuf_str(&where), s->rows, s->rules, &s->rules[i], row, row[i]);
            else if (s->rules[i].required)
                problem(c, sbuf_str(&where), "%s is missing; a complete record needs it "
                        "(or set the record back to draft)", s->rules[i].col);
        }
        if (s->cross)
            s->cross(c, sbuf_str(&where), s->rules, row);
        for (i = 0; i < ncol; i++)
            free(row[i]);
        rows++;
    }
    free(row);
    sbuf_free(&where);
    db_finalize(st);
    return rc < 0 ? -1 : rows;
}

#define LIVE(t) " WHERE " t ".status <> 'draft' AND " t ".deleted_at IS NULL"
#define MAIN(t) t, "k.ref", "FROM " t " k" LIVE("k") " ORDER BY k.id"
#define CHILD(kid, fk, parent) \
    kid, "p.ref", "FROM " kid " k JOIN " parent " p ON p.uuid = k." fk LIVE("p") " ORDER BY p.id, k.seq"

static const struct spec specs[] = {
    { "cases", MAIN("cases"), NULL, case_rules, NULL },
    { "cases", CHILD("case_events", "case_uuid", "cases"), "'journey row ' || k.seq",
      journey_rules, NULL },
    { "cases", CHILD("case_screening", "case_uuid", "cases"), "'screening ' || k.item",
      screening_rules, NULL },
    { "cases", CHILD("case_assistance", "case_uuid", "cases"), "'assistance row ' || k.seq",
      assistance_rules, NULL },
    { "prosecutions", MAIN("prosecutions"), NULL, prosecution_rules, cross_prosecution },
    { "prosecutions", CHILD("suspects", "prosecution_uuid", "prosecutions"),
      "'suspect ' || k.seq", suspect_rules, NULL },
    { "events", MAIN("events"), NULL, event_rules, cross_event },
};

struct hidden_ctx {
    const struct form *fm;
    int warnings;
};

/* Warns of each value R holds in a field its form does not ask: the
 * screens hide it, while reports and exports may still count it. */
static int warn_hidden(void *arg, struct rec *r)
{
    struct hidden_ctx *h = arg;
    struct form_hiddens out = {0};
    size_t i;

    form_hidden_clear(h->fm, r, &out);
    for (i = 0; i < out.n; i++) {
        const struct form_hidden *x = &out.v[i];

        printf("%s %s", r->table, rec_get(r, "ref"));
        if (x->kid >= 0)
            printf(": %s row %s", x->fm->name, rec_get(r->kids[x->kid], "seq"));
        printf(": warning: %s holds a value the form does not ask: %s; correct the values "
               "it depends on, or open and save the record to drop it\n", x->f->column, x->why);
        h->warnings++;
    }
    form_hiddens_free(&out);
    return 0;
}

static void free_strs(char **a, int n)
{
    int i;

    for (i = 0; i < n; i++)
        free(a[i]);
    free(a);
}

/* Adds a warning for folder DIR and each file in it that others can read. */
static void warn_folder(const char *dir, struct sbuf *w)
{
    DIR *d = opendir(dir);
    struct dirent *e;

    outfile_mode_warn(dir, w);
    if (!d)
        return;
    while ((e = readdir(d))) {
        char *path;
        struct stat sb;

        if (e->d_name[0] == '.')
            continue;
        path = xasprintf("%s/%s", dir, e->d_name);
        if (lstat(path, &sb) == 0 && S_ISREG(sb.st_mode))
            outfile_mode_warn(path, w);
        free(path);
    }
    closedir(d);
}

/* Victims' data must not be readable by other users of the machine: the
 * database and its companions, the backups and the exports. */
static void warn_modes(const struct config *cfg)
{
    static const char *const sides[] = { "", "-wal", "-shm", "-journal" };
    struct sbuf w = {0};
    const char *s, *nl;
    size_t i;

    for (i = 0; i < ARRAY_LEN(sides); i++) {
        char *path = xasprintf("%s%s", cfg->db_path, sides[i]);

        outfile_mode_warn(path, &w);
        free(path);
    }
    warn_folder(cfg->backup_dir, &w);
    warn_folder(cfg->export_dir, &w);
    for (s = sbuf_str(&w); (nl = strchr(s, '\n')); s = nl + 1)
        fprintf(stderr, "tipdesk check: warning: %.*s\n", (int)(nl - s), s);
    sbuf_free(&w);
}

int cmd_check(struct app *app, int argc, char **argv)
{
    static const struct option opts[] = {
        { "quick", no_argument, NULL, 'q' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 }
    };
    static const char usage[] =
        "check [--quick]\n"
        "Checks the database file's integrity, then every complete or verified record:\n"
        "codes, P-codes, dates and counts.  Prints one line per problem and exits 1\n"
        "when there is any.  Warns (without changing the exit code) of values that\n"
        "records, drafts too, hold in fields their forms do not ask.\n"
        "--quick reads every page but does not look each row up in each index: several\n"
        "times faster on a large database, and blind to an index that lost or gained a\n"
        "row; run the full check now and then.";
    struct checker c = {0};
    struct sbuf integ = {0};
    struct formset *fs = NULL;
    struct hidden_ctx hidden = {0};
    struct db *db;
    int counts[3] = {0}, n, rc = EXIT_FAIL, quick = 0, damaged;
    size_t i;

    opterr = 0;
    while ((n = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
        if (n == 'h') {
            printf("usage: tipdesk %s\n", usage);
            return EXIT_OK;
        }
        if (n == 'q') {
            quick = 1;
            continue;
        }
        fprintf(stderr, "tipdesk check: unknown option '%s'\nusage: tipdesk %s\n",
                argv[optind - 1], usage);
        return EXIT_USAGE;
    }
    if (optind < argc) {
        fprintf(stderr, "tipdesk check: unexpected argument '%s'\nusage: tipdesk %s\n",
                argv[optind], usage);
        return EXIT_USAGE;
    }
    if (!(db = app_db_read(app)) || !(fs = app_forms_load(app, db)))
        goto fail;
    warn_modes(app->cfg);
    c.out = stdout;
    util_today(c.today);
    /* The integrity check looks every row up in every index: with a 16 MB
     * cache (as an import has; 2 MB by default) it reads a page again less
     * often.  At 100 000 cases: 13.2 to 10.2 s, 39 MB at the peak. */
    if (db_exec(db, "PRAGMA cache_size=-16384") < 0 || (n = db_integrity(db, quick, &integ)) < 0)
        goto fail;
    fputs(sbuf_str(&integ), stdout);
    damaged = n;
    if ((c.nprov = load_ref(db, "SELECT pcode FROM ref_province ORDER BY pcode", &c.provinces, NULL)) < 0 ||
        (c.ndist = load_ref(db, "SELECT pcode, province FROM ref_district ORDER BY pcode",
                            &c.districts, &c.district_province)) < 0 ||
        (c.ncountry = load_ref(db, "SELECT iso2 FROM ref_country ORDER BY iso2", &c.countries, NULL)) < 0)
        goto fail;
    for (i = 0; i < ARRAY_LEN(specs); i++) {
        if ((n = check_spec(&c, db, &specs[i])) < 0)
            goto fail;
        if (!specs[i].label)
            counts[strcmp(specs[i].table, "cases") == 0 ? 0 :
                   strcmp(specs[i].table, "prosecutions") == 0 ? 1 : 2] = n;
    }
    /* Drafts too: every save, a draft's as well, drops such values.  Only
     * the child tables where a value can be unasked are read. */
    for (i = 0; db_tables[i]; i++) {
        const char *kids[8];

        hidden.fm = formset_form(fs, db_tables[i]->name);
        if (hidden.fm && form_hidden_where(hidden.fm, kids, ARRAY_LEN(kids)) &&
            db_rec_each(db, db_tables[i]->name, kids, warn_hidden, &hidden) < 0)
            goto fail;
    }
    if (damaged)
        fprintf(stderr, "tipdesk check: the database file has %d problem%s of its own (the "
                "'integrity' and 'foreign key' lines above): enter nothing more, keep a copy of "
                "the file, and see \"A damaged database\" in the README\n",
                damaged, damaged == 1 ? "" : "s");
    if (c.problems)
        fprintf(stderr, "tipdesk check: %d problem%s; correct the records named above "
                "(or set them back to draft)\n", c.problems, c.problems == 1 ? "" : "s");
    if (damaged || c.problems) {
        if (hidden.warnings)
            fprintf(stderr, "tipdesk check: and %d warning%s (values in fields the forms do not "
                    "ask, listed above)\n", hidden.warnings, hidden.warnings == 1 ? "" : "s");
        rc = EXIT_FAIL;
    } else {
        printf("ok: %d cases, %d prosecutions, %d events checked", counts[0], counts[1], counts[2]);
        if (hidden.warnings)
            printf("; %d warning%s (values in fields the forms do not ask, listed above)",
                   hidden.warnings, hidden.warnings == 1 ? "" : "s");
        printf("\n");
        rc = EXIT_OK;
    }
    goto out;
fail:
    fprintf(stderr, "tipdesk check: %s\n", err_msg());
out:
    formset_free(fs);
    sbuf_free(&integ);
    free_strs(c.provinces, c.nprov > 0 ? c.nprov : 0);
    free_strs(c.districts, c.ndist > 0 ? c.ndist : 0);
    free_strs(c.district_province, c.ndist > 0 ? c.ndist : 0);
    free_strs(c.countries, c.ncountry > 0 ? c.ncountry : 0);
    return rc;
}
