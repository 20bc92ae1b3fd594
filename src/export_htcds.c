/* HTCDS 2.0 export: cases, their journey (hte_*) and their assistance
 * (spl_*) as three CSV files joined by the case uuid.  Field and value names
 * are those of db/ref/htcds-2.0-fields.tsv; each value goes only to the
 * field that means it (README.md, "HTCDS 2.0 field mapping"). */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "canon.h"
#include "export_std.h"
#include "outfile.h"
#include "util.h"

/* Our codes that HTCDS names differently (codes not listed pass unchanged
 * when HTCDS has them, see the allowed lists below). */
static const struct { const char *field, *ours, *htcds; } renames[] = {
    { "vic_TypeOfExploitation", "ForcedCriminality", "Other" },
    { "vic_MethodsOfControl", "RestrictsMovement", "Other" },
    { "vic_ForcedLabourIndustry", "A", "A_AgricultureForestryAndFishing" },
    { "vic_ForcedLabourIndustry", "A03", "A_AgricultureForestryAndFishing" },
    { "vic_ForcedLabourIndustry", "B", "B_MiningAndQuarrying" },
    { "vic_ForcedLabourIndustry", "C", "C_Manufacturing" },
    { "vic_ForcedLabourIndustry", "F", "F_Construction" },
    { "vic_ForcedLabourIndustry", "G", "G_WholesaleAndRetailTradeRepairOfMotorVehicles" },
    { "vic_ForcedLabourIndustry", "I", "I_AccommodationAndFoodServiceActivities" },
    { "vic_ForcedLabourIndustry", "J", "J_InformationAndCommunication" },
    { "vic_ForcedLabourIndustry", "R", "R_ArtsEntertainmentAndRecreation" },
    { "vic_ForcedLabourIndustry", "S", "S_OtherServiceActivities" },
    { "vic_ForcedLabourIndustry", "T", "T_ActivitiesOfHouseholdsAsEmployers" },
    { "prs_PrimaryLanguage", "lo", "lao" },
    { "prs_PrimaryLanguage", "hmn", "hmn" },
    { "prs_PrimaryLanguage", "kjg", "mkh" },
    { "prs_PrimaryLanguage", "th", "tha" },
    { "prs_PrimaryLanguage", "vi", "vie" },
    { "prs_PrimaryLanguage", "zh", "zho" },
    { "prs_PrimaryLanguage", "en", "eng" },
    { "prs_HighestLevelOfEducation", "Primary", "PrimaryEducation" },
    { "prs_HighestLevelOfEducation", "LowerSecondary", "LowerSecondaryEducation" },
    { "prs_HighestLevelOfEducation", "UpperSecondary", "UpperSecondaryEducation" },
    { "spl_Type", "Shelter", "SocialCare" },
    { "spl_Type", "Medical", "Health" },
    { "spl_Type", "Psychological", "Health" },
    { "spl_Type", "VocationalTraining", "Livelihood" },
    { "spl_Type", "FamilyTracing", "SocialCare" },
    { "spl_Type", "Repatriation", "SocialCare" },
    { "spl_Type", "Reintegration", "SocialCare" },
};

