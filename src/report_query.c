/* What every report shares: the filters as SQL, the breakdowns
 * (dimensions) and their labels, the legend.  Running a report by name is
 * report_run.c's. */
#include <ctype.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "util.h"

/* Labels of the fixed codes of canon.c that reports show as rows. */
static const struct { const char *code, *en, *lo; } code_labels[] = {
    { "ForcedLabour", "Forced labour", "ແຮງງານບັງຄັບ" },
    { "SexualExploitation", "Sexual exploitation", "ການຂູດຮີດທາງເພດ" },
    { "ForcedMarriage", "Forced marriage", "ການບັງຄັບແຕ່ງງານ" },
    { "Servitude", "Domestic servitude", "ການເປັນຂ້າຮັບໃຊ້" },
    { "ForcedBegging", "Forced begging", "ການບັງຄັບຂໍທານ" },
    { "ForcedCriminality", "Forced criminality", "ການບັງຄັບກະທຳຜິດ" },
    { "OrganRemoval", "Organ removal", "ການເອົາອະໄວຍະວະ" },
    { "ChildLabour", "Child labour", "ແຮງງານເດັກ" },
    { "Other", "Other", "ອື່ນໆ" },
    { "Police", "Police", "ຕຳຫຼວດ" },
    { "BorderImmigration", "Border/immigration", "ດ່ານ/ກວດຄົນເຂົ້າເມືອງ" },
    { "WomensUnion", "Lao Women's Union", "ສະຫະພັນແມ່ຍິງລາວ" },
    { "SocialWelfare", "Social welfare", "ສະຫວັດດີການສັງຄົມ" },
    { "NGO", "NGO/IO", "ອົງການຈັດຕັ້ງສາກົນ" },
    { "Hotline", "Hotline", "ສາຍດ່ວນ" },
    { "SelfReferral", "Self-referral", "ມາເອງ" },
    { "ForeignAuthorityReturn", "Returned by foreign authority", "ສົ່ງກັບຈາກຕ່າງປະເທດ" },
    { "Policy", "Policy and cooperation", "ນະໂຍບາຍ ແລະ ການຮ່ວມມື" },
    { "Prevention", "Prevention", "ການປ້ອງກັນ" },
    { "Prosecution", "Prosecution", "ການດຳເນີນຄະດີ" },
    { "Protection", "Protection", "ການປົກປ້ອງ" },
    { "Planned", "Planned", "ວາງແຜນ" },
    { "Ongoing", "Ongoing", "ກຳລັງດຳເນີນ" },
    { "Completed", "Completed", "ສຳເລັດ" },
    { "Refused", "Refused", "ປະຕິເສດ" },
    { "Discontinued", "Discontinued", "ຢຸດເຊົາ" },
    { "Shelter", "Shelter", "ທີ່ພັກອາໄສ" },
    { "Medical", "Medical", "ການແພດ" },
    { "Psychological", "Psychological", "ຈິດຕະສາດ" },
    { "Legal", "Legal", "ກົດໝາຍ" },
    { "Education", "Education", "ການສຶກສາ" },
    { "VocationalTraining", "Vocational training", "ຝຶກອາຊີບ" },
    { "Livelihood", "Livelihood/financial", "ການດຳລົງຊີວິດ" },
    { "FamilyTracing", "Family tracing", "ຊອກຫາຄອບຄົວ" },
    { "Repatriation", "Repatriation", "ການສົ່ງກັບຄືນ" },
    { "Reintegration", "Reintegration", "ການເຊື່ອມໂຍງຄືນສູ່ສັງຄົມ" },
    { "None", "None", "ບໍ່ມີ" },
};

const char *report_code_label(const char *code, const char *lang)
{
    size_t i;

    for (i = 0; i < ARRAY_LEN(code_labels); i++)
        if (strcmp(code_labels[i].code, code) == 0)
            return rtable_label(code_labels[i].en, code_labels[i].lo, lang);
    return NULL;
}

