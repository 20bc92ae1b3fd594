/* The protection report: assistance given to counted victims (by year of
 * the assistance, or by the victim's province, district or office), the
 * assistance by type and status, and where the victims' cases stand.
 *
 * All three tables come from one merge of the victims with their assistance
 * rows in case order (report_victims_merge): victims are counted once per
 * row of the table as the merge leaves each of them, with no DISTINCT sorts,
 * no lookup per victim and no second or third join of the two tables. */
#include <stdlib.h>
#include <string.h>

#include "canon.h"
#include "report.h"
#include "util.h"


enum { P_VICTIMS, P_GIVEN, P_DONE, P_SHELTER, P_SHELTER_DAYS, P_REINT, P_REINT_DONE, NP };
/* What one victim had under one row of the first table. */
enum { F_ANY = 1, F_SHELTER = 2, F_REINT = 4, F_REINT_DONE = 8 };

/* The columns of the merge: of the victim (after its uuid), of an assistance row. */
enum { Q_CSTATUS = 1, Q_OVERDUE, Q_REG, Q_DIM };
enum { Q_TYPE = 1, Q_STATUS, Q_START, Q_END };

/* The day number SQLite's julianday() gives date S of the form
 * DDDD-DD-DD (month 1-12, day 1-31; computeJD's arithmetic, days past a
 * month's end running on into the next), or -1 when it gives none. */
static long day_number(const char *s)
{
    int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    int m = (s[5] - '0') * 10 + (s[6] - '0'), d = (s[8] - '0') * 10 + (s[9] - '0'), a;

    if (m < 1 || m > 12 || d < 1 || d > 31)
        return -1;
    if (m <= 2) {
        y--;
        m += 12;
    }
    a = y / 100;
    return 36525L * (y + 4716) / 100 + 306001L * (m + 1) / 10000 + d + 2 - a + a / 4;
}

/* 1 when S has the form DDDD-DD-DD, ASCII digits. */
static int date_form(const char *s)
{
    int i;

    for (i = 0; i < 10; i++)
        if (i == 4 || i == 7 ? s[i] != '-' : s[i] < '0' || s[i] > '9')
            return 0;
    return s[10] == '\0';
}


struct seen {
    int row;                /* row of the first table */
    int flags;              /* F_* */
};

struct pass {
    struct rtable *t, *types, *cs;
    struct seen *seen;      /* the current case's rows of the first table */
    int nseen, cap;
    int all;                /* F_* of the current case over every row: the total row */
    int64_t tot[NP];        /* distinct victims of the total row */
    const struct report_opts *o;
    int started;            /* a victim is being counted */
    struct later *later;    /* shelter rows whose days SQL works out after the pass */
    int nlater, clater;
    char status[8][CANON_CODE_MAX];    /* the assistance statuses, canon's */
    int nstatus;
};

/* A shelter row with dates of ten characters not of the form DDDD-DD-DD
 * (none that tipdesk itself writes): julianday() decides, after the pass. */
struct later {
    int row;
    char *start, *end;
};


/* Days of shelter of the assistance row at AS, in row R of the first
 * table: julianday(end_on) - julianday(start_on) of a shelter row whose
 * dates both have ten characters.  Dates of the form DDDD-DD-DD are worked
 * out here with SQLite's own arithmetic; any other is left to julianday()
 * after the pass (shelter_days_later), so no row pays for it during. */
static int64_t shelter_days(struct pass *p, struct db_stmt *as, int r)
{
    const char *a = db_column_text(as, Q_START), *b = db_column_text(as, Q_END);
    long x, y;

    if (strcmp(db_column_text(as, Q_TYPE), "Shelter") != 0 || !a || !b)
        return 0;
    if (date_form(a) && date_form(b)) {
        x = day_number(a);
        y = day_number(b);
        return x < 0 || y < 0 ? 0 : y - x;
    }
    if (report_text_len(a) == 10 && report_text_len(b) == 10) {
        if (p->nlater == p->clater) {
            p->clater = p->clater ? 2 * p->clater : 8;
            p->later = xrealloc(p->later, (size_t)p->clater * sizeof(*p->later));
        }
        p->later[p->nlater].row = r;
        p->later[p->nlater].start = xstrdup(a);
        p->later[p->nlater++].end = xstrdup(b);
    }
    return 0;
}

