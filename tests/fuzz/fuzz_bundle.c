/* bundle_import (dry run: verify, then merge and roll back) of one fuzzed
 * file into the database of the office whose config.ini is
 * $TIPDESK_FUZZ_CONFIG, normally the level above the bundles' office. */
#include "fuzz.h"

#include "bundle.h"
#include "config.h"
#include "db.h"

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
    path = xasprintf("%s/input.tipx", fuzz_dir());
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct bundle_summary s;

    fuzz_write(path, data, size);
    bundle_import(db, cfg, path, 1, &s, NULL);
    bundle_summary_free(&s);
    if (db_in_tx(db))
        die("bundle_import left a transaction open");
    err_clear();
    return 0;
}
