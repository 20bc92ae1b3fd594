/* The prevention report (events, participants, knowledge gain, follow-up
 * and referrals) and the npa report (per pillar, activities and outcomes per
 * year: the M&E view of the National Plan of Action). */
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "util.h"

#define PARTICIPANTS "(ifnull(participants_f, 0) + ifnull(participants_m, 0) + ifnull(participants_u, 0))"

enum { P_EVENTS, P_F, P_M, P_U, P_ALL, P_U18, P_RISK, P_SHARE, P_TESTED, P_GAIN,
       P_FUP_PLANNED, P_FUP_DONE, P_REFERRALS, P_CASES, NPCOL };

static const struct { const char *key, *en, *lo; enum rcol_kind kind; } pcols[NPCOL] = {
    { "events", "Events", "ກິດຈະກຳ", RC_COUNT },
    { "participants_female", "Female", "ຍິງ", RC_COUNT },
    { "participants_male", "Male", "ຊາຍ", RC_COUNT },
    { "participants_unknown", "Sex unknown", "ບໍ່ຮູ້ເພດ", RC_COUNT },
    { "participants", "Participants", "ຜູ້ເຂົ້າຮ່ວມ", RC_COUNT },
    { "participants_under_18", "Under 18", "ຕ່ຳກວ່າ 18", RC_COUNT },
    { "events_high_risk_or_border", "High-risk/border", "ເຂດສ່ຽງ/ຊາຍແດນ", RC_COUNT },
    { "share_high_risk_or_border", "% high-risk/border", "% ເຂດສ່ຽງ", RC_MEASURE },
    { "events_tested", "Tested", "ມີການທົດສອບ", RC_COUNT },
    { "knowledge_gain", "Knowledge gain", "ຄວາມຮູ້ເພີ່ມ", RC_MEASURE },
    { "followups_planned", "Follow-up planned", "ແຜນຕິດຕາມ", RC_COUNT },
    { "followups_done", "Follow-up done", "ຕິດຕາມແລ້ວ", RC_COUNT },
    { "referrals", "Referrals", "ການສົ່ງຕໍ່", RC_COUNT },
    { "cases_identified", "Cases identified", "ຄະດີທີ່ພົບ", RC_COUNT },
};

/* A table of events being counted: its breakdown (the column of the pass
 * holding its key), and per row the knowledge gain's sums, kept apart from
 * the cells until the pass ends. */
struct evtab {
    struct rtable *t;
    enum report_by by;
    int col, multi;
    int gain_total;         /* the total row shows the gain of all events */
    double *gain, *people;  /* per row: sum of (post - pre) x tested, of tested */
    int ngain;
};

/* Columns of the pass: the keys, then what each event adds. */
enum { E_MAIN, E_BORDER, E_TYPE, E_GROUPS, E_F, E_M, E_U, E_U18, E_HIGH_RISK, E_BORDER_AREA,
       E_TESTED, E_PRE, E_POST, E_FUP_PLANNED, E_FUP_DONE, E_REFERRALS, E_CASES };

static struct rtable *events_table(const char *name, const char *title_en, const char *title_lo,
                                   const char *key_name, const char *key_en, const char *key_lo,
                                   int multi)
{
    struct rtable *t = rtable_new(name, title_en, title_lo, key_name, key_en, key_lo);
    int i, parts[3] = { P_F, P_M, P_U };

    for (i = 0; i < NPCOL; i++)
        rtable_col(t, pcols[i].key, pcols[i].en, pcols[i].lo, pcols[i].kind);
    rtable_group(t, P_ALL, parts, 3);
    if (multi) {
        for (i = 0; i < NPCOL; i++)
            t->cols[i].nonadd = 1;
        rtable_note(t, "An event counts once for each target group; the rows do not add up.",
                    "ກິດຈະກຳນັບໃນທຸກກຸ່ມເປົ້າໝາຍ; ແຖວບໍ່ລວມກັນ.");
    }
    return t;
}

