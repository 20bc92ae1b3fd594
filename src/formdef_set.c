/* formdef_set — reading a loaded formset: forms, code lists, texts and
 * labels, and freeing it all. */
#include <regex.h>
#include <stdlib.h>
#include <string.h>

#include "cond.h"
#include "formdef_priv.h"
#include "text.h"
#include "util.h"

void form_free(struct form *fm)
{
    size_t i;

    if (!fm)
        return;
    for (i = 0; i < fm->nfields; i++) {
        struct field *f = &fm->fields[i];
        free(f->id);
        free(f->column);
        free(f->label);
        free(f->label_lo);
        free(f->help);
        free(f->help_lo);
        free(f->filter);
        free(f->target);
        free(f->pattern);
        if (f->priv) {
            regfree(f->priv);
            free(f->priv);
        }
        cond_free(f->relevant);
        free(f->relevant_src);
        cond_free(f->compute);
        form_free(f->child);
    }
    free(fm->fields);
    for (i = 0; i < fm->nsections; i++) {
        free(fm->sections[i].id);
        free(fm->sections[i].title);
        free(fm->sections[i].title_lo);
    }
    free(fm->sections);
    for (i = 0; i < fm->nchecks; i++) {
        free(fm->checks[i].id);
        free(fm->checks[i].message);
        free(fm->checks[i].message_lo);
        cond_free(fm->checks[i].cond);
    }
    free(fm->checks);
    free(fm->name);
    free(fm->table);
    free(fm->title);
    free(fm->title_lo);
    free(fm);
}

void formset_free(struct formset *fs)
{
    size_t i, j;

    if (!fs)
        return;
    for (i = 0; i < 3; i++)
        form_free(fs->forms[i]);
    for (i = 0; i < fs->nlists; i++) {
        for (j = 0; j < fs->lists[i].n; j++) {
            struct list_item *it = &fs->lists[i].items[j];
            free(it->code);
            free(it->label_en);
            free(it->label_lo);
            free(it->filter);
        }
        free(fs->lists[i].items);
        free(fs->lists[i].name);
    }
    free(fs->lists);
    for (i = 0; i < fs->ntexts; i++) {
        free(fs->texts[i].key);
        free(fs->texts[i].en);
        free(fs->texts[i].lo);
    }
    free(fs->texts);
    for (i = 0; i < ARRAY_LEN(fs->files); i++)
        free(fs->files[i]);
    free(fs->dir);
    free(fs);
}

const struct form *formset_form(const struct formset *fs, const char *table)
{
    size_t i;

    for (i = 0; i < 3; i++)
        if (fs->forms[i] && strcmp(fs->forms[i]->table, table) == 0)
            return fs->forms[i];
    return NULL;
}

const char *formset_text(const struct formset *fs, const char *key, const char *lang)
{
    size_t lo = 0, hi = fs->ntexts;

    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(key, fs->texts[mid].key);
        if (c < 0) {
            hi = mid;
        } else if (c > 0) {
            lo = mid + 1;
        } else {
            const struct ui_text *t = &fs->texts[mid];
            if (lang && strcmp(lang, "lo") == 0 && *t->lo)
                return t->lo;
            return *t->en ? t->en : key;
        }
    }
    return key;
}

const struct code_list *formset_list(const struct formset *fs, const char *name)
{
    size_t lo = 0, hi = fs->nlists;

    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(name, fs->lists[mid].name);
        if (c == 0)
            return &fs->lists[mid];
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return NULL;
}

const struct list_item *list_find(const struct code_list *l, const char *code)
{
    size_t i;

    for (i = 0; l && code && i < l->n; i++)
        if (strcmp(l->items[i].code, code) == 0)
            return &l->items[i];
    return NULL;
}

const struct list_item *list_match(const struct code_list *l, const char *s)
{
    const struct list_item *it = list_find(l, s);
    size_t i;

    if (it || !l || !s)
        return it;
    for (i = 0; i < l->n; i++)
        if (text_casecmp(l->items[i].code, s) == 0 || text_casecmp(l->items[i].label_en, s) == 0 ||
            (*l->items[i].label_lo && strcmp(l->items[i].label_lo, s) == 0))
            return &l->items[i];
    return NULL;
}

const char *list_item_label(const struct list_item *it, const char *lang)
{
    if (lang && strcmp(lang, "lo") == 0 && *it->label_lo)
        return it->label_lo;
    return it->label_en;
}

const char *list_label(const struct code_list *l, const char *code, const char *lang)
{
    const struct list_item *it = list_find(l, code);

    return it ? list_item_label(it, lang) : code;
}

const char *field_label(const struct field *f, const char *lang)
{
    if (lang && strcmp(lang, "lo") == 0 && *f->label_lo)
        return f->label_lo;
    return f->label;
}

const char *field_help(const struct field *f, const char *lang)
{
    if (lang && strcmp(lang, "lo") == 0 && *f->help_lo)
        return f->help_lo;
    return f->help;
}

int form_field_index(const struct form *fm, const char *id)
{
    size_t i;

    for (i = 0; i < fm->nfields; i++)
        if (strcmp(fm->fields[i].id, id) == 0)
            return (int)i;
    return -1;
}
