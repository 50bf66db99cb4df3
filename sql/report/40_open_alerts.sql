-- Grain: one open alert, worst first, with today's name of the agency it names.
-- Reads ops.alerts and core.agency_names (by unit code, or by identity key for agencies without
-- one).
SELECT
    a.alert_id,
    a.check_id,
    a.severity,
    a.sector,
    a.scope,
    a.portal_code,
    a.agency_code,
    n.agency_name,
    a.subject,
    a.metric,
    a.basis,
    a.period_grain,
    a.period_start,
    a.baseline_period_start,
    a.current_value,
    a.baseline_value,
    a.delta_pp,
    a.delta_pct,
    a.message,
    a.message_vi,
    a.message_en,
    a.period_covered_to,
    a.first_seen_at,
    a.last_seen_at
FROM ops.alerts AS a
LEFT JOIN core.agency_names AS n
    ON n.portal_code = a.portal_code AND n.agency_ref = coalesce(a.agency_code, a.agency_nk)
WHERE a.status = 'open'
ORDER BY
    a.severity = 'fail' DESC,
    a.scope = 'nation' DESC,
    a.portal_code NULLS FIRST,
    CASE a.scope WHEN 'portal' THEN 0 WHEN 'agency' THEN 1 ELSE 2 END,
    a.check_id,
    a.metric,
    a.sector,
    n.agency_name,
    a.period_start DESC,
    a.alert_id;
