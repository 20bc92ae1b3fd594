#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <iniparser.h>

#include "config.h"
#include "text.h"
#include "util.h"

/* iniparser reads lines into a 1024-byte buffer: 1023 bytes with the newline. */
#define LINE_LIMIT 1023

enum key_kind { K_CODE, K_LEVEL, K_TEXT, K_PATH, K_INT, K_LANG, K_DATEFMT, K_COLOR };

struct key_def {
    const char *section, *key;
    enum key_kind kind;
    const char *example;    /* shown when the value is wrong */
    int lo, hi;             /* range of K_INT */
    const char *fallback;   /* taken when the key is left out; NULL: required */
};

/* Only the office code has no default: two offices that both forgot it would
 * number their records alike.  A level left out is the one the code implies
 * (see set_defaults); a name left out is empty. */
static const struct key_def keys[] = {
    { "office",   "code",         K_CODE,    "LA1301",          0, 0,    NULL },
    { "office",   "level",        K_LEVEL,   "district",        0, 0,    "" },
    { "office",   "name",         K_TEXT,    "District Office", 0, 0,    "" },
    { "database", "path",         K_PATH,    "db/tipdesk.db",   0, 0,    "db/tipdesk.db" },
    { "database", "backup_dir",   K_PATH,    "db/backups",      0, 0,    "db/backups" },
    { "database", "backups_keep", K_INT,     "14",              0, 1000, "14" },
    { "forms",    "dir",          K_PATH,    "forms",           0, 0,    "forms" },
    { "ui",       "language",     K_LANG,    "en",              0, 0,    "en" },
    { "ui",       "date_format",  K_DATEFMT, "dd/mm/yyyy",      0, 0,    "dd/mm/yyyy" },
    { "ui",       "color",        K_COLOR,   "auto",            0, 0,    "auto" },
    { "export",   "dir",          K_PATH,    "exports",         0, 0,    "exports" },
    { "privacy",  "min_cell",     K_INT,     "5",               1, 1000, "5" },
};
#define NKEYS ((int)ARRAY_LEN(keys))

static const char *const sections[] = {
    "office", "database", "forms", "ui", "export", "privacy",
};
#define NSECTIONS ((int)ARRAY_LEN(sections))

static const char *const levels[] = { "district", "province", "centre" };
static const char *const colors[] = { "auto", "always", "never" };

/* What the pre-scan learnt: the line of every section and key. */
struct scan {
    const char *file;
    int sec_line[ARRAY_LEN(sections)];
    int key_line[ARRAY_LEN(keys)];
};

const char *config_path(const char *path_arg)
{
    const char *env;

    if (!util_empty(path_arg))
        return path_arg;
    env = getenv("TIPDESK_CONFIG");
    if (!util_empty(env))
        return env;
    return "./config.ini";
}

const char *config_level_name(enum office_level l)
{
    if ((int)l < 0 || (int)l >= (int)ARRAY_LEN(levels))
        return "unknown";
    return levels[l];
}

static int line_error(const char *file, int line, const char *fmt, ...)
    PRINTF_LIKE(3, 4);

static int line_error(const char *file, int line, const char *fmt, ...)
{
    char msg[768];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    /* The file's name and values quoted from it reach the terminal. */
    if (line > 0)
        return err_set("%s:%d: %s", util_printable(file), line, util_printable(msg));
    return err_set("%s: %s", util_printable(file), util_printable(msg));
}

static int is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

static char *strip(char *s)
{
    char *end;

    while (is_blank(*s))
        s++;
    end = s + strlen(s);
    while (end > s && is_blank(end[-1]))
        *--end = '\0';
    return s;
}

static void lower_ascii(char *s)
{
    for (; *s; s++)
        if (*s >= 'A' && *s <= 'Z')
            *s = (char)(*s - 'A' + 'a');
}

