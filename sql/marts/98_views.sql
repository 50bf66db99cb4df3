-- Grain: the views for the questions people ask (README "Ask the warehouse"), each over
-- the marts just rebuilt: mart.indicators, one unit, basis and period with one column per
-- indicator and its names; mart.province_ranking, one of today's provinces, rate, basis and
-- fully covered period with its rank; mart.overdue_now, one agency's unresolved dossiers on the
-- last day its portal's data covers; mart.open_alerts, one open alert in words.
-- Reads mart.kpi, mart.agency, mart.coverage, core.fact_dossier, core.dim_portal, ops.alerts.
CREATE OR REPLACE VIEW mart.indicators AS
SELECT k.sector, k.scope, k.portal_code, p.portal_name, k.province_code, k.province_name,
       k.agency_nk, k.agency_code, k.agency_name, k.basis, k.period_grain, k.period_start,
       k.period_end,
       max(k.covered_to) AS covered_to,
       bool_and(k.covered_from = k.period_start AND k.covered_to = k.period_end) AS whole_period,
       max(k.value) FILTER (WHERE k.metric = 'on_time_rate') AS on_time_rate,
       max(k.value) FILTER (WHERE k.metric = 'on_time_rate_766') AS on_time_rate_766,
       max(k.value) FILTER (WHERE k.metric = 'online_rate') AS online_rate,
       max(k.value) FILTER (WHERE k.metric = 'digitized_rate') AS digitized_rate,
       max(k.value) FILTER (WHERE k.metric = 'e_result_rate') AS e_result_rate,
       max(k.value) FILTER (WHERE k.metric = 'online_payment_rate') AS online_payment_rate,
       max(k.value) FILTER (WHERE k.metric = 'satisfaction_rate') AS satisfaction_rate,
       max(k.value) FILTER (WHERE k.metric = 'overdue_pending_rate') AS overdue_pending_rate,
       max(k.value) FILTER (WHERE k.metric = 'full_process_share') AS full_process_share,
       max(k.value) FILTER (WHERE k.metric = 'services_used_rate') AS services_used_rate,
       max(k.denominator) FILTER (WHERE k.metric = 'on_time_rate') AS resolved
FROM mart.kpi AS k
LEFT JOIN core.dim_portal AS p ON p.portal_code = k.portal_code
GROUP BY ALL;

-- Higher is better for every rate ranked here; the overdue share (lower is better) is left out.
CREATE OR REPLACE VIEW mart.province_ranking AS
SELECT province_code, province_name, metric, basis, period_grain, period_start, period_end,
       numerator, denominator, value,
       rank() OVER w AS rank,
       count(*) OVER (PARTITION BY metric, basis, period_grain, period_start) AS ranked
FROM mart.kpi
WHERE scope = 'province' AND value IS NOT NULL AND metric <> 'overdue_pending_rate'
  AND covered_from = period_start AND covered_to = period_end
WINDOW w AS (PARTITION BY metric, basis, period_grain, period_start ORDER BY value DESC);

-- "Now" is the last day the portal's dossiers cover (mart.coverage), never the clock: a portal
-- whose exports lag shows its backlog as of its data. A portal that ended (`until`) handed its
-- open dossiers over and shows none.
CREATE OR REPLACE VIEW mart.overdue_now AS
WITH now_ AS (
    SELECT portal_code, covered_to AS as_of FROM mart.coverage WHERE basis = 'dossiers'
)
SELECT f.portal_code, p.portal_name, a.agency_nk, a.agency_code, a.agency_name, n.as_of,
       count(*) AS unresolved,
       count(*) FILTER (WHERE f.due_at::DATE < n.as_of) AS overdue,
       min(f.due_at) FILTER (WHERE f.due_at::DATE < n.as_of) AS oldest_due
FROM core.fact_dossier AS f
JOIN mart.agency AS a USING (agency_key)
JOIN now_ AS n ON n.portal_code = f.portal_code
LEFT JOIN core.dim_portal AS p ON p.portal_code = f.portal_code
WHERE f.status IN ('pending', 'suspended') AND f.received_at::DATE <= n.as_of
  AND p.until IS NULL
GROUP BY ALL;

CREATE OR REPLACE VIEW mart.open_alerts AS
SELECT a.alert_id, a.severity, a.check_id, a.sector, a.scope, a.portal_code, p.portal_name,
       a.province_code, a.metric, a.basis, a.period_grain, a.period_start,
       a.period_covered_to, a.baseline_value, a.current_value, a.delta_pp, a.message_vi,
       a.message_en, a.first_seen_at, a.last_seen_at
FROM ops.alerts AS a
LEFT JOIN core.dim_portal AS p ON p.portal_code = a.portal_code
WHERE a.status = 'open';
