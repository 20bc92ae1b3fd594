/* The prosecutions report: cases and persons investigated, prosecuted and
 * convicted per year (the shape of the study's Table 4), with acquittals,
 * conviction rate, time to verdict, sentences and official involvement.
 * A prosecution counts in the year of each stage's own date. */
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "util.h"

enum {
    C_INV, C_PROS, C_CONV, C_ACQ, C_P_INV, C_P_PROS, C_P_CONV, C_P_ACQ, C_OFFICIAL,
    C_RATE, C_DAYS, C_SENT, NCOL
};

static const struct { const char *key, *en, *lo; enum rcol_kind kind; } cols[NCOL] = {
    { "investigations", "Investigations", "ການສືບສວນ", RC_COUNT },
    { "prosecutions", "Prosecutions", "ການຟ້ອງ", RC_COUNT },
    { "convictions", "Convictions", "ຕັດສິນລົງໂທດ", RC_COUNT },
    { "acquittals", "Acquittals", "ຍົກຟ້ອງ", RC_COUNT },
    { "persons_investigated", "Persons investigated", "ຄົນຖືກສືບສວນ", RC_COUNT },
    { "persons_prosecuted", "Persons prosecuted", "ຄົນຖືກຟ້ອງ", RC_COUNT },
    { "persons_convicted", "Persons convicted", "ຄົນຖືກລົງໂທດ", RC_COUNT },
    { "persons_acquitted", "Persons acquitted", "ຄົນຖືກຍົກຟ້ອງ", RC_COUNT },
    { "official_involved", "Official involved", "ພະນັກງານພົວພັນ", RC_COUNT },
    { "conviction_rate", "Conviction %", "% ລົງໂທດ", RC_MEASURE },
    { "median_days_to_verdict", "Median days", "ມື້ (ກາງ)", RC_MEASURE },
    { "median_sentence_months", "Median sentence (months)", "ໂທດ (ເດືອນ)", RC_MEASURE },
};

/* The stages: the date that places a prosecution in a year, which
 * prosecutions count (a verdict's), and which suspects are the persons.
 * Persons acquitted are those of every prosecution with a verdict: a
 * convicted prosecution's acquitted co-accused counts among them. */
#define WITH_VERDICT "verdict IN ('Convicted', 'Acquitted')"

/* Columns of the pass: the row of each stage's date, the dates, what is
 * counted, the suspects at each stage and the days to a verdict. */
enum { Q_KEY_INV, Q_KEY_CHARGE, Q_KEY_VERDICT, Q_INV, Q_CHARGE, Q_VERDICT_ON, Q_VERDICT, Q_OFFICIAL,
       Q_SUSPECTS, Q_PROSECUTED, Q_CONVICTED, Q_ACQUITTED, Q_DAYS };

/* Values of one measure per row, for its median. */
struct values {
    double *v;
    int n, cap;
};

static void values_add(struct values *x, double v)
{
    if (x->n == x->cap) {
        x->cap = x->cap ? 2 * x->cap : 16;
        x->v = xrealloc(x->v, (size_t)x->cap * sizeof(*x->v));
    }
    x->v[x->n++] = v;
}

/* The row of T keyed by column K of ST; VALS grows along. */
static int stage_row(struct rtable *t, struct db_stmt *st, int k, struct values **vals, int *nvals)
{
    const char *key = db_column_text(st, k);
    int r = rtable_row_n(t, key ? key : "", key ? strlen(key) : 0);

    if (r >= *nvals) {
        int n = *nvals;

        *nvals = 2 * r + 16;
        *vals = xrealloc(*vals, (size_t)*nvals * sizeof(**vals));
        memset(*vals + n, 0, (size_t)(*nvals - n) * sizeof(**vals));
    }
    return r;
}

/* Every stage's counts and the days to each verdict from one read of the
 * prosecutions with their suspects (index suspects_prosecution); the days'
 * median of each row in its cell, over all rows in ALL. */
