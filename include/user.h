/* user — accounts and roles: what each role may do, valid user names,
 * passwords (read without echo or from a 0600 file, hashed with Argon2id
 * through libsodium) and logging in with a lockout after repeated failures.
 * Storage is db_user.h; no terminal library here. */
#ifndef TIPDESK_USER_H
#define TIPDESK_USER_H

#include <stddef.h>
#include <time.h>

struct db;
struct db_user;

enum user_role { ROLE_NONE = -1, ROLE_VIEWER, ROLE_CLERK, ROLE_SUPERVISOR, ROLE_ADMIN };

/* What a role may do (user_can). */
enum user_perm {
    PERM_REPORT,        /* reports and de-identified lists */
    PERM_DEIDENT,       /* de-identified exports */
    PERM_PII,           /* see names and every field the forms mark pii */
    PERM_EDIT,          /* enter and edit drafts and complete records */
    PERM_VERIFY,        /* mark records verified */
    PERM_DELETE,        /* delete and restore records */
    PERM_XFER,          /* import and export bundles and identified files */
    PERM_USERS,         /* manage users */
    PERM_KEYS           /* manage the office keys */
};

#define USER_NAME_MAX_CHARS 32      /* characters (code points) of a name */
#define USER_PASSWORD_MIN 8         /* bytes */
#define USER_PASSWORD_MAX 256       /* bytes */
#define USER_MAX_FAILS 5            /* wrong passwords in a row before a lockout */
#define USER_LOCK_SECONDS 60

/* ROLE_* of the name "clerk", "supervisor", "viewer" or "admin"; ROLE_NONE otherwise. */
enum user_role user_role_parse(const char *s);
/* The role's name (static). */
const char *user_role_name(enum user_role r);
/* 1 when role R may do P. */
int user_can(enum user_role r, enum user_perm p);
/* The roles that may do P, for messages, e.g. "a supervisor or admin" (static). */
const char *user_perm_roles(enum user_perm p);

/* 0 when NAME is a valid user name: 1 to USER_NAME_MAX_CHARS characters,
 * ASCII letters, digits, '.', '_', '-' or Lao letters, marks and digits, no
 * spaces.  Else -1 with err set saying what is wrong. */
int user_name_check(const char *name);

/* Reads a password into BUF (size N): from FILE when not NULL (a regular file
 * readable by its owner only; its first line; at most USER_PASSWORD_MAX
 * bytes read), else from the terminal without echo after PROMPT.  0, or -1
 * with err set (a file others may read, no terminal, empty). */
int user_password_read(const char *file, const char *prompt, char *buf, size_t n);
/* A new password: from FILE (as above), else asked twice on the terminal;
 * at least USER_PASSWORD_MIN bytes.  0 or -1 with err set. */
int user_password_new(const char *file, const char *who, char *buf, size_t n);

/* HASH (size at least DB_USER_HASH_MAX) gets PASSWORD's Argon2id string
 * (7 MiB, 5 passes).  0 or -1 with err set. */
int user_hash(const char *password, char *hash, size_t n);

/* Adds user NAME with ROLE and PASSWORD, recorded as done by BY: NAME
 * must be a valid name no user has yet, PASSWORD at least USER_PASSWORD_MIN
 * bytes.  0, or -1 with err set saying what to change. */
int user_add(struct db *db, const char *name, enum user_role role, const char *password,
             const char *by);
/* Gives NAME the new PASSWORD (at least USER_PASSWORD_MIN bytes) and ends
 * its lockout, recorded as done by BY.  0, or -1 with err set. */
int user_set_password(struct db *db, const char *name, const char *password, const char *by);

/* Disables NAME (DISABLED 1: it can no longer log in) or enables it again,
 * recorded as done by BY, who cannot disable themselves (another admin
 * can).  0, or -1 with err set. */
int user_set_disabled(struct db *db, const char *name, int disabled, const char *by);

/* Checks NAME's PASSWORD at time NOW: refuses unknown or disabled users and
 * locked accounts (saying when to retry); a wrong password counts, and the
 * USER_MAX_FAILS-th locks the account for USER_LOCK_SECONDS (stored in the
 * database).  A right password stored with other hash limits is hashed
 * again with user_hash's.  On success fills U (when not NULL) and returns 0; else -1
 * with err set. */
int user_login(struct db *db, const char *name, const char *password, time_t now,
               struct db_user *u);

/* Seconds NAME must still wait before trying again (0 when not locked). */
long user_lock_wait(struct db *db, const char *name, time_t now);

#endif
