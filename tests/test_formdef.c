/* Tests for formdef loading: the shipped forms load and match a freshly
 * migrated database; broken fixture folders written at test time give
 * messages naming the file, line and field. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "db.h"
#include "formdef.h"
#include "record.h"
#include "util.h"

static char dir[64];

static void put(const char *name, const char *text)
{
    char *p = xasprintf("%s/%s", dir, name);
    FILE *f = fopen(p, "w");

    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    free(p);
}

static const char lists[] = "[sex]\nF = Female | ຍິງ\nM = Male | ຊາຍ\n";
static const char ui[] = "[app]\nname = tipdesk | tipdesk\n";

/* A fixture folder whose case.ini is CASE_INI; the other forms are minimal. */
static struct formset *load_with(const char *case_ini)
{
    char *p;

    put("lists.ini", lists);
    put("ui.ini", ui);
    put("case.ini", case_ini);
    p = xasprintf("[form]\ntable = prosecutions\n[court_case_no]\nlabel = Court case number\n");
    put("prosecution.ini", p);
    free(p);
    put("event.ini", "[form]\ntable = events\n[title]\nlabel = Title\n");
    return formset_load(dir);
}

static void expect_error(const char *case_ini, const char *msg)
{
    struct formset *fs = load_with(case_ini);
    char *want = xasprintf("%s/case.ini:%s", dir, msg);

    assert_null(fs);
    assert_string_equal(err_msg(), want);
    free(want);
}

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof(dir), "/tmp/tipdesk-forms.XXXXXX");
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
    const char *names[] = {"lists.ini", "ui.ini", "case.ini", "prosecution.ini", "event.ini", "t.db",
                           "t.db-wal", "t.db-shm"};
    size_t i;

    (void)state;
    for (i = 0; i < ARRAY_LEN(names); i++) {
        char *p = xasprintf("%s/%s", dir, names[i]);
        unlink(p);
        free(p);
    }
    rmdir(dir);
    return 0;
}

static void test_shipped_forms(void **state)
{
    struct formset *fs = formset_load("forms");
    char *path = xasprintf("%s/t.db", dir);
    struct db *db;
    const struct form *cases;
    const struct code_list *dl;

    (void)state;
    if (!fs)
        fail_msg("%s", err_msg());
    db = db_open(path, DB_OPEN_CREATE);
    assert_non_null(db);
    assert_int_equal(db_migrate(db), 0);
    if (formset_check_db(fs, db) < 0)
        fail_msg("%s", err_msg());
    cases = formset_form(fs, "cases");
    assert_non_null(cases);
    assert_non_null(formset_form(fs, "prosecutions"));
    assert_non_null(formset_form(fs, "events"));
    assert_null(formset_form(fs, "suspects"));
    assert_string_equal(field_label(&cases->fields[form_field_index(cases, "first_name")], "lo"), "ຊື່");
    /* 18 provinces, 148 districts, each district filtered by its province. */
    assert_int_equal(formset_list(fs, "province")->n, 18);
    dl = formset_list(fs, "district");
    assert_int_equal(dl->n, 148);
    assert_string_equal(list_find(dl, "LA0101")->filter, "LA01");
    assert_string_equal(list_label(formset_list(fs, "sex"), "F", "lo"), "ຍິງ");
    assert_string_equal(list_match(formset_list(fs, "sex"), "female")->code, "F");
    assert_string_equal(list_match(formset_list(fs, "sex"), "ຊາຍ")->code, "M");
    assert_null(list_match(formset_list(fs, "sex"), "woman"));
    /* Messages with ';' are quoted in the files and arrive whole. */
    assert_non_null(strstr(cases->checks[0].message, "; check both dates"));
    assert_string_equal(formset_text(fs, "form.saved", "lo"), "ບັນທຶກແລ້ວ");
    assert_string_equal(formset_text(fs, "form.saved", "en"), "Saved");
    assert_string_equal(formset_text(fs, "no.such_key", "lo"), "no.such_key");
    db_close(db);
    formset_free(fs);
    free(path);
}

