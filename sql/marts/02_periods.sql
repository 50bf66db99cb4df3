-- Grain: mart.period, one calendar period (month, quarter, year) that some portal's coverage
-- reaches; kpi_portal_span / kpi_pooled_span, the part of each period a portal's (a sector's,
-- today's province's) data covers; kpi_window, every span an indicator is measured on. Reads
-- coverage_span, mart.agency, core.dim_portal, core.dim_date.
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

-- A portal's covered part of each period its coverage reaches, with its province today. A
-- portal that ended (`until`, merged away in 2025) within the period and delivered up to that
-- day has handed over: what comes after is its successors' to cover.
CREATE OR REPLACE TEMP TABLE kpi_portal_span AS
WITH portal AS (
    SELECT a.portal_code, any_value(a.sector) AS sector,
           coalesce(any_value(p.province_code), arg_max(a.province_code, a.agency_key))
               AS province_code,
           any_value(p.until) AS until
    FROM mart.agency AS a
    LEFT JOIN core.dim_portal AS p USING (portal_code)
    GROUP BY a.portal_code
)
SELECT c.portal_code, p.sector, p.province_code, c.coverage_key, d.period_grain,
       d.period_start, d.period_end,
       greatest(d.period_start, c.span_from) AS covered_from,
       least(d.period_end, c.span_to) AS covered_to,
       coalesce(p.until < d.period_end AND c.span_to >= p.until, false) AS handed_over
FROM coverage_span AS c
JOIN portal AS p USING (portal_code)
JOIN mart.period AS d ON c.reached_from <= d.period_end AND c.reached_to >= d.period_start;

-- A pool of portals (scope nation: a sector; scope province: today's province, pooling the
-- portals of the provinces it merged) is measured on the span that every portal reaching the
-- period covers, so a portal whose exports lag never passes for a collapse of the whole pool.
-- A portal that handed over bounds nothing after its last day; when only such portals reach
-- the period, the pool is covered to the last of their days (nothing is known after it).
CREATE OR REPLACE TEMP TABLE kpi_pooled_span AS
WITH pools AS (
    SELECT 'nation' AS scope, NULL::VARCHAR AS province_code, * EXCLUDE (province_code)
    FROM kpi_portal_span
    UNION ALL BY NAME
    SELECT 'province' AS scope, * FROM kpi_portal_span
    WHERE sector = 'locality' AND province_code IS NOT NULL
)
SELECT scope, province_code, sector, coverage_key, period_grain, period_start, period_end,
       min(covered_from) AS covered_from,
       coalesce(min(covered_to) FILTER (WHERE NOT handed_over), max(covered_to)) AS covered_to,
       count(DISTINCT portal_code) AS portals
FROM pools
GROUP BY ALL;

-- Every span measured: whole periods, each partly covered period up to its coverage, and the
-- same span a year earlier (the baseline of a year-to-date comparison).
CREATE OR REPLACE TEMP TABLE kpi_window AS
WITH partial AS (
    SELECT period_grain, period_start, period_end, covered_to AS span_to FROM kpi_portal_span
    WHERE covered_to < period_end
    UNION
    SELECT period_grain, period_start, period_end, covered_to FROM kpi_pooled_span
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
