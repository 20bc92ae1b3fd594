/* tipdesk report NAME: the M&E tables on stdout as text or CSV. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "canon.h"
#include "outfile.h"
#include "report.h"
#include "util.h"

#define REPORT_USAGE \
    "report victims|prosecutions|prevention|protection|npa|quality\n" \
    "         [--from YEAR] [--to YEAR] [--by year|province|district|office|country|exploitation|agency|border_area|type]\n" \
    "         [--status draft|complete|verified] [--where COLUMN=VALUE]... [--format text|csv]\n" \
    "         [--publish] [--lang en|lo] [-o FILE [--force]]"

static int parse_by(const char *s, enum report_by *by)
{
    static const enum report_by all[] = { BY_YEAR, BY_PROVINCE, BY_DISTRICT, BY_OFFICE, BY_COUNTRY,
                                          BY_EXPLOITATION, BY_AGENCY, BY_BORDER, BY_TYPE };
    size_t i;

    for (i = 0; i < ARRAY_LEN(all); i++)
        if (strcmp(s, report_by_name(all[i])) == 0) {
            *by = all[i];
            return 0;
        }
    return -1;
}

static int parse_year(const char *s, int *y)
{
    return (*y = canon_year(s)) ? 0 : -1;
}

int cmd_report(struct app *app, int argc, char **argv)
{
    static const struct option opts[] = {
        { "from", required_argument, NULL, 'f' }, { "to", required_argument, NULL, 't' },
        { "by", required_argument, NULL, 'b' }, { "status", required_argument, NULL, 's' },
        { "where", required_argument, NULL, 'w' }, { "format", required_argument, NULL, 'F' },
        { "publish", no_argument, NULL, 'p' }, { "lang", required_argument, NULL, 'l' },
        { "force", no_argument, NULL, 'r' },
        { "help", no_argument, NULL, 'h' }, { NULL, 0, NULL, 0 }
    };
    struct report_opts o = {0};
    struct report *rep = NULL;
    struct sbuf out = {0};
    char *wcopy[REPORT_MAX_WHERE] = {0};
    const char *file = NULL;
    struct db *db;
    int c, csv = 0, force = 0, rc = EXIT_FAIL, i;

    o.min_cell = app->cfg->min_cell;
    o.lang = app->cfg->language;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
        switch (c) {
        case 'f':
            if (parse_year(optarg, &o.from) < 0) {
                rc = app_usage_error("report", REPORT_USAGE, "--from '%s': give a year such as 2015", optarg);
                goto out;
            }
            break;
        case 't':
            if (parse_year(optarg, &o.to) < 0) {
                rc = app_usage_error("report", REPORT_USAGE, "--to '%s': give a year such as 2017", optarg);
                goto out;
            }
            break;
        case 'b':
            if (parse_by(optarg, &o.by) < 0) {
                rc = app_usage_error("report", REPORT_USAGE, "--by '%s': not a breakdown", optarg);
                goto out;
            }
            break;
        case 's':
            if (!canon_is_code("cases", "status", optarg)) {
                rc = app_usage_error("report", REPORT_USAGE, "--status '%s': use draft, complete or verified", optarg);
                goto out;
            }
            o.status = optarg;
            break;
        case 'w': {
            char *eq;

            if (o.nwhere == REPORT_MAX_WHERE) {
                rc = app_usage_error("report", REPORT_USAGE, "%s: too many --where", optarg);
                goto out;
            }
            if (!(eq = strchr(optarg, '=')) || eq == optarg) {
                rc = app_usage_error("report", REPORT_USAGE, "--where '%s': write COLUMN=VALUE", optarg);
                goto out;
            }
            wcopy[o.nwhere] = xstrdup(optarg);
            eq = wcopy[o.nwhere] + (eq - optarg);
            *eq = '\0';
            o.where_col[o.nwhere] = wcopy[o.nwhere];
            o.where_val[o.nwhere++] = eq + 1;
            break;
        }
        case 'F':
            if (strcmp(optarg, "csv") == 0) csv = 1;
            else if (strcmp(optarg, "text") == 0) csv = 0;
            else {
                rc = app_usage_error("report", REPORT_USAGE, "--format '%s': use text or csv", optarg);
                goto out;
            }
            break;
        case 'p': o.publish = 1; break;
        case 'l':
            if (strcmp(optarg, "en") && strcmp(optarg, "lo")) {
                rc = app_usage_error("report", REPORT_USAGE, "--lang '%s': use en or lo", optarg);
                goto out;
            }
            o.lang = optarg;
            break;
        case 'o': file = optarg; break;
        case 'r': force = 1; break;
        case 'h': printf("usage: tipdesk " REPORT_USAGE "\n"); rc = EXIT_OK; goto out;
        default:
            rc = app_usage_error("report", REPORT_USAGE, "unknown option '%s'", argv[optind - 1]);
            goto out;
        }
    }
    if (optind != argc - 1) {
        rc = app_usage_error("report", REPORT_USAGE, "%s",
                             optind >= argc ? "which report?" : "one report at a time");
        goto out;
    }
    if (o.from && o.to && o.from > o.to) {
        rc = app_usage_error("report", REPORT_USAGE, "--from is after --to");
        goto out;
    }
    if (o.publish && strcmp(argv[optind], "quality") == 0) {
        rc = app_usage_error("report", REPORT_USAGE, "quality lists record refs for checking and cannot be published");
        goto out;
    }
    if ((file && outfile_check(file, csv ? OUT_CSV : OUT_REPORT, force) < 0) || !(db = app_db_read(app))) {
        fprintf(stderr, "tipdesk report: %s\n", err_msg());
        goto out;
    }
    if (!(rep = report_run_new(db, argv[optind], &o))) {
        fprintf(stderr, "tipdesk report: %s\n", err_msg());
        rc = strstr(err_msg(), "unknown report") || strstr(err_msg(), "no breakdown") ? EXIT_USAGE : EXIT_FAIL;
        goto out;
    }
    report_write(rep, &o, csv, &out);
    if (file) {
        if (outfile_write(file, sbuf_str(&out), out.len) < 0) {
            fprintf(stderr, "tipdesk report: %s\n", err_msg());
            goto out;
        }
    } else {
        fwrite(sbuf_str(&out), 1, out.len, stdout);
    }
    rc = EXIT_OK;
out:
    for (i = 0; i < REPORT_MAX_WHERE; i++)
        free(wcopy[i]);
    report_free(rep);
    sbuf_free(&out);
    return rc;
}
