/* DHIS2 export: aggregate indicators per district P-code (the org unit code)
 * and year, as a dataValueSet in JSON or CSV, or as ADX XML.  The counting
 * rules are the reports' (README.md, "Counting rules"); codes come from
 * forms/dhis2.ini.  Every cell of the period's grid is written, zeros
 * included, so that a re-export overwrites figures a correction removed. */
#include <stdlib.h>
#include <string.h>

#include "export_std.h"
#include "formdef_dhis2.h"
#include "report.h"
#include "util.h"

struct dv {
    const char *element;    /* key in [data_element] */
    char *coc;              /* key in [category_option_combo] */
    char org[8];
    int64_t value;
};

struct dvs {
    int n, cap;
    struct dv *v;
};

/* The breakdowns of the data elements: which category option combo keys
 * each one has (all of them are written, zeros included). */
enum breakdown { BD_NONE, BD_SEX, BD_SEX3, BD_SEX_AGE, BD_EXPLOITATION };

static const char *const sex_keys[] = { "female", "male", "other", "unknown", NULL };
static const char *const sex3_keys[] = { "female", "male", "unknown", NULL };
static const char *const age_keys[] = { "under18", "adult", "age_unknown", NULL };
static const char *const expl_keys[] = { "forcedlabour", "sexualexploitation", "forcedmarriage",
    "servitude", "forcedbegging", "forcedcriminality", "organremoval", "childlabour",
    "other_exploitation", NULL };
static const char *const none_keys[] = { "default", NULL };

#define LIVE "deleted_at IS NULL AND status <> 'draft'"
#define SEX_KEY(col) "CASE " col " WHEN 'F' THEN 'female' WHEN 'M' THEN 'male' WHEN 'X' THEN 'other' ELSE 'unknown' END"