const char *report_by_name(enum report_by by)
{
    static const char *const names[] = { "year", "province", "district", "office", "country",
                                          "exploitation", "agency", "border_area", "type" };
    return names[by];
}

const char *report_dim_expr(const char *table, enum report_by by, const char *date_expr)
{
    static char year[96];
    int cases = strcmp(table, "cases") == 0, events = strcmp(table, "events") == 0;

    switch (by) {
    case BY_YEAR:
        snprintf(year, sizeof(year), "ifnull(substr(%s, 1, 4), '')", date_expr);
        return year;
    case BY_PROVINCE: return cases ? "ifnull(home_province, '')" : "ifnull(province, '')";
    case BY_DISTRICT: return cases ? "ifnull(home_district, '')" : "ifnull(district, '')";
    case BY_OFFICE: return "office";
    case BY_COUNTRY: return cases ? "ifnull(exploitation_country, '')" : NULL;
    case BY_AGENCY: return cases ? "ifnull(identified_by, '')" : NULL;
    case BY_BORDER: return events ? "ifnull(border_area, '')" : NULL;
    case BY_TYPE: return events ? "ifnull(event_type, '')" : NULL;
    case BY_EXPLOITATION: return NULL;  /* multi-select: the victims report splits it */
    }
    return NULL;
}

static void label_from(struct db *db, const char *sql, struct rrow *r)
{
    struct db_stmt *st = db_prepare(db, sql, 1);

    if (!st)
        return;
    db_bind_text(st, 1, r->key);
    if (db_step(st) == 1) {
        const char *lo = db_column_text(st, 1);

        free(r->en);
        free(r->lo);
        r->en = xstrdup(db_column_text(st, 0));
        r->lo = xstrdup(util_empty(lo) ? r->en : lo);
    }
    db_reset(st);
}

void report_label_row(struct db *db, enum report_by by, struct rrow *r)
{
    const char *en;

    if (r->is_total)
        return;
    if (r->key[0] == '\0') {
        free(r->en);
        free(r->lo);
        r->en = xstrdup("(not recorded)");
        r->lo = xstrdup("(ບໍ່ໄດ້ບັນທຶກ)");
        return;
    }
    switch (by) {
    case BY_PROVINCE:
        label_from(db, "SELECT name_en, name_lo FROM ref_province WHERE pcode = ?1", r);
        break;
    case BY_DISTRICT:
        label_from(db, "SELECT name_en, name_lo FROM ref_district WHERE pcode = ?1", r);
        break;
    case BY_OFFICE:
        if (strlen(r->key) == 4)
            label_from(db, "SELECT name_en, name_lo FROM ref_province WHERE pcode = ?1", r);
        else
            label_from(db, "SELECT name_en, name_lo FROM ref_district WHERE pcode = ?1", r);
        break;
    case BY_COUNTRY:
    case BY_BORDER:
        label_from(db, "SELECT name_en, name_lo FROM ref_country WHERE iso2 = ?1", r);
        break;
    default:
        break;
    }
    /* List codes ("None", forms of exploitation, agencies...). */
    if ((en = report_code_label(r->key, "en")) && strcmp(r->en, r->key) == 0) {
        free(r->en);
        free(r->lo);
        r->en = xstrdup(en);
        r->lo = xstrdup(report_code_label(r->key, "lo"));
    }
}

static int row_cmp(const void *a, const void *b)
{
    const struct rrow *x = a, *y = b;

    if (x->is_total != y->is_total)
        return x->is_total - y->is_total;
    if ((x->key[0] == '\0') != (y->key[0] == '\0'))
        return x->key[0] == '\0' ? 1 : -1;
    return strcmp(x->key, y->key);
}

void report_sort_rows(struct rtable *t)
{
    rtable_sort(t, row_cmp);
}

