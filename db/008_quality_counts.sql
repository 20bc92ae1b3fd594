-- The quality report's recommended fields left empty, counted per field and
-- record status and kept by triggers, so the report reads a few rows instead
-- of testing every field of every record (25 tests a row over a million
-- cases took seconds).  Only records not deleted are counted.  Position 0 of
-- each table counts the records with at least one such field empty; the
-- others follow the report's order.  Every (tbl, status, pos) row exists
-- from the start: the triggers only ever UPDATE rows found by primary key.
CREATE TABLE quality_counts (
    tbl     TEXT NOT NULL,
    status  TEXT NOT NULL,
    pos     INTEGER NOT NULL,
    field   TEXT NOT NULL,
    n       INTEGER NOT NULL,
    PRIMARY KEY (tbl, status, pos)
) WITHOUT ROWID;

-- cases: filled once here, one scan; the triggers keep them from then on.
INSERT INTO quality_counts(tbl, status, pos, field, n)
SELECT 'cases', r.status, f.pos, f.field, count(*)
FROM cases r, (SELECT column1 AS pos, column2 AS field FROM (VALUES (0, '*'), (1, 'registered_on'), (2, 'identified_by'), (3, 'sex'), (4, 'birth_date/age'), (5, 'home_province'), (6, 'home_district'), (7, 'trafficking_status'), (8, 'exploitation'), (9, 'exploitation_country'), (10, 'case_status'))) f
WHERE r.deleted_at IS NULL AND (CASE pos WHEN 0 THEN (r.registered_on IS NULL OR r.identified_by IS NULL OR (r.sex IS NULL OR r.sex = 'U') OR (r.birth_date IS NULL AND r.age IS NULL) OR r.home_province IS NULL OR r.home_district IS NULL OR r.trafficking_status IS NULL OR r.exploitation IS NULL OR r.exploitation_country IS NULL OR r.case_status IS NULL)
                WHEN 1 THEN r.registered_on IS NULL
                WHEN 2 THEN r.identified_by IS NULL
                WHEN 3 THEN (r.sex IS NULL OR r.sex = 'U')
                WHEN 4 THEN (r.birth_date IS NULL AND r.age IS NULL)
                WHEN 5 THEN r.home_province IS NULL
                WHEN 6 THEN r.home_district IS NULL
                WHEN 7 THEN r.trafficking_status IS NULL
                WHEN 8 THEN r.exploitation IS NULL
                WHEN 9 THEN r.exploitation_country IS NULL
                WHEN 10 THEN r.case_status IS NULL END)
GROUP BY 1, 2, 3;
INSERT OR IGNORE INTO quality_counts(tbl, status, pos, field, n)
SELECT 'cases', s.status, f.pos, f.field, 0
FROM (SELECT 'draft' AS status UNION ALL SELECT 'complete' UNION ALL SELECT 'verified') s,
     (SELECT column1 AS pos, column2 AS field FROM (VALUES (0, '*'), (1, 'registered_on'), (2, 'identified_by'), (3, 'sex'), (4, 'birth_date/age'), (5, 'home_province'), (6, 'home_district'), (7, 'trafficking_status'), (8, 'exploitation'), (9, 'exploitation_country'), (10, 'case_status'))) f;
CREATE TRIGGER cases_quality_ai AFTER INSERT ON cases WHEN new.deleted_at IS NULL BEGIN
    UPDATE quality_counts SET n = n + 1 WHERE tbl = 'cases' AND status = new.status
        AND (CASE pos WHEN 0 THEN (new.registered_on IS NULL OR new.identified_by IS NULL OR (new.sex IS NULL OR new.sex = 'U') OR (new.birth_date IS NULL AND new.age IS NULL) OR new.home_province IS NULL OR new.home_district IS NULL OR new.trafficking_status IS NULL OR new.exploitation IS NULL OR new.exploitation_country IS NULL OR new.case_status IS NULL)
                WHEN 1 THEN new.registered_on IS NULL
                WHEN 2 THEN new.identified_by IS NULL
                WHEN 3 THEN (new.sex IS NULL OR new.sex = 'U')
                WHEN 4 THEN (new.birth_date IS NULL AND new.age IS NULL)
                WHEN 5 THEN new.home_province IS NULL
                WHEN 6 THEN new.home_district IS NULL
                WHEN 7 THEN new.trafficking_status IS NULL
                WHEN 8 THEN new.exploitation IS NULL
                WHEN 9 THEN new.exploitation_country IS NULL
                WHEN 10 THEN new.case_status IS NULL END);
