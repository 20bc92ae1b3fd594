/* bundle — consolidation bundles (docs/ARCHITECTURE.md, "A bundle's path"):
 * writing this office's changed records into one SQLite file for the level
 * above, and checking and merging such files into this database.  Plain C
 * callable from the command line and the screens alike: progress goes to a
 * callback, results to a summary struct.  The SQLite work itself is in
 * db_bundle.c. */
#ifndef TIPDESK_BUNDLE_H
#define TIPDESK_BUNDLE_H

#include <stdint.h>

struct db;
struct config;
struct sbuf;
struct seal_keys;
struct seal_receipt;

/* 'T','I','P','X': PRAGMA application_id of every bundle file. */
#define BUNDLE_APPLICATION_ID 0x54495058
/* Layout of the manifest and tables; a newer one is refused on import.
 * 2: rows stored in key order and hashed in that order (1: hashed sorted). */
#define BUNDLE_FORMAT 2

/* How far a bundle's sequence number may run ahead of the last one imported
 * from its office: gaps are lost sticks, a jump beyond this is not an office. */
#define BUNDLE_SEQ_JUMP 1000

/* The tables a bundle carries, in the order they are written and hashed. */
enum bundle_table {
    BT_CASES, BT_CASE_EVENTS, BT_CASE_SCREENING, BT_CASE_ASSISTANCE,
    BT_PROSECUTIONS, BT_SUSPECTS, BT_PROSECUTION_VICTIMS, BT_EVENTS,
    BT_AUDIT_LOG, BT_N
};
extern const char *const bundle_tables[BT_N];

/* Called now and then during long work; TOTAL may be 0 when unknown. */
struct bundle_progress {
    void (*fn)(void *ctx, int64_t done, int64_t total);
    void *ctx;
};

struct bundle_export {
    int all;                /* in: every record, not only those changed since the last export */
    const char *out;        /* in: file to write; NULL: OFFICE_SEQ_YYYYMMDD.tipx in export_dir */
    int force;              /* in: replace an existing OUT of another kind (see outfile_check) */
    const struct seal_keys *keys;   /* in: seal and sign with these; NULL: the old clear format */
    const char *to;         /* in: the office to seal for; NULL: the registered office above */
    char to_office[16];     /* out: the office it was sealed for ("" when not sealed) */
    char *file;             /* out: the file written (freed by bundle_export_free) */
    int64_t seq;            /* out: this office's bundle number */
    int64_t counts[BT_N];   /* out: rows per table */
    char checksum[65];      /* out: hex BLAKE2b-256 of the canonical content */
    char created_at[21];    /* out: when its snapshot was taken (UTC) */
    int64_t high_water;     /* out: the last audit row it saw; the next export starts after it */
};

struct bundle_summary {
    char *file;             /* the bundle as given */
    char office[24];        /* the exporting office */
    char level[12];
    int64_t seq;
    char created_at[24];
    char checksum[65];
    int already;            /* 1: imported before, on imported_on; nothing done */
    char imported_on[24];
    int dry_run;
    int64_t inserted, updated, unchanged, older, conflicts;
    int sealed;             /* 1: signed and sealed; 0: the old clear format */
    char *receipt;          /* the receipt written for the sender, or NULL */
};

/* What an import trusts. */
struct bundle_trust {
    const struct seal_keys *keys;   /* this office's keys (NULL: none unlocked) */
    int accept_unsigned;    /* let in bundles of the old clear format (the centre only) */
};

/* Writes a bundle of CFG's office from DB (see struct bundle_export), fsyncs
 * it under a temporary name, renames it and records it in `exports`.  0, or
 * -1 with err set and nothing left behind. */
int bundle_export(struct db *db, const struct config *cfg, struct bundle_export *x,
                  const struct bundle_progress *p);
void bundle_export_free(struct bundle_export *x);

/* Checks the bundle FILE (format, versions, integrity, checksum, every row)
 * and merges it into DB in one transaction; DRY_RUN only counts.  Fills S.
 * 0, or -1 with err set to why the whole bundle was refused (DB unchanged). */
int bundle_import(struct db *db, const struct config *cfg, const char *file, int dry_run,
                  struct bundle_summary *s, const struct bundle_progress *p);
/* bundle_import's work on S (its file and dry_run set by the caller), with
 * ACCEPT called on the verified manifest before anything is merged; -1 from
 * it (err set) refuses the bundle whole. */
int bundle_import_checked(struct db *db, const struct config *cfg, const char *file,
                          struct bundle_summary *s, const struct bundle_progress *p,
                          int (*accept)(void *actx, const struct bundle_summary *s), void *actx);
void bundle_summary_free(struct bundle_summary *s);

/* Imports FILE as an office does: a sealed bundle is taken only from an
 * office below this one (a province: its districts; the centre: provinces
 * and districts), whose registered key signed it, sealed for this office;
 * it is decrypted to a 0600 file beside the database, checked and merged
 * like bundle_import, and the file removed.  A clear bundle only with
 * T->accept_unsigned at the centre.  Unless DRY_RUN, a receipt signed with
 * T->keys is written to the export folder (S->receipt).  0 or -1 with err
 * naming the file and the office; DB unchanged. */
int bundle_receive(struct db *db, const struct config *cfg, const struct bundle_trust *t,
                   const char *file, int dry_run, struct bundle_summary *s,
                   const struct bundle_progress *p);
/* 0 when this office takes bundles from FROM, a LEVEL office: only from
 * below (a province: its own districts; the centre: provinces and
 * districts), never from itself or above; else -1 with err naming FILE. */
int bundle_may_accept(const struct config *cfg, const char *file, const char *from, const char *level);
/* Seals the clear bundle PLAIN that bundle_export just wrote into OUT for
 * X->to or the office above, signed with X->keys (bundle_seal.c).  0 or -1. */
int bundle_seal_export(struct db *db, const struct config *cfg, struct bundle_export *x,
                       const char *plain, const char *out);
/* Records the receipt FILE, sent back by the office that received a bundle
 * of this office, after checking its signature against that office's
 * registered key.  Fills R.  1 new, 0 recorded before, -1 with err set. */
int bundle_receipt_import(struct db *db, const struct config *cfg, const char *file,
                          struct seal_receipt *r);
/* The office key file of CFG: office.key beside the database.  Caller frees. */
char *bundle_keys_path_alloc(const struct config *cfg);
/* The folder of the database file (for files that must stay on this PC). */
char *bundle_db_dir_alloc(const struct config *cfg);

/* Appends one line per office with gaps in the bundles imported so far:
 * "LA1301: bundles 4–5 not received".  Returns the number of lines, or -1. */
int bundle_missing(struct db *db, struct sbuf *out);

#endif