/* Each query returns (org unit, breakdown key, value) for period ?1. */
static const struct { const char *element; enum breakdown by; const char *sql; } queries[] = {
    { "victims_identified", BD_SEX_AGE,
      "SELECT home_district, " SEX_KEY("sex") " || '_' || CASE ag WHEN 'c' THEN 'under18'"
      " WHEN 'a' THEN 'adult' ELSE 'age_unknown' END, count(*) FROM (SELECT home_district, sex, "
      REPORT_AGE_GROUP_EXPR " AS ag FROM cases WHERE " LIVE " AND " REPORT_VICTIM_COND
      " AND substr(registered_on, 1, 4) = ?1) GROUP BY 1, 2" },
    { "victims_exploitation", BD_EXPLOITATION,
      "WITH RECURSIVE s(d, k, rest) AS (SELECT home_district, NULL, ifnull(exploitation, '') || ';'"
      " FROM cases WHERE " LIVE " AND " REPORT_VICTIM_COND " AND substr(registered_on, 1, 4) = ?1"
      " UNION ALL SELECT d, substr(rest, 1, instr(rest, ';') - 1), substr(rest, instr(rest, ';') + 1)"
      " FROM s WHERE rest <> '') SELECT d, CASE WHEN k = 'Other' THEN 'other_exploitation' ELSE lower(k) END,"
      " count(*) FROM s WHERE k IS NOT NULL AND k <> '' GROUP BY 1, 2" },
    { "victims_assisted", BD_SEX,
      "SELECT home_district, " SEX_KEY("sex") ", count(*) FROM cases c WHERE " LIVE " AND " REPORT_VICTIM_COND
      " AND EXISTS (SELECT 1 FROM case_assistance a WHERE a.case_uuid = c.uuid"
      " AND substr(ifnull(a.start_on, c.registered_on), 1, 4) = ?1) GROUP BY 1, 2" },
    { "cases_investigated", BD_NONE,
      "SELECT district, 'default', count(*) FROM prosecutions WHERE " LIVE
      " AND substr(investigated_on, 1, 4) = ?1 GROUP BY 1" },
    { "cases_prosecuted", BD_NONE,
      "SELECT district, 'default', count(*) FROM prosecutions WHERE " LIVE
      " AND substr(charged_on, 1, 4) = ?1 GROUP BY 1" },
    { "cases_convicted", BD_NONE,
      "SELECT district, 'default', count(*) FROM prosecutions WHERE " LIVE
      " AND verdict = 'Convicted' AND substr(verdict_on, 1, 4) = ?1 GROUP BY 1" },
    { "persons_investigated", BD_SEX,
      "SELECT p.district, " SEX_KEY("s.sex") ", count(*) FROM suspects s JOIN prosecutions p"
      " ON p.uuid = s.prosecution_uuid WHERE p.deleted_at IS NULL AND p.status <> 'draft'"
      " AND substr(p.investigated_on, 1, 4) = ?1 GROUP BY 1, 2" },
    { "persons_prosecuted", BD_SEX,
      "SELECT p.district, " SEX_KEY("s.sex") ", count(*) FROM suspects s JOIN prosecutions p"
      " ON p.uuid = s.prosecution_uuid WHERE p.deleted_at IS NULL AND p.status <> 'draft'"
      " AND s.stage IN ('Prosecuted', 'Convicted', 'Acquitted') AND substr(p.charged_on, 1, 4) = ?1 GROUP BY 1, 2" },
    { "persons_convicted", BD_SEX,
      "SELECT p.district, " SEX_KEY("s.sex") ", count(*) FROM suspects s JOIN prosecutions p"
      " ON p.uuid = s.prosecution_uuid WHERE p.deleted_at IS NULL AND p.status <> 'draft'"
      " AND s.stage = 'Convicted' AND p.verdict = 'Convicted' AND substr(p.verdict_on, 1, 4) = ?1 GROUP BY 1, 2" },
    { "prevention_events", BD_NONE,
      "SELECT district, 'default', count(*) FROM events WHERE " LIVE " AND pillar = 'Prevention'"
      " AND substr(start_on, 1, 4) = ?1 GROUP BY 1" },
    { "prevention_participants", BD_SEX3,
      "SELECT district, k, total(v) FROM (SELECT district, 'female' AS k, participants_f AS v FROM events"
      " WHERE " LIVE " AND pillar = 'Prevention' AND substr(start_on, 1, 4) = ?1"
      " UNION ALL SELECT district, 'male', participants_m FROM events"
      " WHERE " LIVE " AND pillar = 'Prevention' AND substr(start_on, 1, 4) = ?1"
      " UNION ALL SELECT district, 'unknown', participants_u FROM events"
      " WHERE " LIVE " AND pillar = 'Prevention' AND substr(start_on, 1, 4) = ?1) GROUP BY 1, 2" },
    { "prevention_participants_under18", BD_NONE,
      "SELECT district, 'default', total(participants_under18) FROM events WHERE " LIVE
      " AND pillar = 'Prevention' AND substr(start_on, 1, 4) = ?1 GROUP BY 1" },
};

static int dv_cmp(const void *a, const void *b)
{
    const struct dv *x = a, *y = b;
    int c = strcmp(x->org, y->org);

    if (!c)
        c = strcmp(x->element, y->element);
    return c ? c : strcmp(x->coc, y->coc);
}

