/* db_audit — the one writer of audit_log rows: the columns of a row, the
 * statement that adds rows (one from a record's save, many from a bundle's
 * merge) and the changes an import row carries.  Every audit row of the
 * database goes in through the statements made here. */
#ifndef TIPDESK_DB_AUDIT_H
#define TIPDESK_DB_AUDIT_H

#include <stdint.h>

#include "db.h"

/* The columns of an audit row, in the order every writer gives them. */
#define DB_AUDIT_COLUMNS "at, user, office, tbl, uuid, action, rev, changes"

/* One audit row.  CHANGES is JSON or NULL. */
struct db_audit {
    const char *at, *user, *office, *tbl, *uuid, *action;
    int64_t rev;
    const char *changes;
};

/* Adds row A to DB's audit_log (inside the caller's transaction); 0, or -1
 * with err set. */
int db_audit_add(struct db *db, const struct db_audit *a);

/* The INSERT that adds to main.audit_log the rows ROWS gives: "VALUES (...)"
 * or a SELECT of DB_AUDIT_COLUMNS in order.  Caller frees. */
char *db_audit_insert_alloc(const char *rows);

/* The changes of an 'import' row: {"bundle":"NAME"}.  Caller frees. */
char *db_audit_import_changes_alloc(const char *bundle);

#endif
