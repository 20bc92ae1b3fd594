/* The one guard every output file passes, and private file creation. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "outfile.h"
#include "text.h"
#include "util.h"

static char prot_db[PATH_MAX], prot_backup[PATH_MAX];

/* What an existing file looks like, from its first bytes. */
enum look {
    LOOK_EMPTY, LOOK_DATABASE, LOOK_BUNDLE, LOOK_SQLITE, LOOK_BINARY, LOOK_CSV,
    LOOK_REPORT, LOOK_JSON, LOOK_XML, LOOK_INI, LOOK_TEXT
};

static const char *const look_names[] = {
    "an empty file", "a tipdesk database", "a tipdesk bundle", "an SQLite file of another program",
    "a binary file, such as a spreadsheet or document", "a CSV file", "a tipdesk report",
    "a JSON file", "an XML file", "a settings (.ini) file", "a text file"
};

static const struct { enum look look; const char *name; } kinds[] = {
    [OUT_BUNDLE] = { LOOK_BUNDLE, "a bundle" },
    [OUT_BACKUP] = { LOOK_DATABASE, "a database backup" },
    [OUT_CSV] = { LOOK_CSV, "a CSV file" },
    [OUT_REPORT] = { LOOK_REPORT, "a report" },
    [OUT_JSON] = { LOOK_JSON, "a JSON file" },
    [OUT_XML] = { LOOK_XML, "an XML file" },
};

void outfile_protect(const char *db_path, const char *backup_dir)
{
    snprintf(prot_db, sizeof(prot_db), "%s", db_path ? db_path : "");
    snprintf(prot_backup, sizeof(prot_backup), "%s", backup_dir ? backup_dir : "");
}

static int same_file(const struct stat *a, const struct stat *b)
{
    return a->st_dev == b->st_dev && a->st_ino == b->st_ino;
}

static const char *base_part(const char *path)
{
    const char *slash = strrchr(path, '/');

    return slash ? slash + 1 : path;
}

static enum look text_look(const char *p, size_t n)
{
    const char *end = p + n, *line;
    int lines;

    if (n >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
        p += 3;
    while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
        p++;
    if (p < end && *p == '{')
        return LOOK_JSON;
    if (p < end && *p == '<')
        return LOOK_XML;
    /* A report's tables are ruled by a line of dashes under their header. */
    for (line = p, lines = 0; line < end && lines < 8; lines++) {
        const char *nl = memchr(line, '\n', (size_t)(end - line));
        size_t len = (size_t)((nl ? nl : end) - line), i;

        while (len && line[len - 1] == '\r')
            len--;
        for (i = 0; i < len && line[i] == '-'; i++)
            ;
        if (len >= 10 && i == len)
            return LOOK_REPORT;
        if (len && (line[0] == '[' || ((line[0] == ';' || line[0] == '#') && lines == 0)))
            return LOOK_INI;
        if (!nl)
            break;
        line = nl + 1;
    }
    line = memchr(p, '\n', (size_t)(end - p));
    if (memchr(p, ',', (size_t)((line ? line : end) - p)))
        return LOOK_CSV;
    return LOOK_TEXT;
}

/* Reads the first bytes of the open file FD and says what it is. */
static enum look look_at(int fd)
{
    unsigned char buf[4096];
    ssize_t got;
    size_t n = 0, i;