static int collect(struct db *db, int period, struct dvs *out, long *skipped)
{
    struct db_stmt *known = db_prepare(db, "SELECT 1 FROM ref_district WHERE pcode = ?1", 1);
    char year[8];
    size_t q;
    int rc = 0;

    snprintf(year, sizeof(year), "%04d", period);
    for (q = 0; q < ARRAY_LEN(queries) && rc == 0; q++) {
        struct db_stmt *st = db_prepare(db, queries[q].sql, 0);

        if (!st || !known)
            return -1;
        db_bind_text(st, 1, year);
        while ((rc = db_step(st)) == 1) {
            const char *org = db_column_text(st, 0);
            int64_t v = db_column_int(st, 2);
            struct dv *d;
            int ok;

            if (v <= 0)
                continue;
            db_bind_text(known, 1, org);
            ok = org && db_step(known) == 1;
            db_reset(known);
            /* Only real districts are DHIS2 org units. */
            if (!ok) {
                if (skipped)
                    *skipped += (long)v;
                continue;
            }
            if (out->n == out->cap) {
                out->cap = out->cap ? 2 * out->cap : 256;
                out->v = xrealloc(out->v, (size_t)out->cap * sizeof(*out->v));
            }
            d = &out->v[out->n++];
            d->element = queries[q].element;
            d->coc = xstrdup(db_column_text(st, 1));
            snprintf(d->org, sizeof(d->org), "%s", org);
            d->value = v;
        }
        db_finalize(st);
    }
    if (out->n)
        qsort(out->v, (size_t)out->n, sizeof(*out->v), dv_cmp);
    return rc < 0 ? -1 : 0;
}

static void xml_attr(struct sbuf *out, const char *name, const char *s)
{
    sbuf_addf(out, " %s=\"", name);
    for (; *s; s++) {
        switch (*s) {
        case '&': sbuf_add(out, "&amp;"); break;
        case '<': sbuf_add(out, "&lt;"); break;
        case '>': sbuf_add(out, "&gt;"); break;
        case '"': sbuf_add(out, "&quot;"); break;
        default: sbuf_addc(out, *s);
        }
    }
    sbuf_addc(out, '"');
}

/* The org units of the grid: the districts of OFFICE's scope (itself, its
 * province's districts, or all for the centre) and every district of a
 * record dated in the period, deleted records and drafts included, so
 * that a district whose last record was deleted gets its zeros. */
static const char orgs_sql[] =
    "SELECT pcode FROM ref_district WHERE ?2 = 'LA' OR pcode = ?2 OR province = ?2"
    " UNION SELECT home_district FROM cases WHERE substr(registered_on, 1, 4) = ?1"
    " UNION SELECT c.home_district FROM case_assistance a JOIN cases c ON c.uuid = a.case_uuid"
    " WHERE substr(ifnull(a.start_on, c.registered_on), 1, 4) = ?1"
    " UNION SELECT district FROM prosecutions WHERE ?1 IN (substr(investigated_on, 1, 4),"
    " substr(charged_on, 1, 4), substr(verdict_on, 1, 4))"
    " UNION SELECT district FROM events WHERE substr(start_on, 1, 4) = ?1";

static char (*grid_orgs(struct db *db, const char *year, const char *office, int *n))[8]
{
    char *sql = xasprintf("SELECT pcode FROM ref_district WHERE pcode IN (%s) ORDER BY pcode", orgs_sql);
    struct db_stmt *st = db_prepare(db, sql, 0);
    int cap = 64, rc;
    char (*orgs)[8] = xmalloc((size_t)cap * sizeof(*orgs));

    *n = 0;
    free(sql);
    if (!st) {
        free(orgs);
        return NULL;
    }
    db_bind_text(st, 1, year);
    db_bind_text(st, 2, office ? office : "");
    while ((rc = db_step(st)) == 1) {
        if (*n == cap) {
            cap *= 2;
            orgs = xrealloc(orgs, (size_t)cap * sizeof(*orgs));
        }
        snprintf(orgs[(*n)++], sizeof(orgs[0]), "%s", db_column_text(st, 0));
    }
    db_finalize(st);
    if (rc < 0) {
        free(orgs);
        return NULL;
    }
    return orgs;
}

/* The value collected for a cell, 0 when none. */
static int64_t cell_value(const struct dvs *all, const char *org, const char *element, const char *coc)
{
    struct dv key = { element, (char *)coc, "", 0 };
    const struct dv *d;

    if (!all->n)
        return 0;
    snprintf(key.org, sizeof(key.org), "%s", org);
    d = bsearch(&key, all->v, (size_t)all->n, sizeof(*all->v), dv_cmp);
    return d ? d->value : 0;
}

