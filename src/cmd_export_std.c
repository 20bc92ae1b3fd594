/* tipdesk export htcds|dhis2: the standard exports for partners.  Reached
 * from `tipdesk export` with argv[0] = "htcds" or "dhis2". */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "canon.h"
#include "export_std.h"
#include "formdef_dhis2.h"
#include "outfile.h"
#include "util.h"

#define STD_USAGE \
    "export htcds -o DIR [--deidentify] [--excel]\n" \
    "       export dhis2 --period YYYY [--format json|csv|adx] [--disagg combo|categories] [-o FILE] [--force]"

static int run_htcds(struct app *app, const struct htcds_opts *o)
{
    struct htcds_result r;
    struct db *db;
    const char *dir = o->dir;

    if (outfile_check_dir(dir) < 0 || util_mkdirs(dir) < 0 || !(db = app_db_read(app)) ||
        export_htcds(db, o, &r) < 0) {
        fprintf(stderr, "tipdesk export htcds: %s\n", err_msg());
        return EXIT_FAIL;
    }
    fprintf(stderr, "tipdesk export htcds: %ld cases written to %s/htcds_*.csv%s\n", r.cases, dir,
            o->deidentify ? " (de-identified)" : "");
    if (r.phones_left_out)
        fprintf(stderr, "tipdesk export htcds: %ld phone numbers left out: not convertible to E.164 "
                "(write them as 020 ..., 030 ... or +CC ...)\n", r.phones_left_out);
    return EXIT_OK;
}

static int run_dhis2(struct app *app, struct dhis2_opts *o, const char *file, int force)
{
    static const enum outfile_kind kinds[] = { [DHIS2_JSON] = OUT_JSON, [DHIS2_CSV] = OUT_CSV,
                                               [DHIS2_ADX] = OUT_XML };
    char *path = xasprintf("%s/dhis2.ini", app->cfg->forms_dir);
    struct dhis2_map *m = dhis2_map_load(path);
    struct sbuf out = {0};
    struct db *db;
    long skipped = 0;
    int rc = EXIT_FAIL;

    free(path);
    o->office = app->cfg->office_code;
    if ((file && outfile_check(file, kinds[o->format], force) < 0) || !m || !(db = app_db_read(app)) ||
        export_dhis2(db, m, o, &out, &skipped) < 0 ||
        (file && outfile_write(file, sbuf_str(&out), out.len) < 0)) {
        fprintf(stderr, "tipdesk export dhis2: %s\n", err_msg());
        goto done;
    }
    if (!file)
        fwrite(sbuf_str(&out), 1, out.len, stdout);
    if (skipped)
        fprintf(stderr, "tipdesk export dhis2: %ld counts left out: no district recorded "
                "(see 'tipdesk report quality')\n", skipped);
    rc = EXIT_OK;
done:
    sbuf_free(&out);
    dhis2_map_free(m);
    return rc;
}

int cmd_export_std(struct app *app, int argc, char **argv)
{
    static const struct option opts[] = {
        { "output", required_argument, NULL, 'o' }, { "deidentify", no_argument, NULL, 'd' },
        { "period", required_argument, NULL, 'p' }, { "format", required_argument, NULL, 'f' },
        { "disagg", required_argument, NULL, 'g' }, { "excel", no_argument, NULL, 'x' },
        { "force", no_argument, NULL, 'F' },
        { "help", no_argument, NULL, 'h' }, { NULL, 0, NULL, 0 }
    };
    const char *out = NULL;
    struct dhis2_opts o = { 0, DHIS2_JSON, NULL, 0 };
    enum dhis2_format fmt = DHIS2_JSON;
    int c, deid = 0, excel = 0, disagg = 0, force = 0, htcds = strcmp(argv[0], "htcds") == 0;
    long period = 0;

    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
        switch (c) {
        case 'o': out = optarg; break;
        case 'd': deid = 1; break;
        case 'x': excel = 1; break;
        case 'F': force = 1; break;
        case 'p':
            if (!(period = canon_year(optarg)))
                return app_usage_error("export", STD_USAGE,
                                       "--period takes a year such as 2024, not '%s'", optarg);
            break;
        case 'f':
            if (strcmp(optarg, "json") == 0) fmt = DHIS2_JSON;
            else if (strcmp(optarg, "csv") == 0) fmt = DHIS2_CSV;
            else if (strcmp(optarg, "adx") == 0) fmt = DHIS2_ADX;
            else return app_usage_error("export", STD_USAGE,
                                        "--format takes json, csv or adx, not '%s'", optarg);
            break;
        case 'g':
            if (strcmp(optarg, "combo") == 0) o.adx_categories = 0;
            else if (strcmp(optarg, "categories") == 0) o.adx_categories = 1;
            else return app_usage_error("export", STD_USAGE,
                                        "--disagg takes combo or categories, not '%s'", optarg);
            disagg = 1;
            break;
        case 'h': printf("usage: tipdesk " STD_USAGE "\n"); return EXIT_OK;
        default: return app_usage_error("export", STD_USAGE, "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind < argc)
        return app_usage_error("export", STD_USAGE, "unexpected argument '%s'", argv[optind]);
    if (htcds) {
        if (!out)
            return app_usage_error("export", STD_USAGE, "export htcds needs -o DIR");
        if (period || fmt != DHIS2_JSON || disagg || force)
            return app_usage_error("export", STD_USAGE,
                                   "--period, --format, --disagg and --force are for dhis2");
        {
            struct htcds_opts ho = { out, deid, excel };

            return run_htcds(app, &ho);
        }
    }
    if (strcmp(argv[0], "dhis2") != 0)
        return app_usage_error("export", STD_USAGE, "unknown kind of export '%s'", argv[0]);
    if (!period)
        return app_usage_error("export", STD_USAGE, "export dhis2 needs --period YYYY");
    if (deid || excel)
        return app_usage_error("export", STD_USAGE,
                               "--deidentify and --excel are for htcds (DHIS2 values are counts)");
    if (disagg && fmt != DHIS2_ADX)
        return app_usage_error("export", STD_USAGE,
                               "--disagg is for --format adx (JSON and CSV carry category option combos)");
    o.period = (int)period;
    o.format = fmt;
    return run_dhis2(app, &o, out, force);
}
