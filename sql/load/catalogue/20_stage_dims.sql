-- Grain: one agency (stage_agency) and one procedure (stage_procedure) named by the catalogue.
CREATE OR REPLACE TEMP TABLE stage_agency AS
SELECT
    agency_nk,
    mode(agency_name) AS agency_name,
    any_value(agency_code) AS agency_code,
    mode(level) AS level,
    min(valid_from) AS first_seen
FROM stage_service
GROUP BY agency_nk;

CREATE OR REPLACE TEMP TABLE stage_procedure AS
SELECT
    procedure_code,
    arg_max(procedure_name, source_row) AS procedure_name,
    arg_max(field_name, source_row) AS field_name
FROM stage_service
GROUP BY procedure_code;
