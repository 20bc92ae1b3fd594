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
    size_t *limit;                  /* bytes a field of each column may hold */
    const struct field **field;     /* each column's form field, or NULL */
    const struct form **owner;      /* the form that field is in */
    size_t extra;                   /* fields of the row beyond the header's */
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

/* Bytes a field may hold while it is read: the form's maxlen at 4 bytes a
 * character (with room for spaces that are trimmed), else FIELD_MAX; the
 * exact count in characters is checked with the row. */
#define FIELD_MAX 65536
#define HEAD_MAX 1024       /* columns a header may name */
#define PIECE 65536         /* bytes fed to the parser at once */

static size_t field_limit(const struct importer *im, size_t col)
{
    return im->limit && col < im->nhead ? im->limit[col] : FIELD_MAX;
}

static const char *column_name(const struct importer *im, size_t col, char buf[32])
{
    if (col < im->nhead)
        return im->head[col];
    snprintf(buf, 32, "column %zu", col + 1);
    return buf;
}

/* Stops the import at LINE over the field the reader is in. */
static void refuse_field(struct importer *im, long line, const char *what)
{
    char buf[32];

    problem(im, line, column_name(im, im->ncell + im->extra, buf), what);
    im->fatal = 1;
}

static void too_long(struct importer *im, long line)
{
    size_t lim = field_limit(im, im->ncell);
    char *msg = lim == FIELD_MAX
        ? xasprintf("longer than %d bytes, far more than any value of this column; "
                    "check the file's columns and quotes", FIELD_MAX)
        : xasprintf("longer than the form allows (%zu characters); shorten it", (lim - 64) / 4);

    refuse_field(im, line, msg);
    free(msg);
}

static void on_field(void *s, size_t len, void *data)
{
    struct importer *im = data;

    if (im->fatal)
        return;
    if (len > field_limit(im, im->ncell)) {
        too_long(im, im->line);
        return;
    }
    /* Fields beyond the header's are counted, not kept. */
    if (im->head && im->ncell >= im->nhead) {
        im->extra++;
        return;
    }
    if (!im->head && im->ncell >= HEAD_MAX) {
        refuse_field(im, im->line, "the header names more than 1024 columns; "
                     "use the column names that 'tipdesk export csv' writes");
        return;
    }
    if (im->ncell == im->cap) {
        im->cap = im->cap ? im->cap * 2 : 32;
        im->cell = xrealloc(im->cell, im->cap * sizeof(*im->cell));
    }
    im->cell[im->ncell++] = xstrndup(s ? s : "", s ? len : 0);
}

static int header(struct importer *im)
{
    size_t i, j;

    for (i = 0; i < im->ncell; i++) {
        const char *c = im->cell[i];

        for (j = 0; j < i; j++)
            if (strcmp(im->cell[j], c) == 0) {
                char *msg = xasprintf("named twice, by columns %zu and %zu; keep one",
                                      j + 1, i + 1);

                problem(im, im->row_line, c, msg);
                free(msg);
                im->fatal = 1;
            }
    }
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
    im->limit = xcalloc(im->nhead ? im->nhead : 1, sizeof(*im->limit));
    im->field = xcalloc(im->nhead ? im->nhead : 1, sizeof(*im->field));
    im->owner = xcalloc(im->nhead ? im->nhead : 1, sizeof(*im->owner));
    for (i = 0; i < im->nhead; i++) {
        const struct field *f = csv_field_of(im->fs, im->t->name, im->head[i], &im->owner[i]);

        im->field[i] = f;
        im->limit[i] = f && f->maxlen > 0 ? (size_t)f->maxlen * 4 + 64 : FIELD_MAX;
    }
    return 0;
}

/* The value an --excel export wrote as ="0205..." or '=..., or NULL when
 * CELL is not in one of those forms. */
static char *excel_plain(const char *cell)
{
    size_t n = strlen(cell);

    if (n > 3 && cell[0] == '=' && cell[1] == '"' && cell[n - 1] == '"' &&
        strspn(cell + 2, "0123456789") == n - 3)
        return xstrndup(cell + 2, n - 3);
    if (cell[0] == '\'' && cell[1] && strchr("=+-@\t\r", cell[1]))
        return xstrdup(cell + 1);
    return NULL;
}

