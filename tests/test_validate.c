/* Tests for the form rules on the shipped forms: required and recommended
 * fields, drafts, ranges, dates, list codes, district-in-province, checks,
 * the protocol screening and parsing of typed input. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "formdef.h"
#include "record.h"
#include "util.h"

static struct formset *fs;

static int setup(void **state)
{
    (void)state;
    fs = formset_load("forms");
    return fs ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    formset_free(fs);
    return 0;
}

/* A complete adult case that passes every rule. */
static struct rec *good_case(void)
{
    struct rec *r = rec_new("cases");

    rec_set(r, "status", "complete");
    rec_set(r, "registered_on", "2024-05-19");
    rec_set(r, "identified_by", "Police");
    rec_set(r, "first_name", "ສົມສັກ");
    rec_set(r, "last_name", "ແກ້ວມະນີ");
    rec_set(r, "sex", "F");
    rec_set(r, "birth_date", "1990-01-02");
    rec_set(r, "citizenship", "LA");
    rec_set(r, "home_province", "LA01");
    rec_set(r, "home_district", "LA0101");
    rec_set(r, "home_village", "ບ້ານ ໂພນທັນ");
    rec_set(r, "trafficking_status", "PossibleVictimOfTrafficking");
    rec_set(r, "exploitation", "ForcedLabour;SexualExploitation");
    rec_set(r, "exploitation_country", "TH");
    rec_set(r, "consent", "1");
    rec_set(r, "case_status", "Active");
    return r;
}

/* The English message of the first issue about field ID, or NULL. */
static const char *issue(const struct form *fm, const struct form_issues *is, const char *id,
                         enum issue_level lv)
{
    size_t i;
    int k = form_field_index(fm, id);

    for (i = 0; i < is->n; i++)
        if (is->v[i].field == k && is->v[i].level == lv)
            return is->v[i].msg_en;
    return NULL;
}

static void test_good_and_required(void **state)
{
    const struct form *fm = formset_form(fs, "cases");
    struct rec *r = good_case();
    struct form_issues is = {0};

    (void)state;
    assert_int_equal(form_validate(fm, r, &is), 0);
    assert_int_equal(is.warnings, 0);
    form_issues_free(&is);
    rec_set(r, "first_name", NULL);
    rec_set(r, "last_name", NULL);
    assert_int_equal(form_validate(fm, r, &is), 1);
    assert_string_equal(issue(fm, &is, "first_name", ISSUE_ERROR),
                        "First name is required; fill it in or save as draft");
    assert_string_equal(issue(fm, &is, "last_name", ISSUE_WARNING),
                        "Last name is empty; fill it in if known");
    form_issues_free(&is);
    /* A draft may lack required fields; warnings remain. */
    rec_set(r, "status", "draft");
    assert_int_equal(form_validate(fm, r, &is), 0);
    assert_non_null(issue(fm, &is, "last_name", ISSUE_WARNING));
    form_issues_free(&is);
    rec_free(r);
}

static void test_values(void **state)
{
    const struct form *fm = formset_form(fs, "cases");
    struct rec *r = good_case();
    struct form_issues is = {0};

    (void)state;
    rec_set(r, "birth_date", NULL);
    rec_set(r, "age", "130");
    rec_set(r, "sex", "Female");
    rec_set(r, "exploitation", "ForcedLabour;Slavery");
    rec_set(r, "home_district", "LA0201");
    rec_set(r, "phone", "call me");
    form_validate(fm, r, &is);
    assert_string_equal(issue(fm, &is, "age", ISSUE_ERROR), "Age (years): 130 is outside 0 to 120");
    assert_string_equal(issue(fm, &is, "sex", ISSUE_ERROR),
                        "Sex: 'Female' is not a code of the list; pick one from the list");
    assert_string_equal(issue(fm, &is, "exploitation", ISSUE_ERROR),
                        "Types of exploitation: 'Slavery' is not a code of the list; pick one from the list");
    assert_non_null(strstr(issue(fm, &is, "home_district", ISSUE_ERROR), "is not in Home province Vientiane Capital"));
    assert_non_null(strstr(issue(fm, &is, "phone", ISSUE_ERROR), "does not have the expected form (phone)"));
    form_issues_free(&is);
    /* Partial dates where allowed, never impossible ones. */
    rec_set(r, "age", "30");
    rec_set(r, "sex", "F");
    rec_set(r, "exploitation", "ForcedLabour");
    rec_set(r, "home_district", "LA0102");
    rec_set(r, "phone", "020 5555 1234");
    rec_set(r, "birth_date", "1990-03");
    rec_set(r, "registered_on", "2024-02-30");
    assert_int_equal(form_validate(fm, r, &is), 1);
    assert_string_equal(issue(fm, &is, "registered_on", ISSUE_ERROR),
                        "Date identified: '2024-02-30' is not a full date");
    form_issues_free(&is);
    rec_free(r);
}

