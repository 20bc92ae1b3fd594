/* Tests for config: fixtures are written to a temp folder at test time and
 * every user-reachable error is checked for its file, line, key and advice. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "config.h"
#include "util.h"

/* The shipped config.ini's layout (README.md, "config.ini"): [office] is line 1, min_cell line 18. */
static const char base[] =
    "[office]\n"
    "code = LA1301              ; P-code of this office: district LA####, province LA##, centre LA\n"
    "level = district           ; district | province | centre\n"
    "name = Kaysone Phomvihane District Office\n"
    "[database]\n"
    "path = db/tipdesk.db       ; relative paths are relative to the folder of config.ini\n"
    "backup_dir = db/backups\n"
    "backups_keep = 14\n"
    "[forms]\n"
    "dir = forms\n"
    "[ui]\n"
    "language = en              ; en | lo\n"
    "date_format = dd/mm/yyyy   ; or yyyy-mm-dd\n"
    "color = auto               ; auto | always | never\n"
    "[export]\n"
    "dir = exports\n"
    "[privacy]\n"
    "min_cell = 5               ; published tables suppress smaller cells\n";

static char tmp[64];
static char cfg[128];
static char subdir[128];
static char subcfg[160];

static int group_setup(void **state)
{
    (void)state;
    snprintf(tmp, sizeof(tmp), "/tmp/tipdesk-config.XXXXXX");
    if (!mkdtemp(tmp))
        return -1;
    snprintf(cfg, sizeof(cfg), "%s/config.ini", tmp);
    snprintf(subdir, sizeof(subdir), "%s/office", tmp);
    snprintf(subcfg, sizeof(subcfg), "%s/config.ini", subdir);
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    unlink(subcfg);
    rmdir(subdir);
    unlink(cfg);
    return rmdir(tmp);
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");

    assert_non_null(f);
    assert_int_equal(fwrite(text, 1, strlen(text), f), strlen(text));
    assert_int_equal(fclose(f), 0);
}

/* TEXT with the first occurrence of OLD replaced by NEW; the caller frees. */
static char *replace(const char *text, const char *old, const char *new)
{
    const char *at = strstr(text, old);
    struct sbuf b = {0};

    assert_non_null(at);
    sbuf_addn(&b, text, (size_t)(at - text));
    sbuf_add(&b, new);
    sbuf_add(&b, at + strlen(old));
    return b.s;
}

static char *with(const char *old, const char *new)
{
    return replace(base, old, new);
}

static struct config *load_text(const char *text)
{
    write_file(cfg, text);
    return config_load(cfg);
}

/* Loading TEXT fails with exactly "CFG:WHERE" (WHERE starts with ':' + line
 * or with ': ' when no line applies). */
static void expect_error(const char *text, const char *where)
{
    char *want = xasprintf("%s%s", cfg, where);
    struct config *c = load_text(text);

    if (c)
        fail_msg("loaded, but expected: %s", want);
    assert_string_equal(err_msg(), want);
    free(want);
}

/* Like expect_error with BASE where OLD is replaced by NEW. */
static void expect_error_with(const char *old, const char *new, const char *where)
{
    char *text = with(old, new);

    expect_error(text, where);
    free(text);
}

static struct config *load_with(const char *old, const char *new)
{
    char *text = with(old, new);
    struct config *c = load_text(text);

    free(text);
    if (!c)
        fail_msg("unexpected error: %s", err_msg());
    return c;
}

/* C holds the default paths (inside the config's folder) and settings. */
static void assert_defaults(const struct config *c)
{
    char *p;

    p = xasprintf("%s/db/tipdesk.db", tmp);
    assert_string_equal(c->db_path, p);
    free(p);
    p = xasprintf("%s/db/backups", tmp);
    assert_string_equal(c->backup_dir, p);
    free(p);
    p = xasprintf("%s/forms", tmp);
    assert_string_equal(c->forms_dir, p);
    free(p);
    p = xasprintf("%s/exports", tmp);
    assert_string_equal(c->export_dir, p);
    free(p);
    assert_int_equal(c->backups_keep, 14);
    assert_string_equal(c->language, "en");
    assert_int_equal(c->date_dmy, 1);
    assert_int_equal(c->color, COLOR_AUTO);
    assert_int_equal(c->min_cell, 5);
}

