/* Saving a report table as a CSV file: the reports screen's export, written
 * the way `tipdesk report --format csv -o FILE` writes it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "outfile.h"
#include "report.h"
#include "util.h"

char *report_csv_name_alloc(const struct report *rep, const struct rtable *t,
                            const struct report_opts *o)
{
    struct sbuf b = {0};

    /* "victims_by_year" already says which report it belongs to. */
    if (strncmp(t->name, rep->name, strlen(rep->name)) == 0)
        sbuf_addf(&b, "report_%s", t->name);
    else
        sbuf_addf(&b, "report_%s_%s", rep->name, t->name);
    if (o->from || o->to)
        sbuf_addf(&b, "_%d-%d", o->from, o->to);
    sbuf_add(&b, ".csv");
    return b.s;
}

char *report_save_csv_alloc(const struct report *rep, const struct rtable *t,
                            const struct report_opts *o, const char *dir)
{
    struct sbuf csv = {0};
    char *name = report_csv_name_alloc(rep, t, o);
    char *path = xasprintf("%s/%s", dir, name);

    free(name);
    if (outfile_check_dir(dir) < 0 || util_mkdirs(dir) < 0 || outfile_check(path, OUT_CSV, 0) < 0)
        goto fail;
    rtable_write_csv(t, o->min_cell, &csv);
    /* A temporary name first: a full disk never leaves half a table under the real name. */
    if (outfile_write(path, sbuf_str(&csv), csv.len) < 0)
        goto fail;
    sbuf_free(&csv);
    return path;
fail:
    free(path);
    sbuf_free(&csv);
    return NULL;
}
