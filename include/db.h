/* db — the only user of sqlite3.  Opens the database file (refusing foreign
 * or newer files), applies the numbered migrations compiled from the db folder, and offers
 * a thin statement API so that other modules run bound-parameter SQL without
 * including sqlite3.h; a second connection of the same file, hardened, reads
 * files from elsewhere (bundles).  Records are stored through db_rec.h. */
#ifndef TIPDESK_DB_H
#define TIPDESK_DB_H

#include <stdint.h>

struct db;
struct db_stmt;

/* 'T','I','P','D': written to PRAGMA application_id of every tipdesk file. */
#define DB_APPLICATION_ID 0x54495044

enum db_open_mode {
    DB_OPEN_EXISTING,   /* fail when the file does not exist */
    DB_OPEN_CREATE,     /* create an empty file when missing */
    DB_OPEN_READONLY    /* read only; never migrates; works on read-only media */
};

/* Opens PATH: WAL, synchronous=FULL, foreign_keys=ON, busy timeout.  A file
 * that is not SQLite, or SQLite with another application_id, or a schema
 * newer than this program is refused (NULL, err_msg() says why) and left
 * unchanged.  Does not migrate: call db_migrate. */
struct db *db_open(const char *path, enum db_open_mode mode);
void db_close(struct db *db);
/* The file name the database was opened with (borrowed). */
const char *db_path(const struct db *db);
/* 1 when DB was opened read-only as an unchanging file (immutable=1): on
 * read-only media, where SQLite cannot make or write the -shm of a WAL
 * database, and only when no -wal is beside it. */
int db_immutable(const struct db *db);
/* 1 when DB cannot be written (opened read-only). */
int db_readonly(const struct db *db);

/* A second connection to DB's file, so that work through it leaves DB's own
 * transactions and cached statements alone: read-write, URI names, a file
 * ATTACHed to it is created when missing; synchronous=FULL, foreign_keys=ON
 * and db_open's busy timeout; never migrates.  NULL with err set; closed
 * with db_close. */
struct db *db_open_peer(struct db *db);

/* Bounds for reading files of unknown origin (db_harden); 0 leaves one as
 * SQLite has it. */
struct db_limits {
    int value_max;      /* bytes of the longest text or blob */
    int sql_max;        /* bytes of the longest SQL text */
    int64_t work;       /* virtual-machine steps of all statements together */
};
/* Makes DB fit to read ATTACHed files of unknown origin: defensive mode (no
 * writes to a schema, no journal tricks), their schema untrusted (no
 * function runs from a view or trigger of theirs until PRAGMA
 * trusted_schema=ON), cell size checks, and LIM.  0, or -1 with err set
 * when this SQLite cannot. */
int db_harden(struct db *db, const struct db_limits *lim);

/* Applies pending migrations, each in its own transaction; 0 or -1. */
int db_migrate(struct db *db);
/* PRAGMA user_version of the open database. */
int db_schema_version(struct db *db);
/* The newest schema version this program knows. */
int db_latest_version(void);

/* Transactions: db_begin takes the write lock at once (BEGIN IMMEDIATE). */
int db_begin(struct db *db);
int db_begin_read(struct db *db);
int db_commit(struct db *db);
void db_rollback(struct db *db);

/* 1 while a transaction is open on DB. */
int db_in_tx(struct db *db);

/* What DB's last failure was, for a caller that words its own message. */
enum db_fault {
    DB_FAULT_OTHER,
    DB_FAULT_DAMAGED,   /* a file that is not SQLite, or corrupt */
    DB_FAULT_TOO_BIG,   /* a value longer than db_harden's value_max */
    DB_FAULT_WORK       /* db_harden's work is spent (and stays so) */
};
enum db_fault db_fault(struct db *db);
/* SQLite's own words for DB's last failure (borrowed until the next call). */
const char *db_errmsg(struct db *db);
/* Sets err from DB's last failure as every db_ function does, but naming
 * WHO (a file, "the bundle cannot be read") in place of the database's
 * path; returns -1. */
int db_fail(struct db *db, const char *who);

/* Runs fixed SQL without parameters (DDL, pragmas); 0 or -1 with err set. */
int db_exec(struct db *db, const char *sql);

/* Prepares SQL.  PERSIST keeps it cached in DB for reuse: the same SQL text
 * returns the same statement (reset), and db_close finalizes it; otherwise
 * the caller calls db_finalize.  NULL with err set on a syntax error. */
struct db_stmt *db_prepare(struct db *db, const char *sql, int persist);
void db_finalize(struct db_stmt *st);
/* Resets the statement and clears its bindings. */
void db_reset(struct db_stmt *st);
/* Binding, 1-based index; text NULL binds SQL NULL. 0 or -1. */
int db_bind_text(struct db_stmt *st, int i, const char *s);
int db_bind_int(struct db_stmt *st, int i, int64_t v);
int db_bind_null(struct db_stmt *st, int i);
int db_bind_blob(struct db_stmt *st, int i, const void *p, int n);
/* The number of the highest parameter in the statement's SQL. */
int db_bind_parameter_count(struct db_stmt *st);
/* 1: a row is ready, 0: done, -1: error (err set). */
int db_step(struct db_stmt *st);
int db_column_count(struct db_stmt *st);
const char *db_column_name(struct db_stmt *st, int i);
/* Column values of the current row; text is borrowed until the next step. */
const char *db_column_text(struct db_stmt *st, int i);
int64_t db_column_int(struct db_stmt *st, int i);
double db_column_double(struct db_stmt *st, int i);
int db_column_is_null(struct db_stmt *st, int i);
const void *db_column_blob(struct db_stmt *st, int i, int *n);
/* A column's type as stored (SQLite's numbers), and the bytes of the text or
 * blob db_column_text or db_column_blob gave for it last. */
enum { DB_INTEGER = 1, DB_FLOAT, DB_TEXT, DB_BLOB, DB_NULL };
int db_column_type(struct db_stmt *st, int i);
int db_column_bytes(struct db_stmt *st, int i);

/* One value from SQL with up to one text parameter (NULL for none): returns
 * the integer of the first column of the first row, or DEF when no row. */
int64_t db_query_int(struct db *db, const char *sql, const char *param, int64_t def);

/* 1 when TABLE has COLUMN (used to check forms against the schema). */
int db_has_column(struct db *db, const char *table, const char *column);

/* Rows changed by the last statement. */
int db_changes(struct db *db);
/* The rowid of the row the last INSERT on DB added. */
int64_t db_last_insert_rowid(struct db *db);

/* Online backup of DB into the file DEST (replaced atomically); 0 or -1. */
int db_backup_to(struct db *db, const char *dest);

/* PRAGMA integrity_check (QUICK: quick_check, which reads every page but
 * does not look each row up in each of its indexes: several times faster)
 * and foreign_key_check: appends one line per problem to OUT (a struct
 * sbuf *); returns the number of problems, -1 on error. */
struct sbuf;
int db_integrity(struct db *db, int quick, struct sbuf *out);

#endif