static void test_default_loads(void **state)
{
    struct config *c;

    (void)state;
    setenv("USER", "clerk1", 1);
    c = load_text(base);
    if (!c)
        fail_msg("%s", err_msg());
    assert_string_equal(c->file, cfg);
    assert_string_equal(c->dir, tmp);
    assert_string_equal(c->office_code, "LA1301");
    assert_int_equal(c->level, LEVEL_DISTRICT);
    assert_string_equal(c->office_name, "Kaysone Phomvihane District Office");
    assert_defaults(c);
    /* The audit names the logged-in user, never what $USER says. */
    assert_null(c->user);
    config_free(c);
}

/* The config.ini shipped in the repository must load. */
static void test_shipped_config_loads(void **state)
{
    const char *src = getenv("TIPDESK_SRC");
    char *path = xasprintf("%s/config.ini", util_empty(src) ? "." : src);
    struct config *c = config_load(path);

    (void)state;
    if (!c)
        fail_msg("%s", err_msg());
    assert_string_equal(c->office_code, "LA1301");
    config_free(c);
    free(path);
}

static void test_relative_paths_follow_config_folder(void **state)
{
    char cwd[4096];
    struct config *c;
    char *text = with("path = db/tipdesk.db", "path = /srv/tipdesk/office.db");

    (void)state;
    assert_non_null(getcwd(cwd, sizeof(cwd)));
    assert_int_equal(mkdir(subdir, 0700), 0);
    write_file(subcfg, text);
    free(text);
    assert_int_equal(chdir(tmp), 0);

    c = config_load("office/config.ini");
    if (!c)
        fail_msg("%s", err_msg());
    assert_string_equal(c->file, "office/config.ini");
    assert_string_equal(c->dir, "office");
    assert_string_equal(c->db_path, "/srv/tipdesk/office.db");
    assert_string_equal(c->backup_dir, "office/db/backups");
    assert_string_equal(c->forms_dir, "office/forms");
    assert_string_equal(c->export_dir, "office/exports");
    config_free(c);

    assert_int_equal(chdir(subdir), 0);
    c = config_load("config.ini");
    if (!c)
        fail_msg("%s", err_msg());
    assert_string_equal(c->dir, ".");
    assert_string_equal(c->forms_dir, "./forms");
    config_free(c);
    assert_int_equal(chdir(cwd), 0);
}

static void test_lao_name_intact(void **state)
{
    static const char lao[] = "ຫ້ອງການ ເມືອງ ໄກສອນ ພົມວິຫານ";
    char *line = xasprintf("name = %s", lao);
    struct config *c = load_with("name = Kaysone Phomvihane District Office", line);

    (void)state;
    assert_string_equal(c->office_name, lao);
    config_free(c);
    free(line);
}

static void test_inline_comment_and_quotes(void **state)
{
    struct config *c;
    char *text, *p;

    (void)state;
    c = load_with("name = Kaysone Phomvihane District Office",
                  "name = \"Office; Vientiane #2\"   ; a comment");
    assert_string_equal(c->office_name, "Office; Vientiane #2");
    config_free(c);

    c = load_with("name = Kaysone Phomvihane District Office",
                  "name = 'Kaysone office'  # a comment");
    assert_string_equal(c->office_name, "Kaysone office");
    config_free(c);

    /* Unquoted values stop at ';' or '#' and lose their spaces. */
    c = load_with("name = Kaysone Phomvihane District Office",
                  "name =   Kaysone office   # 2");
    assert_string_equal(c->office_name, "Kaysone office");
    config_free(c);

    text = with("path = db/tipdesk.db", "path = \"db/my office.db\"");
    c = load_text(text);
    free(text);
    assert_non_null(c);
    p = xasprintf("%s/db/my office.db", tmp);
    assert_string_equal(c->db_path, p);
    free(p);
    config_free(c);
}

static void test_quote_errors(void **state)
{
    (void)state;
    expect_error_with("name = Kaysone Phomvihane District Office",
                      "name = \"Kaysone office",
                      ":4: key 'name': the quote \" is not closed; "
                      "add \" at the end of the value");
    expect_error_with("name = Kaysone Phomvihane District Office",
                      "name = \"Kaysone\" office",
                      ":4: key 'name': text after the closing quote; "
                      "put the whole value inside the quotes");
}

static void test_typo_key(void **state)
{
    (void)state;
    expect_error_with("language = en", "langauge = en",
                      ":12: unknown key 'langauge' in [ui]; did you mean 'language'?");
    expect_error_with("backups_keep = 14", "backup_keep = 14",
                      ":8: unknown key 'backup_keep' in [database]; "
                      "did you mean 'backups_keep'?");
}

