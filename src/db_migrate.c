/* Migrations: the numbered SQL files and reference CSVs built into the
 * binary (db/embed.sh), applied in order by PRAGMA user_version, each in
 * one transaction.  Uses only the db API, so no sqlite3 here. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <csv.h>

#include "db.h"
#include "embedded.h"
#include "util.h"

static int migration_version(const char *path)
{
    const char *base = strrchr(path, '/');
    int v = 0;

    base = base ? base + 1 : path;
    if (strncmp(path, "db/", 3) != 0 || strchr(path + 3, '/') ||
        !strstr(base, ".sql") || sscanf(base, "%d_", &v) != 1)
        return 0;
    return v;
}

int db_latest_version(void)
{
    const struct embedded_file *f;
    int latest = 0, v;

    for (f = embedded_files; f->path; f++) {
        v = migration_version(f->path);
        if (v > latest)
            latest = v;
    }
    return latest;
}


const char *embedded_find(const char *path)
{
    const struct embedded_file *f;

    for (f = embedded_files; f->path; f++)
        if (strcmp(f->path, path) == 0)
            return f->text;
    return NULL;
}

/* Loading a reference CSV: the header names the columns. */
struct csvload {
    struct db *db;
    const char *table, *file;
    char *fields[16];
    size_t nf;
    char *header[16];
    size_t nh;
    struct db_stmt *ins;
    int line, failed;
};

static void csvload_field(void *s, size_t len, void *data)
{
    struct csvload *c = data;

    if (c->nf < ARRAY_LEN(c->fields))
        c->fields[c->nf] = xstrndup(s, len);
    c->nf++;
}

static void csvload_row(int ch, void *data)
{
    struct csvload *c = data;
    size_t i;

    (void)ch;
    c->line++;
    if (c->failed)
        goto out;
    if (c->nf > ARRAY_LEN(c->fields)) {
        c->failed = err_set("%s:%d: too many columns", c->file, c->line);
        goto out;
    }
    if (!c->nh) {
        struct sbuf sql = {0};

        for (i = 0; i < c->nf; i++) {
            c->header[i] = c->fields[i];
            c->fields[i] = NULL;
        }
        c->nh = c->nf;
        /* Column names come from our own embedded file, not from users. */
        sbuf_addf(&sql, "INSERT INTO %s(", c->table);
        for (i = 0; i < c->nh; i++)
            sbuf_addf(&sql, "%s\"%s\"", i ? "," : "", c->header[i]);
        sbuf_add(&sql, ") VALUES (");
        for (i = 0; i < c->nh; i++)
            sbuf_addf(&sql, "%s?%zu", i ? "," : "", i + 1);
        sbuf_add(&sql, ")");
        c->ins = db_prepare(c->db, sbuf_str(&sql), 0);
        sbuf_free(&sql);
        if (!c->ins)
            c->failed = -1;
        goto out;
    }
    if (c->nf != c->nh) {
        c->failed = err_set("%s:%d: %zu columns, the header has %zu", c->file, c->line, c->nf, c->nh);
        goto out;
    }
    db_reset(c->ins);
    for (i = 0; i < c->nf; i++)
        db_bind_text(c->ins, (int)i + 1, c->fields[i][0] ? c->fields[i] : NULL);
    if (db_step(c->ins) < 0)
        c->failed = err_set("%s:%d: %s", c->file, c->line, err_msg());
out:
    for (i = 0; i < c->nf && i < ARRAY_LEN(c->fields); i++) {
        free(c->fields[i]);
        c->fields[i] = NULL;
    }
    c->nf = 0;
}

static int load_csv(struct db *db, const char *table, const char *file)
{
    const char *text = embedded_find(file);
    struct csv_parser p;
    struct csvload c = {0};
    size_t i;

    if (!text)
        return err_set("migration names %s, which is not built into this program", file);
    if (csv_init(&p, CSV_STRICT | CSV_APPEND_NULL | CSV_EMPTY_IS_NULL) != 0)
        return err_set("cannot start the CSV reader");
    c.db = db;
    c.table = table;
    c.file = file;
    if (csv_parse(&p, text, strlen(text), csvload_field, csvload_row, &c) != strlen(text) && !c.failed)
        c.failed = err_set("%s:%d: %s", file, c.line + 1, csv_strerror(csv_error(&p)));
    csv_fini(&p, csvload_field, csvload_row, &c);
    csv_free(&p);
    db_finalize(c.ins);
    for (i = 0; i < c.nh; i++)
        free(c.header[i]);
    return c.failed ? -1 : 0;
}

static int apply_migration(struct db *db, int version, const char *path, const char *sql)
{
    const char *p;
    char table[64], file[256], pragma[96];

    if (db_begin(db) < 0)
        return -1;
    if (db_exec(db, sql) < 0) {
        err_set("migration %s: %s", path, err_msg());
        goto fail;
    }
    for (p = strstr(sql, "-- load "); p; p = strstr(p + 1, "-- load ")) {
        if (sscanf(p, "-- load %63s %255s", table, file) != 2) {
            err_set("migration %s: bad '-- load TABLE FILE' line", path);
            goto fail;
        }
        if (load_csv(db, table, file) < 0)
            goto fail;
    }
    snprintf(pragma, sizeof(pragma), "PRAGMA user_version=%d; PRAGMA application_id=%d",
             version, DB_APPLICATION_ID);
    if (db_exec(db, pragma) < 0 || db_commit(db) < 0)
        goto fail;
    return 0;
fail:
    db_rollback(db);
    return -1;
}

int db_migrate(struct db *db)
{
    int current = db_schema_version(db), latest = db_latest_version(), v;

    for (v = current + 1; v <= latest; v++) {
        const struct embedded_file *f;

        for (f = embedded_files; f->path; f++)
            if (migration_version(f->path) == v)
                break;
        if (!f->path)
            return err_set("migration %d is missing from this build", v);
        if (apply_migration(db, v, f->path, f->text) < 0)
            return -1;
    }
    return 0;
}
