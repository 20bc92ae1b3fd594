/* HTCDS 2.0 export: cases, their journey (hte_*) and their assistance
 * (spl_*) as three CSV files joined by the case uuid.  Field and value names
 * are those of db/ref/htcds-2.0-fields.tsv. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

#define CASE_FIELDS_PII "prs_FirstName,prs_SecondName,prs_Birthdate,prs_IdentityNumber,prs_MobilePhone,prs_MailingCity,"
#define CASE_FIELDS "prs_Gender,prs_Citizenship,prs_MaritalStatus,prs_MailingCountry,prs_MailingState," \
    "vic_AgreementToManagePersonalData,vic_TraffickingStatus,vic_RelationshipToTrafficker,vic_AgeWhenTrafficked," \
    "vic_MethodOfRecruitment,vic_MethodsOfControl,vic_TypeOfExploitation,vic_ForcedLabourIndustry," \
    "cas_Status,cas_IncomingReferralDate,con_Consent"

static int export_cases(struct db *db, const char *dir, int deid, long *n)
{
    struct db_stmt *st = db_prepare(db,
        "SELECT uuid, first_name, last_name, birth_date, id_document, phone, home_district, sex,"
        " citizenship, marital_status, home_province, consent, trafficking_status, recruiter_relation,"
        " age_trafficked, recruitment_method, means_of_control, exploitation, labour_sector, case_status,"
        " referral_on FROM cases WHERE deleted_at IS NULL AND status <> 'draft' ORDER BY id", 0);
    struct sbuf out = {0};
    int rc, i;

    if (!st)
        return -1;
    sbuf_add(&out, "uuid,");
    if (!deid)
        sbuf_add(&out, CASE_FIELDS_PII);
    sbuf_add(&out, CASE_FIELDS "\r\n");
    *n = 0;
    while ((rc = db_step(st)) == 1) {
        const char *consent = db_column_is_null(st, 11) ? "" : db_column_int(st, 11) ? "true" : "false";

        sbuf_add(&out, db_column_text(st, 0));
        if (!deid)
            for (i = 1; i <= 6; i++) {
                sbuf_addc(&out, ',');
                util_csv_field(&out, db_column_text(st, i));
            }
        sbuf_addf(&out, ",%s,", export_htcds_gender(db_column_text(st, 7)));
        util_csv_field(&out, db_column_text(st, 8));
        sbuf_addc(&out, ',');
        coded(&out, "prs_MaritalStatus", db_column_text(st, 9), 1);
        sbuf_addf(&out, ",%s,", db_column_is_null(st, 10) ? "" : "LA");
        util_csv_field(&out, db_column_text(st, 10));
        sbuf_addf(&out, ",%s,", consent);
        coded(&out, "vic_TraffickingStatus", db_column_text(st, 12), 1);
        sbuf_addc(&out, ',');
        coded(&out, "vic_RelationshipToTrafficker", db_column_text(st, 13), 1);
        sbuf_addc(&out, ',');
        util_csv_field(&out, db_column_text(st, 14));
        sbuf_addc(&out, ',');
        coded(&out, "vic_MethodOfRecruitment", db_column_text(st, 15), 0);
        sbuf_addc(&out, ',');
        coded(&out, "vic_MethodsOfControl", db_column_text(st, 16), 0);
        sbuf_addc(&out, ',');
        coded(&out, "vic_TypeOfExploitation", db_column_text(st, 17), 0);
        sbuf_addc(&out, ',');
        coded(&out, "vic_ForcedLabourIndustry", db_column_text(st, 18), 1);
        sbuf_addc(&out, ',');
        coded(&out, "cas_Status", db_column_text(st, 19), 1);
        sbuf_addc(&out, ',');
        util_csv_field(&out, db_column_text(st, 20));
        sbuf_addf(&out, ",%s\r\n", consent);
        (*n)++;
    }
    db_finalize(st);
    if (rc == 0)
        rc = write_file(dir, "htcds_cases.csv", &out);
    sbuf_free(&out);
    return rc;
}

static int export_children(struct db *db, const char *dir, int deid)
{
    struct db_stmt *st;
    struct sbuf out = {0};
    int rc;

    st = db_prepare(db,
        "SELECT e.case_uuid, e.step, e.event_on, e.country, e.province, e.district, e.place, e.description"
        " FROM case_events e JOIN cases c ON c.uuid = e.case_uuid"
        " WHERE c.deleted_at IS NULL AND c.status <> 'draft' ORDER BY c.id, e.seq", 0);
    if (!st)
        return -1;
    sbuf_add(&out, deid ? "uuid,hte_Type,hte_Date,hte_Country,hte_State\r\n"
                        : "uuid,hte_Type,hte_Date,hte_Country,hte_State,hte_City,hte_Street,hte_Description\r\n");
    while ((rc = db_step(st)) == 1) {
        int i;

        sbuf_add(&out, db_column_text(st, 0));
        sbuf_addc(&out, ',');
        coded(&out, "hte_Type", db_column_text(st, 1), 1);
        for (i = 2; i <= (deid ? 4 : 7); i++) {
            sbuf_addc(&out, ',');
            util_csv_field(&out, db_column_text(st, i));
        }
        sbuf_add(&out, "\r\n");
    }
    db_finalize(st);
    if (rc < 0 || write_file(dir, "htcds_trafficking_events.csv", &out) < 0)
        goto fail;

    sbuf_reset(&out);
    st = db_prepare(db,
        "SELECT a.case_uuid, a.type, a.end_on, a.status, a.provider, a.start_on"
        " FROM case_assistance a JOIN cases c ON c.uuid = a.case_uuid"
        " WHERE c.deleted_at IS NULL AND c.status <> 'draft' ORDER BY c.id, a.seq", 0);
    if (!st)
        goto fail;
    sbuf_add(&out, "uuid,spl_Type,spl_Objectives,spl_ActualEndDate,spl_ActionPlan\r\n");
    while ((rc = db_step(st)) == 1) {
        struct sbuf plan = {0};
        const char *status = db_column_text(st, 3), *start = db_column_text(st, 5);

        sbuf_add(&out, db_column_text(st, 0));
        sbuf_addc(&out, ',');
        coded(&out, "spl_Type", db_column_text(st, 1), 1);
        /* Our own type, status and dates, which HTCDS has no fields for. */
        sbuf_addc(&out, ',');
        util_csv_field(&out, db_column_text(st, 1));
        sbuf_addc(&out, ',');
        if (status && strcmp(status, "Completed") == 0)
            util_csv_field(&out, db_column_text(st, 2));
        sbuf_addc(&out, ',');
        if (status)
            sbuf_addf(&plan, "status %s", status);
        if (start)
            sbuf_addf(&plan, "%sstarted %s", plan.len ? "; " : "", start);
        if (!deid && db_column_text(st, 4))
            sbuf_addf(&plan, "%sprovider %s", plan.len ? "; " : "", db_column_text(st, 4));
        util_csv_field(&out, sbuf_str(&plan));
        sbuf_free(&plan);
        sbuf_add(&out, "\r\n");
    }
    db_finalize(st);
    if (rc < 0 || write_file(dir, "htcds_support_plans.csv", &out) < 0)
        goto fail;
    sbuf_free(&out);
    return 0;
fail:
    sbuf_free(&out);
    return -1;
}

int export_htcds(struct db *db, const char *dir, int deidentify, long *n)
{
    static const char *const files[] = { "htcds_cases.csv", "htcds_trafficking_events.csv",
                                         "htcds_support_plans.csv" };
    long count = 0;
    size_t i;
    int rc;

    /* All three names are checked before the first is written. */
    for (i = 0; i < ARRAY_LEN(files); i++) {
        char *path = xasprintf("%s/%s", dir, files[i]);

        rc = outfile_check(path, OUT_CSV, 0);
        free(path);
        if (rc < 0)
            return -1;
    }
    if (db_begin_read(db) < 0)
        return -1;
    /* One read transaction: the three files show the same moment. */
    rc = export_cases(db, dir, deidentify, &count);
    if (rc == 0)
        rc = export_children(db, dir, deidentify);
    db_rollback(db);
    if (n)
        *n = count;
    return rc;
}
