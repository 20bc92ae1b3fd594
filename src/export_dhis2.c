/* DHIS2 export: aggregate indicators per district P-code (the org unit code)
 * and year, as a dataValueSet in JSON or CSV, or as ADX XML.  The counting
 * rules are the reports' (README.md, "Counting rules"); codes come from
 * forms/dhis2.ini. */
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

#define LIVE "deleted_at IS NULL AND status <> 'draft'"
#define SEX_KEY(col) "CASE " col " WHEN 'F' THEN 'female' WHEN 'M' THEN 'male' WHEN 'X' THEN 'other' ELSE 'unknown' END"

/* Each query returns (org unit, breakdown key, value) for period ?1. */
static const struct { const char *element, *sql; } queries[] = {
    { "victims_identified",
      "SELECT home_district, " SEX_KEY("sex") " || '_' || CASE ag WHEN 'c' THEN 'under18'"
      " WHEN 'a' THEN 'adult' ELSE 'age_unknown' END, count(*) FROM (SELECT home_district, sex, "
      REPORT_AGE_GROUP_EXPR " AS ag FROM cases WHERE " LIVE " AND " REPORT_VICTIM_COND
      " AND substr(registered_on, 1, 4) = ?1) GROUP BY 1, 2" },
    { "victims_exploitation",
      "WITH RECURSIVE s(d, k, rest) AS (SELECT home_district, NULL, ifnull(exploitation, '') || ';'"
      " FROM cases WHERE " LIVE " AND " REPORT_VICTIM_COND " AND substr(registered_on, 1, 4) = ?1"
      " UNION ALL SELECT d, substr(rest, 1, instr(rest, ';') - 1), substr(rest, instr(rest, ';') + 1)"
      " FROM s WHERE rest <> '') SELECT d, CASE WHEN k = 'Other' THEN 'other_exploitation' ELSE lower(k) END,"
      " count(*) FROM s WHERE k IS NOT NULL AND k <> '' GROUP BY 1, 2" },
    { "victims_assisted",
      "SELECT home_district, " SEX_KEY("sex") ", count(*) FROM cases c WHERE " LIVE " AND " REPORT_VICTIM_COND
      " AND EXISTS (SELECT 1 FROM case_assistance a WHERE a.case_uuid = c.uuid"
      " AND substr(ifnull(a.start_on, c.registered_on), 1, 4) = ?1) GROUP BY 1, 2" },
    { "cases_investigated",
      "SELECT district, 'default', count(*) FROM prosecutions WHERE " LIVE
      " AND substr(investigated_on, 1, 4) = ?1 GROUP BY 1" },
    { "cases_prosecuted",
      "SELECT district, 'default', count(*) FROM prosecutions WHERE " LIVE
      " AND substr(charged_on, 1, 4) = ?1 GROUP BY 1" },
    { "cases_convicted",
      "SELECT district, 'default', count(*) FROM prosecutions WHERE " LIVE
      " AND verdict = 'Convicted' AND substr(verdict_on, 1, 4) = ?1 GROUP BY 1" },
    { "persons_investigated",
      "SELECT p.district, " SEX_KEY("s.sex") ", count(*) FROM suspects s JOIN prosecutions p"
      " ON p.uuid = s.prosecution_uuid WHERE p.deleted_at IS NULL AND p.status <> 'draft'"
      " AND substr(p.investigated_on, 1, 4) = ?1 GROUP BY 1, 2" },
    { "persons_prosecuted",
      "SELECT p.district, " SEX_KEY("s.sex") ", count(*) FROM suspects s JOIN prosecutions p"
      " ON p.uuid = s.prosecution_uuid WHERE p.deleted_at IS NULL AND p.status <> 'draft'"
      " AND s.stage IN ('Prosecuted', 'Convicted', 'Acquitted') AND substr(p.charged_on, 1, 4) = ?1 GROUP BY 1, 2" },
    { "persons_convicted",
      "SELECT p.district, " SEX_KEY("s.sex") ", count(*) FROM suspects s JOIN prosecutions p"
      " ON p.uuid = s.prosecution_uuid WHERE p.deleted_at IS NULL AND p.status <> 'draft'"
      " AND s.stage = 'Convicted' AND p.verdict = 'Convicted' AND substr(p.verdict_on, 1, 4) = ?1 GROUP BY 1, 2" },
    { "prevention_events",
      "SELECT district, 'default', count(*) FROM events WHERE " LIVE " AND pillar = 'Prevention'"
      " AND substr(start_on, 1, 4) = ?1 GROUP BY 1" },
    { "prevention_participants",
      "SELECT district, k, total(v) FROM (SELECT district, 'female' AS k, participants_f AS v FROM events"
      " WHERE " LIVE " AND pillar = 'Prevention' AND substr(start_on, 1, 4) = ?1"
      " UNION ALL SELECT district, 'male', participants_m FROM events"
      " WHERE " LIVE " AND pillar = 'Prevention' AND substr(start_on, 1, 4) = ?1"
      " UNION ALL SELECT district, 'unknown', participants_u FROM events"
      " WHERE " LIVE " AND pillar = 'Prevention' AND substr(start_on, 1, 4) = ?1) GROUP BY 1, 2" },
    { "prevention_participants_under18",
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

int export_dhis2(struct db *db, const struct dhis2_map *m, int period,
                 enum dhis2_format format, struct sbuf *out, long *skipped)
{
    struct dvs all = {0};
    const char *ds = dhis2_map_code(m, "dataset", "code");
    char per[8];
    int i, rc = 0;

    if (skipped)
        *skipped = 0;
    if (collect(db, period, &all, skipped) < 0) {
        rc = -1;
        goto out;
    }
    snprintf(per, sizeof(per), "%04d", period);
    if (format == DHIS2_JSON)
        sbuf_add(out, "{\"dataValues\":[");
    else if (format == DHIS2_CSV)
        sbuf_add(out, "dataelement,period,orgunit,categoryoptioncombo,attributeoptioncombo,value\r\n");
    else
        sbuf_add(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<adx xmlns=\"urn:ihe:qrph:adx:2015\">\n");
    for (i = 0; i < all.n; i++) {
        const struct dv *d = &all.v[i];
        const char *de = dhis2_map_code(m, "data_element", d->element);
        const char *coc = dhis2_map_code(m, "category_option_combo", d->coc);
        char val[24];

        if (!de || !coc) {
            rc = err_set("forms/dhis2.ini: no code for %s / %s; add it", d->element, d->coc);
            goto out;
        }
        snprintf(val, sizeof(val), "%lld", (long long)d->value);
        if (format == DHIS2_JSON) {
            sbuf_add(out, i ? ",\n{" : "\n{");
            sbuf_add(out, "\"dataElement\":");
            util_json_string(out, de);
            sbuf_addf(out, ",\"period\":\"%s\",\"orgUnit\":", per);
            util_json_string(out, d->org);
            sbuf_add(out, ",\"categoryOptionCombo\":");
            util_json_string(out, coc);
            sbuf_addf(out, ",\"value\":\"%s\"}", val);
        } else if (format == DHIS2_CSV) {
            util_csv_field(out, de);
            sbuf_addf(out, ",%s,%s,", per, d->org);
            util_csv_field(out, coc);
            sbuf_addf(out, ",,%s\r\n", val);
        } else {
            /* One group per org unit (the rows are sorted by org unit). */
            if (i == 0 || strcmp(all.v[i - 1].org, d->org) != 0) {
                sbuf_add(out, "  <group");
                xml_attr(out, "orgUnit", d->org);
                sbuf_addf(out, " period=\"%s-01-01/P1Y\"", per);
                xml_attr(out, "dataSet", ds);
                sbuf_add(out, ">\n");
            }
            sbuf_add(out, "    <dataValue");
            xml_attr(out, "dataElement", de);
            xml_attr(out, "categoryOptionCombo", coc);
            sbuf_addf(out, " value=\"%s\"/>\n", val);
            if (i == all.n - 1 || strcmp(all.v[i + 1].org, d->org) != 0)
                sbuf_add(out, "  </group>\n");
        }
    }
    if (format == DHIS2_JSON)
        sbuf_add(out, "\n]}\n");
    else if (format == DHIS2_ADX)
        sbuf_add(out, "</adx>\n");
out:
    for (i = 0; i < all.n; i++)
        free(all.v[i].coc);
    free(all.v);
    return rc;
}
