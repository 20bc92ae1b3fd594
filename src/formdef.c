/* formdef — loading the forms folder: code lists, screen texts and the three
 * forms, each file read through the scanner (formdef_scan.c) so every
 * message names FILE:LINE; then every condition's names are resolved. */
#include "formdef.h"

#include <regex.h>
#include <stdlib.h>
#include <string.h>

#include "cond.h"
#include "db.h"
#include "formdef_priv.h"
#include "text.h"
#include "util.h"

static int is_yes(const char *v)
{
    return v && (text_casecmp(v, "yes") == 0 || text_casecmp(v, "true") == 0 || strcmp(v, "1") == 0);
}

static int list_cmp(const void *a, const void *b)
{
    return strcmp(((const struct code_list *)a)->name, ((const struct code_list *)b)->name);
}

static int load_lists(struct formset *fs, const char *file)
{
    struct scan sc;
    size_t i, j;

    if (scan_file(&sc, file) < 0)
        return -1;
    fs->lists = xcalloc(sc.nsec ? sc.nsec : 1, sizeof(*fs->lists));
    for (i = 0; i < sc.nsec; i++) {
        struct code_list *l = &fs->lists[fs->nlists++];
        l->name = xstrdup(sc.secs[i].name);
        l->items = xcalloc(sc.secs[i].nkeys ? sc.secs[i].nkeys : 1, sizeof(*l->items));
        for (j = 0; j < sc.secs[i].nkeys; j++) {
            struct list_item *it = &l->items[l->n++];
            char *parts[3];
            scan_split_bar(scan_val(&sc, &sc.secs[i], sc.secs[i].keys[j].key), parts, 3);
            it->code = xstrdup(sc.secs[i].keys[j].key);
            it->label_en = parts[0];
            it->label_lo = parts[1];
            it->filter = parts[2];
            if (!*it->label_en) {
                err_set("%s:%d: list '%s': code '%s' has no label; write CODE = English | Lao",
                        file, sc.secs[i].keys[j].line, l->name, it->code);
                scan_free(&sc);
                return -1;
            }
        }
    }
    qsort(fs->lists, fs->nlists, sizeof(*fs->lists), list_cmp);
    scan_free(&sc);
    return 0;
}

static int text_cmp(const void *a, const void *b)
{
    return strcmp(((const struct ui_text *)a)->key, ((const struct ui_text *)b)->key);
}

static int load_texts(struct formset *fs, const char *file)
{
    struct scan sc;
    size_t i, j, n = 0;

    if (scan_file(&sc, file) < 0)
        return -1;
    for (i = 0; i < sc.nsec; i++)
        n += sc.secs[i].nkeys;
    fs->texts = xcalloc(n ? n : 1, sizeof(*fs->texts));
    for (i = 0; i < sc.nsec; i++)
        for (j = 0; j < sc.secs[i].nkeys; j++) {
            struct ui_text *t = &fs->texts[fs->ntexts++];
            char *parts[2];
            scan_split_bar(scan_val(&sc, &sc.secs[i], sc.secs[i].keys[j].key), parts, 2);
            t->key = xasprintf("%s.%s", sc.secs[i].name, sc.secs[i].keys[j].key);
            t->en = parts[0];
            t->lo = parts[1];
        }
    qsort(fs->texts, fs->ntexts, sizeof(*fs->texts), text_cmp);
    scan_free(&sc);
    return 0;
}

static const char *const type_names[] = {
    "text", "longtext", "int", "decimal", "date", "yesno", "choice", "multi",
    "link", "child", "computed",
};
static const char *const field_keys[] = {
    "column", "label", "label_lo", "type", "list", "filter", "required", "recommended",
    "min", "max", "maxlen", "pattern", "pii", "partial_date", "help", "help_lo",
    "relevant", "compute", "readonly", "target", NULL,
};
static const char *const builtin_names[] = {
    "", "", "age_group", "participants_total", "score_gain", "screening_result",
};

/* Everything the form loader needs while reading one file. */
struct loader {
    struct formset *fs;
    struct scan *sc;
    const char *file;
};

static int allowed(const char *const *keys, const char *k)
{
    for (; *keys; keys++)
        if (strcmp(*keys, k) == 0)
            return 1;
    return 0;
}

static int field_fail(const struct loader *ld, int line, const char *id, const char *what)
{
    return err_set("%s:%d: field '%s': %s", ld->file, line, id, what);
}

static int parse_number(const char *v, double *out)
{
    char *end;

    if (!v || !*v)
        return -1;
    *out = strtod(v, &end);
    return *end ? -1 : 0;
}

