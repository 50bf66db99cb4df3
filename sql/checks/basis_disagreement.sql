-- Grain: one agency-period-metric where the report and the dossiers tell different stories:
-- values more than basis_gap_pp points apart, both fully covered and with denominator ≥
-- min_denominator; and one of today's provinces and period where the national scoreboard's
-- on-time ratio (TDGQ, basis scoreboard) and the province's own dossiers (on_time_rate_766)
-- disagree the same way. Reads mart.kpi, check_context.
SELECT
    'basis_disagreement' AS check_id, 'warn' AS severity,
    d.sector, d.scope, d.portal_code, d.agency_code, d.agency_nk,
    d.agency_name, NULL AS subject, d.metric, 'report' AS basis, d.period_grain, d.period_start,
    NULL::DATE AS period_covered_to, d.period_start AS baseline_period_start,
    r.value AS current_value, d.value AS baseline_value,
    round(r.value - d.value, 9) AS delta_pp,
    round(100 * (r.value - d.value) / nullif(d.value, 0), 6) AS delta_pct,
    NULL AS message_vi, NULL AS message_en
FROM mart.kpi AS d
JOIN mart.kpi AS r
  ON r.scope = d.scope AND r.agency_nk = d.agency_nk AND r.metric = d.metric
 AND r.period_grain = d.period_grain AND r.period_start = d.period_start
CROSS JOIN check_context AS ctx
WHERE d.scope = 'agency' AND d.basis = 'dossiers' AND r.basis = 'report'
  AND d.covered_from = d.period_start AND d.covered_to = d.period_end
  AND r.covered_from = r.period_start AND r.covered_to = r.period_end
  AND d.denominator >= ctx.min_denominator AND r.denominator >= ctx.min_denominator
  AND abs(round(r.value - d.value, 9)) > ctx.basis_gap_pp

UNION ALL BY NAME

SELECT
    'basis_disagreement' AS check_id, 'warn' AS severity,
    d.sector, d.scope, NULL AS portal_code, NULL AS agency_code, NULL AS agency_nk,
    d.province_code, d.province_name, NULL AS subject, d.metric, 'scoreboard' AS basis,
    d.period_grain, d.period_start, NULL::DATE AS period_covered_to,
    d.period_start AS baseline_period_start,
    s.value AS current_value, d.value AS baseline_value,
    round(s.value - d.value, 9) AS delta_pp,
    round(100 * (s.value - d.value) / nullif(d.value, 0), 6) AS delta_pct,
    NULL AS message_vi, NULL AS message_en
FROM mart.kpi AS d
JOIN mart.kpi AS s
  ON s.scope = d.scope AND s.sector = d.sector AND s.province_code = d.province_code
 AND s.metric = d.metric AND s.period_grain = d.period_grain AND s.period_start = d.period_start
CROSS JOIN check_context AS ctx
WHERE d.scope = 'province' AND d.basis = 'dossiers' AND s.basis = 'scoreboard'
  AND d.metric = 'on_time_rate_766'
  AND d.covered_from = d.period_start AND d.covered_to = d.period_end
  AND s.covered_from = s.period_start AND s.covered_to = s.period_end
  AND d.denominator >= ctx.min_denominator AND s.denominator >= ctx.min_denominator
  AND abs(round(s.value - d.value, 9)) > ctx.basis_gap_pp;