/* What the event at ST adds to the row keyed by the N bytes at KEY of E. */
static void count_event(struct evtab *e, struct db_stmt *st, const char *key, size_t n)
{
    int r = rtable_row_n(e->t, key, n);
    struct rcell *c = e->t->rows[r].c;
    int64_t tested = db_column_int(st, E_TESTED);
    const char *border = db_column_text(st, E_BORDER_AREA);

    if (r >= e->ngain) {
        int k = e->ngain;

        e->ngain = 2 * r + 16;
        e->gain = xrealloc(e->gain, (size_t)e->ngain * sizeof(*e->gain));
        e->people = xrealloc(e->people, (size_t)e->ngain * sizeof(*e->people));
        for (; k < e->ngain; k++)
            e->gain[k] = e->people[k] = 0;
    }
    c[P_EVENTS].v++;
    c[P_F].v += db_column_int(st, E_F);
    c[P_M].v += db_column_int(st, E_M);
    c[P_U].v += db_column_int(st, E_U);
    c[P_ALL].v += db_column_int(st, E_F) + db_column_int(st, E_M) + db_column_int(st, E_U);
    c[P_U18].v += db_column_int(st, E_U18);
    c[P_RISK].v += (!db_column_is_null(st, E_HIGH_RISK) && db_column_int(st, E_HIGH_RISK) == 1) ||
                   (border && strcmp(border, "None") != 0);
    if (tested > 0 && !db_column_is_null(st, E_PRE) && !db_column_is_null(st, E_POST)) {
        c[P_TESTED].v++;
        e->gain[r] += (db_column_double(st, E_POST) - db_column_double(st, E_PRE)) * (double)tested;
        e->people[r] += (double)tested;
    }
    c[P_FUP_PLANNED].v += !db_column_is_null(st, E_FUP_PLANNED) && db_column_int(st, E_FUP_PLANNED) == 1;
    c[P_FUP_DONE].v += !db_column_is_null(st, E_FUP_DONE) && db_column_int(st, E_FUP_DONE) == 1;
    c[P_REFERRALS].v += db_column_int(st, E_REFERRALS);
    c[P_CASES].v += db_column_int(st, E_CASES);
}

/* Rows in order and labelled, the gains and shares worked out, the total added. */
static void events_finish(struct db *db, const struct report_opts *o, struct evtab *e)
{
    struct rtable *t = e->t;
    int i;

    for (i = 0; i < t->nrow; i++) {
        struct rcell *c = t->rows[i].c;

        /* Mean gain per person tested: events weighted by how many were tested. */
        c[P_GAIN].v = c[P_TESTED].v;
        c[P_GAIN].na = i >= e->ngain || e->people[i] == 0;
        c[P_GAIN].m = c[P_GAIN].na ? 0 : e->gain[i] / e->people[i];
    }
    if (e->by == BY_YEAR && !e->multi)
        report_fill_years(t, o);
    else
        report_sort_rows(t);
    for (i = 0; i < t->nrow; i++)
        report_label_row(db, e->by, &t->rows[i]);
    if (!e->multi) {
        double gain = 0, people = 0;
        struct rcell *c;

        for (i = 0; i < e->ngain; i++) {
            gain += e->gain[i];
            people += e->people[i];
        }
        rtable_add_total(t);
        /* The total's gain: from all events. */
        c = &t->rows[t->nrow - 1].c[P_GAIN];
        c->na = !e->gain_total || people == 0;
        c->m = people ? gain / people : 0;
        c->v = t->rows[t->nrow - 1].c[P_TESTED].v;
    }
    for (i = 0; i < t->nrow; i++) {
        struct rcell *c = t->rows[i].c;

        c[P_SHARE].v = c[P_EVENTS].v;
        c[P_SHARE].na = c[P_EVENTS].v == 0;
        c[P_SHARE].m = c[P_EVENTS].v ? 100.0 * (double)c[P_RISK].v / (double)c[P_EVENTS].v : 0;
    }
}

