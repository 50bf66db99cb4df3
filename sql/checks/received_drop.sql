-- Grain: one fully covered portal-month whose received dossiers are under received_drop_ratio
-- of the same month a year earlier (a sign of a missing or partial export inside the span the
-- portal's exports cover). Reads mart.kpi (online_rate on the dossiers basis: its denominator is
-- every dossier received), check_portal, check_context.
SELECT
    'received_drop' AS check_id, 'warn' AS severity,
    c.sector, c.scope, c.portal_code, NULL AS agency_code, NULL AS agency_name,
    NULL AS subject, 'received' AS metric, c.basis, c.period_grain, c.period_start,
    NULL::DATE AS period_covered_to, b.period_start AS baseline_period_start,
    c.denominator::DOUBLE AS current_value, b.denominator::DOUBLE AS baseline_value,
    NULL::DOUBLE AS delta_pp,
    round(100.0 * (c.denominator - b.denominator) / b.denominator, 6) AS delta_pct,
    NULL AS message_vi, NULL AS message_en
FROM mart.kpi AS c
JOIN mart.kpi AS b
  ON b.scope = c.scope AND b.portal_code = c.portal_code AND b.metric = c.metric
 AND b.basis = c.basis AND b.period_grain = c.period_grain
 AND b.period_start = c.period_start - INTERVAL 1 YEAR
CROSS JOIN check_context AS ctx
WHERE c.scope = 'portal' AND c.metric = 'online_rate' AND c.basis = 'dossiers'
  AND c.period_grain = 'month' AND c.period_end <= ctx.as_of::DATE
  -- nothing is expected of a portal after its `until` day (merged away in 2025)
  AND NOT EXISTS (
      SELECT 1 FROM check_portal AS p
      WHERE p.portal_code = c.portal_code AND p.until < c.period_end
  )
  AND c.covered_from = c.period_start AND c.covered_to = c.period_end
  AND b.covered_from = b.period_start AND b.covered_to = b.period_end
  AND b.denominator >= ctx.min_denominator
  AND c.denominator < ctx.received_drop_ratio * b.denominator;
