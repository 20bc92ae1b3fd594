/* Synthetic victim cases: who (names, ages, places), what (an exploitation
 * pattern seen in Lao PDR: sexual exploitation and forced labour in Thailand,
 * forced marriage in China, scam compounds in Myanmar and Cambodia since
 * 2019), the journey, the protocol screening and the assistance given. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "demo.h"
#include "util.h"

struct name { const char *lo, *en; };

static const struct name female_names[] = {
    { "ມະນີວອນ", "Manivone" }, { "ພອນທິບ", "Phonethip" }, { "ວຽງສະໄໝ", "Viengsamay" },
    { "ນ້ອຍ", "Noy" }, { "ແສງຈັນ", "Sengchanh" }, { "ອາລຸນ", "Aloun" }, { "ດາວວອນ", "Davone" },
    { "ຈັນທະວີ", "Chanthavy" }, { "ມາລີ", "Maly" }, { "ນາລີ", "Naly" }, { "ວັນນາ", "Vanna" },
    { "ລັດສະໝີ", "Latsamy" }, { "ບົວພັນ", "Bouaphanh" }, { "ສົມສີ", "Somsy" }, { "ຄຳຫຼ້າ", "Khamla" },
    { "ເພັດສະໝອນ", "Phetsamone" }, { "ນິດ", "Nith" }, { "ແກ້ວ", "Keo" },
};
static const struct name male_names[] = {
    { "ສົມສັກ", "Somsak" }, { "ບຸນມີ", "Bounmy" }, { "ບຸນມາ", "Bounma" }, { "ຄຳພອນ", "Khamphone" },
    { "ສີສະຫວາດ", "Sisavath" }, { "ສຸກສະຫວັນ", "Souksavanh" }, { "ທອງດີ", "Thongdy" },
    { "ພູວົງ", "Phouvong" }, { "ສົມພອນ", "Somphone" }, { "ຄຳແພງ", "Khamphaeng" },
    { "ເພັດ", "Phet" }, { "ວິໄລ", "Vilay" }, { "ອານຸສອນ", "Anousone" }, { "ໄຊສົມພອນ", "Xaysomphone" },
};
static const struct name family_names[] = {
    { "ແກ້ວມະນີ", "Keomany" }, { "ພົມມະຈັນ", "Phommachanh" }, { "ສີສຸວັນ", "Sisouvanh" },
    { "ພົມວິຫານ", "Phomvihane" }, { "ວົງສາ", "Vongsa" }, { "ສຸລິວົງ", "Soulivong" },
    { "ອິນທະວົງ", "Inthavong" }, { "ຈັນທະລາ", "Chanthala" }, { "ແສງສຸລິຍາ", "Sengsouriya" },
    { "ໄຊຍະວົງ", "Xayavong" }, { "ພິມມະສອນ", "Phimmasone" }, { "ສີພັນດອນ", "Siphandone" },
    { "ຄຳວົງສາ", "Khamvongsa" }, { "ທຳມະວົງ", "Thammavong" }, { "ວົງພະຈັນ", "Vongphachanh" },
    { "ບຸບຜາ", "Bouppha" },
};
static const struct name villages[] = {
    { "ບ້ານ ໂພນທັນ", "Ban Phonthan" }, { "ບ້ານ ນາໄຊ", "Ban Naxay" }, { "ບ້ານ ດົງໂດກ", "Ban Dongdok" },
    { "ບ້ານ ໜອງບົວ", "Ban Nongboua" }, { "ບ້ານ ນາແຄ", "Ban Nakhae" }, { "ບ້ານ ໂພນສະຫວັນ", "Ban Phonsavanh" },
    { "ບ້ານ ສີໄຄ", "Ban Sikhay" }, { "ບ້ານ ຫ້ວຍຊາຍ", "Ban Houaysay" }, { "ບ້ານ ນາຄູນ", "Ban Nakhoun" },
    { "ບ້ານ ໂຄກສະອາດ", "Ban Khoksaat" }, { "ບ້ານ ໜອງດ້ວງ", "Ban Nongduang" },
    { "ບ້ານ ສະພັງເມິກ", "Ban Saphangmek" }, { "ບ້ານ ທ່າງ່ອນ", "Ban Thangon" }, { "ບ້ານ ນາທອງ", "Ban Nathong" },
};

/* Where identified victims come from: LA01..LA18, heavier along the Thai
 * border (Savannakhet, Champasack, Khammouan, Vientiane). */