    while (n < sizeof(buf) && (got = read(fd, buf + n, sizeof(buf) - n)) > 0)
        n += (size_t)got;
    if (n == 0)
        return LOOK_EMPTY;
    if (n >= 16 && memcmp(buf, "SQLite format 3", 16) == 0) {
        unsigned long id = n >= 72 ? (unsigned long)buf[68] << 24 | (unsigned long)buf[69] << 16 |
                                     (unsigned long)buf[70] << 8 | buf[71] : 0;

        return id == 0x54495044 ? LOOK_DATABASE : id == 0x54495058 ? LOOK_BUNDLE : LOOK_SQLITE;
    }
    if (memchr(buf, 0, n))
        return LOOK_BINARY;
    /* A sequence cut by the end of the buffer is not a fault of the file. */
    for (i = n; i > 0 && n - i < 3 && (buf[i - 1] & 0xC0) == 0x80; i--)
        ;
    if (i > 0 && buf[i - 1] >= 0xC0)
        n = i - 1;
    if (!text_valid_n((const char *)buf, n))
        return LOOK_BINARY;
    return text_look((const char *)buf, n);
}

/* 1 when folder DIR (absolute, resolved) is FOLDER or inside it. */
static int inside(const char *dir, const struct stat *folder)
{
    char *d = xstrdup(dir), *slash;
    struct stat sb;
    int in = 0;

    for (;;) {
        if (stat(d, &sb) == 0 && same_file(&sb, folder)) {
            in = 1;
            break;
        }
        if (!(slash = strrchr(d, '/')) || slash == d) {
            in = stat("/", &sb) == 0 && same_file(&sb, folder);
            break;
        }
        *slash = '\0';
    }
    free(d);
    return in;
}

/* Refuses PATH when it is the database or one of its companion files: TARGET
 * is its stat when it exists, RDIR its resolved folder, BASE its name. */
static int check_database(const char *path, const struct stat *target, const char *rdir,
                          const char *base)
{
    static const char *const sides[] = { "", "-wal", "-shm", "-journal" };
    char *ddir;
    struct stat dst, sb;
    size_t i, dblen;
    int same_dir, rc = 0;

    if (!prot_db[0])
        return 0;
    ddir = util_dir_alloc(prot_db);
    same_dir = stat(ddir, &dst) == 0 && stat(rdir, &sb) == 0 && same_file(&dst, &sb);
    free(ddir);
    dblen = strlen(base_part(prot_db));
    /* Names are compared without case too: a FAT stick would make
     * TIPDESK.DB-WAL the same file as tipdesk.db-wal. */
    for (i = 0; i < ARRAY_LEN(sides) && rc == 0; i++) {
        char *side = xasprintf("%s%s", prot_db, sides[i]);

        if ((target && stat(side, &sb) == 0 && same_file(&sb, target)) ||
            (same_dir && strncasecmp(base, base_part(prot_db), dblen) == 0 &&
             strcasecmp(base + dblen, sides[i]) == 0))
            rc = err_set("%s: this is the database%s%s; nothing was written; "
                         "choose another file name", path, i ? " file " : "", i ? side : "");
        free(side);
    }
    return rc;
}

static int check_backup_dir(const char *path, const char *rdir, int exists, enum outfile_kind kind)
{
    struct stat bst;

    if (!prot_backup[0] || stat(prot_backup, &bst) != 0 || !inside(rdir, &bst))
        return 0;
    if (kind == OUT_BACKUP && !exists)
        return 0;
    return err_set("%s: in the backup folder %s, which keeps the backups as they are; "
                   "nothing was written; choose a file elsewhere", path, prot_backup);
}

/* Where PATH is: *EXISTS and ST when it exists (through a symlink), the
 * resolved folder *RDIR (the caller frees) and the name *BASE (borrowed from
 * PATH or *REAL, which the caller frees).  With MISSING_OK a folder that does
 * not exist yet gives *RDIR NULL.  0 or -1 with err set. */
struct where {
    int exists;
    struct stat st;
    char *real, *rdir;
    const char *base;
};

static int locate(const char *path, struct where *w, int missing_ok)
{
    struct stat lst;
    char *dir;

    memset(w, 0, sizeof(*w));
    if (util_empty(path))
        return err_set("no output file named; give one with -o FILE");
    if (lstat(path, &lst) != 0) {
        if (errno != ENOENT)
            return err_set("%s: cannot be written: %s", path, strerror(errno));
        dir = util_dir_alloc(path);
        w->rdir = realpath(dir, NULL);
        if (!w->rdir && !missing_ok) {
            err_set("%s: the folder %s does not exist; create it first or choose another folder",
                    path, dir);
            free(dir);
            return -1;
        }
        free(dir);
        w->base = base_part(path);
        if (!*w->base)
            return err_set("%s: a folder name; give a file name", path);
        return 0;
    }
    if (stat(path, &w->st) != 0)
        return err_set("%s: a link to a missing file; nothing was written; give a plain file name", path);
    if (!(w->real = realpath(path, NULL)))
        return err_set("%s: cannot be resolved: %s", path, strerror(errno));
    w->exists = 1;
    w->rdir = util_dir_alloc(w->real);
    w->base = base_part(w->real);
    return 0;
}

static void where_free(struct where *w)
{
    free(w->real);
    free(w->rdir);
}

int outfile_check(const char *path, enum outfile_kind kind, int force)
{
    struct where w;
    enum look look;
    int fd, rc = -1;

    if (locate(path, &w, 0) < 0)
        goto out;
    if (w.exists && S_ISDIR(w.st.st_mode)) {
        err_set("%s: a folder; give a file name inside it", path);
        goto out;
    }
    if (check_database(path, w.exists ? &w.st : NULL, w.rdir, w.base) < 0 ||
        check_backup_dir(path, w.rdir, w.exists, kind) < 0)
        goto out;
    if (!w.exists) {
        rc = 0;
        goto out;
    }
    if (!S_ISREG(w.st.st_mode)) {
        err_set("%s: not a regular file; nothing was written; give a file name", path);
        goto out;
    }
    if ((fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)) < 0) {
        err_set("%s: cannot read it to see what it is: %s", path, strerror(errno));
        goto out;
    }
    look = look_at(fd);
    close(fd);
    if (look == LOOK_EMPTY || look == kinds[kind].look)
        rc = 0;
    else if (look == LOOK_DATABASE || look == LOOK_BUNDLE)
        err_set("%s: exists and is %s, which is never replaced by %s; nothing was written; "
                "choose another file name", path, look_names[look], kinds[kind].name);
    else if (force)
        rc = 0;
    else
        err_set("%s: exists and is %s, not %s; nothing was written; choose another file name "
                "(--force replaces it)", path, look_names[look], kinds[kind].name);
out:
    where_free(&w);
    return rc;
}

