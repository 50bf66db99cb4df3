-- Grain: one fully covered year of one sector's indicator (the nation, one portal, or one of
-- today's provinces that pools several portals that year: merged in 2025, its portals alone
-- do not cover the year) below the floor set for that metric and sector in the configuration.
-- Reads mart.kpi, check_target, check_context.
SELECT
    'target_floor' AS check_id,
    t.severity,
    k.sector, k.scope, k.portal_code, NULL AS agency_code, NULL AS agency_name,
    CASE WHEN k.scope = 'province' THEN k.province_code END AS province_code, k.province_name,
    NULL AS subject,
    k.metric, k.basis, k.period_grain, k.period_start, NULL::DATE AS period_covered_to,
    NULL::DATE AS baseline_period_start, k.value AS current_value, t.floor AS baseline_value,
    round(k.value - t.floor, 9) AS delta_pp,
    round(100 * (k.value - t.floor) / t.floor, 6) AS delta_pct,
    NULL AS message_vi, NULL AS message_en
FROM mart.kpi AS k
JOIN check_target AS t ON t.metric = k.metric AND t.sector = k.sector
CROSS JOIN check_context AS ctx
WHERE k.period_grain = 'year'
  AND (k.scope IN ('nation', 'portal') OR k.scope = 'province' AND k.portals > 1)
  AND k.covered_from = k.period_start AND k.covered_to = k.period_end
  AND k.denominator >= ctx.min_denominator
  AND k.period_end <= ctx.as_of::DATE
  AND round(k.value, 9) < t.floor;
