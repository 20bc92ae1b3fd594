/* Bundles: file names, durable writing, and the order of checks on import.
 * The SQL is in db_bundle.c. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bundle.h"
#include "config.h"
#include "db.h"
#include "db_bundle.h"
#include "outfile.h"
#include "formdef.h"
#include "util.h"

static void office_of(const struct config *cfg, struct db_bundle_office *o)
{
    o->code = cfg->office_code;
    o->level = config_level_name(cfg->level);
    o->user = cfg->user ? cfg->user : "unknown";
}

/* fsync of a file or folder by name. */
static int sync_path(const char *path, int dir)
{
    int fd = open(path, dir ? O_RDONLY | O_DIRECTORY : O_RDONLY);

    if (fd < 0)
        return err_set("%s: cannot open to sync: %s", path, strerror(errno));
    if (fsync(fd) != 0 && !(dir && (errno == EINVAL || errno == EBADF))) {
        int e = errno;

        close(fd);
        return err_set("%s: cannot write to the disk: %s", path, strerror(e));
    }
    close(fd);
    return 0;
}

/* The PID in NAME when it is one of our temporary bundle names,
 * ".OFFICE.tipx-PID.tmp", else 0. */
static long temp_pid(const char *name)
{
    static const char code[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    const char *p = name + 1, *t;
    long pid = 0;

    if (name[0] != '.' || !(t = strstr(p, ".tipx-")) || t == p || strspn(p, code) != (size_t)(t - p))
        return 0;
    for (p = t + 6; *p >= '0' && *p <= '9' && pid < 100000000; p++)
        pid = pid * 10 + (*p - '0');
    return p > t + 6 && strcmp(p, ".tmp") == 0 ? pid : 0;
}

/* Removes from DIR the temporary files of exports that were killed (their
 * process is gone), and nothing else. */
static void clean_stale(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;

    if (!d)
        return;
    while ((e = readdir(d))) {
        long pid = temp_pid(e->d_name);
        struct stat sb;
        char *path;

        if (!pid || (kill((pid_t)pid, 0) == 0 || errno == EPERM))
            continue;
        path = xasprintf("%s/%s", dir, e->d_name);
        if (lstat(path, &sb) == 0 && S_ISREG(sb.st_mode))
            unlink(path);
        free(path);
    }
    closedir(d);
}

int bundle_export(struct db *db, const struct config *cfg, struct bundle_export *x,
                  const struct bundle_progress *p)
{
    struct db_bundle_office o;
    char *tmp = NULL, *dir = NULL, *final = NULL, *plain = NULL;
    int rc = -1;

    office_of(cfg, &o);
    x->file = NULL;
    x->to_office[0] = '\0';
    if (x->out) {
        if (outfile_check(x->out, OUT_BUNDLE, x->force) < 0)
            goto out;
        dir = util_dir_alloc(x->out);
    } else {
        dir = xstrdup(cfg->export_dir);
        if (outfile_check_dir(dir) < 0 || util_mkdirs(dir) < 0)
            goto out;
    }
    /* A hidden temporary name in the target folder, so rename is atomic;
     * those of killed exports go first (a bundle's size each). */
    clean_stale(dir);
    tmp = xasprintf("%s/.%s.tipx-%ld.tmp", dir, o.code, (long)getpid());
    unlink(tmp);
    if (x->keys) {
        /* The clear bundle stays on this PC, beside the database; only the
         * sealed one goes to the export folder (often a USB stick), made
         * 0600 by the sealing itself. */
        char *ddir = bundle_db_dir_alloc(cfg);

        plain = xasprintf("%s/.%s.plain-%ld.tmp", ddir, o.code, (long)getpid());
        free(ddir);
        unlink(plain);
        if (outfile_touch(plain) < 0) {
            free(plain);
            plain = NULL;
            goto out;
        }
    } else if (outfile_touch(tmp) < 0) {
        free(tmp);
        tmp = NULL;
        goto out;
    }
    if (db_bundle_write(db, &o, plain ? plain : tmp, x, p) < 0)
        goto out;
    if (plain && bundle_seal_export(db, cfg, x, plain, tmp) < 0)
        goto out;
    if (x->out) {
        final = xstrdup(x->out);
    } else {
        char day[11];

        util_today(day);
        final = xasprintf("%s/%s_%lld_%.4s%.2s%.2s.tipx", dir, o.code, (long long)x->seq,
                          day, day + 5, day + 8);
        if (outfile_check(final, OUT_BUNDLE, 0) < 0)
            goto out;
    }
    if (sync_path(tmp, 0) < 0)
        goto out;
    if (rename(tmp, final) != 0) {
        err_set("%s: cannot write the bundle: %s", final, strerror(errno));
        goto out;
    }
    if (sync_path(dir, 1) < 0 || db_bundle_record_export(db, &o, final, x) < 0) {
        unlink(final);
        goto out;
    }
    x->file = final;
    final = NULL;
    rc = 0;
out:
    if (rc < 0 && tmp)
        unlink(tmp);
    if (plain)
        unlink(plain);
    free(plain);
    free(tmp);
    free(dir);
    free(final);
    return rc;
}

void bundle_export_free(struct bundle_export *x)
{
    free(x->file);
    x->file = NULL;
}

/* The field of FM (or of one of its child forms) stored in TABLE.COL. */
static const struct field *field_of(const struct form *fm, const char *table, const char *col)
{
    size_t i;

    for (i = 0; i < fm->nfields; i++) {
        const struct field *f = &fm->fields[i];
        const struct field *k;

        if (f->type == FT_CHILD && f->child && (k = field_of(f->child, table, col)))
            return k;
        if (f->type != FT_CHILD && !strcmp(fm->table, table) && !strcmp(f->column, col))
            return f;
    }
    return NULL;
}

/* The forms' maxlen of TABLE.COL (CTX: the formset), as typed input has it. */
static int form_maxlen(void *ctx, const char *table, const char *col)
{
    static const char *const mains[] = { "cases", "prosecutions", "events" };
    size_t i;

    for (i = 0; i < ARRAY_LEN(mains); i++) {
        const struct form *fm = formset_form(ctx, mains[i]);
        const struct field *f = fm ? field_of(fm, table, col) : NULL;

        if (f)
            return f->maxlen;
    }
    return 0;
}

/* The forms of DIR, loaded once a process: a centre imports many bundles
 * in one run, and loading them costs more than checking a small bundle. */
static struct formset *forms_of(const char *dir)
{
    static struct formset *fs;
    static char *fs_dir;

    if (fs && strcmp(fs_dir, dir) == 0)
        return fs;
    formset_free(fs);
    free(fs_dir);
    fs_dir = NULL;
    if ((fs = formset_load(dir)))
        fs_dir = xstrdup(dir);
    return fs;
}

int bundle_import_checked(struct db *db, const struct config *cfg, const char *file,
                          struct bundle_summary *s, const struct bundle_progress *p,
                          int (*accept)(void *actx, const struct bundle_summary *s), void *actx)
{
    struct db_bundle_office o;
    struct db_bundle_limits lim = { form_maxlen, NULL, accept, actx };

    office_of(cfg, &o);
    /* Values are held to the forms' limits, as typed ones are. */
    if (!(lim.ctx = forms_of(cfg->forms_dir)))
        return err_set("%s: cannot check the bundle against the forms: %s", util_printable(file),
                       err_msg());
    return db_bundle_import(db, &o, file, &lim, s, p);
}

int bundle_import(struct db *db, const struct config *cfg, const char *file, int dry_run,
                  struct bundle_summary *s, const struct bundle_progress *p)
{
    memset(s, 0, sizeof(*s));
    s->file = xstrdup(file);
    s->dry_run = dry_run;
    return bundle_import_checked(db, cfg, file, s, p, NULL, NULL);
}

void bundle_summary_free(struct bundle_summary *s)
{
    free(s->file);
    free(s->receipt);
    s->file = NULL;
    s->receipt = NULL;
}

static void add_gap(struct sbuf *out, const char *office, int64_t from, int64_t to)
{
    if (from == to)
        sbuf_addf(out, "%s: bundle %lld not received\n", office, (long long)from);
    else
        sbuf_addf(out, "%s: bundles %lld\xE2\x80\x93%lld not received\n", office,
                  (long long)from, (long long)to);
}

int bundle_missing(struct db *db, struct sbuf *out)
{
    struct db_stmt *st = db_prepare(db, "SELECT DISTINCT office, seq FROM imports ORDER BY office, seq", 0);
    char office[32] = "";
    int64_t next = 1;
    int lines = 0, rc;

    if (!st)
        return -1;
    while ((rc = db_step(st)) == 1) {
        const char *o = db_column_text(st, 0);
        int64_t seq = db_column_int(st, 1);

        if (strcmp(o, office) != 0) {
            snprintf(office, sizeof(office), "%s", o);
            next = 1;
        }
        if (seq > next) {
            add_gap(out, office, next, seq - 1);
            lines++;
        }
        next = seq + 1;
    }
    db_finalize(st);
    return rc < 0 ? -1 : lines;
}
