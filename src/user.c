/* Accounts and roles: the role table, user names, passwords and logins. */
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include "db.h"
#include "db_user.h"
#include "text.h"
#include "user.h"
#include "util.h"

static const char *const role_names[] = { "viewer", "clerk", "supervisor", "admin" };

/* Bit P set: the role may do P.  Admin may do everything. */
#define BIT(p) (1u << (p))
static const unsigned role_perms[] = {
    [ROLE_VIEWER] = BIT(PERM_REPORT) | BIT(PERM_DEIDENT),
    [ROLE_CLERK] = BIT(PERM_REPORT) | BIT(PERM_PII) | BIT(PERM_EDIT),
    [ROLE_SUPERVISOR] = BIT(PERM_REPORT) | BIT(PERM_DEIDENT) | BIT(PERM_PII) | BIT(PERM_EDIT) |
                        BIT(PERM_VERIFY) | BIT(PERM_DELETE) | BIT(PERM_XFER),
    [ROLE_ADMIN] = ~0u,
};

enum user_role user_role_parse(const char *s)
{
    size_t i;

    for (i = 0; s && i < ARRAY_LEN(role_names); i++)
        if (strcmp(s, role_names[i]) == 0)
            return (enum user_role)i;
    return ROLE_NONE;
}

const char *user_role_name(enum user_role r)
{
    return r >= ROLE_VIEWER && r <= ROLE_ADMIN ? role_names[r] : "none";
}

int user_can(enum user_role r, enum user_perm p)
{
    return r >= ROLE_VIEWER && r <= ROLE_ADMIN && (role_perms[r] & BIT(p)) != 0;
}

const char *user_perm_roles(enum user_perm p)
{
    if (user_can(ROLE_VIEWER, p))
        return "any user";
    if (user_can(ROLE_CLERK, p))
        return "a clerk, supervisor or admin";
    if (user_can(ROLE_SUPERVISOR, p))
        return "a supervisor or admin";
    return "an admin";
}

static int name_char_ok(uint32_t cp)
{
    return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9') ||
           cp == '.' || cp == '_' || cp == '-' || (cp >= 0x0e81 && cp <= 0x0edf);
}

int user_name_check(const char *name)
{
    size_t len = strlen(name), i = 0, chars = 0;
    uint32_t cp;
    int k;

    if (len == 0)
        return err_set("the user name is empty; give a name such as 'somsak'");
    if (!text_valid(name))
        return err_set("the user name is not valid UTF-8");
    while (i < len) {
        k = text_decode(name + i, len - i, &cp);
        if (k <= 0)
            return err_set("the user name is not valid UTF-8");
        if (!name_char_ok(cp))
            return err_set("the user name may hold only letters (Latin or Lao), digits, "
                           "'.', '_' and '-' (character %zu is not one)", chars + 1);
        i += (size_t)k;
        chars++;
    }
    if (chars > USER_NAME_MAX_CHARS)
        return err_set("the user name has %zu characters; at most %d", chars,
                       USER_NAME_MAX_CHARS);
    return 0;
}

/* The first line of FILE into BUF.  The file must be a regular file that
 * only its owner may read, so a password is never left readable by others. */
static int read_file_line(const char *file, char *buf, size_t n)
{
    char tmp[USER_PASSWORD_MAX + 2];
    struct stat sb;
    ssize_t got;
    size_t len = 0;
    int fd = open(file, O_RDONLY | O_NOCTTY);

    if (fd < 0)
        return err_set("%s: cannot open the password file: %s", file, strerror(errno));
    if (fstat(fd, &sb) < 0 || !S_ISREG(sb.st_mode)) {
        close(fd);
        return err_set("%s: the password file is not a regular file", file);
    }
    if (sb.st_mode & 077) {
        close(fd);
        return err_set("%s: the password file may be read by others (mode %04o); "
                       "run 'chmod 600 %s'", file, (unsigned)(sb.st_mode & 07777), file);
    }
    while (len < sizeof(tmp) - 1 && (got = read(fd, tmp + len, sizeof(tmp) - 1 - len)) > 0)
        len += (size_t)got;
    close(fd);
    tmp[len] = '\0';
    len = strcspn(tmp, "\n");
    if (len > 0 && tmp[len - 1] == '\r')
        len--;
    if (len > USER_PASSWORD_MAX || len + 1 > n) {
        sodium_memzero(tmp, sizeof(tmp));
        return err_set("%s: the password is longer than %d bytes", file, USER_PASSWORD_MAX);
    }
    memcpy(buf, tmp, len);
    buf[len] = '\0';
    sodium_memzero(tmp, sizeof(tmp));
    if (len == 0)
        return err_set("%s: the first line (the password) is empty", file);
    return 0;
}

