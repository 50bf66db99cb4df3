-- Grain: one agency (stage_agency) and one procedure (stage_procedure) named by the file.
CREATE OR REPLACE TEMP TABLE stage_agency AS
SELECT
    core.agency_nk(ctx.portal_code, s.agency_code, s.agency_name) AS agency_nk,
    mode(s.agency_name) AS agency_name,
    any_value(s.agency_code) AS agency_code,
    mode(s.level) AS level,
    CAST(min(s.received_at) AS DATE) AS first_seen
FROM stage_dossier AS s, load_context AS ctx
GROUP BY ALL;

CREATE OR REPLACE TEMP TABLE stage_procedure AS
SELECT
    procedure_code,
    arg_max(procedure_name, source_row) AS procedure_name,
    arg_max(field_name, source_row) AS field_name
FROM stage_dossier
GROUP BY procedure_code;
