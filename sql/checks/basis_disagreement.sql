-- Grain: one dossier-based indicator that another basis of the same unit and period contradicts
-- by more than basis_gap_pp points, both fully covered and with denominator ≥ min_denominator:
-- an agency's report against its dossiers, and one of today's provinces' national scoreboard
-- on-time ratio (TDGQ, basis scoreboard) against the province's own dossiers
-- (on_time_rate_766). Reads mart.kpi, check_context.
WITH pairs AS (
    SELECT d.*, o.basis AS other_basis, o.value AS other_value,
           o.denominator AS other_denominator, o.covered_from AS other_from,
           o.covered_to AS other_to
    FROM mart.kpi AS d
    JOIN mart.kpi AS o
      ON o.scope = d.scope AND o.sector = d.sector AND o.metric = d.metric
     AND o.period_grain = d.period_grain AND o.period_start = d.period_start
     AND (d.scope = 'agency' AND o.basis = 'report' AND o.agency_nk = d.agency_nk
          OR d.scope = 'province' AND o.basis = 'scoreboard'
             AND d.metric = 'on_time_rate_766' AND o.province_code = d.province_code)
    WHERE d.basis = 'dossiers'
)
SELECT
    'basis_disagreement' AS check_id, 'warn' AS severity,
    p.sector, p.scope, p.portal_code, p.agency_code, p.agency_nk, p.agency_name,
    CASE WHEN p.scope = 'province' THEN p.province_code END AS province_code, p.province_name,
    NULL AS subject, p.metric, p.other_basis AS basis, p.period_grain, p.period_start,
    NULL::DATE AS period_covered_to, p.period_start AS baseline_period_start,
    p.other_value AS current_value, p.value AS baseline_value,
    round(p.other_value - p.value, 9) AS delta_pp,
    round(100 * (p.other_value - p.value) / nullif(p.value, 0), 6) AS delta_pct,
    NULL AS message_vi, NULL AS message_en
FROM pairs AS p
CROSS JOIN check_context AS ctx
WHERE p.covered_from = p.period_start AND p.covered_to = p.period_end
  AND p.other_from = p.period_start AND p.other_to = p.period_end
  AND p.denominator >= ctx.min_denominator AND p.other_denominator >= ctx.min_denominator
  AND abs(round(p.other_value - p.value, 9)) > ctx.basis_gap_pp;
