-- Per batch: the agencies it names, for load/shared/upsert_agencies.sql. `incoming` is the
-- batch reduced by Polars to one row per (agency_code, agency_name, level) written, with its
-- row count and earliest received_at (warehouse/dossier_batches.py).
-- stage_agency_name: each written name and its agency identity, so the batch's rows can be
-- given their agency_key. stage_agency: per agency, the name and level written most often;
-- a tie goes to the text that sorts last (byte order: "Sở Tư pháp" after "SỞ TƯ PHÁP"), never
-- to whichever row came first, so the same file always gives the same names.
CREATE OR REPLACE TEMP TABLE stage_agency_name AS
SELECT
    i.agency_code,
    i.agency_name,
    i.level,
    core.agency_nk(ctx.portal_code, i.agency_code, i.agency_name) AS agency_nk,
    i.rows,
    CAST(i.first_received_at AS DATE) AS first_seen
FROM incoming AS i, load_context AS ctx;

CREATE OR REPLACE TEMP TABLE stage_agency AS
SELECT
    agency_nk,
    arg_max(agency_name, (rows, agency_name)) AS agency_name,
    arg_max(agency_code, (rows, agency_code)) AS agency_code,
    arg_max(level, (rows, level)) FILTER (WHERE level IS NOT NULL) AS level,
    min(first_seen) AS first_seen
FROM stage_agency_name
GROUP BY agency_nk;
