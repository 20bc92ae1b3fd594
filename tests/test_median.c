/* Tests for report_median: the middle value (or the mean of the two middle
 * values) of unsorted, sorted, reversed and repetitive input, against a
 * full sort; and in linear time on a million values, where the insertion
 * sort it replaced would move values about 10^11 times and never finish. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "report.h"
#include "util.h"

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return (x > y) - (x < y);
}

/* The median by a full sort of a copy. */
static double sorted_median(const double *v, int n)
{
    double *c = xmalloc((size_t)n * sizeof(double)), m;

    memcpy(c, v, (size_t)n * sizeof(double));
    qsort(c, (size_t)n, sizeof(double), cmp_double);
    m = n % 2 ? c[n / 2] : (c[n / 2 - 1] + c[n / 2]) / 2;
    free(c);
    return m;
}

static void check(const double *v, int n)
{
    double *c = xmalloc((size_t)n * sizeof(double));

    memcpy(c, v, (size_t)n * sizeof(double));
    assert_true(report_median(c, n) == sorted_median(v, n));
    free(c);
}

static void small_cases(void **state)
{
    double none[1] = { 0 }, one[] = { 7 }, two[] = { 9, 3 }, three[] = { 5, 1, 3 };
    double same[] = { 4, 4, 4, 4, 4, 4 }, days[] = { 120, 30, 365, 30, 90, 30, 400, 45 };

    (void)state;
    assert_true(report_median(none, 0) == 0);
    assert_true(report_median(one, 1) == 7);
    assert_true(report_median(two, 2) == 6);
    assert_true(report_median(three, 3) == 3);
    assert_true(report_median(same, 6) == 4);
    assert_true(report_median(days, 8) == 67.5);
}

/* Every length up to 300, in random, sorted, reversed and few-valued order. */
static void against_sort(void **state)
{
    double v[300];
    int n, i;

    (void)state;
    srand(11);
    for (n = 1; n <= 300; n++) {
        for (i = 0; i < n; i++)
            v[i] = rand() % 1000;
        check(v, n);
        for (i = 0; i < n; i++)
            v[i] = i;
        check(v, n);
        for (i = 0; i < n; i++)
            v[i] = n - i;
        check(v, n);
        for (i = 0; i < n; i++)
            v[i] = rand() % 3;
        check(v, n);
    }
}

static void million_reversed(void **state)
{
    int n = 1000000, i;
    double *v = xmalloc((size_t)n * sizeof(double));

    (void)state;
    for (i = 0; i < n; i++)
        v[i] = n - i;               /* the worst order for insertion sort */
    assert_true(report_median(v, n) == (n / 2 + n / 2 + 1) / 2.0);
    for (i = 0; i < n; i++)
        v[i] = (double)((long long)i * 7919 % 4001);    /* many repeats, no order */
    check(v, n);
    free(v);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(small_cases),
        cmocka_unit_test(against_sort),
        cmocka_unit_test(million_reversed),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
