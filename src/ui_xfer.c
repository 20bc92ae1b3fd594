/* Export and import (docs/ARCHITECTURE.md, "A bundle's path"): a menu of five
 * actions over the same library calls as the command line (bundle_export,
 * bundle_import, bundle_missing, csv_export).  Each action asks first, shows
 * a progress bar while it works and ends on a result view saying what was
 * written or merged, or why a bundle was refused.  Results are kept as
 * numbers and drawn in the current language, so F9 translates them too. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "app.h"
#include "config.h"
#include "seal.h"
#include "text.h"
#include "ui.h"
#include "ui_xfer_priv.h"
#include "util.h"

static const struct {
    const char *key, *def;
} table_labels[BT_N] = {
    { "xfer.t_cases", "Victim cases" },
    { "xfer.t_case_events", "Case events" },
    { "xfer.t_case_screening", "Screening answers" },
    { "xfer.t_case_assistance", "Assistance given" },
    { "xfer.t_prosecutions", "Prosecutions" },
    { "xfer.t_suspects", "Suspects" },
    { "xfer.t_prosecution_victims", "Victims in prosecutions" },
    { "xfer.t_events", "Prevention events" },
    { "xfer.t_audit_log", "History entries" },
};

const char *ui_xfer_table_label(const struct ui *ui, int bt)
{
    return ui_tr(ui, table_labels[bt].key, table_labels[bt].def);
}

/* Progress: the library calls now and then; redraw only when the bar moves. */
void ui_xfer_prog_init(struct ui_xfer_prog *p, struct ui *ui, const char *label)
{
    size_t n = strlen(label), cut = 0;

    /* ui_progress shows 18 bytes of the label: cut on a whole character */
    while (cut < n) {
        size_t next = text_next_cluster(label, n, cut);

        if (next > sizeof(p->label) - 1)
            break;
        cut = next;
    }
    memcpy(p->label, label, cut);
    p->label[cut] = '\0';
    p->ui = ui;
    p->last = -1;
    ui_progress(ui, 0, 0, p->label);
}

void ui_xfer_prog_fn(void *ctx, int64_t done, int64_t total)
{
    struct ui_xfer_prog *p = ctx;
    long at = total > 0 ? (long)(done * 1000 / total) : 0;

    if (at == p->last && total > 0)
        return;
    p->last = at;
    ui_progress(p->ui, (long)done, (long)total, p->label);
}

/* ---- the result view ---- */

enum xkind { XK_NOTE, XK_ERROR, XK_EXPORT, XK_IMPORT, XK_CSV, XK_GAP };

struct xent {
    enum xkind kind;
    enum ui_role role;
    const char *key, *def;          /* XK_NOTE, XK_ERROR: the text of ui.ini */
    char *file, *text;              /* XK_ERROR: the message; XK_GAP: the line */
    char office[24], table[32];
    const char *labels;             /* XK_CSV: NULL, "en" or "lo" */
    int deid, excel;
    int64_t seq, n[BT_N];           /* XK_CSV: n[0] rows, n[1] bytes */
    struct bundle_summary s;
};

struct ui_xfer_res {
    const char *key, *def;
    struct xent *e;
    int n, cap;
    int top;
};

/* Lines as drawn: built from the entries at every draw. */
struct xline {
    enum ui_role role;
    char *s;
};
struct xlines {
    struct xline *l;
    int n, cap, width;
};

/* Adds S to L in ROLE, wrapped at spaces to L->width columns; the lines
 * after the first are indented by INDENT spaces. */
static void emit(struct xlines *L, enum ui_role role, int indent, const char *s)
{
    size_t len = strlen(s), off = 0;
    int first = 1;

    do {
        int w = L->width - (first ? 0 : indent);
        size_t fit = off + text_fit(s + off, len - off, w > 10 ? w : 10, NULL), cut = fit;

        if (fit < len) {
            while (cut > off && s[cut] != ' ')
                cut--;
            if (cut == off)
                cut = fit;
        }
        if (L->n == L->cap) {
            L->cap = L->cap ? 2 * L->cap : 32;
            L->l = xrealloc(L->l, (size_t)L->cap * sizeof(*L->l));
        }
        L->l[L->n].role = role;
        L->l[L->n++].s = xasprintf("%*s%.*s", first ? 0 : indent, "", (int)(cut - off), s + off);
        off = cut;
        while (off < len && s[off] == ' ')
            off++;
        first = 0;
    } while (off < len);
}