/* The HTCDS value names we may write for each coded field. */
static const struct { const char *field, *values; } allowed[] = {
    { "vic_TraffickingStatus", "PossibleVictimOfTrafficking ActualVictimOfTrafficking NotAVictimOfTrafficking" },
    { "vic_TypeOfExploitation", "ForcedLabour SexualExploitation ChildLabour ForcedMarriage Servitude "
      "ForcedMilitaryByNonStateActors OrganRemoval ForcedBegging ForcedAdoption Surrogacy Other" },
    { "vic_MethodsOfControl", "PhysicalThreats ThreatsLawEnforcement ThreatensChildrenFamily DebtBondage "
      "FalsePromises PhysicalAbuse SexualAbuse TakesEarnings RestrictsFinancialAccess RestrictsMedicalCare "
      "WithholdsNecessities PsychologicalAbuse PsychoactiveSubstance ExcessiveWorkingHours WithholdsDocuments Other" },
    { "vic_MethodOfRecruitment", "AtAPlaceOfBusiness AtAnEducationalInstitution AtWork ThroughOnlineSocialNetworks "
      "ThroughAnOnlineAdvertisement ThroughATelevisionAdvert ThroughANewspaperAdvert ThroughFamilyOrFamilyEvents "
      "ThroughFriendsOrSocialEvents Other" },
    { "vic_RelationshipToTrafficker", "Familial Acquainted Unaquainted" },
    { "vic_ForcedLabourIndustry", "A_AgricultureForestryAndFishing B_MiningAndQuarrying C_Manufacturing "
      "F_Construction G_WholesaleAndRetailTradeRepairOfMotorVehicles I_AccommodationAndFoodServiceActivities "
      "J_InformationAndCommunication R_ArtsEntertainmentAndRecreation S_OtherServiceActivities "
      "T_ActivitiesOfHouseholdsAsEmployers" },
    { "prs_MaritalStatus", "Single Married Widowed Divorced Separated RegisteredPartnership" },
    /* ISO 639-2 (639-2/T where B and T differ; Khmu as mkh, Mon-Khmer). */
    { "prs_PrimaryLanguage", "lao hmn mkh tha vie zho eng" },
    /* ISCED 2011 levels that our codes match exactly (not None, Vocational, Higher). */
    { "prs_HighestLevelOfEducation", "PrimaryEducation LowerSecondaryEducation UpperSecondaryEducation" },
    { "cas_Status", "Active FollowUp Closed ClosedReferred" },
    { "hte_Type", "Recruitment Transit Exploitation" },
    { "spl_Type", "Education Financial Health LabourExploitationRehabilitation Legal Livelihood "
      "RightsBasedTraining SexualExploitationRehabilitation SocialCare" },
};

const char *export_htcds_gender(const char *sex)
{
    if (util_empty(sex))
        return "";
    switch (sex[0]) {
    case 'F': return "Feminine";
    case 'M': return "Masculine";
    case 'X': return "NonConforming";
    default: return "NonSpecifiedUnknown";
    }
}

static int word_in(const char *w, size_t n, const char *list)
{
    const char *p = list;

    while (*p) {
        size_t len = strcspn(p, " ");

        if (len == n && strncmp(p, w, n) == 0)
            return 1;
        p += len;
        p += *p == ' ';
    }
    return 0;
}

/* Appends to OUT the HTCDS value(s) of our value V for FIELD: each code of
 * a ';' list renamed, kept when HTCDS allows it, dropped otherwise;
 * duplicates removed.  SINGLE keeps the first only. */
static void coded(struct sbuf *out, const char *field, const char *v, int single)
{
    const char *list = NULL, *p = v ? v : "";
    size_t i, start = out->len;

    for (i = 0; i < ARRAY_LEN(allowed); i++)
        if (strcmp(allowed[i].field, field) == 0)
            list = allowed[i].values;
    while (*p) {
        size_t n = strcspn(p, ";");
        const char *code = p, *mapped = NULL;
        size_t mlen = n;

        for (i = 0; i < ARRAY_LEN(renames); i++)
            if (strcmp(renames[i].field, field) == 0 && strlen(renames[i].ours) == n
                && strncmp(renames[i].ours, p, n) == 0)
                mapped = renames[i].htcds;
        if (mapped) {
            code = mapped;
            mlen = strlen(mapped);
        }
        if (mlen && list && word_in(code, mlen, list)) {
            /* Skip a value already written (two codes renamed to one). */
            char *tmp = xstrndup(code, mlen);
            const char *have = out->s ? out->s + start : "";
            int dup = 0;
            const char *q = have;

            while (*q) {
                size_t k = strcspn(q, ";");

                if (k == mlen && strncmp(q, tmp, k) == 0)
                    dup = 1;
                q += k;
                q += *q == ';';
            }
            if (!dup && !(single && out->len > start)) {
                if (out->len > start)
                    sbuf_addc(out, ';');
                sbuf_add(out, tmp);
            }
            free(tmp);
        }
        p += n;
        p += *p == ';';
    }
}