static int stage_pass(struct db *db, const struct report_opts *o, struct rtable *t, struct rcell *all_days)
{
    struct sbuf sql = {0}, where = {0};
    const char *vals[REPORT_MAX_WHERE + 4];
    struct db_stmt *st = NULL;
    struct values *days = NULL, all = {0};
    int np = 0, rc = -1, ndays = 0, i;

    if (report_filter_sql(db, "prosecutions", o, NULL, &where, vals, &np) < 0)
        goto out;
    sbuf_addf(&sql, "SELECT %s, ", report_dim_expr("prosecutions", o->by, "investigated_on"));
    sbuf_addf(&sql, "%s, ", report_dim_expr("prosecutions", o->by, "charged_on"));
    sbuf_addf(&sql, "%s,", report_dim_expr("prosecutions", o->by, "verdict_on"));
    sbuf_addf(&sql,
        " investigated_on, charged_on, verdict_on, verdict, official_involved = 1, count(s.prosecution_uuid),"
        " total(s.stage IN ('Prosecuted', 'Convicted', 'Acquitted')), total(s.stage = 'Convicted'),"
        " total(s.stage = 'Acquitted'),"
        " CASE WHEN length(verdict_on) = 10 AND length(investigated_on) = 10 AND " WITH_VERDICT
        " THEN julianday(verdict_on) - julianday(investigated_on) END"
        " FROM (SELECT * FROM prosecutions WHERE 1%s) p"
        " LEFT JOIN suspects s ON s.prosecution_uuid = p.uuid GROUP BY p.id", sbuf_str(&where));
    if (!(st = db_prepare(db, sbuf_str(&sql), 0)))
        goto out;
    report_bind(st, vals, np);
    while ((rc = db_step(st)) == 1) {
        const char *verdict = db_column_text(st, Q_VERDICT), *von = db_column_text(st, Q_VERDICT_ON);
        int convicted = verdict && strcmp(verdict, "Convicted") == 0;
        int acquitted = verdict && strcmp(verdict, "Acquitted") == 0;
        struct rcell *c;

        if (!db_column_is_null(st, Q_INV) && report_year_ok(db_column_text(st, Q_INV), o)) {
            int r = stage_row(t, st, Q_KEY_INV, &days, &ndays);     /* may move the rows */

            c = t->rows[r].c;
            c[C_INV].v++;
            c[C_P_INV].v += db_column_int(st, Q_SUSPECTS);
            /* Official involvement is counted with the investigations. */
            c[C_OFFICIAL].v += db_column_int(st, Q_OFFICIAL);
        }
        if (!db_column_is_null(st, Q_CHARGE) && report_year_ok(db_column_text(st, Q_CHARGE), o)) {
            int r = stage_row(t, st, Q_KEY_CHARGE, &days, &ndays);

            c = t->rows[r].c;
            c[C_PROS].v++;
            c[C_P_PROS].v += db_column_int(st, Q_PROSECUTED);
        }
        if (von && (convicted || acquitted) && report_year_ok(von, o)) {
            int r = stage_row(t, st, Q_KEY_VERDICT, &days, &ndays);

            c = t->rows[r].c;
            c[convicted ? C_CONV : C_ACQ].v++;
            if (convicted)
                c[C_P_CONV].v += db_column_int(st, Q_CONVICTED);
            c[C_P_ACQ].v += db_column_int(st, Q_ACQUITTED);
            if (!db_column_is_null(st, Q_DAYS)) {
                values_add(&days[r], db_column_double(st, Q_DAYS));
                values_add(&all, db_column_double(st, Q_DAYS));
            }
        }
    }
    if (rc < 0)
        goto out;
    for (i = 0; i < t->nrow && i < ndays; i++)
        if (days[i].n) {
            t->rows[i].c[C_DAYS].m = report_median(days[i].v, days[i].n);
            t->rows[i].c[C_DAYS].v = days[i].n;
            t->rows[i].c[C_DAYS].na = 0;
        }
    if (all.n) {
        all_days->m = report_median(all.v, all.n);
        all_days->v = all.n;
    }
    rc = 0;
out:
    for (i = 0; i < ndays; i++)
        free(days[i].v);
    free(days);
    db_finalize(st);
    sbuf_free(&sql);
    sbuf_free(&where);
    free(all.v);
    return rc;
}

/* Medians per row of the values SQL returns as (key, value) ordered by key;
 * the total row gets the median of all. */
static int medians(struct db *db, const char *sql, const char **vals, int np,
                   struct rtable *t, int col)
{
    struct db_stmt *st = db_prepare(db, sql, 0);
    double *all = NULL, *cur;
    int n = 0, cap = 0, start = 0, rc, i;
    char *key = NULL;

