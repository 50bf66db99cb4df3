-- Grain: mart.kpi_yoy, one indicator (sector, scope, unit, metric, basis, grain, period) beside
-- the same span a year earlier, like with like: a fully covered period against the same period
-- a year earlier, also fully covered; a period covered only up to some day (year to date) on
-- that span against the same span a year earlier. The only place a comparison is made: the
-- regression check reads it, the report reads the alerts the check keeps. Across the 2025
-- merger one scope speaks for a province: while it is one and the same portal in both periods,
-- scope portal (one fall, one alert); when its portals differ between the periods (provinces
-- merged into it), scope province, the sum of its parts in both, and not its portals alone.
-- Basis scoreboard is left out: a national snapshot is a ratio the portal states, re-scored
-- daily under its own rules, not counts pooled like with like (scoreboard_drop follows it).
-- Reads mart.kpi, kpi_unit_window, kpi_unit_span, kpi_portal_span.
CREATE OR REPLACE TEMP TABLE kpi_keyed AS
SELECT *, coalesce(agency_nk, portal_code, province_code, '') AS unit_key,
       mart.coverage_key(metric, basis) AS coverage_key
FROM mart.kpi
WHERE basis <> 'scoreboard';

-- The portals each of today's provinces pools in each period, a portal that handed over
-- within it marked (its work went to another portal of the province part way through).
CREATE OR REPLACE TEMP TABLE kpi_province_portals AS
SELECT province_code, coverage_key, period_grain, period_start,
       list_sort(list(DISTINCT portal_code || if(handed_over, ' (handed over)', '')))
           AS portals
FROM kpi_portal_span
WHERE sector = 'locality' AND province_code IS NOT NULL
GROUP BY ALL;

CREATE OR REPLACE TABLE mart.kpi_yoy AS
WITH whole AS (
    SELECT * FROM kpi_keyed
    WHERE covered_from = period_start AND covered_to = period_end
),
whole_pairs AS (
    SELECT c.*, NULL::DATE AS period_covered_to, b.period_start AS baseline_period_start,
           b.numerator AS baseline_numerator, b.denominator AS baseline_denominator,
           b.value AS baseline_value
    FROM whole AS c
    JOIN whole AS b
      ON b.sector = c.sector AND b.scope = c.scope AND b.unit_key = c.unit_key
     AND b.metric = c.metric AND b.basis = c.basis AND b.period_grain = c.period_grain
     AND b.period_start = (c.period_start - INTERVAL 1 YEAR)::DATE
),
-- Covered from the period's first day up to some day before its last: dossiers and catalogue
-- are dated by the day, so the same span a year earlier can be measured; reports come by whole
-- periods, so a partly covered report period is not compared (its whole quarters and months
-- are). A span that a coarser period covers the same way (1 Jan to 14 Jan is the year, the
-- quarter and the month to date) is compared once, at the coarsest.
to_date AS (
    SELECT *, (period_start - INTERVAL 1 YEAR)::DATE AS baseline_period_start,
           (covered_to - INTERVAL 1 YEAR)::DATE AS baseline_span_to
    FROM kpi_keyed
    WHERE basis <> 'report' AND covered_from = period_start AND covered_to < period_end
    QUALIFY row_number() OVER (
        PARTITION BY sector, scope, unit_key, metric, basis, period_start, covered_to
        ORDER BY CASE period_grain WHEN 'year' THEN 0 WHEN 'quarter' THEN 1 ELSE 2 END
    ) = 1
),
unit_window AS (
    SELECT *, coalesce(agency_nk, portal_code, province_code, '') AS unit_key
    FROM kpi_unit_window
    WHERE span_to < period_end
),
to_date_pairs AS (
    SELECT c.* EXCLUDE (baseline_span_to), c.covered_to AS period_covered_to,
           b.numerator::BIGINT AS baseline_numerator,
           b.denominator::BIGINT AS baseline_denominator,
           CASE WHEN b.denominator > 0 THEN 100.0 * b.numerator / b.denominator END
               AS baseline_value
    FROM to_date AS c
    JOIN unit_window AS b
      ON b.sector = c.sector AND b.scope = c.scope AND b.unit_key = c.unit_key
     AND b.metric = c.metric AND b.basis = c.basis AND b.period_grain = c.period_grain
     AND b.period_start = c.baseline_period_start AND b.span_to = c.baseline_span_to
    -- the baseline's own data covers that span a year earlier
    JOIN kpi_unit_span AS s
      ON s.scope = span_scope(c.scope)
     AND s.span_key = span_key(c.scope, c.portal_code, c.province_code)
     AND s.sector = c.sector AND s.coverage_key = c.coverage_key
     AND s.period_grain = c.period_grain AND s.period_start = c.baseline_period_start
    WHERE s.covered_from = c.baseline_period_start AND s.covered_to >= c.baseline_span_to
)
SELECT y.sector, y.scope, y.portal_code, y.agency_code, y.agency_name, y.agency_nk,
       y.province_code, y.province_name, y.metric, y.basis, y.period_grain, y.period_start,
       y.period_end, y.period_covered_to, y.baseline_period_start, y.numerator, y.denominator,
       y.value, y.baseline_numerator, y.baseline_denominator, y.baseline_value,
       -- rounded to 1e-9 so that 91.00 − 90.00 is a move of exactly 1.00 points, not 0.9999…
       round(y.value - y.baseline_value, 9) AS delta_pp
FROM (
    SELECT * FROM whole_pairs
    UNION ALL BY NAME
    SELECT * FROM to_date_pairs
) AS y
-- (kpi_province_portals holds localities only: a ministry's row finds nothing)
LEFT JOIN kpi_province_portals AS now_
  ON now_.province_code = y.province_code
 AND now_.coverage_key = y.coverage_key AND now_.period_grain = y.period_grain
 AND now_.period_start = y.period_start
LEFT JOIN kpi_province_portals AS then_
  ON then_.province_code = y.province_code
 AND then_.coverage_key = y.coverage_key AND then_.period_grain = y.period_grain
 AND then_.period_start = y.baseline_period_start
WHERE CASE y.scope
          WHEN 'province'
              THEN NOT coalesce(now_.portals = then_.portals AND len(now_.portals) = 1, false)
          WHEN 'nation' THEN true
          ELSE now_.portals IS NOT DISTINCT FROM then_.portals
      END
ORDER BY y.sector, y.scope, y.portal_code, y.province_code, y.agency_nk, y.metric, y.basis,
         y.period_grain, y.period_start;
