/* tipdesk export htcds|dhis2: the standard exports for partners.  Reached
 * from `tipdesk export` with argv[0] = "htcds" or "dhis2". */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "export_std.h"
#include "formdef_dhis2.h"
#include "outfile.h"
#include "util.h"

#define STD_USAGE \
    "export htcds -o DIR [--deidentify]\n" \
    "       export dhis2 --period YYYY [--format json|csv|adx] [-o FILE] [--force]"

static int usage(const char *what, const char *arg)
{
    fprintf(stderr, "tipdesk export: %s%s%s\nusage: tipdesk " STD_USAGE "\n",
            what, arg ? " " : "", arg ? arg : "");
    return EXIT_USAGE;
}

static int run_htcds(struct app *app, const char *dir, int deid)
{
    struct db *db;
    long n = 0;

    if (outfile_check_dir(dir) < 0 || util_mkdirs(dir) < 0 || !(db = app_db_read(app)) ||
        export_htcds(db, dir, deid, &n) < 0) {
        fprintf(stderr, "tipdesk export htcds: %s\n", err_msg());
        return EXIT_FAIL;
    }
    fprintf(stderr, "tipdesk export htcds: %ld cases written to %s/htcds_*.csv%s\n", n, dir,
            deid ? " (de-identified)" : "");
    return EXIT_OK;
}

static int run_dhis2(struct app *app, int period, enum dhis2_format fmt, const char *file, int force)
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
    if ((file && outfile_check(file, kinds[fmt], force) < 0) || !m || !(db = app_db_read(app)) ||
        export_dhis2(db, m, period, fmt, &out, &skipped) < 0 ||
        (file && outfile_write(file, sbuf_str(&out), out.len) < 0)) {
        fprintf(stderr, "tipdesk export dhis2: %s\n", err_msg());
        goto done;
    }
    if (!file) {
        fwrite(sbuf_str(&out), 1, out.len, stdout);
    }
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
        { "force", no_argument, NULL, 'F' },
        { "help", no_argument, NULL, 'h' }, { NULL, 0, NULL, 0 }
    };
    const char *out = NULL;
    enum dhis2_format fmt = DHIS2_JSON;
    int c, deid = 0, force = 0, htcds = strcmp(argv[0], "htcds") == 0;
    long period = 0;

    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
        switch (c) {
        case 'o': out = optarg; break;
        case 'd': deid = 1; break;
        case 'F': force = 1; break;
        case 'p':
            if (util_parse_long(optarg, &period) != 0 || period < 1900 || period > 2200)
                return usage("--period takes a year such as 2024, not", optarg);
            break;
        case 'f':
            if (strcmp(optarg, "json") == 0) fmt = DHIS2_JSON;
            else if (strcmp(optarg, "csv") == 0) fmt = DHIS2_CSV;
            else if (strcmp(optarg, "adx") == 0) fmt = DHIS2_ADX;
            else return usage("--format takes json, csv or adx, not", optarg);
            break;
        case 'h': printf("usage: tipdesk " STD_USAGE "\n"); return EXIT_OK;
        default: return usage("unknown option", argv[optind - 1]);
        }
    }
    if (optind < argc)
        return usage("unexpected argument", argv[optind]);
    if (htcds) {
        if (!out)
            return usage("export htcds needs -o DIR", NULL);
        if (period || fmt != DHIS2_JSON || force)
            return usage("--period, --format and --force are for dhis2", NULL);
        return run_htcds(app, out, deid);
    }
    if (strcmp(argv[0], "dhis2") != 0)
        return usage("unknown kind of export", argv[0]);
    if (!period)
        return usage("export dhis2 needs --period YYYY", NULL);
    if (deid)
        return usage("--deidentify is for htcds (DHIS2 values are counts)", NULL);
    return run_dhis2(app, (int)period, fmt, out, force);
}