    if (!st)
        return -1;
    report_bind(st, vals, np);
    for (;;) {
        const char *k;

        rc = db_step(st);
        k = rc == 1 ? db_column_text(st, 0) : NULL;
        if (key && (!k || strcmp(k, key) != 0)) {
            struct rrow *r = rtable_find(t, key);

            if (r) {
                cur = xmalloc((size_t)(n - start) * sizeof(double));
                memcpy(cur, all + start, (size_t)(n - start) * sizeof(double));
                r->c[col].m = report_median(cur, n - start);
                r->c[col].v = n - start;
                r->c[col].na = 0;
                free(cur);
            }
            start = n;
        }
        if (rc != 1)
            break;
        free(key);
        key = xstrdup(k ? k : "");
        if (n == cap) {
            cap = cap ? 2 * cap : 256;
            all = xrealloc(all, (size_t)cap * sizeof(double));
        }
        all[n++] = db_column_double(st, 1);
    }
    for (i = 0; i < t->nrow; i++)
        if (t->rows[i].is_total && n) {
            t->rows[i].c[col].m = report_median(all, n);
            t->rows[i].c[col].v = n;
            t->rows[i].c[col].na = 0;
        }
    free(key);
    free(all);
    db_finalize(st);
    return rc < 0 ? -1 : 0;
}

static struct rtable *persons_table(struct db *db, const struct report_opts *o)
{
    static const struct { const char *code, *en, *lo; } st_rows[] = {
        { "Suspected", "Suspected", "ຖືກສົງໄສ" }, { "Arrested", "Arrested", "ຖືກຈັບ" },
        { "Prosecuted", "Prosecuted", "ຖືກຟ້ອງ" }, { "Convicted", "Convicted", "ຖືກລົງໂທດ" },
        { "Acquitted", "Acquitted", "ຖືກຍົກຟ້ອງ" },
    };
    struct rtable *t = rtable_new("suspects_by_stage", "Persons by stage reached and sex",
                                  "ຜູ້ຕ້ອງສົງໄສ ຕາມຂັ້ນຕອນ ແລະ ເພດ", "stage", "Stage", "ຂັ້ນຕອນ");
    struct sbuf sql = {0}, where = {0};
    const char *vals[REPORT_MAX_WHERE + 4];
    struct db_stmt *st = NULL;
    int np = 0, rc = -1, i, parts[4] = { 0, 1, 2, 3 };
    size_t j;

    rtable_col(t, "female", "Female", "ຍິງ", RC_COUNT);
    rtable_col(t, "male", "Male", "ຊາຍ", RC_COUNT);
    rtable_col(t, "other", "Other", "ອື່ນໆ", RC_COUNT);
    rtable_col(t, "unknown", "Unknown", "ບໍ່ຮູ້", RC_COUNT);
    rtable_col(t, "total", "Total", "ລວມ", RC_COUNT);
    rtable_col(t, "sentenced", "With sentence", "ມີໂທດ", RC_COUNT);
    rtable_group(t, 4, parts, 4);
    for (j = 0; j < ARRAY_LEN(st_rows); j++)
        rtable_row(t, st_rows[j].code, st_rows[j].en, st_rows[j].lo);
    if (report_filter_sql(db, "prosecutions", o, "investigated_on", &where, vals, &np) < 0)
        goto out;
    /* Each prosecution once, its suspects from the index suspects_prosecution
     * (db/009_suspects_by_prosecution.sql), not a lookup per suspect. */
    sbuf_addf(&sql,
        "SELECT ifnull(s.stage, ''), total(s.sex = 'F'), total(s.sex = 'M'), total(s.sex = 'X'),"
        " total(s.sex IS NULL OR s.sex = 'U'), count(*), total(s.sentence_months > 0 OR s.fine_lak > 0)"
        " FROM (SELECT uuid FROM prosecutions WHERE 1%s) p CROSS JOIN suspects s ON s.prosecution_uuid = p.uuid"
        " GROUP BY 1", sbuf_str(&where));
    if (!(st = db_prepare(db, sbuf_str(&sql), 0)))
        goto out;
    report_bind(st, vals, np);
    while ((rc = db_step(st)) == 1) {
        struct rrow *r = rtable_row(t, db_column_text(st, 0), NULL, NULL);

        for (i = 0; i < 6; i++)
            r->c[i].v = db_column_int(st, i + 1);
    }
    for (i = 0; i < t->nrow; i++)
        if (t->rows[i].key[0] == '\0')
            report_label_row(db, BY_TYPE, &t->rows[i]);
    rtable_add_total(t);
    rtable_note(t, "Persons named in prosecutions investigated in the period, by the furthest stage reached.",
                "ຜູ້ຖືກກ່າວຫາໃນຄະດີທີ່ສືບສວນໃນໄລຍະ, ຕາມຂັ້ນຕອນສຸດທ້າຍ.");
out:
    db_finalize(st);
    sbuf_free(&sql);
    sbuf_free(&where);
    if (rc < 0) {
        rtable_free(t);
        return NULL;
    }
    return t;
}