static void emitf(struct xlines *L, enum ui_role role, int indent, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void emitf(struct xlines *L, enum ui_role role, int indent, const char *fmt, ...)
{
    char buf[2048];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    emit(L, role, indent, buf);
}

/* "  LABEL      VALUE" with LABEL padded to W columns. */
static void emit_pair(struct xlines *L, enum ui_role role, const char *label, int w, const char *value)
{
    char *cell = text_fit_alloc(label, w, 1);

    emitf(L, role, w + 4, "  %s  %s", cell, value);
    free(cell);
}

static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');

    return slash ? slash + 1 : path;
}

static void draw_export(struct ui *ui, struct xlines *L, const struct xent *e)
{
    char v[256];
    int i, half = (L->width - 4) / 2;

    emit(L, R_GOOD, 0, ui_tr(ui, "xfer.written", "Bundle written"));
    emit_pair(L, R_NORMAL, ui_tr(ui, "xfer.file", "File"), 16, e->file);
    snprintf(v, sizeof(v), "%lld · %s", (long long)e->seq, e->office);
    emit_pair(L, R_NORMAL, ui_tr(ui, "xfer.seq", "Bundle number"), 16, v);
    /* two tables a line */
    for (i = 0; i < BT_N; i += 2) {
        char *a = text_fit_alloc(ui_xfer_table_label(ui, i), half - 12, 1), *b = NULL;

        if (i + 1 < BT_N)
            b = text_fit_alloc(ui_xfer_table_label(ui, i + 1), half - 12, 1);
        if (b)
            emitf(L, R_NORMAL, 0, "  %s %9lld  %s %9lld", a, (long long)e->n[i], b,
                  (long long)e->n[i + 1]);
        else
            emitf(L, R_NORMAL, 0, "  %s %9lld", a, (long long)e->n[i]);
        free(a);
        free(b);
    }
}

static void draw_import(struct ui *ui, struct xlines *L, const struct xent *e)
{
    const struct bundle_summary *s = &e->s;

    emitf(L, R_LABEL, 4, "%s · %s %lld · %s", base_name(s->file),
          ui_tr(ui, "xfer.bundle", "bundle"), (long long)s->seq, s->office);
    if (s->already) {
        emitf(L, R_WARN, 4, "    %s %s: %s", ui_tr(ui, "xfer.already", "Already imported on"),
              s->imported_on, ui_tr(ui, "xfer.nothing_changed", "nothing changed"));
        return;
    }
    emitf(L, s->dry_run ? R_NORMAL : R_GOOD, 4, "    %s%s%s %lld · %s %lld · %s %lld · %s %lld",
          s->dry_run ? ui_tr(ui, "xfer.would", "would be:") : "", s->dry_run ? " " : "",
          ui_tr(ui, "xfer.inserted", "inserted"), (long long)s->inserted,
          ui_tr(ui, "xfer.updated", "updated"), (long long)s->updated,
          ui_tr(ui, "xfer.unchanged", "unchanged"), (long long)(s->unchanged + s->older),
          ui_tr(ui, "xfer.conflicts", "conflicts"), (long long)s->conflicts);
    if (s->older)
        emitf(L, R_DIM, 4, "    (%lld %s)", (long long)s->older,
              ui_tr(ui, "xfer.older", "older than the records here, kept"));
    if (s->receipt)
        emitf(L, R_DIM, 4, "    %s %s", ui_tr(ui, "xfer.receipt", "Receipt for the sender:"), s->receipt);
}

static void draw_csv(struct ui *ui, struct xlines *L, const struct xent *e)
{
    char v[256];
    const char *labels = !e->labels ? ui_tr(ui, "xfer.o_codes", "codes")
                         : strcmp(e->labels, "lo") == 0 ? ui_tr(ui, "xfer.o_labels_lo", "Lao labels")
                         : ui_tr(ui, "xfer.o_labels_en", "English labels");

    emit(L, R_GOOD, 0, ui_tr(ui, "xfer.csv_written", "CSV file written"));
    emit_pair(L, R_NORMAL, ui_tr(ui, "xfer.file", "File"), 16, e->file);
    emit_pair(L, R_NORMAL, ui_tr(ui, "xfer.table", "Table"), 16, e->table);
    snprintf(v, sizeof(v), "%lld", (long long)e->n[0]);
    emit_pair(L, R_NORMAL, ui_tr(ui, "xfer.rows", "Rows"), 16, v);
    snprintf(v, sizeof(v), "%lld", (long long)e->n[1]);
    emit_pair(L, R_NORMAL, ui_tr(ui, "xfer.bytes", "Bytes"), 16, v);
    snprintf(v, sizeof(v), "%s%s%s%s%s", labels,
             e->deid ? " · " : "", e->deid ? ui_tr(ui, "xfer.o_deid", "de-identified") : "",
             e->excel ? " · " : "", e->excel ? ui_tr(ui, "xfer.o_excel_on", "for Excel") : "");
    emit_pair(L, R_NORMAL, ui_tr(ui, "xfer.options", "Written as"), 16, v);
}

