/* What the export/import screens share: the result view (ui_xfer.c), kept
 * as numbers and drawn in the current language, the progress callback, the
 * bundle import run, and the file and CSV-option screens (ui_xfer_pick.c). */
#ifndef TIPDESK_UI_XFER_PRIV_H
#define TIPDESK_UI_XFER_PRIV_H

#include <stdint.h>

#include "bundle.h"
#include "ui.h"

/* The names of the tables a bundle carries (in bundle_tables order), as
 * the clerk reads them. */
const char *ui_xfer_table_label(const struct ui *ui, int bt);

/* A progress bar on the message line fed by the library's callbacks. */
struct ui_xfer_prog {
    struct ui *ui;
    char label[19];         /* cut on a character boundary */
    long last;              /* the last tenth of a percent drawn */
};
void ui_xfer_prog_init(struct ui_xfer_prog *p, struct ui *ui, const char *label);
void ui_xfer_prog_fn(void *ctx, int64_t done, int64_t total);

/* The result view: pushed at once, filled while the work goes on.  The
 * view owns it; it lives until the clerk leaves it. */
struct ui_xfer_res;
struct ui_xfer_res *ui_xfer_res_open(struct ui *ui, const char *key, const char *def);
/* A line of ui.ini text KEY (English DEF) in ROLE. */
void ui_xfer_res_note(struct ui_xfer_res *r, enum ui_role role, const char *key, const char *def);
/* A failure: header KEY/DEF naming FILE (may be NULL), then the message WHY. */
void ui_xfer_res_error(struct ui_xfer_res *r, const char *key, const char *def,
                       const char *file, const char *why);
void ui_xfer_res_export(struct ui_xfer_res *r, const struct bundle_export *x, const char *office);
/* Takes over S->file. */
void ui_xfer_res_import(struct ui_xfer_res *r, struct bundle_summary *s);
/* A CSV file written: its path, table, data rows, bytes and options. */
void ui_xfer_res_csv(struct ui_xfer_res *r, const char *file, const char *table, int64_t rows,
                     int64_t bytes, const char *labels, int deidentify, int excel);

/* Checks each of the N FILES with a dry run, shows the summaries, asks, and
 * imports the good ones for real. */
void ui_xfer_import_files(struct ui *ui, char **files, int n);

/* The screens of ui_xfer_pick.c. */
void ui_xfer_files_open(struct ui *ui);
void ui_xfer_csv_open(struct ui *ui);

#endif
