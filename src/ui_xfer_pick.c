/* The choices before an export or import: which bundle files to import
 * (found in the export folder and on sticks mounted under /media and /mnt,
 * or a path typed in), and how to write a table as CSV. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "app.h"
#include "config.h"
#include "csvio.h"
#include "outfile.h"
#include "ui.h"
#include "ui_xfer_priv.h"
#include "util.h"

#define MAX_FILES 2000

/* ---- bundle files ---- */

struct xfile {
    char *path;
    long long size;
    time_t mtime;
    int marked;
};

struct files {
    struct xfile *f;
    int n, cap, sel, top;
};

static int ends_with(const char *s, const char *tail)
{
    size_t a = strlen(s), b = strlen(tail);

    return a >= b && strcmp(s + a - b, tail) == 0;
}

static void add_file(struct files *fl, const char *path, const struct stat *sb)
{
    int i;

    for (i = 0; i < fl->n; i++)
        if (strcmp(fl->f[i].path, path) == 0)
            return;
    if (fl->n == fl->cap) {
        fl->cap = fl->cap ? 2 * fl->cap : 32;
        fl->f = xrealloc(fl->f, (size_t)fl->cap * sizeof(*fl->f));
    }
    fl->f[fl->n].path = xstrdup(path);
    fl->f[fl->n].size = (long long)sb->st_size;
    fl->f[fl->n].mtime = sb->st_mtime;
    fl->f[fl->n++].marked = 0;
}

static int by_path(const void *a, const void *b)
{
    return strcmp(((const struct xfile *)a)->path, ((const struct xfile *)b)->path);
}

/* Adds the *.tipx files under DIR, DEPTH folders down; hidden names (the
 * temporary files of an export under way among them) and symbolic links to
 * folders are skipped. */
static void scan(struct files *fl, const char *dir, int depth)
{
    DIR *d = opendir(dir);
    struct dirent *de;
    int from = fl->n;

    if (!d)
        return;
    while ((de = readdir(d)) && fl->n < MAX_FILES) {
        struct stat sb;
        char *p;

        if (de->d_name[0] == '.')
            continue;
        p = xasprintf("%s%s%s", dir, ends_with(dir, "/") ? "" : "/", de->d_name);
        if (lstat(p, &sb) == 0) {
            if (S_ISDIR(sb.st_mode) && depth > 0)
                scan(fl, p, depth - 1);
            else if ((S_ISREG(sb.st_mode) || (S_ISLNK(sb.st_mode) && stat(p, &sb) == 0
                      && S_ISREG(sb.st_mode))) && ends_with(de->d_name, ".tipx"))
                add_file(fl, p, &sb);
        }
        free(p);
    }
    closedir(d);
    if (fl->n > from)
        qsort(fl->f + from, (size_t)(fl->n - from), sizeof(*fl->f), by_path);
}

static void files_draw(struct ui *ui, void *st)
{
    struct files *fl = st;
    int y = ui->work_y, rows = ui->work_h - 5, i, wname = ui->cols - 48;

    if (wname < 24)
        wname = 24;
    ui_put(ui, y++, 0, ui->cols, R_HEADER,
           ui_tr(ui, "xfer.files_title", "Import bundles: choose the files"));
    ui_put(ui, y, 2, wname, R_LABEL, ui_tr(ui, "xfer.col_file", "File"));
    ui_put(ui, y, 2 + wname, 12, R_LABEL, ui_tr(ui, "xfer.col_size", "Size"));
    ui_put(ui, y++, 16 + wname, ui->cols - 16 - wname, R_LABEL, ui_tr(ui, "xfer.col_folder", "Folder"));
    if (fl->sel >= fl->n)
        fl->sel = fl->n - 1;
    if (fl->sel < 0)
        fl->sel = 0;
    if (fl->sel < fl->top)
        fl->top = fl->sel;
    if (fl->sel >= fl->top + rows)
        fl->top = fl->sel - rows + 1;
    for (i = fl->top; i < fl->n && i < fl->top + rows; i++, y++) {
        const struct xfile *f = &fl->f[i];
        enum ui_role role = i == fl->sel ? R_SELECT : R_NORMAL;
        const char *slash = strrchr(f->path, '/');
        char folder[512];

        snprintf(folder, sizeof(folder), "%.*s", slash ? (int)(slash - f->path) : 0, f->path);
        ui_put(ui, y, 0, ui->cols, role, "");
        ui_putf(ui, y, 0, wname + 2, role, "%s %s", f->marked ? "✓" : " ", slash ? slash + 1 : f->path);
        ui_putf(ui, y, 2 + wname, 12, role, "%9lld KB", (f->size + 1023) / 1024);
        ui_put(ui, y, 16 + wname, ui->cols - 16 - wname, role, folder);
    }
    if (!fl->n)
        ui_put(ui, y, 2, ui->cols - 4, R_DIM, ui_tr(ui, "xfer.no_files",
               "No .tipx file in the export folder, /media or /mnt: press p to type a path."));
    ui_put(ui, ui->work_y + ui->work_h - 2, 0, ui->cols, R_DIM, ui_tr(ui, "xfer.files_hint",
           "Space marks several, Enter imports the marked ones (or the highlighted one)."));
}

