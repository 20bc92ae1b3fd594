/* db_keys — the registry of other offices' public keys (table office_keys)
 * and the receipts that came back for this office's bundles (receipts).
 * At most one key in force per office; revoked keys are kept, never used. */
#ifndef TIPDESK_DB_KEYS_H
#define TIPDESK_DB_KEYS_H

struct db;
struct sbuf;
struct seal_pub;
struct seal_receipt;

/* The key in force for OFFICE into P: 1, 0 when none (then *REVOKED_AT, if
 * given, holds when the last one was revoked, or ""), -1 on error. */
int db_keys_get(struct db *db, const char *office, struct seal_pub *p, char revoked_at[24]);
/* Registers P, added by USER.  0, or -1 with err set (another key in force). */
int db_keys_add(struct db *db, const struct seal_pub *p, const char *user);
/* Revokes the key in force for OFFICE: 1 revoked, 0 none in force, -1. */
int db_keys_revoke(struct db *db, const char *office);
/* One line per registered key, current ones first.  Number of lines or -1. */
int db_keys_list(struct db *db, struct sbuf *out);

/* Records the verified receipt R: 1 new, 0 recorded before, -1 on error. */
int db_receipt_add(struct db *db, const struct seal_receipt *r);
/* 1 when this office wrote bundle SEQ of OFFICE with CHECKSUM, 0 if not, -1. */
int db_export_known(struct db *db, const char *office, long long seq, const char *checksum);
/* Bundles of OFFICE written here that no receipt acknowledges yet: their
 * numbers "4, 5" appended to OUT (NULL: only counted).  Count or -1. */
int db_exports_unacked(struct db *db, const char *office, struct sbuf *out);

#endif
