/* The transfer commands: export bundle|csv and import FILE...|csv. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app.h"
#include "bundle.h"
#include "csvio.h"
#include "formdef.h"
#include "outfile.h"
#include "seal.h"
#include "util.h"

static const char export_usage[] =
    "export bundle [--all] [-o FILE [--force]] [--to OFFICE] [--unsealed] [--passphrase-file F]\n"
    "       export csv TABLE [-o FILE [--force]] [--deidentify] [--excel] [--labels en|lo]\n"
    "       export csv TABLE...|all -o DIR [--deidentify] [--excel] [--labels en|lo]\n"
    "       export htcds -o DIR [--deidentify] [--excel] | dhis2 --period YYYY [--format json|csv|adx] [--disagg combo|categories] [-o FILE [--force]]\n"
    "A bundle holds this office's records changed since its last bundle (all with\n"
    "--all) for the level above; default name OFFICE_SEQ_YYYYMMDD.tipx in [export] dir.\n"
    "It is signed with this office's key and sealed for the registered office above\n"
    "(the province, else the centre; --to LA for the centre).  --unsealed writes the\n"
    "old clear format, readable by anyone who finds the file.\n"
    "CSV tables: cases, case_events, case_screening, case_assistance, prosecutions,\n"
    "suspects, prosecution_victims, events; written to stdout without -o.  Several\n"
    "tables (or all) go to DIR/TABLE.csv; de-identified, their keys join.\n"
    "-o never replaces the database, a backup, or an existing file of another\n"
    "kind (--force replaces a file that is not tipdesk's).";
static const char import_usage[] =
    "import FILE... [--dry-run] [--accept-unsigned] [--passphrase-file F]\n"
    "       import csv cases|prosecutions|suspects|events FILE [--dry-run]\n"
    "Bundles are checked whole and merged by uuid and revision; a bad bundle is\n"
    "refused and changes nothing.  CSV rows are checked against the forms and\n"
    "imported all or nothing.  --dry-run reports what would happen and writes nothing.\n"
    "Sealed bundles are taken only from offices below whose keys are registered; a\n"
    "receipt for the sender is written to [export] dir.  A receipt FILE records\n"
    "which bundles of this office arrived.  --accept-unsigned (centre only) lets in\n"
    "bundles of the old clear format.";

struct seal_opts {
    const char *to, *pass_file;
    int unsealed;
};

static int export_bundle(struct app *app, int all, const char *out, int force, const struct seal_opts *so)
{
    struct bundle_export x = {0};
    struct db *db = app_db(app, 0);
    struct seal_keys *keys = NULL;
    int i;

    x.all = all;
    x.out = out;
    x.force = force;
    x.to = so->to;
    /* A bad output path is said before the passphrase is asked. */
    if (out && outfile_check(out, OUT_BUNDLE, force) < 0)
        db = NULL;
    if (db && !so->unsealed && !(keys = app_keys_unlock(app, so->pass_file)))
        db = NULL;
    x.keys = keys;
    if (!db || bundle_export(db, app->cfg, &x, NULL) < 0) {
        fprintf(stderr, "tipdesk export bundle: %s\n", err_msg());
        seal_keys_free(keys);
        return EXIT_FAIL;
    }
    seal_keys_free(keys);
    if (!keys)
        fprintf(stderr, "tipdesk export bundle: warning: %s is not sealed: anyone who finds it can read "
                "every name in it; only the centre takes it, with --accept-unsigned\n", util_printable(x.file));
    printf("%s: bundle %lld of %s:", util_printable(x.file), (long long)x.seq, app->cfg->office_code);
    for (i = 0; i < BT_N; i++)
        if (x.counts[i] || i == BT_CASES || i == BT_PROSECUTIONS || i == BT_EVENTS)
            printf(" %s %lld", bundle_tables[i], (long long)x.counts[i]);
    if (x.to_office[0])
        printf("; signed and sealed for %s", x.to_office);
    printf("\n");
    bundle_export_free(&x);
    return EXIT_OK;
}

