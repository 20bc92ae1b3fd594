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

/* Columns of the prosecutions read: uuid, the row of each stage's date,
 * the dates, the verdict, official involvement and the days to a verdict. */
enum { Q_UUID, Q_KEY_INV, Q_KEY_CHARGE, Q_KEY_VERDICT, Q_INV, Q_CHARGE, Q_VERDICT_ON, Q_VERDICT,
       Q_OFFICIAL, Q_DAYS };
/* Columns of the suspects read. */
enum { S_UUID, S_STAGE, S_SEX, S_MONTHS, S_FINE };

/* Values of one measure, for its median. */
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

/* The pass: the main table and the persons table being counted, and per
 * row of the main table the days to verdict and the sentences. */
struct ppass {
    struct rtable *t, *persons;
    const struct report_opts *o;
    struct values *days, *sent, all_days, all_sent;
    int nvals;
};

/* The row of the main table keyed by column K of ST. */
static int stage_row(struct ppass *p, struct db_stmt *st, int k)
{
    const char *key = db_column_text(st, k);
    int r = rtable_row_n(p->t, key ? key : "", key ? strlen(key) : 0);

    if (r >= p->nvals) {
        int n = p->nvals;

        p->nvals = 2 * r + 16;
        p->days = xrealloc(p->days, (size_t)p->nvals * sizeof(*p->days));
        p->sent = xrealloc(p->sent, (size_t)p->nvals * sizeof(*p->sent));
        memset(p->days + n, 0, (size_t)(p->nvals - n) * sizeof(*p->days));
        memset(p->sent + n, 0, (size_t)(p->nvals - n) * sizeof(*p->sent));
    }
    return r;
}

/* What the suspects of one prosecution add up to. */
struct accused {
    int64_t all, prosecuted, convicted, acquitted;
};

/* One suspect of the prosecution at PS: into its prosecution's sums, the
 * persons table when IN_PERSONS, the sentences of row VROW when >= 0. */
static void count_suspect(struct ppass *p, struct db_stmt *ss, struct accused *a, int in_persons, int vrow)
{
    const char *stage = db_column_text(ss, S_STAGE), *sex = db_column_text(ss, S_SEX);

    a->all++;
    if (stage) {
        a->prosecuted += strcmp(stage, "Prosecuted") == 0 || strcmp(stage, "Convicted") == 0 ||
                         strcmp(stage, "Acquitted") == 0;
        a->convicted += strcmp(stage, "Convicted") == 0;
        a->acquitted += strcmp(stage, "Acquitted") == 0;
    }
    if (in_persons) {
        int r = rtable_row_n(p->persons, stage ? stage : "", stage ? strlen(stage) : 0);
        struct rcell *c = p->persons->rows[r].c;

        c[!sex || strcmp(sex, "U") == 0 ? 3 : strcmp(sex, "F") == 0 ? 0 : strcmp(sex, "M") == 0 ? 1 :
          strcmp(sex, "X") == 0 ? 2 : 3].v++;
        c[4].v++;
        c[5].v += (!db_column_is_null(ss, S_MONTHS) && db_column_int(ss, S_MONTHS) > 0) ||
                  (!db_column_is_null(ss, S_FINE) && db_column_int(ss, S_FINE) > 0);
    }
    if (vrow >= 0 && stage && strcmp(stage, "Convicted") == 0 && !db_column_is_null(ss, S_MONTHS)) {
        values_add(&p->sent[vrow], db_column_double(ss, S_MONTHS));
        values_add(&p->all_sent, db_column_double(ss, S_MONTHS));
    }
}

/* The prosecution at PS with its suspects A into the stages of its years. */
static void count_prosecution(struct ppass *p, struct db_stmt *ps, const struct accused *a, int vrow)
{
    const struct report_opts *o = p->o;
    struct rcell *c;
    int r;

    /* (stage_row may move the rows: the row is indexed after it returns.) */
    if (!db_column_is_null(ps, Q_INV) && report_year_ok(db_column_text(ps, Q_INV), o)) {
        r = stage_row(p, ps, Q_KEY_INV);
        c = p->t->rows[r].c;
        c[C_INV].v++;
        c[C_P_INV].v += a->all;
        /* Official involvement is counted with the investigations. */
        c[C_OFFICIAL].v += db_column_int(ps, Q_OFFICIAL);
    }
    if (!db_column_is_null(ps, Q_CHARGE) && report_year_ok(db_column_text(ps, Q_CHARGE), o)) {
        r = stage_row(p, ps, Q_KEY_CHARGE);
        c = p->t->rows[r].c;
        c[C_PROS].v++;
        c[C_P_PROS].v += a->prosecuted;
    }
    if (vrow >= 0) {
        int convicted = strcmp(db_column_text(ps, Q_VERDICT), "Convicted") == 0;

        c = p->t->rows[vrow].c;
        c[convicted ? C_CONV : C_ACQ].v++;
        if (convicted)
            c[C_P_CONV].v += a->convicted;
        c[C_P_ACQ].v += a->acquitted;
        if (!db_column_is_null(ps, Q_DAYS)) {
            values_add(&p->days[vrow], db_column_double(ps, Q_DAYS));
            values_add(&p->all_days, db_column_double(ps, Q_DAYS));
        }
    }
}

