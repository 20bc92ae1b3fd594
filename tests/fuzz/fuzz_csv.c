/* csv_import (dry run) of one fuzzed file into the database of the office
 * whose config.ini is $TIPDESK_FUZZ_CONFIG.  The first byte chooses the
 * table; a dry run rolls back, so every input meets the same database. */
#include "fuzz.h"

#include "config.h"
#include "csvio.h"
#include "db.h"

static const char *const tables[] = {"cases", "prosecutions", "suspects", "events"};
static struct config *cfg;
static struct db *db;
static char *path;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    if (!(cfg = config_load(fuzz_need_env("TIPDESK_FUZZ_CONFIG"))) ||
        !(db = db_open(cfg->db_path, DB_OPEN_EXISTING)) || db_migrate(db) < 0)
        die("%s", err_msg());
    path = xasprintf("%s/input.csv", fuzz_dir());
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct csv_import_opts o = {0};
    struct csv_import_result r = {0};

    if (size < 1)
        return 0;
    fuzz_write(path, data + 1, size - 1);
    o.table = tables[data[0] % ARRAY_LEN(tables)];
    o.file = path;
    o.dry_run = 1;
    csv_import(db, cfg, &o, &r, NULL);
    if (db_in_tx(db))
        die("csv_import left a transaction open");
    err_clear();
    return 0;
}
