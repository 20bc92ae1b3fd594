/* The audit row format and its one statement; see include/db_audit.h. */
#include <stdlib.h>

#include "db_audit.h"
#include "util.h"

char *db_audit_insert_alloc(const char *rows)
{
    return xasprintf("INSERT INTO main.audit_log(" DB_AUDIT_COLUMNS ") %s", rows);
}

char *db_audit_import_changes_alloc(const char *bundle)
{
    struct sbuf b = {0};

    sbuf_add(&b, "{\"bundle\":");
    util_json_string(&b, bundle);
    sbuf_addc(&b, '}');
    return b.s;
}

int db_audit_add(struct db *db, const struct db_audit *a)
{
    struct db_stmt *st = db_prepare(db, "INSERT INTO main.audit_log(" DB_AUDIT_COLUMNS ") "
                                    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)", 1);

    if (!st)
        return -1;
    db_bind_text(st, 1, a->at);
    db_bind_text(st, 2, a->user);
    db_bind_text(st, 3, a->office);
    db_bind_text(st, 4, a->tbl);
    db_bind_text(st, 5, a->uuid);
    db_bind_text(st, 6, a->action);
    db_bind_int(st, 7, a->rev);
    db_bind_text(st, 8, a->changes);
    if (db_step(st) < 0)
        return -1;
    db_reset(st);
    return 0;
}