/* The row of the verdict of the prosecution at PS (convicted or acquitted
 * in the period), or -1. */
static int verdict_row(struct ppass *p, struct db_stmt *ps)
{
    const char *v = db_column_text(ps, Q_VERDICT), *on = db_column_text(ps, Q_VERDICT_ON);

    if (!on || !v || (strcmp(v, "Convicted") != 0 && strcmp(v, "Acquitted") != 0) ||
        !report_year_ok(on, p->o))
        return -1;
    return stage_row(p, ps, Q_KEY_VERDICT);
}

/* The median of each row's VALS into column COL, of ALL into the total row. */
static void put_medians(struct ppass *p, struct values *vals, struct values *all, int col)
{
    int i;

    for (i = 0; i < p->t->nrow && i < p->nvals; i++)
        if (vals[i].n) {
            p->t->rows[i].c[col].m = report_median(vals[i].v, vals[i].n);
            p->t->rows[i].c[col].v = vals[i].n;
        }
    if (all->n) {
        all->v[0] = report_median(all->v, all->n);
        all->n = -all->n;       /* taken: the median is in v[0] */
    }
}

/* Both tables from one merge, in uuid order, of the prosecutions (read once
 * and sorted) with their suspects (index suspects_prosecution, read once):
 * no lookup per prosecution, no join per stage. */
static int run_pass(struct db *db, struct ppass *p)
{
    const struct report_opts *o = p->o;
    struct sbuf sql = {0}, where = {0};
    const char *vals[REPORT_MAX_WHERE + 4];
    struct db_stmt *ps = NULL, *ss = NULL;
    int np = 0, prc = -1, src = -1, i;

    if (report_filter_sql(db, "prosecutions", o, NULL, &where, vals, &np) < 0)
        goto out;
    sbuf_addf(&sql, "SELECT uuid, %s, ", report_dim_expr("prosecutions", o->by, "investigated_on"));
    sbuf_addf(&sql, "%s, ", report_dim_expr("prosecutions", o->by, "charged_on"));
    sbuf_addf(&sql, "%s,", report_dim_expr("prosecutions", o->by, "verdict_on"));
    sbuf_addf(&sql,
        " investigated_on, charged_on, verdict_on, verdict, official_involved = 1,"
        " CASE WHEN length(verdict_on) = 10 AND length(investigated_on) = 10 AND " WITH_VERDICT
        " THEN julianday(verdict_on) - julianday(investigated_on) END"
        " FROM prosecutions WHERE 1%s ORDER BY +uuid", sbuf_str(&where));
    if (!(ps = db_prepare(db, sbuf_str(&sql), 0)) ||
        !(ss = db_prepare(db, "SELECT prosecution_uuid, stage, sex, sentence_months, fine_lak"
                          " FROM suspects INDEXED BY suspects_prosecution ORDER BY prosecution_uuid", 0)))
        goto out;
    report_bind(ps, vals, np);
    src = db_step(ss);
    while (src >= 0 && (prc = db_step(ps)) == 1) {
        const char *u = db_column_text(ps, Q_UUID);
        struct accused a = {0};
        int in_persons = report_year_ok(db_column_text(ps, Q_INV), o), vrow = verdict_row(p, ps);

        while (src == 1 && (i = strcmp(db_column_text(ss, S_UUID), u)) <= 0) {
            if (i == 0)
                count_suspect(p, ss, &a, in_persons, vrow);
            src = db_step(ss);
        }
        count_prosecution(p, ps, &a, vrow);
    }
    if (prc == 0 && src >= 0) {
        put_medians(p, p->days, &p->all_days, C_DAYS);
        put_medians(p, p->sent, &p->all_sent, C_SENT);
        prc = 0;
    } else {
        prc = -1;
    }
out:
    db_finalize(ps);
    db_finalize(ss);
    sbuf_free(&sql);
    sbuf_free(&where);
    return prc;
}

