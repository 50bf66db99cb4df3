-- Grain: one of today's provinces (scope province: the 34 since 1 July 2025, each pooling the
-- portals of the provinces it merged), metric in $metrics and basis, in the latest year that is
-- fully covered by $as_of for some province: every province with data for it is ranked.
-- Reads mart.kpi (province scope, year grain).
WITH province_year AS (
    SELECT province_code, coalesce(province_name, province_code) AS province_name, metric, basis,
           period_start, numerator, denominator, value
    FROM mart.kpi
    WHERE scope = 'province' AND period_grain = 'year'
        AND list_contains($metrics, metric) AND value IS NOT NULL
        AND covered_from = period_start AND covered_to = period_end AND period_end <= $as_of
),

latest AS (
    SELECT max(period_start) AS period_start FROM province_year
)

SELECT
    p.*,
    -- ranked within one basis: a report's rate and a dossier count's rate are not comparable
    rank() OVER (PARTITION BY p.metric, p.basis ORDER BY p.value DESC) AS rank,
    count(*) OVER (PARTITION BY p.metric, p.basis) AS ranked
FROM province_year AS p
JOIN latest USING (period_start)
ORDER BY p.metric, p.basis, rank, p.province_code;