/* Every table of the report from one read of the events. */
static int events_pass(struct db *db, const struct report_opts *o, struct evtab *e, int ne)
{
    struct sbuf sql = {0}, where = {0};
    const char *vals[REPORT_MAX_WHERE + 4];
    struct db_stmt *st = NULL;
    int np = 0, rc = -1, i;

    if (report_filter_sql(db, "events", o, "start_on", &where, vals, &np) < 0)
        goto out;
    sbuf_addf(&sql,
        "SELECT %s, ifnull(border_area, ''), ifnull(event_type, ''), ifnull(target_groups, ''),"
        " participants_f, participants_m, participants_u, participants_under18, high_risk, border_area,"
        " tested_count, pre_score, post_score, followup_planned, followup_done, referrals_count,"
        " cases_identified FROM events WHERE 1%s",
        report_dim_expr("events", o->by, "start_on"), sbuf_str(&where));
    if (!(st = db_prepare(db, sbuf_str(&sql), 0)))
        goto out;
    report_bind(st, vals, np);
    while ((rc = db_step(st)) == 1)
        for (i = 0; i < ne; i++) {
            const char *k = db_column_text(st, e[i].col), *semi;

            if (!e[i].multi) {
                count_event(&e[i], st, k, strlen(k));
                continue;
            }
            /* A multi-select column: an event counts once under each value. */
            for (;; k = semi + 1) {
                semi = strchr(k, ';');
                count_event(&e[i], st, k, semi ? (size_t)(semi - k) : strlen(k));
                if (!semi)
                    break;
            }
        }
    if (rc == 0)
        for (i = 0; i < ne; i++)
            events_finish(db, o, &e[i]);
out:
    db_finalize(st);
    sbuf_free(&sql);
    sbuf_free(&where);
    return rc < 0 ? -1 : 0;
}

struct report *report_prevention_new(struct db *db, const struct report_opts *o)
{
    static const char *const en[] = { "Year", "Province", "District", "Office", "", "", "",
                                      "Border area", "Event type" };
    static const char *const lo[] = { "ປີ", "ແຂວງ", "ເມືອງ", "ຫ້ອງການ", "", "", "",
                                      "ເຂດຊາຍແດນ", "ປະເພດກິດຈະກຳ" };
    struct report *rep = report_alloc("prevention");
    struct evtab e[4];
    int ne = 0, i, rc;

    if (!report_dim_expr("events", o->by, "start_on")) {
        err_set("the prevention report has no breakdown by %s; use year, province, district, "
                "office, border_area or type", report_by_name(o->by));
        report_free(rep);
        return NULL;
    }
    memset(e, 0, sizeof(e));
    e[ne].by = o->by;
    e[ne].col = E_MAIN;
    e[ne].gain_total = 1;
    e[ne++].t = events_table("prevention", "Prevention events and participants",
                             "ກິດຈະກຳປ້ອງກັນ ແລະ ຜູ້ເຂົ້າຮ່ວມ", report_by_name(o->by), en[o->by],
                             lo[o->by], 0);
    if (o->by != BY_BORDER) {
        e[ne].by = BY_BORDER;
        e[ne].col = E_BORDER;
        e[ne++].t = events_table("prevention_by_border_area", "Events by border area",
                                 "ກິດຈະກຳ ຕາມເຂດຊາຍແດນ", "border_area", en[BY_BORDER], lo[BY_BORDER], 0);
    }
    if (o->by != BY_TYPE) {
        e[ne].by = BY_TYPE;
        e[ne].col = E_TYPE;
        e[ne++].t = events_table("prevention_by_type", "Events by type", "ກິດຈະກຳ ຕາມປະເພດ",
                                 "type", en[BY_TYPE], lo[BY_TYPE], 0);
    }
    e[ne].by = BY_TYPE;
    e[ne].col = E_GROUPS;
    e[ne].multi = 1;
    e[ne++].t = events_table("prevention_by_target_group", "Events by target group",
                             "ກິດຈະກຳ ຕາມກຸ່ມເປົ້າໝາຍ", "target_group", "Target group",
                             "ກຸ່ມເປົ້າໝາຍ", 1);
    for (i = 0; i < ne; i++)
        report_add(rep, e[i].t);
    rc = events_pass(db, o, e, ne);
    for (i = 0; i < ne; i++) {
        free(e[i].gain);
        free(e[i].people);
    }
    if (rc < 0) {
        report_free(rep);
        return NULL;
    }
    /* The same events in every table: published together, audited together. */
    for (i = 0; i < rep->ntab; i++)
        rep->tabs[i]->share_total = i == rep->ntab - 1 ? SHARE_COVER : SHARE_EQUAL;
    return rep;
}

/* --- npa --- */

/* The indicators, in the order of the table's rows; each counts in the year
 * of its own date. */
