/* The canonical value rules and the schema's CHECKs: the one owner of the
 * code sets and the date rule (tests/test_vocab.c holds the schema and
 * forms/lists.ini to them). */
#include <stdio.h>
#include <string.h>

#include "canon.h"
#include "util.h"

enum kind { K_CODE, K_MULTI, K_FLAG, K_DATE, K_STAMP, K_UUID, K_PCODE, K_REV, K_COUNT };

struct canon_rule {
    const char *table;      /* NULL: any table */
    const char *col;
    enum kind kind;
    const char *codes;      /* K_CODE/K_MULTI: "|A|B|C|" */
};

#define MAIN_STATUS "|draft|complete|verified|"
#define EXPLOIT "|ForcedLabour|SexualExploitation|ForcedMarriage|Servitude|ForcedBegging|" \
                "ForcedCriminality|OrganRemoval|ChildLabour|Other|"
#define SEX "|F|M|X|U|"
#define AGE_GROUP "|Child|Adult|Unknown|"
#define OUTCOME "|Ongoing|Referred|Dismissed|Withdrawn|"

static const struct canon_rule rules[] = {
    { NULL, "uuid", K_UUID, NULL },
    { NULL, "case_uuid", K_UUID, NULL },
    { NULL, "prosecution_uuid", K_UUID, NULL },
    { NULL, "office", K_PCODE, NULL },
    { NULL, "rev", K_REV, NULL },
    { NULL, "seq", K_REV, NULL },
    { NULL, "created_at", K_STAMP, NULL },
    { NULL, "updated_at", K_STAMP, NULL },
    { NULL, "deleted_at", K_STAMP, NULL },
    { "audit_log", "at", K_STAMP, NULL },
    { "audit_log", "tbl", K_CODE, "|cases|prosecutions|events|" },
    { "audit_log", "action", K_CODE, "|create|update|delete|restore|import|" },
    { "users", "role", K_CODE, "|viewer|clerk|supervisor|admin|" },
    { "cases", "status", K_CODE, MAIN_STATUS },
    { "prosecutions", "status", K_CODE, MAIN_STATUS },
    { "events", "status", K_CODE, MAIN_STATUS },
    { "cases", "identified_by", K_CODE, "|Police|BorderImmigration|WomensUnion|SocialWelfare|"
      "NGO|Hotline|SelfReferral|ForeignAuthorityReturn|Other|" },
    { NULL, "sex", K_CODE, SEX },
    { NULL, "age_group", K_CODE, AGE_GROUP },
    { "cases", "trafficking_status", K_CODE, "|PossibleVictimOfTrafficking|"
      "ActualVictimOfTrafficking|NotAVictimOfTrafficking|" },
    { "cases", "exploitation", K_MULTI, EXPLOIT },
    { "prosecutions", "exploitation", K_MULTI, EXPLOIT },
    { "cases", "case_status", K_CODE, "|Active|FollowUp|Closed|ClosedReferred|" },
    { "cases", "route", K_CODE, "|Internal|CrossBorder|" },
    { "cases", "screening_result", K_CODE, "|PossibleVictim|NotIndicated|Inconclusive|" },
    { "case_events", "step", K_CODE, "|Recruitment|Transit|Exploitation|" },
    { "case_screening", "answer", K_CODE, "|Yes|No|Unknown|Refused|" },
    { "case_assistance", "status", K_CODE, "|Planned|Ongoing|Completed|Refused|Discontinued|" },
    { "prosecutions", "investigation_outcome", K_CODE, OUTCOME },
    { "prosecutions", "prosecution_outcome", K_CODE, OUTCOME },
    { "prosecutions", "verdict", K_CODE, "|Pending|Convicted|Acquitted|Dismissed|" },
    { "suspects", "stage", K_CODE, "|Suspected|Arrested|Prosecuted|Convicted|Acquitted|" },
    { "events", "pillar", K_CODE, "|Policy|Prevention|Prosecution|Protection|" },
    { NULL, "consent", K_FLAG, NULL },
    { NULL, "age_estimated", K_FLAG, NULL },
    { NULL, "transnational", K_FLAG, NULL },
    { NULL, "official_involved", K_FLAG, NULL },
    { NULL, "appeal", K_FLAG, NULL },
    { NULL, "high_risk", K_FLAG, NULL },
    { NULL, "followup_planned", K_FLAG, NULL },
    { NULL, "followup_done", K_FLAG, NULL },
    { NULL, "age", K_COUNT, NULL },
    { NULL, "victims_count", K_COUNT, NULL },
    { NULL, "participants_f", K_COUNT, NULL },
    { NULL, "participants_m", K_COUNT, NULL },
    { NULL, "participants_u", K_COUNT, NULL },
    { NULL, "participants_under18", K_COUNT, NULL },
    { NULL, "sentence_months", K_COUNT, NULL },
    { NULL, "fine_lak", K_COUNT, NULL },
};

static int is_digits(const char *s, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return 1;
}

int canon_uuid(const char *s)
{
    size_t i;

    if (strlen(s) != 36)
        return 0;
    for (i = 0; i < 36; i++) {
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (s[i] != '-')
                return 0;
        } else if (!strchr("0123456789abcdefABCDEF", s[i]) || !s[i]) {
            return 0;
        }
    }
    return 1;
}

static int num(const char *s, size_t n)
{
    int v = 0;
    size_t i;

    for (i = 0; i < n; i++)
        v = v * 10 + (s[i] - '0');
    return v;
}

/* The year of the four characters at S, or 0 when they are not one. */
static int year4(const char *s)
{
    int y;

    if (!is_digits(s, 4) || (y = num(s, 4)) < CANON_YEAR_MIN || y > CANON_YEAR_MAX)
        return 0;
    return y;
}

