-- Grain: mart.kpi_dossier_part, one unit (an agency's field, mart.dossier_unit), measured span
-- (kpi_window) and metric computed from dossiers (basis 'dossiers'), numerator and denominator
-- only (an agency's figures are its fields' added, and the fields are its children when a fall
-- is explained: mart.kpi_parts, 90_kpi.sql).
-- Reads mart.dossier_day, mart.dossier_unit, this refresh's dossier_day_change and
-- dossier_day_recount (00_dossier_days.sql), mart.dossier_month and dossier_month_change
-- (05_dossier_months.sql), core.dim_portal, kpi_window (02_periods.sql).
--
-- Kept, not rebuilt, like the day counts they are made of: every measure is a sum of day counts
-- over a span (flows by the date the metric names, from the period's first day to the span's
-- last; stocks on the span's last day, the sum of the stock's changes up to it), so a night
-- adds to each span it already measured what its own day-count changes add (their parts, by
-- the same rule), and counts in full only the spans that are new (coverage moved: this
-- month, quarter and year to date). Spans no longer measured are dropped. Everything is
-- counted afresh when the day counts are (a recount, an upgrade of 00 or 05), when this file
-- changed ($parts_counted_by is its digest, warehouse/marts.py), and when a portal's `until`
-- changed (its stocks stop at that day).

CREATE TABLE IF NOT EXISTS mart.kpi_dossier_part (
    unit_key     INTEGER NOT NULL,  -- mart.dossier_unit
    period_grain VARCHAR NOT NULL,
    period_start DATE NOT NULL,
    period_end   DATE NOT NULL,
    span_to      DATE NOT NULL,
    metric       VARCHAR NOT NULL,
    numerator    BIGINT NOT NULL,
    denominator  BIGINT NOT NULL
);

-- The spans the parts were counted for, and the portal ends (`until`) their stocks stop at.
CREATE TABLE IF NOT EXISTS mart.kpi_dossier_window (
    period_grain VARCHAR NOT NULL,
    period_start DATE NOT NULL,
    period_end   DATE NOT NULL,
    span_to      DATE NOT NULL
);

CREATE TABLE IF NOT EXISTS mart.kpi_dossier_until (
    portal_code VARCHAR NOT NULL,
    until       DATE NOT NULL
);

CREATE TABLE IF NOT EXISTS mart.kpi_dossier_state (
    counted_by VARCHAR NOT NULL  -- the digest of the SQL that counted the parts
);

-- The parts of `day_table`'s day counts and `month_table`'s month sums (mart.dossier_day and
-- mart.dossier_month, or a night's dossier_day_change and dossier_month_change) on the spans of
-- `window_table`: the one rule for both, so what a night adds is what a count in full would
-- have found. A span is cut at the first day of its last, partial month (`cut`; the day after
-- the span when it ends on a month's last day): the months before the cut come from the month
-- sums, the days from the cut to the span's last day from the day counts. Flows add the months
-- and days from the period's first day; a stock on the span's last day is the sum of every
-- change up to it (the month sums run up per unit, then that month's days). A portal's stock
-- after its `until` day is not known (its open dossiers went to its successor), so it is not
-- counted. Refused and withdrawn dossiers are neither on time nor late, so they never count
-- (00_dossier_days.sql). Parts with nothing on them are left out.
CREATE OR REPLACE TEMP MACRO dossier_parts(day_table, month_table, window_table) AS TABLE
WITH span AS (
    SELECT *, date_trunc('month', span_to + INTERVAL 1 DAY)::DATE AS cut
    FROM query_table(window_table)
),
month_rows AS (
    SELECT * FROM query_table(month_table)
    WHERE month < (SELECT max(cut) FROM span)
),
day_rows AS (  -- only the days of the spans' last months are read
    SELECT d.*
    FROM query_table(day_table) AS d
    SEMI JOIN (
        SELECT DISTINCT unnest(generate_series(cut, span_to, INTERVAL 1 DAY))::DATE AS day
        FROM span
    ) AS wanted USING (day)
),
flows AS (
    SELECT period_grain, period_start, period_end, span_to, unit_key,
           sum(resolved) AS resolved, sum(resolved_in_time) AS resolved_in_time,
           sum(e_result) AS e_result, sum(rated) AS rated, sum(satisfied) AS satisfied,
           sum(received) AS received, sum(received_online) AS received_online,
           sum(digitized) AS digitized, sum(with_fee) AS with_fee, sum(paid_online) AS paid_online
    FROM (
        SELECT w.*, m.* EXCLUDE (month)
        FROM month_rows AS m
        JOIN span AS w ON m.month >= w.period_start AND m.month < w.cut
        UNION ALL BY NAME
        SELECT w.*, d.* EXCLUDE (day)
        FROM day_rows AS d
        JOIN span AS w ON d.day >= w.cut AND d.day <= w.span_to
    )
    GROUP BY ALL
    -- a change may move one measure and not another: any non-zero one counts
    HAVING sum(resolved) <> 0 OR sum(resolved_in_time) <> 0 OR sum(e_result) <> 0
        OR sum(rated) <> 0 OR sum(satisfied) <> 0 OR sum(received) <> 0
        OR sum(received_online) <> 0 OR sum(digitized) <> 0 OR sum(with_fee) <> 0
        OR sum(paid_online) <> 0
),
cut_day AS (SELECT DISTINCT cut, span_to FROM span),
cuts AS (SELECT DISTINCT cut FROM span),
month_by_cut AS (  -- each month's stock change, added to the first cut after the month
    SELECT m.unit_key, c.cut,
           sum(m.stock_change) AS stock_change, sum(m.in_time_change) AS in_time_change,
           sum(m.overdue_change) AS overdue_change
    FROM month_rows AS m
    ASOF JOIN cuts AS c ON m.month < c.cut
    WHERE m.stock_change <> 0 OR m.in_time_change <> 0 OR m.overdue_change <> 0
    GROUP BY ALL
),
month_stock AS (  -- every unit's stock at every cut: the months before it, run up per unit
    SELECT u.unit_key, c.cut,
           sum(coalesce(b.stock_change, 0)) OVER w AS unresolved,
           sum(coalesce(b.in_time_change, 0)) OVER w AS unresolved_in_time,
           sum(coalesce(b.overdue_change, 0)) OVER w AS unresolved_overdue
    FROM (SELECT DISTINCT unit_key FROM month_by_cut) AS u
    CROSS JOIN cuts AS c
    LEFT JOIN month_by_cut AS b USING (unit_key, cut)
    WINDOW w AS (PARTITION BY u.unit_key ORDER BY c.cut
                 ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
),
running AS (  -- the stock on each span's last day: the months before its cut, then its days
    SELECT unit_key, span_to AS day,
           sum(unresolved) AS unresolved, sum(unresolved_in_time) AS unresolved_in_time,
           sum(unresolved_overdue) AS unresolved_overdue
    FROM (
        SELECT m.unit_key, c.span_to, m.unresolved, m.unresolved_in_time, m.unresolved_overdue
        FROM month_stock AS m
        JOIN cut_day AS c USING (cut)
        UNION ALL
        SELECT d.unit_key, c.span_to, d.stock_change, d.in_time_change, d.overdue_change
        FROM day_rows AS d
        JOIN cut_day AS c ON d.day >= c.cut AND d.day <= c.span_to
    )
    GROUP BY ALL
),
stocks AS (
    SELECT w.period_grain, w.period_start, w.period_end, w.span_to, r.unit_key,
           r.unresolved, r.unresolved_in_time, r.unresolved_overdue
    FROM running AS r
    JOIN span AS w ON w.span_to = r.day
    JOIN mart.dossier_unit AS u USING (unit_key)
    LEFT JOIN core.dim_portal AS o ON o.portal_code = u.portal_code
    WHERE (r.unresolved <> 0 OR r.unresolved_in_time <> 0 OR r.unresolved_overdue <> 0)
      AND (o.until IS NULL OR r.day <= o.until)
),
both_ AS (
    SELECT *
    FROM flows
    FULL OUTER JOIN stocks USING (period_grain, period_start, period_end, span_to, unit_key)
)
SELECT b.unit_key, b.period_grain, b.period_start, b.period_end, b.span_to, m.metric,
       coalesce(m.numerator, 0)::BIGINT AS numerator,
       coalesce(m.denominator, 0)::BIGINT AS denominator
FROM both_ AS b,
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
WHERE coalesce(m.numerator, 0) <> 0 OR coalesce(m.denominator, 0) <> 0;

-- Count every span afresh when the day counts were, when other SQL counted the parts, or when
-- a portal's end moved.
CREATE OR REPLACE TEMP TABLE kpi_dossier_recount AS
SELECT (SELECT recount FROM dossier_day_recount)
       OR NOT EXISTS (SELECT 1 FROM mart.kpi_dossier_state WHERE counted_by = $parts_counted_by)
       OR EXISTS (
           (SELECT portal_code, until FROM core.dim_portal WHERE until IS NOT NULL
            EXCEPT SELECT portal_code, until FROM mart.kpi_dossier_until)
           UNION ALL
           (SELECT portal_code, until FROM mart.kpi_dossier_until
            EXCEPT SELECT portal_code, until FROM core.dim_portal WHERE until IS NOT NULL)
       ) AS recount;

DELETE FROM mart.kpi_dossier_part WHERE (SELECT recount FROM kpi_dossier_recount);
DELETE FROM mart.kpi_dossier_window WHERE (SELECT recount FROM kpi_dossier_recount);

-- Spans measured before and still measured (they take the night's change), and new ones.
CREATE OR REPLACE TEMP TABLE kpi_window_kept AS
SELECT period_grain, period_start, period_end, span_to FROM kpi_window
INTERSECT
SELECT period_grain, period_start, period_end, span_to FROM mart.kpi_dossier_window;

CREATE OR REPLACE TEMP TABLE kpi_window_new AS
SELECT period_grain, period_start, period_end, span_to FROM kpi_window
EXCEPT
SELECT period_grain, period_start, period_end, span_to FROM kpi_window_kept;

DELETE FROM mart.kpi_dossier_part AS p
WHERE NOT EXISTS (
    SELECT 1 FROM kpi_window_kept AS w
    WHERE w.period_grain = p.period_grain AND w.period_start = p.period_start
      AND w.span_to = p.span_to
);

-- The night's change on the kept spans, added to their parts as dossier_day takes its own
-- (00_dossier_days.sql): the parts it touches are taken out, summed with it and put back unless
-- nothing is left on them.
CREATE OR REPLACE TEMP TABLE kpi_dossier_part_change AS
FROM dossier_parts('dossier_day_change', 'dossier_month_change', 'kpi_window_kept');

CREATE OR REPLACE TEMP TABLE kpi_dossier_part_merged AS
SELECT unit_key, period_grain, period_start, period_end, span_to, metric,
       sum(numerator)::BIGINT AS numerator, sum(denominator)::BIGINT AS denominator
FROM (
    SELECT p.* FROM mart.kpi_dossier_part AS p
    SEMI JOIN kpi_dossier_part_change AS c
        USING (unit_key, period_grain, period_start, span_to, metric)
    UNION ALL BY NAME
    SELECT * FROM kpi_dossier_part_change
)
GROUP BY ALL;

DELETE FROM mart.kpi_dossier_part AS p
USING kpi_dossier_part_change AS c
WHERE p.unit_key = c.unit_key AND p.period_grain = c.period_grain
  AND p.period_start = c.period_start AND p.span_to = c.span_to AND p.metric = c.metric;

-- New spans, counted in full from the kept day counts (a constant: with none, nothing is read).
SET VARIABLE kpi_window_any_new = (SELECT count(*) > 0 FROM kpi_window_new);

INSERT INTO mart.kpi_dossier_part BY NAME
SELECT * FROM kpi_dossier_part_merged
WHERE numerator <> 0 OR denominator <> 0
UNION ALL BY NAME
SELECT * FROM dossier_parts('mart.dossier_day', 'mart.dossier_month', 'kpi_window_new')
WHERE getvariable('kpi_window_any_new');

DELETE FROM mart.kpi_dossier_window;
INSERT INTO mart.kpi_dossier_window BY NAME
SELECT period_grain, period_start, period_end, span_to FROM kpi_window;

DELETE FROM mart.kpi_dossier_state;
INSERT INTO mart.kpi_dossier_state VALUES ($parts_counted_by);

DELETE FROM mart.kpi_dossier_until;
INSERT INTO mart.kpi_dossier_until BY NAME
SELECT portal_code, until FROM core.dim_portal WHERE until IS NOT NULL;