enum { I_POLICY, I_POLICY_PEOPLE, I_PREVENTION, I_PREVENTION_PEOPLE, I_TESTED, I_FOLLOWUPS,
       I_REFERRALS, I_PROSECUTION, I_INVESTIGATIONS, I_PROSECUTIONS, I_CONVICTIONS, I_PROTECTION,
       I_IDENTIFIED, I_ASSISTED, I_REINTEGRATED, NIND };

static const struct { const char *key, *en, *lo; } indicators[NIND] = {
    { "policy.activities", "Policy: activities", "ນະໂຍບາຍ: ກິດຈະກຳ" },
    { "policy.participants", "Policy: participants", "ນະໂຍບາຍ: ຜູ້ເຂົ້າຮ່ວມ" },
    { "prevention.activities", "Prevention: activities", "ປ້ອງກັນ: ກິດຈະກຳ" },
    { "prevention.participants", "Prevention: participants", "ປ້ອງກັນ: ຜູ້ເຂົ້າຮ່ວມ" },
    { "prevention.events_tested", "Prevention: events with knowledge test", "ປ້ອງກັນ: ມີການທົດສອບ" },
    { "prevention.followups_done", "Prevention: follow-ups done", "ປ້ອງກັນ: ຕິດຕາມແລ້ວ" },
    { "prevention.referrals", "Prevention: referrals after events", "ປ້ອງກັນ: ການສົ່ງຕໍ່" },
    { "prosecution.activities", "Prosecution: activities", "ດຳເນີນຄະດີ: ກິດຈະກຳ" },
    { "prosecution.investigations", "Prosecution: investigations", "ດຳເນີນຄະດີ: ການສືບສວນ" },
    { "prosecution.prosecutions", "Prosecution: prosecutions", "ດຳເນີນຄະດີ: ການຟ້ອງ" },
    { "prosecution.convictions", "Prosecution: convictions", "ດຳເນີນຄະດີ: ລົງໂທດ" },
    { "protection.activities", "Protection: activities", "ປົກປ້ອງ: ກິດຈະກຳ" },
    { "protection.victims_identified", "Protection: victims identified", "ປົກປ້ອງ: ຜູ້ເຄາະຮ້າຍ" },
    { "protection.victims_assisted", "Protection: victims assisted", "ປົກປ້ອງ: ໄດ້ຮັບການຊ່ວຍເຫຼືອ" },
    { "protection.victims_reintegrated", "Protection: victims reintegrated", "ປົກປ້ອງ: ເຊື່ອມໂຍງແລ້ວ" },
};

/* The table being counted: its rows by indicator, the total column and a
 * one-entry cache of the year column last found. */
struct npa {
    struct rtable *t;
    struct rrow *row[NIND];
    int tot;
    char year[8];
    int col;
};

/* N to indicator I in year Y (the first four characters of its date) when
 * the year is one of the table's. */
static void npa_add(struct npa *n, int i, const char *y, int64_t v)
{
    if (!y)
        return;
    if (strcmp(y, n->year) != 0) {
        snprintf(n->year, sizeof(n->year), "%s", y);
        n->col = rtable_col_find(n->t, y);
        if (n->col == n->tot)
            n->col = -1;
    }
    if (n->col >= 0) {
        n->row[i]->c[n->col].v += v;
        n->row[i]->c[n->tot].v += v;
    }
}

