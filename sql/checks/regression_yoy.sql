-- Grain: one indicator (sector, scope, unit, metric, basis, grain, period) that fell year on
-- year by at least warn_pp points (fail_pp fails): a month against the same month a year
-- earlier, a quarter against the same quarter, a year against the year before; rates listed in
-- check_lower_is_better fall when they rise. Both periods need denominator ≥ min_denominator.
-- Reads mart.kpi, check_context, check_lower_is_better.
WITH pairs AS (
    SELECT
        c.*,
        b.period_start AS baseline_period_start,
        b.value AS baseline_value,
        CASE WHEN c.metric IN (SELECT metric FROM check_lower_is_better) THEN -1 ELSE 1 END
            AS direction
    FROM mart.kpi AS c
    JOIN mart.kpi AS b
      ON b.sector = c.sector AND b.scope = c.scope
     AND b.portal_code IS NOT DISTINCT FROM c.portal_code
     AND b.agency_nk IS NOT DISTINCT FROM c.agency_nk
     AND b.metric = c.metric AND b.basis = c.basis AND b.period_grain = c.period_grain
     AND b.period_start = c.period_start - INTERVAL 1 YEAR
    CROSS JOIN check_context AS ctx
    WHERE c.denominator >= ctx.min_denominator
      AND b.denominator >= ctx.min_denominator
      AND c.period_end <= ctx.as_of::DATE
),
measured AS (
    -- rounded to 1e-9 so that 91.00 − 90.00 is a fall of exactly 1.00 points, not 0.9999…
    SELECT *, round(direction * (baseline_value - value), 9) AS fall,
           round(value - baseline_value, 9) AS delta_pp
    FROM pairs
)
SELECT
    'regression_yoy' AS check_id,
    CASE WHEN m.fall >= ctx.fail_pp THEN 'fail' ELSE 'warn' END AS severity,
    m.sector, m.scope, m.portal_code, coalesce(m.agency_code, m.agency_nk) AS agency_code,
    NULL AS subject, m.metric, m.basis, m.period_grain, m.period_start,
    m.baseline_period_start, m.value AS current_value, m.baseline_value, m.delta_pp,
    round(100 * m.delta_pp / nullif(m.baseline_value, 0), 6) AS delta_pct,
    m.metric || ' ' || ops.sector_vi(m.sector) || ', ' || ops.unit_vi(m.scope, m.portal_code, m.agency_name)
        || ', ' || ops.period_vi(m.period_grain, m.period_start) || ': '
        || ops.vn_decimal(m.value) || '% (' || ops.period_vi(m.period_grain, m.baseline_period_start)
        || ': ' || ops.vn_decimal(m.baseline_value) || '%), '
        || CASE WHEN m.delta_pp < 0 THEN 'giảm ' ELSE 'tăng ' END
        || ops.vn_decimal(abs(m.delta_pp)) || ' điểm %'
        || ' | ' || m.metric || ', ' || m.sector || ', ' || ops.unit_en(m.scope, m.portal_code, m.agency_name)
        || ', ' || ops.period_en(m.period_grain, m.period_start) || ': '
        || printf('%.2f', m.value) || '% vs ' || printf('%.2f', m.baseline_value) || '% in '
        || ops.period_en(m.period_grain, m.baseline_period_start) || ', '
        || CASE WHEN m.delta_pp < 0 THEN 'down ' ELSE 'up ' END
        || printf('%.2f', abs(m.delta_pp)) || ' points' AS message
FROM measured AS m
CROSS JOIN check_context AS ctx
WHERE m.fall >= ctx.warn_pp;