struct report *report_prosecutions_new(struct db *db, const struct report_opts *o)
{
    static const char *const dim_en[] = { "Year", "Province", "District", "Office" };
    static const char *const dim_lo[] = { "ປີ", "ແຂວງ", "ເມືອງ", "ຫ້ອງການ" };
    struct report *rep = report_alloc("prosecutions");
    struct sbuf sql = {0}, where = {0};
    const char *vals[REPORT_MAX_WHERE + 4];
    struct rtable *t;
    struct rcell all_days = {0};
    int i, np = 0;

    if (o->by > BY_OFFICE) {
        err_set("the prosecutions report has no breakdown by %s; use year, province, district or office",
                report_by_name(o->by));
        goto fail;
    }
    t = rtable_new("prosecutions", "Prosecutions: cases and persons by stage",
                   "ການດຳເນີນຄະດີ: ຄະດີ ແລະ ບຸກຄົນ ຕາມຂັ້ນຕອນ",
                   report_by_name(o->by), dim_en[o->by], dim_lo[o->by]);
    report_add(rep, t);
    for (i = 0; i < NCOL; i++)
        rtable_col(t, cols[i].key, cols[i].en, cols[i].lo, cols[i].kind);
    t->cols[C_DAYS].decimals = 0;
    if (stage_pass(db, o, t, &all_days) < 0)
        goto fail;
    if (o->by == BY_YEAR)
        report_fill_years(t, o);
    else
        report_sort_rows(t);
    for (i = 0; i < t->nrow; i++)
        report_label_row(db, o->by, &t->rows[i]);
    rtable_add_total(t);
    for (i = 0; i < t->nrow; i++) {
        struct rcell *c = t->rows[i].c;
        int64_t verdicts = c[C_CONV].v + c[C_ACQ].v;

        c[C_RATE].na = verdicts == 0;
        c[C_RATE].v = verdicts;
        c[C_RATE].m = verdicts ? 100.0 * (double)c[C_CONV].v / (double)verdicts : 0;
        /* Days from investigation to a verdict on the charge (convicted or
         * acquitted; a dismissal is no verdict on it), in the verdict's row. */
        c[C_DAYS].na = c[C_DAYS].v == 0;
        c[C_SENT].na = 1;
    }
    if (all_days.v) {
        struct rcell *c = &t->rows[t->nrow - 1].c[C_DAYS];

        c->m = all_days.m;
        c->v = all_days.v;
        c->na = 0;
    }
    if (report_filter_sql(db, "prosecutions", o, "verdict_on", &where, vals, &np) < 0)
        goto fail;
    sbuf_addf(&sql,
        "SELECT k, s.sentence_months FROM (SELECT uuid, %s AS k FROM prosecutions"
        " WHERE verdict_on IS NOT NULL AND " WITH_VERDICT "%s) p CROSS JOIN suspects s ON s.prosecution_uuid = p.uuid"
        " WHERE s.stage = 'Convicted' AND s.sentence_months IS NOT NULL ORDER BY k",
        report_dim_expr("prosecutions", o->by, "verdict_on"), sbuf_str(&where));
    if (medians(db, sbuf_str(&sql), vals, np, t, C_SENT) < 0)
        goto fail;
    rtable_note(t, "A prosecution counts in the year its investigation opened, its charge was laid "
                "and its verdict was given; conviction % = convictions / (convictions + acquittals).",
                "ຄະດີນັບໃນປີທີ່ເປີດການສືບສວນ, ປີທີ່ຟ້ອງ ແລະ ປີທີ່ຕັດສິນ; % ລົງໂທດ = ລົງໂທດ / (ລົງໂທດ + ຍົກຟ້ອງ).");

    if (!(t = persons_table(db, o)))
        goto fail;
    report_add(rep, t);
    sbuf_free(&sql);
    sbuf_free(&where);
    return rep;
fail:
    sbuf_free(&sql);
    sbuf_free(&where);
    report_free(rep);
    return NULL;
}