void report_fill_years(struct rtable *t, const struct report_opts *o)
{
    int y, lo = o->from, hi = o->to, i;
    char key[16];

    /* Without a period, the years between the first and the last found. */
    for (i = 0; i < t->nrow; i++) {
        long v;

        if (t->rows[i].is_total || util_parse_long(t->rows[i].key, &v) != 0)
            continue;
        if (!o->from && (!lo || v < lo))
            lo = (int)v;
        if (!o->to && (!hi || v > hi))
            hi = (int)v;
    }
    if (lo && hi && hi - lo < 200)
        for (y = lo; y <= hi; y++) {
            snprintf(key, sizeof(key), "%d", y);
            rtable_row(t, key, NULL, NULL);
        }
    report_sort_rows(t);
}

/* A column name that may be put into SQL: a real column of TABLE, spelled
 * as our schema spells columns. */
static int column_ok(struct db *db, const char *table, const char *col)
{
    const char *p;

    if (util_empty(col))
        return 0;
    for (p = col; *p; p++)
        if (!islower((unsigned char)*p) && !isdigit((unsigned char)*p) && *p != '_')
            return 0;
    return db_has_column(db, table, col);
}

int report_filter_sql(struct db *db, const char *table, const struct report_opts *o,
                      const char *date_expr, struct sbuf *sql, const char **vals, int *np)
{
    int i;
    static char years[REPORT_MAX_WHERE][8];

    sbuf_add(sql, " AND deleted_at IS NULL");
    if (o->status) {
        vals[(*np)++] = o->status;
        sbuf_addf(sql, " AND status = ?%d", *np);
    } else {
        sbuf_add(sql, " AND status <> 'draft'");
    }
    if (date_expr && o->from) {
        snprintf(years[0], sizeof(years[0]), "%04d", o->from);
        vals[(*np)++] = years[0];
        sbuf_addf(sql, " AND substr(%s, 1, 4) >= ?%d", date_expr, *np);
    }
    if (date_expr && o->to) {
        snprintf(years[1], sizeof(years[1]), "%04d", o->to);
        vals[(*np)++] = years[1];
        sbuf_addf(sql, " AND substr(%s, 1, 4) <= ?%d", date_expr, *np);
    }
    for (i = 0; i < o->nwhere; i++) {
        if (!column_ok(db, table, o->where_col[i]))
            return err_set("--where %s: %s has no column '%s'; see db/001_schema.sql for the names",
                           o->where_col[i], table, o->where_col[i]);
        vals[(*np)++] = o->where_val[i];
        /* One value of a multi-select (codes joined by ';') matches too. */
        sbuf_addf(sql, " AND instr(';' || %s || ';', ';' || ?%d || ';') > 0",
                  o->where_col[i], *np);
    }
    return 0;
}

const char *report_victims_from(struct db *db, const struct report_opts *o)
{
    if ((o->status && strcmp(o->status, "draft") == 0) ||
        db_query_int(db, "SELECT count(*) FROM sqlite_schema WHERE type = 'index'"
                     " AND name = 'cases_victims'", NULL, 0) != 1)
        return "cases WHERE " REPORT_VICTIM_COND;
    return "cases INDEXED BY cases_victims WHERE " REPORT_VICTIM_TERMS;
}

/* SQLite's length() of text: its characters. */
size_t report_text_len(const char *s)
{
    size_t n = 0;

    for (; *s; s++)
        n += ((unsigned char)*s & 0xc0) != 0x80;
    return n;
}

/* The byte offset of character I (0-based) of S, or of its end. */
static size_t u8_at(const char *s, size_t i)
{
    const unsigned char *p = (const unsigned char *)s;

    while (*p && i--)
        if (*p++ >= 0xc0)
            while ((*p & 0xc0) == 0x80)
                p++;
    return (size_t)((const char *)p - s);
}

/* CAST(substr(S, 1, 4) AS INTEGER): leading spaces, a sign and digits. */
static long year_of(const char *s)
{
    size_t end = u8_at(s, 4), i = 0;
    long v = 0;
    int neg = 0;

    while (i < end && (s[i] == ' ' || (s[i] >= '\t' && s[i] <= '\r')))
        i++;
    if (i < end && (s[i] == '-' || s[i] == '+'))
        neg = s[i++] == '-';
    for (; i < end && s[i] >= '0' && s[i] <= '9'; i++)
        v = 10 * v + (s[i] - '0');
    return neg ? -v : v;
}

