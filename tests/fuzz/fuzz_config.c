/* config_load on one fuzzed config file.  Relative paths in it resolve
 * against the scratch folder; nothing is created there. */
#include "fuzz.h"

#include "config.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char *path;
    struct config *c;

    if (!path)
        path = xasprintf("%s/config.ini", fuzz_dir());
    fuzz_write(path, data, size);
    c = config_load(path);
    if (c) {
        config_level_name(c->level);
        config_free(c);
    }
    err_clear();
    return 0;
}