static const int province_weight[18] = { 8, 2, 4, 4, 6, 5, 2, 5, 2, 6, 5, 7, 14, 6, 2, 12, 3, 1 };
static const char *const province_borders[18] = {
    "TH", "CN;VN", "CN;MM", "CN", "TH;MM", "VN", "VN", "TH", "VN",
    "TH", "TH;VN", "TH;VN", "TH;VN", "VN", "VN", "TH;KH", "VN;KH", ""
};

const char *demo_borders(const char *prov)
{
    int i = (prov[2] - '0') * 10 + (prov[3] - '0') - 1;

    return i >= 0 && i < 18 ? province_borders[i] : "";
}

int demo_pick_district(struct demo_ctx *c)
{
    int total = 0, i, w, p, n, k;

    for (i = 0; i < 18; i++)
        total += province_weight[i];
    w = (int)demo_below(&c->g, total);
    for (p = 0; w >= province_weight[p]; p++)
        w -= province_weight[p];
    /* Districts are sorted by P-code, so a province's are contiguous. */
    for (i = 0, n = 0, k = -1; i < c->ndist; i++) {
        int prov = (c->district_province[i][2] - '0') * 10 + (c->district_province[i][3] - '0') - 1;

        if (prov == p) {
            if (k < 0)
                k = i;
            n++;
        }
    }
    return k < 0 ? (int)demo_below(&c->g, c->ndist) : k + (int)demo_below(&c->g, n);
}

const char *demo_village(struct demo_ctx *c, int lao)
{
    const struct name *v = &villages[demo_below(&c->g, (long)ARRAY_LEN(villages))];

    return lao ? v->lo : v->en;
}

void demo_name(struct demo_ctx *c, int female, int lao, const char **first, const char **last)
{
    const struct name *f = female ? &female_names[demo_below(&c->g, (long)ARRAY_LEN(female_names))]
                                  : &male_names[demo_below(&c->g, (long)ARRAY_LEN(male_names))];
    const struct name *l = &family_names[demo_below(&c->g, (long)ARRAY_LEN(family_names))];

    *first = lao ? f->lo : f->en;
    *last = lao ? l->lo : l->en;
}

/* Exploitation patterns: the exploitation code, where, the labour sector,
 * the share of women and of children, and the screening purpose item. */
struct pattern {
    const char *exploitation, *countries, *sector;
    int female_pct, child_pct;
    const char *purpose, *places;
};

enum { P_TH_SEX, P_TH_LABOUR, P_TH_DOMESTIC, P_TH_BEGGING, P_CN_MARRIAGE, P_CN_LABOUR,
       P_SCAM, P_LA_SEX, P_LA_LABOUR, P_LA_CHILD, P_MY_LABOUR, P_NPATTERNS };

static const struct pattern patterns[P_NPATTERNS] = {
    { "SexualExploitation", "TH", "I", 97, 45,
      "purpose_sexual", "Bangkok;Pattaya;Udon Thani;Nong Khai" },
    { "ForcedLabour", "TH", "A03", 40, 20,
      "purpose_forced_work", "Samut Sakhon;Chonburi;Ubon Ratchathani;Rayong" },
    { "Servitude", "TH", "T", 90, 35,
      "purpose_servitude", "Bangkok;Nonthaburi" },
    { "ForcedBegging", "TH", "", 55, 80, "purpose_begging_crime", "Bangkok" },
    { "ForcedMarriage", "CN", "", 100, 30, "purpose_marriage", "Shandong;Henan;Hebei;Yunnan" },
    { "ForcedLabour", "CN", "C", 60, 15, "purpose_forced_work", "Guangdong;Yunnan" },
    { "ForcedCriminality", "MM;MM;KH;LA", "J", 45, 8,
      "purpose_begging_crime", "Shwe Kokko;Myawaddy;Sihanoukville;Golden Triangle SEZ" },
    { "SexualExploitation", "LA", "I", 98, 50,
      "purpose_sexual", "Vientiane;Savannakhet;Pakse" },
    { "ForcedLabour", "LA", "F", 35, 20, "purpose_forced_work", "Vientiane;Luang Prabang" },
    { "ChildLabour", "LA", "A", 50, 100, "purpose_child_labour",
      "Bokeo;Champasack" },
    { "ForcedLabour", "MY", "C", 50, 10, "purpose_forced_work", "Kuala Lumpur;Johor" },
};

