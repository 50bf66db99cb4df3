-- Grain: one locality portal (a province), metric in $metrics and basis, in the latest year
-- that is fully covered by $as_of for some province: every province with data for it is ranked.
-- Reads mart.kpi (portal scope, year grain) and core.dim_agency (the province code of each portal).
WITH portal_year AS (
    SELECT portal_code, metric, basis, period_start, numerator, denominator, value
    FROM mart.kpi
    WHERE scope = 'portal' AND sector = 'locality' AND period_grain = 'year'
        AND list_contains($metrics, metric) AND value IS NOT NULL
        AND covered_from = period_start AND covered_to = period_end AND period_end <= $as_of
),

latest AS (
    SELECT max(period_start) AS period_start FROM portal_year
),

provinces AS (
    SELECT
        portal_code,
        arg_max(province_code, valid_from) FILTER (WHERE province_code IS NOT NULL)
            AS province_code
    FROM core.dim_agency
    WHERE sector = 'locality'
    GROUP BY ALL
)

SELECT
    p.portal_code,
    pr.province_code,
    p.metric,
    p.basis,
    p.period_start,
    p.numerator,
    p.denominator,
    p.value,
    -- ranked within one basis: a report's rate and a dossier count's rate are not comparable
    rank() OVER (PARTITION BY p.metric, p.basis ORDER BY p.value DESC) AS rank,
    count(*) OVER (PARTITION BY p.metric, p.basis) AS ranked
FROM portal_year AS p
JOIN latest USING (period_start)
LEFT JOIN provinces AS pr USING (portal_code)
ORDER BY p.metric, p.basis, rank, p.portal_code;