/* Writes OUT to DIR/NAME through a private temporary file and a rename. */
static int write_file(const char *dir, const char *name, const struct sbuf *out)
{
    char *path = xasprintf("%s/%s", dir, name);
    int rc = outfile_write(path, sbuf_str(out), out->len);

    free(path);
    return rc;
}

/* 1 when S is a whole date YYYY-MM-DD that exists. */
static int date_full(const char *s)
{
    return s && canon_date(s, 0);
}

/* Lao numbers after +856: mobiles 20 + 8 digits or 30 + 7, land lines a
 * two-digit area code (21-88, not 20 or 30) + 6 digits.  1 mobile, 2 land
 * line, 0 neither. */
static int lao_national(const char *d)
{
    size_t n = strlen(d);

    if (n == 10 && strncmp(d, "20", 2) == 0)
        return 1;
    if (n == 9 && strncmp(d, "30", 2) == 0)
        return 1;
    if (n == 8 && d[0] >= '2' && d[0] <= '8' && d[1] != '0')
        return 2;
    return 0;
}

int export_htcds_phone(const char *in, char out[17], int *mobile)
{
    char d[32];
    const char *p = in;
    size_t n = 0;
    int plus = 0, kind;

    out[0] = '\0';
    *mobile = 1;
    if (!in)
        return -1;
    while (*p == ' ')
        p++;
    if (*p == '+') {
        plus = 1;
        p++;
    }
    for (; *p; p++) {
        if (isdigit((unsigned char)*p)) {
            if (n + 1 >= sizeof(d))
                return -1;
            d[n++] = *p;
        } else if (!strchr(" -.()", *p)) {
            return -1;
        }
    }
    d[n] = '\0';
    if (n < 7)
        return -1;
    if (!plus && d[0] == '0' && d[1] == '0') {
        memmove(d, d + 2, n - 1);
        plus = 1;
    } else if (!plus && d[0] == '0') {
        /* A Lao national number: 020 ..., 030 ..., 021 ... */
        if (!lao_national(d + 1))
            return -1;
        memmove(d + 3, d + 1, n);
        memcpy(d, "856", 3);
    } else if (!plus && lao_national(d) == 1) {
        /* A Lao mobile written without its 0. */
        memmove(d + 3, d, n + 1);
        memcpy(d, "856", 3);
    } else if (!plus && strncmp(d, "856", 3) != 0) {
        return -1;
    }
    if (strncmp(d, "856", 3) == 0) {
        if (!(kind = lao_national(d + 3)))
            return -1;
        *mobile = kind == 1;
    }
    /* E.164: a country code that does not start with 0, at most 15 digits. */
    n = strlen(d);
    if (n < 7 || n > 15 || d[0] == '0')
        return -1;
    snprintf(out, 17, "+%.15s", d);
    return 0;
}

/* 1 when the ';' list V holds CODE. */
static int has_code(const char *v, const char *code)
{
    size_t n = strlen(code);

    while (v && *v) {
        size_t k = strcspn(v, ";");

        if (k == n && strncmp(v, code, n) == 0)
            return 1;
        v += k;
        v += *v == ';';
    }
    return 0;
}

/* Our free-text "status decided by" as an HTCDS organisation type: the
 * value whose name or label it spells (case, spaces and punctuation
 * ignored), else Other; "" when empty. */
const char *export_htcds_decision_org(const char *v)
{
    static const char *const map[][2] = {
        { "police", "Police" }, { "ngo", "NGO" },
        { "courtorprosecution", "CourtOrProsecution" },
        { "nonpolicegovernmentalorganization", "NonPoliceGovernmentalOrganization" },
        { "nonpolicegovernmentalorganisation", "NonPoliceGovernmentalOrganization" },
        { "other", "Other" },
    };
    char k[128];
    size_t i, n = 0;

    if (util_empty(v))
        return "";
    for (; *v && n + 1 < sizeof(k); v++)
        if (isalnum((unsigned char)*v))
            k[n++] = (char)tolower((unsigned char)*v);
    k[n] = '\0';
    for (i = 0; i < ARRAY_LEN(map); i++)
        if (strcmp(k, map[i][0]) == 0)
            return map[i][1];
    return "Other";
}

