/* Bundles between offices that trust each other's keys: which office may
 * send to which, sealing an export for the office above, opening a sealed
 * bundle before the usual checks, and receipts back to the sender. */
#include <dirent.h>
#include <errno.h>
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
#include "db_keys.h"
#include "seal.h"
#include "util.h"

static void sweep_stale(const char *dir);

char *bundle_db_dir_alloc(const struct config *cfg)
{
    const char *slash = strrchr(cfg->db_path, '/');

    if (!slash)
        return xstrdup(".");
    if (slash == cfg->db_path)
        return xstrdup("/");
    return xstrndup(cfg->db_path, (size_t)(slash - cfg->db_path));
}

char *bundle_keys_path_alloc(const struct config *cfg)
{
    char *dir = bundle_db_dir_alloc(cfg), *p = xasprintf("%s/office.key", dir);

    free(dir);
    return p;
}

int bundle_may_accept(const struct config *cfg, const char *file, const char *from, const char *level)
{
    const char *me = cfg->office_code;

    if (!seal_office_ok(from, level))
        return err_set("%s: office '%s' (%s) is not a valid office; refused", file, from, level);
    if (strcmp(from, me) == 0)
        return err_set("%s: the bundle claims to come from this office %s itself; refused", file, me);
    if (strncmp(me, from, strlen(from)) == 0)
        return err_set("%s: the bundle comes from %s, an office above this one (%s); bundles only go "
                       "upwards; refused", file, from, me);
    if (cfg->level == LEVEL_DISTRICT)
        return err_set("%s: the bundle comes from %s; a district office imports no bundles (they go to "
                       "the province or the centre); refused", file, from);
    if (cfg->level == LEVEL_PROVINCE && (strcmp(level, "district") != 0 || strncmp(from, me, strlen(me)) != 0))
        return err_set("%s: the bundle comes from %s, which is not a district of province %s; refused",
                       file, from, me);
    return 0;
}

/* The registered key of OFFICE, refusing a missing or revoked one. */
static int key_of(struct db *db, const char *file, const char *office, const char *level, struct seal_pub *p)
{
    char revoked[24];
    int rc = db_keys_get(db, office, p, revoked);

    if (rc < 0)
        return -1;
    if (rc == 0 && revoked[0])
        return err_set("%s: the key of %s was revoked on %s; ask %s for its new public key file and "
                       "import it (tipdesk keys import)", file, office, revoked, office);
    if (rc == 0)
        return err_set("%s: no key of %s is registered here; import its public key file first "
                       "(tipdesk keys import FILE) and compare the fingerprint by phone", file, office);
    if (level && strcmp(p->level, level) != 0)
        return err_set("%s: %s is registered as a %s, but the bundle says %s; refused", file, office,
                       p->level, level);
    return 0;
}

/* The office above this one whose key is registered: the province of a
 * district when known, else the centre. */
int bundle_seal_export(struct db *db, const struct config *cfg, struct bundle_export *x,
                       const char *plain, const char *out)
{
    const char *me = cfg->office_code;
    struct seal_pub to;
    struct seal_head h;
    char parent[8];
    int rc;

    if (strcmp(x->keys->pub.office, me) != 0)
        return err_set("the key file is of %s, not of this office %s; make this office's keys with "
                       "tipdesk keys init", x->keys->pub.office, me);
    if (x->to) {
        if (strcmp(x->to, me) == 0 || strncmp(me, x->to, strlen(x->to)) != 0 || !seal_office_ok(x->to, strlen(x->to) == 2 ? "centre" : "province"))
            return err_set("--to %s: bundles go to an office above this one (%s)", x->to,
                           cfg->level == LEVEL_DISTRICT ? "its province or the centre LA" : "the centre LA");
        {
            char *what = xasprintf("--to %s", x->to);

            rc = key_of(db, what, x->to, NULL, &to);
            free(what);
        }
    } else if (cfg->level == LEVEL_CENTRE) {
        return err_set("the centre has no office above it to seal a bundle for");
    } else {
        snprintf(parent, sizeof(parent), "%.4s", me);
        rc = cfg->level == LEVEL_DISTRICT ? db_keys_get(db, parent, &to, NULL) : 0;
        if (rc == 0)
            rc = db_keys_get(db, "LA", &to, NULL);
        if (rc == 0)
            return err_set("no key of the office above is registered here (%s%s%sthe centre LA); import "
                           "its public key file first (tipdesk keys import FILE) and compare the fingerprint "
                           "by phone", cfg->level == LEVEL_DISTRICT ? "the province " : "",
                           cfg->level == LEVEL_DISTRICT ? parent : "", cfg->level == LEVEL_DISTRICT ? " or " : "");
        if (rc > 0)
            rc = 0;
    }
    if (rc < 0)
        return -1;
    memset(&h, 0, sizeof(h));
    snprintf(h.from, sizeof(h.from), "%s", me);
    snprintf(h.level, sizeof(h.level), "%s", config_level_name(cfg->level));
    snprintf(h.to, sizeof(h.to), "%s", to.office);
    h.seq = x->seq;
    snprintf(h.created, sizeof(h.created), "%s", x->created_at);
    snprintf(h.checksum, sizeof(h.checksum), "%s", x->checksum);
    {
        char *ddir = bundle_db_dir_alloc(cfg);

        sweep_stale(ddir);
        free(ddir);
    }
    if (seal_file(plain, out, x->keys, &to, &h) < 0)
        return -1;
    snprintf(x->to_office, sizeof(x->to_office), "%s", to.office);
    return 0;
}

