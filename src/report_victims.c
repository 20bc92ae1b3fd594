/* The victims report (identified victims by sex and age group, the shape of
 * the study's Table 3) and the protection report (assistance given to them). */
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

/* --- protection --- */

/* The assistance rows of counted victims, with the year the assistance
 * started (the case's registration year when no start date). */
#define ASSIST_SRC(filters) \
    "(SELECT a.case_uuid AS cu, ifnull(a.type, '') AS type, ifnull(a.status, '') AS st, a.start_on," \
    " a.end_on, ifnull(substr(ifnull(a.start_on, c.registered_on), 1, 4), '') AS y, c.home_province AS hp," \
    " c.home_district AS hd, c.office AS off FROM case_assistance a JOIN" \
    " (SELECT uuid, registered_on, home_province, home_district, office FROM cases WHERE " VICTIM_COND \
    filters ") c ON c.uuid = a.case_uuid)"

static int protection_where(struct db *db, const struct report_opts *o, struct sbuf *where,
                            struct sbuf *outer, const char **vals, int *np)
{
    static char years[2][8];

    if (report_filter_sql(db, "cases", o, NULL, where, vals, np) < 0)
        return -1;
    sbuf_add(outer, " WHERE 1");
    if (o->from) {
        snprintf(years[0], sizeof(years[0]), "%04d", o->from);
        vals[(*np)++] = years[0];
        sbuf_addf(outer, " AND y >= ?%d", *np);
    }
    if (o->to) {
        snprintf(years[1], sizeof(years[1]), "%04d", o->to);
        vals[(*np)++] = years[1];
        sbuf_addf(outer, " AND y <= ?%d", *np);
    }
    return 0;
}

static int run_rows(struct db *db, const char *sql, const char **vals, int np,
                    struct rtable *t, int ncols)
{
    struct db_stmt *st = db_prepare(db, sql, 0);
    int rc, i;

    if (!st)
        return -1;
    report_bind(st, vals, np);
    while ((rc = db_step(st)) == 1) {
        struct rrow *r = rtable_row(t, db_column_text(st, 0), NULL, NULL);

        for (i = 0; i < ncols; i++)
            r->c[i].v = db_column_int(st, i + 1);
    }
    db_finalize(st);
    return rc < 0 ? -1 : 0;
}

struct report *report_protection_new(struct db *db, const struct report_opts *o)
{
    static const char *const statuses[] = { "Planned", "Ongoing", "Completed", "Refused", "Discontinued" };
    static const char *const dims[] = { "y", "ifnull(hp, '')", "ifnull(hd, '')", "off" };
    struct report *rep = report_alloc("protection");
    struct sbuf where = {0}, outer = {0}, sql = {0};
    const char *vals[REPORT_MAX_WHERE + 4];
    struct rtable *t = NULL;
    int np = 0, i, parts[6];
    enum report_by by = o->by;

    if (by > BY_OFFICE) {
        err_set("the protection report has no breakdown by %s; use year, province, district or office",
                report_by_name(by));
        goto fail;
    }
    if (protection_where(db, o, &where, &outer, vals, &np) < 0)
        goto fail;

    t = dim_table("protection", "Victims assisted", "ຜູ້ເຄາະຮ້າຍທີ່ໄດ້ຮັບການຊ່ວຍເຫຼືອ", by);
    rtable_col(t, "victims_assisted", "Victims assisted", "ຜູ້ໄດ້ຮັບການຊ່ວຍເຫຼືອ", RC_COUNT);
    rtable_col(t, "assistance", "Assistance given", "ການຊ່ວຍເຫຼືອ", RC_COUNT);
    rtable_col(t, "completed", "Completed", "ສຳເລັດ", RC_COUNT);
    rtable_col(t, "shelter_victims", "In shelter", "ຢູ່ທີ່ພັກ", RC_COUNT);
    rtable_col(t, "shelter_days", "Shelter days", "ມື້ທີ່ພັກ", RC_COUNT);
    rtable_col(t, "reintegration_victims", "Reintegration", "ເຊື່ອມໂຍງຄືນ", RC_COUNT);
    rtable_col(t, "reintegration_completed", "Reintegrated", "ເຊື່ອມໂຍງແລ້ວ", RC_COUNT);
    /* Distinct victims do not add up over rows: a victim may be helped in two years. */
    t->cols[0].nonadd = t->cols[3].nonadd = t->cols[5].nonadd = t->cols[6].nonadd = 1;
    sbuf_addf(&sql,
        "SELECT %s, count(DISTINCT cu), count(*), total(st = 'Completed'),"
        " count(DISTINCT CASE WHEN type = 'Shelter' THEN cu END),"
        " total(CASE WHEN type = 'Shelter' AND length(start_on) = 10 AND length(end_on) = 10"
        "  THEN julianday(end_on) - julianday(start_on) END),"
        " count(DISTINCT CASE WHEN type = 'Reintegration' THEN cu END),"
        " count(DISTINCT CASE WHEN type = 'Reintegration' AND st = 'Completed' THEN cu END)"
        " FROM " ASSIST_SRC("%s") "%s GROUP BY 1",
        dims[by], sbuf_str(&where), sbuf_str(&outer));
    if (run_rows(db, sbuf_str(&sql), vals, np, t, 7) < 0)
        goto fail;
    if (by == BY_YEAR)
        report_fill_years(t, o);
    else
        report_sort_rows(t);
    for (i = 0; i < t->nrow; i++)
        report_label_row(db, by, &t->rows[i]);
    rtable_add_total(t);
    /* The distinct counts of the total row. */
    sbuf_reset(&sql);
    sbuf_addf(&sql,
        "SELECT 'total', count(DISTINCT cu), count(*), total(st = 'Completed'),"
        " count(DISTINCT CASE WHEN type = 'Shelter' THEN cu END), 0,"
        " count(DISTINCT CASE WHEN type = 'Reintegration' THEN cu END),"
        " count(DISTINCT CASE WHEN type = 'Reintegration' AND st = 'Completed' THEN cu END)"
        " FROM " ASSIST_SRC("%s") "%s", sbuf_str(&where), sbuf_str(&outer));
    {
        struct rtable *tmp = rtable_new("t", "", "", "k", "", "");
        struct rrow *tot = &t->rows[t->nrow - 1];

        for (i = 0; i < 7; i++)
            rtable_col(tmp, t->cols[i].key, "", "", RC_COUNT);
        if (run_rows(db, sbuf_str(&sql), vals, np, tmp, 7) < 0) {
            rtable_free(tmp);
            goto fail;
        }
        if (tmp->nrow)
            for (i = 0; i < 7; i++)
                if (t->cols[i].nonadd)
                    tot->c[i].v = tmp->rows[0].c[i].v;
        rtable_free(tmp);
    }
    report_add(rep, t);