END;
CREATE TRIGGER cases_quality_ad AFTER DELETE ON cases WHEN old.deleted_at IS NULL BEGIN
    UPDATE quality_counts SET n = n - 1 WHERE tbl = 'cases' AND status = old.status
        AND (CASE pos WHEN 0 THEN (old.registered_on IS NULL OR old.identified_by IS NULL OR (old.sex IS NULL OR old.sex = 'U') OR (old.birth_date IS NULL AND old.age IS NULL) OR old.home_province IS NULL OR old.home_district IS NULL OR old.trafficking_status IS NULL OR old.exploitation IS NULL OR old.exploitation_country IS NULL OR old.case_status IS NULL)
                WHEN 1 THEN old.registered_on IS NULL
                WHEN 2 THEN old.identified_by IS NULL
                WHEN 3 THEN (old.sex IS NULL OR old.sex = 'U')
                WHEN 4 THEN (old.birth_date IS NULL AND old.age IS NULL)
                WHEN 5 THEN old.home_province IS NULL
                WHEN 6 THEN old.home_district IS NULL
                WHEN 7 THEN old.trafficking_status IS NULL
                WHEN 8 THEN old.exploitation IS NULL
                WHEN 9 THEN old.exploitation_country IS NULL
                WHEN 10 THEN old.case_status IS NULL END);
END;
CREATE TRIGGER cases_quality_au AFTER UPDATE OF status, deleted_at, age, birth_date, case_status, exploitation, exploitation_country, home_district, home_province, identified_by, registered_on, sex, trafficking_status ON cases BEGIN
    UPDATE quality_counts SET n = n - 1 WHERE tbl = 'cases' AND status = old.status
        AND old.deleted_at IS NULL AND (CASE pos WHEN 0 THEN (old.registered_on IS NULL OR old.identified_by IS NULL OR (old.sex IS NULL OR old.sex = 'U') OR (old.birth_date IS NULL AND old.age IS NULL) OR old.home_province IS NULL OR old.home_district IS NULL OR old.trafficking_status IS NULL OR old.exploitation IS NULL OR old.exploitation_country IS NULL OR old.case_status IS NULL)
                WHEN 1 THEN old.registered_on IS NULL
                WHEN 2 THEN old.identified_by IS NULL
                WHEN 3 THEN (old.sex IS NULL OR old.sex = 'U')
                WHEN 4 THEN (old.birth_date IS NULL AND old.age IS NULL)
                WHEN 5 THEN old.home_province IS NULL
                WHEN 6 THEN old.home_district IS NULL
                WHEN 7 THEN old.trafficking_status IS NULL
                WHEN 8 THEN old.exploitation IS NULL
                WHEN 9 THEN old.exploitation_country IS NULL
                WHEN 10 THEN old.case_status IS NULL END);
    UPDATE quality_counts SET n = n + 1 WHERE tbl = 'cases' AND status = new.status
        AND new.deleted_at IS NULL AND (CASE pos WHEN 0 THEN (new.registered_on IS NULL OR new.identified_by IS NULL OR (new.sex IS NULL OR new.sex = 'U') OR (new.birth_date IS NULL AND new.age IS NULL) OR new.home_province IS NULL OR new.home_district IS NULL OR new.trafficking_status IS NULL OR new.exploitation IS NULL OR new.exploitation_country IS NULL OR new.case_status IS NULL)
                WHEN 1 THEN new.registered_on IS NULL
                WHEN 2 THEN new.identified_by IS NULL
                WHEN 3 THEN (new.sex IS NULL OR new.sex = 'U')
                WHEN 4 THEN (new.birth_date IS NULL AND new.age IS NULL)
                WHEN 5 THEN new.home_province IS NULL
                WHEN 6 THEN new.home_district IS NULL
                WHEN 7 THEN new.trafficking_status IS NULL
                WHEN 8 THEN new.exploitation IS NULL
                WHEN 9 THEN new.exploitation_country IS NULL
                WHEN 10 THEN new.case_status IS NULL END);
END;

