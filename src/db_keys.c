/* The key registry and receipts on the SQLite side. */
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "db.h"
#include "db_keys.h"
#include "seal.h"
#include "util.h"

static void b64(char *out, size_t n, const unsigned char *p, size_t len)
{
    sodium_bin2base64(out, n, p, len, sodium_base64_VARIANT_ORIGINAL);
}

static int unb64(const char *s, unsigned char *out, size_t n)
{
    size_t got = 0;

    return s && sodium_base642bin(out, n, s, strlen(s), NULL, &got, NULL, sodium_base64_VARIANT_ORIGINAL) == 0 &&
           got == n ? 0 : -1;
}

int db_keys_get(struct db *db, const char *office, struct seal_pub *p, char revoked_at[24])
{
    struct db_stmt *st = db_prepare(db, "SELECT level, sign_pk, seal_pk, revoked_at FROM office_keys "
                                        "WHERE office = ?1 ORDER BY revoked_at IS NULL DESC, revoked_at DESC LIMIT 1", 0);
    int rc;

    if (revoked_at)
        revoked_at[0] = '\0';
    if (!st)
        return -1;
    db_bind_text(st, 1, office);
    rc = db_step(st);
    if (rc == 1 && !db_column_is_null(st, 3)) {
        if (revoked_at)
            snprintf(revoked_at, 24, "%s", db_column_text(st, 3));
        rc = 0;
    } else if (rc == 1) {
        memset(p, 0, sizeof(*p));
        snprintf(p->office, sizeof(p->office), "%s", office);
        snprintf(p->level, sizeof(p->level), "%s", db_column_text(st, 0));
        if (unb64(db_column_text(st, 1), p->sign_pk, 32) < 0 || unb64(db_column_text(st, 2), p->box_pk, 32) < 0)
            rc = err_set("the registered key of %s is damaged; revoke it and import it again", office);
        else
            seal_fingerprint(p);
    }
    db_finalize(st);
    return rc;
}

int db_keys_add(struct db *db, const struct seal_pub *p, const char *user)
{
    struct db_stmt *st;
    char s[64], b[64], now[21];
    int rc = -1;

    if (sodium_init() < 0)
        return err_set("cannot start libsodium");
    b64(s, sizeof(s), p->sign_pk, 32);
    b64(b, sizeof(b), p->box_pk, 32);
    util_now_iso(now);
    st = db_prepare(db, "INSERT INTO office_keys(office, level, sign_pk, seal_pk, fingerprint, added_at, added_by) "
                        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)", 0);
    if (!st)
        return -1;
    db_bind_text(st, 1, p->office);
    db_bind_text(st, 2, p->level);
    db_bind_text(st, 3, s);
    db_bind_text(st, 4, b);
    db_bind_text(st, 5, p->fpr);
    db_bind_text(st, 6, now);
    db_bind_text(st, 7, user);
    rc = db_step(st) < 0 ? -1 : 0;
    db_finalize(st);
    return rc;
}

int db_keys_revoke(struct db *db, const char *office)
{
    struct db_stmt *st = db_prepare(db, "UPDATE office_keys SET revoked_at = ?2 WHERE office = ?1 AND revoked_at IS NULL", 0);
    char now[21];
    int rc;

    if (!st)
        return -1;
    util_now_iso(now);
    db_bind_text(st, 1, office);
    db_bind_text(st, 2, now);
    rc = db_step(st) < 0 ? -1 : db_changes(db) > 0;
    db_finalize(st);
    return rc;
}

int db_keys_list(struct db *db, struct sbuf *out)
{
    struct db_stmt *st = db_prepare(db, "SELECT office, level, fingerprint, added_at, revoked_at FROM office_keys "
                                        "ORDER BY revoked_at IS NOT NULL, length(office), office, added_at", 0);
    int n = 0, rc;

    if (!st)
        return -1;
    while ((rc = db_step(st)) == 1) {
        sbuf_addf(out, "%-8s %-9s %s  added %s", db_column_text(st, 0), db_column_text(st, 1),
                  db_column_text(st, 2), db_column_text(st, 3));
        if (!db_column_is_null(st, 4))
            sbuf_addf(out, "  REVOKED %s", db_column_text(st, 4));
        sbuf_addc(out, '\n');
        n++;
    }
    db_finalize(st);
    return rc < 0 ? -1 : n;
}

int db_receipt_add(struct db *db, const struct seal_receipt *r)
{
    struct db_stmt *st = db_prepare(db, "INSERT OR IGNORE INTO receipts(by_office, office, seq, checksum, result, "
                                        "inserted, updated, unchanged, conflicts, received_at, recorded_at) "
                                        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)", 0);
    char now[21];
    int rc;

    if (!st)
        return -1;
    util_now_iso(now);
    db_bind_text(st, 1, r->by);
    db_bind_text(st, 2, r->office);
    db_bind_int(st, 3, r->seq);
    db_bind_text(st, 4, r->checksum);
    db_bind_text(st, 5, r->result);
    db_bind_int(st, 6, r->inserted);
    db_bind_int(st, 7, r->updated);
    db_bind_int(st, 8, r->unchanged);
    db_bind_int(st, 9, r->conflicts);
    db_bind_text(st, 10, r->at);
    db_bind_text(st, 11, now);
    rc = db_step(st) < 0 ? -1 : db_changes(db) > 0;
    db_finalize(st);
    return rc;
}

int db_export_known(struct db *db, const char *office, long long seq, const char *checksum)
{
    struct db_stmt *st = db_prepare(db, "SELECT 1 FROM exports WHERE office = ?1 AND seq = ?2 AND checksum = ?3", 0);
    int rc;

    if (!st)
        return -1;
    db_bind_text(st, 1, office);
    db_bind_int(st, 2, seq);
    db_bind_text(st, 3, checksum);
    rc = db_step(st);
    db_finalize(st);
    return rc;
}

int db_exports_unacked(struct db *db, const char *office, struct sbuf *out)
{
    struct db_stmt *st = db_prepare(db, "SELECT seq FROM exports e WHERE office = ?1 AND NOT EXISTS "
                                        "(SELECT 1 FROM receipts r WHERE r.office = e.office AND r.seq = e.seq "
                                        "AND r.checksum = e.checksum) ORDER BY seq", 0);
    int n = 0, rc;

    if (!st)
        return -1;
    db_bind_text(st, 1, office);
    while ((rc = db_step(st)) == 1) {
        if (out)
            sbuf_addf(out, "%s%lld", n ? ", " : "", (long long)db_column_int(st, 0));
        n++;
    }
    db_finalize(st);
    return rc < 0 ? -1 : n;
}
