/* CSV export: one SELECT streamed row by row into an output buffer that is
 * written once per row, so memory stays constant whatever the table size. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "canon.h"
#include "config.h"
#include "csvio.h"
#include "csvio_priv.h"
#include "db.h"
#include "formdef.h"
#include "outfile.h"
#include "util.h"

static const struct csv_table tables[] = {
    { "cases", NULL, NULL, NULL, 1 },
    { "case_events", "cases", "case_uuid", "case_ref", 0 },
    { "case_screening", "cases", "case_uuid", "case_ref", 0 },
    { "case_assistance", "cases", "case_uuid", "case_ref", 0 },
    { "prosecutions", NULL, NULL, NULL, 1 },
    { "suspects", "prosecutions", "prosecution_uuid", "prosecution_ref", 1 },
    { "prosecution_victims", "prosecutions", "prosecution_uuid", "prosecution_ref", 0 },
    { "events", NULL, NULL, NULL, 1 },
};

const struct csv_table *csv_table_find(const char *name)
{
    size_t i;

    for (i = 0; i < ARRAY_LEN(tables); i++)
        if (strcmp(tables[i].name, name) == 0)
            return &tables[i];
    return NULL;
}

const char *csv_table_name(size_t i)
{
    return i < ARRAY_LEN(tables) ? tables[i].name : NULL;
}

int csv_table_known(const char *table, int import)
{
    const struct csv_table *t = csv_table_find(table);

    return t && (!import || t->importable);
}

const struct field *csv_field_of(const struct formset *fs, const char *table, const char *col,
                                 const struct form **owner)
{
    static const char *const mains[] = { "cases", "prosecutions", "events" };
    size_t i, j, k;

    if (!fs)
        return NULL;
    for (i = 0; i < ARRAY_LEN(mains); i++) {
        const struct form *fm = formset_form(fs, mains[i]);

        for (j = 0; fm && j < fm->nfields; j++) {
            const struct field *f = &fm->fields[j];
            const struct form *c = f->child;

            if (strcmp(fm->table, table) == 0 && f->type != FT_CHILD && strcmp(f->column, col) == 0) {
                *owner = fm;
                return f;
            }
            if (f->type != FT_CHILD || !c || strcmp(c->table, table) != 0)
                continue;
            for (k = 0; k < c->nfields; k++)
                if (strcmp(c->fields[k].column, col) == 0) {
                    *owner = c;
                    return &c->fields[k];
                }
        }
    }
    return NULL;
}

/* What each output column is: a plain copy, a generalised date, codes
 * shown as labels, or a uuid or ref replaced by its key. */
struct outcol {
    char *name;
    const struct field *labels;     /* list field when --labels */
    int key;                        /* --deidentify: the value's pseudonym */
    int text;                       /* not a number: --excel keeps its digits as typed */
};

static void put(struct sbuf *b, const char *v, const struct csv_export_opts *o, int text)
{
    if (o->excel)
        util_csv_field_sheet(b, v, text);
    else
        util_csv_field(b, v);
}

static void add_labels(struct sbuf *b, const struct field *f, const char *v,
                       const struct csv_export_opts *o)
{
    const char *lang = o->labels;
    struct sbuf tmp = {0};
    const char *p, *e;

    if (!v)
        return;
    if (f->type != FT_MULTI) {
        put(b, list_label(f->list, v, lang), o, 1);
        return;
    }
    for (p = v; ; p = e + 1) {
        char *code;

        e = strchr(p, ';');
        if (!e)
            e = p + strlen(p);
        code = xstrndup(p, (size_t)(e - p));
        sbuf_addf(&tmp, "%s%s", p == v ? "" : ";", list_label(f->list, code, lang));
        free(code);
        if (!*e)
            break;
    }
    put(b, sbuf_str(&tmp), o, 1);
    sbuf_free(&tmp);
}

static int ends_with(const char *s, const char *end)
{
    size_t n = strlen(s), m = strlen(end);

    return n >= m && strcmp(s + n - m, end) == 0;
}

/* A record's identity or a link to one: replaced by a key when de-identified. */
static int is_key_col(const char *c)
{
    return !strcmp(c, "uuid") || !strcmp(c, "ref") || ends_with(c, "_uuid") || ends_with(c, "_ref");
}

/* Whether --deidentify drops column C (form field F, NULL when the forms
 * have none): what the forms mark pii (a birth date keeps its year), every
 * free-text field (type text or longtext, where anything may be written),
 * and who created or changed the record. */
static int deid_drops(const char *table, const char *c, const struct field *f)
{
    if (f)
        return (f->pii && strcmp(c, "birth_date") != 0) || f->type == FT_TEXT ||
               f->type == FT_LONGTEXT;
    return ends_with(c, "_by") || (canon_is_pii(table, c) && strcmp(c, "birth_date") != 0);
}

int csv_col_private(const struct formset *fs, const char *table, const char *col)
{
    const struct form *owner = NULL;

    return deid_drops(table, col, csv_field_of(fs, table, col, &owner)) ||
           canon_is_pii(table, col);
}

