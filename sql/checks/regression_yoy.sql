-- Grain: one indicator (sector, scope, unit, metric, basis, grain, period) that fell year on
-- year by at least warn_pp points (fail_pp fails), like with like as mart.kpi_yoy pairs them:
-- a whole period against the same period a year earlier, a partly covered one on its covered
-- span against the same span a year earlier (period_covered_to). Rates listed in
-- check_lower_is_better fall when they rise. Both sides need denominator ≥ min_denominator; a
-- period is judged once its covered span has passed as_of. Reads mart.kpi_yoy, check_context,
-- check_lower_is_better. This file is the one definition of a fall: the report and the digests
-- show the alerts it keeps. Scope province (today's 34, pooling what they merged) is judged like
-- the others: a merged province against the sum of its parts a year earlier.
WITH measured AS (
    SELECT y.*,
           -- points the rate moved the wrong way
           CASE WHEN y.metric IN (SELECT metric FROM check_lower_is_better)
                THEN y.delta_pp ELSE -y.delta_pp END AS fall
    FROM mart.kpi_yoy AS y
    CROSS JOIN check_context AS ctx
    WHERE y.denominator >= ctx.min_denominator
      AND y.baseline_denominator >= ctx.min_denominator
      AND coalesce(y.period_covered_to, y.period_end) <= ctx.as_of::DATE
)
SELECT
    'regression_yoy' AS check_id,
    CASE WHEN m.fall >= ctx.fail_pp THEN 'fail' ELSE 'warn' END AS severity,
    m.sector, m.scope, m.portal_code, m.agency_code, m.agency_nk,
    m.agency_name,
    CASE WHEN m.scope = 'province' THEN m.province_code END AS province_code, m.province_name,
    NULL AS subject, m.metric, m.basis, m.period_grain, m.period_start,
    m.period_covered_to, m.baseline_period_start, m.value AS current_value, m.baseline_value,
    m.delta_pp, round(100 * m.delta_pp / nullif(m.baseline_value, 0), 6) AS delta_pct,
    NULL AS message_vi, NULL AS message_en
FROM measured AS m
CROSS JOIN check_context AS ctx
WHERE m.fall >= ctx.warn_pp;