/* substr(A, 6, 5) < substr(B, 6, 5), compared as SQLite compares text. */
static int month_day_before(const char *a, const char *b)
{
    size_t a0 = u8_at(a, 5), a1 = u8_at(a, 10), b0 = u8_at(b, 5), b1 = u8_at(b, 10);
    size_t n = a1 - a0 < b1 - b0 ? a1 - a0 : b1 - b0;
    int c = memcmp(a + a0, b + b0, n);

    return c < 0 || (c == 0 && a1 - a0 < b1 - b0);
}

char report_age_group(const char *reg, const char *birth, int has_age, double age, const char *group)
{
    size_t lb = birth ? report_text_len(birth) : 0, lr = reg ? report_text_len(reg) : 0;
    char by_group = group && strcmp(group, "Child") == 0 ? 'c' : group && strcmp(group, "Adult") == 0 ? 'a' : 'u';

    if (birth && reg && lb == 10 && lr >= 10)
        return year_of(reg) - year_of(birth) - month_day_before(reg, birth) < 18 ? 'c' : 'a';
    if (has_age)
        return age < 18 ? 'c' : 'a';
    if (birth && reg && lb >= 4 && lr >= 4) {
        long d = year_of(reg) - year_of(birth);

        return d < 18 ? 'c' : d > 18 ? 'a' : by_group;
    }
    return by_group;
}

int report_year_ok(const char *s, const struct report_opts *o)
{
    char y[8];

    if (!o->from && !o->to)
        return 1;
    if (!s)
        return 0;
    snprintf(y, sizeof(y), "%.4s", s);
    if (o->from) {
        char f[16];

        snprintf(f, sizeof(f), "%04d", o->from);
        if (strcmp(y, f) < 0)
            return 0;
    }
    if (o->to) {
        char t[16];

        snprintf(t, sizeof(t), "%04d", o->to);
        if (strcmp(y, t) > 0)
            return 0;
    }
    return 1;
}

void report_bind(struct db_stmt *st, const char **vals, int n)
{
    int i;

    for (i = 0; i < n; i++)
        db_bind_text(st, i + 1, vals[i]);
}

/* The K-th smallest of V[0..N) (0-based), found by partitioning in place
 * (Hoare's selection, median-of-three pivot): linear on average, and the
 * pivot choice keeps sorted and reversed input linear too. */
static double select_kth(double *v, int n, int k)
{
    int lo = 0, hi = n - 1;

    while (lo < hi) {
        int mid = lo + (hi - lo) / 2, i = lo, j = hi;
        double a = v[lo], b = v[mid], c = v[hi], pivot;

        pivot = a < b ? (b < c ? b : a < c ? c : a) : (a < c ? a : b < c ? c : b);
        while (i <= j) {
            while (v[i] < pivot)
                i++;
            while (v[j] > pivot)
                j--;
            if (i <= j) {
                double t = v[i];

                v[i++] = v[j];
                v[j--] = t;
            }
        }
        if (k <= j)
            hi = j;
        else if (k >= i)
            lo = i;
        else
            break;      /* between j and i: every value there equals the pivot */
    }
    return v[k];
}

double report_median(double *v, int n)
{
    double hi, lo;
    int i;

    if (n <= 0)
        return 0;
    hi = select_kth(v, n, n / 2);
    if (n % 2)
        return hi;
    /* Even: the other middle value is the largest of the lower half,
     * which the selection left in v[0..n/2). */
    lo = v[0];
    for (i = 1; i < n / 2; i++)
        if (v[i] > lo)
            lo = v[i];
    return (lo + hi) / 2;
}

struct report *report_alloc(const char *name)
{
    struct report *rep = xcalloc(1, sizeof(*rep));