int outfile_check_dir(const char *dir)
{
    struct where w;
    struct stat bst;
    char *up = NULL, *real = NULL;
    int rc = -1;

    if (locate(dir, &w, 1) < 0)
        goto out;
    if (w.exists && !S_ISDIR(w.st.st_mode)) {
        err_set("%s: not a folder; nothing was written; give a folder name", dir);
        goto out;
    }
    /* A folder named like the database's -wal would stop SQLite for good. */
    if (w.rdir && check_database(dir, w.exists ? &w.st : NULL, w.rdir, w.base) < 0)
        goto out;
    /* The nearest folder that exists tells where a new one would be made. */
    up = xstrdup(dir);
    while (!(real = realpath(up, NULL)) && strcmp(up, ".") != 0 && strcmp(up, "/") != 0) {
        char *parent = util_dir_alloc(up);

        free(up);
        up = parent;
    }
    if (real && prot_backup[0] && stat(prot_backup, &bst) == 0 && inside(real, &bst)) {
        err_set("%s: in the backup folder %s, which keeps the backups as they are; "
                "nothing was written; choose a folder elsewhere", dir, prot_backup);
        goto out;
    }
    rc = 0;
out:
    free(up);
    free(real);
    where_free(&w);
    return rc;
}

FILE *outfile_create(const char *path)
{
    int fd;
    FILE *f;

    if (unlink(path) != 0 && errno != ENOENT) {
        err_set("%s: cannot replace: %s", path, strerror(errno));
        return NULL;
    }
    fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0) {
        err_set("%s: cannot create: %s; check the folder exists and is writable", path, strerror(errno));
        return NULL;
    }
    if (!(f = fdopen(fd, "wb"))) {
        err_set("%s: cannot write: %s", path, strerror(errno));
        close(fd);
        unlink(path);
    }
    return f;
}

int outfile_touch(const char *path)
{
    FILE *f = outfile_create(path);

    if (!f)
        return -1;
    if (fclose(f) != 0) {
        unlink(path);
        return err_set("%s: cannot write: %s", path, strerror(errno));
    }
    return 0;
}

int outfile_write(const char *path, const void *data, size_t len)
{
    char *tmp = xasprintf("%s.tmp-%ld", path, (long)getpid());
    FILE *f = outfile_create(tmp);
    int rc = -1;

    if (!f)
        goto out;
    if (fwrite(data, 1, len, f) != len || fflush(f) != 0 || fsync(fileno(f)) != 0) {
        err_set("%s: cannot write: %s", path, strerror(errno));
        fclose(f);
        goto out;
    }
    if (fclose(f) != 0 || rename(tmp, path) != 0) {
        err_set("%s: cannot write: %s", path, strerror(errno));
        goto out;
    }
    rc = 0;
out:
    if (rc < 0)
        unlink(tmp);
    free(tmp);
    return rc;
}

int outfile_mode_warn(const char *path, struct sbuf *out)
{
    struct stat sb;
    int dir, plain;

    if (stat(path, &sb) != 0 || !(sb.st_mode & 077))
        return 0;
    dir = S_ISDIR(sb.st_mode);
    /* The command is meant to be pasted: quote a name the shell would split. */
    plain = path[strspn(path, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_./+-")] == '\0';
    sbuf_addf(out, "%s: mode %04o lets other users %s; run chmod %s %s%s%s\n", path,
              (unsigned)(sb.st_mode & 07777), dir ? "see the files in it" : "read it",
              dir ? "700" : "600", plain ? "" : "'", path, plain ? "" : "'");
    return 1;
}