static void files_free(void *st)
{
    struct files *fl = st;
    int i;

    for (i = 0; i < fl->n; i++)
        free(fl->f[i].path);
    free(fl->f);
    free(fl);
}

/* Leaves the file list and imports the N paths of LIST (freed here). */
static void import_and_free(struct ui *ui, char **list, int n)
{
    int i;

    ui_pop(ui);
    ui_xfer_import_files(ui, list, n);
    for (i = 0; i < n; i++)
        free(list[i]);
    free(list);
}

static void files_import(struct ui *ui, struct files *fl)
{
    char **list;
    int i, n = 0;

    if (!fl->n)
        return;
    list = xcalloc((size_t)fl->n, sizeof(*list));
    for (i = 0; i < fl->n; i++)
        if (fl->f[i].marked)
            list[n++] = xstrdup(fl->f[i].path);
    if (!n)
        list[n++] = xstrdup(fl->f[fl->sel].path);
    import_and_free(ui, list, n);
}

/* A path typed in: a file is imported as it is, a folder adds its bundles. */
static void files_path(struct ui *ui, struct files *fl)
{
    char *init = xasprintf("%s/", ui->app->cfg->export_dir);
    char *path = ui_ask_text_alloc(ui, ui_tr(ui, "xfer.ask_path", "Bundle file or folder:"), init);
    struct stat sb;

    free(init);
    if (!path || !*path) {
        free(path);
        return;
    }
    if (stat(path, &sb) != 0) {
        ui_msg(ui, R_ERROR, "%s: %s", path, ui_tr(ui, "xfer.no_such", "no such file or folder"));
    } else if (S_ISDIR(sb.st_mode)) {
        int before = fl->n;

        scan(fl, path, 1);
        if (fl->n > before)
            fl->sel = before;
        else
            ui_msg(ui, R_WARN, "%s: %s", path, ui_tr(ui, "xfer.none_there", "no .tipx file there"));
    } else {
        char **list = xcalloc(1, sizeof(*list));

        list[0] = path;
        import_and_free(ui, list, 1);
        return;
    }
    free(path);
}

static int files_key(struct ui *ui, void *st, const struct ui_event *ev)
{
    struct files *fl = st;
    int page = ui->work_h - 6;

    switch (ev->act) {
    case ACT_UP: if (fl->sel > 0) fl->sel--; return 1;
    case ACT_DOWN: if (fl->sel + 1 < fl->n) fl->sel++; return 1;
    case ACT_PGUP: fl->sel -= page; return 1;
    case ACT_PGDN: fl->sel += page; return 1;
    case ACT_FIRST: fl->sel = 0; return 1;
    case ACT_LAST: fl->sel = fl->n - 1; return 1;
    case ACT_TOGGLE:
        if (fl->n) {
            fl->f[fl->sel].marked = !fl->f[fl->sel].marked;
            if (fl->sel + 1 < fl->n)
                fl->sel++;
        }
        return 1;
    case ACT_OPEN: files_import(ui, fl); return 1;
    case ACT_PATH: files_path(ui, fl); return 1;
    default: return 0;
    }
}

static const struct ui_screen files_screen = {
    .name = "xfer-files",
    .keys = KC_GLOBAL | KC_MOVE | KC_PICK | KC_FILES,
    .draw = files_draw,
    .key = files_key,
    .free = files_free,
};

