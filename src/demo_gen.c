/* Synthetic prosecutions (stages and dates in order, suspects whose stage
 * matches the verdict, links to this run's cases) and NPA events (reach,
 * knowledge scores with a gain, border and high-risk communities). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "demo.h"
#include "util.h"

static const char *pick(struct demo_ctx *c, const char *const *list, size_t n)
{
    return list[demo_below(&c->g, (long)n)];
}
#define PICK(c, list) pick((c), (list), ARRAY_LEN(list))

static const char *const roles[] = { "RecruiterOrIntermediary", "RecruiterOrIntermediary",
    "Transporter", "Exploiter", "BrokerTravelAgent", "Exploiter;RecruiterOrIntermediary" };
static const char *const suspect_countries[] = { "LA", "LA", "LA", "LA", "LA", "LA", "TH", "CN", "VN", "MM" };
static const char *const exploitation_of_kind[] = { "SexualExploitation", "ForcedLabour", "Servitude",
    "ForcedBegging", "ForcedMarriage", "ForcedLabour", "ForcedCriminality", "SexualExploitation",
    "ForcedLabour", "ChildLabour", "ForcedLabour" };
static const char *const country_of_kind[] = { "TH", "TH", "TH", "TH", "CN", "CN", "MM", "LA", "LA", "LA", "MY" };

/* Suspects whose stage follows the case: convicted or acquitted at a
 * verdict, prosecuted once charged, otherwise arrested or suspected. */
static void add_suspects(struct demo_ctx *c, struct rec *r, const char *verdict, int charged)
{
    long n = 1 + demo_below(&c->g, 4) - (demo_chance(&c->g, 40) ? 1 : 0), i;
    int convicted = 0;

    if (n < 1)
        n = 1;
    for (i = 0; i < n; i++) {
        struct rec *k = rec_kid_add(r, "suspects");
        int female = demo_chance(&c->g, 35), lao = demo_chance(&c->g, 50);
        const char *first, *last, *stage;

        demo_name(c, female, lao, &first, &last);
        rec_set(k, "first_name", first);
        rec_set(k, "last_name", last);
        rec_set(k, "sex", female ? "F" : "M");
        rec_setf(k, "age", "%ld", 20 + demo_below(&c->g, 40));
        rec_set(k, "age_group", "Adult");
        rec_set(k, "citizenship", PICK(c, suspect_countries));
        rec_set(k, "role", PICK(c, roles));
        rec_set(k, "relation_to_victim", demo_chance(&c->g, 60) ? "Acquainted" : "Unaquainted");
        if (strcmp(verdict, "Convicted") == 0)
            /* A conviction convicts at least one suspect. */
            stage = (i == n - 1 && !convicted) || demo_chance(&c->g, 85) ? "Convicted" : "Acquitted";
        else if (strcmp(verdict, "Acquitted") == 0)
            stage = "Acquitted";
        else if (charged)
            stage = "Prosecuted";
        else
            stage = demo_chance(&c->g, 70) ? "Arrested" : "Suspected";
        rec_set(k, "stage", stage);
        if (strcmp(stage, "Convicted") == 0) {
            /* Art. 215 of the Penal Code: five to fifteen years and a fine. */
            convicted = 1;
            rec_setf(k, "sentence_months", "%ld", 60 + demo_below(&c->g, 121));
            rec_setf(k, "fine_lak", "%ld", (10 + demo_below(&c->g, 91)) * 1000000L);
        }
    }
}