static void test_unknown_column(void **state)
{
    struct formset *fs = load_with("[form]\ntable = cases\n\n[xyz]\nlabel = Something\n");
    char *path = xasprintf("%s/t.db", dir), *want;
    struct db *db;

    (void)state;
    assert_non_null(fs);
    db = db_open(path, DB_OPEN_CREATE);
    assert_int_equal(db_migrate(db), 0);
    assert_int_equal(formset_check_db(fs, db), -1);
    want = xasprintf("%s/case.ini:4: field 'xyz': no such column cases.xyz", dir);
    assert_string_equal(err_msg(), want);
    free(want);
    db_close(db);
    formset_free(fs);
    free(path);
}

static void test_errors(void **state)
{
    (void)state;
    expect_error("[form]\ntable = cases\nthis line is wrong\n",
                 "3: cannot read this line; write 'key = value' or '[section]'");
    expect_error("[form]\ntable = cases\n[sex]\ntype = choice\nlist = sex\ncolour = red\n",
                 "6: field 'sex': unknown attribute 'colour'; see the field attributes in forms/README.md");
    expect_error("[form]\ntable = cases\n[age]\ntype = number\n",
                 "4: field 'age': unknown type 'number' (known: text, longtext, int, decimal, date, "
                 "yesno, choice, multi, link, child, computed)");
    expect_error("[form]\ntable = cases\n[sex]\ntype = choice\nlist = foo\n",
                 "5: field 'sex': no such list 'foo' in lists.ini");
    expect_error("[form]\ntable = cases\n[sex]\ntype = choice\nlist = sex\nrelevant = age >\n",
                 "6: field 'sex': relevant: at 6: expected a value after '>'");
    expect_error("[form]\ntable = cases\n[sex]\ntype = choice\nlist = sex\nrelevant = agee > 3\n",
                 "3: field 'sex': relevant: no field 'agee' in this form");
    expect_error("[form]\ntable = cases\n[check.x]\ncond = a = = 1\n",
                 "4: check 'x': cond: at 5: expected a value after '='");
    expect_error("[form]\ntable = cases\n[Sex]\n", "3: section [Sex]: use lower-case letters, digits, '_' and '.' only");
    expect_error("[form]\ntable = cases\n[sex]\ntype = choice\n", "3: field 'sex': a choice needs 'list = NAME'");
    expect_error("[form]\ntable = cases\n[a]\n[a]\n", "4: section [a] appears twice (first at line 3); merge them");
    expect_error("[form]\ntable = cases\n[j.x]\n", "3: section [j.x]: 'j' is not a field of type child above it");
    expect_error("[form]\ntable = cases\n[a]\nmaxlen = 0\n",
                 "4: field 'a': maxlen must be a whole number from 1 to 100000");
}

/* Every field of FM (and of its child forms) lies in exactly the section
 * its index names. */
static void assert_sections_cover(const struct form *fm)
{
    size_t s, i, seen = 0;

    assert_true(fm->nsections > 0);
    for (s = 0; s < fm->nsections; s++) {
        assert_int_equal(fm->sections[s].first, seen);
        for (i = seen; i < seen + fm->sections[s].count; i++)
            assert_int_equal(fm->fields[i].section, s);
        seen += fm->sections[s].count;
        assert_non_null(fm->sections[s].title);
    }
    assert_int_equal(seen, fm->nfields);
    for (i = 0; i < fm->nfields; i++)
        if (fm->fields[i].child)
            assert_sections_cover(fm->fields[i].child);
}

