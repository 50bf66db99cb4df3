-- Grain: mart.kpi_parts, one agency's field on one measured span and metric (what every
-- indicator adds up); mart.kpi, one sector, scope (agency | portal | province | nation), unit,
-- period, metric and basis: the indicators analysts read (docs/warehouse.md), each measured on the
-- part of its period that its data covers (covered_from, covered_to; fully covered when they
-- are the period's bounds). Scope province pools every portal and agency of one of today's 34
-- provinces, also for periods before the merger, so a merged province is compared with the sum
-- of its parts. Reads mart.kpi_dossier_part (10_kpi_dossiers.sql), kpi_field_reports,
-- kpi_field_catalogue, mart.dossier_unit, mart.agency_current, kpi_portal_span,
-- kpi_pooled_span, core.dim_province, kpi_scoreboard (sql/marts/40_scoreboard.sql). Roll-ups add
-- numerators and denominators (pooled), never average percentages; `portals` says how many
-- portals a row pools (1 for an agency or a portal). Basis scoreboard: the national portal's
-- stated ratios of today's provinces, added as they are (never pooled; mart.kpi_yoy leaves them
-- out). mart.kpi_parts is a view over the parts kept (10_kpi_dossiers.sql) and those counted
-- here; mart.kpi_part_reach and mart.kpi_other_part are what it reads besides.

-- The portals whose coverage reaches each period, per coverage key: only their parts are
-- measured, so nothing is measured from missing data (mart.kpi_parts).
CREATE OR REPLACE TABLE mart.kpi_part_reach AS
SELECT DISTINCT portal_code, coverage_key, period_grain, period_start FROM kpi_portal_span;

