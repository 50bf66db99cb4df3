-- Grain: one sector, scope (nation | portal), portal, metric, basis and grain (year | month) whose latest period fell against the same period a year earlier.
-- Reads mart.kpi; $warn_pp, $fail_pp, $min_denominator and $lower_is_better are the thresholds the checks use.
WITH units AS (
    SELECT sector, scope, portal_code, metric, basis, period_grain, period_start, denominator, value
    FROM mart.kpi
    WHERE scope IN ('nation', 'portal') AND period_grain IN ('year', 'month') AND value IS NOT NULL
),

latest AS (
    SELECT period_grain, max(period_start) AS latest_start
    FROM units
    GROUP BY ALL
),

pairs AS (
    SELECT
        c.sector,
        c.scope,
        c.portal_code,
        c.metric,
        c.basis,
        c.period_grain,
        c.period_start,
        b.period_start AS baseline_period_start,
        c.value,
        b.value AS baseline_value,
        c.denominator,
        b.denominator AS baseline_denominator,
        round(c.value - b.value, 9) AS delta_pp,
        round(
            CASE
                WHEN list_contains($lower_is_better, c.metric) THEN c.value - b.value
                ELSE b.value - c.value
            END,
            9
        ) AS fall,
        c.denominator >= $min_denominator AND b.denominator >= $min_denominator AS judged
    FROM units AS c
    JOIN latest AS l ON l.period_grain = c.period_grain AND l.latest_start = c.period_start
    JOIN units AS b
        ON b.sector = c.sector AND b.scope = c.scope
        AND b.portal_code IS NOT DISTINCT FROM c.portal_code
        AND b.metric = c.metric AND b.basis = c.basis AND b.period_grain = c.period_grain
        AND b.period_start = c.period_start - INTERVAL 1 YEAR
)

SELECT
    *,
    CASE
        WHEN judged AND fall >= $fail_pp THEN 'fail'
        WHEN judged AND fall >= $warn_pp THEN 'warn'
        WHEN judged THEN 'minor'
        ELSE 'small_base'  -- a fall on too few dossiers to judge, shown but not coloured
    END AS level
FROM pairs
WHERE round(fall, 2) > 0
ORDER BY
    period_grain = 'year' DESC,
    CASE level WHEN 'fail' THEN 0 WHEN 'warn' THEN 1 WHEN 'minor' THEN 2 ELSE 3 END,
    scope = 'nation' DESC,
    fall DESC,
    sector,
    portal_code,
    metric,
    basis;
