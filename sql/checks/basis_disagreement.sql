-- Grain: one agency-period-metric where the report and the dossiers tell different stories:
-- values more than basis_gap_pp points apart, both with denominator ≥ min_denominator.
-- Reads mart.kpi, check_context.
SELECT
    'basis_disagreement' AS check_id, 'warn' AS severity,
    d.sector, d.scope, d.portal_code, coalesce(d.agency_code, d.agency_nk) AS agency_code,
    NULL AS subject, d.metric, 'report' AS basis, d.period_grain, d.period_start,
    d.period_start AS baseline_period_start, r.value AS current_value, d.value AS baseline_value,
    round(r.value - d.value, 9) AS delta_pp,
    round(100 * (r.value - d.value) / nullif(d.value, 0), 6) AS delta_pct,
    d.metric || ', ' || ops.unit_vi(d.scope, d.portal_code, d.agency_name) || ', '
        || ops.period_vi(d.period_grain, d.period_start) || ': báo cáo '
        || ops.vn_decimal(r.value) || '%, theo hồ sơ ' || ops.vn_decimal(d.value) || '%'
        || ' | ' || d.metric || ', ' || ops.unit_en(d.scope, d.portal_code, d.agency_name) || ', '
        || ops.period_en(d.period_grain, d.period_start) || ': report ' || printf('%.2f', r.value)
        || '%, dossiers ' || printf('%.2f', d.value) || '%' AS message
FROM mart.kpi AS d
JOIN mart.kpi AS r
  ON r.scope = d.scope AND r.agency_nk = d.agency_nk AND r.metric = d.metric
 AND r.period_grain = d.period_grain AND r.period_start = d.period_start
CROSS JOIN check_context AS ctx
WHERE d.scope = 'agency' AND d.basis = 'dossiers' AND r.basis = 'report'
  AND d.denominator >= ctx.min_denominator AND r.denominator >= ctx.min_denominator
  AND abs(round(r.value - d.value, 9)) > ctx.basis_gap_pp;