/* Optimal string alignment distance: a swap of two letters counts as one. */
static int edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b), i, j;
    int d[40][40], best;

    if (la >= 40 || lb >= 40)
        return 99;
    for (i = 0; i <= la; i++)
        d[i][0] = (int)i;
    for (j = 0; j <= lb; j++)
        d[0][j] = (int)j;
    for (i = 1; i <= la; i++) {
        for (j = 1; j <= lb; j++) {
            int cost = a[i - 1] != b[j - 1];

            best = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < best)
                best = d[i][j - 1] + 1;
            if (d[i - 1][j - 1] + cost < best)
                best = d[i - 1][j - 1] + cost;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]
                && d[i - 2][j - 2] + 1 < best)
                best = d[i - 2][j - 2] + 1;
            d[i][j] = best;
        }
    }
    return d[la][lb];
}

/* A typo is at most two edits away and shorter than the word itself. */
static int is_typo_of(const char *typed, const char *known)
{
    int d = edit_distance(typed, known);

    return d <= 2 && d < (int)strlen(known) && d < (int)strlen(typed);
}

static int find_section(const char *name)
{
    int i;

    for (i = 0; i < NSECTIONS; i++)
        if (strcmp(sections[i], name) == 0)
            return i;
    return -1;
}

static int find_key(const char *section, const char *key)
{
    int i;

    for (i = 0; i < NKEYS; i++)
        if (strcmp(keys[i].section, section) == 0 && strcmp(keys[i].key, key) == 0)
            return i;
    return -1;
}

static int unknown_section(const char *file, int line, const char *name)
{
    struct sbuf known = {0};
    int i, rc;

    for (i = 0; i < NSECTIONS; i++)
        if (is_typo_of(name, sections[i])) {
            return line_error(file, line, "unknown section [%s]; did you mean [%s]?",
                              name, sections[i]);
        }
    for (i = 0; i < NSECTIONS; i++)
        sbuf_addf(&known, "%s[%s]", i ? ", " : "", sections[i]);
    rc = line_error(file, line, "unknown section [%s]; the sections are %s",
                    name, sbuf_str(&known));
    sbuf_free(&known);
    return rc;
}

static int unknown_key(const char *file, int line, const char *section, const char *key)
{
    struct sbuf hint = {0};
    int i, rc;

    for (i = 0; i < NKEYS; i++)
        if (strcmp(keys[i].section, section) == 0 && is_typo_of(key, keys[i].key))
            return line_error(file, line, "unknown key '%s' in [%s]; did you mean '%s'?",
                              key, section, keys[i].key);
    /* A known key in the wrong section: say where it belongs. */
    for (i = 0; i < NKEYS; i++)
        if (strcmp(keys[i].key, key) == 0)
            sbuf_addf(&hint, "%s[%s]", hint.len ? " or " : "", keys[i].section);
    if (hint.len) {
        rc = line_error(file, line, "unknown key '%s' in [%s]; '%s' belongs in %s",
                        key, section, key, sbuf_str(&hint));
        sbuf_free(&hint);
        return rc;
    }
    for (i = 0; i < NKEYS; i++)
        if (strcmp(keys[i].section, section) == 0)
            sbuf_addf(&hint, "%s%s", hint.len ? ", " : "", keys[i].key);
    rc = line_error(file, line, "unknown key '%s' in [%s]; the keys of [%s] are %s",
                    key, section, section, sbuf_str(&hint));
    sbuf_free(&hint);
    return rc;
}

static int scan_section(struct scan *s, int line, char *text, int *cur)
{
    char *close = strchr(text, ']');
    char *name;
    int i;

    if (close && (close[1 + strspn(close + 1, " \t")] == ';'
                  || close[1 + strspn(close + 1, " \t")] == '#'))
        return line_error(s->file, line, "a comment after a section header; "
                          "put the comment on its own line");
    if (text[strlen(text) - 1] != ']')
        return line_error(s->file, line, "section header '%s' does not end with ']'; "
                          "write it as [name]", text);
    if (close != text + strlen(text) - 1)
        return line_error(s->file, line, "section header '%s' has text after ']'; "
                          "write it as [name]", text);
    *close = '\0';
    name = strip(text + 1);
    if (!*name)
        return line_error(s->file, line, "empty section name '[]'; write [name]");
    lower_ascii(name);
    i = find_section(name);
    if (i < 0)
        return unknown_section(s->file, line, name);
    if (s->sec_line[i])
        return line_error(s->file, line, "section [%s] appears twice (first at line %d); "
                          "merge the two", name, s->sec_line[i]);
    s->sec_line[i] = line;
    *cur = i;
    return 0;
}

