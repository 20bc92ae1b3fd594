/* formdef_scan — the line scanner under every forms file.  iniparser
 * lower-cases keys, forgets line numbers and accepts some broken lines, so
 * each file is first read line by line for its sections and keys (with their
 * lines and the case they were written in); values then come from iniparser. */
#include <iniparser.h>
#include <stdlib.h>
#include <string.h>

#include "formdef_priv.h"
#include "text.h"
#include "util.h"

void scan_free(struct scan *sc)
{
    size_t i, j;

    for (i = 0; i < sc->nsec; i++) {
        for (j = 0; j < sc->secs[i].nkeys; j++)
            free(sc->secs[i].keys[j].key);
        free(sc->secs[i].keys);
        free(sc->secs[i].name);
    }
    free(sc->secs);
    if (sc->d)
        iniparser_freedict(sc->d);
    memset(sc, 0, sizeof(*sc));
}

static char *trim_alloc(const char *s, size_t n)
{
    while (n && (*s == ' ' || *s == '\t')) {
        s++;
        n--;
    }
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
        n--;
    return xstrndup(s, n);
}

static int silent(const char *fmt, ...)
{
    (void)fmt;
    return 0;
}

/* Reads FILE: sections and keys with their lines, then the values. */
int scan_file(struct scan *sc, const char *file)
{
    size_t len, i = 0;
    int line = 0;
    char *text = util_read_file(file, &len);

    memset(sc, 0, sizeof(*sc));
    sc->file = file;
    if (!text)
        return err_set("%s: cannot read the forms file (%s); check the [forms] dir in config.ini",
                       file, err_msg());
    if (!text_valid_n(text, len)) {
        free(text);
        return err_set("%s: not UTF-8 text; save the file as UTF-8", file);
    }
    while (i < len) {
        size_t e = i, n;
        const char *s;
        line++;
        while (e < len && text[e] != '\n')
            e++;
        s = text + i;
        n = e - i;
        i = e + 1;
        while (n && (*s == ' ' || *s == '\t')) {
            s++;
            n--;
        }
        if (n > 1022) {
            err_set("%s:%d: line longer than 1022 bytes; split the value", file, line);
            goto bad;
        }
        if (n == 0 || *s == ';' || *s == '#' || *s == '\r')
            continue;
        if (*s == '[') {
            const char *close = memchr(s, ']', n);
            struct scan_sec *sec;
            size_t k;
            if (!close) {
                err_set("%s:%d: section header without ']'; write [name]", file, line);
                goto bad;
            }
            sc->secs = xrealloc(sc->secs, (sc->nsec + 1) * sizeof(*sc->secs));
            sec = &sc->secs[sc->nsec++];
            memset(sec, 0, sizeof(*sec));
            sec->name = trim_alloc(s + 1, (size_t)(close - s - 1));
            sec->line = line;
            for (k = 0; sec->name[k]; k++) {
                char c = sec->name[k];
                if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.')) {
                    err_set("%s:%d: section [%s]: use lower-case letters, digits, '_' and '.' only",
                            file, line, sec->name);
                    goto bad;
                }
            }
            for (k = 0; k + 1 < sc->nsec; k++)
                if (strcmp(sc->secs[k].name, sec->name) == 0) {
                    err_set("%s:%d: section [%s] appears twice (first at line %d); merge them",
                            file, line, sec->name, sc->secs[k].line);
                    goto bad;
                }
        } else {
            const char *eq = memchr(s, '=', n);
            struct scan_sec *sec;
            struct scan_key *key;
            size_t k;
            if (!eq) {
                err_set("%s:%d: cannot read this line; write 'key = value' or '[section]'", file, line);
                goto bad;
            }
            if (!sc->nsec) {
                err_set("%s:%d: a key before any [section]; add a section header", file, line);
                goto bad;
            }
            sec = &sc->secs[sc->nsec - 1];
            sec->keys = xrealloc(sec->keys, (sec->nkeys + 1) * sizeof(*sec->keys));
            key = &sec->keys[sec->nkeys++];
            key->key = trim_alloc(s, (size_t)(eq - s));
            key->line = line;
            if (!*key->key) {
                err_set("%s:%d: a value without a key; write 'key = value'", file, line);
                goto bad;
            }
            for (k = 0; k + 1 < sec->nkeys; k++)
                if (text_casecmp(sec->keys[k].key, key->key) == 0) {
                    err_set("%s:%d: key '%s' appears twice in [%s] (first at line %d); keep one",
                            file, line, key->key, sec->name, sec->keys[k].line);
                    goto bad;
                }
        }
    }
    free(text);
    iniparser_set_error_callback(silent);
    sc->d = iniparser_load(file);
    iniparser_set_error_callback(NULL);
    if (!sc->d) {
        scan_free(sc);
        return err_set("%s: cannot be read as an ini file; check quotes and brackets", file);
    }
    return 0;
bad:
    free(text);
    scan_free(sc);
    return -1;
}

/* The value of KEY in section SEC (NULL when absent); borrowed from the dictionary. */
const char *scan_val(const struct scan *sc, const struct scan_sec *sec, const char *key)
{
    char *name = xasprintf("%s:%s", sec->name, key);
    const char *v;
    size_t i;

    for (i = 0; name[i]; i++)
        if (name[i] >= 'A' && name[i] <= 'Z')
            name[i] = (char)(name[i] + 32);
    v = iniparser_getstring(sc->d, name, NULL);
    free(name);
    return v;
}

/* Splits "English | Lao | extra" into up to N trimmed parts (missing: ""). */
void scan_split_bar(const char *v, char **out, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        const char *bar = v ? strchr(v, '|') : NULL;
        if (!v) {
            out[i] = xstrdup("");
            continue;
        }
        out[i] = trim_alloc(v, bar ? (size_t)(bar - v) : strlen(v));
        v = bar ? bar + 1 : NULL;
    }
}

int scan_key_line(const struct scan_sec *sec, const char *key)
{
    size_t i;

    for (i = 0; i < sec->nkeys; i++)
        if (text_casecmp(sec->keys[i].key, key) == 0)
            return sec->keys[i].line;
    return sec->line;
}
