/* tipdesk history REF: a record's audit entries and its values when it was
 * created, rebuilt from the stored record and those entries. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "csvio.h"
#include "db_history.h"
#include "db_rec.h"
#include "formdef.h"
#include "user.h"
#include "util.h"

#define HISTORY_USAGE "history [cases|prosecutions|events] REF"
#define HIDDEN "(hidden)"

struct view {
    const struct formset *fs;
    int pii;                /* the user may see names */
};

static const char *shown(const struct view *v, const char *table, const char *col, const char *val)
{
    if (!val)
        return "(empty)";
    return !v->pii && csv_col_private(v->fs, table, col) ? HIDDEN : val;
}

/* Child rows on one line each: "  case_events 1: step=Recruitment, place=…". */
static void print_kids(const struct view *v, const struct rec *r, const char *child, const char *indent)
{
    size_t k, j;
    int n = 0;

    for (k = 0; k < r->nkids; k++) {
        const struct rec *kid = r->kids[k];
        int cols = 0;

        if (strcmp(kid->table, child) != 0)
            continue;
        printf("%s%s %d:", indent, child, ++n);
        for (j = 0; j < kid->n; j++)
            if (kid->val[j] && strcmp(kid->col[j], "seq") != 0)
                printf("%s %s=%s", cols++ ? "," : "", kid->col[j],
                       shown(v, child, kid->col[j], kid->val[j]));
        printf("\n");
    }
    if (!n)
        printf("%s%s: none\n", indent, child);
}

/* A changed child list: its rows before, then after. */
static int print_kid_change(struct db *db, const struct view *v, const struct db_change *c)
{
    struct rec *before = rec_new("before"), *after = rec_new("after");
    int rc = -1;

    if (db_history_kids(db, before, c->col, c->old ? c->old : "[]") < 0 ||
        db_history_kids(db, after, c->col, c->new ? c->new : "[]") < 0)
        goto out;
    printf("    %s (%zu rows → %zu rows):\n      before:\n", c->col, before->nkids, after->nkids);
    print_kids(v, before, c->col, "        ");
    printf("      after:\n");
    print_kids(v, after, c->col, "        ");
    rc = 0;
out:
    rec_free(before);
    rec_free(after);
    return rc;
}

static int print_entry(struct db *db, const struct view *v, const struct db_history *h,
                       const struct db_history_entry *e)
{
    size_t k;

    printf("%s  %s  %s  %s  rev %lld\n", e->at, v->pii ? e->user : HIDDEN, e->office, e->action,
           (long long)e->rev);
    if (e->bundle)
        printf("    from bundle %s\n", util_printable(e->bundle));
    if (!strcmp(e->action, "create"))
        return 0;       /* its values are printed once, rebuilt, below */
    for (k = 0; k < e->nch; k++) {
        const struct db_change *c = &e->ch[k];

        if (c->kids) {
            if (print_kid_change(db, v, c) < 0)
                return -1;
            continue;
        }
        printf("    %s: %s", c->col, shown(v, h->table, c->col, c->old));
        printf(" → %s\n", shown(v, h->table, c->col, c->new));
    }
    return 0;
}

int cmd_history(struct app *app, int argc, char **argv)
{
    static const struct option opts[] = {
        { "help", no_argument, NULL, 'h' }, { NULL, 0, NULL, 0 }
    };
    struct formset *fs = NULL;
    struct db_history *h = NULL;
    struct rec *first = NULL;
    const struct db_table *t;
    const char *table = NULL;
    struct view v;
    struct db *db;
    size_t i, k;
    int c, rc = EXIT_FAIL;

    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        if (c == 'h') {
            printf("usage: tipdesk " HISTORY_USAGE "\n"
                   "Every audit entry of the case, prosecution or event REF (or its uuid): when,\n"
                   "who, office, action, revision and each changed field old → new; then the\n"
                   "record's values when it was created.  Name the kind when a case and a\n"
                   "prosecution share a ref.  Viewers see no names.\n");
            return EXIT_OK;
        }
        return app_usage_error("history", HISTORY_USAGE, "%s", "unknown option");
    }
    if (argc - optind == 2) {
        table = argv[optind++];
        if (!db_table_find(table))
            return app_usage_error("history", HISTORY_USAGE,
                                   "the kind of record is cases, prosecutions or events");
    }
    if (argc - optind != 1)
        return app_usage_error("history", HISTORY_USAGE, "%s", argc - optind ? "give one ref"
                               : "give the ref of a record, e.g. LA1301-2026-0001");
    if (!(db = app_db_read(app)) || !(fs = app_forms_load(app, db)) ||
        !(h = db_history_new(db, table, argv[optind]))) {
        fprintf(stderr, "tipdesk history: %s\n", err_msg());
        goto out;
    }
    v.fs = fs;
    v.pii = user_can((enum user_role)app->role, PERM_PII);
    printf("%s %s (uuid %s), revision %lld: %zu entries\n", h->table, h->ref, h->uuid,
           (long long)h->rev, h->n);
    for (i = 0; i < h->n; i++)
        if (print_entry(db, &v, h, &h->e[i]) < 0) {
            fprintf(stderr, "tipdesk history: %s\n", err_msg());
            goto out;
        }
    /* The entries are shown even when they do not reach back to revision 1. */
    if (!(first = db_history_revision(db, h, 1))) {
        fprintf(stderr, "tipdesk history: %s\n", err_msg());
        goto out;
    }
    printf("values at creation (revision 1):\n");
    for (i = 0; i < first->n; i++)
        if (first->val[i] && strcmp(first->col[i], "id") != 0)
            printf("    %s: %s\n", first->col[i], shown(&v, h->table, first->col[i], first->val[i]));
    t = db_table_find(h->table);
    for (k = 0; k < ARRAY_LEN(t->kids) && t->kids[k]; k++)
        print_kids(&v, first, t->kids[k], "    ");
    rc = EXIT_OK;
out:
    rec_free(first);
    db_history_free(h);
    formset_free(fs);
    return rc;
}