/* Checks the value's quoting the way iniparser reads it: a quoted value ends
 * at its closing quote, after which only a comment may follow. */
static int scan_quotes(const struct scan *s, int line, const char *key, const char *v)
{
    const char *end;

    if (*v != '"' && *v != '\'')
        return 0;
    end = strchr(v + 1, *v);
    if (!end)
        return line_error(s->file, line, "key '%s': the quote %c is not closed; "
                          "add %c at the end of the value", key, *v, *v);
    end++;
    while (is_blank(*end))
        end++;
    if (*end && *end != ';' && *end != '#')
        return line_error(s->file, line, "key '%s': text after the closing quote; "
                          "put the whole value inside the quotes", key);
    return 0;
}

static int scan_key(struct scan *s, int line, char *text, int cur)
{
    char *eq = strchr(text, '=');
    char *key;
    int i;

    if (!eq)
        return line_error(s->file, line, "'%s' is not a [section], 'key = value' or "
                          "comment; write 'key = value'", text);
    *eq = '\0';
    key = strip(text);
    if (!*key)
        return line_error(s->file, line, "a value without a key; write 'key = value'");
    lower_ascii(key);
    if (cur < 0) {
        for (i = 0; i < NKEYS; i++)
            if (strcmp(keys[i].key, key) == 0)
                return line_error(s->file, line, "key '%s' comes before any [section]; "
                                  "move it under [%s]", key, keys[i].section);
        return line_error(s->file, line, "key '%s' comes before any [section]; "
                          "put it under a [section]", key);
    }
    i = find_key(sections[cur], key);
    if (i < 0)
        return unknown_key(s->file, line, sections[cur], key);
    if (s->key_line[i])
        return line_error(s->file, line, "key '%s': set twice in [%s] (first at line %d); "
                          "keep one", key, sections[cur], s->key_line[i]);
    s->key_line[i] = line;
    return scan_quotes(s, line, key, strip(eq + 1));
}

static int scan_line(struct scan *s, int line, char *text, int *cur)
{
    text = strip(text);
    if (*text && text[strlen(text) - 1] == '\\')
        return line_error(s->file, line, "the line ends with '\\', which joins it to the "
                          "next line; remove the backslash");
    if (!*text || *text == ';' || *text == '#')
        return 0;
    if (*text == '[')
        return scan_section(s, line, text, cur);
    return scan_key(s, line, text, *cur);
}

/* Reads FILE line by line and checks what iniparser would silently accept,
 * misread or reject without a line number. */
static int scan_file(struct scan *s)
{
    size_t len, pos = 0;
    char *buf = util_read_file(s->file, &len);
    int line = 0, cur = -1, rc = 0;

    if (!buf)
        return -1;
    if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0) {
        rc = line_error(s->file, 1, "the file starts with a byte-order mark; "
                        "save it as UTF-8 without BOM");
        goto out;
    }
    while (pos < len && rc == 0) {
        char *nl = memchr(buf + pos, '\n', len - pos);
        size_t n = nl ? (size_t)(nl - (buf + pos)) : len - pos;

        line++;
        if (n + 1 > LINE_LIMIT) {
            rc = line_error(s->file, line, "line too long (%zu bytes, the limit is %d); "
                            "shorten it", n + 1, LINE_LIMIT);
            break;
        }
        buf[pos + n] = '\0';
        if (strlen(buf + pos) != n)
            rc = line_error(s->file, line, "the line holds a NUL byte; "
                            "save the file as UTF-8 text");
        else
            rc = scan_line(s, line, buf + pos, &cur);
        pos += n + 1;
    }
out:
    free(buf);
    return rc;
}

static int key_error(const struct scan *s, int i, const char *fmt, ...) PRINTF_LIKE(3, 4);