static struct rtable *persons_table(void)
{
    static const struct { const char *code, *en, *lo; } st_rows[] = {
        { "Suspected", "Suspected", "ຖືກສົງໄສ" }, { "Arrested", "Arrested", "ຖືກຈັບ" },
        { "Prosecuted", "Prosecuted", "ຖືກຟ້ອງ" }, { "Convicted", "Convicted", "ຖືກລົງໂທດ" },
        { "Acquitted", "Acquitted", "ຖືກຍົກຟ້ອງ" },
    };
    struct rtable *t = rtable_new("suspects_by_stage", "Persons by stage reached and sex",
                                  "ຜູ້ຕ້ອງສົງໄສ ຕາມຂັ້ນຕອນ ແລະ ເພດ", "stage", "Stage", "ຂັ້ນຕອນ");
    int parts[4] = { 0, 1, 2, 3 };
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
    return t;
}

struct report *report_prosecutions_new(struct db *db, const struct report_opts *o)
{
    static const char *const dim_en[] = { "Year", "Province", "District", "Office" };
    static const char *const dim_lo[] = { "ປີ", "ແຂວງ", "ເມືອງ", "ຫ້ອງການ" };
    struct report *rep = report_alloc("prosecutions");
    struct ppass p;
    struct rtable *t;
    int i, rc;

    if (o->by > BY_OFFICE) {
        err_set("the prosecutions report has no breakdown by %s; use year, province, district or office",
                report_by_name(o->by));
        report_free(rep);
        return NULL;
    }
    memset(&p, 0, sizeof(p));
    p.o = o;
    p.t = t = rtable_new("prosecutions", "Prosecutions: cases and persons by stage",
                         "ການດຳເນີນຄະດີ: ຄະດີ ແລະ ບຸກຄົນ ຕາມຂັ້ນຕອນ",
                         report_by_name(o->by), dim_en[o->by], dim_lo[o->by]);
    report_add(rep, t);
    for (i = 0; i < NCOL; i++)
        rtable_col(t, cols[i].key, cols[i].en, cols[i].lo, cols[i].kind);
    t->cols[C_DAYS].decimals = 0;
    p.persons = persons_table();
    report_add(rep, p.persons);
    rc = run_pass(db, &p);
    for (i = 0; i < p.nvals; i++) {
        free(p.days[i].v);
        free(p.sent[i].v);
    }
    free(p.days);
    free(p.sent);
    if (rc < 0) {
        free(p.all_days.v);
        free(p.all_sent.v);
        report_free(rep);
        return NULL;
    }

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
         * acquitted; a dismissal is no verdict on it), and the sentences of
         * those convicted, in the verdict's row. */
        c[C_DAYS].na = c[C_DAYS].v == 0;
        c[C_SENT].na = c[C_SENT].v == 0;
    }
    if (p.all_days.n < 0) {
        struct rcell *c = &t->rows[t->nrow - 1].c[C_DAYS];

        c->m = p.all_days.v[0];
        c->v = -p.all_days.n;
        c->na = 0;
    }
    if (p.all_sent.n < 0) {
        struct rcell *c = &t->rows[t->nrow - 1].c[C_SENT];

        c->m = p.all_sent.v[0];
        c->v = -p.all_sent.n;
        c->na = 0;
    }
    free(p.all_days.v);
    free(p.all_sent.v);
    rtable_note(t, "A prosecution counts in the year its investigation opened, its charge was laid "
                "and its verdict was given; conviction % = convictions / (convictions + acquittals).",
                "ຄະດີນັບໃນປີທີ່ເປີດການສືບສວນ, ປີທີ່ຟ້ອງ ແລະ ປີທີ່ຕັດສິນ; % ລົງໂທດ = ລົງໂທດ / (ລົງໂທດ + ຍົກຟ້ອງ).");

    t = p.persons;
    for (i = 0; i < t->nrow; i++)
        if (t->rows[i].key[0] == '\0')
            report_label_row(db, BY_TYPE, &t->rows[i]);
    rtable_add_total(t);
    rtable_note(t, "Persons named in prosecutions investigated in the period, by the furthest stage reached.",
                "ຜູ້ຖືກກ່າວຫາໃນຄະດີທີ່ສືບສວນໃນໄລຍະ, ຕາມຂັ້ນຕອນສຸດທ້າຍ.");
    return rep;
}
