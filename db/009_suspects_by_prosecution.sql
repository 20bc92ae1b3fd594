-- The prosecutions report counts each prosecution's suspects by stage, sex
-- and sentence.  Read from this index alone, once per prosecution, instead
-- of reading every suspect's row (or looking up every suspect's prosecution).
CREATE INDEX suspects_prosecution ON suspects(prosecution_uuid, stage, sex, sentence_months, fine_lak);