static void test_unknown_key(void **state)
{
    (void)state;
    expect_error_with("color = auto", "theme = dark",
                      ":14: unknown key 'theme' in [ui]; the keys of [ui] are "
                      "language, date_format, color");
    expect_error_with("backups_keep = 14", "min_cell = 3",
                      ":8: unknown key 'min_cell' in [database]; "
                      "'min_cell' belongs in [privacy]");
    expect_error_with("backups_keep = 14", "dir = x",
                      ":8: unknown key 'dir' in [database]; "
                      "'dir' belongs in [forms] or [export]");
}

static void test_unknown_section(void **state)
{
    (void)state;
    expect_error_with("[office]", "[offce]",
                      ":1: unknown section [offce]; did you mean [office]?");
    expect_error_with("[export]", "[network]",
                      ":15: unknown section [network]; the sections are [office], "
                      "[database], [forms], [ui], [export], [privacy]");
}

static void test_key_case_follows_iniparser(void **state)
{
    struct config *c;

    (void)state;
    c = load_with("language = en", "Language = lo");
    assert_string_equal(c->language, "lo");
    config_free(c);
    c = load_with("[ui]", "[ UI ]");
    assert_string_equal(c->language, "en");
    config_free(c);
}

static void test_octal_looking_number(void **state)
{
    struct config *c;

    (void)state;
    expect_error_with("backups_keep = 14", "backups_keep = 010",
                      ":8: key 'backups_keep': write 10, not 010: "
                      "leading zeros are not allowed");
    expect_error_with("min_cell = 5", "min_cell = 007",
                      ":18: key 'min_cell': write 7, not 007: leading zeros are not allowed");
    c = load_with("backups_keep = 14", "backups_keep = 0");
    assert_int_equal(c->backups_keep, 0);
    config_free(c);
    c = load_with("backups_keep = 14", "backups_keep = 1000");
    assert_int_equal(c->backups_keep, 1000);
    config_free(c);
}

static void test_not_a_number(void **state)
{
    (void)state;
    expect_error_with("backups_keep = 14", "backups_keep = 14 days",
                      ":8: key 'backups_keep': '14 days' is not a whole number; "
                      "write digits only, e.g. 14");
    expect_error_with("min_cell = 5", "min_cell = 0x10",
                      ":18: key 'min_cell': '0x10' is not a whole number; "
                      "write digits only, e.g. 5");
    expect_error_with("min_cell = 5", "min_cell = +5",
                      ":18: key 'min_cell': '+5' is not a whole number; "
                      "write digits only, e.g. 5");
}

static void test_out_of_range(void **state)
{
    (void)state;
    expect_error_with("backups_keep = 14", "backups_keep = 1001",
                      ":8: key 'backups_keep': 1001 is out of range; "
                      "use a number from 0 to 1000");
    expect_error_with("backups_keep = 14", "backups_keep = -1",
                      ":8: key 'backups_keep': -1 is out of range; "
                      "use a number from 0 to 1000");
    expect_error_with("min_cell = 5", "min_cell = 0",
                      ":18: key 'min_cell': 0 is out of range; use a number from 1 to 1000");
    expect_error_with("min_cell = 5", "min_cell = 99999999999999999999",
                      ":18: key 'min_cell': 99999999999999999999 is out of range; "
                      "use a number from 1 to 1000");
}

static void test_first_letter_shortcuts_refused(void **state)
{
    (void)state;
    expect_error_with("color = auto", "color = a",
                      ":14: key 'color': 'a' is not allowed; use auto, always or never");
    expect_error_with("color = auto", "color = y",
                      ":14: key 'color': 'y' is not allowed; use auto, always or never");
    expect_error_with("language = en", "language = e",
                      ":12: key 'language': 'e' is not allowed; use en or lo");
    expect_error_with("level = district", "level = d",
                      ":3: key 'level': 'd' is not allowed; "
                      "use district, province or centre");
    expect_error_with("date_format = dd/mm/yyyy", "date_format = d",
                      ":13: key 'date_format': 'd' is not allowed; "
                      "use dd/mm/yyyy or yyyy-mm-dd");
    expect_error_with("date_format = dd/mm/yyyy", "date_format = mm/dd/yyyy",
                      ":13: key 'date_format': 'mm/dd/yyyy' is not allowed; "
                      "use dd/mm/yyyy or yyyy-mm-dd");
}

