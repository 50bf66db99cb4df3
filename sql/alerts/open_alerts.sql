-- Grain: one open alert, worst first, as `cchc checks`, `cchc run` and the report list them.
-- Reads ops.alerts.
SELECT alert_id, check_id, severity, sector, scope, portal_code, agency_code, agency_nk, subject,
       metric,
       basis, period_grain, period_start, period_covered_to, baseline_period_start,
       current_value, baseline_value, delta_pp, delta_pct, message,
       coalesce(message_vi, message) AS message_vi, coalesce(message_en, '') AS message_en,
       first_seen_at, last_seen_at
FROM ops.alerts
WHERE status = 'open'
ORDER BY severity = 'fail' DESC, check_id, sector, scope, portal_code, metric, period_start;
