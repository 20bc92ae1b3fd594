-- The counting rules of README.md ("Counting rules") as views, for analysts
-- who read the file with other tools, and the labels of the code lists.
-- The views give the same totals as `tipdesk report victims`, `prosecutions`
-- and `prevention` without filters (a test holds them to it).

-- The labels of every code of forms/lists.ini (English and Lao), filled by
-- `tipdesk init` from the lists the office uses.
CREATE TABLE code_label (
    list            TEXT NOT NULL,
    code            TEXT NOT NULL,
    label_en        TEXT NOT NULL,
    label_lo        TEXT NOT NULL,
    PRIMARY KEY (list, code)
) WITHOUT ROWID;

-- Victims counted: cases not deleted, not drafts, whose trafficking status
-- is possible or actual; each with the year it counts in, its sex as counted
-- and its age group at identification (Under18, Adult, Unknown).
CREATE VIEW v_cases_counted AS
SELECT *,
    ifnull(substr(registered_on, 1, 4), '') AS count_year,
    CASE WHEN sex IN ('F', 'M', 'X') THEN sex ELSE 'U' END AS count_sex,
    CASE
     WHEN length(birth_date) = 10 AND length(registered_on) >= 10 THEN
      CASE WHEN CAST(substr(registered_on, 1, 4) AS INTEGER) - CAST(substr(birth_date, 1, 4) AS INTEGER)
        - (substr(registered_on, 6, 5) < substr(birth_date, 6, 5)) < 18 THEN 'Under18' ELSE 'Adult' END
     WHEN age IS NOT NULL THEN CASE WHEN age < 18 THEN 'Under18' ELSE 'Adult' END
     WHEN length(birth_date) >= 4 AND length(registered_on) >= 4
      AND CAST(substr(registered_on, 1, 4) AS INTEGER) - CAST(substr(birth_date, 1, 4) AS INTEGER) < 18
      THEN 'Under18'
     WHEN length(birth_date) >= 4 AND length(registered_on) >= 4
      AND CAST(substr(registered_on, 1, 4) AS INTEGER) - CAST(substr(birth_date, 1, 4) AS INTEGER) > 18
      THEN 'Adult'
     WHEN age_group = 'Child' THEN 'Under18'
     WHEN age_group = 'Adult' THEN 'Adult'
     ELSE 'Unknown'
    END AS count_age_group
FROM cases
WHERE deleted_at IS NULL AND status <> 'draft'
  AND trafficking_status IN ('PossibleVictimOfTrafficking', 'ActualVictimOfTrafficking');

-- Prosecutions counted: not deleted, not drafts.  Each stage counts in the
-- year of its own date; the persons of each stage are counted from the
-- suspects; days to verdict only for a conviction or an acquittal.
CREATE VIEW v_prosecutions_counted AS
SELECT p.*,
    substr(p.investigated_on, 1, 4) AS investigation_year,
    substr(p.charged_on, 1, 4) AS charge_year,
    substr(p.verdict_on, 1, 4) AS verdict_year,
    p.investigated_on IS NOT NULL AS counts_investigation,
    p.charged_on IS NOT NULL AS counts_prosecution,
    p.verdict_on IS NOT NULL AND p.verdict = 'Convicted' AS counts_conviction,
    p.verdict_on IS NOT NULL AND p.verdict = 'Acquitted' AS counts_acquittal,
    (SELECT count(*) FROM suspects s WHERE s.prosecution_uuid = p.uuid) AS persons_investigated,
    (SELECT count(*) FROM suspects s WHERE s.prosecution_uuid = p.uuid
      AND s.stage IN ('Prosecuted', 'Convicted', 'Acquitted')) AS persons_prosecuted,
    CASE WHEN p.verdict_on IS NOT NULL AND p.verdict = 'Convicted' THEN
      (SELECT count(*) FROM suspects s WHERE s.prosecution_uuid = p.uuid AND s.stage = 'Convicted')
     ELSE 0 END AS persons_convicted,
    CASE WHEN p.verdict_on IS NOT NULL AND p.verdict IN ('Convicted', 'Acquitted') THEN
      (SELECT count(*) FROM suspects s WHERE s.prosecution_uuid = p.uuid AND s.stage = 'Acquitted')
     ELSE 0 END AS persons_acquitted,
    CASE WHEN length(p.verdict_on) = 10 AND length(p.investigated_on) = 10
      AND p.verdict IN ('Convicted', 'Acquitted')
     THEN julianday(p.verdict_on) - julianday(p.investigated_on) END AS days_to_verdict
FROM prosecutions p
WHERE p.deleted_at IS NULL AND p.status <> 'draft';

-- Events counted: not deleted, not drafts, in the year they started.
CREATE VIEW v_events_counted AS
SELECT *,
    substr(start_on, 1, 4) AS count_year,
    ifnull(participants_f, 0) + ifnull(participants_m, 0) + ifnull(participants_u, 0) AS participants,
    high_risk = 1 OR (border_area IS NOT NULL AND border_area <> 'None') AS high_risk_or_border,
    tested_count > 0 AND pre_score IS NOT NULL AND post_score IS NOT NULL AS counts_tested
FROM events
WHERE deleted_at IS NULL AND status <> 'draft';