/* The SELECT of O's table, and the output columns, from the schema. */
static char *build_query(struct db *db, const struct csv_table *t, const struct formset *fs,
                         const struct csv_export_opts *o, struct outcol **cols, int *ncols)
{
    struct db_stmt *st = db_prepare(db, "SELECT name FROM pragma_table_info(?1) ORDER BY cid", 0);
    struct sbuf sql = {0};
    int n = 0, cap = 64;

    if (!st)
        return NULL;
    *cols = xcalloc((size_t)cap, sizeof(**cols));
    sbuf_add(&sql, "SELECT ");
    if (t->parent) {
        sbuf_add(&sql, "p.ref");
        (*cols)[n].key = o->deidentify;
        (*cols)[n].text = 1;
        (*cols)[n++].name = xstrdup(t->ref_col);
    }
    db_bind_text(st, 1, t->name);
    while (db_step(st) == 1) {
        const char *c = db_column_text(st, 0);
        const struct form *owner = NULL;
        const struct field *f = csv_field_of(fs, t->name, c, &owner);

        if (strcmp(c, "id") == 0 || (o->deidentify && !is_key_col(c) && deid_drops(t->name, c, f)))
            continue;
        if (n == cap)
            *cols = xrealloc(*cols, (size_t)(cap *= 2) * sizeof(**cols));
        (*cols)[n].name = xstrdup(c);
        (*cols)[n].labels = o->labels && f && f->list ? f : NULL;
        (*cols)[n].key = o->deidentify && is_key_col(c);
        (*cols)[n].text = f ? f->type != FT_INT && f->type != FT_DECIMAL
                            : strcmp(c, "rev") != 0 && strcmp(c, "seq") != 0;
        if (o->deidentify && strcmp(c, "birth_date") == 0)
            sbuf_addf(&sql, "%ssubstr(k.birth_date, 1, 4)", n ? ", " : "");
        else
            sbuf_addf(&sql, "%sk.\"%s\"", n ? ", " : "", c);
        n++;
    }
    db_finalize(st);
    *ncols = n;
    if (t->parent)
        sbuf_addf(&sql, " FROM %s k JOIN %s p ON p.uuid = k.%s WHERE p.deleted_at IS NULL "
                  "ORDER BY p.id, k.seq", t->name, t->parent, t->fk);
    else
        sbuf_addf(&sql, " FROM %s k WHERE k.deleted_at IS NULL ORDER BY k.id", t->name);
    return sql.s;
}

static void free_cols(struct outcol *cols, int n)
{
    int i;

    for (i = 0; i < n; i++)
        free(cols[i].name);
    free(cols);
}

int csv_export(struct db *db, const struct config *cfg, const struct csv_export_opts *o)
{
    const struct csv_table *t = csv_table_find(o->table);
    struct formset *fs = NULL;
    struct outcol *cols = NULL;
    struct db_stmt *st = NULL;
    struct sbuf row = {0};
    char *sql = NULL, *tmp = NULL, key[37];
    unsigned char secret[UTIL_SECRET_LEN];
    FILE *f = stdout;
    int64_t done = 0;
    int i, n = 0, rc = -1, step;

    if (!t)
        return err_set("'%s' is not a table that can be exported as CSV", o->table);
    fs = formset_load(cfg->forms_dir);
    if (!fs && (o->labels || o->deidentify)) {
        err_set("%s needs the forms in %s (%s): %s", o->labels ? "--labels" : "--deidentify",
                cfg->forms_dir, o->labels ? "the labels" : "which fields are personal or free text",
                err_msg());
        goto out;
    }
    if (o->deidentify && !o->secret)
        util_pseudonym_secret(secret);
    if (!(sql = build_query(db, t, fs, o, &cols, &n)) || !(st = db_prepare(db, sql, 0)))
        goto out;
    if (o->out) {
        if (outfile_check(o->out, OUT_CSV, o->force) < 0)
            goto out;
        tmp = xasprintf("%s.tmp-%ld", o->out, (long)getpid());
        if (!(f = outfile_create(tmp)))
            goto out;
    }
    if (o->excel)
        sbuf_add(&row, "\xEF\xBB\xBF");
    for (i = 0; i < n; i++) {
        if (i)
            sbuf_addc(&row, ',');
        util_csv_field(&row, cols[i].name);
    }
    sbuf_add(&row, "\r\n");
    while ((step = db_step(st)) == 1) {
        for (i = 0; i < n; i++) {
            const char *v = db_column_text(st, i);

            if (i)
                sbuf_addc(&row, ',');
            if (cols[i].labels) {
                add_labels(&row, cols[i].labels, v, o);
            } else if (cols[i].key && v) {
                util_pseudonym(o->secret ? o->secret : secret, v, key);
                sbuf_add(&row, key);
            } else {
                put(&row, v, o, cols[i].text);
            }
        }
        sbuf_add(&row, "\r\n");
        if (row.len >= 1 << 16) {
            fwrite(row.s, 1, row.len, f);
            sbuf_reset(&row);
        }
        if (++done % 8192 == 0 && o->progress)
            o->progress(o->ctx, done, 0);
    }
    if (step < 0)
        goto out;
    fwrite(sbuf_str(&row), 1, row.len, f);
    if (fflush(f) != 0 || ferror(f)) {
        err_set("%s: cannot write: %s", o->out ? o->out : "standard output", strerror(errno));
        goto out;
    }
    if (o->out) {
        if (fsync(fileno(f)) != 0 || fclose(f) != 0) {
            f = NULL;
            err_set("%s: cannot write: %s", o->out, strerror(errno));
            goto out;
        }
        f = NULL;
        if (rename(tmp, o->out) != 0) {
            err_set("%s: cannot write: %s", o->out, strerror(errno));
            goto out;
        }
    }
    rc = 0;
out:
    if (f && f != stdout)
        fclose(f);
    if (rc < 0 && tmp)
        unlink(tmp);
    free(tmp);
    free(sql);
    db_finalize(st);
    free_cols(cols, n);
    sbuf_free(&row);
    formset_free(fs);
    return rc;
}
