-- Grain: one open regression alert, with what its causes are computed from
-- (sql/causes/contributions.sql). Reads ops.alerts.
SELECT alert_id, sector, scope, portal_code, province_code, agency_nk, metric, basis,
       period_grain, period_start, period_covered_to, baseline_period_start
FROM ops.alerts
WHERE status = 'open' AND check_id = 'regression_yoy'
ORDER BY alert_id;