static struct form *form_new(const char *name, const char *file, const struct formset *fs)
{
    struct form *fm = xcalloc(1, sizeof(*fm));

    fm->name = xstrdup(name);
    fm->file = file;
    fm->fs = fs;
    return fm;
}

/* Reads section SEC as a field of FM. */
static int load_field(struct loader *ld, struct form *fm, const struct scan_sec *sec, const char *id)
{
    struct field *f;
    const char *v;
    size_t i;

    for (i = 0; i < sec->nkeys; i++)
        if (!allowed(field_keys, sec->keys[i].key)) {
            char *m = xasprintf("unknown attribute '%s'; see the field attributes in forms/README.md",
                                sec->keys[i].key);
            field_fail(ld, sec->keys[i].line, id, m);
            free(m);
            return -1;
        }
    fm->fields = xrealloc(fm->fields, (fm->nfields + 1) * sizeof(*fm->fields));
    f = &fm->fields[fm->nfields++];
    memset(f, 0, sizeof(*f));
    f->id = xstrdup(id);
    f->file = ld->file;
    f->line = sec->line;
    f->column = xstrdup((v = scan_val(ld->sc, sec, "column")) ? v : id);
    f->label = xstrdup((v = scan_val(ld->sc, sec, "label")) ? v : id);
    f->label_lo = xstrdup((v = scan_val(ld->sc, sec, "label_lo")) ? v : "");
    f->help = xstrdup((v = scan_val(ld->sc, sec, "help")) ? v : "");
    f->help_lo = xstrdup((v = scan_val(ld->sc, sec, "help_lo")) ? v : "");
    v = scan_val(ld->sc, sec, "type");
    if (!v)
        v = "text";
    for (i = 0; i < ARRAY_LEN(type_names); i++)
        if (strcmp(type_names[i], v) == 0)
            break;
    if (i == ARRAY_LEN(type_names)) {
        char *m = xasprintf("unknown type '%s' (known: text, longtext, int, decimal, date, yesno, "
                            "choice, multi, link, child, computed)", v);
        field_fail(ld, scan_key_line(sec, "type"), id, m);
        free(m);
        return -1;
    }
    f->type = (enum field_type)i;
    f->need = is_yes(scan_val(ld->sc, sec, "required")) ? NEED_REQUIRED
            : is_yes(scan_val(ld->sc, sec, "recommended")) ? NEED_RECOMMENDED : NEED_OPTIONAL;
    f->pii = is_yes(scan_val(ld->sc, sec, "pii"));
    f->partial_date = is_yes(scan_val(ld->sc, sec, "partial_date"));
    f->readonly = is_yes(scan_val(ld->sc, sec, "readonly")) || f->type == FT_COMPUTED;
    if ((v = scan_val(ld->sc, sec, "min"))) {
        if (parse_number(v, &f->min) < 0)
            return field_fail(ld, scan_key_line(sec, "min"), id, "min is not a number");
        f->has_min = 1;
    }
    if ((v = scan_val(ld->sc, sec, "max"))) {
        if (parse_number(v, &f->max) < 0)
            return field_fail(ld, scan_key_line(sec, "max"), id, "max is not a number");
        f->has_max = 1;
    }
    if ((v = scan_val(ld->sc, sec, "maxlen"))) {
        long n;
        if (util_parse_long(v, &n) < 0 || n < 1 || n > 100000)
            return field_fail(ld, scan_key_line(sec, "maxlen"), id, "maxlen must be a whole number from 1 to 100000");
        f->maxlen = (int)n;
    }
    if ((v = scan_val(ld->sc, sec, "pattern"))) {
        f->pattern = xstrdup(v);
        if (strcmp(v, "digits") && strcmp(v, "phone")) {
            regex_t *re = xmalloc(sizeof(*re));
            if (regcomp(re, v, REG_EXTENDED | REG_NOSUB) != 0) {
                free(re);
                return field_fail(ld, scan_key_line(sec, "pattern"), id,
                                  "pattern is not a valid regular expression");
            }
            f->priv = re;
        }
    }
    if ((v = scan_val(ld->sc, sec, "list"))) {
        f->list = formset_list(ld->fs, v);
        if (!f->list) {
            char *m = xasprintf("no such list '%s' in lists.ini", v);
            field_fail(ld, scan_key_line(sec, "list"), id, m);
            free(m);
            return -1;
        }
    } else if (f->type == FT_CHOICE || f->type == FT_MULTI) {
        return field_fail(ld, sec->line, id, "a choice needs 'list = NAME'");
    }
    if ((v = scan_val(ld->sc, sec, "filter")))
        f->filter = xstrdup(v);
    if ((v = scan_val(ld->sc, sec, "target")))
        f->target = xstrdup(v);
    if ((v = scan_val(ld->sc, sec, "relevant"))) {
        f->relevant = cond_parse(v);
        f->relevant_src = xstrdup(v);
        if (!f->relevant) {
            char *m = xasprintf("relevant: %s", err_msg());
            field_fail(ld, scan_key_line(sec, "relevant"), id, m);
            free(m);
            return -1;
        }
    }
    if ((v = scan_val(ld->sc, sec, "compute"))) {
        for (i = FC_AGE_GROUP; i < ARRAY_LEN(builtin_names); i++)
            if (strcmp(builtin_names[i], v) == 0)
                f->calc = (enum field_calc)i;
        if (!f->calc) {
            f->calc = FC_EXPR;
            f->compute = cond_parse(v);
            if (!f->compute) {
                char *m = xasprintf("compute: %s", err_msg());
                field_fail(ld, scan_key_line(sec, "compute"), id, m);
                free(m);
                return -1;
            }
        }
    }
    if (f->type == FT_CHILD) {
        f->child = form_new(id, ld->file, ld->fs);
        f->child->title = xstrdup(f->label);
        f->child->title_lo = xstrdup(f->label_lo);
    }
    return 0;
}

