/* The users table: bound-parameter statements, one transaction each. */
#include <stdio.h>
#include <string.h>

#include "db.h"
#include "db_user.h"
#include "util.h"

#define USER_COLS "name, role, password_hash, failed_logins, coalesce(locked_until, 0), " \
                  "disabled, changed_at"

static void copy(char *dst, size_t n, const char *s)
{
    snprintf(dst, n, "%s", s ? s : "");
}

static void read_row(struct db_stmt *st, struct db_user *u)
{
    memset(u, 0, sizeof(*u));
    copy(u->name, sizeof(u->name), db_column_text(st, 0));
    copy(u->role, sizeof(u->role), db_column_text(st, 1));
    copy(u->hash, sizeof(u->hash), db_column_text(st, 2));
    u->failed = (int)db_column_int(st, 3);
    u->locked_until = db_column_int(st, 4);
    u->disabled = (int)db_column_int(st, 5);
    copy(u->changed_at, sizeof(u->changed_at), db_column_text(st, 6));
}

int db_user_count(struct db *db)
{
    return (int)db_query_int(db, "SELECT count(*) FROM users", NULL, -1);
}

int db_user_get(struct db *db, const char *name, struct db_user *u)
{
    struct db_stmt *st = db_prepare(db, "SELECT " USER_COLS " FROM users WHERE name = ?1", 1);
    int r;

    if (!st)
        return -1;
    db_bind_text(st, 1, name);
    r = db_step(st);
    if (r == 1)
        read_row(st, u);
    db_reset(st);
    return r;
}

/* Runs ST (already bound) as one write transaction: the number of rows it
 * changed, or -1. */
static int write_rows(struct db *db, struct db_stmt *st)
{
    int r;

    if (db_begin(db) < 0) {
        db_reset(st);
        return -1;
    }
    r = db_step(st);
    db_reset(st);
    if (r < 0) {
        db_rollback(db);
        return -1;
    }
    r = db_changes(db);
    return db_commit(db) < 0 ? -1 : r;
}

/* As write_rows; 0 or -1.  A statement that changes no row means NAME does
 * not exist. */
static int write_one(struct db *db, struct db_stmt *st, const char *name)
{
    int n = write_rows(db, st);

    if (n == 0)
        return err_set("no user named '%s'; see 'tipdesk user list'", name);
    return n < 0 ? -1 : 0;
}

int db_user_add(struct db *db, const char *name, const char *role, const char *hash,
                const char *by)
{
    struct db_stmt *st;
    char now[21];
    struct db_user u;
    int r = db_user_get(db, name, &u);

    if (r < 0)
        return -1;
    if (r == 1)
        return err_set("a user named '%s' exists already; choose another name", name);
    st = db_prepare(db, "INSERT INTO users (name, role, password_hash, created_at, "
                        "created_by, changed_at, changed_by) VALUES (?1, ?2, ?3, ?4, ?5, ?4, ?5)", 1);
    if (!st)
        return -1;
    util_now_iso(now);
    db_bind_text(st, 1, name);
    db_bind_text(st, 2, role);
    db_bind_text(st, 3, hash);
    db_bind_text(st, 4, now);
    db_bind_text(st, 5, by);
    return write_one(db, st, name);
}

int db_user_set_hash(struct db *db, const char *name, const char *hash, const char *by)
{
    struct db_stmt *st = db_prepare(db, "UPDATE users SET password_hash = ?2, failed_logins = 0, "
                                        "locked_until = NULL, changed_at = ?3, changed_by = ?4 "
                                        "WHERE name = ?1", 1);
    char now[21];

    if (!st)
        return -1;
    util_now_iso(now);
    db_bind_text(st, 1, name);
    db_bind_text(st, 2, hash);
    db_bind_text(st, 3, now);
    db_bind_text(st, 4, by);
    return write_one(db, st, name);
}

int db_user_rehash(struct db *db, const char *name, const char *old, const char *hash)
{
    struct db_stmt *st = db_prepare(db, "UPDATE users SET password_hash = ?3 "
                                        "WHERE name = ?1 AND password_hash = ?2", 1);
    int n;

    if (!st)
        return -1;
    db_bind_text(st, 1, name);
    db_bind_text(st, 2, old);
    db_bind_text(st, 3, hash);
    n = write_rows(db, st);
    return n < 0 ? -1 : n == 1;
}

int db_user_set_disabled(struct db *db, const char *name, int disabled, const char *by)
{
    struct db_stmt *st = db_prepare(db, "UPDATE users SET disabled = ?2, changed_at = ?3, "
                                        "changed_by = ?4 WHERE name = ?1", 1);
    char now[21];

    if (!st)
        return -1;
    util_now_iso(now);
    db_bind_text(st, 1, name);
    db_bind_int(st, 2, disabled ? 1 : 0);
    db_bind_text(st, 3, now);
    db_bind_text(st, 4, by);
    return write_one(db, st, name);
}

int db_user_set_lock(struct db *db, const char *name, int failed, int64_t locked_until)
{
    struct db_stmt *st = db_prepare(db, "UPDATE users SET failed_logins = ?2, "
                                        "locked_until = nullif(?3, 0) WHERE name = ?1", 1);

    if (!st)
        return -1;
    db_bind_text(st, 1, name);
    db_bind_int(st, 2, failed);
    db_bind_int(st, 3, locked_until);
    return write_one(db, st, name);
}

int db_user_each(struct db *db, int (*fn)(const struct db_user *, void *), void *arg)
{
    struct db_stmt *st = db_prepare(db, "SELECT " USER_COLS " FROM users ORDER BY name", 0);
    struct db_user u;
    int r;

    if (!st)
        return -1;
    while ((r = db_step(st)) == 1) {
        read_row(st, &u);
        if (fn(&u, arg))
            break;
    }
    db_finalize(st);
    return r < 0 ? -1 : 0;
}