/* De-identified: the secret of this export's case keys (one for the three
 * files, so they join; a new one for each export). */
static int deid_keys;
static unsigned char deid_secret[UTIL_SECRET_LEN];

/* Every value but a checked phone is written through here: a spreadsheet
 * must not run it. */
static void field(struct sbuf *out, const char *v)
{
    sbuf_addc(out, ',');
    util_csv_field_sheet(out, v, 0);
}

static void put_uuid(struct sbuf *out, const char *uuid)
{
    char key[37];

    if (!deid_keys || !uuid) {
        sbuf_add(out, uuid ? uuid : "");
        return;
    }
    util_pseudonym(deid_secret, uuid, key);
    sbuf_add(out, key);
}

/* A checked E.164 number ('+' and digits): written as it is, since a
 * spreadsheet reads it as a number, never as a formula to neutralise. */
static void phone_field(struct sbuf *out, const char *v)
{
    sbuf_addc(out, ',');
    util_csv_field(out, v);
}

/* Appends "; " then the formatted note to NOTE (a note field's text). */
static void note_add(struct sbuf *note, const char *label, const char *v)
{
    if (util_empty(v))
        return;
    sbuf_addf(note, "%s%s: %s", note->len ? "; " : "", label, v);
}

#define CASE_FIELDS_PII "prs_FirstName,prs_SecondName,prs_Birthdate,prs_IdentityNumber,prs_MobilePhone," \
    "prs_HomePhone,vic_LocationOfExploitation,cas_ReferringOrganisation,cas_ReferredOrganisation," \
    "cco_CaseComment,"
#define CASE_FIELDS "prs_Gender,prs_Citizenship,prs_MaritalStatus,prs_PrimaryLanguage," \
    "prs_HighestLevelOfEducation,prs_MailingCountry,prs_MailingState,vic_TraffickingStatus," \
    "vic_TraffickingStatusDecisionMakingOrg,vic_RelationshipToTrafficker,vic_AgeWhenTrafficked," \
    "vic_MethodOfRecruitment,vic_MethodsOfControl,vic_TypeOfExploitation,vic_ForcedLabourIndustry," \
    "cas_Status,cas_ReasonForCaseClosure,cas_IncomingReferralDate,con_Consent"

