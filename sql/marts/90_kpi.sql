-- Grain: one sector, scope (agency | portal | nation), unit, period, metric and basis: the
-- indicators analysts read (shared/spec/warehouse.md). Reads the kpi_agency_* tables of the
-- files before. Roll-ups add numerators and denominators (pooled), never average percentages.
CREATE OR REPLACE TABLE mart.kpi AS
WITH agency_rows AS (
    SELECT *, 'dossiers' AS basis FROM kpi_agency_dossiers
    UNION ALL BY NAME SELECT *, 'report' AS basis FROM kpi_agency_reports
    UNION ALL BY NAME SELECT *, 'catalogue' AS basis FROM kpi_agency_catalogue
),
named AS (
    SELECT DISTINCT ON (r.agency_nk, r.period_grain, r.period_start, r.metric, r.basis)
           a.sector, a.portal_code, a.agency_code, a.agency_name, r.*
    FROM agency_rows AS r
    JOIN mart.agency AS a USING (agency_nk)
),
rolled AS (
    SELECT sector, 'agency' AS scope, portal_code, agency_nk, agency_code, agency_name,
           period_grain, period_start, period_end, metric, basis,
           numerator, denominator
    FROM named
    UNION ALL
    SELECT sector, 'portal', portal_code, NULL, NULL, NULL,
           period_grain, period_start, period_end, metric, basis,
           sum(numerator), sum(denominator)
    FROM named GROUP BY ALL
    UNION ALL
    SELECT sector, 'nation', NULL, NULL, NULL, NULL,
           period_grain, period_start, period_end, metric, basis,
           sum(numerator), sum(denominator)
    FROM named GROUP BY ALL
)
SELECT sector, scope, portal_code, agency_code, agency_name, agency_nk, period_grain,
       period_start, period_end, metric,
       numerator::BIGINT AS numerator, denominator::BIGINT AS denominator,
       CASE WHEN denominator > 0 THEN 100.0 * numerator / denominator END AS value,
       basis
FROM rolled
ORDER BY sector, scope, portal_code, agency_nk, metric, basis, period_grain, period_start;
