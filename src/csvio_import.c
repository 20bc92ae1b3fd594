/* CSV import: libcsv fed one physical line at a time so every row knows the
 * line it starts on; each row is checked against the forms and saved inside
 * one transaction that is rolled back when any row had a problem. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <csv.h>

#include "app.h"
#include "canon.h"
#include "config.h"
#include "csvio.h"
#include "csvio_priv.h"
#include "db.h"
#include "db_rec.h"
#include "formdef.h"
#include "record.h"
#include "util.h"

struct importer {
    struct db *db;
    const struct csv_import_opts *o;
    const struct csv_table *t;
    struct csv_import_result *r;
    struct formset *fs;
    const struct form *fm;          /* the main table's form */
    struct db_actor who;
    FILE *errs;
    char **cell;                    /* the current row's fields */
    size_t ncell, cap;
    char **head;                    /* the header's column names */
    size_t nhead;
    long line, row_line;            /* line being fed; line the row starts on */
    int at_start, fatal, row_bad;
};

static void problem(struct importer *im, long line, const char *col, const char *msg)
{
    struct sbuf b = {0};

    /* The file's name and the values quoted from it reach the terminal. */
    sbuf_addf(&b, "%s:%ld: %s: %s", util_printable(im->o->file), line, util_printable(col),
              util_printable(msg));
    if (im->errs)
        fprintf(im->errs, "%s\n", b.s);
    if (im->r->problems)
        sbuf_addf(im->r->problems, "%s\n", b.s);
    sbuf_free(&b);
    if (!im->row_bad)
        im->r->bad_rows++;
    im->row_bad = 1;
}

static void on_field(void *s, size_t len, void *data)
{
    struct importer *im = data;

    if (im->ncell == im->cap) {
        im->cap = im->cap ? im->cap * 2 : 32;
        im->cell = xrealloc(im->cell, im->cap * sizeof(*im->cell));
    }
    im->cell[im->ncell++] = xstrndup(s ? s : "", s ? len : 0);
}

static int header(struct importer *im)
{
    size_t i;

    for (i = 0; i < im->ncell; i++) {
        const char *c = im->cell[i];
        int ok = db_has_column(im->db, im->t->name, c) ||
                 (im->t->ref_col && strcmp(c, im->t->ref_col) == 0);

        if (!ok) {
            problem(im, im->row_line, c, "no such column; use the column names that "
                    "'tipdesk export csv' writes for this table");
            im->fatal = 1;
        }
    }
    if (im->t->parent) {
        for (i = 0; i < im->ncell; i++)
            if (strcmp(im->cell[i], im->t->ref_col) == 0 || strcmp(im->cell[i], im->t->fk) == 0)
                break;
        if (i == im->ncell) {
            problem(im, im->row_line, im->t->ref_col, "this column is needed to find each row's record");
            im->fatal = 1;
        }
    }
    im->head = im->cell;
    im->nhead = im->ncell;
    im->cell = NULL;
    im->ncell = im->cap = 0;
    return 0;
}

/* Turns a cell into the stored value of TABLE.COL: through its form field
 * when the forms have one, else as given (trimmed) under the canonical rules. */
static int cell_value(struct importer *im, const char *table, const char *col, const char *cell,
                      char **stored)
{
    const struct form *owner = NULL;
    const struct field *f = csv_field_of(im->fs, table, col, &owner);
    const char *why;
    size_t a = 0, n = strlen(cell);

    *stored = NULL;
    if (f && f->type != FT_CHILD && f->type != FT_COMPUTED) {
        if (field_parse_input(owner, f, cell, stored, NULL) < 0) {
            problem(im, im->row_line, col, err_msg());
            return -1;
        }
        return 0;
    }
    while (a < n && (cell[a] == ' ' || cell[a] == '\t'))
        a++;
    while (n > a && (cell[n - 1] == ' ' || cell[n - 1] == '\t'))
        n--;
    if (n == a)
        return 0;
    *stored = xstrndup(cell + a, n - a);
    /* dd/mm/yyyy in a date column the forms do not cover. */
    if (strlen(*stored) == 10 && (*stored)[2] == '/' && (*stored)[5] == '/' && canon_is_date_col(col)) {
        char *iso = xasprintf("%.4s-%.2s-%.2s", *stored + 6, *stored + 3, *stored);

        free(*stored);
        *stored = iso;
    }
    if ((why = canon_check(table, col, *stored))) {
        char *msg = xasprintf("'%s': %s", *stored, why);

        problem(im, im->row_line, col, msg);
        free(msg);
        return -1;
    }
    return 0;
}

