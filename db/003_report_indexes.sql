-- Reports read the assistance of victims in case order from this index alone
-- (a sequential read merged with the cases sorted by uuid) instead of looking
-- up each victim's assistance rows in the table.
CREATE INDEX case_assistance_case ON case_assistance(case_uuid, type, status, start_on, end_on);
