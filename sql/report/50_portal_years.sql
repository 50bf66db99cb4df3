-- Grain: one portal, metric, basis and year (portal scope) over each portal's last $years years
-- that start by $as_of, beside the year before when both are fully covered; `alerted` when an
-- open regression alert holds that year. Reads mart.kpi, ops.alerts and core.dim_agency.
WITH portal_year AS (
    SELECT sector, portal_code, metric, basis, period_start, numerator, denominator, value,
           CASE WHEN covered_from = period_start AND covered_to = period_end
                     AND period_end <= $as_of THEN NULL
                ELSE least(covered_to, $as_of) END AS period_covered_to
    FROM mart.kpi
    WHERE scope = 'portal' AND period_grain = 'year' AND period_start <= $as_of
),

fell AS (
    SELECT DISTINCT portal_code, metric, basis, period_start
    FROM ops.alerts
    WHERE status = 'open' AND check_id = 'regression_yoy' AND scope = 'portal'
        AND period_grain = 'year'
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
    p.period_covered_to,
    round(p.value - b.value, 9) AS delta_pp,
    f.period_start IS NOT NULL AS alerted
FROM portal_year AS p
JOIN last_year AS l USING (portal_code)
LEFT JOIN portal_year AS b
    ON b.portal_code = p.portal_code AND b.metric = p.metric AND b.basis = p.basis
    AND b.period_start = p.period_start - INTERVAL 1 YEAR
    AND b.period_covered_to IS NULL AND p.period_covered_to IS NULL
LEFT JOIN fell AS f
    ON f.portal_code = p.portal_code AND f.metric = p.metric AND f.basis = p.basis
    AND f.period_start = p.period_start
LEFT JOIN agencies AS ag USING (portal_code)
LEFT JOIN provinces AS pr USING (portal_code)
WHERE p.period_start > l.last_start - to_years($years)
ORDER BY p.sector, p.portal_code, p.metric, p.basis, p.period_start;
