-- The victims (cases counted by the reports: not deleted, not drafts,
-- possible or actual victims of trafficking) in uuid order, with every
-- column the victims and protection reports, the npa indicators and the
-- DHIS2 export read.  Those read this index alone: a victim costs one index
-- entry of about 150 bytes instead of a row of 500, and the merge of the
-- victims with their assistance (both in case uuid order) needs no sort.
CREATE INDEX cases_victims ON cases(
    uuid, registered_on, sex, birth_date, age, age_group, home_province, home_district, office,
    exploitation_country, identified_by, exploitation, case_status, followup_on,
    status, trafficking_status, deleted_at)
WHERE deleted_at IS NULL AND status <> 'draft'
  AND trafficking_status IN ('PossibleVictimOfTrafficking', 'ActualVictimOfTrafficking');
