-- Grain: one sector, metric, basis and period (year or month) at nation scope that starts by
-- $as_of, with how far its data covers it and whether it is the latest fully covered one.
-- Reads mart.kpi and ops.alerts (the open regression alerts mark the periods that fell).
WITH nation AS (
    SELECT sector, metric, basis, period_grain, period_start, period_end, numerator,
           denominator, value, covered_to,
           covered_from = period_start AND covered_to = period_end AND period_end <= $as_of
               AS fully_covered
    FROM mart.kpi
    WHERE scope = 'nation' AND period_grain IN ('year', 'month') AND period_start <= $as_of
      AND value IS NOT NULL
),

fell AS (
    SELECT DISTINCT sector, metric, basis, period_grain, period_start
    FROM ops.alerts
    WHERE status = 'open' AND check_id = 'regression_yoy' AND scope = 'nation'
)

SELECT
    n.*,
    CASE WHEN n.fully_covered THEN NULL ELSE least(n.covered_to, $as_of) END
        AS period_covered_to,
    b.value AS baseline_value,
    round(n.value - b.value, 9) AS delta_pp,
    coalesce(n.fully_covered AND n.period_start = max(n.period_start) FILTER (
        WHERE n.fully_covered
    ) OVER (PARTITION BY n.sector, n.metric, n.basis, n.period_grain), false) AS is_latest,
    f.period_start IS NOT NULL AS regressed
FROM nation AS n
LEFT JOIN nation AS b
    ON b.sector = n.sector AND b.metric = n.metric AND b.basis = n.basis
    AND b.period_grain = n.period_grain AND b.fully_covered AND n.fully_covered
    AND b.period_start = n.period_start - INTERVAL 1 YEAR
LEFT JOIN fell AS f
    ON f.sector = n.sector AND f.metric = n.metric AND f.basis = n.basis
    AND f.period_grain = n.period_grain AND f.period_start = n.period_start
ORDER BY n.metric, n.period_grain, n.sector, n.basis, n.period_start;