/* The days of the rows shelter_days left, from julianday() itself. */
static int shelter_days_later(struct db *db, struct pass *p)
{
    struct db_stmt *st = NULL;
    int i, rc = 0;

    for (i = 0; i < p->nlater; i++) {
        if (!st && !(st = db_prepare(db, "SELECT julianday(?2) - julianday(?1)", 0)))
            rc = -1;
        if (rc == 0) {
            db_bind_text(st, 1, p->later[i].start);
            db_bind_text(st, 2, p->later[i].end);
            if (db_step(st) == 1 && !db_column_is_null(st, 0))
                p->t->rows[p->later[i].row].c[P_SHELTER_DAYS].v += (int64_t)db_column_double(st, 0);
            db_reset(st);
        }
        free(p->later[i].start);
        free(p->later[i].end);
    }
    db_finalize(st);
    free(p->later);
    p->later = NULL;
    p->nlater = p->clater = 0;
    return rc;
}

static int row_index(struct pass *p, const char *key)
{
    return rtable_row_n(p->t, key, strlen(key));
}

/* The pass leaves a case: each row of the first table it reached counts it once. */
static void case_done(struct pass *p)
{
    int i;

    for (i = 0; i < p->nseen; i++) {
        struct rcell *c = p->t->rows[p->seen[i].row].c;
        int f = p->seen[i].flags;

        c[P_VICTIMS].v++;
        c[P_SHELTER].v += (f & F_SHELTER) != 0;
        c[P_REINT].v += (f & F_REINT) != 0;
        c[P_REINT_DONE].v += (f & F_REINT_DONE) != 0;
    }
    if (p->all) {
        p->tot[P_VICTIMS]++;
        p->tot[P_SHELTER] += (p->all & F_SHELTER) != 0;
        p->tot[P_REINT] += (p->all & F_REINT) != 0;
        p->tot[P_REINT_DONE] += (p->all & F_REINT_DONE) != 0;
    }
    p->nseen = 0;
    p->all = 0;
}

/* The merge reaches a victim: the previous one is done; its case status. */
static void on_case(void *arg, struct db_stmt *cs)
{
    struct pass *p = arg;

    if (p->started)
        case_done(p);
    p->started = 1;
    if (report_year_ok(db_column_text(cs, Q_REG), p->o)) {
        struct rrow *r = rtable_row(p->cs, db_column_text(cs, Q_CSTATUS), NULL, NULL);

        r->c[0].v++;
        r->c[1].v += db_column_int(cs, Q_OVERDUE);
    }
}

/* One assistance row of the current victim, in the year it started (the
 * year of registration when no start date). */
static void on_row(void *arg, struct db_stmt *cs, struct db_stmt *as)
{
    struct pass *p = arg;
    const char *type = db_column_text(as, Q_TYPE), *status = db_column_text(as, Q_STATUS);
    const char *start = db_column_text(as, Q_START);
    int done = strcmp(status, "Completed") == 0, r, i, f = F_ANY;
    struct rrow *tr;
    char year[8];

    if (!start)
        start = db_column_text(cs, Q_REG);
    for (i = 0; i < 4 && start && start[i]; i++)
        year[i] = start[i];
    year[i] = '\0';
    if (!report_year_ok(year, p->o))
        return;
    r = row_index(p, p->o->by == BY_YEAR ? year : db_column_text(cs, Q_DIM));
    p->t->rows[r].c[P_GIVEN].v++;
    p->t->rows[r].c[P_DONE].v += done;
    p->t->rows[r].c[P_SHELTER_DAYS].v += shelter_days(p, as, r);
    if (strcmp(type, "Shelter") == 0)
        f |= F_SHELTER;
    if (strcmp(type, "Reintegration") == 0)
        f |= F_REINT | (done ? F_REINT_DONE : 0);
    p->all |= f;
    for (i = 0; i < p->nseen && p->seen[i].row != r; i++)
        ;
    if (i == p->nseen) {
        if (p->nseen == p->cap) {
            p->cap = p->cap ? 2 * p->cap : 8;
            p->seen = xrealloc(p->seen, (size_t)p->cap * sizeof(*p->seen));
        }
        p->seen[p->nseen].row = r;
        p->seen[p->nseen++].flags = 0;
    }
    p->seen[i].flags |= f;

    tr = rtable_row(p->types, type, NULL, NULL);
    for (i = 0; i < p->nstatus && strcmp(status, p->status[i]) != 0; i++)
        ;
    tr->c[i].v++;           /* nstatus: not recorded */
    tr->c[p->nstatus + 1].v++;
}