static int export_cases(struct db *db, const struct htcds_opts *o, struct htcds_result *r)
{
    struct db_stmt *st = db_prepare(db,
        "SELECT c.uuid, c.first_name, c.last_name, c.birth_date, c.id_document, c.phone,"
        " c.exploitation_place, c.sex, c.citizenship, c.marital_status, c.language, c.education,"
        " c.home_province, p.name_en, c.trafficking_status, c.status_decided_by, c.recruiter_relation,"
        " c.age_trafficked, c.recruitment_method, c.means_of_control, c.exploitation, c.labour_sector,"
        " c.case_status, c.closure_reason, c.referral_org, c.referral_on, c.referred_to, c.consent"
        " FROM cases c LEFT JOIN ref_province p ON p.pcode = c.home_province"
        " WHERE c.deleted_at IS NULL AND c.status <> 'draft' ORDER BY c.id", 0);
    struct sbuf out = {0}, note = {0};
    int rc;

    if (!st)
        return -1;
    if (o->excel)
        sbuf_add(&out, "\xEF\xBB\xBF");
    sbuf_add(&out, "uuid,");
    if (!o->deidentify)
        sbuf_add(&out, CASE_FIELDS_PII);
    sbuf_add(&out, CASE_FIELDS "\r\n");
    while ((rc = db_step(st)) == 1) {
        const char *birth = db_column_text(st, 3), *expl = db_column_text(st, 20);
        const char *consent = db_column_is_null(st, 27) ? "" : db_column_int(st, 27) ? "true" : "false";
        const char *ref_on = db_column_text(st, 25), *cstatus = db_column_text(st, 22);
        int closed = cstatus && (!strcmp(cstatus, "Closed") || !strcmp(cstatus, "ClosedReferred"));

        put_uuid(&out, db_column_text(st, 0));
        if (!o->deidentify) {
            char phone[17];
            int mobile = 1;

            field(&out, db_column_text(st, 1));
            field(&out, db_column_text(st, 2));
            /* A partly known birth date is no Date: it goes to the note. */
            sbuf_reset(&note);
            field(&out, date_full(birth) ? birth : "");
            if (!util_empty(birth) && !date_full(birth))
                note_add(&note, "Birth date known only as", birth);
            field(&out, db_column_text(st, 4));
            if (export_htcds_phone(db_column_text(st, 5), phone, &mobile) < 0 && !util_empty(db_column_text(st, 5)))
                r->phones_left_out++;
            phone_field(&out, mobile ? phone : "");
            phone_field(&out, mobile ? "" : phone);
            /* Free text: the place, the organisations as typed. */
            field(&out, db_column_text(st, 6));
            field(&out, db_column_text(st, 24));
            field(&out, cstatus && !strcmp(cstatus, "ClosedReferred") ? db_column_text(st, 26) : "");
            field(&out, sbuf_str(&note));
        }
        sbuf_addf(&out, ",%s,", export_htcds_gender(db_column_text(st, 7)));
        util_csv_field_sheet(&out, db_column_text(st, 8), 0);
        sbuf_addc(&out, ',');
        coded(&out, "prs_MaritalStatus", db_column_text(st, 9), 1);
        sbuf_addc(&out, ',');
        coded(&out, "prs_PrimaryLanguage", db_column_text(st, 10), 1);
        sbuf_addc(&out, ',');
        coded(&out, "prs_HighestLevelOfEducation", db_column_text(st, 11), 1);
        /* The province by name as the state; the district has no field. */
        sbuf_addf(&out, ",%s", db_column_is_null(st, 12) ? "" : "LA");
        field(&out, db_column_text(st, 13));
        sbuf_addc(&out, ',');
        coded(&out, "vic_TraffickingStatus", db_column_text(st, 14), 1);
        sbuf_addf(&out, ",%s,", export_htcds_decision_org(db_column_text(st, 15)));
        coded(&out, "vic_RelationshipToTrafficker", db_column_text(st, 16), 1);
        field(&out, db_column_text(st, 17));
        sbuf_addc(&out, ',');
        coded(&out, "vic_MethodOfRecruitment", db_column_text(st, 18), 0);
        sbuf_addc(&out, ',');
        coded(&out, "vic_MethodsOfControl", db_column_text(st, 19), 0);
        sbuf_addc(&out, ',');
        coded(&out, "vic_TypeOfExploitation", expl, 0);
        sbuf_addc(&out, ',');
        /* HTCDS asks the industry of forced labour only. */
        if (has_code(expl, "ForcedLabour") || has_code(expl, "ChildLabour"))
            coded(&out, "vic_ForcedLabourIndustry", db_column_text(st, 21), 1);
        sbuf_addc(&out, ',');
        coded(&out, "cas_Status", cstatus, 1);
        /* A closure reason and a referral out belong to a closed case only. */
        field(&out, closed ? db_column_text(st, 23) : "");
        field(&out, date_full(ref_on) ? ref_on : "");
        sbuf_addf(&out, ",%s\r\n", consent);
        r->cases++;
    }
    db_finalize(st);
    if (rc == 0)
        rc = write_file(o->dir, "htcds_cases.csv", &out);
    sbuf_free(&out);
    sbuf_free(&note);
    return rc;
}

