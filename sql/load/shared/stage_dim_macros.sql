-- The stage dimensions every kind builds alike, for shared/upsert_agencies.sql and
-- shared/upsert_procedures.sql; run once per file, before its batches. `staged` names the table
-- of the file's (or the batch's) rows.
-- staged_agencies(staged, seen), grain one agency (agency_nk): the name and level written most
-- often, a unit code it is given and the first day `seen` (a column of the rows).
CREATE OR REPLACE TEMP MACRO staged_agencies(staged, seen) AS TABLE
SELECT
    agency_nk,
    mode(agency_name) AS agency_name,
    any_value(agency_code) AS agency_code,
    mode(level) AS level,
    min(seen) AS first_seen
FROM query_table(staged)
GROUP BY agency_nk;

-- staged_procedures(staged, written), grain one procedure code: the name and field of the row
-- written last, by `written` (a column of the rows: its source row).
CREATE OR REPLACE TEMP MACRO staged_procedures(staged, written) AS TABLE
SELECT
    procedure_code,
    arg_max(procedure_name, written) AS procedure_name,
    arg_max(field_name, written) AS field_name
FROM query_table(staged)
GROUP BY procedure_code;
