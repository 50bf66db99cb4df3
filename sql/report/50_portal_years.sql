-- Grain: one portal, metric, basis and year (portal scope) over each portal's last $years years, beside the year before.
-- Reads mart.kpi (portal and agency scopes, year grain) and core.dim_agency (the province code of each portal).
WITH portal_year AS (
    SELECT sector, portal_code, metric, basis, period_start, numerator, denominator, value
    FROM mart.kpi
    WHERE scope = 'portal' AND period_grain = 'year'
),

last_year AS (
    SELECT portal_code, max(period_start) AS last_start
    FROM portal_year
    GROUP BY ALL
),

agencies AS (
    -- how many agencies report into the portal, for the section's heading
    SELECT portal_code, count(DISTINCT agency_nk) AS agencies
    FROM mart.kpi
    WHERE scope = 'agency'
    GROUP BY ALL
),

provinces AS (
    SELECT
        portal_code,
        arg_max(province_code, valid_from) FILTER (WHERE province_code IS NOT NULL)
            AS province_code
    FROM core.dim_agency
    GROUP BY ALL
)

SELECT
    p.sector,
    p.portal_code,
    pr.province_code,
    coalesce(ag.agencies, 0) AS agencies,
    p.metric,
    p.basis,
    p.period_start,
    p.numerator,
    p.denominator,
    p.value,
    round(p.value - b.value, 9) AS delta_pp,
    round(
        CASE
            WHEN list_contains($lower_is_better, p.metric) THEN p.value - b.value
            ELSE b.value - p.value
        END,
        9
    ) AS fall
FROM portal_year AS p
JOIN last_year AS l USING (portal_code)
LEFT JOIN portal_year AS b
    ON b.portal_code = p.portal_code AND b.metric = p.metric AND b.basis = p.basis
    AND b.period_start = p.period_start - INTERVAL 1 YEAR
LEFT JOIN agencies AS ag USING (portal_code)
LEFT JOIN provinces AS pr USING (portal_code)
WHERE p.period_start > l.last_start - to_years($years)
ORDER BY p.sector, p.portal_code, p.metric, p.basis, p.period_start;
