-- Grain: kpi_field_dossiers, one agency, field (its procedures' lĩnh vực; '' when a procedure
-- has none), measured span (kpi_window) and metric computed from dossiers (basis 'dossiers'),
-- numerator and denominator only; an agency's figures are its fields' added (90_kpi.sql), and
-- the fields are its children when a fall is explained. Reads mart.dossier_day and
-- mart.dossier_unit (00_dossier_days.sql), core.dim_portal, kpi_window. Flow counts are taken by
-- the date the metric names (completed_at or received_at) from the period's first day to the
-- span's last; stocks on the span's last day. Everything is counted by unit_key (an agency's
-- field), and named only at the end.
-- Whole periods add whole months; a span that ends inside a period adds its days.
CREATE OR REPLACE TEMP TABLE kpi_dossier_flows AS
WITH flow_days AS (  -- read in place: a copy of ~750,000 day rows cost more than both reads
    SELECT unit_key, day,
           resolved, resolved_in_time, e_result, rated, satisfied,
           received, received_online, digitized, with_fee, paid_online
    FROM mart.dossier_day
    WHERE received <> 0 OR resolved <> 0
),
months AS (
    SELECT unit_key, date_trunc('month', day)::DATE AS month,
           sum(resolved) AS resolved, sum(resolved_in_time) AS resolved_in_time,
           sum(e_result) AS e_result, sum(rated) AS rated, sum(satisfied) AS satisfied,
           sum(received) AS received, sum(received_online) AS received_online,
           sum(digitized) AS digitized, sum(with_fee) AS with_fee, sum(paid_online) AS paid_online
    FROM flow_days
    GROUP BY ALL
),
counted AS (
    SELECT w.*, m.* EXCLUDE (month)
    FROM months AS m
    JOIN kpi_window AS w
      ON w.span_to = w.period_end AND m.month BETWEEN w.period_start AND w.period_end
    UNION ALL BY NAME
    SELECT w.*, d.* EXCLUDE (day)
    FROM flow_days AS d
    JOIN kpi_window AS w
      ON w.span_to < w.period_end AND d.day BETWEEN w.period_start AND w.span_to
)
SELECT period_grain, period_start, period_end, span_to, unit_key,
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
FROM counted
GROUP BY ALL;

-- Unresolved on each span's last day: received by then, not completed by then; refused and
-- withdrawn dossiers are neither on time nor late, so they never count. The stock on a day is
-- the sum of its changes up to that day (00_dossier_days.sql). Only the spans' last days are
-- asked for, a few dozen: each day's change is added to the first of them on or after it, and
-- those sums are run up per unit, instead of running a sum over every day that changed. A
-- portal's stock after its `until` day is not known (its open dossiers went to its successor),
-- so it is not counted.
CREATE OR REPLACE TEMP TABLE kpi_dossier_stocks AS
WITH stock_day AS (SELECT DISTINCT span_to AS day FROM kpi_window),
by_stock_day AS (
    SELECT d.unit_key, s.day,
           sum(d.stock_change) AS stock_change, sum(d.in_time_change) AS in_time_change,
           sum(d.overdue_change) AS overdue_change
    FROM mart.dossier_day AS d
    ASOF JOIN stock_day AS s ON d.day <= s.day  -- the first stock day on or after the change
    WHERE d.stock_change <> 0 OR d.in_time_change <> 0 OR d.overdue_change <> 0
    GROUP BY ALL
),
running AS (  -- every unit on every stock day, its changes up to that day added up
    SELECT u.unit_key, s.day,
           sum(coalesce(c.stock_change, 0)) OVER w AS unresolved,
           sum(coalesce(c.in_time_change, 0)) OVER w AS unresolved_in_time,
           sum(coalesce(c.overdue_change, 0)) OVER w AS unresolved_overdue
    FROM (SELECT DISTINCT unit_key FROM by_stock_day) AS u
    CROSS JOIN stock_day AS s
    LEFT JOIN by_stock_day AS c USING (unit_key, day)
    WINDOW w AS (PARTITION BY u.unit_key ORDER BY s.day
                 ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
)
SELECT r.unit_key, r.day, r.unresolved, r.unresolved_in_time, r.unresolved_overdue
FROM running AS r
JOIN mart.dossier_unit AS u USING (unit_key)
LEFT JOIN core.dim_portal AS o ON o.portal_code = u.portal_code
WHERE r.unresolved > 0
  AND (o.until IS NULL OR r.day <= o.until);

CREATE OR REPLACE TEMP TABLE kpi_field_dossiers AS
WITH stocks AS (
    SELECT w.period_grain, w.period_start, w.period_end, w.span_to, s.unit_key,
           s.unresolved, s.unresolved_in_time, s.unresolved_overdue
    FROM kpi_dossier_stocks AS s
    JOIN kpi_window AS w ON w.span_to = s.day
),
both_ AS (
    SELECT *
    FROM kpi_dossier_flows
    FULL OUTER JOIN stocks
        USING (period_grain, period_start, period_end, span_to, unit_key)
)
SELECT u.agency_nk, u.field_name, b.period_grain, b.period_start, b.period_end, b.span_to,
       m.metric, m.numerator, m.denominator
FROM both_ AS b
JOIN mart.dossier_unit AS u USING (unit_key),
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
