/* export_std — the standard exports for partners outside the program: HTCDS
 * 2.0 case files (cases, journey events, assistance) and DHIS2 aggregate
 * indicators (dataValueSet JSON or CSV, and ADX XML) per district P-code and
 * year.  No terminal; the CLI and the export screen share it. */
#ifndef TIPDESK_EXPORT_STD_H
#define TIPDESK_EXPORT_STD_H

#include "db.h"
#include "util.h"

struct htcds_opts {
    const char *dir;        /* the folder the three files go to */
    int deidentify;         /* leave out personal fields and free text */
    int excel;              /* start each file with a UTF-8 byte order mark */
};

struct htcds_result {
    long cases;             /* cases written */
    long phones_left_out;   /* phone numbers not convertible to E.164 */
};

/* Writes DIR/htcds_cases.csv, DIR/htcds_trafficking_events.csv and
 * DIR/htcds_support_plans.csv: every case not deleted and not a draft, with
 * HTCDS 2.0 field names and value names (our codes renamed where HTCDS has
 * another name; values HTCDS lacks become "Other" or are left empty), each
 * value only in the field that means it; Date fields hold whole dates only
 * (a partly known date goes to the row's note: cco_CaseComment,
 * hte_Description); phones in E.164 (Lao numbers normalised, others left
 * out and counted).  The first column, uuid, joins the three files.
 * DEIDENTIFY leaves out names, birth date, ID number, phones, the place of
 * exploitation, the organisations as typed (free text) and the notes.  Each file is written under a temporary name
 * and renamed.  Fills *R.  0 or -1 with err set. */
int export_htcds(struct db *db, const struct htcds_opts *o, struct htcds_result *r);

/* The phone number IN in E.164 into OUT ("+8562055512345"): Lao numbers
 * written 020 / 030 / 021 ..., 856 ..., 00856 ... or +856 ...; other
 * countries written +CC... or 00CC....  *MOBILE is 0 for a Lao land line.
 * 0, or -1 (OUT empty) when it cannot be converted. */
int export_htcds_phone(const char *in, char out[17], int *mobile);

/* The HTCDS vic_TraffickingStatusDecisionMakingOrg value of our free-text
 * "status decided by": the value it names, else "Other"; "" when empty. */
const char *export_htcds_decision_org(const char *v);

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