/* The Nth item (0-based) of a ';'-separated list, copied into BUF. */
static const char *nth_item(const char *list, long n, char *buf, size_t size)
{
    const char *p = list, *semi;

    for (; n > 0 && (semi = strchr(p, ';')); n--)
        p = semi + 1;
    semi = strchr(p, ';');
    snprintf(buf, size, "%.*s", (int)(semi ? (size_t)(semi - p) : strlen(p)), p);
    return buf;
}

static const char *pick_item(struct demo_ctx *c, const char *list, char *buf, size_t size)
{
    long n = 1;
    const char *p;

    for (p = list; (p = strchr(p, ';')); p++)
        n++;
    return nth_item(list, demo_below(&c->g, n), buf, size);
}

/* A pattern for a case registered in YEAR: scam compounds from 2019 on. */
static int pick_pattern(struct demo_ctx *c, int year)
{
    int scam = year < 2019 ? 0 : year < 2021 ? 6 : year < 2023 ? 18 : 28;
    int r = (int)demo_below(&c->g, 100);

    if (r < scam)
        return P_SCAM;
    r = (int)demo_below(&c->g, 100);
    if (r < 24) return P_TH_SEX;
    if (r < 46) return P_TH_LABOUR;
    if (r < 54) return P_TH_DOMESTIC;
    if (r < 57) return P_TH_BEGGING;
    if (r < 74) return P_CN_MARRIAGE;
    if (r < 78) return P_CN_LABOUR;
    if (r < 86) return P_LA_SEX;
    if (r < 91) return P_LA_LABOUR;
    if (r < 95) return P_LA_CHILD;
    return P_MY_LABOUR;
}

/* A day in 2010..last_day, more in recent years (identification grew). */
static int pick_day(struct demo_ctx *c)
{
    int y, w, total = 0, day;

    for (y = 2010; y <= 2026; y++)
        total += y - 2004;
    w = (int)demo_below(&c->g, total);
    for (y = 2010; w >= y - 2004; y++)
        w -= y - 2004;
    day = demo_days(y, 1, 1) + (int)demo_below(&c->g, 365);
    return day > c->last_day ? c->last_day - (int)demo_below(&c->g, 300) : day;
}

static int clamp_day(const struct demo_ctx *c, int day)
{
    return day > c->last_day ? c->last_day : day;
}

static const char *const agencies_abroad[] = { "ForeignAuthorityReturn", "ForeignAuthorityReturn",
    "ForeignAuthorityReturn", "BorderImmigration", "Police", "WomensUnion", "NGO", "Hotline",
    "SocialWelfare", "SelfReferral" };
static const char *const agencies_home[] = { "Police", "Police", "Police", "WomensUnion",
    "WomensUnion", "NGO", "Hotline", "SocialWelfare", "SelfReferral", "Other" };
/* Roughly the census shares of the four ethno-linguistic families. */
static const char *const ethnic_groups[] = { "LaoTai", "LaoTai", "LaoTai", "LaoTai", "LaoTai",
    "LaoTai", "MonKhmer", "MonKhmer", "HmongMien", "SinoTibetan" };
static const char *const help_types[] = { "Shelter", "Medical", "Psychological", "Legal",
    "VocationalTraining", "Livelihood", "FamilyTracing", "Reintegration", "Education" };
