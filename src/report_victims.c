/* The victims report: identified victims by sex and age group (the shape of
 * the study's Table 3) and by country, form of exploitation, province and agency. */
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "util.h"

#define VICTIM_COND REPORT_VICTIM_COND

#define AGE_GROUP_EXPR REPORT_AGE_GROUP_EXPR

static const struct { const char *key, *en, *lo; } sex_cols[] = {
    { "female", "Female", "ຍິງ" },
    { "male", "Male", "ຊາຍ" },
    { "other", "Other", "ອື່ນໆ" },
    { "unknown", "Unknown", "ບໍ່ຮູ້" },
    { "total", "Total", "ລວມ" },
    { "under_18", "Under 18", "ຕ່ຳກວ່າ 18" },
    { "adult", "18+", "18+" },
    { "age_unknown", "Age unknown", "ອາຍຸບໍ່ຮູ້" },
};

static const struct { enum report_by by; const char *en, *lo; } dim_labels[] = {
    { BY_YEAR, "Year", "ປີ" },
    { BY_PROVINCE, "Province", "ແຂວງ" },
    { BY_DISTRICT, "District", "ເມືອງ" },
    { BY_OFFICE, "Office", "ຫ້ອງການ" },
    { BY_COUNTRY, "Country of exploitation", "ປະເທດທີ່ຖືກຂູດຮີດ" },
    { BY_EXPLOITATION, "Form of exploitation", "ຮູບແບບການຂູດຮີດ" },
    { BY_AGENCY, "Identifying agency", "ອົງການທີ່ກຳນົດຕົວ" },
    { BY_BORDER, "Border area", "ເຂດຊາຍແດນ" },
    { BY_TYPE, "Type", "ປະເພດ" },
};

static struct rtable *dim_table(const char *name, const char *en, const char *lo, enum report_by by)
{
    size_t i;

    for (i = 0; i < ARRAY_LEN(dim_labels); i++)
        if (dim_labels[i].by == by)
            break;
    return rtable_new(name, en, lo, report_by_name(by), dim_labels[i].en, dim_labels[i].lo);
}

/* Victims by BY with sex columns (and age columns when FULL). */
static struct rtable *victims_table(struct db *db, const struct report_opts *o,
                                    enum report_by by, int full)
{
    struct sbuf sql = {0}, where = {0};
    const char *vals[REPORT_MAX_WHERE + 4];
    const char *dim;
    struct rtable *t;
    struct db_stmt *st = NULL;
    char name[64], en[128], lo[192];
    int np = 0, i, rc, ncols = full ? 8 : 5;
    int sex[4] = { 0, 1, 2, 3 }, age[3] = { 5, 6, 7 };

    snprintf(name, sizeof(name), "victims_by_%s", report_by_name(by));
    for (i = 0; i < (int)ARRAY_LEN(dim_labels) && dim_labels[i].by != by; i++)
        ;
    snprintf(en, sizeof(en), "Identified victims by %s", report_by_name(by));
    snprintf(lo, sizeof(lo), "ຜູ້ເຄາະຮ້າຍທີ່ຖືກກຳນົດຕົວ ຕາມ%s", dim_labels[i].lo);
    if (by == BY_EXPLOITATION)
        snprintf(en, sizeof(en), "Identified victims by form of exploitation");
    t = dim_table(name, en, lo, by);
    for (i = 0; i < ncols; i++)
        rtable_col(t, sex_cols[i].key, sex_cols[i].en, sex_cols[i].lo, RC_COUNT);
    rtable_group(t, 4, sex, 4);
    if (full)
        rtable_group(t, 4, age, 3);

    if (report_filter_sql(db, "cases", o, "registered_on", &where, vals, &np) < 0)
        goto fail;
    if (by == BY_EXPLOITATION) {
        /* Multi-select: a victim counts once under each form recorded. */
        sbuf_addf(&sql,
            "WITH RECURSIVE v(sex, ag, rest) AS (SELECT sex, " AGE_GROUP_EXPR ", ifnull(exploitation, '') || ';'"
            " FROM cases WHERE " VICTIM_COND "%s),"
            " s(sex, ag, k, rest) AS (SELECT sex, ag, NULL, rest FROM v UNION ALL"
            " SELECT sex, ag, substr(rest, 1, instr(rest, ';') - 1), substr(rest, instr(rest, ';') + 1)"
            " FROM s WHERE rest <> '')"
            " SELECT k, total(sex = 'F'), total(sex = 'M'), total(sex = 'X'),"
            " total(sex IS NULL OR sex = 'U'), count(*), total(ag = 'c'), total(ag = 'a'), total(ag = 'u')"
            " FROM s WHERE k IS NOT NULL GROUP BY k", sbuf_str(&where));
        for (i = 0; i < ncols; i++)
            t->cols[i].nonadd = 1;
        rtable_note(t, "A victim counts once for each form of exploitation recorded; the rows do not add up to the number of victims.",
                    "ຜູ້ເຄາະຮ້າຍຄົນໜຶ່ງນັບໃນທຸກຮູບແບບການຂູດຮີດທີ່ບັນທຶກ; ແຖວບໍ່ລວມກັນເປັນຈຳນວນຜູ້ເຄາະຮ້າຍ.");
    } else {
        dim = report_dim_expr("cases", by, "registered_on");
        if (!dim) {
            err_set("the victims report has no breakdown by %s", report_by_name(by));
            goto fail;
        }
        sbuf_addf(&sql,
            "SELECT k, total(sex = 'F'), total(sex = 'M'), total(sex = 'X'),"
            " total(sex IS NULL OR sex = 'U'), count(*), total(ag = 'c'), total(ag = 'a'), total(ag = 'u')"
            " FROM (SELECT %s AS k, sex, " AGE_GROUP_EXPR " AS ag FROM cases WHERE " VICTIM_COND "%s)"
            " GROUP BY k", dim, sbuf_str(&where));
    }
    st = db_prepare(db, sbuf_str(&sql), 0);
    if (!st)
        goto fail;
    report_bind(st, vals, np);
    while ((rc = db_step(st)) == 1) {
        struct rrow *r = rtable_row(t, db_column_text(st, 0), NULL, NULL);

        for (i = 0; i < ncols; i++)
            r->c[i].v = db_column_int(st, i + 1);
    }
    if (rc < 0)
        goto fail;
    db_finalize(st);
    st = NULL;
    if (by == BY_YEAR)
        report_fill_years(t, o);
    else
        report_sort_rows(t);
    for (i = 0; i < t->nrow; i++)
        report_label_row(db, by, &t->rows[i]);
    if (by != BY_EXPLOITATION)
        rtable_add_total(t);
    sbuf_free(&sql);
    sbuf_free(&where);
    return t;
fail:
    db_finalize(st);
    sbuf_free(&sql);
    sbuf_free(&where);
    rtable_free(t);
    return NULL;
}

struct report *report_victims_new(struct db *db, const struct report_opts *o)
{
    static const enum report_by more[] = { BY_COUNTRY, BY_EXPLOITATION, BY_PROVINCE, BY_AGENCY };
    struct report *rep = report_alloc("victims");
    struct rtable *t;
    size_t i;

    if (!(t = victims_table(db, o, o->by, 1)))
        goto fail;
    report_add(rep, t);
    for (i = 0; i < ARRAY_LEN(more); i++) {
        if (more[i] == o->by)
            continue;
        if (!(t = victims_table(db, o, more[i], 0)))
            goto fail;
        report_add(rep, t);
    }
    return rep;
fail:
    report_free(rep);
    return NULL;
}
