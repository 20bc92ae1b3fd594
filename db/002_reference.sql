-- Reference data: provinces, districts (with P-codes) and countries.
-- The migration runner loads each file named on a "-- load" line into its
-- table, taking the column names from the CSV header (see db/ref/README.md).
-- load ref_province db/ref/provinces.csv
-- load ref_district db/ref/districts.csv
-- load ref_country db/ref/countries.csv
SELECT 1;
