-- Record counts per kind, status and deleted-or-not, kept by triggers, so
-- that the home screen and the lists show totals without counting a table
-- (a count(*) over a million cases takes longer than the save it follows).
-- Every (tbl, status, deleted) row exists from the start: the triggers only
-- ever UPDATE one row by its primary key.
CREATE TABLE record_counts (
    tbl     TEXT NOT NULL,
    status  TEXT NOT NULL,
    deleted INTEGER NOT NULL CHECK (deleted IN (0, 1)),
    n       INTEGER NOT NULL,
    PRIMARY KEY (tbl, status, deleted)
) WITHOUT ROWID;

-- Filled once here, one scan per table; the triggers keep them from then on.
INSERT INTO record_counts(tbl, status, deleted, n)
SELECT 'cases', status, deleted_at IS NOT NULL, count(*) FROM cases GROUP BY 2, 3;
INSERT INTO record_counts(tbl, status, deleted, n)
SELECT 'prosecutions', status, deleted_at IS NOT NULL, count(*) FROM prosecutions GROUP BY 2, 3;
INSERT INTO record_counts(tbl, status, deleted, n)
SELECT 'events', status, deleted_at IS NOT NULL, count(*) FROM events GROUP BY 2, 3;
INSERT OR IGNORE INTO record_counts(tbl, status, deleted, n)
SELECT t.tbl, s.status, d.deleted, 0
FROM (SELECT 'cases' AS tbl UNION ALL SELECT 'prosecutions' UNION ALL SELECT 'events') t,
     (SELECT 'draft' AS status UNION ALL SELECT 'complete' UNION ALL SELECT 'verified') s,
     (SELECT 0 AS deleted UNION ALL SELECT 1) d;

CREATE TRIGGER cases_count_ai AFTER INSERT ON cases BEGIN
    UPDATE record_counts SET n = n + 1
    WHERE tbl = 'cases' AND status = new.status AND deleted = (new.deleted_at IS NOT NULL);
END;
CREATE TRIGGER cases_count_ad AFTER DELETE ON cases BEGIN
    UPDATE record_counts SET n = n - 1
    WHERE tbl = 'cases' AND status = old.status AND deleted = (old.deleted_at IS NOT NULL);
END;
CREATE TRIGGER cases_count_au AFTER UPDATE OF status, deleted_at ON cases
WHEN old.status IS NOT new.status OR (old.deleted_at IS NULL) <> (new.deleted_at IS NULL) BEGIN
    UPDATE record_counts SET n = n - 1
    WHERE tbl = 'cases' AND status = old.status AND deleted = (old.deleted_at IS NOT NULL);
    UPDATE record_counts SET n = n + 1
    WHERE tbl = 'cases' AND status = new.status AND deleted = (new.deleted_at IS NOT NULL);
END;

CREATE TRIGGER prosecutions_count_ai AFTER INSERT ON prosecutions BEGIN
    UPDATE record_counts SET n = n + 1
    WHERE tbl = 'prosecutions' AND status = new.status AND deleted = (new.deleted_at IS NOT NULL);
END;
CREATE TRIGGER prosecutions_count_ad AFTER DELETE ON prosecutions BEGIN
    UPDATE record_counts SET n = n - 1
    WHERE tbl = 'prosecutions' AND status = old.status AND deleted = (old.deleted_at IS NOT NULL);
END;
CREATE TRIGGER prosecutions_count_au AFTER UPDATE OF status, deleted_at ON prosecutions
WHEN old.status IS NOT new.status OR (old.deleted_at IS NULL) <> (new.deleted_at IS NULL) BEGIN
    UPDATE record_counts SET n = n - 1
    WHERE tbl = 'prosecutions' AND status = old.status AND deleted = (old.deleted_at IS NOT NULL);
    UPDATE record_counts SET n = n + 1
    WHERE tbl = 'prosecutions' AND status = new.status AND deleted = (new.deleted_at IS NOT NULL);
END;

CREATE TRIGGER events_count_ai AFTER INSERT ON events BEGIN
    UPDATE record_counts SET n = n + 1
    WHERE tbl = 'events' AND status = new.status AND deleted = (new.deleted_at IS NOT NULL);
END;
CREATE TRIGGER events_count_ad AFTER DELETE ON events BEGIN
    UPDATE record_counts SET n = n - 1
    WHERE tbl = 'events' AND status = old.status AND deleted = (old.deleted_at IS NOT NULL);
END;
CREATE TRIGGER events_count_au AFTER UPDATE OF status, deleted_at ON events
WHEN old.status IS NOT new.status OR (old.deleted_at IS NULL) <> (new.deleted_at IS NULL) BEGIN
    UPDATE record_counts SET n = n - 1
    WHERE tbl = 'events' AND status = old.status AND deleted = (old.deleted_at IS NOT NULL);
    UPDATE record_counts SET n = n + 1
    WHERE tbl = 'events' AND status = new.status AND deleted = (new.deleted_at IS NOT NULL);
END;

-- The quality report's possible duplicate persons: the same name (case and
-- spaces ignored) and birth date (or age).  Walking this index gives the
-- groups in order, so the report reads no table rows to sort them.
CREATE INDEX cases_person ON cases(
    lower(replace(ifnull(first_name, '') || ifnull(last_name, ''), ' ', '')),
    ifnull(birth_date, 'age ' || age), ref)
WHERE deleted_at IS NULL AND first_name IS NOT NULL AND (birth_date IS NOT NULL OR age IS NOT NULL);