void ui_xfer_files_open(struct ui *ui)
{
    struct files *fl = xcalloc(1, sizeof(*fl));

    scan(fl, ui->app->cfg->export_dir, 1);
    scan(fl, "/media", 3);
    scan(fl, "/mnt", 3);
    ui_push(ui, &files_screen, fl);
}

/* ---- CSV export ---- */

/* The CSV tables, in the order of bundle_tables (the last, the audit log,
 * is not offered). */
#define CSV_TABLES (BT_N - 1)

enum { OPT_TABLE, OPT_LABELS, OPT_DEID, OPT_EXCEL, OPT_WRITE, OPT_N };

struct csvopt {
    int row;
    int table, labels, deid, excel;     /* labels: 0 codes, 1 English, 2 Lao */
};

static const char *const label_langs[3] = { NULL, "en", "lo" };

/* The file the options write: TABLE_OFFICE_YYYYMMDD[_deid].csv in export_dir. */
static char *csv_path_alloc(const struct ui *ui, const struct csvopt *o)
{
    char day[11];

    util_today(day);
    return xasprintf("%s/%s_%s_%.4s%.2s%.2s%s.csv", ui->app->cfg->export_dir,
                     bundle_tables[o->table], ui->app->cfg->office_code, day, day + 5, day + 8,
                     o->deid ? "_deid" : "");
}

static const char *opt_value(const struct ui *ui, const struct csvopt *o, int row)
{
    static const char *const lk[3][2] = {
        { "xfer.o_codes", "codes" }, { "xfer.o_labels_en", "English labels" },
        { "xfer.o_labels_lo", "Lao labels" },
    };

    switch (row) {
    case OPT_TABLE: return ui_xfer_table_label(ui, o->table);
    case OPT_LABELS: return ui_tr(ui, lk[o->labels][0], lk[o->labels][1]);
    case OPT_DEID: case OPT_EXCEL:
        return (row == OPT_DEID ? o->deid : o->excel) ? ui_tr(ui, "xfer.yes", "yes")
                                                       : ui_tr(ui, "xfer.no", "no");
    default: return "";
    }
}

static void csv_draw(struct ui *ui, void *st)
{
    struct csvopt *o = st;
    static const char *const names[OPT_N][2] = {
        { "xfer.o_table", "Table" }, { "xfer.o_values", "Coded values as" },
        { "xfer.o_deid_q", "De-identified" }, { "xfer.o_excel", "For Excel (byte-order mark)" },
        { "xfer.o_write", "Write the file" },
    };
    int y = ui->work_y, i;
    char *path = csv_path_alloc(ui, o);

    ui_put(ui, y++, 0, ui->cols, R_HEADER, ui_tr(ui, "xfer.m_csv", "Export a table to CSV"));
    y++;
    for (i = 0; i < OPT_N; i++, y++) {
        int cur = i == o->row;

        if (i == OPT_WRITE) {
            y++;
            ui_putf(ui, y, 2, 40, cur ? R_SELECT : R_NORMAL, "[ %s ]", ui_tr(ui, names[i][0], names[i][1]));
            continue;
        }
        ui_put(ui, y, 2, 30, cur ? R_SELECT : R_LABEL, ui_tr(ui, names[i][0], names[i][1]));
        ui_putf(ui, y, 33, ui->cols - 35, cur ? R_CURFIELD : R_FIELD, "◀ %s ▶", opt_value(ui, o, i));
    }
    y++;
    ui_put(ui, y, 2, 14, R_LABEL, ui_tr(ui, "xfer.file", "File"));
    ui_put(ui, y++, 18, ui->cols - 20, R_NORMAL, path);
    y++;
    ui_put(ui, y++, 2, ui->cols - 4, R_DIM, ui_tr(ui, "xfer.deid_help",
           "De-identified: no names or contact details, birth dates become years."));
    ui_put(ui, y, 2, ui->cols - 4, R_DIM, ui_tr(ui, "xfer.excel_help",
           "For Excel: a byte-order mark first, so Excel shows Lao correctly."));
    free(path);
}

