-- Trust between offices: the public keys of the offices above and below
-- this one, and the receipts that came back for bundles sent from here.
CREATE TABLE office_keys (
    office      TEXT NOT NULL,
    level       TEXT NOT NULL,
    sign_pk     TEXT NOT NULL,          -- Ed25519, base64
    seal_pk     TEXT NOT NULL,          -- X25519, base64
    fingerprint TEXT NOT NULL,
    added_at    TEXT NOT NULL,
    added_by    TEXT NOT NULL,
    revoked_at  TEXT                    -- set by `keys revoke`; a revoked key is kept, never trusted
);
-- At most one key in force per office.
CREATE UNIQUE INDEX office_keys_current ON office_keys(office) WHERE revoked_at IS NULL;

CREATE TABLE receipts (
    id          INTEGER PRIMARY KEY,
    by_office   TEXT NOT NULL,          -- the office that received the bundle and signed the receipt
    office      TEXT NOT NULL,          -- the office that sent it (this one)
    seq         INTEGER NOT NULL,
    checksum    TEXT NOT NULL,
    result      TEXT NOT NULL,
    inserted    INTEGER NOT NULL,
    updated     INTEGER NOT NULL,
    unchanged   INTEGER NOT NULL,
    conflicts   INTEGER NOT NULL,
    received_at TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    UNIQUE (by_office, office, seq, checksum)
);