/* bundle_missing's "LA1301: bundles 4–5 not received" in the clerk's words. */
static void draw_gap(struct ui *ui, struct xlines *L, const struct xent *e)
{
    const char *colon = strstr(e->text, ": "), *nums = NULL, *end = strstr(e->text, " not received");

    if (colon && strncmp(colon + 2, "bundles ", 8) == 0)
        nums = colon + 10;
    else if (colon && strncmp(colon + 2, "bundle ", 7) == 0)
        nums = colon + 9;
    if (!nums || !end || end < nums) {
        emitf(L, R_WARN, 4, "  %s", e->text);
        return;
    }
    emitf(L, R_WARN, 4, "  %.*s: %s %.*s", (int)(colon - e->text), e->text,
          ui_tr(ui, "xfer.gap", "bundles not received:"), (int)(end - nums), nums);
}

static void res_draw(struct ui *ui, void *st)
{
    struct ui_xfer_res *r = st;
    struct xlines L = { NULL, 0, 0, ui->cols - 4 };
    int i, y = ui->work_y, rows = ui->work_h - 2;

    for (i = 0; i < r->n; i++) {
        const struct xent *e = &r->e[i];

        switch (e->kind) {
        case XK_NOTE: emit(&L, e->role, 0, ui_tr(ui, e->key, e->def)); break;
        case XK_ERROR:
            if (e->file)
                emitf(&L, R_ERROR, 0, "%s: %s", base_name(e->file), ui_tr(ui, e->key, e->def));
            else
                emit(&L, R_ERROR, 0, ui_tr(ui, e->key, e->def));
            emitf(&L, R_NORMAL, 4, "    %s", e->text);
            break;
        case XK_EXPORT: draw_export(ui, &L, e); break;
        case XK_IMPORT: draw_import(ui, &L, e); break;
        case XK_CSV: draw_csv(ui, &L, e); break;
        case XK_GAP: draw_gap(ui, &L, e); break;
        }
    }
    if (r->top > L.n - rows)
        r->top = L.n - rows;
    if (r->top < 0)
        r->top = 0;
    ui_put(ui, y++, 0, ui->cols, R_HEADER, ui_tr(ui, r->key, r->def));
    y++;
    for (i = r->top; i < L.n && i < r->top + rows; i++)
        ui_put(ui, y++, 2, ui->cols - 4, L.l[i].role, L.l[i].s);
    if (L.n > rows)
        ui_putf(ui, ui->work_y, ui->cols - 12, 12, R_DIM, "%5d-%d/%d", r->top + 1,
                r->top + rows < L.n ? r->top + rows : L.n, L.n);
    for (i = 0; i < L.n; i++)
        free(L.l[i].s);
    free(L.l);
}

static int res_key(struct ui *ui, void *st, const struct ui_event *ev)
{
    struct ui_xfer_res *r = st;
    int page = ui->work_h - 3;

    switch (ev->act) {
    case ACT_UP: r->top--; return 1;
    case ACT_DOWN: r->top++; return 1;
    case ACT_PGUP: r->top -= page; return 1;
    case ACT_PGDN: r->top += page; return 1;
    case ACT_FIRST: r->top = 0; return 1;
    case ACT_LAST: r->top = 1 << 30; return 1;
    default: return 0;
    }
}

static void res_free(void *st)
{
    struct ui_xfer_res *r = st;
    int i;

    for (i = 0; i < r->n; i++) {
        free(r->e[i].file);
        free(r->e[i].text);
        bundle_summary_free(&r->e[i].s);
    }
    free(r->e);
    free(r);
}

static const struct ui_screen res_screen = {
    .name = "xfer-result",
    .keys = KC_GLOBAL | KC_MOVE,
    .draw = res_draw,
    .key = res_key,
    .free = res_free,
};

