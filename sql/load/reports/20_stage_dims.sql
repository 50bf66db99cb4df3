-- Grain: one agency named by the report file (stage_agency); reports name no procedures.
CREATE OR REPLACE TEMP TABLE stage_agency AS
SELECT
    agency_nk,
    mode(agency_name) AS agency_name,
    any_value(agency_code) AS agency_code,
    mode(level) AS level,
    min(period_from) AS first_seen
FROM stage_report
GROUP BY agency_nk;
