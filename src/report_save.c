/* Saving a report table as a CSV file: the reports screen's export, written
 * the way `tipdesk report --format csv -o FILE` writes it. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "report.h"
#include "util.h"

/* Creates DIR and its missing parents. */
static int mkdir_p(const char *dir)
{
    char *p = xstrdup(dir), *s;
    int rc = 0;

    for (s = p + 1; ; s++) {
        if (*s != '/' && *s != '\0')
            continue;
        {
            char c = *s;

            *s = '\0';
            if (mkdir(p, 0777) != 0 && errno != EEXIST)
                rc = err_set("%s: cannot create the folder (%s)", p, strerror(errno));
            *s = c;
        }
        if (rc < 0 || *s == '\0')
            break;
    }
    free(p);
    return rc;
}

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
    char *tmp = xasprintf("%s.tmp", path);
    FILE *f = NULL;

    free(name);
    if (mkdir_p(dir) < 0)
        goto fail;
    rtable_write_csv(t, o->min_cell, &csv);
    /* A temporary name first: a full disk never leaves half a table under the real name. */
    if (!(f = fopen(tmp, "wb")) || fwrite(sbuf_str(&csv), 1, csv.len, f) != csv.len) {
        err_set("%s: cannot write the file (%s)", path, strerror(errno));
        goto fail;
    }
    if (fclose(f) != 0 || rename(tmp, path) != 0) {
        f = NULL;
        err_set("%s: cannot write the file (%s)", path, strerror(errno));
        goto fail;
    }
    free(tmp);
    sbuf_free(&csv);
    return path;
fail:
    if (f)
        fclose(f);
    remove(tmp);
    free(tmp);
    free(path);
    sbuf_free(&csv);
    return NULL;
}