struct ui_xfer_res *ui_xfer_res_open(struct ui *ui, const char *key, const char *def)
{
    struct ui_xfer_res *r = xcalloc(1, sizeof(*r));

    r->key = key;
    r->def = def;
    ui_push(ui, &res_screen, r);
    return r;
}

static struct xent *add(struct ui_xfer_res *r, enum xkind kind)
{
    struct xent *e;

    if (r->n == r->cap) {
        r->cap = r->cap ? 2 * r->cap : 8;
        r->e = xrealloc(r->e, (size_t)r->cap * sizeof(*r->e));
    }
    e = &r->e[r->n++];
    memset(e, 0, sizeof(*e));
    e->kind = kind;
    return e;
}

void ui_xfer_res_note(struct ui_xfer_res *r, enum ui_role role, const char *key, const char *def)
{
    struct xent *e = add(r, XK_NOTE);

    e->role = role;
    e->key = key;
    e->def = def;
}

void ui_xfer_res_error(struct ui_xfer_res *r, const char *key, const char *def,
                       const char *file, const char *why)
{
    struct xent *e = add(r, XK_ERROR);

    e->key = key;
    e->def = def;
    e->file = file ? xstrdup(file) : NULL;
    e->text = xstrdup(why);
}

void ui_xfer_res_export(struct ui_xfer_res *r, const struct bundle_export *x, const char *office)
{
    struct xent *e = add(r, XK_EXPORT);

    e->file = xstrdup(x->file);
    e->seq = x->seq;
    memcpy(e->n, x->counts, sizeof(e->n));
    snprintf(e->office, sizeof(e->office), "%s", office);
}

void ui_xfer_res_import(struct ui_xfer_res *r, struct bundle_summary *s)
{
    struct xent *e = add(r, XK_IMPORT);

    e->s = *s;
    s->file = NULL;
    s->receipt = NULL;
}

void ui_xfer_res_csv(struct ui_xfer_res *r, const char *file, const char *table, int64_t rows,
                     int64_t bytes, const char *labels, int deidentify, int excel)
{
    struct xent *e = add(r, XK_CSV);

    e->file = xstrdup(file);
    snprintf(e->table, sizeof(e->table), "%s", table);
    e->n[0] = rows;
    e->n[1] = bytes;
    e->labels = labels;
    e->deid = deidentify;
    e->excel = excel;
}

/* Adds the gaps in the bundles received so far. */
static void add_missing(struct ui *ui, struct ui_xfer_res *r, int say_none)
{
    struct sbuf gaps = {0};
    int n = bundle_missing(ui->db, &gaps);
    const char *s = sbuf_str(&gaps);

    if (n < 0) {
        ui_xfer_res_error(r, "xfer.failed", "Could not read the bundles received", NULL, err_msg());
    } else if (n == 0 && say_none) {
        ui_xfer_res_note(r, R_GOOD, "xfer.no_gaps",
                         "No gaps: every bundle numbered before the last one received is here.");
    } else if (n > 0) {
        ui_xfer_res_note(r, R_NORMAL, "xfer.gaps", "Bundles not yet received:");
        while (*s) {
            const char *nl = strchr(s, '\n');
            size_t len = nl ? (size_t)(nl - s) : strlen(s);

            add(r, XK_GAP)->text = xstrndup(s, len);
            s += len + (nl ? 1 : 0);
        }
    }
    sbuf_free(&gaps);
}

/* ---- the actions ---- */

/* This office's keys, the passphrase asked on the message line (or taken
 * from $TIPDESK_PASSPHRASE).  NULL with err set when there are none, the
 * clerk pressed Esc, or the passphrase is wrong. */
static struct seal_keys *unlock(struct ui *ui)
{
    char *path = bundle_keys_path_alloc(ui->app->cfg), *pass = NULL;
    const char *env = getenv("TIPDESK_PASSPHRASE");
    struct seal_keys *k = NULL;

    if (access(path, F_OK) != 0)
        err_set("this office has no keys yet; make them with tipdesk keys init");
    else if (!env && !(pass = ui_ask_secret_alloc(ui, ui_tr(ui, "xfer.ask_pass", "Passphrase of this office's keys:"))))
        err_set("no passphrase given; nothing done");
    else
        k = seal_keys_unlock(path, env ? env : pass);
    if (pass) {
        sodium_memzero(pass, strlen(pass));
        free(pass);
    }
    free(path);
    return k;
}

