/* tipdesk demo: the command and the batched writing of synthetic records.
 * What a record looks like is in demo_case.c and demo_gen.c; the seeded
 * generator and the calendar they draw from are in demo_rng.c. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "demo.h"
#include "formdef.h"
#include "util.h"

/* Records per transaction: large enough that commits (each an fsync) do not
 * dominate, small enough that a busy database is not locked for long. */
#define DEMO_BATCH 2000

/* Demo dates stop here (or today, when earlier) so that a seed gives the
 * same records whatever day it is run. */
#define DEMO_LAST_Y 2026
#define DEMO_LAST_M 10
#define DEMO_LAST_D 31

static int load_districts(struct db *db, struct demo_ctx *c)
{
    struct db_stmt *st = db_prepare(db, "SELECT pcode, province FROM ref_district ORDER BY pcode", 0);
    int cap = 0;

    if (!st)
        return -1;
    while (db_step(st) == 1) {
        if (c->ndist == cap) {
            cap = cap ? cap * 2 : 160;
            c->districts = xrealloc(c->districts, (size_t)cap * sizeof(char *));
            c->district_province = xrealloc(c->district_province, (size_t)cap * sizeof(char *));
        }
        c->districts[c->ndist] = xstrdup(db_column_text(st, 0));
        c->district_province[c->ndist++] = xstrdup(db_column_text(st, 1));
    }
    db_finalize(st);
    if (!c->ndist)
        return err_set("%s: no districts in the reference tables; run 'tipdesk init'", db_path(db));
    return 0;
}

static void ctx_free(struct demo_ctx *c)
{
    int i;

    for (i = 0; i < c->ndist; i++) {
        free(c->districts[i]);
        free(c->district_province[i]);
    }
    free(c->districts);
    free(c->district_province);
    free(c->case_uuid);
    free(c->case_day);
    free(c->case_kind);
}

/* Saves COUNT records of TABLE made by GEN, DEMO_BATCH per transaction,
 * each without values in fields the form does not ask, as a save on screen
 * leaves it (the generators draw some, e.g. an age beside a birth date).
 * The generators' computed values stay as they are. */
static int save_all(struct db *db, const struct db_actor *who, struct demo_ctx *c,
                    const struct formset *fs, const char *table, long count)
{
    const struct form *fm = formset_form(fs, table);
    long i;

    /* A bulk load: a larger page cache than the screens' default keeps the
     * growing indexes in memory between batches. */
    if (db_exec(db, "PRAGMA cache_size = -65536") < 0)
        return -1;
    for (i = 0; i < count; i++) {
        struct rec *r = rec_new(table);
        char uuid[37];
        int rc;

        if (i % DEMO_BATCH == 0 && db_begin(db) < 0) {
            rec_free(r);
            return -1;
        }
        demo_uuid(&c->g, uuid);
        rec_set(r, "uuid", uuid);
        if (strcmp(table, "cases") == 0) {
            memcpy(c->case_uuid[i], uuid, 37);
            demo_gen_case(c, r, i);
            c->ncases = i + 1;
        } else if (strcmp(table, "prosecutions") == 0) {
            demo_gen_prosecution(c, r);
        } else {
            demo_gen_event(c, r);
        }
        if (fm)
            form_clear_hidden(fm, r);
        rc = db_rec_save(db, r, who);
        rec_free(r);
        if (rc < 0) {
            char msg[1024];

            snprintf(msg, sizeof(msg), "%s", err_msg());
            db_rollback(db);
            return err_set("demo %s record %ld: %s", table, i + 1, msg);
        }
        if ((i + 1) % DEMO_BATCH == 0 || i + 1 == count)
            if (db_commit(db) < 0) {
                db_rollback(db);
                return -1;
            }
    }
    return 0;
}

