-- Grain: one sector, metric, basis and period (year or month) at nation scope, beside the same period a year earlier.
-- Reads mart.kpi; $lower_is_better names the rates that fall when they rise, $min_denominator the smallest base judged.
WITH nation AS (
    SELECT sector, metric, basis, period_grain, period_start, numerator, denominator, value
    FROM mart.kpi
    WHERE scope = 'nation' AND period_grain IN ('year', 'month')
),

latest AS (
    -- the latest period of each grain is the one whose moves the report highlights
    SELECT period_grain, max(period_start) AS latest_start
    FROM nation
    GROUP BY ALL
),

paired AS (
    SELECT
        n.*,
        b.value AS baseline_value,
        b.denominator AS baseline_denominator,
        n.period_start = l.latest_start AS is_latest,
        -- points the rate moved the wrong way, rounded like the checks (91.00 → 90.00 is 1.00)
        round(
            CASE
                WHEN list_contains($lower_is_better, n.metric) THEN n.value - b.value
                ELSE b.value - n.value
            END,
            9
        ) AS fall
    FROM nation AS n
    JOIN latest AS l USING (period_grain)
    LEFT JOIN nation AS b
        ON b.sector = n.sector AND b.metric = n.metric AND b.basis = n.basis
        AND b.period_grain = n.period_grain
        AND b.period_start = n.period_start - INTERVAL 1 YEAR
)

SELECT
    sector,
    metric,
    basis,
    period_grain,
    period_start,
    numerator,
    denominator,
    value,
    baseline_value,
    round(value - baseline_value, 9) AS delta_pp,
    is_latest,
    coalesce(
        is_latest
        AND round(fall, 2) > 0
        AND denominator >= $min_denominator
        AND baseline_denominator >= $min_denominator,
        false
    ) AS regressed
FROM paired
ORDER BY metric, period_grain, sector, basis, period_start;