static void export_bundle(struct ui *ui, int all)
{
    const struct config *cfg = ui->app->cfg;
    struct bundle_export x;
    struct seal_keys *keys;
    struct ui_xfer_prog pr;
    struct bundle_progress p = { ui_xfer_prog_fn, &pr };
    struct ui_xfer_res *r;

    if (!ui_confirm(ui, all ? ui_tr(ui, "xfer.ask_all", "Write a bundle with all records of this office?")
                    : ui_tr(ui, "xfer.ask_changes", "Write a bundle of the records changed since the last export?")))
        return;
    memset(&x, 0, sizeof(x));
    x.all = all;
    keys = unlock(ui);
    x.keys = keys;
    r = ui_xfer_res_open(ui, all ? "xfer.m_bundle_all" : "xfer.m_bundle",
                         all ? "Export a bundle with all records" : "Export a bundle of the changes");
    ui_xfer_prog_init(&pr, ui, ui_tr(ui, "xfer.p_export", "Writing"));
    if (!keys || bundle_export(ui->db, cfg, &x, &p) < 0) {
        ui_xfer_res_error(r, "xfer.not_written", "Not written, no file was left behind", NULL, err_msg());
        ui_msg(ui, R_ERROR, "%s", ui_tr(ui, "xfer.not_written", "Not written, no file was left behind"));
    } else {
        ui_xfer_res_export(r, &x, cfg->office_code);
        ui_xfer_res_note(r, R_DIM, "xfer.carry", "Take this file to the level above (e.g. on a USB stick).");
        ui->changes++;      /* home counts the bundles not yet acknowledged */
        ui_msg(ui, R_GOOD, "%s", ui_tr(ui, "msg.export_done", "Export written"));
    }
    seal_keys_free(keys);
    bundle_export_free(&x);
}

void ui_xfer_import_files(struct ui *ui, char **files, int n)
{
    const struct config *cfg = ui->app->cfg;
    struct ui_xfer_res *r = ui_xfer_res_open(ui, "xfer.m_import", "Import bundles");
    struct ui_xfer_prog pr;
    struct bundle_progress p = { ui_xfer_prog_fn, &pr };
    char *ok = xcalloc((size_t)n + 1, 1);
    struct bundle_trust t = {0};
    int i, good = 0, done = 0;

    /* Asked once for the dry runs and the real imports (and receipts). */
    t.keys = unlock(ui);
    if (!t.keys)
        ui_xfer_res_error(r, "xfer.no_keys", "This office's keys are not open", NULL, err_msg());
    ui_xfer_res_note(r, R_SECTION, "xfer.dry_head", "Checked first (dry run, nothing written yet):");
    for (i = 0; i < n; i++) {
        struct bundle_summary s;

        ui_xfer_prog_init(&pr, ui, ui_tr(ui, "xfer.p_check", "Checking"));
        if (bundle_receive(ui->db, cfg, &t, files[i], 1, &s, &p) < 0) {
            ui_xfer_res_error(r, "xfer.refused", "refused", files[i], err_msg());
            ui_xfer_res_note(r, R_WARN, "xfer.unchanged_db", "The database is unchanged.");
        } else {
            ok[i] = !s.already;
            good += ok[i];
            ui_xfer_res_import(r, &s);
        }
        bundle_summary_free(&s);
    }
    if (!good) {
        ui_xfer_res_note(r, R_WARN, "xfer.nothing", "Nothing to import: the database is unchanged.");
        ui_msg(ui, R_WARN, "%s", ui_tr(ui, "xfer.nothing", "Nothing to import: the database is unchanged."));
        goto out;
    }
    if (!ui_confirm(ui, ui_tr(ui, "xfer.ask_import", "Import the checked bundles for real?"))) {
        ui_xfer_res_note(r, R_WARN, "xfer.not_imported", "Not imported: the database is unchanged.");
        goto out;
    }
    ui_xfer_res_note(r, R_SECTION, "xfer.real_head", "Imported:");
    for (i = 0; i < n; i++) {
        struct bundle_summary s;

        if (!ok[i])
            continue;
        ui_xfer_prog_init(&pr, ui, ui_tr(ui, "xfer.p_import", "Importing"));
        if (bundle_receive(ui->db, cfg, &t, files[i], 0, &s, &p) < 0) {
            ui_xfer_res_error(r, "xfer.refused", "refused", files[i], err_msg());
            ui_xfer_res_note(r, R_WARN, "xfer.unchanged_db", "The database is unchanged.");
        } else {
            done++;
            ui_xfer_res_import(r, &s);
        }
        bundle_summary_free(&s);
    }
    if (done) {
        ui->changes++;
        ui_msg(ui, R_GOOD, "%s", ui_tr(ui, "msg.import_done", "Import finished"));
    }
    add_missing(ui, r, 0);
out:
    seal_keys_free((struct seal_keys *)t.keys);
    free(ok);
}