static void report_issues(struct importer *im, const struct form *fm, const struct rec *r)
{
    struct form_issues is = {0};
    size_t i;

    if (!fm)
        return;
    form_validate(fm, r, &is);
    for (i = 0; i < is.n; i++) {
        const struct form_issue *x = &is.v[i];
        const char *col = "record";

        if (x->level != ISSUE_ERROR)
            continue;
        if (x->field >= 0) {
            const struct field *f = &fm->fields[x->field];

            col = f->column;
            if (x->kid_field >= 0 && f->child)
                col = f->child->fields[x->kid_field].column;
        }
        problem(im, im->row_line, col, x->msg_en);
    }
    form_issues_free(&is);
}

/* The record a row of a main table updates (by uuid), or a new one. */
static struct rec *main_row(struct importer *im, int *existed)
{
    struct rec *r = NULL;
    size_t i;

    *existed = 0;
    for (i = 0; i < im->nhead; i++)
        if (strcmp(im->head[i], "uuid") == 0 && im->cell[i][0] && canon_uuid(im->cell[i]))
            r = db_rec_get(im->db, im->t->name, im->cell[i]);
    err_clear();
    if (r)
        *existed = 1;
    return r ? r : rec_new(im->t->name);
}

/* A suspects row: the prosecution it belongs to, and its child row in it
 * (the one with the row's seq, else a new one). */
static struct rec *kid_row(struct importer *im, struct rec **kid)
{
    struct rec *r = NULL;
    const char *key = NULL, *seq = NULL;
    size_t i;

    *kid = NULL;
    for (i = 0; i < im->nhead; i++) {
        if ((strcmp(im->head[i], im->t->ref_col) == 0 || strcmp(im->head[i], im->t->fk) == 0) &&
            im->cell[i][0])
            key = im->cell[i];
        if (strcmp(im->head[i], "seq") == 0 && im->cell[i][0])
            seq = im->cell[i];
    }
    if (!key) {
        problem(im, im->row_line, im->t->ref_col, "empty; name the record this row belongs to");
        return NULL;
    }
    if (!(r = db_rec_get(im->db, im->t->parent, key))) {
        char *msg = xasprintf("no %s record '%s' here; import it first", im->t->parent, key);

        problem(im, im->row_line, im->t->ref_col, msg);
        free(msg);
        return NULL;
    }
    for (i = 0; seq && i < r->nkids; i++)
        if (strcmp(r->kids[i]->table, im->t->name) == 0 && rec_get(r->kids[i], "seq") &&
            strcmp(rec_get(r->kids[i], "seq"), seq) == 0)
            *kid = r->kids[i];
    if (!*kid)
        *kid = rec_kid_add(r, im->t->name);
    return r;
}

static void row(struct importer *im)
{
    struct rec *r, *target;
    int existed = 0, rc;
    size_t i;

    im->r->rows++;
    if (im->ncell != im->nhead) {
        char *msg = xasprintf("%zu fields, the header has %zu", im->ncell, im->nhead);

        problem(im, im->row_line, "row", msg);
        free(msg);
        return;
    }
    if (im->t->parent) {
        r = kid_row(im, &target);
        existed = 1;
    } else {
        r = target = main_row(im, &existed);
    }
    if (!r)
        return;
    for (i = 0; i < im->nhead; i++) {
        const char *col = im->head[i];
        char *v;

        if (strcmp(col, "id") == 0 || (im->t->ref_col && strcmp(col, im->t->ref_col) == 0) ||
            (im->t->fk && strcmp(col, im->t->fk) == 0))
            continue;
        if (cell_value(im, im->t->name, col, im->cell[i], &v) == 0)
            rec_set(target, col, v);
        free(v);
    }
    if (im->fm && !im->row_bad) {
        /* Computed columns the file has keep its values: their inputs
         * (screening rows, say) may not be in the file. */
        form_compute(im->fm, r);
        for (i = 0; i < im->nhead; i++) {
            const struct form *owner;
            const struct field *f = csv_field_of(im->fs, im->t->name, im->head[i], &owner);
            char *v;

            if (f && (f->type == FT_COMPUTED || f->calc != FC_NONE) &&
                cell_value(im, im->t->name, im->head[i], im->cell[i], &v) == 0)
                rec_set(target, im->head[i], v);
            if (f && (f->type == FT_COMPUTED || f->calc != FC_NONE))
                free(v);
        }
        report_issues(im, im->fm, r);
    }
    if (!im->row_bad) {
        rc = db_rec_save(im->db, r, &im->who);
        if (rc < 0)
            problem(im, im->row_line, rec_get(r, "ref") ? "ref" : "record", err_msg());
        else if (rc == 0)
            im->r->unchanged++;
        else if (existed)
            im->r->updated++;
        else
            im->r->inserted++;
    }
    rec_free(r);
}