static struct rtable *first_table(enum report_by by)
{
    static const char *const en[] = { "Year", "Province", "District", "Office" };
    static const char *const lo[] = { "ປີ", "ແຂວງ", "ເມືອງ", "ຫ້ອງການ" };
    struct rtable *t = rtable_new("protection", "Victims assisted", "ຜູ້ເຄາະຮ້າຍທີ່ໄດ້ຮັບການຊ່ວຍເຫຼືອ",
                                  report_by_name(by), en[by], lo[by]);

    rtable_col(t, "victims_assisted", "Victims assisted", "ຜູ້ໄດ້ຮັບການຊ່ວຍເຫຼືອ", RC_COUNT);
    rtable_col(t, "assistance", "Assistance given", "ການຊ່ວຍເຫຼືອ", RC_COUNT);
    rtable_col(t, "completed", "Completed", "ສຳເລັດ", RC_COUNT);
    rtable_col(t, "shelter_victims", "In shelter", "ຢູ່ທີ່ພັກ", RC_COUNT);
    rtable_col(t, "shelter_days", "Shelter days", "ມື້ທີ່ພັກ", RC_COUNT);
    rtable_col(t, "reintegration_victims", "Reintegration", "ເຊື່ອມໂຍງຄືນ", RC_COUNT);
    rtable_col(t, "reintegration_completed", "Reintegrated", "ເຊື່ອມໂຍງແລ້ວ", RC_COUNT);
    /* Distinct victims do not add up over rows: a victim may be helped in two years. */
    t->cols[P_VICTIMS].nonadd = t->cols[P_SHELTER].nonadd = 1;
    t->cols[P_REINT].nonadd = t->cols[P_REINT_DONE].nonadd = 1;
    return t;
}

/* Assistance by type: a column for each of canon's statuses, "not
 * recorded", the total. */
static struct rtable *types_table(struct pass *p)
{
    struct rtable *t = rtable_new("assistance_by_type", "Assistance by type and status",
                                  "ການຊ່ວຍເຫຼືອ ຕາມປະເພດ ແລະ ສະຖານະ", "type", "Type", "ປະເພດ");
    int parts[ARRAY_LEN(p->status) + 1], i;

    p->nstatus = canon_code_list("case_assistance", "status", p->status, (int)ARRAY_LEN(p->status));
    for (i = 0; i < p->nstatus; i++) {
        char key[CANON_CODE_MAX];
        size_t k;

        for (k = 0; p->status[i][k]; k++)
            key[k] = (char)(p->status[i][k] >= 'A' && p->status[i][k] <= 'Z' ? p->status[i][k] - 'A' + 'a'
                                                                           : p->status[i][k]);
        key[k] = '\0';
        parts[i] = rtable_col(t, key, report_code_label(p->status[i], "en"),
                              report_code_label(p->status[i], "lo"), RC_COUNT);
    }
    parts[i] = rtable_col(t, "status_unknown", "Not recorded", "ບໍ່ໄດ້ບັນທຶກ", RC_COUNT);
    rtable_col(t, "total", "Total", "ລວມ", RC_COUNT);
    rtable_group(t, i + 1, parts, i + 1);
    return t;
}

static void label_case_status(struct db *db, struct rtable *t)
{
    static const struct { const char *code, *en, *lo; } cs[] = {
        { "Active", "Active", "ກຳລັງດຳເນີນ" }, { "FollowUp", "Follow-up", "ຕິດຕາມ" },
        { "Closed", "Closed", "ປິດ" }, { "ClosedReferred", "Closed, referred", "ປິດ, ສົ່ງຕໍ່" },
    };
    int i;
    size_t j;

    for (i = 0; i < t->nrow; i++) {
        report_label_row(db, BY_TYPE, &t->rows[i]);
        for (j = 0; j < ARRAY_LEN(cs); j++)
            if (strcmp(t->rows[i].key, cs[j].code) == 0) {
                free(t->rows[i].en);
                free(t->rows[i].lo);
                t->rows[i].en = xstrdup(cs[j].en);
                t->rows[i].lo = xstrdup(cs[j].lo);
            }
    }
}

