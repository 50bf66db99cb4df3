-- Grain: one alert (`$alert_id`) with what `cchc explain` shows of it and what its causes are
-- computed from. Reads ops.alerts.
SELECT alert_id, check_id, severity, status, sector, scope, portal_code, province_code,
       agency_code, agency_nk, metric, basis, period_grain, period_start, period_covered_to,
       baseline_period_start, baseline_value, current_value, delta_pp, message_vi, message_en
FROM ops.alerts
WHERE alert_id = $alert_id;
