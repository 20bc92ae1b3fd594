-- The possible duplicate persons of the quality report come from a walk of
-- index cases_person.  SQLite 3.40 reads an indexed expression from the
-- index only when every column the query names is in it too; so the index
-- now also holds the names, birth date, age and deleted_at, and the walk
-- reads no table row (a random read per case before).
DROP INDEX cases_person;
CREATE INDEX cases_person ON cases(
    lower(replace(ifnull(first_name, '') || ifnull(last_name, ''), ' ', '')),
    ifnull(birth_date, 'age ' || age), ref, first_name, last_name, birth_date, age, deleted_at)
WHERE deleted_at IS NULL AND first_name IS NOT NULL AND (birth_date IS NOT NULL OR age IS NOT NULL);