-- The parts from report tables and the catalogue: a few, counted afresh at every refresh (the
-- dossiers' are kept: 10_kpi_dossiers.sql).
CREATE OR REPLACE TABLE mart.kpi_other_part AS
SELECT agency_nk, field_name, period_grain, period_start, period_end, span_to, metric,
       'report' AS basis, numerator::BIGINT AS numerator, denominator::BIGINT AS denominator
FROM kpi_field_reports
UNION ALL
SELECT agency_nk, field_name, period_grain, period_start, period_end, span_to, metric,
       'catalogue', numerator::BIGINT, denominator::BIGINT
FROM kpi_field_catalogue;

-- The parts every indicator adds up: one agency's field on one measured span, from any basis,
-- of the portals whose coverage reaches the period. A view over what is kept (writing ~300,000
-- parts anew every night cost more than all the rest of this file): read here once, and by the
-- explanation of a fall (sql/causes/), which splits a change over the units one level down.
CREATE OR REPLACE VIEW mart.kpi_parts AS
WITH part AS (
    SELECT u.agency_nk, u.field_name, p.period_grain, p.period_start, p.span_to, p.metric,
           'dossiers' AS basis, p.numerator, p.denominator
    FROM mart.kpi_dossier_part AS p
    JOIN mart.dossier_unit AS u USING (unit_key)
    UNION ALL BY NAME
    SELECT * EXCLUDE (period_end) FROM mart.kpi_other_part
)
SELECT p.*
FROM part AS p
JOIN mart.agency_current AS a USING (agency_nk)  -- one row per agency: one per part
SEMI JOIN mart.kpi_part_reach AS r
  ON r.portal_code = a.portal_code
 AND r.coverage_key = mart.coverage_key(p.metric, p.basis)
 AND r.period_grain = p.period_grain AND r.period_start = p.period_start;

-- Each agency's sums, then its sector, province and names: joined to ~40,000 sums, not to every
-- one of ~300,000 parts.
CREATE OR REPLACE TEMP TABLE kpi_agency_window AS
WITH by_agency AS (
    SELECT agency_nk, period_grain, period_start, span_to, metric, basis,
           sum(numerator) AS numerator, sum(denominator) AS denominator
    FROM mart.kpi_parts
    GROUP BY ALL
)
SELECT a.sector, a.portal_code, a.province_code, a.agency_code, a.agency_name, w.agency_nk,
       w.period_grain, w.period_start, period_end_of(w.period_grain, w.period_start) AS period_end,
       w.span_to, w.metric, w.basis, mart.coverage_key(w.metric, w.basis) AS coverage_key,
       w.numerator, w.denominator
FROM by_agency AS w
JOIN mart.agency_current AS a USING (agency_nk);

-- Every unit on every measured span (the year-to-date baselines are read from here too).
CREATE OR REPLACE TEMP TABLE kpi_unit_window AS
SELECT sector, 'agency' AS scope, portal_code, province_code, agency_nk, agency_code,
       agency_name, period_grain, period_start, period_end, span_to, metric, basis,
       coverage_key, numerator, denominator, 1 AS portals
FROM kpi_agency_window
UNION ALL
SELECT sector, 'portal', portal_code, any_value(province_code), NULL, NULL, NULL,
       period_grain, period_start, period_end, span_to, metric, basis, coverage_key,
       sum(numerator), sum(denominator), 1
FROM kpi_agency_window GROUP BY ALL
UNION ALL
SELECT sector, 'province', NULL, province_code, NULL, NULL, NULL,
       period_grain, period_start, period_end, span_to, metric, basis, coverage_key,
       sum(numerator), sum(denominator), count(DISTINCT portal_code)
FROM kpi_agency_window WHERE sector = 'locality' AND province_code IS NOT NULL GROUP BY ALL
UNION ALL
SELECT sector, 'nation', NULL, NULL, NULL, NULL, NULL,
       period_grain, period_start, period_end, span_to, metric, basis, coverage_key,
       sum(numerator), sum(denominator), count(DISTINCT portal_code)
FROM kpi_agency_window GROUP BY ALL;

-- The span each unit is measured on: its portal's coverage (agency, portal) or the span all of
-- the pool's portals cover (province, nation). Reports come by whole periods: their rows keep
-- their values and say how far the period is covered. span_key names the unit a span belongs
-- to: a portal code, a province code, or '' for the nation.
CREATE OR REPLACE TEMP TABLE kpi_unit_span AS
SELECT 'portal' AS scope, portal_code AS span_key, sector, coverage_key, period_grain,
       period_start, covered_from, covered_to
FROM kpi_portal_span
UNION ALL
SELECT scope, coalesce(province_code, ''), sector, coverage_key, period_grain, period_start,
       covered_from, covered_to
FROM kpi_pooled_span;

CREATE OR REPLACE TEMP MACRO span_scope(scope) AS
    CASE WHEN scope IN ('agency', 'portal') THEN 'portal' ELSE scope END;

CREATE OR REPLACE TEMP MACRO span_key(scope, portal_code, province_code) AS
    CASE scope WHEN 'province' THEN province_code WHEN 'nation' THEN '' ELSE portal_code END;

CREATE OR REPLACE TABLE mart.kpi AS
SELECT u.sector, u.scope, u.portal_code, u.agency_code, u.agency_name, u.agency_nk,
       u.province_code, p.province_name,
       u.period_grain, u.period_start, u.period_end, u.metric,
       u.numerator::BIGINT AS numerator, u.denominator::BIGINT AS denominator,
       CASE WHEN u.denominator > 0 THEN 100.0 * u.numerator / u.denominator END AS value,
       u.basis, s.covered_from, s.covered_to, u.portals::INTEGER AS portals
FROM kpi_unit_window AS u
JOIN kpi_unit_span AS s
  ON s.scope = span_scope(u.scope)
 AND s.span_key = span_key(u.scope, u.portal_code, u.province_code)
 AND s.sector = u.sector AND s.coverage_key = u.coverage_key
 AND s.period_grain = u.period_grain AND s.period_start = u.period_start
LEFT JOIN core.dim_province AS p ON p.province_code = u.province_code AND p.valid_to IS NULL
WHERE u.basis = 'report' AND u.span_to = u.period_end
   OR u.basis <> 'report' AND u.span_to = s.covered_to
ORDER BY u.sector, u.scope, u.portal_code, u.province_code, u.agency_nk, u.metric, u.basis,
         u.period_grain, u.period_start;

-- The national scoreboard's stated ratios (basis scoreboard, scope province): not pooled, since
-- a stated ratio has no parts to add.
INSERT INTO mart.kpi BY NAME
SELECT * FROM kpi_scoreboard
ORDER BY province_code, metric, period_grain, period_start;