int demo_generate(struct db *db, const struct db_actor *who, const struct demo_opts *o)
{
    struct demo_ctx c = {0};
    struct demo_rng probe;
    char first[37], today[11];
    int rc = -1;

    if (!o->forms)
        return err_set("demo: no forms to save the records by");
    c.g.s = o->seed;
    probe = c.g;
    demo_uuid(&probe, first);
    /* The first uuid a seed draws tells whether this seed was used here. */
    if (db_query_int(db, "SELECT count(*) FROM cases WHERE uuid = ?1", first, 0) > 0 ||
        db_query_int(db, "SELECT count(*) FROM prosecutions WHERE uuid = ?1", first, 0) > 0 ||
        db_query_int(db, "SELECT count(*) FROM events WHERE uuid = ?1", first, 0) > 0)
        return err_set("%s already holds the demo records of seed %llu; use another --seed",
                       db_path(db), (unsigned long long)o->seed);
    /* A batch's pages stay in memory until its commit instead of spilling
     * into the WAL one by one. */
    if (load_districts(db, &c) < 0 || db_exec(db, "PRAGMA cache_size = -65536; PRAGMA temp_store = MEMORY") < 0)
        goto out;
    c.first_day = demo_days(2010, 1, 1);
    c.last_day = demo_days(DEMO_LAST_Y, DEMO_LAST_M, DEMO_LAST_D);
    util_today(today);
    if (strcmp(today, "2026-10-31") < 0)
        c.last_day = demo_days(atoi(today), atoi(today + 5), atoi(today + 8));
    c.case_uuid = xcalloc((size_t)o->cases + 1, sizeof(*c.case_uuid));
    c.case_day = xcalloc((size_t)o->cases + 1, sizeof(*c.case_day));
    c.case_kind = xcalloc((size_t)o->cases + 1, sizeof(*c.case_kind));
    if (save_all(db, who, &c, o->forms, "cases", o->cases) < 0 ||
        save_all(db, who, &c, o->forms, "prosecutions", o->prosecutions) < 0 ||
        save_all(db, who, &c, o->forms, "events", o->events) < 0)
        goto out;
    rc = 0;
out:
    ctx_free(&c);
    return rc;
}

/* A count option: a whole number 0..10 000 000. */
static int parse_count(const char *opt, const char *arg, long *out)
{
    if (util_parse_long(arg, out) < 0 || *out < 0 || *out > 10000000) {
        fprintf(stderr, "tipdesk demo: --%s '%s': give a whole number from 0 to 10000000\n", opt, arg);
        return -1;
    }
    return 0;
}

int cmd_demo(struct app *app, int argc, char **argv)
{
    static const struct option opts[] = {
        { "cases", required_argument, NULL, 'c' },
        { "prosecutions", required_argument, NULL, 'p' },
        { "events", required_argument, NULL, 'e' },
        { "seed", required_argument, NULL, 's' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 }
    };
    static const char usage[] =
        "demo [--cases N] [--prosecutions N] [--events N] [--seed S]\n"
        "Adds synthetic records for training and trials (default 500 cases; prosecutions\n"
        "and events default to a tenth and a fifth of the cases).  The same seed gives\n"
        "the same records; without --seed one is chosen and printed.  Never run it on\n"
        "an office's real database.";
    struct demo_opts o = { 500, -1, -1, 0, NULL };
    int c, have_seed = 0, rc;
    struct formset *fs;
    struct db *db;
    struct db_actor who;
    struct timespec t0, t1;
    char *end;

    opterr = 0;
    while ((c = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
        switch (c) {
        case 'c': if (parse_count("cases", optarg, &o.cases) < 0) return EXIT_USAGE; break;
        case 'p': if (parse_count("prosecutions", optarg, &o.prosecutions) < 0) return EXIT_USAGE; break;
        case 'e': if (parse_count("events", optarg, &o.events) < 0) return EXIT_USAGE; break;
        case 's':
            errno = 0;
            o.seed = strtoull(optarg, &end, 10);
            if (errno || end == optarg || *end || optarg[0] == '-') {
                fprintf(stderr, "tipdesk demo: --seed '%s': give a whole number\n", optarg);
                return EXIT_USAGE;
            }
            have_seed = 1;
            break;
        case 'h': printf("usage: tipdesk %s\n", usage); return EXIT_OK;
        default:
            fprintf(stderr, "tipdesk demo: unknown option or missing value '%s'\nusage: tipdesk %s\n",
                    argv[optind - 1], usage);
            return EXIT_USAGE;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "tipdesk demo: unexpected argument '%s'\nusage: tipdesk %s\n", argv[optind], usage);
        return EXIT_USAGE;
    }
    if (o.prosecutions < 0)
        o.prosecutions = o.cases / 10;
    if (o.events < 0)
        o.events = o.cases / 5;
    if (!have_seed)
        o.seed = (uint64_t)time(NULL);
    /* The forms first: without them no database is made. */
    if (!(fs = app_forms_load(app, NULL)) || app_make_db_dir(app) < 0 || !(db = app_db(app, 1)) ||
        formset_check_db(fs, db) < 0) {
        fprintf(stderr, "tipdesk demo: %s\n", err_msg());
        formset_free(fs);
        return EXIT_FAIL;
    }
    app_actor(app, &who);
    o.forms = fs;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    rc = demo_generate(db, &who, &o);
    formset_free(fs);
    if (rc < 0) {
        fprintf(stderr, "tipdesk demo: %s\n", err_msg());
        return EXIT_FAIL;
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    printf("demo: added %ld cases, %ld prosecutions, %ld events (seed %llu) in %.1f s\n",
           o.cases, o.prosecutions, o.events, (unsigned long long)o.seed,
           (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
    return EXIT_OK;
}