/* PROMPT on the terminal, then a line read with echo off. */
static int read_tty(const char *prompt, char *buf, size_t n)
{
    struct termios old, quiet;
    FILE *tty = fopen("/dev/tty", "r+");
    size_t len;
    int ok, quieted = 0;

    if (!tty)
        return err_set("no terminal to ask the password on; give --password-file FILE "
                       "(mode 0600) or set TIPDESK_PASSWORD_FILE");
    fputs(prompt, tty);
    fflush(tty);
    if (tcgetattr(fileno(tty), &old) == 0) {
        quiet = old;
        quiet.c_lflag &= (tcflag_t)~ECHO;
        quieted = tcsetattr(fileno(tty), TCSAFLUSH, &quiet) == 0;
    }
    if (!quieted) {
        fclose(tty);
        return err_set("cannot turn off the echo to ask the password; give --password-file FILE");
    }
    ok = fgets(buf, (int)n, tty) != NULL;
    tcsetattr(fileno(tty), TCSAFLUSH, &old);
    fputc('\n', tty);
    fclose(tty);
    if (!ok)
        return err_set("no password given");
    len = strcspn(buf, "\r\n");
    buf[len] = '\0';
    if (len == 0)
        return err_set("the password is empty");
    return 0;
}

int user_password_read(const char *file, const char *prompt, char *buf, size_t n)
{
    if (file && *file)
        return read_file_line(file, buf, n);
    return read_tty(prompt, buf, n);
}

static int password_check(const char *name, const char *password)
{
    if (strlen(password) < USER_PASSWORD_MIN)
        return err_set("the password for %s is too short: at least %d characters",
                       name, USER_PASSWORD_MIN);
    return 0;
}

int user_password_new(const char *file, const char *who, char *buf, size_t n)
{
    char again[USER_PASSWORD_MAX + 2], prompt[256];
    int rc;

    snprintf(prompt, sizeof(prompt), "New password for %s: ", who);
    if (user_password_read(file, prompt, buf, n) < 0 || password_check(who, buf) < 0)
        return -1;
    if (file && *file)
        return 0;
    rc = read_tty("The same password again: ", again, sizeof(again));
    if (rc == 0 && strcmp(again, buf) != 0)
        rc = err_set("the two passwords differ; nothing was changed");
    sodium_memzero(again, sizeof(again));
    return rc;
}

/* 7 MiB and 5 passes: one of OWASP's Argon2id settings of equal strength
 * (with 19 MiB and 2, 46 MiB and 1), the one for little memory, so the
 * screens stay within 16 MB with a login in them and an import after a
 * login within 64 MB on a 1-2 GB PC. */
#define USER_HASH_OPS 5
#define USER_HASH_MEM (7u << 20)

int user_hash(const char *password, char *hash, size_t n)
{
    if (sodium_init() < 0)
        return err_set("libsodium cannot start");
    if (n < crypto_pwhash_STRBYTES)
        return err_set("internal: password hash buffer too small");
    if (crypto_pwhash_str(hash, password, strlen(password), USER_HASH_OPS, USER_HASH_MEM) != 0)
        return err_set("not enough memory to hash the password (%u MiB needed)", USER_HASH_MEM >> 20);
    return 0;
}

int user_add(struct db *db, const char *name, enum user_role role, const char *password,
             const char *by)
{
    char hash[DB_USER_HASH_MAX];
    struct db_user u;
    int r;

    if (user_name_check(name) < 0 || password_check(name, password) < 0)
        return -1;
    if (role == ROLE_NONE)
        return err_set("choose a role for %s: clerk, supervisor, viewer or admin", name);
    if ((r = db_user_get(db, name, &u)) != 0)
        return r < 0 ? -1 : err_set("a user named '%s' exists already; choose another name", name);
    r = user_hash(password, hash, sizeof(hash)) < 0 ||
        db_user_add(db, name, user_role_name(role), hash, by) < 0 ? -1 : 0;
    sodium_memzero(hash, sizeof(hash));
    return r;
}