/* Reads [section.ID] (or [CHILD.section.ID]): a page of FM starting with
 * the next field. */
static void load_section(struct loader *ld, struct form *fm, const struct scan_sec *sec,
                         const char *id)
{
    struct form_section *s;
    const char *v;

    fm->sections = xrealloc(fm->sections, (fm->nsections + 1) * sizeof(*fm->sections));
    s = &fm->sections[fm->nsections++];
    s->id = xstrdup(id);
    s->title = xstrdup((v = scan_val(ld->sc, sec, "title")) ? v : s->id);
    s->title_lo = xstrdup((v = scan_val(ld->sc, sec, "title_lo")) ? v : "");
    s->first = fm->nfields;
    s->count = 0;
}

/* Every field lies in exactly one section: the fields before the first
 * [section.X] (all fields of a form that has none, as child forms usually
 * do) form a section of their own titled as the form, so that screens can
 * draw and page any form by its sections. */
static void cover_sections(struct form *fm)
{
    size_t lead = fm->nsections ? fm->sections[0].first : fm->nfields, s, i;

    if (lead > 0) {
        fm->sections = xrealloc(fm->sections, (fm->nsections + 1) * sizeof(*fm->sections));
        memmove(fm->sections + 1, fm->sections, fm->nsections * sizeof(*fm->sections));
        fm->nsections++;
        fm->sections[0] = (struct form_section){
            xstrdup(fm->name), xstrdup(fm->title ? fm->title : fm->name),
            xstrdup(fm->title_lo ? fm->title_lo : ""), 0, lead
        };
    }
    for (s = 0; s < fm->nsections; s++)
        for (i = fm->sections[s].first; i < fm->sections[s].first + fm->sections[s].count; i++)
            fm->fields[i].section = s;
}

static int load_check(struct loader *ld, struct form *fm, const struct scan_sec *sec, const char *id)
{
    static const char *const keys[] = {"cond", "message", "message_lo", "level", NULL};
    struct form_check *c;
    const char *v;
    size_t i;

    for (i = 0; i < sec->nkeys; i++)
        if (!allowed(keys, sec->keys[i].key))
            return err_set("%s:%d: check '%s': unknown attribute '%s' (known: cond, message, "
                           "message_lo, level)", ld->file, sec->keys[i].line, id, sec->keys[i].key);
    fm->checks = xrealloc(fm->checks, (fm->nchecks + 1) * sizeof(*fm->checks));
    c = &fm->checks[fm->nchecks++];
    memset(c, 0, sizeof(*c));
    c->id = xstrdup(id);
    c->line = sec->line;
    c->field = -1;
    c->message = xstrdup((v = scan_val(ld->sc, sec, "message")) ? v : id);
    c->message_lo = xstrdup((v = scan_val(ld->sc, sec, "message_lo")) ? v : "");
    v = scan_val(ld->sc, sec, "level");
    if (!v || strcmp(v, "error") == 0)
        c->level = ISSUE_ERROR;
    else if (strcmp(v, "warning") == 0)
        c->level = ISSUE_WARNING;
    else
        return err_set("%s:%d: check '%s': level must be error or warning", ld->file,
                       scan_key_line(sec, "level"), id);
    if (!(v = scan_val(ld->sc, sec, "cond")))
        return err_set("%s:%d: check '%s': no cond; write cond = what must hold", ld->file, sec->line, id);
    c->cond = cond_parse(v);
    if (!c->cond)
        return err_set("%s:%d: check '%s': cond: %s", ld->file, scan_key_line(sec, "cond"), id, err_msg());
    return 0;
}

