-- Grain: mart.kpi, one sector, scope (agency | portal | nation), unit, period, metric and
-- basis: the indicators analysts read (docs/warehouse.md), each measured on the part of its
-- period that its data covers (covered_from, covered_to; fully covered when they are the
-- period's bounds). Reads the kpi_agency_* tables, mart.agency, kpi_portal_span,
-- kpi_nation_span. Roll-ups add numerators and denominators (pooled), never average percentages.
CREATE OR REPLACE TEMP TABLE kpi_agency_window AS
WITH agency_rows AS (
    SELECT *, 'dossiers' AS basis FROM kpi_agency_dossiers
    UNION ALL BY NAME SELECT *, 'report' AS basis FROM kpi_agency_reports
    UNION ALL BY NAME SELECT *, 'catalogue' AS basis FROM kpi_agency_catalogue
)
SELECT DISTINCT ON (r.agency_nk, r.period_grain, r.period_start, r.span_to, r.metric, r.basis)
       a.sector, a.portal_code, a.agency_code, a.agency_name, r.*,
       coverage_key(r.metric, r.basis) AS coverage_key
FROM agency_rows AS r
JOIN mart.agency AS a USING (agency_nk)
-- only portals whose coverage reaches the period: nothing is measured from missing data
SEMI JOIN kpi_portal_span AS s
  ON s.portal_code = a.portal_code
 AND s.coverage_key = coverage_key(r.metric, r.basis)
 AND s.period_grain = r.period_grain AND s.period_start = r.period_start;

-- Every unit on every measured span (the year-to-date baselines are read from here too).
CREATE OR REPLACE TEMP TABLE kpi_unit_window AS
SELECT sector, 'agency' AS scope, portal_code, agency_nk, agency_code, agency_name,
       period_grain, period_start, period_end, span_to, metric, basis, coverage_key,
       numerator, denominator
FROM kpi_agency_window
UNION ALL
SELECT sector, 'portal', portal_code, NULL, NULL, NULL,
       period_grain, period_start, period_end, span_to, metric, basis, coverage_key,
       sum(numerator), sum(denominator)
FROM kpi_agency_window GROUP BY ALL
UNION ALL
SELECT sector, 'nation', NULL, NULL, NULL, NULL,
       period_grain, period_start, period_end, span_to, metric, basis, coverage_key,
       sum(numerator), sum(denominator)
FROM kpi_agency_window GROUP BY ALL;

-- The span each unit is measured on: its portal's coverage (agency, portal) or the span all of
-- the sector's portals cover (nation). Reports come by whole periods: their rows keep their
-- values and say how far the period is covered.
CREATE OR REPLACE TEMP TABLE kpi_unit_span AS
SELECT 'portal' AS scope, portal_code, sector, coverage_key, period_grain, period_start,
       covered_from, covered_to
FROM kpi_portal_span
UNION ALL
SELECT 'nation', NULL, sector, coverage_key, period_grain, period_start, covered_from, covered_to
FROM kpi_nation_span;

CREATE OR REPLACE TABLE mart.kpi AS
SELECT u.sector, u.scope, u.portal_code, u.agency_code, u.agency_name, u.agency_nk,
       u.period_grain, u.period_start, u.period_end, u.metric,
       u.numerator::BIGINT AS numerator, u.denominator::BIGINT AS denominator,
       CASE WHEN u.denominator > 0 THEN 100.0 * u.numerator / u.denominator END AS value,
       u.basis, s.covered_from, s.covered_to
FROM kpi_unit_window AS u
JOIN kpi_unit_span AS s
  ON s.scope = (CASE WHEN u.scope = 'nation' THEN 'nation' ELSE 'portal' END)
 AND s.portal_code IS NOT DISTINCT FROM u.portal_code
 AND s.sector = u.sector AND s.coverage_key = u.coverage_key
 AND s.period_grain = u.period_grain AND s.period_start = u.period_start
WHERE u.basis = 'report' AND u.span_to = u.period_end
   OR u.basis <> 'report' AND u.span_to = s.covered_to
ORDER BY u.sector, u.scope, u.portal_code, u.agency_nk, u.metric, u.basis, u.period_grain,
         u.period_start;