int user_set_password(struct db *db, const char *name, const char *password, const char *by)
{
    char hash[DB_USER_HASH_MAX];
    int r;

    if (password_check(name, password) < 0)
        return -1;
    r = user_hash(password, hash, sizeof(hash)) < 0 ||
        db_user_set_hash(db, name, hash, by) < 0 ? -1 : 0;
    sodium_memzero(hash, sizeof(hash));
    return r;
}

int user_set_disabled(struct db *db, const char *name, int disabled, const char *by)
{
    if (disabled && strcmp(name, by) == 0)
        return err_set("you cannot disable yourself ('%s'); another admin can", name);
    return db_user_set_disabled(db, name, disabled, by);
}

static void clock_text(time_t t, char buf[16])
{
    struct tm tm;

    localtime_r(&t, &tm);
    strftime(buf, 16, "%H:%M:%S", &tm);
}

long user_lock_wait(struct db *db, const char *name, time_t now)
{
    struct db_user u;

    if (db_user_get(db, name, &u) != 1 || u.locked_until <= now)
        return 0;
    return (long)(u.locked_until - now);
}

int user_login(struct db *db, const char *name, const char *password, time_t now,
               struct db_user *out)
{
    struct db_user u;
    char when[16];
    int r;

    if (sodium_init() < 0)
        return err_set("libsodium cannot start");
    if (user_name_check(name) < 0)
        return -1;
    r = db_user_get(db, name, &u);
    if (r < 0)
        return -1;
    if (r == 0)
        return err_set("no user named '%s' (or a wrong password); ask the administrator", name);
    if (u.disabled)
        return err_set("user '%s' is disabled; ask the administrator", name);
    if (u.locked_until > now) {
        clock_text((time_t)u.locked_until, when);
        return err_set("too many wrong passwords for '%s': try again in %lld s (at %s)", name,
                       (long long)(u.locked_until - now), when);
    }
    if (crypto_pwhash_str_verify(u.hash, password, strlen(password)) != 0) {
        /* On read-only media the try cannot be counted; it fails all the same. */
        if (db_readonly(db))
            return err_set("wrong password for '%s' (not counted: the database is on read-only "
                           "media)", name);
        if (++u.failed >= USER_MAX_FAILS) {
            if (db_user_set_lock(db, name, 0, (int64_t)now + USER_LOCK_SECONDS) < 0)
                return -1;
            clock_text(now + USER_LOCK_SECONDS, when);
            return err_set("wrong password for '%s', %d times: locked, try again in %d s (at %s)",
                           name, USER_MAX_FAILS, USER_LOCK_SECONDS, when);
        }
        if (db_user_set_lock(db, name, u.failed, 0) < 0)
            return -1;
        return err_set("wrong password for '%s' (%d of %d tries before a %d s lockout)", name,
                       u.failed, USER_MAX_FAILS, USER_LOCK_SECONDS);
    }
    if ((u.failed || u.locked_until) && db_user_set_lock(db, name, 0, 0) < 0)
        return -1;
    /* A hash made with other limits (older hashes carry their own and still
     * verify) is made again with today's while the password is at hand.  It
     * is only a better hash of the same password: when it cannot be kept
     * (read-only media, a busy file), the login goes on with the old one. */
    if (crypto_pwhash_str_needs_rehash(u.hash, USER_HASH_OPS, USER_HASH_MEM) != 0 && !db_readonly(db)) {
        char hash[DB_USER_HASH_MAX];

        if (user_hash(password, hash, sizeof(hash)) == 0 && db_user_rehash(db, name, u.hash, hash) == 1)
            snprintf(u.hash, sizeof(u.hash), "%s", hash);
        sodium_memzero(hash, sizeof(hash));
    }
    u.failed = 0;
    u.locked_until = 0;
    if (out)
        *out = u;
    return 0;
}