/* err_msg() with the temporary name TMP put back as FILE. */
static int err_rename(const char *tmp, const char *file)
{
    const char *m = err_msg(), *at;
    struct sbuf b = {0};

    while ((at = strstr(m, tmp))) {
        sbuf_addn(&b, m, (size_t)(at - m));
        sbuf_add(&b, file);
        m = at + strlen(tmp);
    }
    sbuf_add(&b, m);
    err_set("%s", b.s);
    sbuf_free(&b);
    return -1;
}

/* The process id in a temporary name: ".open-PID" or ".OFFICE.plain-PID.tmp";
 * 0 when NAME is neither. */
static long temp_pid(const char *name)
{
    const char *p = strstr(name, ".plain-");
    char num[24];
    long pid;
    size_t n;

    if (strncmp(name, ".open-", 6) == 0)
        p = name + 6;
    else if (p && name[0] == '.' && strlen(p) > 11 && strcmp(name + strlen(name) - 4, ".tmp") == 0)
        p += 7;
    else
        return 0;
    n = strcspn(p, ".");
    if (n == 0 || n >= sizeof(num))
        return 0;
    memcpy(num, p, n);
    num[n] = '\0';
    return util_parse_long(num, &pid) == 0 && pid > 0 ? pid : 0;
}

/* Removes the clear copies left in DIR by exports and imports that were
 * killed (their process is gone), so no clear bundle stays on the disk. */
static void sweep_stale(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;

    if (!d)
        return;
    while ((e = readdir(d))) {
        long pid;
        char *sub, *f;
        DIR *sd;
        struct dirent *se;

        if (!(pid = temp_pid(e->d_name)) || kill((pid_t)pid, 0) == 0 || errno != ESRCH)
            continue;
        sub = xasprintf("%s/%s", dir, e->d_name);
        if (e->d_name[1] != 'o') {
            unlink(sub);
            free(sub);
            continue;
        }
        if ((sd = opendir(sub))) {
            while ((se = readdir(sd)))
                if (se->d_name[0] != '.' || (strcmp(se->d_name, ".") && strcmp(se->d_name, ".."))) {
                    f = xasprintf("%s/%s", sub, se->d_name);
                    unlink(f);
                    free(f);
                }
            closedir(sd);
        }
        rmdir(sub);
        free(sub);
    }
    closedir(d);
}

/* Checks and merges the sealed FILE through a 0600 clear copy in a private
 * folder beside the database, named like FILE so that messages and the
 * imports table show the name the clerk knows. */
/* What the envelope's signed header said, checked against the manifest. */
struct signed_as {
    const struct seal_head *h;
    const struct config *cfg;
    const char *file;
};

/* The signed header and the bundle inside must tell the same story. */
static int same_story(void *actx, const struct bundle_summary *s)
{
    const struct signed_as *sa = actx;
    const struct seal_head *h = sa->h;

    if (strcmp(s->office, h->from) != 0 || strcmp(s->level, h->level) != 0 || s->seq != h->seq ||
        strcmp(s->checksum, h->checksum) != 0)
        return err_set("%s: the bundle inside (%s bundle %lld) is not the one %s signed (%s bundle "
                       "%lld); refused", util_printable(sa->file), s->office, (long long)s->seq,
                       h->from, h->from, (long long)h->seq);
    return 0;
}

/* An unsigned bundle's manifest names an office this one may take from. */
static int may_take(void *actx, const struct bundle_summary *s)
{
    const struct signed_as *sa = actx;

    return bundle_may_accept(sa->cfg, sa->file, s->office, s->level);
}