/* The events' indicators, from one read of the events. */
static int npa_events(struct db *db, const struct report_opts *o, struct npa *n)
{
    static const struct { const char *pillar; int activities, people; } pillars[] = {
        { "Policy", I_POLICY, I_POLICY_PEOPLE },
        { "Prevention", I_PREVENTION, I_PREVENTION_PEOPLE },
        { "Prosecution", I_PROSECUTION, -1 },
        { "Protection", I_PROTECTION, -1 },
    };
    struct sbuf sql = {0}, where = {0};
    const char *vals[REPORT_MAX_WHERE + 4];
    struct db_stmt *st = NULL;
    int np = 0, rc = -1;
    size_t i;

    if (report_filter_sql(db, "events", o, "start_on", &where, vals, &np) < 0)
        goto out;
    sbuf_addf(&sql, "SELECT substr(start_on, 1, 4), pillar, " PARTICIPANTS ", tested_count > 0,"
              " followup_done = 1, ifnull(referrals_count, 0) FROM events WHERE start_on IS NOT NULL%s",
              sbuf_str(&where));
    if (!(st = db_prepare(db, sbuf_str(&sql), 0)))
        goto out;
    report_bind(st, vals, np);
    while ((rc = db_step(st)) == 1) {
        const char *y = db_column_text(st, 0), *pillar = db_column_text(st, 1);

        for (i = 0; pillar && i < ARRAY_LEN(pillars) && strcmp(pillar, pillars[i].pillar); i++)
            ;
        if (!pillar || i == ARRAY_LEN(pillars))
            continue;
        npa_add(n, pillars[i].activities, y, 1);
        if (pillars[i].people >= 0)
            npa_add(n, pillars[i].people, y, db_column_int(st, 2));
        if (pillars[i].activities == I_PREVENTION) {
            npa_add(n, I_TESTED, y, db_column_int(st, 3));
            npa_add(n, I_FOLLOWUPS, y, db_column_int(st, 4));
            npa_add(n, I_REFERRALS, y, db_column_int(st, 5));
        }
    }
out:
    db_finalize(st);
    sbuf_free(&sql);
    sbuf_free(&where);
    return rc < 0 ? -1 : 0;
}

/* The prosecutions' indicators, each in the year of its own date, from one
 * read of the prosecutions. */
static int npa_prosecutions(struct db *db, const struct report_opts *o, struct npa *n)
{
    struct sbuf sql = {0}, where = {0};
    const char *vals[REPORT_MAX_WHERE + 4];
    struct db_stmt *st = NULL;
    int np = 0, rc = -1, i;

    if (report_filter_sql(db, "prosecutions", o, NULL, &where, vals, &np) < 0)
        goto out;
    sbuf_addf(&sql, "SELECT substr(investigated_on, 1, 4), substr(charged_on, 1, 4),"
              " CASE WHEN verdict = 'Convicted' THEN substr(verdict_on, 1, 4) END"
              " FROM prosecutions WHERE 1%s", sbuf_str(&where));
    if (!(st = db_prepare(db, sbuf_str(&sql), 0)))
        goto out;
    report_bind(st, vals, np);
    while ((rc = db_step(st)) == 1)
        for (i = 0; i < 3; i++) {
            const char *y = db_column_text(st, i);

            if (y && report_year_ok(y, o))
                npa_add(n, I_INVESTIGATIONS + i, y, 1);
        }
out:
    db_finalize(st);
    sbuf_free(&sql);
    sbuf_free(&where);
    return rc < 0 ? -1 : 0;
}

/* The three victims indicators, from one merge of the victims with their
 * assistance (no lookup of each victim's assistance). */
struct vpass {
    struct rtable *t;
    struct rrow *ident, *assisted, *reint;
    int tot, col;           /* the total column; the current victim's year column or -1 */
    int seen_any, seen_reint;
};

static void vpass_case(void *arg, struct db_stmt *cs)
{
    struct vpass *v = arg;
    const char *y = db_column_text(cs, 1);

    v->col = rtable_col_find(v->t, y ? y : "");
    if (v->col == v->tot)
        v->col = -1;
    v->seen_any = v->seen_reint = 0;
    if (v->col >= 0) {
        v->ident->c[v->col].v++;
        v->ident->c[v->tot].v++;
    }
}

static void vpass_row(void *arg, struct db_stmt *cs, struct db_stmt *as)
{
    struct vpass *v = arg;

    (void)cs;
    if (v->col < 0)
        return;
    if (!v->seen_any) {
        v->seen_any = 1;
        v->assisted->c[v->col].v++;
        v->assisted->c[v->tot].v++;
    }
    if (!v->seen_reint && db_column_int(as, 1)) {
        v->seen_reint = 1;
        v->reint->c[v->col].v++;
        v->reint->c[v->tot].v++;
    }
}

