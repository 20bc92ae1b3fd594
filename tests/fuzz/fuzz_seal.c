/* The key, receipt and envelope readers of seal on one fuzzed file.  The
 * first byte chooses the reader: 0 a public key file, 1 a receipt, 2 the
 * public half of a key file, 3 a sealed bundle opened with the province's
 * keys from seeds.sh as if sent by its district. */
#include "fuzz.h"

#include <unistd.h>

#include "seal.h"

static struct seal_keys *keys;
static struct seal_pub from;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    keys = seal_keys_unlock(fuzz_need_env("TIPDESK_FUZZ_KEYS"), fuzz_need_env("TIPDESK_PASSPHRASE"));
    if (!keys || seal_pub_read(fuzz_need_env("TIPDESK_FUZZ_PUB"), &from) < 0)
        die("%s", err_msg());
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char *path, *out;
    struct seal_pub p;
    struct seal_receipt r;
    struct seal_head h;

    if (!path) {
        path = xasprintf("%s/input", fuzz_dir());
        out = xasprintf("%s/opened", fuzz_dir());
    }
    if (size < 1)
        return 0;
    fuzz_write(path, data + 1, size - 1);
    switch (data[0] % 4) {
    case 0: seal_pub_read(path, &p); break;
    case 1:
        if (seal_receipt_read(path, &r) == 0)
            seal_receipt_verify(&r, &from);
        break;
    case 2: seal_keys_read_pub(path, &p); break;
    default:
        if (seal_read_head(path, &h) == 0 && seal_open_file(path, keys, &from, out) == 0)
            unlink(out);
        break;
    }
    err_clear();
    return 0;
}
