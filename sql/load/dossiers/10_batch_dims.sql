-- Per batch (`incoming`): the agencies (stage_agency) and procedures (stage_procedure) it
-- names, for the shared upserts: the name and level written most often for an agency, the
-- last name written for a procedure.
CREATE OR REPLACE TEMP TABLE stage_agency AS
WITH named AS (
    SELECT
        core.agency_nk(ctx.portal_code, i.agency_code, i.agency_name) AS agency_nk,
        i.agency_name,
        i.agency_code,
        i.level,
        count(*) AS rows,
        CAST(min(i.received_at) AS DATE) AS first_seen
    FROM incoming AS i, load_context AS ctx
    GROUP BY ALL
)
SELECT
    agency_nk,
    arg_max(agency_name, rows) AS agency_name,
    arg_max(agency_code, rows) AS agency_code,
    arg_max(level, rows) FILTER (WHERE level IS NOT NULL) AS level,
    min(first_seen) AS first_seen
FROM named
GROUP BY agency_nk;

CREATE OR REPLACE TEMP TABLE stage_procedure AS
SELECT
    procedure_code,
    arg_max(procedure_name, source_row) AS procedure_name,
    arg_max(field_name, source_row) AS field_name
FROM incoming
GROUP BY procedure_code;
