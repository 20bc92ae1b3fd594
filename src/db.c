/* Opening the database file (and second connections of it, hardened for
 * bundles) and querying it (migrations: db_migrate.c). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include "db.h"
#include "outfile.h"
#include "util.h"

struct db_stmt {
    sqlite3_stmt *st;
    struct db *db;
    char *sql;              /* set for cached statements */
    uint32_t hash;          /* of sql, checked before comparing it */
    struct db_stmt *next;
};

#define STMT_BUCKETS 256

struct db {
    sqlite3 *h;
    char *path;
    int immutable;          /* opened with immutable=1: read-only media */
    struct db_stmt *cache[STMT_BUCKETS];    /* prepared once, by SQL hash */
    char *cols_of;          /* the table whose column names cols holds */
    struct sbuf cols;       /* the names of cols_of, each ended by its NUL */
    int64_t work_left;      /* db_harden: progress ticks still allowed */
    int work_over;          /* ... and 1 once they ran out */
};

/* db_column_type gives SQLite's own numbers. */
_Static_assert(DB_INTEGER == SQLITE_INTEGER && DB_FLOAT == SQLITE_FLOAT && DB_TEXT == SQLITE_TEXT &&
               DB_BLOB == SQLITE_BLOB && DB_NULL == SQLITE_NULL, "db.h's column types are SQLite's");

/* The column names remembered by db_has_column: forgotten whenever the
 * schema may change (db_exec runs DDL, migrations). */
static void cols_forget(struct db *db)
{
    free(db->cols_of);
    db->cols_of = NULL;
    sbuf_free(&db->cols);
}

/* The one wording of SQLite's failures: busy, a full disk and a read-only
 * file say what to do; anything else is SQLite's message after WHO and,
 * when given, WHAT was being done. */
static int fail_as(struct db *db, const char *who, const char *what)
{
    int code = sqlite3_extended_errcode(db->h);

    if (code == SQLITE_BUSY || code == SQLITE_LOCKED)
        return err_set("%s: the database is busy (another tipdesk is writing); try again", who);
    if (code == SQLITE_FULL)
        return err_set("%s: the disk is full; free some space and try again", who);
    if (code == SQLITE_READONLY || code == SQLITE_READONLY_DBMOVED)
        return err_set("%s: the database is read-only; check the file's permissions", who);
    if (what)
        return err_set("%s: %s: %s", who, what, sqlite3_errmsg(db->h));
    return err_set("%s: %s", who, sqlite3_errmsg(db->h));
}

static int sql_fail(struct db *db, const char *what)
{
    return fail_as(db, db->path, what);
}

int db_fail(struct db *db, const char *who)
{
    return fail_as(db, who, NULL);
}

const char *db_errmsg(struct db *db)
{
    return sqlite3_errmsg(db->h);
}

enum db_fault db_fault(struct db *db)
{
    int code = sqlite3_extended_errcode(db->h);

    if (db->work_over)
        return DB_FAULT_WORK;
    if (code == SQLITE_TOOBIG)
        return DB_FAULT_TOO_BIG;
    if ((code & 0xff) == SQLITE_CORRUPT || (code & 0xff) == SQLITE_NOTADB)
        return DB_FAULT_DAMAGED;
    return DB_FAULT_OTHER;
}

const char *db_path(const struct db *db)
{
    return db->path;
}

int db_immutable(const struct db *db)
{
    return db->immutable;
}

int db_readonly(const struct db *db)
{
    return sqlite3_db_readonly(db->h, "main") == 1;
}

/* Anything other than an empty file or an SQLite header is refused before
 * SQLite touches it. */
static int check_header(const char *path, int *is_empty)
{
    static const char magic[16] = "SQLite format 3";
    char buf[16];
    FILE *f = fopen(path, "rb");
    size_t n;

    *is_empty = 0;
    if (!f)
        return err_set("%s: cannot open: %s", path, strerror(errno));
    n = fread(buf, 1, sizeof(buf), f);
    fclose(f);
    if (n == 0) {
        *is_empty = 1;
        return 0;
    }
    if (n < sizeof(buf) || memcmp(buf, magic, sizeof(buf)) != 0)
        return err_set("%s: not a tipdesk database (not an SQLite file); check the path in config.ini", path);
    return 0;
}

static int pragma_int(struct db *db, const char *sql, int *out)
{
    sqlite3_stmt *st;
    int rc;

    if (sqlite3_prepare_v2(db->h, sql, -1, &st, NULL) != SQLITE_OK)
        return sql_fail(db, "cannot read the file");
    rc = sqlite3_step(st);
    *out = rc == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return sql_fail(db, "cannot read the file");
    return 0;
}

