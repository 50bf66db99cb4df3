-- Grain: one agency, period and metric computed from dossiers (basis 'dossiers'), numerator and
-- denominator only. Reads core.fact_dossier, mart.agency, mart.period. Flow counts are taken by
-- the date the metric names (completed_at or received_at); stocks at each period's last day.
CREATE OR REPLACE TEMP TABLE kpi_dossier_flows AS
WITH d AS (
    SELECT a.agency_nk, f.*
    FROM core.fact_dossier AS f JOIN mart.agency AS a USING (agency_key)
),
by_completion AS (
    SELECT agency_nk, date_trunc('month', completed_at)::DATE AS month,
           count(*) AS resolved,
           count(*) FILTER (WHERE outcome IN ('early', 'on_time')) AS resolved_in_time,
           count(*) FILTER (WHERE e_result) AS e_result,
           count(satisfaction) AS rated,
           count(*) FILTER (WHERE satisfaction IN ('Rất hài lòng', 'Hài lòng')) AS satisfied
    FROM d WHERE status = 'resolved'
    GROUP BY ALL
),
by_receipt AS (
    SELECT agency_nk, date_trunc('month', received_at)::DATE AS month,
           count(*) AS received,
           count(*) FILTER (WHERE channel = 'online') AS received_online,
           count(*) FILTER (WHERE digitized) AS digitized,
           count(paid_online) AS with_fee,
           count(*) FILTER (WHERE paid_online) AS paid_online
    FROM d
    GROUP BY ALL
)
SELECT *
FROM by_completion FULL OUTER JOIN by_receipt USING (agency_nk, month);

-- Unresolved at the end of each month: received by then, not completed by then; refused and
-- withdrawn dossiers are neither on time nor late, so they never count.
CREATE OR REPLACE TEMP TABLE kpi_dossier_stocks AS
SELECT a.agency_nk, p.period_start AS month,
       count(*) AS unresolved,
       count(*) FILTER (WHERE f.due_at::DATE >= p.period_end) AS unresolved_in_time,
       count(*) FILTER (WHERE f.due_at::DATE < p.period_end) AS unresolved_overdue
FROM core.fact_dossier AS f
JOIN mart.agency AS a USING (agency_key)
JOIN mart.period AS p
  ON p.period_grain = 'month'
 AND f.received_at::DATE <= p.period_end
 AND (f.completed_at IS NULL OR f.completed_at::DATE > p.period_end)
WHERE f.status IN ('resolved', 'pending', 'suspended')
GROUP BY ALL;

CREATE OR REPLACE TEMP TABLE kpi_agency_dossiers AS
WITH flows AS (
    SELECT p.period_grain, p.period_start, p.period_end, f.agency_nk,
           sum(coalesce(resolved, 0)) AS resolved,
           sum(coalesce(resolved_in_time, 0)) AS resolved_in_time,
           sum(coalesce(e_result, 0)) AS e_result,
           sum(coalesce(rated, 0)) AS rated,
           sum(coalesce(satisfied, 0)) AS satisfied,
           sum(coalesce(received, 0)) AS received,
           sum(coalesce(received_online, 0)) AS received_online,
           sum(coalesce(digitized, 0)) AS digitized,
           sum(coalesce(with_fee, 0)) AS with_fee,
           sum(coalesce(paid_online, 0)) AS paid_online
    FROM kpi_dossier_flows AS f
    JOIN mart.period AS p ON f.month BETWEEN p.period_start AND p.period_end
    GROUP BY ALL
),
stocks AS (  -- a quarter's or year's stock is the stock at its last month's end
    SELECT p.period_grain, p.period_start, p.period_end, s.agency_nk,
           s.unresolved, s.unresolved_in_time, s.unresolved_overdue
    FROM kpi_dossier_stocks AS s
    JOIN mart.period AS p ON date_trunc('month', p.period_end) = s.month
),
both_ AS (
    SELECT *
    FROM flows FULL OUTER JOIN stocks USING (period_grain, period_start, period_end, agency_nk)
)
SELECT agency_nk, period_grain, period_start, period_end, metric, numerator, denominator
FROM both_,
LATERAL (VALUES
    ('on_time_rate', resolved_in_time, resolved),
    ('on_time_rate_766',
        coalesce(resolved_in_time, 0) + coalesce(unresolved_in_time, 0),
        coalesce(resolved, 0) + coalesce(unresolved, 0)),
    ('online_rate', received_online, received),
    ('digitized_rate', digitized, received),
    ('e_result_rate', e_result, resolved),
    ('online_payment_rate', paid_online, with_fee),
    ('satisfaction_rate', satisfied, rated),
    ('overdue_pending_rate', unresolved_overdue, unresolved)
) AS m(metric, numerator, denominator)
WHERE denominator > 0;
