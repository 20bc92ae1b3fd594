/* db_user — the users table (db/004_users.sql): who may log in, their role,
 * password hash and lockout state.  Only storage; the rules (names, roles,
 * hashing, lockout) are in user.h. */
#ifndef TIPDESK_DB_USER_H
#define TIPDESK_DB_USER_H

#include <stdint.h>

struct db;

#define DB_USER_NAME_MAX 128    /* bytes, NUL included */
#define DB_USER_HASH_MAX 160    /* >= crypto_pwhash_STRBYTES (128) */

struct db_user {
    char name[DB_USER_NAME_MAX];
    char role[16];
    char hash[DB_USER_HASH_MAX];
    int failed;                 /* failed logins since the last success or lockout */
    int64_t locked_until;       /* Unix time; 0 when not locked */
    int disabled;
    char changed_at[24];
};

/* Number of users (disabled ones included); -1 on error. */
int db_user_count(struct db *db);
/* Reads user NAME into U: 1 found, 0 no such user, -1 error. */
int db_user_get(struct db *db, const char *name, struct db_user *u);
/* Adds a user; a name already taken is an error naming it.  0 or -1. */
int db_user_add(struct db *db, const char *name, const char *role, const char *hash,
                const char *by);
/* Replaces NAME's password hash and clears its lockout.  0 or -1. */
int db_user_set_hash(struct db *db, const char *name, const char *hash, const char *by);
/* Replaces NAME's password hash OLD with NEW, the same password hashed
 * again (nothing else changes, nor who changed the user last): 1 replaced,
 * 0 when NAME's hash is no longer OLD, -1 error. */
int db_user_rehash(struct db *db, const char *name, const char *old, const char *hash);
/* Sets or clears NAME's disabled flag.  0 or -1. */
int db_user_set_disabled(struct db *db, const char *name, int disabled, const char *by);
/* Stores the lockout state after a login attempt.  0 or -1. */
int db_user_set_lock(struct db *db, const char *name, int failed, int64_t locked_until);
/* Calls FN for each user, by name; stops at FN's non-zero return.  0 or -1. */
int db_user_each(struct db *db, int (*fn)(const struct db_user *, void *), void *arg);

#endif
