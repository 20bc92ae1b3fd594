/* Users and roles: the role table, user names, password files, Argon2id
 * hashes and the lockout, on a database in a temporary folder (the lockout
 * is driven by the time given, so nothing sleeps). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <sodium.h>

#include "db.h"
#include "db_user.h"
#include "user.h"
#include "util.h"

static char dir[64];
static struct db *db;

static int setup(void **state)
{
    char *path;

    (void)state;
    snprintf(dir, sizeof(dir), "/tmp/tipdesk-user.XXXXXX");
    if (!mkdtemp(dir))
        return -1;
    path = xasprintf("%s/t.db", dir);
    db = db_open(path, DB_OPEN_CREATE);
    free(path);
    return db && db_migrate(db) == 0 ? 0 : -1;
}

static int teardown(void **state)
{
    char *cmd = xasprintf("rm -rf '%s'", dir);

    (void)state;
    db_close(db);
    if (system(cmd) != 0)
        fprintf(stderr, "cannot remove %s\n", dir);
    free(cmd);
    return 0;
}

static void test_roles(void **state)
{
    (void)state;
    assert_int_equal(user_role_parse("clerk"), ROLE_CLERK);
    assert_int_equal(user_role_parse("Admin"), ROLE_NONE);
    assert_true(user_can(ROLE_CLERK, PERM_EDIT));
    assert_false(user_can(ROLE_CLERK, PERM_DELETE));
    assert_false(user_can(ROLE_CLERK, PERM_XFER));
    assert_false(user_can(ROLE_CLERK, PERM_VERIFY));
    assert_true(user_can(ROLE_SUPERVISOR, PERM_VERIFY));
    assert_true(user_can(ROLE_SUPERVISOR, PERM_DELETE));
    assert_false(user_can(ROLE_SUPERVISOR, PERM_USERS));
    assert_false(user_can(ROLE_VIEWER, PERM_PII));
    assert_false(user_can(ROLE_VIEWER, PERM_EDIT));
    assert_true(user_can(ROLE_VIEWER, PERM_DEIDENT));
    assert_true(user_can(ROLE_ADMIN, PERM_KEYS));
    assert_false(user_can(ROLE_NONE, PERM_REPORT));
    assert_string_equal(user_perm_roles(PERM_DELETE), "a supervisor or admin");
}

static void test_names(void **state)
{
    char long_name[80];

    (void)state;
    assert_int_equal(user_name_check("somsak.k"), 0);
    assert_int_equal(user_name_check("ສົມສັກ"), 0);
    assert_int_equal(user_name_check(""), -1);
    assert_int_equal(user_name_check("ສົມສັກ ແກ້ວມະນີ"), -1);
    assert_non_null(strstr(err_msg(), "character 7"));
    assert_int_equal(user_name_check("a\033[2J"), -1);
    assert_int_equal(user_name_check("\xe0\xba"), -1);
    memset(long_name, 'a', 33);
    long_name[33] = '\0';
    assert_int_equal(user_name_check(long_name), -1);
    assert_non_null(strstr(err_msg(), "at most 32"));
}

static void test_password_file(void **state)
{
    char *f = xasprintf("%s/pw", dir), buf[USER_PASSWORD_MAX + 2];
    FILE *fp = fopen(f, "w");

    (void)state;
    fputs("ກິນເຂົ້າ-1\r\nsecond line\n", fp);
    fclose(fp);
    chmod(f, 0640);
    assert_int_equal(user_password_read(f, "", buf, sizeof(buf)), -1);
    assert_non_null(strstr(err_msg(), "chmod 600"));
    chmod(f, 0600);
    assert_int_equal(user_password_read(f, "", buf, sizeof(buf)), 0);
    assert_string_equal(buf, "ກິນເຂົ້າ-1");
    fp = fopen(f, "w");
    for (int i = 0; i < 300; i++)
        fputc('x', fp);
    fclose(fp);
    assert_int_equal(user_password_read(f, "", buf, sizeof(buf)), -1);
    assert_non_null(strstr(err_msg(), "longer than 256"));
    fp = fopen(f, "w");
    fputs("\nafter an empty line\n", fp);
    fclose(fp);
    assert_int_equal(user_password_read(f, "", buf, sizeof(buf)), -1);
    assert_non_null(strstr(err_msg(), "empty"));
    free(f);
}

static void test_login_and_lockout(void **state)
{
    char hash[DB_USER_HASH_MAX];
    struct db_user u;
    time_t t = 1800000000;
    int i;

    (void)state;
    assert_int_equal(user_hash("right-password", hash, sizeof(hash)), 0);
    assert_int_equal(strncmp(hash, "$argon2id$", 10), 0);
    assert_int_equal(db_user_add(db, "ສົມສັກ", "clerk", hash, "admin"), 0);
    assert_int_equal(db_user_add(db, "ສົມສັກ", "clerk", hash, "admin"), -1);
    assert_int_equal(user_login(db, "ສົມສັກ", "right-password", t, &u), 0);
    assert_string_equal(u.role, "clerk");
    for (i = 1; i < USER_MAX_FAILS; i++) {
        assert_int_equal(user_login(db, "ສົມສັກ", "wrong", t, NULL), -1);
        assert_non_null(strstr(err_msg(), "wrong password"));
    }
    assert_int_equal(user_lock_wait(db, "ສົມສັກ", t), 0);
    assert_int_equal(user_login(db, "ສົມສັກ", "wrong", t, NULL), -1);
    assert_non_null(strstr(err_msg(), "locked, try again in 60 s"));
    assert_int_equal(user_lock_wait(db, "ສົມສັກ", t + 10), 50);
    /* Locked: even the right password waits, and says how long. */
    assert_int_equal(user_login(db, "ສົມສັກ", "right-password", t + 59, NULL), -1);
    assert_non_null(strstr(err_msg(), "try again in 1 s"));
    assert_int_equal(user_login(db, "ສົມສັກ", "right-password", t + 60, &u), 0);
    assert_int_equal(u.failed, 0);
    assert_int_equal(db_user_get(db, "ສົມສັກ", &u), 1);
    assert_int_equal(u.failed, 0);
    assert_int_equal(u.locked_until, 0);
    /* Wrong passwords spread over time still count until a success. */
    assert_int_equal(user_login(db, "ສົມສັກ", "wrong", t + 100, NULL), -1);
    assert_int_equal(db_user_get(db, "ສົມສັກ", &u), 1);
    assert_int_equal(u.failed, 1);
    assert_int_equal(db_user_set_disabled(db, "ສົມສັກ", 1, "admin"), 0);
    assert_int_equal(user_login(db, "ສົມສັກ", "right-password", t + 200, NULL), -1);
    assert_non_null(strstr(err_msg(), "disabled"));
    assert_int_equal(user_login(db, "nobody", "x", t, NULL), -1);
    assert_int_equal(db_user_set_disabled(db, "nobody", 1, "admin"), -1);
    assert_non_null(strstr(err_msg(), "no user named 'nobody'"));
}