void demo_gen_prosecution(struct demo_ctx *c, struct rec *r)
{
    long linked = c->ncases ? demo_below(&c->g, 4) : 0, i, j;
    int day, kind, d, charged = 0, verdict_day;
    const char *verdict = "Pending", *country;
    char (*picked)[37] = xcalloc((size_t)linked + 1, sizeof(*picked));
    int npicked = 0;

    /* The investigation follows the identification of a linked victim. */
    if (linked) {
        long v = demo_below(&c->g, c->ncases);

        day = c->case_day[v] + (int)demo_below(&c->g, 60);
        kind = c->case_kind[v];
    } else {
        day = c->first_day + (int)demo_below(&c->g, c->last_day - c->first_day);
        kind = (int)demo_below(&c->g, (long)ARRAY_LEN(exploitation_of_kind));
    }
    if (day > c->last_day)
        day = c->last_day;
    d = demo_pick_district(c);
    country = country_of_kind[kind];
    rec_set(r, "status", demo_chance(&c->g, 6) ? "draft" : demo_chance(&c->g, 80) ? "complete" : "verified");
    rec_set(r, "agency", "Police");
    rec_set(r, "province", c->district_province[d]);
    rec_set(r, "district", c->districts[d]);
    demo_set_date(r, "reported_on", day - (int)demo_below(&c->g, 20));
    demo_set_date(r, "investigated_on", day);
    rec_setf(r, "police_case_no", "%ld/%d", 1 + demo_below(&c->g, 400), 2010 + (day - c->first_day) / 365);
    /* Penal Code 2017 art. 215 replaced art. 134 of the old code. */
    rec_set(r, "legal_basis", day < demo_days(2018, 5, 27) ? "PC2005_134" : "PC2017_215");
    /* About two in three investigations lead to a charge, most of those to a
     * verdict; stages that would fall after the last demo day stay open. */
    if (demo_chance(&c->g, 65) && day + 30 <= c->last_day) {
        int charge_day = day + 30 + (int)demo_below(&c->g, 150);

        if (charge_day <= c->last_day) {
            charged = 1;
            demo_set_date(r, "sent_to_prosecutor_on", charge_day - (int)demo_below(&c->g, 25));
            demo_set_date(r, "charged_on", charge_day);
            rec_set(r, "prosecution_outcome", "Ongoing");
            verdict_day = charge_day + 60 + (int)demo_below(&c->g, 300);
            if (verdict_day <= c->last_day && demo_chance(&c->g, 80)) {
                int v = (int)demo_below(&c->g, 100);

                verdict = v < 82 ? "Convicted" : v < 92 ? "Acquitted" : "Dismissed";
                demo_set_date(r, "verdict_on", verdict_day);
                rec_setf(r, "court_case_no", "%ld/%d", 1 + demo_below(&c->g, 300),
                         2010 + (verdict_day - c->first_day) / 365);
                rec_set(r, "appeal", demo_chance(&c->g, 15) ? "1" : "0");
            }
        }
    }
    if (!charged)
        rec_set(r, "investigation_outcome", day < c->last_day - 400 && demo_chance(&c->g, 50)
                ? (demo_chance(&c->g, 70) ? "Dismissed" : "Withdrawn") : "Ongoing");
    rec_set(r, "verdict", verdict);
    rec_set(r, "exploitation", exploitation_of_kind[kind]);
    rec_set(r, "transnational", strcmp(country, "LA") != 0 ? "1" : "0");
    if (strcmp(country, "LA") != 0)
        rec_set(r, "countries", country);
    rec_set(r, "official_involved", demo_chance(&c->g, 2) ? "1" : "0");
    if (strcmp(verdict, "Convicted") == 0 && demo_chance(&c->g, 30))
        rec_setf(r, "assets_lak", "%ld", (5 + demo_below(&c->g, 200)) * 1000000L);
    add_suspects(c, r, verdict, charged);
    /* Victim links must be distinct (one link per case and prosecution). */
    for (i = 0; i < linked; i++) {
        long v = demo_below(&c->g, c->ncases);

        for (j = 0; j < npicked; j++)
            if (strcmp(picked[j], c->case_uuid[v]) == 0)
                break;
        if (j < npicked)
            continue;
        memcpy(picked[npicked++], c->case_uuid[v], 37);
        rec_set(rec_kid_add(r, "prosecution_victims"), "case_uuid", c->case_uuid[v]);
    }
    /* Victims not (yet) registered as cases here are only counted. */
    i = demo_chance(&c->g, 30) ? demo_below(&c->g, 5) : 0;
    rec_setf(r, "victims_unlinked", "%ld", i);
    rec_setf(r, "victims_count", "%ld", i + npicked > 0 ? i + npicked : 1);
    free(picked);
}