/* The category option combo keys of breakdown BY into KEYS; their count. */
static int coc_keys(enum breakdown by, char keys[][32])
{
    const char *const *a, *const *b;
    int n = 0;

    switch (by) {
    case BD_SEX_AGE:
        for (a = sex_keys; *a; a++)
            for (b = age_keys; *b; b++)
                snprintf(keys[n++], 32, "%s_%s", *a, *b);
        return n;
    case BD_SEX: a = sex_keys; break;
    case BD_SEX3: a = sex3_keys; break;
    case BD_EXPLOITATION: a = expl_keys; break;
    default: a = none_keys; break;
    }
    for (; *a; a++)
        snprintf(keys[n++], 32, "%s", *a);
    return n;
}

/* Appends the ADX category attributes of breakdown key KEY ("female_adult":
 * SEX="F" AGE="GE18", as named in forms/dhis2.ini [adx_category]). */
static int adx_categories(struct sbuf *out, const struct dhis2_map *m, enum breakdown by, const char *key)
{
    const char *cat[2] = { NULL, NULL };
    char opt[2][32];
    int i, n = 1;

    snprintf(opt[0], sizeof(opt[0]), "%.31s", key);
    if (by == BD_NONE)
        return 0;
    if (by == BD_SEX_AGE) {
        size_t k = strcspn(key, "_");

        snprintf(opt[0], sizeof(opt[0]), "%.*s", (int)k, key);
        snprintf(opt[1], sizeof(opt[1]), "%.31s", key[k] ? key + k + 1 : "");
        cat[0] = "sex";
        cat[1] = "age";
        n = 2;
    } else {
        cat[0] = by == BD_EXPLOITATION ? "exploitation" : "sex";
    }
    for (i = 0; i < n; i++) {
        char section[32];
        const char *name = dhis2_map_code(m, "adx_category", cat[i]), *code;

        snprintf(section, sizeof(section), "adx_%s", cat[i]);
        code = dhis2_map_code(m, section, opt[i]);
        if (!name)
            return err_set("forms/dhis2.ini: [adx_category] %s: missing; add the DHIS2 category code", cat[i]);
        if (!code)
            return err_set("forms/dhis2.ini: [%s] %s: missing; add the category option code", section, opt[i]);
        xml_attr(out, name, code);
    }
    return 0;
}

int export_dhis2(struct db *db, const struct dhis2_map *m, const struct dhis2_opts *o,
                 struct sbuf *out, long *skipped)
{
    struct dvs all = {0};
    const char *ds = dhis2_map_code(m, "dataset", "code");
    char per[8], (*orgs)[8] = NULL, keys[16][32];
    int i, norg = 0, nout = 0, written = 0, rc = 0;
    size_t q;