/* Data rows of the CSV file PATH: line ends outside quotes, less the header. */
static int64_t csv_rows(const char *path)
{
    FILE *f = fopen(path, "rb");
    int64_t lines = 0;
    int c, quoted = 0;

    if (!f)
        return -1;
    while ((c = getc(f)) != EOF) {
        if (c == '"')
            quoted = !quoted;
        else if (c == '\n' && !quoted)
            lines++;
    }
    fclose(f);
    return lines > 0 ? lines - 1 : 0;
}

static void csv_write(struct ui *ui, struct csvopt *o)
{
    struct csv_export_opts co;
    struct ui_xfer_prog pr;
    struct ui_xfer_res *r;
    struct stat sb;
    char *path = csv_path_alloc(ui, o);
    int exists = stat(path, &sb) == 0;

    /* The same guard as csv_export's, before asking: a refusal is said at once. */
    if (outfile_check_dir(ui->app->cfg->export_dir) < 0 || (exists && outfile_check(path, OUT_CSV, 0) < 0)) {
        ui_msg(ui, R_ERROR, "%s", err_msg());
        goto out;
    }
    if (!ui_confirm(ui, exists ? ui_tr(ui, "xfer.ask_replace", "A file of that name exists: replace it?")
                    : ui_tr(ui, "xfer.ask_csv", "Write the CSV file?")))
        goto out;
    memset(&co, 0, sizeof(co));
    co.table = bundle_tables[o->table];
    co.out = path;
    co.deidentify = o->deid;
    co.excel = o->excel;
    co.labels = label_langs[o->labels];
    co.progress = ui_xfer_prog_fn;
    co.ctx = &pr;
    r = ui_xfer_res_open(ui, "xfer.m_csv", "Export a table to CSV");
    ui_xfer_prog_init(&pr, ui, ui_tr(ui, "xfer.p_export", "Writing"));
    if (util_mkdirs(ui->app->cfg->export_dir) < 0 || csv_export(ui->db, ui->app->cfg, &co) < 0) {
        ui_xfer_res_error(r, "xfer.not_written", "Not written, no file was left behind", NULL, err_msg());
        ui_msg(ui, R_ERROR, "%s", ui_tr(ui, "xfer.not_written", "Not written, no file was left behind"));
        goto out;
    }
    ui_xfer_res_csv(r, path, co.table, csv_rows(path), stat(path, &sb) == 0 ? (int64_t)sb.st_size : -1,
                    co.labels, o->deid, o->excel);
    ui_msg(ui, R_GOOD, "%s", ui_tr(ui, "msg.export_done", "Export written"));
out:
    free(path);
}

static void opt_step(struct csvopt *o, int by)
{
    switch (o->row) {
    case OPT_TABLE: o->table = (o->table + CSV_TABLES + by) % CSV_TABLES; break;
    case OPT_LABELS: o->labels = (o->labels + 3 + by) % 3; break;
    case OPT_DEID: o->deid = !o->deid; break;
    case OPT_EXCEL: o->excel = !o->excel; break;
    default: break;
    }
}

static int csv_key(struct ui *ui, void *st, const struct ui_event *ev)
{
    struct csvopt *o = st;

    switch (ev->act) {
    case ACT_UP: o->row = (o->row + OPT_N - 1) % OPT_N; return 1;
    case ACT_DOWN: o->row = (o->row + 1) % OPT_N; return 1;
    case ACT_FIRST: case ACT_PGUP: o->row = 0; return 1;
    case ACT_LAST: case ACT_PGDN: o->row = OPT_WRITE; return 1;
    case ACT_RIGHT: opt_step(o, 1); return 1;
    case ACT_LEFT: opt_step(o, -1); return 1;
    case ACT_TOGGLE:
        if (o->row == OPT_WRITE)
            csv_write(ui, o);
        else
            opt_step(o, 1);
        return 1;
    case ACT_SAVE: csv_write(ui, o); return 1;
    default: return 0;
    }
}

static const struct ui_screen csv_screen = {
    .name = "xfer-csv",
    .keys = KC_GLOBAL | KC_MOVE | KC_OPTS,
    .draw = csv_draw,
    .key = csv_key,
    .free = free,
};

void ui_xfer_csv_open(struct ui *ui)
{
    ui_push(ui, &csv_screen, xcalloc(1, sizeof(struct csvopt)));
}
