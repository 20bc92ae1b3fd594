/* Tests for seal and the office hierarchy: key files round-trip and refuse a
 * wrong passphrase; a sealed file opens only for its recipient and only with
 * its sender's key; a bundle re-signed with another office's key, or with its
 * header relabelled, is refused; receipts verify; and every pair of offices
 * is accepted or refused as the hierarchy says. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sodium.h>

#include "bundle.h"
#include "config.h"
#include "seal.h"
#include "util.h"

static char dir[64];
static struct seal_keys *ka, *kb, *kp;     /* districts LA1301, LA1302; province LA13 */
static const char *pass = "ສົມສັກ ແກ້ວມະນີ passphrase";

static char *path(const char *name)
{
    return xasprintf("%s/%s", dir, name);
}

static struct seal_keys *make(const char *name, const char *office, const char *level)
{
    char *p = path(name);
    struct seal_pub pub;
    struct seal_keys *k;

    assert_int_equal(seal_keys_create(p, office, level, pass, 1, &pub), 0);
    k = seal_keys_unlock(p, pass);
    assert_non_null(k);
    assert_string_equal(k->pub.fpr, pub.fpr);
    free(p);
    return k;
}

static int setup(void **state)
{
    FILE *f;
    char *p;
    int i;

    (void)state;
    snprintf(dir, sizeof(dir), "/tmp/tipdesk-seal.XXXXXX");
    if (!mkdtemp(dir))
        return -1;
    ka = make("a.key", "LA1301", "district");
    kb = make("b.key", "LA1302", "district");
    kp = make("p.key", "LA13", "province");
    /* A plain file of three chunks and a bit, with Lao text in it. */
    p = path("plain");
    f = fopen(p, "wb");
    for (i = 0; i < 20000; i++)
        fprintf(f, "%05d ສົມສັກ ແກ້ວມະນີ ບ້ານ ໂພນທັນ\n", i);
    fclose(f);
    free(p);
    return 0;
}

static int teardown(void **state)
{
    char *cmd = xasprintf("rm -rf '%s'", dir);

    (void)state;
    seal_keys_free(ka);
    seal_keys_free(kb);
    seal_keys_free(kp);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
    free(cmd);
    return 0;
}

static void head_of(struct seal_head *h, const char *from, const char *to)
{
    memset(h, 0, sizeof(*h));
    snprintf(h->from, sizeof(h->from), "%s", from);
    snprintf(h->level, sizeof(h->level), "district");
    snprintf(h->to, sizeof(h->to), "%s", to);
    h->seq = 4;
    snprintf(h->created, sizeof(h->created), "2026-05-01T10:00:00Z");
    memset(h->checksum, 'a', 64);
}

static char *sealed_by_a(const char *name)
{
    char *plain = path("plain"), *out = path(name);
    struct seal_head h;

    head_of(&h, "LA1301", "LA13");
    unlink(out);
    assert_int_equal(seal_file(plain, out, ka, &kp->pub, &h), 0);
    free(plain);
    return out;
}

static int same_file(const char *a, const char *b)
{
    size_t na, nb;
    char *x = util_read_file(a, &na), *y = util_read_file(b, &nb);
    int same = x && y && na == nb && memcmp(x, y, na) == 0;

    free(x);
    free(y);
    return same;
}

static void test_key_file(void **state)
{
    char *p = path("a.key");
    struct seal_pub pub;

    (void)state;
    assert_null(seal_keys_unlock(p, "wrong passphrase"));
    assert_non_null(strstr(err_msg(), "wrong passphrase"));
    assert_int_equal(seal_keys_read_pub(p, &pub), 0);
    assert_memory_equal(pub.sign_pk, ka->pub.sign_pk, 32);
    assert_string_equal(pub.office, "LA1301");
    free(p);
}

static void test_round_trip(void **state)
{
    char *s = sealed_by_a("s.tipx"), *out = path("out"), *plain = path("plain");
    struct seal_head h;

    (void)state;
    assert_int_equal(seal_read_head(s, &h), 0);
    assert_string_equal(h.from, "LA1301");
    assert_string_equal(h.to, "LA13");
    assert_int_equal(seal_open_file(s, kp, &ka->pub, out), 0);
    assert_true(same_file(out, plain));
    unlink(out);
    /* Only the recipient's key opens it. */
    assert_int_equal(seal_open_file(s, kb, &ka->pub, out), -1);
    assert_non_null(strstr(err_msg(), "not sealed for this office's key"));
    assert_int_equal(access(out, F_OK), -1);
    free(s);
    free(out);
    free(plain);
}

/* Replaces the signature of FILE by one of K over the same bytes, after
 * putting TO_FROM in place of the sender line when given. */
