-- Per batch: the agencies and procedures it names, for the shared upserts. `incoming` is the
-- batch already reduced by Polars to its distinct names (warehouse/dossier_batches.py), one row
-- per (agency_code, agency_name, level, procedure_code, procedure_name, field_name) with its
-- row count, earliest received_at and last source row.
-- stage_agency: the name and level written most often for an agency. stage_procedure: the
-- last name written for a procedure. stage_agency_name: how each written name maps to its
-- agency, so the batch's rows can be given their agency_key.
CREATE OR REPLACE TEMP TABLE stage_agency_name AS
SELECT
    i.agency_code,
    i.agency_name,
    i.level,
    core.agency_nk(ctx.portal_code, i.agency_code, i.agency_name) AS agency_nk,
    sum(i.rows) AS rows,
    CAST(min(i.first_received_at) AS DATE) AS first_seen
FROM incoming AS i, load_context AS ctx
GROUP BY ALL;

CREATE OR REPLACE TEMP TABLE stage_agency AS
SELECT
    agency_nk,
    arg_max(agency_name, rows) AS agency_name,
    arg_max(agency_code, rows) AS agency_code,
    arg_max(level, rows) FILTER (WHERE level IS NOT NULL) AS level,
    min(first_seen) AS first_seen
FROM stage_agency_name
GROUP BY agency_nk;

CREATE OR REPLACE TEMP TABLE stage_procedure AS
SELECT
    procedure_code,
    arg_max(procedure_name, last_row) AS procedure_name,
    arg_max(field_name, last_row) AS field_name
FROM incoming
GROUP BY procedure_code;