static struct form *child_form(struct form *fm, const char *id)
{
    int i = form_field_index(fm, id);

    return i >= 0 ? fm->fields[i].child : NULL;
}

/* Reads a form file: [form], [section.X], [check.X], fields, and child
 * fields [C.X] / checks [C.check.X] of a child field C. */
static struct form *load_form(struct formset *fs, const char *file)
{
    struct scan sc;
    struct loader ld = {fs, &sc, file};
    struct form *fm;
    size_t i;
    const char *v;

    if (scan_file(&sc, file) < 0)
        return NULL;
    fm = form_new("", file, fs);
    for (i = 0; i < sc.nsec; i++) {
        const struct scan_sec *sec = &sc.secs[i];
        const char *name = sec->name, *dot = strchr(name, '.');
        if (strcmp(name, "form") == 0) {
            if (!(v = scan_val(&sc, sec, "table"))) {
                err_set("%s:%d: [form] needs 'table = cases|prosecutions|events'", file, sec->line);
                goto bad;
            }
            free(fm->name);
            fm->name = xstrdup(v);
            fm->table = xstrdup(v);
            fm->title = xstrdup((v = scan_val(&sc, sec, "title")) ? v : fm->name);
            fm->title_lo = xstrdup((v = scan_val(&sc, sec, "title_lo")) ? v : "");
        } else if (strncmp(name, "section.", 8) == 0) {
            load_section(&ld, fm, sec, name + 8);
        } else if (strncmp(name, "check.", 6) == 0) {
            if (load_check(&ld, fm, sec, name + 6) < 0)
                goto bad;
        } else if (!dot) {
            if (form_field_index(fm, name) >= 0) {
                err_set("%s:%d: field '%s' is defined twice", file, sec->line, name);
                goto bad;
            }
            if (load_field(&ld, fm, sec, name) < 0)
                goto bad;
            if (fm->nsections)
                fm->sections[fm->nsections - 1].count++;
        } else {
            char *cid = xstrndup(name, (size_t)(dot - name));
            struct form *kid = child_form(fm, cid);
            int r;
            if (!kid) {
                err_set("%s:%d: section [%s]: '%s' is not a field of type child above it", file,
                        sec->line, name, cid);
                free(cid);
                goto bad;
            }
            free(cid);
            r = 0;
            if (strncmp(dot + 1, "section.", 8) == 0)
                load_section(&ld, kid, sec, dot + 9);
            else if (strncmp(dot + 1, "check.", 6) == 0)
                r = load_check(&ld, kid, sec, dot + 7);
            else if ((r = load_field(&ld, kid, sec, dot + 1)) == 0 && kid->nsections)
                kid->sections[kid->nsections - 1].count++;
            if (r < 0)
                goto bad;
        }
    }
    if (!fm->table) {
        err_set("%s: no [form] section; add [form] with table = ...", file);
        goto bad;
    }
    scan_free(&sc);
    return fm;
bad:
    scan_free(&sc);
    form_free(fm);
    return NULL;
}

struct ref_check {
    const struct form *fm;
    const char *bad;
};

static void ref_one(void *arg, const char *id)
{
    struct ref_check *rc = arg;

    /* "status" is every record's own column, usable without a field. */
    if (!rc->bad && form_field_index(rc->fm, id) < 0 && strcmp(id, "status") != 0)
        rc->bad = id;
}

static void first_field(void *arg, const char *id)
{
    struct ref_check *rc = arg;

    if (!rc->bad)
        rc->bad = id;
}

