/* Bundles: file names, durable writing, and the order of checks on import.
 * The SQL is in db_bundle.c. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bundle.h"
#include "config.h"
#include "db.h"
#include "db_bundle.h"
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

static char *dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');

    if (!slash)
        return xstrdup(".");
    if (slash == path)
        return xstrdup("/");
    return xstrndup(path, (size_t)(slash - path));
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
        dir = dir_of(x->out);
    } else {
        dir = xstrdup(cfg->export_dir);
        if (util_mkdirs(dir) < 0)
            goto out;
    }
    /* A hidden temporary name in the target folder, so rename is atomic. */
    tmp = xasprintf("%s/.%s.tipx-%ld.tmp", dir, o.code, (long)getpid());
    unlink(tmp);
    if (x->keys) {
        /* The clear bundle stays on this PC, beside the database; only the
         * sealed one goes to the export folder (often a USB stick). */
        char *ddir = bundle_db_dir_alloc(cfg);
        int fd;

        plain = xasprintf("%s/.%s.plain-%ld.tmp", ddir, o.code, (long)getpid());
        free(ddir);
        unlink(plain);
        if ((fd = open(plain, O_WRONLY | O_CREAT | O_EXCL, 0600)) < 0) {
            err_set("%s: cannot create: %s", plain, strerror(errno));
            goto out;
        }
        close(fd);
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

int bundle_import(struct db *db, const struct config *cfg, const char *file, int dry_run,
                  struct bundle_summary *s, const struct bundle_progress *p)
{
    struct db_bundle_office o;

    memset(s, 0, sizeof(*s));
    s->file = xstrdup(file);
    s->dry_run = dry_run;
    office_of(cfg, &o);
    if (db_bundle_verify(db, file, s, p) < 0)
        return -1;
    return db_bundle_merge(db, &o, file, s, p);
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
