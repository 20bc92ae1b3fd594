/* The seeded generator (splitmix64) and the civil calendar every demo
 * generator draws from; demo.c drives the generators, which need only this. */
#include <stdio.h>
#include <string.h>

#include "demo.h"
#include "util.h"

uint64_t demo_next(struct demo_rng *g)
{
    uint64_t z = (g->s += 0x9e3779b97f4a7c15ULL);

    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

long demo_below(struct demo_rng *g, long n)
{
    return n <= 1 ? 0 : (long)(demo_next(g) % (uint64_t)n);
}

int demo_chance(struct demo_rng *g, int pct)
{
    return demo_below(g, 100) < pct;
}

void demo_uuid(struct demo_rng *g, char buf[37])
{
    unsigned char r[16];
    uint64_t a = demo_next(g), b = demo_next(g);
    int i;

    for (i = 0; i < 8; i++) {
        r[i] = (unsigned char)(a >> (8 * i));
        r[8 + i] = (unsigned char)(b >> (8 * i));
    }
    util_uuid_format(r, buf);
}

/* Civil-calendar conversions (proleptic Gregorian, H. Hinnant's algorithm). */
int demo_days(int y, int m, int d)
{
    int era, yoe, doy, doe;

    y -= m <= 2;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = y - era * 400;
    doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void demo_date(int days, char buf[11])
{
    int z = days + 719468, era, doe, yoe, y, doy, mp, d, m;
    char tmp[40];

    era = (z >= 0 ? z : z - 146096) / 146097;
    doe = z - era * 146097;
    yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    y = yoe + era * 400;
    doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    mp = (5 * doy + 2) / 153;
    d = doy - (153 * mp + 2) / 5 + 1;
    m = mp + (mp < 10 ? 3 : -9);
    /* y, m and d are in range; the wide buffer only quiets -Wformat-truncation. */
    snprintf(tmp, sizeof(tmp), "%04d-%02d-%02d", y + (m <= 2), m, d);
    memcpy(buf, tmp, 10);
    buf[10] = '\0';
}

void demo_set_date(struct rec *r, const char *col, int day)
{
    char d[11];

    demo_date(day, d);
    rec_set(r, col, d);
}
