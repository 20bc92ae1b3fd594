/* Loading forms/dhis2.ini (one of the iniparser users, like config.c and
 * formdef.c): codes for the DHIS2 export, checked for completeness. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <iniparser.h>

#include "formdef_dhis2.h"
#include "util.h"

struct dhis2_map {
    int n;
    char **key;         /* "section:key" */
    char **code;
};

/* Every key the export looks up. */
static const char *const required[] = {
    "dataset:code",
    "data_element:victims_identified", "data_element:victims_exploitation",
    "data_element:victims_assisted", "data_element:cases_investigated",
    "data_element:cases_prosecuted", "data_element:cases_convicted",
    "data_element:persons_investigated", "data_element:persons_prosecuted",
    "data_element:persons_convicted", "data_element:prevention_events",
    "data_element:prevention_participants", "data_element:prevention_participants_under18",
    "category_option_combo:default", "category_option_combo:female", "category_option_combo:male",
    "category_option_combo:other", "category_option_combo:unknown",
    "category_option_combo:female_under18", "category_option_combo:female_adult",
    "category_option_combo:female_age_unknown", "category_option_combo:male_under18",
    "category_option_combo:male_adult", "category_option_combo:male_age_unknown",
    "category_option_combo:other_under18", "category_option_combo:other_adult",
    "category_option_combo:other_age_unknown", "category_option_combo:unknown_under18",
    "category_option_combo:unknown_adult", "category_option_combo:unknown_age_unknown",
    "category_option_combo:forcedlabour", "category_option_combo:sexualexploitation",
    "category_option_combo:forcedmarriage", "category_option_combo:servitude",
    "category_option_combo:forcedbegging", "category_option_combo:forcedcriminality",
    "category_option_combo:organremoval", "category_option_combo:childlabour",
    "category_option_combo:other_exploitation",
};

/* Keys only ADX with category attributes needs: checked when it runs. */
static const char *const optional[] = {
    "adx_category:sex", "adx_category:age", "adx_category:exploitation",
    "adx_sex:female", "adx_sex:male", "adx_sex:other", "adx_sex:unknown",
    "adx_age:under18", "adx_age:adult", "adx_age:age_unknown",
    "adx_exploitation:forcedlabour", "adx_exploitation:sexualexploitation",
    "adx_exploitation:forcedmarriage", "adx_exploitation:servitude",
    "adx_exploitation:forcedbegging", "adx_exploitation:forcedcriminality",
    "adx_exploitation:organremoval", "adx_exploitation:childlabour",
    "adx_exploitation:other_exploitation",
};

/* An XML attribute name ADX can carry: a letter or '_', then letters,
 * digits, '_', '-' or '.', and none of the names ADX itself uses. */
static int xml_name_ok(const char *s)
{
    static const char *const taken[] = { "dataElement", "value", "categoryOptionCombo",
                                         "orgUnit", "period", "dataSet", "exported" };
    size_t i;

    if (!isalpha((unsigned char)*s) && *s != '_')
        return 0;
    for (i = 1; s[i]; i++)
        if (!isalnum((unsigned char)s[i]) && !strchr("_-.", s[i]))
            return 0;
    for (i = 0; i < ARRAY_LEN(taken); i++)
        if (strcmp(s, taken[i]) == 0)
            return 0;
    return strncasecmp(s, "xml", 3) != 0;
}

static int silent(const char *fmt, ...)
{
    (void)fmt;
    return 0;
}

/* iniparser gives no line numbers: a first pass names the bad line. */
static int scan(const char *path)
{
    size_t len;
    char *text = util_read_file(path, &len), *line, *save = NULL;
    int n = 0, rc = 0;

    if (!text)
        return -1;
    for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        char *p = line;

        n++;
        while (isspace((unsigned char)*p))
            p++;
        if (*p == '\0' || *p == ';' || *p == '#')
            continue;
        if (strlen(line) > 1000) {
            rc = err_set("%s:%d: the line is too long; keep lines under 1000 characters", path, n);
            break;
        }
        if (*p == '[' ? !strchr(p, ']') : !strchr(p, '=')) {
            rc = err_set("%s:%d: expected [section] or key = code", path, n);
            break;
        }
    }
    free(text);
    return rc;
}

struct dhis2_map *dhis2_map_load(const char *path)
{
    struct dhis2_map *m;
    dictionary *d;
    size_t i;

    if (scan(path) < 0)
        return NULL;
    iniparser_set_error_callback(silent);
    d = iniparser_load(path);
    iniparser_set_error_callback(NULL);
    if (!d) {
        err_set("%s: cannot be read as an INI file; compare it with the forms/dhis2.ini of tipdesk", path);
        return NULL;
    }
    m = xcalloc(1, sizeof(*m));
    m->key = xcalloc(ARRAY_LEN(required) + ARRAY_LEN(optional), sizeof(char *));
    m->code = xcalloc(ARRAY_LEN(required) + ARRAY_LEN(optional), sizeof(char *));
    for (i = 0; i < ARRAY_LEN(required); i++) {
        const char *v = iniparser_getstring(d, required[i], NULL);
        const char *colon = strchr(required[i], ':');

        if (util_empty(v)) {
            err_set("%s: [%.*s] %s: missing; add it with the DHIS2 code to use", path,
                    (int)(colon - required[i]), required[i], colon + 1);
            iniparser_freedict(d);
            dhis2_map_free(m);
            return NULL;
        }
        m->key[m->n] = xstrdup(required[i]);
        m->code[m->n++] = xstrdup(v);
    }
    for (i = 0; i < ARRAY_LEN(optional); i++) {
        const char *v = iniparser_getstring(d, optional[i], NULL);

        if (util_empty(v))
            continue;
        if (strncmp(optional[i], "adx_category:", 13) == 0 && !xml_name_ok(v)) {
            err_set("%s: [adx_category] %s = %s: not usable as an XML attribute name; use letters, "
                    "digits and '_' (e.g. SEX)", path, optional[i] + 13, v);
            iniparser_freedict(d);
            dhis2_map_free(m);
            return NULL;
        }
        m->key[m->n] = xstrdup(optional[i]);
        m->code[m->n++] = xstrdup(v);
    }
    iniparser_freedict(d);
    return m;
}

void dhis2_map_free(struct dhis2_map *m)
{
    int i;

    if (!m)
        return;
    for (i = 0; i < m->n; i++) {
        free(m->key[i]);
        free(m->code[i]);
    }
    free(m->key);
    free(m->code);
    free(m);
}

const char *dhis2_map_code(const struct dhis2_map *m, const char *section, const char *key)
{
    size_t sl = strlen(section);
    int i;

    for (i = 0; i < m->n; i++)
        if (strncmp(m->key[i], section, sl) == 0 && m->key[i][sl] == ':'
            && strcmp(m->key[i] + sl + 1, key) == 0)
            return m->code[i];
    return NULL;
}
