-- The people who may use this office's database, each with one role.  The
-- password is stored only as libsodium's Argon2id string (crypto_pwhash_str:
-- salt and limits inside).  failed_logins and locked_until hold the lockout
-- here, so it holds across processes.
CREATE TABLE users (
    name          TEXT PRIMARY KEY,
    role          TEXT NOT NULL CHECK (role IN ('clerk', 'supervisor', 'viewer', 'admin')),
    password_hash TEXT NOT NULL,
    failed_logins INTEGER NOT NULL DEFAULT 0,
    locked_until  INTEGER,
    disabled      INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
    created_at    TEXT NOT NULL,
    created_by    TEXT NOT NULL,
    changed_at    TEXT NOT NULL,
    changed_by    TEXT NOT NULL
);