    /* Assistance by type and status. */
    t = rtable_new("assistance_by_type", "Assistance by type and status",
                   "ການຊ່ວຍເຫຼືອ ຕາມປະເພດ ແລະ ສະຖານະ", "type", "Type", "ປະເພດ");
    for (i = 0; i < 5; i++) {
        char key[32];
        size_t k;

        snprintf(key, sizeof(key), "%s", statuses[i]);
        for (k = 0; key[k]; k++)
            key[k] = (char)(key[k] >= 'A' && key[k] <= 'Z' ? key[k] - 'A' + 'a' : key[k]);
        parts[i] = rtable_col(t, key, report_code_label(statuses[i], "en"),
                              report_code_label(statuses[i], "lo"), RC_COUNT);
    }
    parts[5] = rtable_col(t, "status_unknown", "Not recorded", "ບໍ່ໄດ້ບັນທຶກ", RC_COUNT);
    rtable_col(t, "total", "Total", "ລວມ", RC_COUNT);
    rtable_group(t, 6, parts, 6);
    sbuf_reset(&sql);
    sbuf_addf(&sql,
        "SELECT type, total(st = 'Planned'), total(st = 'Ongoing'), total(st = 'Completed'),"
        " total(st = 'Refused'), total(st = 'Discontinued'), total(st = ''), count(*)"
        " FROM " ASSIST_SRC("%s") "%s GROUP BY type", sbuf_str(&where), sbuf_str(&outer));
    report_add(rep, t);
    if (run_rows(db, sbuf_str(&sql), vals, np, t, 7) < 0)
        goto fail;
    report_sort_rows(t);
    for (i = 0; i < t->nrow; i++)
        report_label_row(db, BY_TYPE, &t->rows[i]);
    rtable_add_total(t);

    /* Case management: where the victims' cases stand, and follow-ups due. */
    t = rtable_new("case_status", "Victims' case status and follow-up",
                   "ສະຖານະຄະດີ ແລະ ການຕິດຕາມ", "case_status", "Case status", "ສະຖານະຄະດີ");
    rtable_col(t, "victims", "Victims", "ຜູ້ເຄາະຮ້າຍ", RC_COUNT);
    rtable_col(t, "followup_due", "Follow-up overdue", "ກາຍກຳນົດຕິດຕາມ", RC_COUNT);
    report_add(rep, t);
    {
        char today[11];

        if (o->today)
            snprintf(today, sizeof(today), "%s", o->today);
        else
            util_today(today);
        np = 0;
        vals[np++] = today;     /* ?1; the filters' parameters follow */
        sbuf_reset(&outer);
        if (report_filter_sql(db, "cases", o, "registered_on", &outer, vals, &np) < 0)
            goto fail;
        sbuf_reset(&sql);
        sbuf_addf(&sql,
            "SELECT ifnull(case_status, ''), count(*),"
            " total(case_status = 'FollowUp' AND followup_on < ?1)"
            " FROM cases WHERE " VICTIM_COND "%s GROUP BY 1", sbuf_str(&outer));
        if (run_rows(db, sbuf_str(&sql), vals, np, t, 2) < 0)
            goto fail;
    }
    report_sort_rows(t);
    for (i = 0; i < t->nrow; i++) {
        const char *k = t->rows[i].key;
        static const struct { const char *code, *en, *lo; } cs[] = {
            { "Active", "Active", "ກຳລັງດຳເນີນ" }, { "FollowUp", "Follow-up", "ຕິດຕາມ" },
            { "Closed", "Closed", "ປິດ" }, { "ClosedReferred", "Closed, referred", "ປິດ, ສົ່ງຕໍ່" },
        };
        size_t j;

        report_label_row(db, BY_TYPE, &t->rows[i]);
        for (j = 0; j < ARRAY_LEN(cs); j++)
            if (strcmp(k, cs[j].code) == 0) {
                free(t->rows[i].en);
                free(t->rows[i].lo);
                t->rows[i].en = xstrdup(cs[j].en);
                t->rows[i].lo = xstrdup(cs[j].lo);
            }
    }
    rtable_add_total(t);
    sbuf_free(&where);
    sbuf_free(&outer);
    sbuf_free(&sql);
    return rep;
fail:
    sbuf_free(&where);
    sbuf_free(&outer);
    sbuf_free(&sql);
    report_free(rep);
    return NULL;
}