static void missing(struct ui *ui)
{
    struct ui_xfer_res *r = ui_xfer_res_open(ui, "xfer.m_missing", "Bundles not yet received");

    add_missing(ui, r, 1);
}

/* ---- the menu ---- */

static const struct {
    enum ui_act act;
    const char *key, *def;
} items[] = {
    { ACT_BUNDLE, "xfer.m_bundle", "Export a bundle of the changes since the last export" },
    { ACT_BUNDLE_ALL, "xfer.m_bundle_all", "Export a bundle with all records" },
    { ACT_IMPORT, "xfer.m_import", "Import bundles" },
    { ACT_CSV, "xfer.m_csv", "Export a table to CSV" },
    { ACT_MISSING, "xfer.m_missing", "Bundles not yet received" },
};

struct xfer {
    int sel;
};

static void xfer_draw(struct ui *ui, void *st)
{
    struct xfer *m = st;
    const struct config *cfg = ui->app->cfg;
    int y = ui->work_y + 1, i;
    char v[512], level[32];

    ui_put(ui, y, 4, ui->cols - 8, R_HEADER, ui_tr(ui, "xfer.title", "Export and import"));
    y += 2;
    for (i = 0; i < (int)ARRAY_LEN(items); i++, y++) {
        enum ui_role role = i == m->sel ? R_SELECT : R_NORMAL;

        ui_putf(ui, y, 4, 4, role, " %d ", i + 1);
        ui_put(ui, y, 8, ui->cols - 12, role, ui_tr(ui, items[i].key, items[i].def));
    }
    y += 1;
    snprintf(level, sizeof(level), "xfer.level_%s", config_level_name(cfg->level));
    snprintf(v, sizeof(v), "%s · %s", cfg->office_code, ui_tr(ui, level, config_level_name(cfg->level)));
    ui_put(ui, y, 4, 22, R_LABEL, ui_tr(ui, "xfer.office", "Office"));
    ui_put(ui, y++, 26, ui->cols - 30, R_FIELD, v);
    ui_put(ui, y, 4, 22, R_LABEL, ui_tr(ui, "xfer.export_dir", "Export folder"));
    ui_put(ui, y++, 26, ui->cols - 30, R_FIELD, cfg->export_dir);
    ui_put(ui, y + 1, 4, ui->cols - 8, R_DIM, ui_tr(ui, "xfer.hint",
           "Each bundle is checked whole before anything is merged."));
}

static int xfer_key(struct ui *ui, void *st, const struct ui_event *ev)
{
    struct xfer *m = st;
    int n = (int)ARRAY_LEN(items), i;
    enum ui_act act = ev->act;

    switch (act) {
    case ACT_UP: m->sel = (m->sel + n - 1) % n; return 1;
    case ACT_DOWN: m->sel = (m->sel + 1) % n; return 1;
    case ACT_FIRST: case ACT_PGUP: m->sel = 0; return 1;
    case ACT_LAST: case ACT_PGDN: m->sel = n - 1; return 1;
    case ACT_OPEN: act = items[m->sel].act; break;
    default: break;
    }
    for (i = 0; i < n; i++)
        if (items[i].act == act)
            m->sel = i;
    switch (act) {
    case ACT_BUNDLE: export_bundle(ui, 0); return 1;
    case ACT_BUNDLE_ALL: export_bundle(ui, 1); return 1;
    case ACT_IMPORT: ui_xfer_files_open(ui); return 1;
    case ACT_CSV: ui_xfer_csv_open(ui); return 1;
    case ACT_MISSING: missing(ui); return 1;
    default: return 0;
    }
}

static const struct ui_screen xfer_screen = {
    .name = "xfer",
    .keys = KC_GLOBAL | KC_MOVE | KC_OPEN | KC_XFER,
    .draw = xfer_draw,
    .key = xfer_key,
    .free = free,
};

void ui_xfer_open(struct ui *ui)
{
    ui_push(ui, &xfer_screen, xcalloc(1, sizeof(struct xfer)));
}