static const char *const providers[] = { "Lao Women's Union", "Department of Labour and Social Welfare",
    "Vientiane Transit Centre", "Village Focus International", "World Vision Laos", "IOM" };
/* The items a clerk asks first; the rest of the protocol stays unanswered,
 * as on most paper screening forms (and it keeps demo data quick to write). */
/* The means and purposes of forms/case.ini's screening. */
static const char *const means_items[] = { "means_deception", "means_force", "means_abduction",
    "means_debt", "means_documents", "means_police_threats", "means_payment", "means_vulnerability",
    "means_sexual_abuse_drugs", "means_wages_taken" };
static const char *const purpose_items[] = { "purpose_forced_work", "purpose_sexual", "purpose_marriage",
    "purpose_begging_crime", "purpose_servitude", "purpose_organs", "purpose_child_labour" };

/* Screening answers consistent with the trafficking status: victims have an
 * act, a purpose and (adults) a means; non-victims lack the means or purpose
 * (the line to migrant smuggling).  The result is the form's to work out. */
static void add_screening(struct demo_ctx *c, struct rec *r, const struct pattern *p,
                          int status, int child)
{
    static const char *const acts[] = { "act_recruited", "act_transported" };
    int unsure = status == 1 && demo_chance(&c->g, 40), means_yes = 0;
    size_t i;
    struct rec *k;

    for (i = 0; i < ARRAY_LEN(acts); i++) {
        k = rec_kid_add(r, "case_screening");
        rec_set(k, "item", acts[i]);
        rec_set(k, "answer", i == 0 || demo_chance(&c->g, 70) ? "Yes" : "No");
    }
    for (i = 0; i < ARRAY_LEN(means_items); i++) {
        const char *a = status == 2 ? "No" : unsure ? "Unknown"
                        : demo_chance(&c->g, 25) ? "Yes" : "No";

        if (status != 2 && !unsure && i == ARRAY_LEN(means_items) - 1 && !means_yes)
            a = "Yes";
        means_yes |= strcmp(a, "Yes") == 0;
        k = rec_kid_add(r, "case_screening");
        rec_set(k, "item", means_items[i]);
        rec_set(k, "answer", a);
    }
    /* A child moved for exploitation is a victim whatever the means; a
     * person found not a victim was asked every purpose. */
    if (status == 2 && (child || demo_chance(&c->g, 50))) {
        for (i = 0; i < ARRAY_LEN(purpose_items); i++) {
            k = rec_kid_add(r, "case_screening");
            rec_set(k, "item", purpose_items[i]);
            rec_set(k, "answer", "No");
        }
    } else {
        k = rec_kid_add(r, "case_screening");
        rec_set(k, "item", p->purpose);
        rec_set(k, "answer", "Yes");
    }
}

static void add_journey(struct demo_ctx *c, struct rec *r, const struct pattern *p,
                        const char *country, const char *place, int reg_day, int months, int d)
{
    struct rec *k;
    char buf[11];
    int day = reg_day - months * 30 - (int)demo_below(&c->g, 60);

    k = rec_kid_add(r, "case_events");
    rec_set(k, "step", "Recruitment");
    demo_set_date(k, "event_on", day);
    rec_set(k, "country", "LA");
    rec_set(k, "province", c->district_province[d]);
    rec_set(k, "district", c->districts[d]);
    rec_set(k, "place", rec_get(r, "home_village"));
    if (strcmp(country, "LA") != 0) {
        static const char *const crossings[] = { "LA13", "LA16", "LA01", "LA05", "LA03", "LA12" };

        day += 1 + (int)demo_below(&c->g, 7);
        k = rec_kid_add(r, "case_events");
        rec_set(k, "step", "Transit");
        demo_set_date(k, "event_on", day);
        rec_set(k, "country", "LA");
        rec_set(k, "province", crossings[demo_below(&c->g, (long)ARRAY_LEN(crossings))]);
        rec_set(k, "description", strcmp(country, "CN") == 0 ? "crossed at Boten"
                : "crossed at a border checkpoint");
    }
    day += 1 + (int)demo_below(&c->g, 14);
    k = rec_kid_add(r, "case_events");
    rec_set(k, "step", "Exploitation");
    demo_date(day, buf);
    /* Victims often remember only the month. */
    if (demo_chance(&c->g, 20))
        buf[7] = '\0';
    rec_set(k, "event_on", buf);
    rec_set(k, "country", country);
    rec_set(k, "place", place);
    rec_set(k, "description", p->exploitation);
}

