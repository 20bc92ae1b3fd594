/* fuzz — what the libFuzzer targets in tests/fuzz share: a private scratch
 * folder, writing an input to a file there, and the source folder with the
 * shipped config.ini and forms.  Header-only, one copy per target. */
#ifndef TIPDESK_FUZZ_H
#define TIPDESK_FUZZ_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* A scratch folder for this process, created on first use. */
static inline const char *fuzz_dir(void)
{
    static char dir[64];

    if (!dir[0]) {
        snprintf(dir, sizeof(dir), "/tmp/tipdesk-fuzz.XXXXXX");
        if (!mkdtemp(dir))
            die("cannot make a scratch folder in /tmp");
    }
    return dir;
}

/* Writes N bytes to PATH whole; dies on failure (the target cannot go on). */
static inline void fuzz_write(const char *path, const void *data, size_t n)
{
    FILE *f = fopen(path, "wb");

    if (!f || (n && fwrite(data, 1, n, f) != n) || fclose(f) != 0)
        die("%s: cannot write", path);
}

/* The repository's folder (TIPDESK_SRC, else the current folder). */
static inline const char *fuzz_src(void)
{
    const char *s = getenv("TIPDESK_SRC");

    return s && *s ? s : ".";
}

/* The environment variable NAME, which the target cannot run without. */
static inline const char *fuzz_need_env(const char *name)
{
    const char *s = getenv(name);

    if (!s || !*s)
        die("set %s (make fuzz prepares it)", name);
    return s;
}

#endif
