/* demo — reproducible synthetic records for training and benchmarks: victim
 * cases, prosecutions and prevention events with Lao and romanised names,
 * real provinces and districts, ordered dates and a plausible exploitation
 * mix.  Everything (uuids included) comes from a seeded generator of our own,
 * so the same seed gives the same content on every machine. */
#ifndef TIPDESK_DEMO_H
#define TIPDESK_DEMO_H

#include <stdint.h>

#include "db_rec.h"

struct formset;

struct demo_opts {
    long cases, prosecutions, events;
    uint64_t seed;
    const struct formset *forms;    /* needed: no record keeps a value in a
                                       field its form does not ask */
};

/* Adds the records of O to DB, saved by WHO, in batches of one transaction
 * each.  Refused when this seed's records are already there.  0 or -1 with
 * err set (the batch being written is rolled back). */
int demo_generate(struct db *db, const struct db_actor *who, const struct demo_opts *o);

/* The generator (demo_rng.c), shared by every generator: splitmix64. */
struct demo_rng {
    uint64_t s;
};
uint64_t demo_next(struct demo_rng *g);
/* A number in [0, n). */
long demo_below(struct demo_rng *g, long n);
/* 1 with probability PCT/100. */
int demo_chance(struct demo_rng *g, int pct);
/* A reproducible UUID v4 drawn from G. */
void demo_uuid(struct demo_rng *g, char buf[37]);

/* What the generators need to know about the database and each other. */
struct demo_ctx {
    struct demo_rng g;
    char **districts, **district_province;
    int ndist;
    int first_day, last_day;    /* days since 1970-01-01 */
    /* Cases made in this run, for prosecutions to link to. */
    char (*case_uuid)[37];
    int *case_day, *case_kind;
    long ncases;
};

/* ISO date of DAYS since 1970-01-01 (buf >= 11 bytes), and back. */
void demo_date(int days, char buf[11]);
int demo_days(int y, int m, int d);
/* Sets COL of R to the ISO date of DAYS since 1970-01-01. */
void demo_set_date(struct rec *r, const char *col, int day);

/* Shared by the generators: a district (weighted by where cases come
 * from) with its province; a village name; a person's name, in Lao script
 * or romanised (LAO), for sex F or M.  Results are borrowed static text. */
int demo_pick_district(struct demo_ctx *c);
const char *demo_village(struct demo_ctx *c, int lao);
void demo_name(struct demo_ctx *c, int female, int lao, const char **first, const char **last);
/* The neighbouring countries of province P-code PROV ("" when none), e.g. "TH;MM". */
const char *demo_borders(const char *prov);

/* Fill R with one record of each kind; the generators draw from C->g. */
void demo_gen_case(struct demo_ctx *c, struct rec *r, long i);
void demo_gen_prosecution(struct demo_ctx *c, struct rec *r);
void demo_gen_event(struct demo_ctx *c, struct rec *r);

#endif