static void test_enum_values(void **state)
{
    struct config *c;

    (void)state;
    c = load_with("color = auto", "color = NEVER");
    assert_int_equal(c->color, COLOR_NEVER);
    config_free(c);
    c = load_with("color = auto", "color = always");
    assert_int_equal(c->color, COLOR_ALWAYS);
    config_free(c);
    c = load_with("language = en", "language = LO");
    assert_string_equal(c->language, "lo");
    config_free(c);
    c = load_with("date_format = dd/mm/yyyy", "date_format = yyyy-mm-dd");
    assert_int_equal(c->date_dmy, 0);
    config_free(c);
}

static void test_long_line(void **state)
{
    struct sbuf b = {0};
    char *text;
    struct config *c;
    size_t i;

    (void)state;
    /* 2000 bytes with the newline. */
    sbuf_add(&b, "name = ");
    for (i = b.len; i < 1999; i++)
        sbuf_addc(&b, 'x');
    text = with("name = Kaysone Phomvihane District Office", sbuf_str(&b));
    expect_error(text, ":4: line too long (2000 bytes, the limit is 1023); shorten it");
    free(text);

    /* The limit is exact: 1022 bytes and a newline load, one more does not. */
    sbuf_reset(&b);
    sbuf_add(&b, "name = ");
    for (i = b.len; i < 1022; i++)
        sbuf_addc(&b, 'y');
    text = with("name = Kaysone Phomvihane District Office", sbuf_str(&b));
    c = load_text(text);
    free(text);
    if (!c)
        fail_msg("%s", err_msg());
    assert_int_equal(strlen(c->office_name), 1022 - strlen("name = "));
    config_free(c);

    sbuf_addc(&b, 'y');
    text = with("name = Kaysone Phomvihane District Office", sbuf_str(&b));
    expect_error(text, ":4: line too long (1024 bytes, the limit is 1023); shorten it");
    free(text);
    sbuf_free(&b);
}

static void test_missing_file(void **state)
{
    char *path = xasprintf("%s/nowhere.ini", tmp);
    char *want = xasprintf("%s: cannot open: No such file or directory", path);

    (void)state;
    assert_null(config_load(path));
    assert_string_equal(err_msg(), want);
    free(want);
    free(path);

    want = xasprintf("%s: cannot read: Is a directory", tmp);
    assert_null(config_load(tmp));
    assert_string_equal(err_msg(), want);
    free(want);
}

static void test_missing_key(void **state)
{
    (void)state;
    expect_error("", ": key 'code' missing: there is no [office] section; "
                 "add [office] with 'code = LA1301'");
    expect_error_with("code = LA1301              ; P-code of this office: district LA####, "
                      "province LA##, centre LA\n", "",
                      ": key 'code' missing from [office]; "
                      "add 'code = LA1301' under [office]");
}

/* Every key but the office code may be left out and takes the README's default. */
static void test_defaults_apply(void **state)
{
    struct config *c;

    (void)state;
    c = load_text("[office]\ncode = LA1301\n");
    if (!c)
        fail_msg("%s", err_msg());
    assert_int_equal(c->level, LEVEL_DISTRICT);
    assert_string_equal(c->office_name, "");
    assert_defaults(c);
    config_free(c);

    /* One key left out among the others: the rest as written. */
    c = load_with("backups_keep = 14\n", "");
    assert_int_equal(c->backups_keep, 14);
    assert_string_equal(c->office_name, "Kaysone Phomvihane District Office");
    config_free(c);
    c = load_with("language = en              ; en | lo\n", "");
    assert_string_equal(c->language, "en");
    config_free(c);
    c = load_with("min_cell = 5               ; published tables suppress smaller cells\n", "");
    assert_int_equal(c->min_cell, 5);
    config_free(c);

    /* A level left out is the one the code implies. */
    c = load_text("[office]\ncode = LA13\n[ui]\nlanguage = lo\n");
    if (!c)
        fail_msg("%s", err_msg());
    assert_int_equal(c->level, LEVEL_PROVINCE);
    assert_string_equal(c->language, "lo");
    config_free(c);
    c = load_text("[office]\ncode = LA\n");
    if (!c)
        fail_msg("%s", err_msg());
    assert_int_equal(c->level, LEVEL_CENTRE);
    config_free(c);
}