static int key_error(const struct scan *s, int i, const char *fmt, ...)
{
    char msg[768];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    return line_error(s->file, s->key_line[i], "key '%s': %s", keys[i].key, msg);
}

static int check_present(const struct scan *s)
{
    int i, sec;

    for (i = 0; i < NKEYS; i++) {
        if (s->key_line[i] || keys[i].fallback)
            continue;
        sec = find_section(keys[i].section);
        if (!s->sec_line[sec])
            return line_error(s->file, 0, "key '%s' missing: there is no [%s] section; "
                              "add [%s] with '%s = %s'", keys[i].key, keys[i].section,
                              keys[i].section, keys[i].key, keys[i].example);
        return line_error(s->file, 0, "key '%s' missing from [%s]; add '%s = %s' under [%s]",
                          keys[i].key, keys[i].section, keys[i].key, keys[i].example,
                          keys[i].section);
    }
    return 0;
}

static int pick(const struct scan *s, int i, const char *v,
                const char *const *names, int n, const char *hint)
{
    int j;

    for (j = 0; j < n; j++)
        if (strcasecmp(v, names[j]) == 0)
            return j;
    return key_error(s, i, "'%s' is not allowed; use %s", v, hint);
}

/* Plain decimal only: iniparser_getint would read 010 as octal 8. */
static int parse_number(const struct scan *s, int i, const char *v, int *out)
{
    const char *d = v + (*v == '-');
    size_t n = strspn(d, "0123456789");
    long val;

    if (n == 0 || d[n] != '\0')
        return key_error(s, i, "'%s' is not a whole number; write digits only, e.g. %s",
                         v, keys[i].example);
    if (d[0] == '0' && n > 1) {
        size_t z = strspn(d, "0");

        if (z == n)
            z--;
        return key_error(s, i, "write %.*s%s, not %s: leading zeros are not allowed",
                         d != v ? 1 : 0, v, d + z, v);
    }
    if (n > 9 || util_parse_long(v, &val) < 0 || val < keys[i].lo || val > keys[i].hi)
        return key_error(s, i, "%s is out of range; use a number from %d to %d",
                         v, keys[i].lo, keys[i].hi);
    *out = (int)val;
    return 0;
}

/* LA, LA## or LA####: returns the level the code implies, or -1. */
static int code_level(const char *v)
{
    size_t n = strlen(v);

    if (n < 2 || v[0] != 'L' || v[1] != 'A' || strspn(v + 2, "0123456789") != n - 2)
        return -1;
    if (n == 2)
        return LEVEL_CENTRE;
    if (n == 4)
        return LEVEL_PROVINCE;
    if (n == 6)
        return LEVEL_DISTRICT;
    return -1;
}

static char *resolve(const char *dir, const char *path)
{
    if (path[0] == '/')
        return xstrdup(path);
    return xasprintf("%s/%s", dir, path);
}

/* Values reach the title bar, file names and messages: only printable
 * UTF-8.  The value is not echoed, as it may hold terminal escapes. */
static int check_text(const struct scan *s, int i, const char *v)
{
    const unsigned char *p;

    if (!text_valid(v))
        return key_error(s, i, "the value is not valid UTF-8; save the file as UTF-8");
    for (p = (const unsigned char *)v; *p; p++)
        if (*p < 0x20 || *p == 0x7f || (p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f))
            return key_error(s, i, "the value holds a control character (byte %ld); "
                             "remove it", (long)(p - (const unsigned char *)v) + 1);
    return 0;
}