/* Every name a condition uses must be a field of the same form. */
static int resolve(struct form *fm)
{
    size_t i;

    cover_sections(fm);
    for (i = 0; i < fm->nfields; i++) {
        struct field *f = &fm->fields[i];
        struct ref_check rc = {fm, NULL};
        if (f->filter && form_field_index(fm, f->filter) < 0)
            return err_set("%s:%d: field '%s': filter names no field '%s' of this form",
                           f->file, f->line, f->id, f->filter);
        cond_each_field(f->relevant, ref_one, &rc);
        if (rc.bad)
            return err_set("%s:%d: field '%s': relevant: no field '%s' in this form",
                           f->file, f->line, f->id, rc.bad);
        cond_each_field(f->compute, ref_one, &rc);
        if (rc.bad)
            return err_set("%s:%d: field '%s': compute: no field '%s' in this form",
                           f->file, f->line, f->id, rc.bad);
        if (f->child) {
            if (!f->child->nfields)
                return err_set("%s:%d: field '%s': a child list needs fields; add [%s.ID] below it",
                               f->file, f->line, f->id, f->id);
            f->child->table = xstrdup(f->column);
            f->child->parent = fm;
            if (resolve(f->child) < 0)
                return -1;
        }
    }
    for (i = 0; i < fm->nchecks; i++) {
        struct form_check *c = &fm->checks[i];
        struct ref_check rc = {fm, NULL};
        cond_each_field(c->cond, ref_one, &rc);
        if (rc.bad)
            return err_set("%s:%d: check '%s': no field '%s' in this form", fm->file, c->line,
                           c->id, rc.bad);
        rc.bad = NULL;
        cond_each_field(c->cond, first_field, &rc);
        c->field = rc.bad ? form_field_index(fm, rc.bad) : -1;
    }
    return 0;
}

static const char *const form_files[] = {"case.ini", "prosecution.ini", "event.ini"};
static const char *const form_tables[] = {"cases", "prosecutions", "events"};

struct formset *formset_load(const char *dir)
{
    struct formset *fs = xcalloc(1, sizeof(*fs));
    size_t i;

    fs->dir = xstrdup(dir);
    fs->files[0] = xasprintf("%s/lists.ini", dir);
    fs->files[1] = xasprintf("%s/ui.ini", dir);
    for (i = 0; i < 3; i++)
        fs->files[2 + i] = xasprintf("%s/%s", dir, form_files[i]);
    if (load_lists(fs, fs->files[0]) < 0 || load_texts(fs, fs->files[1]) < 0)
        goto bad;
    for (i = 0; i < 3; i++) {
        fs->forms[i] = load_form(fs, fs->files[2 + i]);
        if (!fs->forms[i] || resolve(fs->forms[i]) < 0)
            goto bad;
        if (strcmp(fs->forms[i]->table, form_tables[i]) != 0) {
            err_set("%s: [form] table must be '%s'", fs->files[2 + i], form_tables[i]);
            goto bad;
        }
    }
    return fs;
bad:
    formset_free(fs);
    return NULL;
}

static int check_form_db(const struct form *fm, struct db *db)
{
    size_t i;

    for (i = 0; i < fm->nfields; i++) {
        const struct field *f = &fm->fields[i];
        const char *colon = strchr(f->column, ':');
        if (f->type == FT_CHILD) {
            if (!db_has_column(db, f->column, "id"))
                return err_set("%s:%d: field '%s': no such table %s", f->file, f->line, f->id, f->column);
            if (check_form_db(f->child, db) < 0)
                return -1;
        } else if (colon) {
            /* Items of a child table with item/answer rows (the screening). */
            char *t = xstrndup(f->column, (size_t)(colon - f->column));
            int ok = db_has_column(db, t, "item") && db_has_column(db, t, "answer");
            free(t);
            if (!ok)
                return err_set("%s:%d: field '%s': no such item table %s", f->file, f->line, f->id, f->column);
        } else if (!db_has_column(db, fm->table, f->column)) {
            return err_set("%s:%d: field '%s': no such column %s.%s", f->file, f->line, f->id,
                           fm->table, f->column);
        }
    }
    return 0;
}

int formset_check_db(const struct formset *fs, struct db *db)
{
    size_t i;

    for (i = 0; i < 3; i++)
        if (check_form_db(fs->forms[i], db) < 0)
            return -1;
    return 0;
}

int formset_save_labels(const struct formset *fs, struct db *db)
{
    struct db_stmt *st = NULL;
    size_t i, j;
    int rc = -1;

    if (db_begin(db) < 0)
        return -1;
    if (db_exec(db, "DELETE FROM code_label") < 0)
        goto out;
    if (!(st = db_prepare(db, "INSERT INTO code_label (list, code, label_en, label_lo)"
                              " VALUES (?1, ?2, ?3, ?4)", 0)))
        goto out;
    for (i = 0; i < fs->nlists; i++)
        for (j = 0; j < fs->lists[i].n; j++) {
            const struct list_item *it = &fs->lists[i].items[j];

            db_bind_text(st, 1, fs->lists[i].name);
            db_bind_text(st, 2, it->code);
            db_bind_text(st, 3, it->label_en);
            db_bind_text(st, 4, list_item_label(it, "lo"));
            if (db_step(st) < 0)
                goto out;
            db_reset(st);
        }
    rc = db_commit(db);
out:
    db_finalize(st);
    if (rc < 0)
        db_rollback(db);
    return rc;
}
