/* The victims report: identified victims by sex and age group (the shape of
 * the study's Table 3) and by country, form of exploitation, province and agency. */
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "util.h"

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

/* A table of victims by BY with sex columns (and age columns when FULL). */
static struct rtable *victims_table(enum report_by by, int full)
{
    struct rtable *t;
    char name[64], en[128], lo[192];
    int i, ncols = full ? 8 : 5;
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
    if (by == BY_EXPLOITATION) {
        for (i = 0; i < ncols; i++)
            t->cols[i].nonadd = 1;
        rtable_note(t, "A victim counts once for each form of exploitation recorded; the rows do not add up to the number of victims.",
                    "ຜູ້ເຄາະຮ້າຍຄົນໜຶ່ງນັບໃນທຸກຮູບແບບການຂູດຮີດທີ່ບັນທຶກ; ແຖວບໍ່ລວມກັນເປັນຈຳນວນຜູ້ເຄາະຮ້າຍ.");
    }
    return t;
}

/* One table being counted: its breakdown and the column of the pass holding its key. */
struct tally {
    struct rtable *t;
    enum report_by by;
    int col, full;
};

/* Columns of the pass: the main breakdown, the fixed ones, sex, age group. */
enum { V_UUID, V_MAIN, V_COUNTRY, V_EXPLOITATION, V_PROVINCE, V_AGENCY, V_SEX, V_REG, V_BIRTH, V_AGE, V_GROUP };

/* The sex column of a victim: F, M, X, else unknown. */
static int sex_col(const char *sex)
{
    if (sex && sex[0] && !sex[1])
        switch (sex[0]) {
        case 'F': return 0;
        case 'M': return 1;
        case 'X': return 2;
        }
    return 3;
}

static void count_under(struct tally *y, const char *key, size_t n, int sex, int age)
{
    int r = rtable_row_n(y->t, key, n);     /* may move the rows */
    struct rcell *c = y->t->rows[r].c;

    c[sex].v++;
    c[4].v++;
    if (y->full)
        c[age].v++;
}

/* One victim into table Y: under each form of exploitation recorded (each
 * piece between ';', none: the not-recorded row), else under its key. */
static void count_victim(struct tally *y, const char *key, int sex, int age)
{
    const char *p, *semi;

    if (y->by != BY_EXPLOITATION) {
        count_under(y, key, strlen(key), sex, age);
        return;
    }
    for (p = key; ; p = semi + 1) {
        semi = strchr(p, ';');
        count_under(y, p, semi ? (size_t)(semi - p) : strlen(p), sex, age);
        if (!semi)
            break;
    }
}

/* Every table of the report from one scan of the victims: the main table by
 * O's breakdown, then by country, form of exploitation, province and agency. */
/* The tables one half of the victims is counted into. */
struct vhalf {
    struct tally y[5];
    int ny;
};

/* One victim into every table of its half. */
static void victim_row(void *arg, struct db_stmt *st)
{
    struct vhalf *h = arg;
    int sex = sex_col(db_column_text(st, V_SEX)), i;
    char ag = report_age_group(db_column_text(st, V_REG), db_column_text(st, V_BIRTH),
                               !db_column_is_null(st, V_AGE), db_column_double(st, V_AGE),
                               db_column_text(st, V_GROUP));
    int age = ag == 'c' ? 5 : ag == 'a' ? 6 : 7;

    for (i = 0; i < h->ny; i++)
        count_victim(&h->y[i], db_column_text(st, h->y[i].col), sex, age);
}

/* The tables of O's report, empty: the main one by O's breakdown, then by
 * country, form of exploitation, province and agency. */
static void victims_tables(struct vhalf *h, const struct report_opts *o)
{
    static const enum report_by more[] = { BY_COUNTRY, BY_EXPLOITATION, BY_PROVINCE, BY_AGENCY };
    static const int more_col[] = { V_COUNTRY, V_EXPLOITATION, V_PROVINCE, V_AGENCY };
    size_t m;
    int i;

    memset(h, 0, sizeof(*h));
    h->y[h->ny].by = o->by;
    h->y[h->ny].col = o->by == BY_EXPLOITATION ? V_EXPLOITATION : V_MAIN;
    h->y[h->ny++].full = 1;
    for (m = 0; m < ARRAY_LEN(more); m++)
        if (more[m] != o->by) {
            h->y[h->ny].by = more[m];
            h->y[h->ny++].col = more_col[m];
        }
    for (i = 0; i < h->ny; i++) {
        h->y[i].t = victims_table(h->y[i].by, h->y[i].full);
        /* The same victims in every table: published together, audited together. */
        h->y[i].t->share_total = h->y[i].by == BY_EXPLOITATION ? SHARE_COVER : SHARE_EQUAL;
    }
}

/* Every table of the report from one read of the victims (index
 * cases_victims), in two halves at once (report_victims_merge). */
struct report *report_victims_new(struct db *db, const struct report_opts *o)
{
    struct report *rep = report_alloc("victims");
    struct vhalf h[2];
    void *args[2] = { &h[0], &h[1] };
    const char *dim = o->by == BY_EXPLOITATION ? "''" : report_dim_expr("cases", o->by, "registered_on");
    struct sbuf cols = {0};
    struct report_merge m = { .date_expr = "registered_on", .cond = "", .on_case = victim_row };
    int rc, i;

    if (!dim) {
        err_set("the victims report has no breakdown by %s", report_by_name(o->by));
        report_free(rep);
        return NULL;
    }
    victims_tables(&h[0], o);
    victims_tables(&h[1], o);
    for (i = 0; i < h[0].ny; i++)
        report_add(rep, h[0].y[i].t);
    sbuf_addf(&cols, "%s, ifnull(exploitation_country, ''), ifnull(exploitation, ''), ifnull(home_province, ''),"
              " ifnull(identified_by, ''), sex, registered_on, birth_date, age, age_group", dim);
    m.case_cols = sbuf_str(&cols);
    rc = report_victims_merge(db, o, &m, args);
    for (i = 0; i < h[1].ny; i++) {
        rtable_add_counts(h[0].y[i].t, h[1].y[i].t);
        rtable_free(h[1].y[i].t);
    }
    sbuf_free(&cols);
    if (rc < 0) {
        report_free(rep);
        return NULL;
    }
    for (i = 0; i < h[0].ny; i++) {
        struct rtable *t = h[0].y[i].t;
        int r;

        if (h[0].y[i].by == BY_YEAR)
            report_fill_years(t, o);
        else
            report_sort_rows(t);
        for (r = 0; r < t->nrow; r++)
            report_label_row(db, h[0].y[i].by, &t->rows[r]);
        if (h[0].y[i].by != BY_EXPLOITATION)
            rtable_add_total(t);
    }
    return rep;
}