    rep->name = xstrdup(name);
    return rep;
}

void report_add(struct report *rep, struct rtable *t)
{
    rep->tabs = xrealloc(rep->tabs, (size_t)(rep->ntab + 1) * sizeof(*rep->tabs));
    rep->tabs[rep->ntab++] = t;
}

void report_free(struct report *rep)
{
    int i;

    if (!rep)
        return;
    for (i = 0; i < rep->ntab; i++)
        rtable_free(rep->tabs[i]);
    free(rep->tabs);
    free(rep->name);
    free(rep->legend_en);
    free(rep->legend_lo);
    free(rep);
}

void report_legend(struct report *rep, const struct report_opts *o)
{
    static const char *const by_lo[] = { "ປີ", "ແຂວງ", "ເມືອງ", "ຫ້ອງການ", "ປະເທດ",
                                         "ຮູບແບບການຂູດຮີດ", "ອົງການ", "ເຂດຊາຍແດນ", "ປະເພດ" };
    struct sbuf en = {0}, lo = {0};
    int i;

    sbuf_add(&en, "Filters: period ");
    sbuf_add(&lo, "ຕົວກອງ: ໄລຍະ ");
    if (o->from || o->to) {
        if (o->from) sbuf_addf(&en, "%d", o->from); else sbuf_add(&en, "...");
        sbuf_add(&en, "-");
        if (o->to) sbuf_addf(&en, "%d", o->to); else sbuf_add(&en, "...");
        if (o->from) sbuf_addf(&lo, "%d", o->from); else sbuf_add(&lo, "...");
        sbuf_add(&lo, "-");
        if (o->to) sbuf_addf(&lo, "%d", o->to); else sbuf_add(&lo, "...");
    } else {
        sbuf_add(&en, "all years");
        sbuf_add(&lo, "ທຸກປີ");
    }
    sbuf_addf(&en, "; by %s", report_by_name(o->by));
    sbuf_addf(&lo, "; ຕາມ%s", by_lo[o->by]);
    if (o->status) {
        sbuf_addf(&en, "; status %s", o->status);
        sbuf_addf(&lo, "; ສະຖານະ %s", o->status);
    } else {
        sbuf_add(&en, "; drafts excluded");
        sbuf_add(&lo, "; ບໍ່ນັບສະບັບຮ່າງ");
    }
    for (i = 0; i < o->nwhere; i++) {
        sbuf_addf(&en, "; %s=%s", o->where_col[i], o->where_val[i]);
        sbuf_addf(&lo, "; %s=%s", o->where_col[i], o->where_val[i]);
    }
    if (o->publish) {
        sbuf_addf(&en, "; published: counts below %d shown as <%d, x = hidden so that no small "
                  "count can be worked out", o->min_cell, o->min_cell);
        sbuf_addf(&lo, "; ເຜີຍແຜ່: ຈຳນວນຕ່ຳກວ່າ %d ສະແດງເປັນ <%d, x = ປິດໄວ້ເພື່ອປົກປ້ອງ",
                  o->min_cell, o->min_cell);
    }
    rep->legend_en = xstrdup(sbuf_str(&en));
    rep->legend_lo = xstrdup(sbuf_str(&lo));
    sbuf_free(&en);
    sbuf_free(&lo);
}

/* One half of a merge: its uuids [LO, HI) (NULL: open), its connection,
 * and how it ended. */
struct merge_part {
    struct db *db;              /* NULL: the thread opens its own on PATH */
    const char *path;
    const struct report_opts *o;
    const struct report_merge *m;
    void *arg;
    const char *lo, *hi;
    int opened, rc;
    char err[512];
};