/* Text values hold printable UTF-8 only; the message does not echo them. */
static void test_bad_text_refused(void **state)
{
    (void)state;
    expect_error_with("Kaysone Phomvihane District Office", "Kaysone \xff\xfe Office",
                      ":4: key 'name': the value is not valid UTF-8; save the file as UTF-8");
    expect_error_with("Kaysone Phomvihane District Office", "\xe0\xba",
                      ":4: key 'name': the value is not valid UTF-8; save the file as UTF-8");
    expect_error_with("Kaysone Phomvihane District Office", "Kaysone\x1b]52;c;aGk=\x07",
                      ":4: key 'name': the value holds a control character (byte 8); remove it");
    expect_error_with("Kaysone Phomvihane District Office", "ສົມສັກ\tOffice",
                      ":4: key 'name': the value holds a control character (byte 19); remove it");
    expect_error_with("Kaysone Phomvihane District Office", "Office \xc2\x9b",
                      ":4: key 'name': the value holds a control character (byte 8); remove it");
    expect_error_with("dir = forms", "dir = for\x01ms",
                      ":10: key 'dir': the value holds a control character (byte 4); remove it");
    expect_error_with("path = db/tipdesk.db", "path = db/\xc0\xaf.db",
                      ":6: key 'path': the value is not valid UTF-8; save the file as UTF-8");
}

static void test_empty_value(void **state)
{
    (void)state;
    expect_error_with("name = Kaysone Phomvihane District Office", "name =",
                      ":4: key 'name': the value is empty; "
                      "write e.g. 'name = District Office'");
    expect_error_with("name = Kaysone Phomvihane District Office", "name = \"\"",
                      ":4: key 'name': the value is empty; "
                      "write e.g. 'name = District Office'");
    expect_error_with("dir = forms", "dir = ; the forms",
                      ":10: key 'dir': the value is empty; write e.g. 'dir = forms'");
    expect_error_with("path = db/tipdesk.db", "path = #",
                      ":6: key 'path': the value is empty; "
                      "write e.g. 'path = db/tipdesk.db'");
}

static void test_malformed_lines(void **state)
{
    (void)state;
    expect_error_with("code = LA1301", "code LA1301",
                      ":2: 'code LA1301              ; P-code of this office: district "
                      "LA####, province LA##, centre LA' is not a [section], "
                      "'key = value' or comment; write 'key = value'");
    expect_error_with("[forms]", "[forms",
                      ":9: section header '[forms' does not end with ']'; "
                      "write it as [name]");
    expect_error_with("[forms]", "[forms] x]",
                      ":9: section header '[forms] x]' has text after ']'; "
                      "write it as [name]");
    expect_error_with("[forms]", "[  ]", ":9: empty section name '[]'; write [name]");
    expect_error_with("[forms]", "[forms]  ; the forms",
                      ":9: a comment after a section header; "
                      "put the comment on its own line");
    expect_error_with("dir = forms", "= forms",
                      ":10: a value without a key; write 'key = value'");
    expect_error_with("name = Kaysone Phomvihane District Office",
                      "name = Kaysone \\",
                      ":4: the line ends with '\\', which joins it to the next line; "
                      "remove the backslash");
}

static void test_key_outside_section(void **state)
{
    char *text = xasprintf("language = en\n%s", base);

    (void)state;
    expect_error(text, ":1: key 'language' comes before any [section]; move it under [ui]");
    free(text);
    text = xasprintf("colour = red\n%s", base);
    expect_error(text, ":1: key 'colour' comes before any [section]; "
                 "put it under a [section]");
    free(text);
}

static void test_duplicates(void **state)
{
    (void)state;
    expect_error_with("name = ", "level = province\nname = ",
                      ":4: key 'level': set twice in [office] (first at line 3); keep one");
    expect_error_with("[privacy]\n", "[forms]\n",
                      ":17: section [forms] appears twice (first at line 9); "
                      "merge the two");
}

static void test_code_and_level(void **state)
{
    static const char *const codes[] = { "code = LA13", "code = LA" };
    static const char *const lvls[] = { "level = province", "level = centre" };
    int i;

    struct config *c;
    char *text;

    (void)state;
    expect_error_with("code = LA1301", "code = LA13",
                      ":2: key 'code': LA13 is a province code but level is district "
                      "(line 3); use a district code like LA1301, or set level = province");
    expect_error_with("level = district", "level = centre",
                      ":2: key 'code': LA1301 is a district code but level is centre "
                      "(line 3); use a centre code like LA, or set level = district");
    expect_error_with("code = LA1301", "code = LA130",
                      ":2: key 'code': 'LA130' is not a P-code; use LA (centre), LA and "
                      "2 digits (province, e.g. LA13) or LA and 4 digits (district, "
                      "e.g. LA1301)");
    expect_error_with("code = LA1301", "code = la1301",
                      ":2: key 'code': 'la1301' is not a P-code; use LA (centre), LA and "
                      "2 digits (province, e.g. LA13) or LA and 4 digits (district, "
                      "e.g. LA1301)");

    /* A province office and the centre load with matching codes. */
    for (i = 0; i < 2; i++) {
        char *first = with("code = LA1301", codes[i]);

        text = replace(first, "level = district", lvls[i]);
        free(first);
        c = load_text(text);
        free(text);
        if (!c)
            fail_msg("%s", err_msg());
        assert_int_equal(c->level, i ? LEVEL_CENTRE : LEVEL_PROVINCE);
        assert_string_equal(c->office_code, i ? "LA" : "LA13");
        config_free(c);
    }
}

