-- Grain: one alert with its status and severity, to count what a run opened or resolved.
SELECT alert_id, status, severity FROM ops.alerts;