static int set_value(struct config *c, const struct scan *s, int i, const char *v)
{
    const struct key_def *k = &keys[i];
    char **slot = NULL;
    int r;

    if (!*v && s->key_line[i])
        return key_error(s, i, "the value is empty; write e.g. '%s = %s'",
                         k->key, k->example);
    if (check_text(s, i, v) < 0)
        return -1;
    switch (k->kind) {
    case K_CODE:
        if (code_level(v) < 0)
            return key_error(s, i, "'%s' is not a P-code; use LA (centre), LA and 2 digits "
                             "(province, e.g. LA13) or LA and 4 digits (district, "
                             "e.g. LA1301)", v);
        c->office_code = xstrdup(v);
        return 0;
    case K_LEVEL:
        if (!*v) {
            c->level = (enum office_level)code_level(c->office_code);
            return 0;
        }
        if ((r = pick(s, i, v, levels, 3, "district, province or centre")) < 0)
            return -1;
        c->level = (enum office_level)r;
        return 0;
    case K_TEXT:
        c->office_name = xstrdup(v);
        return 0;
    case K_PATH:
        if (strcmp(k->section, "database") == 0)
            slot = strcmp(k->key, "path") == 0 ? &c->db_path : &c->backup_dir;
        else
            slot = strcmp(k->section, "forms") == 0 ? &c->forms_dir : &c->export_dir;
        *slot = resolve(c->dir, v);
        return 0;
    case K_INT:
        return parse_number(s, i, v, strcmp(k->key, "min_cell") == 0
                                     ? &c->min_cell : &c->backups_keep);
    case K_LANG: {
        static const char *const langs[] = { "en", "lo" };

        if ((r = pick(s, i, v, langs, 2, "en or lo")) < 0)
            return -1;
        c->language = xstrdup(langs[r]);
        return 0;
    }
    case K_DATEFMT: {
        static const char *const fmts[] = { "yyyy-mm-dd", "dd/mm/yyyy" };

        if ((r = pick(s, i, v, fmts, 2, "dd/mm/yyyy or yyyy-mm-dd")) < 0)
            return -1;
        c->date_dmy = r;
        return 0;
    }
    case K_COLOR:
        if ((r = pick(s, i, v, colors, 3, "auto, always or never")) < 0)
            return -1;
        c->color = (enum color_mode)r;
        return 0;
    }
    return 0;
}

static int check_code_level(const struct config *c, const struct scan *s)
{
    static const char *const examples[] = { "LA1301", "LA13", "LA" };
    int want = code_level(c->office_code);

    if (want == (int)c->level)
        return 0;
    return key_error(s, 0, "%s is a %s code but level is %s (line %d); use a %s code "
                     "like %s, or set level = %s", c->office_code, levels[want],
                     levels[c->level], s->key_line[1], levels[c->level],
                     examples[c->level], levels[want]);
}

/* iniparser reports load errors on stderr; ours carry the line instead. */
static int silent(const char *fmt, ...)
{
    (void)fmt;
    return 0;
}

struct config *config_load(const char *path)
{
    struct scan s;
    struct config *c = NULL;
    dictionary *d = NULL;
    int i;

    memset(&s, 0, sizeof(s));
    s.file = path;
    if (scan_file(&s) < 0 || check_present(&s) < 0)
        return NULL;
    iniparser_set_error_callback(silent);
    d = iniparser_load(path);
    iniparser_set_error_callback(NULL);
    if (!d) {
        line_error(path, 0, "cannot be read as an INI file; check it against "
                   "the config.ini that comes with tipdesk");
        return NULL;
    }
    c = xcalloc(1, sizeof(*c));
    c->file = xstrdup(path);
    c->dir = util_dir_alloc(path);
    for (i = 0; i < NKEYS; i++) {
        char *name = xasprintf("%s:%s", keys[i].section, keys[i].key);
        const char *v = iniparser_getstring(d, name, NULL);
        int rc;

        free(name);
        if (!s.key_line[i])
            v = keys[i].fallback;
        rc = set_value(c, &s, i, v ? v : "");
        if (rc < 0)
            goto fail;
    }
    if (check_code_level(c, &s) < 0)
        goto fail;
    iniparser_freedict(d);
    return c;
fail:
    iniparser_freedict(d);
    config_free(c);
    return NULL;
}

void config_free(struct config *c)
{
    if (!c)
        return;
    free(c->file);
    free(c->dir);
    free(c->office_code);
    free(c->office_name);
    free(c->db_path);
    free(c->backup_dir);
    free(c->forms_dir);
    free(c->language);
    free(c->export_dir);
    free(c->user);
    free(c);
}