int canon_year(const char *s)
{
    return s && strlen(s) == 4 ? year4(s) : 0;
}

int canon_date(const char *s, int partial)
{
    static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    size_t n = strlen(s);
    int y, m, d;

    if (n < 4 || !(y = year4(s)))
        return 0;
    if (n == 4)
        return partial;
    if (n < 7 || s[4] != '-' || !is_digits(s + 5, 2) || (m = num(s + 5, 2)) < 1 || m > 12)
        return 0;
    if (n == 7)
        return partial;
    if (n != 10 || s[7] != '-' || !is_digits(s + 8, 2))
        return 0;
    d = num(s + 8, 2);
    if (d < 1 || d > mdays[m - 1])
        return 0;
    return !(m == 2 && d == 29 && (y % 4 != 0 || (y % 100 == 0 && y % 400 != 0)));
}

/* "YYYY-MM-DDTHH:MM:SSZ", as util_now_iso writes. */
static int is_stamp(const char *s)
{
    char day[11];

    if (strlen(s) != 20 || s[10] != 'T' || s[13] != ':' || s[16] != ':' || s[19] != 'Z' ||
        !is_digits(s + 11, 2) || !is_digits(s + 14, 2) || !is_digits(s + 17, 2))
        return 0;
    memcpy(day, s, 10);
    day[10] = '\0';
    return canon_date(day, 0);
}

static int in_set(const char *codes, const char *s, size_t n)
{
    const char *p = codes;

    while ((p = strstr(p, "|")) && p[1]) {
        const char *e = strchr(p + 1, '|');

        if ((size_t)(e - p - 1) == n && strncmp(p + 1, s, n) == 0)
            return 1;
        p = e;
    }
    return 0;
}

int canon_is_date_col(const char *col)
{
    size_t n = strlen(col);

    return strcmp(col, "birth_date") == 0 || (n > 3 && strcmp(col + n - 3, "_on") == 0);
}

const struct canon_rule *canon_rule_of(const char *table, const char *col)
{
    static const struct canon_rule date = { NULL, "", K_DATE, NULL };
    size_t i;

    if (canon_is_date_col(col))
        return &date;
    for (i = 0; i < ARRAY_LEN(rules); i++)
        if (strcmp(rules[i].col, col) == 0 && (!rules[i].table || strcmp(rules[i].table, table) == 0))
            return &rules[i];
    return NULL;
}

const char *canon_codes(const char *table, const char *col)
{
    const struct canon_rule *r = canon_rule_of(table, col);

    return r && (r->kind == K_CODE || r->kind == K_MULTI) ? r->codes : NULL;
}

int canon_is_code(const char *table, const char *col, const char *code)
{
    const char *codes = canon_codes(table, col);

    return codes && in_set(codes, code, strlen(code));
}

int canon_code_list(const char *table, const char *col, char (*codes)[CANON_CODE_MAX], int max)
{
    const char *p = canon_codes(table, col);
    int n = 0;

    while (p && p[0] == '|' && p[1] && n < max) {
        size_t len = strcspn(p + 1, "|");

        if (len >= CANON_CODE_MAX)
            break;
        memcpy(codes[n], p + 1, len);
        codes[n++][len] = '\0';
        p += 1 + len;
    }
    return n;
}

const char *canon_check(const char *table, const char *col, const char *val)
{
    return canon_check_rule(canon_rule_of(table, col), val);
}

const char *canon_check_rule(const struct canon_rule *r, const char *val)
{
    const char *p, *e;
    long v;

    if (!r || !val || !*val)
        return NULL;
    switch (r->kind) {
    case K_UUID:
        return canon_uuid(val) ? NULL : "not a well-formed uuid";
    case K_STAMP:
        return is_stamp(val) ? NULL : "not a UTC time (YYYY-MM-DDTHH:MM:SSZ)";
    case K_PCODE:
        p = val + 2;
        return strncmp(val, "LA", 2) == 0 && (strlen(p) == 0 || strlen(p) == 2 ||
               strlen(p) == 4) && is_digits(p, strlen(p)) ? NULL : "not an office P-code (LA, LA## or LA####)";
    case K_REV:
        return util_parse_long(val, &v) == 0 && v >= 1 && v <= CANON_REV_MAX ? NULL
               : "not a whole number from 1 to 1000000000";
    case K_COUNT:
        return util_parse_long(val, &v) == 0 && v >= 0 ? NULL : "not a whole number of 0 or more";
    case K_FLAG:
        return strcmp(val, "0") == 0 || strcmp(val, "1") == 0 ? NULL : "not 0 or 1";
    case K_CODE:
        return in_set(r->codes, val, strlen(val)) ? NULL : "not one of the codes of this field";
    case K_MULTI:
        for (p = val; ; p = e + 1) {
            e = strchr(p, ';');
            if (!e)
                e = p + strlen(p);
            if (!in_set(r->codes, p, (size_t)(e - p)))
                return "not one of the codes of this field";
            if (!*e)
                break;
        }
        return NULL;
    case K_DATE:
        return canon_date(val, 1) ? NULL : "not a date (YYYY-MM-DD)";
    }
    return NULL;
}

int canon_is_pii(const char *table, const char *col)
{
    static const char *const pii[] = {
        "first_name", "last_name", "id_document", "phone", "home_village", "birth_date"
    };
    size_t i;

    if (strcmp(table, "cases") != 0 && strcmp(table, "suspects") != 0)
        return 0;
    for (i = 0; i < ARRAY_LEN(pii); i++)
        if (strcmp(col, pii[i]) == 0)
            return 1;
    return 0;
}
