/* testlib — what the cmocka suites share: a temporary folder for a suite's
 * files and, for the report suites, a report as CSV text.  Header only, so
 * each test binary stays one .c file. */
#ifndef TIPDESK_TESTLIB_H
#define TIPDESK_TESTLIB_H

#include <stdio.h>
#include <stdlib.h>

#include "util.h"

/* Makes a new folder /tmp/tipdesk-NAME.XXXXXX, its path in DIR; 0 or -1. */
static inline int tl_mkdtemp(char dir[64], const char *name)
{
    snprintf(dir, 64, "/tmp/tipdesk-%s.XXXXXX", name);
    return mkdtemp(dir) ? 0 : -1;
}

/* Removes DIR and everything in it; 0 when it went. */
static inline int tl_rm_rf(const char *dir)
{
    char *cmd = xasprintf("rm -rf '%s'", dir);
    int rc = system(cmd);

    free(cmd);
    return rc;
}

#ifdef TIPDESK_REPORT_H
/* The options the report suites run with: breakdown BY, cells under 5
 * suppressed when published, English, and "today" fixed at 2024-06-30. */
static inline struct report_opts tl_report_opts(enum report_by by)
{
    struct report_opts o = {0};

    o.by = by;
    o.min_cell = 5;
    o.lang = "en";
    o.today = "2024-06-30";
    return o;
}

/* The main table of report NAME on DB as CSV, LF line ends for easy
 * comparison; fails the test when the report cannot run.  Caller frees. */
static inline char *tl_report_csv_alloc(struct db *db, const char *name,
                                        const struct report_opts *o)
{
    struct report *rep = report_run_new(db, name, o);
    struct sbuf out = {0};
    char *s, *p, *q;

    if (!rep)
        fail_msg("report %s: %s", name, err_msg());
    report_write(rep, o, 1, &out);
    report_free(rep);
    s = xstrdup(sbuf_str(&out));
    sbuf_free(&out);
    for (p = q = s; *p; p++)
        if (*p != '\r')
            *q++ = *p;
    *q = '\0';
    return s;
}
#endif

#ifdef TIPDESK_DEMO_H
#include "formdef.h"

/* The shipped forms (TIPDESK_SRC/forms, else ./forms) that demo records are
 * saved by, loaded once and kept while the test binary runs; NULL, with the
 * reason on stderr, when they do not load. */
static inline const struct formset *tl_demo_forms(void)
{
    static struct formset *fs;

    if (!fs) {
        const char *src = getenv("TIPDESK_SRC");
        char *d = xasprintf("%s/forms", src && *src ? src : ".");

        if (!(fs = formset_load(d)))
            fprintf(stderr, "%s\n", err_msg());
        free(d);
    }
    return fs;
}
#endif

#endif