/* A hash made with other limits (the 32 MiB and 3 passes of earlier
 * versions) still lets its user in, and the login stores the same password
 * hashed with today's limits; a wrong password changes nothing. */
static void test_rehash_on_login(void **state)
{
    char old[crypto_pwhash_STRBYTES];
    const char *pw = "ກິນເຂົ້າ-2024";
    struct db_user u;
    char changed_at[sizeof(u.changed_at)];

    (void)state;
    assert_int_equal(sodium_init() < 0, 0);
    assert_int_equal(crypto_pwhash_str(old, pw, strlen(pw), 3, 32u << 20), 0);
    assert_int_equal(db_user_add(db, "ແກ້ວມະນີ", "clerk", old, "admin"), 0);
    assert_int_equal(db_user_get(db, "ແກ້ວມະນີ", &u), 1);
    snprintf(changed_at, sizeof(changed_at), "%s", u.changed_at);

    assert_int_equal(user_login(db, "ແກ້ວມະນີ", "wrong-password", 1800000000, NULL), -1);
    assert_int_equal(db_user_get(db, "ແກ້ວມະນີ", &u), 1);
    assert_string_equal(u.hash, old);

    assert_int_equal(user_login(db, "ແກ້ວມະນີ", pw, 1800000000, &u), 0);
    assert_string_not_equal(u.hash, old);
    assert_int_equal(db_user_get(db, "ແກ້ວມະນີ", &u), 1);
    assert_int_equal(strncmp(u.hash, "$argon2id$v=19$m=7168,t=5,p=1$", 30), 0);
    assert_int_equal(crypto_pwhash_str_verify(u.hash, pw, strlen(pw)), 0);
    assert_int_equal(crypto_pwhash_str_needs_rehash(u.hash, 5, 7u << 20), 0);
    assert_string_equal(u.changed_at, changed_at);
    assert_int_equal(user_login(db, "ແກ້ວມະນີ", pw, 1800000000, NULL), 0);

    /* Only the hash it read is replaced. */
    assert_int_equal(db_user_rehash(db, "ແກ້ວມະນີ", old, "x"), 0);
    assert_int_equal(db_user_get(db, "ແກ້ວມະນີ", &u), 1);
    assert_int_equal(crypto_pwhash_str_verify(u.hash, pw, strlen(pw)), 0);
}