static int victims_pass(struct db *db, const struct report_opts *o, struct npa *n)
{
    static const int rows[] = { I_IDENTIFIED, I_ASSISTED, I_REINTEGRATED };
    struct report_merge m = {
        .date_expr = "registered_on", .cond = " AND registered_on IS NOT NULL",
        .case_cols = "substr(registered_on, 1, 4)",
        /* One row per case helped (db/012_counted_events_help.sql). */
        .assist_table = "case_help", .assist_cols = "reintegrated > 0",
        .on_case = vpass_case, .on_row = vpass_row,
    };
    struct vpass v[2];
    void *args[2] = { &v[0], &v[1] };
    struct rtable *half;
    int i, rc;

    /* The second half counts into a table of the same columns and rows. */
    half = rtable_new("npa", "", NULL, "indicator", "", NULL);
    for (i = 0; i < n->t->ncol; i++)
        rtable_col(half, n->t->cols[i].key, n->t->cols[i].en, n->t->cols[i].lo, RC_COUNT);
    memset(v, 0, sizeof(v));
    for (i = 0; i < 2; i++) {
        struct rtable *t = i ? half : n->t;
        size_t k;

        v[i].t = t;
        v[i].tot = n->tot;
        for (k = 0; k < ARRAY_LEN(rows); k++)
            if (i)
                rtable_row(half, indicators[rows[k]].key, NULL, NULL);
        v[i].ident = i ? &half->rows[0] : n->row[I_IDENTIFIED];
        v[i].assisted = i ? &half->rows[1] : n->row[I_ASSISTED];
        v[i].reint = i ? &half->rows[2] : n->row[I_REINTEGRATED];
    }
    rc = report_victims_merge(db, o, &m, args);
    rtable_add_counts(n->t, half);
    rtable_free(half);
    return rc;
}

/* The years of the npa table: the period, or the years the records span. */
static void npa_years(struct db *db, const struct report_opts *o, int *from, int *to)
{
    int64_t lo, hi;

    /* The first four characters of the least date are the least of the
     * first four characters: min() and max() read one end of an index. */
    lo = db_query_int(db, "SELECT min(y) FROM (SELECT substr(min(start_on), 1, 4) AS y FROM events"
                      " UNION ALL SELECT substr(min(registered_on), 1, 4) FROM cases"
                      " UNION ALL SELECT substr(min(investigated_on), 1, 4) FROM prosecutions)", NULL, 0);
    hi = db_query_int(db, "SELECT max(y) FROM (SELECT substr(max(start_on), 1, 4) AS y FROM events"
                      " UNION ALL SELECT substr(max(registered_on), 1, 4) FROM cases"
                      " UNION ALL SELECT substr(max(verdict_on), 1, 4) FROM prosecutions)", NULL, 0);
    *from = o->from ? o->from : (int)lo;
    *to = o->to ? o->to : (int)hi;
    if (*to - *from >= RT_MAX_PARTS)
        *from = *to - RT_MAX_PARTS + 1;
}

struct report *report_npa_new(struct db *db, const struct report_opts *o)
{
    struct report *rep = report_alloc("npa");
    struct npa n;
    int from, to, y, parts[RT_MAX_PARTS], ny = 0, i;
    char key[16];

    memset(&n, 0, sizeof(n));
    n.t = rtable_new("npa", "NPA indicators per pillar and year",
                     "ຕົວຊີ້ວັດແຜນດຳເນີນງານແຫ່ງຊາດ ຕາມຂົງເຂດ ແລະ ປີ", "indicator", "Indicator", "ຕົວຊີ້ວັດ");
    report_add(rep, n.t);
    npa_years(db, o, &from, &to);
    for (y = from; from && y <= to; y++) {
        snprintf(key, sizeof(key), "%d", y);
        parts[ny++] = rtable_col(n.t, key, key, key, RC_COUNT);
    }
    n.tot = rtable_col(n.t, "total", "Total", "ລວມ", RC_COUNT);
    rtable_group(n.t, n.tot, parts, ny);
    for (i = 0; i < NIND; i++)
        rtable_row(n.t, indicators[i].key, indicators[i].en, indicators[i].lo);
    for (i = 0; i < NIND; i++)     /* the rows stay where they are from now on */
        n.row[i] = &n.t->rows[i];
    n.col = -1;
    if (npa_events(db, o, &n) < 0 || npa_prosecutions(db, o, &n) < 0 || victims_pass(db, o, &n) < 0) {
        report_free(rep);
        return NULL;
    }
    rtable_note(n.t, "Each indicator counts in the year of its own date: event start, registration, "
                "investigation, charge or verdict.",
                "ແຕ່ລະຕົວຊີ້ວັດນັບໃນປີຂອງວັນທີຂອງມັນ.");
    return rep;
}
