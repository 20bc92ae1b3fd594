/* Running a report by name and writing it out: the one place that knows
 * every report, so the reports' shared helpers (report_query.c) need none. */
#include <string.h>

#include "report.h"
#include "util.h"

const char *const report_names[] = {
    "victims", "prosecutions", "prevention", "protection", "npa", "quality", NULL
};

/* The builder of each name of report_names, in the same order. */
static struct report *(*const builders[])(struct db *, const struct report_opts *) = {
    report_victims_new, report_prosecutions_new, report_prevention_new,
    report_protection_new, report_npa_new, report_quality_new
};

_Static_assert(ARRAY_LEN(builders) == ARRAY_LEN(report_names) - 1, "a builder for each report name");

struct report *report_run_new(struct db *db, const char *name, const struct report_opts *o)
{
    struct report *rep = NULL;
    size_t i;

    for (i = 0; i < ARRAY_LEN(builders) && strcmp(report_names[i], name) != 0; i++)
        ;
    if (i == ARRAY_LEN(builders)) {
        err_set("unknown report '%s'; choose victims, prosecutions, prevention, protection, "
                "npa or quality", name);
        return NULL;
    }
    if (!(rep = builders[i](db, o)))
        return NULL;
    report_legend(rep, o);
    if (o->publish)
        report_suppress(rep, o->min_cell);
    return rep;
}

void report_write(const struct report *rep, const struct report_opts *o, int csv,
                  struct sbuf *out)
{
    const char *lang = o->lang ? o->lang : "en";
    int i;

    if (csv) {
        if (rep->ntab)
            rtable_write_csv(rep->tabs[0], o->min_cell, out);
        return;
    }
    for (i = 0; i < rep->ntab; i++) {
        if (i)
            sbuf_addc(out, '\n');
        rtable_write_text(rep->tabs[i], lang, o->min_cell, out);
    }
    sbuf_addc(out, '\n');
    sbuf_add(out, rtable_label(rep->legend_en, rep->legend_lo, lang));
    sbuf_addc(out, '\n');
}
