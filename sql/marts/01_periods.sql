-- Grain: mart.period, one calendar period (month, quarter, year) that some portal's coverage
-- reaches; kpi_portal_span / kpi_nation_span, the part of each period a portal's (a sector's)
-- data covers; kpi_window, every span an indicator is measured on. Reads coverage_span,
-- mart.agency, core.dim_date.
CREATE OR REPLACE TEMP MACRO period_end_of(grain, start) AS
    (start + CASE grain
                 WHEN 'month' THEN INTERVAL 1 MONTH
                 WHEN 'quarter' THEN INTERVAL 3 MONTH
                 ELSE INTERVAL 1 YEAR
             END - INTERVAL 1 DAY)::DATE;

CREATE OR REPLACE TABLE mart.period AS
WITH bounds AS (
    SELECT min(reached_from) AS first_day, max(reached_to) AS last_day FROM coverage_span
),
grains AS (SELECT unnest(['month', 'quarter', 'year']) AS period_grain)
SELECT DISTINCT
    g.period_grain,
    date_trunc(g.period_grain, d.date)::DATE AS period_start,
    period_end_of(g.period_grain, date_trunc(g.period_grain, d.date)::DATE) AS period_end
FROM core.dim_date AS d
CROSS JOIN bounds AS b
CROSS JOIN grains AS g
WHERE d.date BETWEEN b.first_day AND b.last_day
ORDER BY 1, 2;

-- A portal's covered part of each period its coverage reaches.
CREATE OR REPLACE TEMP TABLE kpi_portal_span AS
WITH portal AS (SELECT DISTINCT portal_code, sector FROM mart.agency)
SELECT c.portal_code, p.sector, c.coverage_key, d.period_grain, d.period_start, d.period_end,
       greatest(d.period_start, c.span_from) AS covered_from,
       least(d.period_end, c.span_to) AS covered_to
FROM coverage_span AS c
JOIN portal AS p USING (portal_code)
JOIN mart.period AS d ON c.reached_from <= d.period_end AND c.reached_to >= d.period_start;

-- The nation (one sector) is measured on the span that every portal reaching the period
-- covers, so a portal whose exports lag never passes for a collapse of the whole sector.
CREATE OR REPLACE TEMP TABLE kpi_nation_span AS
SELECT sector, coverage_key, period_grain, period_start, period_end,
       min(covered_from) AS covered_from, min(covered_to) AS covered_to
FROM kpi_portal_span
GROUP BY ALL;

-- Every span measured: whole periods, each partly covered period up to its coverage, and the
-- same span a year earlier (the baseline of a year-to-date comparison).
CREATE OR REPLACE TEMP TABLE kpi_window AS
WITH partial AS (
    SELECT period_grain, period_start, period_end, covered_to AS span_to FROM kpi_portal_span
    WHERE covered_to < period_end
    UNION
    SELECT period_grain, period_start, period_end, covered_to FROM kpi_nation_span
    WHERE covered_to < period_end
)
SELECT period_grain, period_start, period_end, period_end AS span_to FROM mart.period
UNION
SELECT * FROM partial
UNION
SELECT period_grain, (period_start - INTERVAL 1 YEAR)::DATE,
       period_end_of(period_grain, (period_start - INTERVAL 1 YEAR)::DATE),
       (span_to - INTERVAL 1 YEAR)::DATE
FROM partial;