static void test_relevance_and_checks(void **state)
{
    const struct form *fm = formset_form(fs, "cases");
    const struct form *pr = formset_form(fs, "prosecutions");
    struct rec *r = good_case(), *p = rec_new("prosecutions"), *s;
    struct form_issues is = {0};
    const struct field *ret = &fm->fields[form_field_index(fm, "returned_from")];

    (void)state;
    assert_false(form_relevant(fm, ret, r));
    rec_set(r, "identified_by", "ForeignAuthorityReturn");
    assert_true(form_relevant(fm, ret, r));
    assert_int_equal(form_validate(fm, r, &is), 1);
    form_issues_free(&is);
    rec_set(r, "birth_date", "2025-01-01");
    form_validate(fm, r, &is);
    assert_string_equal(issue(fm, &is, "birth_date", ISSUE_ERROR),
                        "Date of birth is after the date identified; check both dates");
    form_issues_free(&is);
    /* Prosecution: dates in order (error) and convicted suspects (warning). */
    rec_set(p, "status", "draft");
    rec_set(p, "investigated_on", "2024-03-01");
    rec_set(p, "sent_to_prosecutor_on", "2024-03-05");
    rec_set(p, "charged_on", "2024-02-01");
    rec_set(p, "verdict_on", "2024-06-01");
    s = rec_kid_add(p, "suspects");
    rec_set(s, "stage", "Convicted");
    rec_set(s, "sex", "M");
    assert_int_equal(form_validate(pr, p, &is), 1);
    assert_string_equal(issue(pr, &is, "charged_on", ISSUE_ERROR),
                        "The charge date is before the investigation date; check the dates");
    assert_string_equal(issue(pr, &is, "suspects", ISSUE_WARNING),
                        "Suspects, row 1: A convicted suspect has neither a sentence nor a fine; enter one");
    form_issues_free(&is);
    rec_set(s, "sentence_months", "36");
    rec_set(p, "charged_on", "2024-03-10");
    assert_int_equal(form_validate(pr, p, &is), 0);
    assert_null(issue(pr, &is, "suspects", ISSUE_WARNING));
    form_issues_free(&is);
    rec_free(p);
    rec_free(r);
}

static void test_events(void **state)
{
    const struct form *fm = formset_form(fs, "events");
    struct rec *r = rec_new("events");
    struct form_issues is = {0};

    (void)state;
    rec_set(r, "status", "draft");
    rec_set(r, "participants_f", "12");
    rec_set(r, "participants_m", "8");
    rec_set(r, "participants_total", "25");
    assert_int_equal(form_validate(fm, r, &is), 1);
    assert_string_equal(issue(fm, &is, "participants_total", ISSUE_ERROR),
                        "Participants do not add up: female + male + unknown must equal the total");
    form_issues_free(&is);
    form_compute(fm, r);
    assert_string_equal(rec_get(r, "participants_total"), "20");
    rec_set(r, "participants_under18", "21");
    rec_set(r, "post_score", "80");
    rec_set(r, "pre_score", "55.5");
    assert_int_equal(form_validate(fm, r, &is), 3);
    assert_non_null(issue(fm, &is, "participants_under18", ISSUE_ERROR));
    assert_string_equal(issue(fm, &is, "post_score", ISSUE_ERROR), "A score after needs the number tested");
    form_issues_free(&is);
    form_compute(fm, r);
    assert_string_equal(rec_get(r, "score_gain"), "24.5");
    /* A head-count alone is kept as typed. */
    rec_set(r, "participants_f", NULL);
    rec_set(r, "participants_m", NULL);
    rec_set(r, "participants_total", "150");
    form_compute(fm, r);
    assert_string_equal(rec_get(r, "participants_total"), "150");
    rec_free(r);
}

static void answer(const struct form *fm, struct rec *r, const char *id, const char *v)
{
    form_set_value(fm, &fm->fields[form_field_index(fm, id)], r, v);
}