static void test_crlf_file_loads(void **state)
{
    struct sbuf b = {0};
    struct config *c;
    const char *p;

    (void)state;
    for (p = base; *p; p++) {
        if (*p == '\n')
            sbuf_addc(&b, '\r');
        sbuf_addc(&b, *p);
    }
    c = load_text(sbuf_str(&b));
    sbuf_free(&b);
    if (!c)
        fail_msg("%s", err_msg());
    assert_string_equal(c->office_name, "Kaysone Phomvihane District Office");
    assert_int_equal(c->min_cell, 5);
    config_free(c);
}

static void test_byte_order_mark(void **state)
{
    char *text = xasprintf("\xEF\xBB\xBF%s", base);

    (void)state;
    expect_error(text, ":1: the file starts with a byte-order mark; "
                 "save it as UTF-8 without BOM");
    free(text);
}

static void test_config_path_precedence(void **state)
{
    (void)state;
    unsetenv("TIPDESK_CONFIG");
    assert_string_equal(config_path(NULL), "./config.ini");
    assert_string_equal(config_path(""), "./config.ini");
    setenv("TIPDESK_CONFIG", "/etc/tipdesk/office.ini", 1);
    assert_string_equal(config_path(NULL), "/etc/tipdesk/office.ini");
    assert_string_equal(config_path("mine.ini"), "mine.ini");
    setenv("TIPDESK_CONFIG", "", 1);
    assert_string_equal(config_path(NULL), "./config.ini");
    unsetenv("TIPDESK_CONFIG");
}

/* The audit user is whoever logs in, never the account named by $USER. */
static void test_user_not_from_env(void **state)
{
    struct config *c;

    (void)state;
    setenv("USER", "someone_else", 1);
    c = load_text(base);
    assert_non_null(c);
    assert_null(c->user);
    config_free(c);
}

static void test_level_names(void **state)
{
    (void)state;
    assert_string_equal(config_level_name(LEVEL_DISTRICT), "district");
    assert_string_equal(config_level_name(LEVEL_PROVINCE), "province");
    assert_string_equal(config_level_name(LEVEL_CENTRE), "centre");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_default_loads),
        cmocka_unit_test(test_shipped_config_loads),
        cmocka_unit_test(test_relative_paths_follow_config_folder),
        cmocka_unit_test(test_lao_name_intact),
        cmocka_unit_test(test_inline_comment_and_quotes),
        cmocka_unit_test(test_quote_errors),
        cmocka_unit_test(test_typo_key),
        cmocka_unit_test(test_unknown_key),
        cmocka_unit_test(test_unknown_section),
        cmocka_unit_test(test_key_case_follows_iniparser),
        cmocka_unit_test(test_octal_looking_number),
        cmocka_unit_test(test_not_a_number),
        cmocka_unit_test(test_out_of_range),
        cmocka_unit_test(test_first_letter_shortcuts_refused),
        cmocka_unit_test(test_enum_values),
        cmocka_unit_test(test_long_line),
        cmocka_unit_test(test_missing_file),
        cmocka_unit_test(test_missing_key),
        cmocka_unit_test(test_defaults_apply),
        cmocka_unit_test(test_bad_text_refused),
        cmocka_unit_test(test_empty_value),
        cmocka_unit_test(test_malformed_lines),
        cmocka_unit_test(test_key_outside_section),
        cmocka_unit_test(test_duplicates),
        cmocka_unit_test(test_code_and_level),
        cmocka_unit_test(test_crlf_file_loads),
        cmocka_unit_test(test_byte_order_mark),
        cmocka_unit_test(test_config_path_precedence),
        cmocka_unit_test(test_user_not_from_env),
        cmocka_unit_test(test_level_names),
    };

    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