static void test_sections(void **state)
{
    static const char *const tables[] = {"cases", "prosecutions", "events"};
    struct formset *fs = formset_load("forms");
    const struct form *cases, *journey, *victims;
    size_t i;

    (void)state;
    if (!fs)
        fail_msg("%s", err_msg());
    for (i = 0; i < ARRAY_LEN(tables); i++)
        assert_sections_cover(formset_form(fs, tables[i]));
    cases = formset_form(fs, "cases");
    journey = cases->fields[form_field_index(cases, "journey")].child;
    assert_int_equal(journey->nsections, 2);
    assert_string_equal(journey->sections[1].title, "Where it happened");
    assert_string_equal(journey->sections[1].title_lo, "ບ່ອນທີ່ເກີດຂຶ້ນ");
    assert_int_equal(journey->fields[form_field_index(journey, "country")].section, 1);
    victims = formset_form(fs, "prosecutions")->fields[form_field_index(formset_form(fs, "prosecutions"),
                                                                        "victims")].child;
    /* a child list without sections is one page titled by its label */
    assert_int_equal(victims->nsections, 1);
    assert_string_equal(victims->sections[0].title, "Linked victims");
    assert_string_equal(victims->sections[0].title_lo, "ຜູ້ຖືກເຄາະຮ້າຍທີ່ເຊື່ອມໂຍງ");
    formset_free(fs);

    /* fields before the first section get a section of their own */
    fs = load_with("[form]\ntable = cases\ntitle = Victim case\n[first_name]\n[section.b]\n"
                   "title = B\n[last_name]\n[j]\ntype = child\ncolumn = case_events\nlabel = Journey\n"
                   "[j.step]\n[j.section.w]\ntitle = Where\n[j.place]\n");
    if (!fs)
        fail_msg("%s", err_msg());
    cases = formset_form(fs, "cases");
    assert_sections_cover(cases);
    assert_int_equal(cases->nsections, 2);
    assert_string_equal(cases->sections[0].title, "Victim case");
    journey = cases->fields[form_field_index(cases, "j")].child;
    assert_int_equal(journey->nsections, 2);
    assert_string_equal(journey->sections[0].title, "Journey");
    assert_string_equal(journey->sections[1].title, "Where");
    assert_sections_cover(formset_form(fs, "events"));
    formset_free(fs);
    expect_error("[form]\ntable = cases\n[j]\ntype = child\ncolumn = case_events\n",
                 "3: field 'j': a child list needs fields; add [j.ID] below it");
}

/* Answers to questions not asked go, in the record and its child rows. */
static void test_clear_hidden(void **state)
{
    struct formset *fs = formset_load("forms");
    const struct form *cases;
    struct rec *r, *kid;

    (void)state;
    if (!fs)
        fail_msg("%s", err_msg());
    cases = formset_form(fs, "cases");
    r = rec_new("cases");
    rec_set(r, "identified_by", "Police");
    rec_set(r, "returned_from", "TH");
    rec_set(r, "first_name", "ສົມສັກ");
    kid = rec_kid_add(r, "case_events");
    rec_set(kid, "country", "TH");
    rec_set(kid, "province", "LA12");
    rec_set(kid, "place", "ບ້ານ ໂພນທັນ");
    form_clear_hidden(cases, r);
    assert_null(rec_get(r, "returned_from"));
    assert_string_equal(rec_get(r, "first_name"), "ສົມສັກ");
    assert_null(rec_get(kid, "province"));
    assert_string_equal(rec_get(kid, "place"), "ບ້ານ ໂພນທັນ");
    rec_set(r, "identified_by", "ForeignAuthorityReturn");
    rec_set(r, "returned_from", "TH");
    form_clear_hidden(cases, r);
    assert_string_equal(rec_get(r, "returned_from"), "TH");
    rec_free(r);
    formset_free(fs);
}

static const struct form_hidden *hidden_of(const struct form_hiddens *h, const char *column)
{
    size_t i;

    for (i = 0; i < h->n; i++)
        if (strcmp(h->v[i].f->column, column) == 0)
            return &h->v[i];
    fail_msg("no hidden value in %s", column);
    return NULL;
}

/* What form_hidden_clear lists: field, child row, the value and why, with
 * personal and free-text values not quoted. */