static void add_assistance(struct demo_ctx *c, struct rec *r, int reg_day)
{
    long n = 1 + demo_below(&c->g, 4), i;

    for (i = 0; i < n; i++) {
        struct rec *k = rec_kid_add(r, "case_assistance");
        int start = clamp_day(c, reg_day + (int)demo_below(&c->g, 30) + (int)i * 10);
        int end = start + 7 + (int)demo_below(&c->g, 180);

        rec_set(k, "type", i == 0 ? "Shelter" : help_types[demo_below(&c->g, (long)ARRAY_LEN(help_types))]);
        rec_set(k, "provider", providers[demo_below(&c->g, (long)ARRAY_LEN(providers))]);
        demo_set_date(k, "start_on", start);
        if (end <= c->last_day) {
            demo_set_date(k, "end_on", end);
            rec_set(k, "status", demo_chance(&c->g, 90) ? "Completed" : "Discontinued");
        } else {
            rec_set(k, "status", "Ongoing");
        }
    }
}

void demo_gen_case(struct demo_ctx *c, struct rec *r, long i)
{
    int day = pick_day(c), kind, female, child, age, lao, d, status, months;
    const struct pattern *p;
    const char *first, *last;
    char country[8], place[64], date[11];

    demo_date(day, date);
    kind = pick_pattern(c, atoi(date));
    p = &patterns[kind];
    c->case_day[i] = day;
    c->case_kind[i] = kind;
    female = demo_chance(&c->g, p->female_pct);
    child = demo_chance(&c->g, p->child_pct);
    age = child ? (kind == P_LA_CHILD || kind == P_TH_BEGGING ? 9 : 13) + (int)demo_below(&c->g, 5)
                : 18 + (int)demo_below(&c->g, 8) + (int)demo_below(&c->g, 16);
    if (age > 17 && child)
        age = 17;
    lao = demo_chance(&c->g, 60);
    demo_name(c, female, lao, &first, &last);
    pick_item(c, p->countries, country, sizeof(country));
    pick_item(c, p->places, place, sizeof(place));
    if (strcmp(country, "LA") == 0 && kind == P_SCAM)
        snprintf(place, sizeof(place), "Golden Triangle SEZ");
    d = demo_pick_district(c);
    status = demo_chance(&c->g, 55) ? 0 : demo_chance(&c->g, 78) ? 1 : 2;
    months = 1 + (int)demo_below(&c->g, kind == P_SCAM ? 12 : 36);

    rec_set(r, "status", demo_chance(&c->g, 8) ? "draft" : demo_chance(&c->g, 76) ? "complete" : "verified");
    rec_set(r, "registered_on", date);
    if (strcmp(country, "LA") != 0) {
        rec_set(r, "identified_by", agencies_abroad[demo_below(&c->g, (long)ARRAY_LEN(agencies_abroad))]);
        if (strcmp(rec_get(r, "identified_by"), "ForeignAuthorityReturn") == 0)
            rec_set(r, "returned_from", country);
    } else {
        rec_set(r, "identified_by", agencies_home[demo_below(&c->g, (long)ARRAY_LEN(agencies_home))]);
    }
    rec_set(r, "consent", demo_chance(&c->g, 95) ? "1" : "0");
    rec_set(r, "first_name", first);
    rec_set(r, "last_name", last);
    rec_set(r, "sex", demo_chance(&c->g, 2) ? "U" : female ? "F" : "M");
    if (demo_chance(&c->g, 55)) {
        demo_set_date(r, "birth_date", day - age * 365 - (int)demo_below(&c->g, 365) - age / 4);
        rec_setf(r, "age", "%d", age);
        rec_set(r, "age_estimated", "0");
    } else {
        rec_setf(r, "age", "%d", age);
        rec_set(r, "age_estimated", demo_chance(&c->g, 60) ? "1" : "0");
    }
    rec_set(r, "age_group", age < 18 ? "Child" : "Adult");
    rec_set(r, "citizenship", demo_chance(&c->g, 96) ? "LA" : demo_chance(&c->g, 50) ? "VN" : "MM");
    rec_set(r, "ethnic_group", ethnic_groups[demo_below(&c->g, (long)ARRAY_LEN(ethnic_groups))]);
    rec_set(r, "language", strcmp(rec_get(r, "ethnic_group"), "HmongMien") == 0 ? "hmn" : "lo");
    rec_set(r, "marital_status", child ? "Single" : demo_chance(&c->g, 60) ? "Single" : "Married");
    rec_set(r, "education", child || demo_chance(&c->g, 60) ? "Primary" : "LowerSecondary");
    if (demo_chance(&c->g, 50))
        rec_setf(r, "phone", "020 5%03ld %04ld", demo_below(&c->g, 1000), demo_below(&c->g, 10000));
    rec_set(r, "home_province", c->district_province[d]);
    rec_set(r, "home_district", c->districts[d]);
    rec_set(r, "home_village", demo_village(c, lao));
    if (!(rec_get(r, "status")[0] == 'd' && demo_chance(&c->g, 40))) {
        static const char *const statuses[] = { "ActualVictimOfTrafficking",
            "PossibleVictimOfTrafficking", "NotAVictimOfTrafficking" };

        rec_set(r, "trafficking_status", statuses[status]);
        demo_set_date(r, "status_decided_on", clamp_day(c, day + (int)demo_below(&c->g, 30)));
    }
    rec_set(r, "recruiter_relation", demo_chance(&c->g, 20) ? "Familial" : demo_chance(&c->g, 75)
            ? "Acquainted" : "Unaquainted");
    rec_set(r, "recruitment_method", kind == P_SCAM ? "ThroughOnlineSocialNetworks;ThroughAnOnlineAdvertisement"
            : demo_chance(&c->g, 60) ? "ThroughFriendsOrSocialEvents" : "ThroughFamilyOrFamilyEvents");
    rec_set(r, "means_of_control", kind == P_SCAM ? "FalsePromises;WithholdsDocuments;PhysicalAbuse;DebtBondage"
            : demo_chance(&c->g, 50) ? "FalsePromises;TakesEarnings" : "DebtBondage;RestrictsMovement");
    if (kind == P_TH_LABOUR && demo_chance(&c->g, 15))
        rec_set(r, "exploitation", "ForcedLabour;Servitude");
    else
        rec_set(r, "exploitation", p->exploitation);
    if (p->sector[0])
        rec_set(r, "labour_sector", p->sector);
    rec_set(r, "exploitation_country", country);
    rec_set(r, "exploitation_place", place);
    rec_set(r, "route", strcmp(country, "LA") == 0 ? "Internal" : "CrossBorder");
    rec_setf(r, "months_exploited", "%d", months);
    rec_setf(r, "age_trafficked", "%d", age - months / 12 > 0 ? age - months / 12 : age);
    add_journey(c, r, p, country, place, day, months, d);
    if (day > demo_days(2014, 1, 1) || demo_chance(&c->g, 50)) {
        add_screening(c, r, p, status, child);
    }
    if (status != 2)
        add_assistance(c, r, day);
    if (day > c->last_day - 365) {
        rec_set(r, "case_status", demo_chance(&c->g, 60) ? "Active" : "FollowUp");
    } else {
        int s = (int)demo_below(&c->g, 100);

        rec_set(r, "case_status", s < 65 ? "Closed" : s < 75 ? "ClosedReferred" : "FollowUp");
        if (s < 75)
            rec_set(r, "closure_reason", s < 65 ? "Reintegrated" : "Referred");
    }
    if (strcmp(rec_get(r, "case_status"), "FollowUp") == 0)
        demo_set_date(r, "followup_on", day + 180 + (int)demo_below(&c->g, 540));
}