struct event_kind {
    const char *pillar, *activity, *type, *title_en, *title_lo, *targets, *topics;
    int size, under18_pct;
};

static const struct event_kind event_kinds[] = {
    { "Prevention", "2.1", "CommunityAwareness", "Safe migration awareness", "ເຜີຍແຜ່ການເຄື່ອນຍ້າຍແຮງງານທີ່ປອດໄພ",
      "Parents;Youth;VillageLeaders", "SafeMigration;RecruitmentFraud;Hotline", 120, 25 },
    { "Prevention", "2.1", "SchoolSession", "School session on trafficking", "ບົດຮຽນກ່ຽວກັບການຄ້າມະນຸດຢູ່ໂຮງຮຽນ",
      "Students", "SafeMigration;OnlineRecruitment;VictimsRights", 200, 85 },
    { "Prevention", "2.2", "BorderOutreach", "Border-crossing outreach", "ເຜີຍແຜ່ຢູ່ດ່ານຊາຍແດນ",
      "Migrants", "SafeMigration;RecruitmentFraud;ScamCompounds;Hotline", 80, 10 },
    { "Prevention", "2.1", "WorkplaceSession", "Factory workers session", "ເຜີຍແຜ່ໃຫ້ກຳມະກອນໂຮງງານ",
      "Workers", "RecruitmentFraud;VictimsRights", 90, 5 },
    { "Prevention", "2.1", "Media", "Radio programme on forced marriage", "ລາຍການວິທະຍຸກ່ຽວກັບການບັງຄັບແຕ່ງງານ",
      "Villagers", "ForcedMarriage;Hotline", 0, 0 },
    { "Prevention", "2.1", "WorldDay", "World Day against Trafficking in Persons", "ວັນຕ້ານການຄ້າມະນຸດສາກົນ",
      "Villagers;Officials", "VictimsRights;Hotline", 250, 20 },
    { "Policy", "1.2", "BilateralMeeting", "Lao-Thai MOU meeting", "ກອງປະຊຸມ MOU ລາວ-ໄທ",
      "Officials", "Law", 30, 0 },
    { "Prosecution", "3.1", "OfficialsTraining", "Training of police and prosecutors", "ຝຶກອົບຮົມຕຳຫຼວດ ແລະ ໄອຍະການ",
      "Officials", "Law;VictimsRights", 35, 0 },
    { "Protection", "4.2", "VocationalTraining", "Vocational training for returnees", "ຝຶກວິຊາຊີບໃຫ້ຜູ້ເສຍຫາຍທີ່ກັບຄືນ",
      "Other", "VictimsRights", 25, 20 },
};
static const struct { const char *name, *type; } organisers[] = {
    { "Lao Women's Union", "MassOrganisation" }, { "Lao Youth Union", "MassOrganisation" },
    { "Provincial Police", "Government" }, { "Department of Labour and Social Welfare", "Government" },
    { "Village Authority", "Government" }, { "Village Focus International", "NGO" },
    { "World Vision Laos", "NGO" }, { "IOM", "IO" } };
static const char *const funders[] = { "Government", "Government", "Donor", "Donor", "NGO", "Community" };