/* The rules an admin's changes go through, on the screens and the command
 * line alike: a valid name not yet taken, a role, a long enough password;
 * a new password ends a lockout; nobody disables themselves. */
static void test_admin_changes(void **state)
{
    struct db_user u;
    time_t t = 1800000000;

    (void)state;
    assert_int_equal(user_add(db, "ບົວພັນ ແກ້ວ", ROLE_CLERK, "long-enough-1", "admin"), -1);
    assert_non_null(strstr(err_msg(), "may hold only letters"));
    assert_int_equal(user_add(db, "ບົວພັນ", ROLE_CLERK, "short", "admin"), -1);
    assert_non_null(strstr(err_msg(), "too short: at least 8"));
    assert_int_equal(user_add(db, "ບົວພັນ", ROLE_NONE, "long-enough-1", "admin"), -1);
    assert_non_null(strstr(err_msg(), "choose a role"));
    assert_int_equal(db_user_get(db, "ບົວພັນ", &u), 0);

    assert_int_equal(user_add(db, "ບົວພັນ", ROLE_SUPERVISOR, "ກິນເຂົ້າ-2026", "admin"), 0);
    assert_int_equal(db_user_get(db, "ບົວພັນ", &u), 1);
    assert_string_equal(u.role, "supervisor");
    assert_int_equal(u.disabled, 0);
    assert_int_equal(user_login(db, "ບົວພັນ", "ກິນເຂົ້າ-2026", t, NULL), 0);
    assert_int_equal(user_add(db, "ບົວພັນ", ROLE_CLERK, "other-pass-1", "admin"), -1);
    assert_non_null(strstr(err_msg(), "a user named 'ບົວພັນ' exists already"));
    assert_int_equal(user_login(db, "ບົວພັນ", "ກິນເຂົ້າ-2026", t, &u), 0);
    assert_string_equal(u.role, "supervisor");

    /* Locked out, then a new password from an admin: in at once. */
    while (user_lock_wait(db, "ບົວພັນ", t) == 0)
        assert_int_equal(user_login(db, "ບົວພັນ", "wrong", t, NULL), -1);
    assert_int_equal(user_set_password(db, "ບົວພັນ", "short", "admin"), -1);
    assert_non_null(strstr(err_msg(), "too short"));
    assert_int_equal(user_login(db, "ບົວພັນ", "ກິນເຂົ້າ-2026", t, NULL), -1);
    assert_int_equal(user_set_password(db, "ບົວພັນ", "new-password-2", "admin"), 0);
    assert_int_equal(user_login(db, "ບົວພັນ", "new-password-2", t, NULL), 0);
    assert_int_equal(user_login(db, "ບົວພັນ", "ກິນເຂົ້າ-2026", t, NULL), -1);
    assert_int_equal(user_set_password(db, "nobody", "new-password-2", "admin"), -1);
    assert_non_null(strstr(err_msg(), "nobody"));

    assert_int_equal(user_set_disabled(db, "ບົວພັນ", 1, "ບົວພັນ"), -1);
    assert_non_null(strstr(err_msg(), "you cannot disable yourself"));
    assert_int_equal(db_user_get(db, "ບົວພັນ", &u), 1);
    assert_int_equal(u.disabled, 0);
    assert_int_equal(user_set_disabled(db, "ບົວພັນ", 1, "admin"), 0);
    assert_int_equal(user_login(db, "ບົວພັນ", "new-password-2", t + 120, NULL), -1);
    assert_int_equal(user_set_disabled(db, "ບົວພັນ", 0, "admin"), 0);
    assert_int_equal(user_login(db, "ບົວພັນ", "new-password-2", t + 120, NULL), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_roles),
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_password_file),
        cmocka_unit_test(test_login_and_lockout),
        cmocka_unit_test(test_rehash_on_login),
        cmocka_unit_test(test_admin_changes),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