-- prosecutions: filled once here, one scan; the triggers keep them from then on.
INSERT INTO quality_counts(tbl, status, pos, field, n)
SELECT 'prosecutions', r.status, f.pos, f.field, count(*)
FROM prosecutions r, (SELECT column1 AS pos, column2 AS field FROM (VALUES (0, '*'), (1, 'investigated_on'), (2, 'verdict'), (3, 'exploitation'), (4, 'province'))) f
WHERE r.deleted_at IS NULL AND (CASE pos WHEN 0 THEN (r.investigated_on IS NULL OR r.verdict IS NULL OR r.exploitation IS NULL OR r.province IS NULL)
                WHEN 1 THEN r.investigated_on IS NULL
                WHEN 2 THEN r.verdict IS NULL
                WHEN 3 THEN r.exploitation IS NULL
                WHEN 4 THEN r.province IS NULL END)
GROUP BY 1, 2, 3;
INSERT OR IGNORE INTO quality_counts(tbl, status, pos, field, n)
SELECT 'prosecutions', s.status, f.pos, f.field, 0
FROM (SELECT 'draft' AS status UNION ALL SELECT 'complete' UNION ALL SELECT 'verified') s,
     (SELECT column1 AS pos, column2 AS field FROM (VALUES (0, '*'), (1, 'investigated_on'), (2, 'verdict'), (3, 'exploitation'), (4, 'province'))) f;
CREATE TRIGGER prosecutions_quality_ai AFTER INSERT ON prosecutions WHEN new.deleted_at IS NULL BEGIN
    UPDATE quality_counts SET n = n + 1 WHERE tbl = 'prosecutions' AND status = new.status
        AND (CASE pos WHEN 0 THEN (new.investigated_on IS NULL OR new.verdict IS NULL OR new.exploitation IS NULL OR new.province IS NULL)
                WHEN 1 THEN new.investigated_on IS NULL
                WHEN 2 THEN new.verdict IS NULL
                WHEN 3 THEN new.exploitation IS NULL
                WHEN 4 THEN new.province IS NULL END);
END;
CREATE TRIGGER prosecutions_quality_ad AFTER DELETE ON prosecutions WHEN old.deleted_at IS NULL BEGIN
    UPDATE quality_counts SET n = n - 1 WHERE tbl = 'prosecutions' AND status = old.status
        AND (CASE pos WHEN 0 THEN (old.investigated_on IS NULL OR old.verdict IS NULL OR old.exploitation IS NULL OR old.province IS NULL)
                WHEN 1 THEN old.investigated_on IS NULL
                WHEN 2 THEN old.verdict IS NULL
                WHEN 3 THEN old.exploitation IS NULL
                WHEN 4 THEN old.province IS NULL END);
END;
CREATE TRIGGER prosecutions_quality_au AFTER UPDATE OF status, deleted_at, exploitation, investigated_on, province, verdict ON prosecutions BEGIN
    UPDATE quality_counts SET n = n - 1 WHERE tbl = 'prosecutions' AND status = old.status
        AND old.deleted_at IS NULL AND (CASE pos WHEN 0 THEN (old.investigated_on IS NULL OR old.verdict IS NULL OR old.exploitation IS NULL OR old.province IS NULL)
                WHEN 1 THEN old.investigated_on IS NULL
                WHEN 2 THEN old.verdict IS NULL
                WHEN 3 THEN old.exploitation IS NULL
                WHEN 4 THEN old.province IS NULL END);
    UPDATE quality_counts SET n = n + 1 WHERE tbl = 'prosecutions' AND status = new.status
        AND new.deleted_at IS NULL AND (CASE pos WHEN 0 THEN (new.investigated_on IS NULL OR new.verdict IS NULL OR new.exploitation IS NULL OR new.province IS NULL)
                WHEN 1 THEN new.investigated_on IS NULL
                WHEN 2 THEN new.verdict IS NULL
                WHEN 3 THEN new.exploitation IS NULL
                WHEN 4 THEN new.province IS NULL END);
END;

-- events: filled once here, one scan; the triggers keep them from then on.
INSERT INTO quality_counts(tbl, status, pos, field, n)
SELECT 'events', r.status, f.pos, f.field, count(*)
FROM events r, (SELECT column1 AS pos, column2 AS field FROM (VALUES (0, '*'), (1, 'start_on'), (2, 'pillar'), (3, 'event_type'), (4, 'province'), (5, 'participants'))) f
WHERE r.deleted_at IS NULL AND (CASE pos WHEN 0 THEN (r.start_on IS NULL OR r.pillar IS NULL OR r.event_type IS NULL OR r.province IS NULL OR (r.participants_f IS NULL AND r.participants_m IS NULL AND r.participants_u IS NULL))
                WHEN 1 THEN r.start_on IS NULL
                WHEN 2 THEN r.pillar IS NULL
                WHEN 3 THEN r.event_type IS NULL
                WHEN 4 THEN r.province IS NULL
                WHEN 5 THEN (r.participants_f IS NULL AND r.participants_m IS NULL AND r.participants_u IS NULL) END)