/* Turns CELL of column I into the stored value: through its form field
 * when the forms have one, else as given (trimmed) under the canonical rules. */
static int cell_value(struct importer *im, size_t i, const char *cell, char **stored)
{
    const char *table = im->t->name, *col = im->head[i], *why;
    const struct form *owner = im->owner[i];
    const struct field *f = im->field[i];
    char *plain = excel_plain(cell);
    size_t a = 0, n;
    int rc;

    if (plain) {
        rc = cell_value(im, i, plain, stored);
        free(plain);
        return rc;
    }
    n = strlen(cell);
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

static int in_header(const struct importer *im, const char *col)
{
    size_t i;

    for (i = 0; i < im->nhead; i++)
        if (strcmp(im->head[i], col) == 0)
            return 1;
    return 0;
}

/* Values the row leaves in fields the form does not ask, going by record R
 * as it will be saved: the file's cells, and stored values of the row's
 * record or child row TARGET that the row would keep there.  The import
 * never empties a value the file does not name, so both are refused, each
 * saying how to go on. */
static void report_hidden(struct importer *im, const struct rec *r, const struct rec *target)
{
    struct rec *copy = rec_dup(r);
    struct form_hiddens h = {0};
    int kid = -1;
    size_t i;

    for (i = 0; i < r->nkids; i++)
        if (r->kids[i] == target)
            kid = (int)i;
    form_hidden_clear(im->fm, copy, &h);
    for (i = 0; i < h.n; i++) {
        const struct form_hidden *x = &h.v[i];
        const char *col = x->f->column;
        char *msg;

        if (x->kid != kid)
            continue;
        if (in_header(im, col))
            msg = xasprintf("'%s' given, but %s; leave the cell empty, or correct the values "
                            "it depends on", x->value, x->why);
        else if (db_has_column(im->db, im->t->name, col))
            msg = xasprintf("the stored record holds '%s', but %s; to clear it add the column "
                            "%s with an empty cell, or change the row so the form asks it",
                            x->value, x->why, col);
        else
            msg = xasprintf("the stored record holds '%s', but %s; open the record in the "
                            "screens and save it to clear it, or change the row so the form "
                            "asks it", x->value, x->why);
        problem(im, im->row_line, col, msg);
        free(msg);
    }
    form_hiddens_free(&h);
    rec_free(copy);
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

static void count_status(struct csv_import_result *res, const char *status)
{
    if (!status || strcmp(status, "draft") == 0)
        res->drafts++;
    else if (strcmp(status, "verified") == 0)
        res->verified++;
    else
        res->complete++;
}

static void row(struct importer *im)
{
    struct rec *r, *target;
    char *was;
    int existed = 0, rc;
    size_t i;

    im->r->rows++;
    if (im->ncell + im->extra != im->nhead) {
        char *msg = xasprintf("%zu fields, the header has %zu", im->ncell + im->extra, im->nhead);

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
    was = rec_get(r, "status") ? xstrdup(rec_get(r, "status")) : NULL;
    for (i = 0; i < im->nhead; i++) {
        const char *col = im->head[i];
        char *v;

        if (strcmp(col, "id") == 0 || (im->t->ref_col && strcmp(col, im->t->ref_col) == 0) ||
            (im->t->fk && strcmp(col, im->t->fk) == 0))
            continue;
        if (cell_value(im, i, im->cell[i], &v) == 0)
            rec_set(target, col, v);
        free(v);
    }
    /* A row that does not give a status keeps the record's, or is a
     * complete record held to every rule of the forms. */
    if (!rec_get(r, "status"))
        rec_set(r, "status", was ? was : "complete");
    free(was);
    if (im->fm && !im->row_bad) {
        /* Computed columns the file has keep its values: their inputs
         * (screening rows, say) may not be in the file. */
        form_compute(im->fm, r);
        for (i = 0; i < im->nhead; i++) {
            const struct field *f = im->field[i];
            char *v;

            if (!f || (f->type != FT_COMPUTED && f->calc == FC_NONE))
                continue;
            if (cell_value(im, i, im->cell[i], &v) == 0)
                rec_set(target, im->head[i], v);
            free(v);
        }
        report_hidden(im, r, target);
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
        if (rc >= 0)
            count_status(im->r, rec_get(r, "status"));
    }
    rec_free(r);
}

static void on_row(int c, void *data)
{
    struct importer *im = data;
    size_t i;

    (void)c;
    im->row_bad = 0;
    if (!im->fatal && !im->head)
        header(im);
    else if (!im->fatal)
        row(im);
    for (i = 0; i < im->ncell; i++)
        free(im->cell[i]);
    im->ncell = im->extra = 0;
    im->at_start = 1;
    if (im->o->progress && im->r->rows % 1024 == 0)
        im->o->progress(im->o->ctx, im->r->rows, 0);
}

/* Reads into BUF up to PIECE bytes, ending after a newline: memory stays
 * bounded whatever the length of a line.  *EOL tells whether the piece ends
 * its line.  The number of bytes, 0 at the end of the file. */
static ssize_t read_piece(FILE *f, char *buf, int *eol)
{
    size_t n = 0;
    int c;

    *eol = 0;
    while (n < PIECE && (c = getc_unlocked(f)) != EOF) {
        buf[n++] = (char)c;
        if (c == '\n') {
            *eol = 1;
            break;
        }
    }
    return (ssize_t)n;
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
    free(im->limit);
    free(im->field);
    free(im->owner);
    formset_free(im->fs);
}

int csv_import(struct db *db, const struct config *cfg, const struct csv_import_opts *o,
               struct csv_import_result *r, FILE *errs)
{
    struct importer im = {0};
    struct csv_parser p;
    FILE *f;
    char *buf = NULL;
    ssize_t n;
    int rc = -1, parse_err = 0, eol = 0, at_eol = 1;
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
    /* Rows are held to the forms' rules: no forms, no import. */
    im.fs = formset_load(cfg->forms_dir);
    if (!im.fs || formset_check_db(im.fs, db) < 0) {
        char msg[1024];

        snprintf(msg, sizeof(msg), "%s", err_msg());
        fclose(f);
        importer_free(&im);
        return err_set("%s: the rows are checked against the forms in %s, which cannot be used: %s",
                       o->file, cfg->forms_dir, msg);
    }
    im.fm = formset_form(im.fs, im.t->parent ? im.t->parent : im.t->name);
    if (csv_init(&p, CSV_STRICT | CSV_APPEND_NULL) != 0) {
        fclose(f);
        return err_set("cannot start the CSV reader");
    }
    /* One transaction for every row: in SQLite's default 2 MB of cache the
     * pages of the indexes and the audit log it changes were written to
     * the WAL again and again (30 page writes a row, most of the time in
     * the kernel); 16 MB, as a bundle import has, keeps them. */
    if (db_exec(db, "PRAGMA cache_size=-16384; PRAGMA temp_store=MEMORY") < 0 || db_begin(db) < 0)
        goto out;
    buf = xmalloc(PIECE);
    while ((n = read_piece(f, buf, &eol)) > 0) {
        char *s = buf, *nul;
        size_t len = (size_t)n;

        if (at_eol) {
            im.line++;
            if (im.line == 1 && len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0) {
                s += 3;
                len -= 3;
            }
            /* A line with content while between rows starts the next row. */
            if (im.at_start && len > strspn(s, "\r\n")) {
                im.row_line = im.line;
                im.at_start = 0;
            }
        }
        at_eol = eol;
        /* libcsv would keep a NUL and the field be cut there: refuse it in
         * the field it is in. */
        if ((nul = memchr(s, '\0', len)))
            len = (size_t)(nul - s);
        if (csv_parse(&p, s, len, on_field, on_row, &im) != len) {
            problem(&im, im.line, "row", "malformed quoting (a field's quotes must be doubled inside it)");
            parse_err = 1;
            break;
        }
        if (!im.fatal && nul)
            refuse_field(&im, im.line, "holds a NUL byte; save the file as plain UTF-8 text");
        if (!im.fatal && p.entry_pos > field_limit(&im, im.ncell))
            too_long(&im, im.line);
        if (im.fatal)
            break;
    }
    if (ferror(f)) {
        err_set("%s: cannot read: %s", o->file, strerror(errno));
        goto out;
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
    db_exec(db, "PRAGMA cache_size=-2000; PRAGMA temp_store=DEFAULT; PRAGMA shrink_memory");
    csv_free(&p);
    fclose(f);
    free(buf);
    importer_free(&im);
    return rc;
}