/* Several tables (or "all") into DIR/TABLE.csv, de-identified under one
 * secret so that the keys of child rows find their records. */
static int export_csv_tables(struct app *app, const struct csv_export_opts *opts, int n,
                             char **names, const char *dir)
{
    struct csv_export_opts one = *opts, *co = &one;
    unsigned char secret[UTIL_SECRET_LEN];
    const char *list[16];
    int i, k = 0;

    if (!dir)
        return app_usage_error("export", export_usage, "several tables need -o DIR");
    if (n == 1) {
        for (k = 0; csv_table_name((size_t)k) && k < (int)ARRAY_LEN(list); k++)
            list[k] = csv_table_name((size_t)k);
    } else {
        for (i = 0; i < n; i++) {
            if (!csv_table_known(names[i], 0) || strcmp(names[i], "all") == 0)
                return app_usage_error("export", export_usage, "no such table for CSV '%s'", names[i]);
            if (k == (int)ARRAY_LEN(list))
                return app_usage_error("export", export_usage, "too many tables");
            list[k++] = names[i];
        }
    }
    if (outfile_check_dir(dir) < 0 || util_mkdirs(dir) < 0 || !app_db_read(app)) {
        fprintf(stderr, "tipdesk export csv: %s\n", err_msg());
        return EXIT_FAIL;
    }
    /* Every name is checked before the first file is written. */
    for (i = 0; i < k; i++) {
        char *path = xasprintf("%s/%s.csv", dir, list[i]);
        int rc = outfile_check(path, OUT_CSV, opts->force);

        free(path);
        if (rc < 0) {
            fprintf(stderr, "tipdesk export csv: %s\n", err_msg());
            return EXIT_FAIL;
        }
    }
    util_pseudonym_secret(secret);
    co->secret = secret;
    for (i = 0; i < k; i++) {
        char *path = xasprintf("%s/%s.csv", dir, list[i]);
        int rc;

        co->table = list[i];
        co->out = path;
        rc = csv_export(app->db, app->cfg, co);
        free(path);
        if (rc < 0) {
            fprintf(stderr, "tipdesk export csv: %s\n", err_msg());
            return EXIT_FAIL;
        }
    }
    return EXIT_OK;
}