GROUP BY 1, 2, 3;
INSERT OR IGNORE INTO quality_counts(tbl, status, pos, field, n)
SELECT 'events', s.status, f.pos, f.field, 0
FROM (SELECT 'draft' AS status UNION ALL SELECT 'complete' UNION ALL SELECT 'verified') s,
     (SELECT column1 AS pos, column2 AS field FROM (VALUES (0, '*'), (1, 'start_on'), (2, 'pillar'), (3, 'event_type'), (4, 'province'), (5, 'participants'))) f;
CREATE TRIGGER events_quality_ai AFTER INSERT ON events WHEN new.deleted_at IS NULL BEGIN
    UPDATE quality_counts SET n = n + 1 WHERE tbl = 'events' AND status = new.status
        AND (CASE pos WHEN 0 THEN (new.start_on IS NULL OR new.pillar IS NULL OR new.event_type IS NULL OR new.province IS NULL OR (new.participants_f IS NULL AND new.participants_m IS NULL AND new.participants_u IS NULL))
                WHEN 1 THEN new.start_on IS NULL
                WHEN 2 THEN new.pillar IS NULL
                WHEN 3 THEN new.event_type IS NULL
                WHEN 4 THEN new.province IS NULL
                WHEN 5 THEN (new.participants_f IS NULL AND new.participants_m IS NULL AND new.participants_u IS NULL) END);
END;
CREATE TRIGGER events_quality_ad AFTER DELETE ON events WHEN old.deleted_at IS NULL BEGIN
    UPDATE quality_counts SET n = n - 1 WHERE tbl = 'events' AND status = old.status
        AND (CASE pos WHEN 0 THEN (old.start_on IS NULL OR old.pillar IS NULL OR old.event_type IS NULL OR old.province IS NULL OR (old.participants_f IS NULL AND old.participants_m IS NULL AND old.participants_u IS NULL))
                WHEN 1 THEN old.start_on IS NULL
                WHEN 2 THEN old.pillar IS NULL
                WHEN 3 THEN old.event_type IS NULL
                WHEN 4 THEN old.province IS NULL
                WHEN 5 THEN (old.participants_f IS NULL AND old.participants_m IS NULL AND old.participants_u IS NULL) END);
END;
CREATE TRIGGER events_quality_au AFTER UPDATE OF status, deleted_at, event_type, participants_f, participants_m, participants_u, pillar, province, start_on ON events BEGIN
    UPDATE quality_counts SET n = n - 1 WHERE tbl = 'events' AND status = old.status
        AND old.deleted_at IS NULL AND (CASE pos WHEN 0 THEN (old.start_on IS NULL OR old.pillar IS NULL OR old.event_type IS NULL OR old.province IS NULL OR (old.participants_f IS NULL AND old.participants_m IS NULL AND old.participants_u IS NULL))
                WHEN 1 THEN old.start_on IS NULL
                WHEN 2 THEN old.pillar IS NULL
                WHEN 3 THEN old.event_type IS NULL
                WHEN 4 THEN old.province IS NULL
                WHEN 5 THEN (old.participants_f IS NULL AND old.participants_m IS NULL AND old.participants_u IS NULL) END);
    UPDATE quality_counts SET n = n + 1 WHERE tbl = 'events' AND status = new.status
        AND new.deleted_at IS NULL AND (CASE pos WHEN 0 THEN (new.start_on IS NULL OR new.pillar IS NULL OR new.event_type IS NULL OR new.province IS NULL OR (new.participants_f IS NULL AND new.participants_m IS NULL AND new.participants_u IS NULL))
                WHEN 1 THEN new.start_on IS NULL
                WHEN 2 THEN new.pillar IS NULL
                WHEN 3 THEN new.event_type IS NULL
                WHEN 4 THEN new.province IS NULL
                WHEN 5 THEN (new.participants_f IS NULL AND new.participants_m IS NULL AND new.participants_u IS NULL) END);
END;