void demo_gen_event(struct demo_ctx *c, struct rec *r)
{
    /* Awareness sessions dominate, as in the NPA's prevention reporting. */
    static const int weights[] = { 30, 20, 10, 8, 6, 4, 4, 10, 8 };
    int w = (int)demo_below(&c->g, 100), k, d, day, total, o, lao = demo_chance(&c->g, 50);
    const struct event_kind *e;
    const char *borders, *village = demo_village(c, lao);
    long f, m, u, tested;

    for (k = 0; w >= weights[k]; k++)
        w -= weights[k];
    e = &event_kinds[k];
    d = demo_pick_district(c);
    day = c->first_day + (int)demo_below(&c->g, c->last_day - c->first_day - 3);
    borders = demo_borders(c->district_province[d]);
    rec_set(r, "status", demo_chance(&c->g, 5) ? "draft" : demo_chance(&c->g, 80) ? "complete" : "verified");
    rec_setf(r, "title", "%s, %s", lao ? e->title_lo : e->title_en, village);
    rec_set(r, "pillar", e->pillar);
    rec_set(r, "activity_code", e->activity);
    rec_set(r, "event_type", e->type);
    demo_set_date(r, "start_on", day);
    demo_set_date(r, "end_on", day + (demo_chance(&c->g, 70) ? 0 : 1 + (int)demo_below(&c->g, 3)));
    rec_set(r, "province", c->district_province[d]);
    rec_set(r, "district", c->districts[d]);
    rec_set(r, "village", village);
    /* Events in border provinces mostly target one crossing; border and
     * high-risk communities are what the prevention report singles out. */
    if (borders[0] && demo_chance(&c->g, 60)) {
        char b[3] = { 0 };

        memcpy(b, borders + 3 * demo_below(&c->g, (long)(strlen(borders) + 1) / 3), 2);
        rec_set(r, "border_area", b);
        rec_set(r, "high_risk", demo_chance(&c->g, 55) ? "1" : "0");
    } else {
        rec_set(r, "border_area", "None");
        rec_set(r, "high_risk", demo_chance(&c->g, 20) ? "1" : "0");
    }
    o = (int)demo_below(&c->g, (long)ARRAY_LEN(organisers));
    rec_set(r, "organiser", organisers[o].name);
    rec_set(r, "organiser_type", organisers[o].type);
    rec_set(r, "target_groups", e->targets);
    rec_set(r, "topics", e->topics);
    rec_set(r, "languages", demo_chance(&c->g, 85) ? "lo" : "lo;hmn");
    /* Media events reach listeners, not participants. */
    total = e->size ? e->size / 3 + (int)demo_below(&c->g, e->size) : 0;
    f = total * (45 + demo_below(&c->g, 20)) / 100;
    u = total && demo_chance(&c->g, 10) ? demo_below(&c->g, total / 10 + 1) : 0;
    m = total - f - u;
    rec_setf(r, "participants_f", "%ld", f);
    rec_setf(r, "participants_m", "%ld", m);
    rec_setf(r, "participants_u", "%ld", u);
    rec_setf(r, "participants_under18", "%ld", (long)total * (e->under18_pct ? (long)demo_below(&c->g, e->under18_pct + 1) : 0) / 100);
    rec_setf(r, "participants_total", "%d", total);
    if (e->size == 0)
        rec_setf(r, "media_reach", "%ld", 5000 + demo_below(&c->g, 200000));
    rec_setf(r, "materials_count", "%ld", demo_below(&c->g, (long)total * 2 + 1));
    rec_setf(r, "cost_lak", "%ld", (1 + demo_below(&c->g, 40)) * 500000L);
    rec_set(r, "funding_source", PICK(c, funders));
    /* Monitoring and evaluation: a knowledge test before and after. */
    if (total >= 10 && demo_chance(&c->g, 45)) {
        long pre = 30 + demo_below(&c->g, 36), post = pre + 5 + demo_below(&c->g, 26);

        tested = 10 + demo_below(&c->g, total - 9 < 40 ? total - 9 : 40);
        if (post > 100)
            post = 100;
        rec_setf(r, "tested_count", "%ld", tested);
        rec_setf(r, "pre_score", "%ld", pre);
        rec_setf(r, "post_score", "%ld", post);
        rec_setf(r, "score_gain", "%ld", post - pre);
    }
    if (demo_chance(&c->g, 50)) {
        int fday = day + 60 + (int)demo_below(&c->g, 120);

        rec_set(r, "followup_planned", "1");
        if (fday <= c->last_day && demo_chance(&c->g, 60)) {
            rec_set(r, "followup_done", "1");
            demo_set_date(r, "followup_on", fday);
            rec_set(r, "followup_finding", "Villagers could name the hotline 1300 and safe-migration steps");
        } else {
            rec_set(r, "followup_done", "0");
        }
    } else {
        rec_set(r, "followup_planned", "0");
    }
    rec_setf(r, "referrals_count", "%ld", demo_chance(&c->g, 15) ? 1 + demo_below(&c->g, 4) : 0);
    rec_setf(r, "cases_identified", "%ld", demo_chance(&c->g, 5) ? 1 + demo_below(&c->g, 2) : 0);
}
