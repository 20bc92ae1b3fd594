/* cond_parse on the input up to its first NUL; the NUL-separated parts after
 * it are field values that the evaluation looks up (a field id picks one by
 * its hash; an empty part is an empty field). */
#include "fuzz.h"

#include "cond.h"

struct vals {
    const char *v[8];
    size_t n;
};

static const char *lookup(void *ctx, const char *id)
{
    const struct vals *vs = ctx;
    unsigned h = 5381;

    if (!vs->n)
        return NULL;
    for (; *id; id++)
        h = h * 33 + (unsigned char)*id;
    return vs->v[h % vs->n];
}

static void count(void *arg, const char *id)
{
    (void)id;
    (*(size_t *)arg)++;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *buf = xmalloc(size + 1);
    struct vals vs = {{0}, 0};
    struct cond *c;
    size_t i, ids = 0;

    memcpy(buf, data, size);
    buf[size] = '\0';
    for (i = strlen(buf); i < size && vs.n < ARRAY_LEN(vs.v); i += strlen(buf + i))
        vs.v[vs.n++] = buf + ++i;
    c = cond_parse(buf);
    if (c) {
        char *v = cond_value_alloc(c, lookup, &vs);
        cond_eval(c, lookup, &vs);
        cond_holds(c, lookup, &vs);
        cond_each_field(c, count, &ids);
        free(v);
        cond_free(c);
    }
    err_clear();
    free(buf);
    return 0;
}
