/* export_std — the standard exports for partners outside the program: HTCDS
 * 2.0 case files (cases, journey events, assistance) and DHIS2 aggregate
 * indicators (dataValueSet JSON or CSV, and ADX XML) per district P-code and
 * year.  No terminal; the CLI and the export screen share it. */
#ifndef TIPDESK_EXPORT_STD_H
#define TIPDESK_EXPORT_STD_H

#include "db.h"
#include "util.h"

/* Writes DIR/htcds_cases.csv, DIR/htcds_trafficking_events.csv and
 * DIR/htcds_support_plans.csv: every case not deleted and not a draft, with
 * HTCDS 2.0 field names and value names (our codes renamed where HTCDS has
 * another name; values HTCDS lacks become "Other" or are left empty).  The
 * first column, uuid, joins the three files.  DEIDENTIFY leaves out names,
 * birth date, ID number, phone, district, village and free text.  Each file
 * is written under a temporary name and renamed.  Sets *N to the cases
 * written.  0 or -1 with err set. */
int export_htcds(struct db *db, const char *dir, int deidentify, long *n);

/* The HTCDS gender of our sex code (F, M, X, U), or "" for none. */
const char *export_htcds_gender(const char *sex);

/* The DHIS2 mapping (forms/dhis2.ini): data element and category option
 * combo codes for each indicator the export computes. */
struct dhis2_map;

enum dhis2_format { DHIS2_JSON, DHIS2_CSV, DHIS2_ADX };

struct dhis2_opts {
    int period;             /* the year */
    enum dhis2_format format;
    const char *office;     /* P-code whose districts are always written; NULL for none */
    int adx_categories;     /* ADX: category attributes (SEX="F") instead of categoryOptionCombo */
};

/* Computes the indicators of year O->period per district and writes them in
 * O->format to OUT: every data element and category option combo of
 * forms/dhis2.ini for every district of the office's scope and every district
 * of a record dated in the year (deleted ones included), zeros included, so
 * that a re-export replaces figures a correction removed.  JSON names the
 * CODE id schemes.  Only districts of ref_district appear; records without a
 * district are left out (and counted in *SKIPPED when not NULL).  0 or -1. */
int export_dhis2(struct db *db, const struct dhis2_map *m, const struct dhis2_opts *o,
                 struct sbuf *out, long *skipped);

#endif