static int merge_run(struct merge_part *p)
{
    const struct report_merge *m = p->m;
    const char *vals[REPORT_MAX_WHERE + 8], *from = report_victims_from(p->db, p->o);
    struct sbuf where = {0}, sql = {0};
    struct db_stmt *cs = NULL, *as = NULL;
    int np, crc = -1, arc = -1, i, na = 0;

    for (np = 0; np < m->npre; np++)
        vals[np] = m->pre[np];
    if (report_filter_sql(p->db, "cases", p->o, m->date_expr, &where, vals, &np) < 0)
        goto out;
    if (p->lo) {
        vals[np++] = p->lo;
        sbuf_addf(&where, " AND uuid >= ?%d", np);
    }
    if (p->hi) {
        vals[np++] = p->hi;
        sbuf_addf(&where, " AND uuid < ?%d", np);
    }
    /* In uuid order: a walk of index cases_victims, or else a sort of the
     * victims read in table order (not a random read per case). */
    sbuf_addf(&sql, "SELECT uuid, %s FROM %s%s%s ORDER BY %s", m->case_cols, from, m->cond,
              sbuf_str(&where), strstr(from, "INDEXED") ? "uuid" : "+uuid");
    if (!(cs = db_prepare(p->db, sbuf_str(&sql), 0)))
        goto out;
    report_bind(cs, vals, np);
    if (!m->assist_cols) {          /* the victims alone */
        while ((crc = db_step(cs)) == 1)
            m->on_case(p->arg, cs);
        goto out;
    }
    sbuf_reset(&sql);
    sbuf_addf(&sql, "SELECT case_uuid, %s FROM %s WHERE 1%s%s ORDER BY case_uuid", m->assist_cols,
              m->assist_table ? m->assist_table : "case_assistance",
              p->lo ? " AND case_uuid >= ?1" : "",
              !p->hi ? "" : p->lo ? " AND case_uuid < ?2" : " AND case_uuid < ?1");
    if (!(as = db_prepare(p->db, sbuf_str(&sql), 0)))
        goto out;
    if (p->lo)
        db_bind_text(as, ++na, p->lo);
    if (p->hi)
        db_bind_text(as, ++na, p->hi);
    arc = db_step(as);
    while (arc >= 0 && (crc = db_step(cs)) == 1) {
        const char *u = db_column_text(cs, 0);

        m->on_case(p->arg, cs);
        while (arc == 1 && (i = strcmp(db_column_text(as, 0), u)) <= 0) {
            if (i == 0)
                m->on_row(p->arg, cs, as);
            arc = db_step(as);
        }
    }
    crc = crc == 0 && arc >= 0 ? 0 : -1;
out:
    db_finalize(cs);
    db_finalize(as);
    sbuf_free(&where);
    sbuf_free(&sql);
    return crc;
}

static void *merge_thread(void *arg)
{
    struct merge_part *p = arg;

    if (!(p->db = db_open(p->path, DB_OPEN_READONLY)))
        return NULL;
    p->opened = 1;
    if ((p->rc = merge_run(p)) < 0)
        snprintf(p->err, sizeof(p->err), "%s", err_msg());
    db_close(p->db);
    p->db = NULL;
    return NULL;
}

int report_victims_merge(struct db *db, const struct report_opts *o, const struct report_merge *m,
                         void *args[2])
{
    /* uuids are hex digits: two halves of about the same size. */
    struct merge_part part[2] = {
        { .db = db, .o = o, .m = m, .arg = args[0], .hi = "8" },
        { .path = db_path(db), .o = o, .m = m, .arg = args[1], .lo = "8" },
    };
    pthread_t th;
    /* Another connection would not see what DB's open transaction changed. */
    int threaded = !db_in_tx(db) && pthread_create(&th, NULL, merge_thread, &part[1]) == 0;
    int rc = merge_run(&part[0]);

    if (threaded)
        pthread_join(th, NULL);
    if (!part[1].opened) {
        /* No thread or no second connection: the second half here, after. */
        part[1].db = db;
        part[1].rc = merge_run(&part[1]);
    } else if (part[1].rc < 0 && rc == 0) {
        rc = err_set("%s", part[1].err);
    }
    return rc < 0 || part[1].rc < 0 ? -1 : 0;
}