int cmd_export(struct app *app, int argc, char **argv)
{
    static const struct option opts[] = {
        { "all", no_argument, NULL, 'a' },
        { "output", required_argument, NULL, 'o' },
        { "deidentify", no_argument, NULL, 'd' },
        { "excel", no_argument, NULL, 'x' },
        { "labels", required_argument, NULL, 'l' },
        { "force", no_argument, NULL, 'f' },
        { "to", required_argument, NULL, 't' },
        { "unsealed", no_argument, NULL, 'u' },
        { "passphrase-file", required_argument, NULL, 'p' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 }
    };
    struct csv_export_opts co = {0};
    struct seal_opts so = {0};
    const char *out = NULL, *what;
    int c, all = 0;

    if (argc > 1 && (!strcmp(argv[1], "htcds") || !strcmp(argv[1], "dhis2")))
        return cmd_export_std(app, argc - 1, argv + 1);
    opterr = 0;
    while ((c = getopt_long(argc, argv, "ao:h", opts, NULL)) != -1) {
        switch (c) {
        case 'a': all = 1; break;
        case 'o': out = optarg; break;
        case 't': so.to = optarg; break;
        case 'u': so.unsealed = 1; break;
        case 'p': so.pass_file = optarg; break;
        case 'd': co.deidentify = 1; break;
        case 'x': co.excel = 1; break;
        case 'f': co.force = 1; break;
        case 'l':
            if (strcmp(optarg, "en") != 0 && strcmp(optarg, "lo") != 0)
                return app_usage_error("export", export_usage, "--labels takes en or lo, not '%s'", optarg);
            co.labels = optarg;
            break;
        case 'h': printf("usage: tipdesk %s\n", export_usage); return EXIT_OK;
        default: return app_usage_error("export", export_usage, "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind >= argc)
        return app_usage_error("export", export_usage, "say what to export: bundle or csv");
    what = argv[optind++];
    if (strcmp(what, "bundle") == 0) {
        if (optind < argc)
            return app_usage_error("export", export_usage, "unexpected argument '%s'", argv[optind]);
        if (co.deidentify || co.excel || co.labels)
            return app_usage_error("export", export_usage, "--deidentify, --excel and --labels are for csv");
        if (so.to && so.unsealed)
            return app_usage_error("export", export_usage,
                                   "--to is for sealed bundles; leave out --unsealed");
        return export_bundle(app, all, out, co.force, &so);
    }
    if (so.to || so.unsealed || so.pass_file)
        return app_usage_error("export", export_usage,
                               "--to, --unsealed and --passphrase-file are for bundles");
    if (strcmp(what, "csv") != 0)
        return app_usage_error("export", export_usage, "unknown kind of export '%s'", what);
    if (optind >= argc)
        return app_usage_error("export", export_usage, "name the table to export");
    if (all)
        return app_usage_error("export", export_usage, "--all is for bundles");
    if (optind + 1 < argc || strcmp(argv[optind], "all") == 0)
        return export_csv_tables(app, &co, argc - optind, argv + optind, out);
    co.table = argv[optind];
    co.out = out;
    if (!csv_table_known(co.table, 0))
        return app_usage_error("export", export_usage, "no such table for CSV '%s'", co.table);
    if (!app_db_read(app) || csv_export(app->db, app->cfg, &co) < 0) {
        fprintf(stderr, "tipdesk export csv: %s\n", err_msg());
        return EXIT_FAIL;
    }
    return EXIT_OK;
}

static void print_summary(const struct bundle_summary *s)
{
    if (s->already) {
        printf("%s: bundle %lld of %s already imported on %s; nothing changed\n", util_printable(s->file),
               (long long)s->seq, s->office, s->imported_on);
        return;
    }
    printf("%s: bundle %lld of %s%s: %lld inserted, %lld updated, %lld unchanged, %lld conflicts",
           util_printable(s->file), (long long)s->seq, s->office, s->dry_run ? " (dry run, nothing written)" : "",
           (long long)s->inserted, (long long)s->updated, (long long)(s->unchanged + s->older),
           (long long)s->conflicts);
    if (s->older)
        printf(" (%lld older than here, kept)", (long long)s->older);
    printf("\n");
}

static int import_csv(struct app *app, int argc, char **argv, int dry_run)
{
    struct csv_import_opts ci = {0};
    struct csv_import_result r = {0};
    int rc;

    if (argc != 2)
        return app_usage_error("import", import_usage, "import csv takes a table and a file");
    if (!csv_table_known(argv[0], 1))
        return app_usage_error("import", import_usage, "cannot import CSV into '%s'", argv[0]);
    ci.table = argv[0];
    ci.file = argv[1];
    ci.dry_run = dry_run;
    if (!app_db(app, 0)) {
        fprintf(stderr, "tipdesk import csv: %s\n", err_msg());
        return EXIT_FAIL;
    }
    rc = csv_import(app->db, app->cfg, &ci, &r, stderr);
    if (rc < 0) {
        fprintf(stderr, "tipdesk import csv: %s\n", err_msg());
        return EXIT_FAIL;
    }
    printf("%s: %lld rows%s: %lld new, %lld updated, %lld unchanged; "
           "%lld complete, %lld draft, %lld verified\n", util_printable(ci.file), (long long)r.rows,
           dry_run ? " (dry run, nothing written)" : "", (long long)r.inserted,
           (long long)r.updated, (long long)r.unchanged, (long long)r.complete,
           (long long)r.drafts, (long long)r.verified);
    return EXIT_OK;
}

/* The keys are unlocked when a sealed bundle is to be opened, or a receipt
 * to be signed for a bundle imported for real. */
static int want_keys(struct app *app, int argc, char **argv, int first, int dry_run)
{
    char *path = bundle_keys_path_alloc(app->cfg);
    int i, bundles = 0, sealed = 0, have = access(path, F_OK) == 0;

    free(path);
    for (i = first; i < argc; i++) {
        if (seal_file_starts(argv[i], SEAL_RECEIPT_MAGIC) == 1)
            continue;
        bundles++;
        sealed += seal_file_starts(argv[i], SEAL_MAGIC) == 1;
    }
    return sealed || (bundles && have && !dry_run);
}

static int import_receipt(struct app *app, struct db *db, const char *file)
{
    struct seal_receipt r;
    int rc = bundle_receipt_import(db, app->cfg, file, &r);

    if (rc < 0) {
        fprintf(stderr, "tipdesk import: %s\n", err_msg());
        return -1;
    }
    printf("%s: receipt of %s: bundle %lld of %s %s on %s (%lld inserted, %lld updated, %lld unchanged, "
           "%lld conflicts)%s\n", file, r.by, (long long)r.seq, r.office,
           strcmp(r.result, "already") == 0 ? "arrived again" : "imported", r.at, (long long)r.inserted,
           (long long)r.updated, (long long)r.unchanged, (long long)r.conflicts,
           rc == 0 ? "; recorded before" : "");
    return 0;
}

int cmd_import(struct app *app, int argc, char **argv)
{
    static const struct option opts[] = {
        { "dry-run", no_argument, NULL, 'n' },
        { "accept-unsigned", no_argument, NULL, 'U' },
        { "passphrase-file", required_argument, NULL, 'p' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 }
    };
    struct sbuf gaps = {0};
    struct formset *fs;
    struct bundle_trust t = {0};
    struct seal_keys *keys = NULL;
    const char *pass_file = NULL;
    struct db *db;
    int c, i, dry_run = 0, failed = 0;

    opterr = 0;
    while ((c = getopt_long(argc, argv, "nh", opts, NULL)) != -1) {
        switch (c) {
        case 'n': dry_run = 1; break;
        case 'U': t.accept_unsigned = 1; break;
        case 'p': pass_file = optarg; break;
        case 'h': printf("usage: tipdesk %s\n", import_usage); return EXIT_OK;
        default: return app_usage_error("import", import_usage, "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind >= argc)
        return app_usage_error("import", import_usage, "name the bundle files to import");
    if (strcmp(argv[optind], "csv") == 0)
        return import_csv(app, argc - optind - 1, argv + optind + 1, dry_run);
    if (!(db = app_db(app, 0)) || !(fs = app_forms_load(app, db))) {
        fprintf(stderr, "tipdesk import: %s\n", err_msg());
        return EXIT_FAIL;
    }
    formset_free(fs);
    if (want_keys(app, argc, argv, optind, dry_run)) {
        if (!(t.keys = keys = app_keys_unlock(app, pass_file))) {
            fprintf(stderr, "tipdesk import: %s\n", err_msg());
            return EXIT_FAIL;
        }
    }
    for (i = optind; i < argc; i++) {
        struct bundle_summary s;

        if (seal_file_starts(argv[i], SEAL_RECEIPT_MAGIC) == 1) {
            failed += import_receipt(app, db, argv[i]) < 0;
            continue;
        }
        if (bundle_receive(db, app->cfg, &t, argv[i], dry_run, &s, NULL) < 0) {
            fprintf(stderr, "tipdesk import: %s\n", err_msg());
            failed++;
        } else {
            if (!s.sealed)
                fprintf(stderr, "tipdesk import: warning: %s is unsigned (the old clear format), let in "
                        "by --accept-unsigned: nothing proves which office made it\n", util_printable(argv[i]));
            print_summary(&s);
            if (s.receipt)
                printf("%s: receipt for %s; take it back to %s\n", s.receipt, s.office, s.office);
            else if (t.keys && !dry_run)
                fprintf(stderr, "tipdesk import: no receipt written: %s\n", err_msg());
        }
        bundle_summary_free(&s);
    }
    seal_keys_free(keys);
    if (bundle_missing(db, &gaps) > 0)
        fputs(gaps.s, stdout);
    sbuf_free(&gaps);
    return failed ? EXIT_FAIL : EXIT_OK;
}
