/* Tests for db_has_column, which reads a table's column names once for a
 * run of questions about that table: right answers across tables, for
 * names that are prefixes or suffixes of others, and after the schema
 * changes (an added column is seen at once). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "db.h"
#include "util.h"

static void columns(void **state)
{
    char dir[64], *path, *cmd;
    struct db *db;

    (void)state;
    snprintf(dir, sizeof(dir), "/tmp/tipdesk-cols.XXXXXX");
    assert_non_null(mkdtemp(dir));
    path = xasprintf("%s/cols.db", dir);
    db = db_open(path, DB_OPEN_CREATE);
    assert_non_null(db);
    assert_int_equal(db_migrate(db), 0);

    assert_true(db_has_column(db, "cases", "first_name"));
    assert_true(db_has_column(db, "cases", "home_village"));
    assert_false(db_has_column(db, "cases", "first"));          /* a prefix */
    assert_false(db_has_column(db, "cases", "name"));           /* a suffix */
    assert_false(db_has_column(db, "cases", "first_name|last_name"));
    assert_true(db_has_column(db, "events", "title"));
    assert_false(db_has_column(db, "events", "first_name"));
    assert_true(db_has_column(db, "cases", "last_name"));
    assert_false(db_has_column(db, "no_such_table", "id"));
    assert_false(db_has_column(db, "cases", "ບ້ານ"));

    assert_false(db_has_column(db, "cases", "nickname"));
    assert_int_equal(db_exec(db, "ALTER TABLE cases ADD COLUMN nickname TEXT"), 0);
    assert_true(db_has_column(db, "cases", "nickname"));

    db_close(db);
    cmd = xasprintf("rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
    free(cmd);
    free(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(columns),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
