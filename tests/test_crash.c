/* Crash test: a child process saves records in a loop and reports each uuid
 * on a pipe once db_rec_save (or the batch's commit) has returned; the parent
 * kills it with SIGKILL at a random moment.  Afterwards the database must be
 * intact and hold every record reported as saved. */
#include <errno.h>
#include <poll.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "db_rec.h"
#include "demo.h"
#include "util.h"
#include "testlib.h"

#define RUNS 24
#define BATCH 10

static char dir[64];
static char *path;

static int setup(void **state)
{
    struct db *db;

    (void)state;
    if (tl_mkdtemp(dir, "crash") < 0)
        return -1;
    path = xasprintf("%s/crash.db", dir);
    db = db_open(path, DB_OPEN_CREATE);
    if (!db || db_migrate(db) < 0)
        return -1;
    db_close(db);
    return 0;
}

static int teardown(void **state)
{
    int rc;

    (void)state;
    rc = tl_rm_rf(dir);
    free(path);
    return rc;
}

static void write_all(int fd, const char *s, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, s, n);

        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            _exit(3);
        s += w;
        n -= (size_t)w;
    }
}

/* The child: saves cases until killed.  BATCHED: BATCH saves per
 * transaction, reported after the commit. */
static void child_loop(int fd, int batched)
{
    static const struct db_actor who = { "LA1301", "crash" };
    struct db *db = db_open(path, DB_OPEN_EXISTING);
    char pending[BATCH][38];
    long i;
    int n = 0;

    if (!db || db_migrate(db) < 0)
        _exit(2);
    for (i = 0; ; i++) {
        struct rec *r = rec_new("cases"), *k;

        if (batched && n == 0 && db_begin(db) < 0)
            _exit(4);
        rec_set(r, "status", "complete");
        rec_set(r, "registered_on", "2026-02-14");
        rec_set(r, "first_name", i % 2 ? "ສົມສັກ" : "Somsak");
        rec_set(r, "last_name", "ແກ້ວມະນີ");
        rec_set(r, "home_village", "ບ້ານ ໂພນທັນ");
        rec_setf(r, "notes", "crash test record %ld", i);
        k = rec_kid_add(r, "case_events");
        rec_set(k, "step", "Exploitation");
        rec_set(k, "country", "TH");
        if (db_rec_save(db, r, &who) != 1)
            _exit(5);
        snprintf(pending[n++], sizeof(pending[0]), "%s\n", rec_get(r, "uuid"));
        rec_free(r);
        if (batched && n < BATCH)
            continue;
        if (batched && db_commit(db) < 0)
            _exit(6);
        for (int j = 0; j < n; j++)
            write_all(fd, pending[j], 37);
        n = 0;
    }
}

/* Reads what is available on FD into BUF (growing); 0 at EOF. */
static int read_some(int fd, struct sbuf *buf)
{
    char tmp[4096];
    ssize_t n = read(fd, tmp, sizeof(tmp));

    if (n > 0)
        sbuf_addn(buf, tmp, (size_t)n);
    return n > 0 || (n < 0 && errno == EINTR);
}

static long ms_since(const struct timespec *t0)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return (t.tv_sec - t0->tv_sec) * 1000 + (t.tv_nsec - t0->tv_nsec) / 1000000;
}

/* One run: start a child, kill it after WAIT_MS, and check the database.
 * Returns the number of uuids the child reported. */
static int run_once(long wait_ms, int batched)
{
    struct sbuf got = {0}, problems = {0};
    struct timespec t0;
    struct db *db;
    int fds[2], status, reported = 0;
    const char *p;
    pid_t pid;

    assert_int_equal(pipe(fds), 0);
    pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        close(fds[0]);
        child_loop(fds[1], batched);
    }
    close(fds[1]);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    /* Keep draining the pipe so the child never blocks on a full one. */
    while (ms_since(&t0) < wait_ms) {
        struct pollfd pfd = { fds[0], POLLIN, 0 };

        if (poll(&pfd, 1, 5) > 0 && !read_some(fds[0], &got))
            break;
    }
    kill(pid, SIGKILL);
    assert_int_equal(waitpid(pid, &status, 0), pid);
    /* A child that failed on its own (not by our kill) is a failure too. */
    if (!WIFSIGNALED(status))
        fail_msg("the saving process stopped by itself (exit %d)", WEXITSTATUS(status));
    while (read_some(fds[0], &got))
        ;
    close(fds[0]);

    db = db_open(path, DB_OPEN_EXISTING);
    assert_non_null(db);
    assert_int_equal(db_integrity(db, 0, &problems), 0);
    for (p = sbuf_str(&got); strlen(p) >= 37; p += 37) {
        char uuid[37];

        memcpy(uuid, p, 36);
        uuid[36] = '\0';
        assert_int_equal(p[36], '\n');
        if (db_query_int(db, "SELECT count(*) FROM cases WHERE uuid = ?1", uuid, 0) != 1)
            fail_msg("case %s was reported saved but is missing after the kill", uuid);
        assert_int_equal(db_query_int(db, "SELECT count(*) FROM case_events WHERE case_uuid = ?1", uuid, 0), 1);
        assert_int_equal(db_query_int(db, "SELECT count(*) FROM audit_log WHERE uuid = ?1", uuid, 0), 1);
        reported++;
    }
    /* A record without its journey or audit row would be a torn save. */
    assert_int_equal(db_query_int(db, "SELECT count(*) FROM cases c WHERE NOT EXISTS "
                                      "(SELECT 1 FROM audit_log a WHERE a.uuid = c.uuid)", NULL, -1), 0);
    db_close(db);
    sbuf_free(&got);
    sbuf_free(&problems);
    return reported;
}

static void test_kill_while_saving(void **state)
{
    struct demo_rng g = { (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32) };
    int i, total = 0;

    (void)state;
    for (i = 0; i < RUNS; i++)
        total += run_once(40 + demo_below(&g, 260), i % 2);
    /* The runs must have saved something for the test to mean anything. */
    assert_true(total > RUNS);
    print_message("%d records reported saved across %d kills, all present\n", total, RUNS);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kill_while_saving),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