static int receive_sealed(struct db *db, const struct config *cfg, const struct bundle_trust *t,
                          const char *file, struct bundle_summary *s, const struct bundle_progress *p)
{
    const char *base = strrchr(file, '/') ? strrchr(file, '/') + 1 : file;
    char *ddir = bundle_db_dir_alloc(cfg), *dir = xasprintf("%s/.open-%ld", ddir, (long)getpid());
    char *tmp = xasprintf("%s/%s", dir, base);
    struct seal_head h;
    struct seal_pub from;
    int rc = -1, made = 0;

    if (seal_read_head(file, &h) < 0 || bundle_may_accept(cfg, file, h.from, h.level) < 0)
        goto out;
    if (strcmp(h.to, cfg->office_code) != 0) {
        err_set("%s: the bundle from %s is sealed for office %s, not for this office %s; refused",
                file, h.from, h.to, cfg->office_code);
        goto out;
    }
    if (key_of(db, file, h.from, h.level, &from) < 0)
        goto out;
    if (!t || !t->keys) {
        err_set("%s: this office's keys are needed to open a sealed bundle (tipdesk keys init)", file);
        goto out;
    }
    sweep_stale(ddir);
    if (mkdir(dir, 0700) != 0) {
        err_set("%s: cannot create: %s", dir, strerror(errno));
        goto out;
    }
    made = 1;
    if (seal_open_file(file, t->keys, &from, tmp) < 0)
        goto out;
    {
        struct signed_as sa = { &h, cfg, file };

        if (bundle_import_checked(db, cfg, tmp, s, p, same_story, &sa) < 0) {
            err_rename(tmp, file);
            goto out;
        }
    }
    rc = 0;
out:
    if (made) {
        unlink(tmp);
        rmdir(dir);
    }
    free(tmp);
    free(dir);
    free(ddir);
    return rc;
}

static int write_receipt(const struct config *cfg, const struct bundle_trust *t, struct bundle_summary *s)
{
    struct seal_receipt r;
    char *path;

    memset(&r, 0, sizeof(r));
    snprintf(r.by, sizeof(r.by), "%s", cfg->office_code);
    snprintf(r.office, sizeof(r.office), "%.15s", s->office);
    r.seq = s->seq;
    snprintf(r.checksum, sizeof(r.checksum), "%s", s->checksum);
    snprintf(r.result, sizeof(r.result), "%s", s->already ? "already" : "imported");
    r.inserted = s->inserted;
    r.updated = s->updated;
    r.unchanged = s->unchanged + s->older;
    r.conflicts = s->conflicts;
    util_now_iso(r.at);
    if (util_mkdirs(cfg->export_dir) < 0)
        return -1;
    path = xasprintf("%s/%s_%lld_receipt_%s.tipr", cfg->export_dir, s->office, (long long)s->seq,
                     cfg->office_code);
    if (seal_receipt_write(path, &r, t->keys) < 0) {
        free(path);
        return -1;
    }
    s->receipt = path;
    return 0;
}

int bundle_receive(struct db *db, const struct config *cfg, const struct bundle_trust *t,
                   const char *file, int dry_run, struct bundle_summary *s,
                   const struct bundle_progress *p)
{
    int sealed;

    memset(s, 0, sizeof(*s));
    s->file = xstrdup(file);
    s->dry_run = dry_run;
    if ((sealed = seal_file_starts(file, SEAL_MAGIC)) < 0)
        return -1;
    s->sealed = sealed;
    if (sealed) {
        if (receive_sealed(db, cfg, t, file, s, p) < 0)
            return -1;
    } else {
        /* What is not a bundle at all is named as such first. */
        if (db_bundle_probe(file) < 0)
            return -1;
        if (!t || !t->accept_unsigned)
            return err_set("%s: not a sealed bundle (the old clear format, unsigned); refused.  The "
                           "centre can let it in with --accept-unsigned", util_printable(file));
        if (cfg->level != LEVEL_CENTRE)
            return err_set("%s: only the centre accepts unsigned bundles; ask the sender to export it "
                           "again with its keys", file);
        struct signed_as sa = { NULL, cfg, file };

        if (bundle_import_checked(db, cfg, file, s, p, may_take, &sa) < 0)
            return -1;
    }
    /* The bundle is in even when its receipt cannot be written: the caller
     * finds S->receipt NULL and err_msg() saying why. */
    if (!dry_run && t && t->keys)
        write_receipt(cfg, t, s);
    return 0;
}

int bundle_receipt_import(struct db *db, const struct config *cfg, const char *file,
                          struct seal_receipt *r)
{
    struct seal_pub by;
    int rc;

    if (seal_receipt_read(file, r) < 0)
        return -1;
    if (strcmp(r->office, cfg->office_code) != 0)
        return err_set("%s: a receipt for bundles of %s, not of this office %s", file, r->office,
                       cfg->office_code);
    if (key_of(db, file, r->by, NULL, &by) < 0)
        return -1;
    if (seal_receipt_verify(r, &by) < 0) {
        char msg[512];

        snprintf(msg, sizeof(msg), "%s", err_msg());
        return err_set("%s: %s; refused", file, msg);
    }
    rc = db_export_known(db, r->office, r->seq, r->checksum);
    if (rc == 0)
        return err_set("%s: %s acknowledges bundle %lld with a checksum this office never wrote; refused",
                       file, r->by, (long long)r->seq);
    if (rc < 0)
        return -1;
    return db_receipt_add(db, r);
}