/* The three tables a pass counts into. */
static void pass_tables(struct pass *p, enum report_by by)
{
    p->t = first_table(by);
    p->types = types_table(p);
    p->cs = rtable_new("case_status", "Victims' case status and follow-up",
                       "ສະຖານະຄະດີ ແລະ ການຕິດຕາມ", "case_status", "Case status", "ສະຖານະຄະດີ");
    rtable_col(p->cs, "victims", "Victims", "ຜູ້ເຄາະຮ້າຍ", RC_COUNT);
    rtable_col(p->cs, "followup_due", "Follow-up overdue", "ກາຍກຳນົດຕິດຕາມ", RC_COUNT);
}

static int run_pass(struct db *db, const struct report_opts *o, struct pass *p)
{
    static const char *const dims[] = { "''", "ifnull(home_province, '')", "ifnull(home_district, '')",
                                        "office" };
    const char *today_p;
    char today[11], cols[256];
    struct pass half;
    struct report_merge m = {
        .cond = "", .case_cols = cols, .pre = &today_p, .npre = 1, .on_case = on_case, .on_row = on_row,
        .assist_cols = "ifnull(type, ''), ifnull(status, ''), start_on, end_on",
    };
    void *args[2] = { p, &half };
    int rc, i;

    if (o->today)
        snprintf(today, sizeof(today), "%s", o->today);
    else
        util_today(today);
    today_p = today;
    p->o = o;
    snprintf(cols, sizeof(cols), "ifnull(case_status, ''), case_status = 'FollowUp' AND followup_on < ?1,"
             " registered_on, %s", dims[o->by]);
    /* The other half of the victims into tables of its own, added after. */
    memset(&half, 0, sizeof(half));
    half.o = o;
    pass_tables(&half, o->by);
    rc = report_victims_merge(db, o, &m, args);
    if (shelter_days_later(db, p) < 0 || shelter_days_later(db, &half) < 0)
        rc = -1;
    if (p->started)
        case_done(p);
    if (half.started)
        case_done(&half);
    rtable_add_counts(p->t, half.t);
    rtable_add_counts(p->types, half.types);
    rtable_add_counts(p->cs, half.cs);
    for (i = 0; i < NP; i++)
        p->tot[i] += half.tot[i];
    rtable_free(half.t);
    rtable_free(half.types);
    rtable_free(half.cs);
    free(half.seen);
    return rc;
}

struct report *report_protection_new(struct db *db, const struct report_opts *o)
{
    struct report *rep = report_alloc("protection");
    struct pass p;
    struct rrow *tot;
    int i;

    memset(&p, 0, sizeof(p));
    if (o->by > BY_OFFICE) {
        err_set("the protection report has no breakdown by %s; use year, province, district or office",
                report_by_name(o->by));
        goto fail;
    }
    pass_tables(&p, o->by);
    report_add(rep, p.t);
    report_add(rep, p.types);
    report_add(rep, p.cs);
    if (run_pass(db, o, &p) < 0)
        goto fail;

    if (o->by == BY_YEAR)
        report_fill_years(p.t, o);
    else
        report_sort_rows(p.t);
    for (i = 0; i < p.t->nrow; i++)
        report_label_row(db, o->by, &p.t->rows[i]);
    rtable_add_total(p.t);
    tot = &p.t->rows[p.t->nrow - 1];
    for (i = 0; i < NP; i++)
        if (p.t->cols[i].nonadd)
            tot->c[i].v = p.tot[i];

    report_sort_rows(p.types);
    for (i = 0; i < p.types->nrow; i++)
        report_label_row(db, BY_TYPE, &p.types->rows[i]);
    rtable_add_total(p.types);

    report_sort_rows(p.cs);
    label_case_status(db, p.cs);
    rtable_add_total(p.cs);
    free(p.seen);
    return rep;
fail:
    free(p.seen);
    report_free(rep);
    return NULL;
}