static int export_journey(struct db *db, const struct htcds_opts *o)
{
    struct db_stmt *st = db_prepare(db,
        "SELECT e.case_uuid, e.step, e.event_on, e.country, p.name_en, d.name_en, e.place, e.description"
        " FROM case_events e JOIN cases c ON c.uuid = e.case_uuid"
        " LEFT JOIN ref_province p ON p.pcode = e.province LEFT JOIN ref_district d ON d.pcode = e.district"
        " WHERE c.deleted_at IS NULL AND c.status <> 'draft' ORDER BY c.id, e.seq", 0);
    struct sbuf out = {0}, note = {0};
    int rc;

    if (!st)
        return -1;
    if (o->excel)
        sbuf_add(&out, "\xEF\xBB\xBF");
    sbuf_add(&out, o->deidentify ? "uuid,hte_Type,hte_Date,hte_Country,hte_State\r\n"
                                 : "uuid,hte_Type,hte_Date,hte_Country,hte_State,hte_Description\r\n");
    while ((rc = db_step(st)) == 1) {
        const char *on = db_column_text(st, 2);

        put_uuid(&out, db_column_text(st, 0));
        sbuf_addc(&out, ',');
        coded(&out, "hte_Type", db_column_text(st, 1), 1);
        field(&out, date_full(on) ? on : "");
        field(&out, db_column_text(st, 3));
        field(&out, db_column_text(st, 4));
        if (!o->deidentify) {
            /* The text, and what HTCDS has no field for: the district (not
             * a city), the place (not a street), a partly known date. */
            sbuf_reset(&note);
            if (!util_empty(db_column_text(st, 7)))
                sbuf_add(&note, db_column_text(st, 7));
            note_add(&note, "District", db_column_text(st, 5));
            note_add(&note, "Place", db_column_text(st, 6));
            if (!util_empty(on) && !date_full(on))
                note_add(&note, "Date known only as", on);
            field(&out, sbuf_str(&note));
        }
        sbuf_add(&out, "\r\n");
    }
    db_finalize(st);
    if (rc == 0)
        rc = write_file(o->dir, "htcds_trafficking_events.csv", &out);
    sbuf_free(&out);
    sbuf_free(&note);
    return rc;
}

static int export_support(struct db *db, const struct htcds_opts *o)
{
    struct db_stmt *st = db_prepare(db,
        "SELECT a.case_uuid, a.type, a.status, a.end_on"
        " FROM case_assistance a JOIN cases c ON c.uuid = a.case_uuid"
        " WHERE c.deleted_at IS NULL AND c.status <> 'draft' ORDER BY c.id, a.seq", 0);
    struct sbuf out = {0};
    int rc;

    if (!st)
        return -1;
    if (o->excel)
        sbuf_add(&out, "\xEF\xBB\xBF");
    sbuf_add(&out, "uuid,spl_Type,spl_PlannedEndDate,spl_ActualEndDate\r\n");
    while ((rc = db_step(st)) == 1) {
        const char *status = db_column_text(st, 2), *end = db_column_text(st, 3);
        int done = status && (!strcmp(status, "Completed") || !strcmp(status, "Discontinued"));
        int planned = status && (!strcmp(status, "Planned") || !strcmp(status, "Ongoing"));

        if (!date_full(end))
            end = "";
        put_uuid(&out, db_column_text(st, 0));
        sbuf_addc(&out, ',');
        coded(&out, "spl_Type", db_column_text(st, 1), 1);
        /* The end date is planned while the help goes on, actual once over. */
        field(&out, planned ? end : "");
        field(&out, done ? end : "");
        sbuf_add(&out, "\r\n");
    }
    db_finalize(st);
    if (rc == 0)
        rc = write_file(o->dir, "htcds_support_plans.csv", &out);
    sbuf_free(&out);
    return rc;
}

int export_htcds(struct db *db, const struct htcds_opts *o, struct htcds_result *r)
{
    static const char *const files[] = { "htcds_cases.csv", "htcds_trafficking_events.csv",
                                         "htcds_support_plans.csv" };
    int rc, own = !db_in_tx(db);
    size_t i;

    memset(r, 0, sizeof(*r));
    /* All three names are checked before the first is written. */
    for (i = 0; i < ARRAY_LEN(files); i++) {
        char *path = xasprintf("%s/%s", o->dir, files[i]);

        rc = outfile_check(path, OUT_CSV, 0);
        free(path);
        if (rc < 0)
            return -1;
    }
    deid_keys = o->deidentify;
    if (o->deidentify)
        util_pseudonym_secret(deid_secret);
    /* One read transaction (the caller's, if it holds one): the three
     * files show the same moment. */
    if (own && db_begin_read(db) < 0)
        return -1;
    rc = export_cases(db, o, r);
    if (rc == 0)
        rc = export_journey(db, o);
    if (rc == 0)
        rc = export_support(db, o);
    if (own)
        db_rollback(db);
    return rc;
}