static void on_row(int c, void *data)
{
    struct importer *im = data;
    size_t i;

    (void)c;
    im->row_bad = 0;
    if (!im->head)
        header(im);
    else if (!im->fatal)
        row(im);
    for (i = 0; i < im->ncell; i++)
        free(im->cell[i]);
    im->ncell = 0;
    im->at_start = 1;
    if (im->o->progress && im->r->rows % 1024 == 0)
        im->o->progress(im->o->ctx, im->r->rows, 0);
}

static void importer_free(struct importer *im)
{
    size_t i;

    for (i = 0; i < im->ncell; i++)
        free(im->cell[i]);
    free(im->cell);
    for (i = 0; i < im->nhead; i++)
        free(im->head[i]);
    free(im->head);
    formset_free(im->fs);
}

int csv_import(struct db *db, const struct config *cfg, const struct csv_import_opts *o,
               struct csv_import_result *r, FILE *errs)
{
    struct importer im = {0};
    struct csv_parser p;
    FILE *f;
    char *buf = NULL;
    size_t cap = 0;
    ssize_t n;
    int rc = -1, parse_err = 0;
    struct sbuf *keep = r->problems;

    memset(r, 0, sizeof(*r));
    r->problems = keep;
    if (!(im.t = csv_table_find(o->table)) || !im.t->importable)
        return err_set("'%s' cannot be imported from CSV (cases, prosecutions, suspects, events)", o->table);
    if (!(f = fopen(o->file, "rb")))
        return err_set("%s: cannot open: %s", util_printable(o->file), strerror(errno));
    im.db = db;
    im.o = o;
    im.r = r;
    im.errs = errs;
    im.who.office = cfg->office_code;
    im.who.user = cfg->user ? cfg->user : "unknown";
    im.at_start = 1;
    /* Without loadable forms, rows get the canonical checks only. */
    im.fs = formset_load(cfg->forms_dir);
    err_clear();
    im.fm = im.fs ? formset_form(im.fs, im.t->parent ? im.t->parent : im.t->name) : NULL;
    if (csv_init(&p, CSV_STRICT | CSV_APPEND_NULL) != 0) {
        fclose(f);
        return err_set("cannot start the CSV reader");
    }
    if (db_begin(db) < 0)
        goto out;
    while ((n = getline(&buf, &cap, f)) > 0) {
        char *s = buf;
        size_t len = (size_t)n;

        im.line++;
        if (im.line == 1 && len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0) {
            s += 3;
            len -= 3;
        }
        /* A line with content while between rows starts the next row. */
        if (im.at_start && s[strspn(s, "\r\n")]) {
            im.row_line = im.line;
            im.at_start = 0;
        }
        if (csv_parse(&p, s, len, on_field, on_row, &im) != len) {
            problem(&im, im.line, "row", "malformed quoting (a field's quotes must be doubled inside it)");
            parse_err = 1;
            break;
        }
        if (im.fatal)
            break;
    }
    if (!parse_err)
        csv_fini(&p, on_field, on_row, &im);
    if (!im.head && !im.fatal) {
        err_set("%s: empty; the first line must name the columns", util_printable(o->file));
        goto out;
    }
    if (r->bad_rows || im.fatal || parse_err) {
        err_set("%s: %lld %s with problems (listed above); nothing was imported", util_printable(o->file),
                (long long)r->bad_rows, r->bad_rows == 1 ? "row" : "rows");
        goto out;
    }
    if (o->dry_run) {
        rc = 0;
        goto out;
    }
    rc = db_commit(db);
out:
    if (rc < 0 || o->dry_run) {
        char msg[1024];

        snprintf(msg, sizeof(msg), "%s", err_msg());
        db_rollback(db);
        err_set("%s", msg);
    }
    csv_free(&p);
    fclose(f);
    free(buf);
    importer_free(&im);
    return rc;
}
