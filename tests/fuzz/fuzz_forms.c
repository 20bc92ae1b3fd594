/* formset_load on a copy of the shipped forms folder with one file replaced
 * by the input after its first byte, which chooses the file. */
#include "fuzz.h"

#include "formdef.h"

static const char *const files[] = {
    "lists.ini", "ui.ini", "case.ini", "prosecution.ini", "event.ini",
};
static char *shipped[ARRAY_LEN(files)];
static size_t shipped_len[ARRAY_LEN(files)];
static char *paths[ARRAY_LEN(files)];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    size_t i;

    (void)argc;
    (void)argv;
    for (i = 0; i < ARRAY_LEN(files); i++) {
        char *from = xasprintf("%s/forms/%s", fuzz_src(), files[i]);
        shipped[i] = util_read_file(from, &shipped_len[i]);
        if (!shipped[i])
            die("%s", err_msg());
        free(from);
        paths[i] = xasprintf("%s/%s", fuzz_dir(), files[i]);
        fuzz_write(paths[i], shipped[i], shipped_len[i]);
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct formset *fs;
    size_t which;

    if (size < 1)
        return 0;
    which = data[0] % ARRAY_LEN(files);
    fuzz_write(paths[which], data + 1, size - 1);
    fs = formset_load(fuzz_dir());
    if (fs) {
        formset_text(fs, "app.title", "lo");
        formset_free(fs);
    }
    fuzz_write(paths[which], shipped[which], shipped_len[which]);
    err_clear();
    return 0;
}