    if (skipped)
        *skipped = 0;
    snprintf(per, sizeof(per), "%04d", o->period);
    if (collect(db, o->period, &all, skipped) < 0 || !(orgs = grid_orgs(db, per, o->office, &norg))) {
        rc = -1;
        goto out;
    }
    if (o->format == DHIS2_ADX && norg == 0) {
        rc = err_set("no district to report for %s: the office's scope has none and no record is dated in "
                     "that year (ADX needs at least one group)", per);
        goto out;
    }
    if (o->format == DHIS2_JSON) {
        /* The schemes come before dataValues: DHIS2 reads the header of a
         * streamed set before its values. */
        sbuf_add(out, "{\"idScheme\":\"CODE\",\"dataElementIdScheme\":\"CODE\",\"orgUnitIdScheme\":\"CODE\","
                 "\"categoryOptionComboIdScheme\":\"CODE\",\"dataValues\":[");
    } else if (o->format == DHIS2_CSV) {
        sbuf_add(out, "dataelement,period,orgunit,categoryoptioncombo,attributeoptioncombo,value\r\n");
    } else {
        char now[21];

        util_now_iso(now);
        sbuf_addf(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                  "<adx xmlns=\"urn:ihe:qrph:adx:2015\" exported=\"%s\">\n", now);
    }
    for (i = 0; i < norg; i++) {
        if (o->format == DHIS2_ADX) {
            sbuf_add(out, "  <group");
            xml_attr(out, "orgUnit", orgs[i]);
            sbuf_addf(out, " period=\"%s-01-01/P1Y\"", per);
            xml_attr(out, "dataSet", ds);
            sbuf_add(out, ">\n");
        }
        for (q = 0; q < ARRAY_LEN(queries); q++) {
            const char *de = dhis2_map_code(m, "data_element", queries[q].element);
            int k, nk = coc_keys(queries[q].by, keys);

            for (k = 0; k < nk; k++) {
                const char *coc = dhis2_map_code(m, "category_option_combo", keys[k]);
                long long v = (long long)cell_value(&all, orgs[i], queries[q].element, keys[k]);

                if (!de || !coc) {
                    rc = err_set("forms/dhis2.ini: no code for %s / %s; add it", queries[q].element, keys[k]);
                    goto out;
                }
                if (o->format == DHIS2_JSON) {
                    sbuf_add(out, nout ? ",\n{" : "\n{");
                    sbuf_add(out, "\"dataElement\":");
                    util_json_string(out, de);
                    sbuf_addf(out, ",\"period\":\"%s\",\"orgUnit\":", per);
                    util_json_string(out, orgs[i]);
                    sbuf_add(out, ",\"categoryOptionCombo\":");
                    util_json_string(out, coc);
                    sbuf_addf(out, ",\"value\":\"%lld\"}", v);
                } else if (o->format == DHIS2_CSV) {
                    util_csv_field(out, de);
                    sbuf_addf(out, ",%s,%s,", per, orgs[i]);
                    util_csv_field(out, coc);
                    sbuf_addf(out, ",,%lld\r\n", v);
                } else {
                    sbuf_add(out, "    <dataValue");
                    xml_attr(out, "dataElement", de);
                    if (o->adx_categories) {
                        if (adx_categories(out, m, queries[q].by, keys[k]) < 0) {
                            rc = -1;
                            goto out;
                        }
                    } else {
                        xml_attr(out, "categoryOptionCombo", coc);
                    }
                    sbuf_addf(out, " value=\"%lld\"/>\n", v);
                }
                written += v > 0;
                nout++;
            }
        }
        if (o->format == DHIS2_ADX)
            sbuf_add(out, "  </group>\n");
    }
    if (o->format == DHIS2_JSON)
        sbuf_add(out, "\n]}\n");
    else if (o->format == DHIS2_ADX)
        sbuf_add(out, "</adx>\n");
    /* A count outside the grid (a code the breakdowns do not know) would
     * be lost: refuse rather than publish a smaller figure. */
    if (written < all.n) {
        const struct dv *d = &all.v[0];

        for (i = 0; i < all.n && !rc; i++)
            for (q = 0; q < ARRAY_LEN(queries); q++) {
                int k, nk = coc_keys(queries[q].by, keys), found = 0;

                if (strcmp(queries[q].element, all.v[i].element) != 0)
                    continue;
                for (k = 0; k < nk; k++)
                    found |= strcmp(keys[k], all.v[i].coc) == 0;
                if (!found) {
                    d = &all.v[i];
                    rc = -1;
                }
            }
        rc = err_set("%s %s: %s has no category option combo in forms/dhis2.ini; add it, or correct "
                     "the records (see 'tipdesk check')", d->org, d->element, d->coc);
    }
out:
    for (i = 0; i < all.n; i++)
        free(all.v[i].coc);
    free(all.v);
    free(orgs);
    return rc;
}