/* A new database file, readable only by its owner from the first byte on
 * (SQLite gives its -wal, -shm and -journal the same mode). */
static int create_private(const char *path)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);

    if (fd < 0)
        return err_set("%s: cannot create the database: %s", path, strerror(errno));
    close(fd);
    return 0;
}

/* A statement that may fail half-way inside a transaction (an UPDATE with
 * triggers, say) keeps the pages it changes in a statement journal; past
 * 64 KiB SQLite spills it to a new file in /var/tmp.  A save's UPDATE
 * changes eight to ten 8 KiB pages (the row, its indexes, the counts), so
 * every save created, wrote and removed a file.  Up to 120 KiB stays in
 * memory: a save does not spill, a bulk statement still does.  It must stay
 * under 128 KiB: the journal is spilled in one write of this size, and
 * SQLite's unix layer writes a multiple of 128 KiB as nothing and reports a
 * full disk (test_db's test_big_statement_journal). */
#define STMT_JOURNAL_SPILL (120 * 1024)

/* SQLite also counts every allocation it makes, under one mutex for the
 * whole process.  The reports read in two threads, each with a connection
 * of its own, and waited on that mutex a quarter of their time (npa at a
 * million cases: 0.66 to 0.36 s without the count).  Without it,
 * soft_heap_limit and the memory figures do nothing: memory is bounded by
 * the cache sizes (an import's peak is 42 MB either way). */