static void test_screening(void **state)
{
    const struct form *fm = formset_form(fs, "cases");
    struct rec *r = good_case();
    struct screening s;

    (void)state;
    form_screening(fm, r, &s);
    assert_string_equal(s.result, "Inconclusive");
    answer(fm, r, "act_recruited", "Yes");
    answer(fm, r, "purpose_forced_work", "Yes");
    form_screening(fm, r, &s);
    assert_int_equal(s.act, 1);
    assert_int_equal(s.means, -1);
    assert_int_equal(s.child, 0);
    assert_string_equal(s.result, "Inconclusive");      /* adult: means still open */
    answer(fm, r, "means_debt", "Yes");
    form_compute(fm, r);
    assert_string_equal(rec_get(r, "screening_result"), "PossibleVictim");
    assert_int_equal(rec_kids_count(r, "case_screening"), 3);
    /* A child needs no means. */
    answer(fm, r, "means_debt", "No");
    rec_set(r, "birth_date", "2010-01-01");
    form_compute(fm, r);
    assert_string_equal(rec_get(r, "screening_result"), "PossibleVictim");
    assert_string_equal(rec_get(r, "age_group"), "Child");
    /* Every act answered No: not indicated. */
    answer(fm, r, "act_recruited", "No");
    answer(fm, r, "act_transported", "No");
    answer(fm, r, "act_transferred", "No");
    answer(fm, r, "act_harboured", "No");
    answer(fm, r, "act_received", "No");
    form_screening(fm, r, &s);
    assert_int_equal(s.act, 0);
    assert_string_equal(s.result, "NotIndicated");
    rec_free(r);
}

static void parse_ok(const struct form *fm, const char *id, const char *typed, const char *want)
{
    char *out = NULL;

    if (field_parse_input(fm, &fm->fields[form_field_index(fm, id)], typed, &out, NULL) < 0)
        fail_msg("%s '%s': %s", id, typed, err_msg());
    assert_string_equal(out, want);
    free(out);
}

static void parse_bad(const struct form *fm, const char *id, const char *typed, const char *msg)
{
    char *out = NULL, *lo = NULL;

    assert_int_equal(field_parse_input(fm, &fm->fields[form_field_index(fm, id)], typed, &out, &lo), -1);
    assert_null(out);
    assert_string_equal(err_msg(), msg);
    assert_non_null(lo);
    free(lo);
}

static void test_parse_input(void **state)
{
    const struct form *fm = formset_form(fs, "cases");
    char *out = (char *)"x";

    (void)state;
    parse_ok(fm, "registered_on", "19/05/2024", "2024-05-19");
    parse_ok(fm, "registered_on", "2024-05-19", "2024-05-19");
    parse_ok(fm, "registered_on", "໑໙/໐໕/໒໐໒໔", "2024-05-19");
    parse_ok(fm, "birth_date", "05/1990", "1990-05");
    parse_ok(fm, "birth_date", "໑໙໙໐", "1990");
    parse_ok(fm, "age", " ໒໕ ", "25");
    parse_ok(fm, "sex", "ຍິງ", "F");
    parse_ok(fm, "sex", "male", "M");
    parse_ok(fm, "consent", "ແມ່ນ", "1");
    parse_ok(fm, "consent", "No", "0");
    parse_ok(fm, "exploitation", "Forced labour, ຂູດຮີດທາງເພດ", "ForcedLabour;SexualExploitation");
    parse_ok(fm, "first_name", "  ສົມສັກ ", "ສົມສັກ");
    parse_bad(fm, "registered_on", "31/02/2024", "Date identified: '31/02/2024' is not a date; type dd/mm/yyyy");
    parse_bad(fm, "registered_on", "1990", "Date identified: '1990' is not a date; type dd/mm/yyyy");
    parse_bad(fm, "age", "ສິບ", "Age (years): 'ສິບ' is not a whole number");
    parse_bad(fm, "age", "121", "Age (years): 121 is outside 0 to 120");
    parse_bad(fm, "sex", "woman", "Sex: 'woman' is not in the list; pick one from the list");
    assert_int_equal(field_parse_input(fm, &fm->fields[form_field_index(fm, "sex")], "  ", &out, NULL), 0);
    assert_null(out);
}

static void test_format(void **state)
{
    const struct form *fm = formset_form(fs, "cases");
    const struct field *ex = &fm->fields[form_field_index(fm, "exploitation")];
    char *s;

    (void)state;
    s = field_format_alloc(ex, "ForcedLabour;ForcedMarriage", "lo", 1);
    assert_string_equal(s, "ບັງຄັບອອກແຮງງານ, ບັງຄັບແຕ່ງງານ");
    free(s);
    s = field_format_alloc(&fm->fields[form_field_index(fm, "registered_on")], "2024-05-19", "en", 1);
    assert_string_equal(s, "19/05/2024");
    free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_good_and_required),
        cmocka_unit_test(test_values),
        cmocka_unit_test(test_relevance_and_checks),
        cmocka_unit_test(test_events),
        cmocka_unit_test(test_screening),
        cmocka_unit_test(test_parse_input),
        cmocka_unit_test(test_format),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
