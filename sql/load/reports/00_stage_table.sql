-- Grain: one parsed, row-valid report row (agency or field, period) of the file being loaded.
-- Its period and counts are core.fact_report's columns, typed as there; the agency is still
-- named as the file names it, not keyed.
CREATE OR REPLACE TEMP TABLE stage_report AS
SELECT
    NULL::VARCHAR AS agency_name,
    NULL::VARCHAR AS agency_code,
    field_name,
    NULL::VARCHAR AS level,
    * EXCLUDE (portal_code, agency_key, field_name, file_id, source_row),
    source_row,
    NULL::VARCHAR AS agency_nk  -- core.agency_nk of the row, computed once while staging
FROM core.fact_report
LIMIT 0;