static int open_handle(struct db *db, const char *name, int flags)
{
    static int configured;

    /* Only before SQLite's first use; later calls are refused, harmlessly. */
    if (!configured) {
        sqlite3_config(SQLITE_CONFIG_STMTJRNL_SPILL, STMT_JOURNAL_SPILL);
        sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
        configured = 1;
    }
    /* One thread per connection: no mutex taken on every call. */
    if (sqlite3_open_v2(name, &db->h, flags | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK)
        return sql_fail(db, "cannot open");
    sqlite3_extended_result_codes(db->h, 1);
    sqlite3_busy_timeout(db->h, 5000);
    return 0;
}

/* On read-only media SQLite can neither make the -shm it reads a WAL
 * database with nor open a stale one for writing.  Without a -wal (or with
 * one of no frames past its 32-byte header, as a reader leaves it) the main
 * file holds every change, so it is read as an unchanging file instead;
 * with frames, changes could be missed, so the database is refused. */
static int reopen_immutable(struct db *db)
{
    char *wal = xasprintf("%s-wal", db->path);
    struct sbuf uri = {0};
    struct stat sb;
    const char *p;
    int rc = -1;

    if (stat(wal, &sb) == 0 && sb.st_size > 32) {
        err_set("%s: cannot be read where it is (read-only media?), and %s holds changes not "
                "yet in it; open it once where it can be written, then copy the folder", db->path, wal);
        goto out;
    }
    sbuf_add(&uri, "file:");
    for (p = db->path; *p; p++) {
        if (*p == '%' || *p == '?' || *p == '#')
            sbuf_addf(&uri, "%%%02X", (unsigned char)*p);
        else
            sbuf_addc(&uri, *p);
    }
    sbuf_add(&uri, "?immutable=1");
    sqlite3_close(db->h);
    db->h = NULL;
    if (open_handle(db, sbuf_str(&uri), SQLITE_OPEN_READONLY | SQLITE_OPEN_URI) < 0)
        goto out;
    db->immutable = 1;
    rc = 0;
out:
    free(wal);
    sbuf_free(&uri);
    return rc;
}

struct db *db_open(const char *path, enum db_open_mode mode)
{
    struct db *db;
    struct stat sb;
    int flags, empty = 1, exists, appid, version, tables;

    if ((exists = stat(path, &sb) == 0)) {
        if (!S_ISREG(sb.st_mode)) {
            err_set("%s: not a regular file", path);
            return NULL;
        }
        if (check_header(path, &empty) < 0)
            return NULL;
    } else if (mode != DB_OPEN_CREATE) {
        err_set("%s: no such database; run 'tipdesk init' to create it", path);
        return NULL;
    }

    flags = mode == DB_OPEN_READONLY ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;
    if (mode == DB_OPEN_CREATE && !exists && create_private(path) < 0)
        return NULL;
    db = xcalloc(1, sizeof(*db));
    db->path = xstrdup(path);
    if (open_handle(db, path, flags) < 0)
        goto fail;

    /* Read-only checks first: a foreign file must stay byte-for-byte as it was. */
    if (pragma_int(db, "PRAGMA application_id", &appid) < 0) {
        if (mode != DB_OPEN_READONLY || reopen_immutable(db) < 0 ||
            pragma_int(db, "PRAGMA application_id", &appid) < 0)
            goto fail;
    }
    if (pragma_int(db, "PRAGMA user_version", &version) < 0 ||
        pragma_int(db, "SELECT count(*) FROM sqlite_schema", &tables) < 0)
        goto fail;
    if (appid != DB_APPLICATION_ID && (appid != 0 || tables > 0 || version > 0)) {
        err_set("%s: not a tipdesk database (an SQLite file of another program); "
                "check the path in config.ini", path);
        goto fail;
    }
    if (version > db_latest_version()) {
        err_set("%s: this database has schema version %d, made by a newer tipdesk "
                "(this one knows up to %d); update tipdesk here", path, version, db_latest_version());
        goto fail;
    }
    if (mode != DB_OPEN_READONLY) {
        /* A new file gets 8 KiB pages (only possible before WAL is on):
         * audit rows of 2 KiB waste half of a 4 KiB page; the file is 15%
         * smaller and loads a little faster. */
        if (tables == 0 && version == 0 && db_exec(db, "PRAGMA page_size=8192") < 0)
            goto fail;
        if (db_exec(db, "PRAGMA journal_mode=WAL") < 0)
            goto fail;
    }
    if (db_exec(db, "PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON") < 0)
        goto fail;
    (void)empty;
    return db;
fail:
    db_close(db);
    return NULL;
}

struct db *db_open_peer(struct db *db)
{
    struct db *p = xcalloc(1, sizeof(*p));

    p->path = xstrdup(db->path);
    if (open_handle(p, p->path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_URI) < 0 ||
        db_exec(p, "PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON") < 0) {
        db_close(p);
        return NULL;
    }
    return p;
}

/* db_harden's bound on work, counted every STEP_TICK virtual-machine steps:
 * once it is spent, any statement still running is interrupted. */
#define STEP_TICK 10000

static int work_tick(void *ctx)
{
    struct db *db = ctx;

    if (--db->work_left >= 0)
        return 0;
    db->work_over = 1;
    return 1;
}

int db_harden(struct db *db, const struct db_limits *lim)
{
    int on;

    if (sqlite3_db_config(db->h, SQLITE_DBCONFIG_DEFENSIVE, 1, &on) != SQLITE_OK ||
        sqlite3_db_config(db->h, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, &on) != SQLITE_OK || on)
        return err_set("SQLite %s cannot open files from elsewhere (bundles) safely; update SQLite",
                       sqlite3_libversion());
    if (lim->value_max)
        sqlite3_limit(db->h, SQLITE_LIMIT_LENGTH, lim->value_max);
    if (lim->sql_max)
        sqlite3_limit(db->h, SQLITE_LIMIT_SQL_LENGTH, lim->sql_max);
    if (lim->work) {
        db->work_left = lim->work / STEP_TICK;
        db->work_over = 0;
        sqlite3_progress_handler(db->h, STEP_TICK, work_tick, db);
    }
    return db_exec(db, "PRAGMA cell_size_check=ON");
}

void db_close(struct db *db)
{
    struct db_stmt *s, *next;
    size_t i;

    if (!db)
        return;
    for (i = 0; i < STMT_BUCKETS; i++) {
        for (s = db->cache[i]; s; s = next) {
            next = s->next;
            sqlite3_finalize(s->st);
            free(s->sql);
            free(s);
        }
    }
    sqlite3_close(db->h);
    cols_forget(db);
    free(db->path);
    free(db);
}

int db_exec(struct db *db, const char *sql)
{
    char *msg = NULL;

    cols_forget(db);
    if (sqlite3_exec(db->h, sql, NULL, NULL, &msg) != SQLITE_OK) {
        int code = sqlite3_extended_errcode(db->h);

        sqlite3_free(msg);
        if (code == SQLITE_BUSY || code == SQLITE_FULL || (code & 0xff) == SQLITE_READONLY)
            return sql_fail(db, "");
        return err_set("%s: %s", db->path, sqlite3_errmsg(db->h));
    }
    return 0;
}

int db_begin(struct db *db)
{
    return db_exec(db, "BEGIN IMMEDIATE");
}

int db_begin_read(struct db *db)
{
    return db_exec(db, "BEGIN");
}

int db_commit(struct db *db)
{
    return db_exec(db, "COMMIT");
}

void db_rollback(struct db *db)
{
    if (!sqlite3_get_autocommit(db->h))
        sqlite3_exec(db->h, "ROLLBACK", NULL, NULL, NULL);
}

int db_in_tx(struct db *db)
{
    return !sqlite3_get_autocommit(db->h);
}

int db_changes(struct db *db)
{
    return sqlite3_changes(db->h);
}

int64_t db_last_insert_rowid(struct db *db)
{
    return sqlite3_last_insert_rowid(db->h);
}

/* Statements */

/* FNV-1a: cached statements are found by hash (bucket, then the hash
 * itself) before the text compare, since many share long prefixes. */
static uint32_t sql_hash(const char *s)
{
    uint32_t h = 2166136261u;

    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

struct db_stmt *db_prepare(struct db *db, const char *sql, int persist)
{
    struct db_stmt *s;
    sqlite3_stmt *st;
    uint32_t h = persist ? sql_hash(sql) : 0;

    if (persist) {
        for (s = db->cache[h % STMT_BUCKETS]; s; s = s->next) {
            if (s->hash == h && strcmp(s->sql, sql) == 0) {
                sqlite3_reset(s->st);
                sqlite3_clear_bindings(s->st);
                return s;
            }
        }
    }
    if (sqlite3_prepare_v3(db->h, sql, -1, persist ? SQLITE_PREPARE_PERSISTENT : 0,
                           &st, NULL) != SQLITE_OK) {
        sql_fail(db, "cannot prepare a query");
        return NULL;
    }
    s = xcalloc(1, sizeof(*s));
    s->st = st;
    s->db = db;
    if (persist) {
        s->sql = xstrdup(sql);
        s->hash = h;
        s->next = db->cache[h % STMT_BUCKETS];
        db->cache[h % STMT_BUCKETS] = s;
    }
    return s;
}

void db_finalize(struct db_stmt *s)
{
    if (!s)
        return;
    if (s->sql) {           /* cached: owned by the db */
        sqlite3_reset(s->st);
        return;
    }
    sqlite3_finalize(s->st);
    free(s);
}

void db_reset(struct db_stmt *s)
{
    sqlite3_reset(s->st);
    sqlite3_clear_bindings(s->st);
}

static int bind_ok(struct db_stmt *s, int rc)
{
    return rc == SQLITE_OK ? 0 : sql_fail(s->db, "cannot bind a value");
}

int db_bind_text(struct db_stmt *s, int i, const char *v)
{
    if (!v)
        return bind_ok(s, sqlite3_bind_null(s->st, i));
    return bind_ok(s, sqlite3_bind_text(s->st, i, v, -1, SQLITE_TRANSIENT));
}

int db_bind_int(struct db_stmt *s, int i, int64_t v)
{
    return bind_ok(s, sqlite3_bind_int64(s->st, i, v));
}

int db_bind_null(struct db_stmt *s, int i)
{
    return bind_ok(s, sqlite3_bind_null(s->st, i));
}

int db_bind_blob(struct db_stmt *s, int i, const void *p, int n)
{
    return bind_ok(s, sqlite3_bind_blob(s->st, i, p, n, SQLITE_TRANSIENT));
}

int db_bind_parameter_count(struct db_stmt *s)
{
    return sqlite3_bind_parameter_count(s->st);
}

int db_step(struct db_stmt *s)
{
    int rc = sqlite3_step(s->st);

    if (rc == SQLITE_ROW)
        return 1;
    if (rc == SQLITE_DONE)
        return 0;
    sql_fail(s->db, "query failed");
    sqlite3_reset(s->st);
    return -1;
}

int db_column_count(struct db_stmt *s)
{
    return sqlite3_column_count(s->st);
}

const char *db_column_name(struct db_stmt *s, int i)
{
    return sqlite3_column_name(s->st, i);
}

const char *db_column_text(struct db_stmt *s, int i)
{
    return (const char *)sqlite3_column_text(s->st, i);
}

int64_t db_column_int(struct db_stmt *s, int i)
{
    return sqlite3_column_int64(s->st, i);
}

double db_column_double(struct db_stmt *s, int i)
{
    return sqlite3_column_double(s->st, i);
}

int db_column_is_null(struct db_stmt *s, int i)
{
    return sqlite3_column_type(s->st, i) == SQLITE_NULL;
}

int db_column_type(struct db_stmt *s, int i)
{
    return sqlite3_column_type(s->st, i);
}

int db_column_bytes(struct db_stmt *s, int i)
{
    return sqlite3_column_bytes(s->st, i);
}

const void *db_column_blob(struct db_stmt *s, int i, int *n)
{
    const void *p = sqlite3_column_blob(s->st, i);

    *n = sqlite3_column_bytes(s->st, i);
    return p;
}

int64_t db_query_int(struct db *db, const char *sql, const char *param, int64_t def)
{
    struct db_stmt *s = db_prepare(db, sql, 0);
    int64_t v = def;

    if (!s)
        return def;
    if (param)
        db_bind_text(s, 1, param);
    if (db_step(s) == 1 && !db_column_is_null(s, 0))
        v = db_column_int(s, 0);
    db_finalize(s);
    return v;
}

/* The forms ask about every field of a table in turn: the table's column
 * names are read once, not once per field. */
int db_has_column(struct db *db, const char *table, const char *column)
{
    const char *p, *end;

    if (!db->cols_of || strcmp(db->cols_of, table) != 0) {
        struct db_stmt *s = db_prepare(db, "SELECT name FROM pragma_table_info(?1)", 1);

        if (!s)
            return 0;
        cols_forget(db);
        db_bind_text(s, 1, table);
        while (db_step(s) == 1) {
            const char *name = db_column_text(s, 0);

            sbuf_addn(&db->cols, name, strlen(name) + 1);   /* with its NUL */
        }
        db_reset(s);
        db->cols_of = xstrdup(table);
    }
    end = db->cols.s ? db->cols.s + db->cols.len : NULL;
    for (p = db->cols.s; p && p < end; p += strlen(p) + 1)
        if (strcmp(p, column) == 0)
            return 1;
    return 0;
}

int db_schema_version(struct db *db)
{
    int v = 0;

    pragma_int(db, "PRAGMA user_version", &v);
    return v;
}

/* Maintenance */

int db_backup_to(struct db *db, const char *dest)
{
    char *tmp = xasprintf("%s.tmp-%ld", dest, (long)getpid());
    sqlite3 *to = NULL;
    sqlite3_backup *b;
    int rc;

    if (outfile_touch(tmp) < 0)
        goto fail;
    if (sqlite3_open_v2(tmp, &to, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
        err_set("%s: cannot create: %s", dest, sqlite3_errmsg(to));
        goto fail;
    }
    b = sqlite3_backup_init(to, "main", db->h, "main");
    if (!b) {
        err_set("%s: cannot back up: %s", dest, sqlite3_errmsg(to));
        goto fail;
    }
    do {
        rc = sqlite3_backup_step(b, 1024);
        if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
            sqlite3_sleep(50);
    } while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
    sqlite3_backup_finish(b);
    if (rc != SQLITE_DONE) {
        err_set("%s: backup failed: %s", dest, sqlite3_errstr(rc));
        goto fail;
    }
    /* The copy is a standalone file: no WAL beside it. */
    if (sqlite3_exec(to, "PRAGMA journal_mode=DELETE", NULL, NULL, NULL) != SQLITE_OK) {
        err_set("%s: backup failed: %s", dest, sqlite3_errmsg(to));
        goto fail;
    }
    sqlite3_close(to);
    to = NULL;
    if (rename(tmp, dest) != 0) {
        err_set("%s: cannot write: %s", dest, strerror(errno));
        goto fail;
    }
    free(tmp);
    return 0;
fail:
    sqlite3_close(to);
    unlink(tmp);
    free(tmp);
    return -1;
}

/* SQLite's integrity and quick checks stop after this many problems. */
#define INTEGRITY_MAX 100

int db_integrity(struct db *db, int quick, struct sbuf *out)
{
    struct db_stmt *s;
    int problems = 0;

    s = db_prepare(db, quick ? "PRAGMA quick_check" : "PRAGMA integrity_check", 0);
    if (!s)
        return -1;
    while (db_step(s) == 1) {
        const char *t = db_column_text(s, 0);

        if (t && strcmp(t, "ok") != 0) {
            sbuf_addf(out, "integrity: %s\n", t);
            problems++;
        }
    }
    db_finalize(s);
    if (problems >= INTEGRITY_MAX)
        sbuf_addf(out, "integrity: (the check stops after %d problems; there may be more)\n",
                  INTEGRITY_MAX);
    s = db_prepare(db, "PRAGMA foreign_key_check", 0);
    if (!s)
        return -1;
    while (db_step(s) == 1) {
        sbuf_addf(out, "foreign key: %s row %lld refers to a missing %s row\n",
                  db_column_text(s, 0), (long long)db_column_int(s, 1), db_column_text(s, 2));
        problems++;
    }
    db_finalize(s);
    return problems;
}
