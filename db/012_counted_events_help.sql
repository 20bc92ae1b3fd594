-- What the npa report counts of each victim's assistance, kept per case by
-- triggers: how many assistance rows the case has, and how many of them are
-- a completed reintegration.  The report merges the victims with this table
-- (one row per case helped) instead of reading every assistance row.
CREATE TABLE case_help (
    case_uuid    TEXT PRIMARY KEY,
    n            INTEGER NOT NULL,
    reintegrated INTEGER NOT NULL
) WITHOUT ROWID;

INSERT INTO case_help(case_uuid, n, reintegrated)
SELECT case_uuid, count(*), count(CASE WHEN type = 'Reintegration' AND status = 'Completed' THEN 1 END)
FROM case_assistance GROUP BY case_uuid;

CREATE TRIGGER case_help_ai AFTER INSERT ON case_assistance BEGIN
    INSERT INTO case_help(case_uuid, n, reintegrated)
    VALUES (new.case_uuid, 1, CASE WHEN new.type = 'Reintegration' AND new.status = 'Completed' THEN 1 ELSE 0 END)
    ON CONFLICT(case_uuid) DO UPDATE SET n = n + 1, reintegrated = reintegrated + excluded.reintegrated;
END;
CREATE TRIGGER case_help_ad AFTER DELETE ON case_assistance BEGIN
    UPDATE case_help SET n = n - 1,
        reintegrated = reintegrated - CASE WHEN old.type = 'Reintegration' AND old.status = 'Completed' THEN 1 ELSE 0 END
    WHERE case_uuid = old.case_uuid;
    DELETE FROM case_help WHERE case_uuid = old.case_uuid AND n = 0;
END;
CREATE TRIGGER case_help_au AFTER UPDATE OF case_uuid, type, status ON case_assistance BEGIN
    UPDATE case_help SET n = n - 1,
        reintegrated = reintegrated - CASE WHEN old.type = 'Reintegration' AND old.status = 'Completed' THEN 1 ELSE 0 END
    WHERE case_uuid = old.case_uuid;
    DELETE FROM case_help WHERE case_uuid = old.case_uuid AND n = 0;
    INSERT INTO case_help(case_uuid, n, reintegrated)
    VALUES (new.case_uuid, 1, CASE WHEN new.type = 'Reintegration' AND new.status = 'Completed' THEN 1 ELSE 0 END)
    ON CONFLICT(case_uuid) DO UPDATE SET n = n + 1, reintegrated = reintegrated + excluded.reintegrated;
END;

-- The events as the prevention and npa reports read them: every column they
-- count, none of the long texts (title, notes, findings), so a scan reads a
-- quarter of the bytes of the table.
CREATE INDEX events_counted ON events(
    start_on, pillar, province, district, office, border_area, event_type, target_groups,
    participants_f, participants_m, participants_u, participants_under18, high_risk,
    tested_count, pre_score, post_score, followup_planned, followup_done, referrals_count,
    cases_identified, status, deleted_at);
