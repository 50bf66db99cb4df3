-- Grain: one ops.alerts row per breach, from the night it opens until it resolves. A breach
-- with an open alert refreshes it (warn → fail escalates; an alert never de-escalates while
-- open); a new breach opens one; an open alert with no breach resolves. Run again the same day
-- with the same breaches, this changes nothing. Reads check_breach, core.dim_agency; $now is
-- the run's moment. An agency alert is about coalesce(agency_code, agency_nk): its unit code, or
-- its identity when it has none, as before agency_nk had a column of its own.

-- Alerts kept before ops.alerts.agency_nk existed: an identity written as agency_code moves to
-- agency_nk, and a unit code gets its agency's identity (no unit code is an identity).
UPDATE ops.alerts AS a
SET agency_nk = a.agency_code, agency_code = NULL
WHERE a.agency_nk IS NULL
  AND a.agency_code IN (SELECT agency_nk FROM core.dim_agency);

UPDATE ops.alerts AS a
SET agency_nk = d.agency_nk
FROM (SELECT DISTINCT portal_code, agency_code, agency_nk FROM core.dim_agency) AS d
WHERE a.agency_nk IS NULL
  AND d.portal_code = a.portal_code
  AND d.agency_code = a.agency_code;

CREATE OR REPLACE TEMP TABLE alert_match AS
SELECT a.alert_id, b.*, b.message_vi || chr(10) || b.message_en AS message
FROM check_breach AS b
LEFT JOIN ops.alerts AS a
  ON a.status = 'open'
 AND a.check_id = b.check_id
 AND a.sector IS NOT DISTINCT FROM b.sector
 AND a.scope IS NOT DISTINCT FROM b.scope
 AND a.portal_code IS NOT DISTINCT FROM b.portal_code
 AND a.province_code IS NOT DISTINCT FROM b.province_code
 AND coalesce(a.agency_code, a.agency_nk)
     IS NOT DISTINCT FROM coalesce(b.agency_code, b.agency_nk)
 AND a.subject IS NOT DISTINCT FROM b.subject
 AND a.metric IS NOT DISTINCT FROM b.metric
 AND a.basis IS NOT DISTINCT FROM b.basis
 AND a.period_grain IS NOT DISTINCT FROM b.period_grain
 AND a.period_start IS NOT DISTINCT FROM b.period_start;

UPDATE ops.alerts AS a
SET severity = CASE WHEN a.severity = 'fail' OR m.severity = 'fail' THEN 'fail' ELSE 'warn' END,
    current_value = m.current_value,
    baseline_value = m.baseline_value,
    delta_pp = m.delta_pp,
    delta_pct = m.delta_pct,
    period_covered_to = m.period_covered_to,
    message = m.message,
    message_vi = m.message_vi,
    message_en = m.message_en,
    last_seen_at = CAST($now AS TIMESTAMP)
FROM alert_match AS m
WHERE a.alert_id = m.alert_id
  AND (a.severity <> m.severity AND m.severity = 'fail'
       OR (a.current_value, a.baseline_value, a.period_covered_to, a.message)
          IS DISTINCT FROM (m.current_value, m.baseline_value, m.period_covered_to, m.message)
       OR CAST(a.last_seen_at AS DATE) < CAST($now AS TIMESTAMP)::DATE);

UPDATE ops.alerts
SET status = 'resolved', resolved_at = CAST($now AS TIMESTAMP)
WHERE status = 'open'
  AND alert_id NOT IN (SELECT alert_id FROM alert_match WHERE alert_id IS NOT NULL);

INSERT INTO ops.alerts BY NAME
SELECT
    nextval('ops.alert_id_seq') AS alert_id,
    check_id, severity, 'open' AS status, sector, scope, portal_code, agency_code, agency_nk,
    province_code, subject,
    metric, basis, period_grain, period_start, period_covered_to, baseline_period_start,
    current_value, baseline_value, delta_pp, delta_pct, message, message_vi, message_en,
    CAST($now AS TIMESTAMP) AS first_seen_at,
    CAST($now AS TIMESTAMP) AS last_seen_at
FROM (SELECT * FROM alert_match WHERE alert_id IS NULL ORDER BY ALL);