static void resign(const char *file, const struct seal_keys *k, const char *new_from)
{
    size_t n;
    char *b = util_read_file(file, &n), *at;
    crypto_sign_state ss;
    FILE *f;

    assert_non_null(b);
    if (new_from) {
        at = strstr(b, "from LA1301\n");
        assert_non_null(at);
        memcpy(at + 5, new_from, 6);
    }
    crypto_sign_init(&ss);
    crypto_sign_update(&ss, (unsigned char *)b, n - 64);
    crypto_sign_final_create(&ss, (unsigned char *)b + n - 64, NULL, k->sign_sk);
    f = fopen(file, "wb");
    assert_int_equal(fwrite(b, 1, n, f), n);
    fclose(f);
    free(b);
}

static void test_resigned(void **state)
{
    char *s = sealed_by_a("r.tipx"), *out = path("out");

    (void)state;
    /* LA1302 signs LA1301's bundle as its own: the header is part of the
     * sealed content's associated data, so it no longer decrypts. */
    resign(s, kb, "LA1302");
    assert_int_equal(seal_open_file(s, kp, &kb->pub, out), -1);
    assert_non_null(strstr(err_msg(), "the bundle from LA1302 was changed or damaged"));
    assert_int_equal(seal_open_file(s, kp, &ka->pub, out), -1);
    free(s);
    /* Re-signed by LA1302 but still claiming LA1301: the signature fails. */
    s = sealed_by_a("r2.tipx");
    resign(s, kb, NULL);
    assert_int_equal(seal_open_file(s, kp, &ka->pub, out), -1);
    assert_non_null(strstr(err_msg(), "the signature is not LA1301's"));
    assert_int_equal(access(out, F_OK), -1);
    free(s);
    free(out);
}

static void test_receipt(void **state)
{
    char *p = path("r.tipr");
    struct seal_receipt r, got;
    FILE *f;

    (void)state;
    memset(&r, 0, sizeof(r));
    snprintf(r.by, sizeof(r.by), "LA13");
    snprintf(r.office, sizeof(r.office), "LA1301");
    r.seq = 4;
    memset(r.checksum, 'b', 64);
    snprintf(r.result, sizeof(r.result), "imported");
    r.inserted = 12;
    snprintf(r.at, sizeof(r.at), "2026-05-02T08:00:00Z");
    assert_int_equal(seal_receipt_write(p, &r, kp), 0);
    assert_int_equal(seal_receipt_read(p, &got), 0);
    assert_int_equal(got.inserted, 12);
    assert_int_equal(seal_receipt_verify(&got, &kp->pub), 0);
    assert_int_equal(seal_receipt_verify(&got, &ka->pub), -1);
    /* A receipt with one more line is refused naming the line. */
    f = fopen(p, "a");
    fputs("extra 1\n", f);
    fclose(f);
    assert_int_equal(seal_receipt_read(p, &got), -1);
    assert_non_null(strstr(err_msg(), "r.tipr:13: unexpected line"));
    free(p);
}

static void test_hierarchy(void **state)
{
    static const struct {
        const char *me;
        enum office_level lv;
        const char *from, *level;
        int ok;
    } pairs[] = {
        { "LA1301", LEVEL_DISTRICT, "LA1302", "district", 0 },  /* another district */
        { "LA1301", LEVEL_DISTRICT, "LA13", "province", 0 },    /* its province */
        { "LA1301", LEVEL_DISTRICT, "LA", "centre", 0 },        /* the centre */
        { "LA1301", LEVEL_DISTRICT, "LA1301", "district", 0 },  /* itself */
        { "LA13", LEVEL_PROVINCE, "LA1301", "district", 1 },    /* its district */
        { "LA13", LEVEL_PROVINCE, "LA1401", "district", 0 },    /* another province's district */
        { "LA13", LEVEL_PROVINCE, "LA14", "province", 0 },      /* another province */
        { "LA13", LEVEL_PROVINCE, "LA", "centre", 0 },          /* the centre */
        { "LA13", LEVEL_PROVINCE, "LA13", "province", 0 },      /* itself */
        { "LA13", LEVEL_PROVINCE, "LA1301", "province", 0 },    /* a code not of its level */
        { "LA", LEVEL_CENTRE, "LA13", "province", 1 },
        { "LA", LEVEL_CENTRE, "LA1401", "district", 1 },
        { "LA", LEVEL_CENTRE, "LA", "centre", 0 },
    };
    struct config c;
    size_t i;

    (void)state;
    for (i = 0; i < ARRAY_LEN(pairs); i++) {
        memset(&c, 0, sizeof(c));
        c.office_code = (char *)pairs[i].me;
        c.level = pairs[i].lv;
        if ((bundle_may_accept(&c, "f.tipx", pairs[i].from, pairs[i].level) == 0) != pairs[i].ok)
            fail_msg("%s taking from %s (%s): expected %s", pairs[i].me, pairs[i].from, pairs[i].level,
                     pairs[i].ok ? "yes" : "no");
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_key_file),
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_resigned),
        cmocka_unit_test(test_receipt),
        cmocka_unit_test(test_hierarchy),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