static void test_hidden_list(void **state)
{
    static const char finding[] = "ຊາວບ້ານຮູ້ຈັກສາຍດ່ວນ 1300 ແລະ ການເຄື່ອນຍ້າຍແຮງງານທີ່ປອດໄພ ແລະ ອື່ນໆອີກຫຼາຍຢ່າງ";
    struct formset *fs = formset_load("forms");
    const struct form *cases, *events;
    struct form_hiddens h = {0};
    const struct form_hidden *x;
    struct rec *r, *kid;

    (void)state;
    if (!fs)
        fail_msg("%s", err_msg());
    cases = formset_form(fs, "cases");
    events = formset_form(fs, "events");
    r = rec_new("cases");
    rec_set(r, "identified_by", "Police");
    rec_set(r, "returned_from", "TH");
    rec_set(r, "first_name", "ສົມສັກ");
    rec_set(r, "birth_date", "1990-05-01");
    rec_set(r, "age", "34");
    rec_set(r, "referral_on", "2024-01-02");
    rec_set(rec_kid_add(r, "case_screening"), "item", "act_recruited");
    kid = rec_kid_add(r, "case_events");
    rec_set(kid, "country", "TH");
    rec_set(kid, "province", "LA12");
    rec_set(kid, "place", "ບ້ານ ໂພນທັນ");
    assert_int_equal(form_hidden_clear(cases, r, &h), 4);
    assert_int_equal(h.n, 4);
    x = hidden_of(&h, "returned_from");
    assert_int_equal(x->kid, -1);
    assert_string_equal(x->value, "TH");
    assert_string_equal(x->why, "the form asks Returned from country only when identified_by = "
                        "'ForeignAuthorityReturn' (here identified_by is 'Police')");
    /* A birth date is personal: said to be there, not quoted. */
    assert_string_equal(hidden_of(&h, "age")->why, "the form asks Age (years) only when "
                        "birth_date is empty (here birth_date is filled in)");
    assert_string_equal(hidden_of(&h, "referral_on")->why, "the form asks Referral date only when "
                        "referral_org is not empty (here referral_org is empty)");
    x = hidden_of(&h, "province");
    assert_int_equal(x->kid, 1);
    assert_ptr_equal(x->fm, cases->fields[form_field_index(cases, "journey")].child);
    assert_string_equal(x->why, "the form asks Province only when country = 'LA' (here country is 'TH')");
    assert_null(rec_get(r, "returned_from"));
    assert_null(rec_get(r, "age"));
    assert_null(rec_get(kid, "province"));
    assert_string_equal(rec_get(kid, "place"), "ບ້ານ ໂພນທັນ");
    assert_string_equal(rec_get(r, "birth_date"), "1990-05-01");
    form_hiddens_free(&h);
    /* Nothing left: a second walk finds nothing. */
    assert_int_equal(form_hidden_clear(cases, r, &h), 0);
    assert_int_equal(h.n, 0);
    rec_free(r);

    /* A value emptied hides the one that depends on it; long text is cut. */
    r = rec_new("events");
    rec_set(r, "followup_planned", "0");
    rec_set(r, "followup_done", "1");
    rec_set(r, "followup_finding", finding);
    assert_int_equal(form_hidden_clear(events, r, &h), 2);
    assert_string_equal(hidden_of(&h, "followup_done")->why, "the form asks Follow-up done only when "
                        "followup_planned = 1 (here followup_planned is '0')");
    x = hidden_of(&h, "followup_finding");
    assert_string_equal(x->why, "the form asks Follow-up finding only when followup_done = 1 "
                        "(here followup_done is not asked either)");
    assert_non_null(strstr(x->value, "…"));
    assert_true(strlen(x->value) < strlen(finding));
    form_hiddens_free(&h);
    rec_free(r);
    formset_free(fs);
}

/* A field hidden by one further down is found too: the walk repeats until
 * nothing changes. */
static void test_hidden_backward(void **state)
{
    struct formset *fs = load_with("[form]\ntable = cases\n"
                                   "[first_name]\nlabel = First name\ntype = text\nrelevant = sex = 'F'\n"
                                   "[sex]\nlabel = Sex\ntype = choice\nlist = sex\nrelevant = age >= 18\n"
                                   "[age]\nlabel = Age\ntype = int\n");
    const struct form *fm;
    struct form_hiddens h = {0};
    struct rec *r = rec_new("cases");

    (void)state;
    if (!fs)
        fail_msg("%s", err_msg());
    fm = formset_form(fs, "cases");
    rec_set(r, "first_name", "ນາງ ແກ້ວ");
    rec_set(r, "sex", "F");
    rec_set(r, "age", "12");
    assert_int_equal(form_hidden_clear(fm, r, &h), 2);
    assert_string_equal(h.v[0].f->column, "sex");
    assert_string_equal(h.v[1].f->column, "first_name");
    assert_string_equal(h.v[1].why, "the form asks First name only when sex = 'F' "
                        "(here sex is not asked either)");
    assert_null(rec_get(r, "first_name"));
    form_hiddens_free(&h);
    rec_free(r);
    formset_free(fs);
}

static void test_missing_file(void **state)
{
    struct formset *fs = formset_load("/nonexistent-forms");

    (void)state;
    assert_null(fs);
    assert_non_null(strstr(err_msg(), "/nonexistent-forms/lists.ini: cannot read the forms file"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shipped_forms),
        cmocka_unit_test(test_unknown_column),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_sections),
        cmocka_unit_test(test_clear_hidden),
        cmocka_unit_test(test_hidden_list),
        cmocka_unit_test(test_hidden_backward),
        cmocka_unit_test(test_missing_file),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
