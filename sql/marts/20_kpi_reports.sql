-- Grain: kpi_field_reports, one agency, field ('' for a whole-agency row), period and metric
-- computed from report tables (basis 'report'), numerator and denominator only (an agency's
-- figures are its fields' added). Reads core.fact_report, mart.agency, mart.period,
-- core.dim_portal.
-- A report counts toward the calendar period of its own length that contains its end date
-- (the cut-off quarter 15/12/2022–14/03/2023 is Q1 2023). Per period and agency, reports of
-- exactly that length are used when there are any, else the agency's tiled values of the next
-- finer length inside it (quarters, then months), so no report counts twice. Flow counts are
-- added; the pending stock of a tiled period is the one of the agency's last sub-period (a field
-- that did not report in it holds none), so the fields add up to the agency.
CREATE OR REPLACE TEMP TABLE kpi_report_native AS
WITH rows_ AS (
    SELECT a.agency_nk, r.*,
           CASE
               WHEN r.period_to - r.period_from + 1 BETWEEN 28 AND 31 THEN 'month'
               WHEN r.period_to - r.period_from + 1 BETWEEN 89 AND 92 THEN 'quarter'
               WHEN r.period_to - r.period_from + 1 BETWEEN 365 AND 366 THEN 'year'
           END AS native_grain
    FROM core.fact_report AS r JOIN mart.agency AS a USING (agency_key)
),
placed AS (
    SELECT *, date_trunc(native_grain, period_to)::DATE AS native_start
    FROM rows_ WHERE native_grain IS NOT NULL
),
-- an agency's whole-agency row wins over its per-field rows for the same period
agency_level AS (
    SELECT p.*
    FROM placed AS p
    WHERE p.field_name IS NULL
       OR NOT EXISTS (
           SELECT 1 FROM placed AS w
           WHERE w.field_name IS NULL AND w.agency_nk = p.agency_nk
             AND w.native_grain = p.native_grain AND w.native_start = p.native_start
       )
)
SELECT agency_nk, coalesce(field_name, '') AS field_name, native_grain AS period_grain,
       native_start AS period_start,
       sum(received_online) AS received_online, sum(received_offline) AS received_offline,
       sum(resolved_total) AS resolved_total, sum(resolved_early) AS resolved_early,
       sum(resolved_on_time) AS resolved_on_time, sum(resolved_late) AS resolved_late,
       sum(pending_total) AS pending_total, sum(pending_in_time) AS pending_in_time,
       sum(pending_overdue) AS pending_overdue
FROM agency_level
GROUP BY ALL;

CREATE OR REPLACE TEMP TABLE kpi_report_month AS
SELECT * FROM kpi_report_native WHERE period_grain = 'month';

-- One tiling step: an agency's `coarser` periods from its own reports of that length, else from
-- its tiled `finer` periods inside them (flows added, the pending stock of its last sub-period).
CREATE OR REPLACE TEMP MACRO kpi_report_tiled(finer, coarser) AS TABLE
WITH finer_rows AS (
    SELECT *, date_trunc(coarser, period_start)::DATE AS coarser_start,
           max(period_start) OVER (PARTITION BY agency_nk, date_trunc(coarser, period_start))
               AS last_start
    FROM query_table(finer)
),
from_finer AS (
    SELECT agency_nk, field_name, coarser AS period_grain, coarser_start AS period_start,
           sum(received_online) AS received_online, sum(received_offline) AS received_offline,
           sum(resolved_total) AS resolved_total, sum(resolved_early) AS resolved_early,
           sum(resolved_on_time) AS resolved_on_time, sum(resolved_late) AS resolved_late,
           sum(pending_total) FILTER (WHERE period_start = last_start) AS pending_total,
           sum(pending_in_time) FILTER (WHERE period_start = last_start) AS pending_in_time,
           sum(pending_overdue) FILTER (WHERE period_start = last_start) AS pending_overdue
    FROM finer_rows
    GROUP BY ALL
),
own AS (SELECT * FROM kpi_report_native WHERE period_grain = coarser)
SELECT * FROM own
UNION ALL BY NAME
SELECT f.* FROM from_finer AS f
ANTI JOIN (SELECT DISTINCT agency_nk, period_start FROM own) AS o USING (agency_nk, period_start);

CREATE OR REPLACE TEMP TABLE kpi_report_quarter AS
SELECT * FROM kpi_report_tiled('kpi_report_month', 'quarter');

CREATE OR REPLACE TEMP TABLE kpi_report_year AS
SELECT * FROM kpi_report_tiled('kpi_report_quarter', 'year');

-- A portal's stock at the end of a period after its `until` day is not known: its open
-- dossiers went to its successor, which reports them (counting the June stock of a portal
-- merged away in the year 2025 would count the same dossiers twice). Its flows still count.
CREATE OR REPLACE TEMP TABLE kpi_field_reports AS
WITH tiled AS (
    SELECT * FROM kpi_report_month
    UNION ALL BY NAME SELECT * FROM kpi_report_quarter
    UNION ALL BY NAME SELECT * FROM kpi_report_year
),
ended AS (
    SELECT DISTINCT a.agency_nk, o.until
    FROM mart.agency AS a JOIN core.dim_portal AS o USING (portal_code)
    WHERE o.until IS NOT NULL
),
stocked AS (
    SELECT t.* REPLACE (
               CASE WHEN e.until < p.period_end THEN NULL ELSE t.pending_total END
                   AS pending_total,
               CASE WHEN e.until < p.period_end THEN NULL ELSE t.pending_in_time END
                   AS pending_in_time,
               CASE WHEN e.until < p.period_end THEN NULL ELSE t.pending_overdue END
                   AS pending_overdue),
           p.period_end
    FROM tiled AS t
    JOIN mart.period AS p USING (period_grain, period_start)
    LEFT JOIN ended AS e USING (agency_nk)
)
SELECT t.agency_nk, t.field_name, t.period_grain, t.period_start, t.period_end,
       t.period_end AS span_to, m.metric, m.numerator, m.denominator
FROM stocked AS t,
LATERAL (VALUES
    ('on_time_rate', t.resolved_early + t.resolved_on_time, t.resolved_total),
    ('on_time_rate_766',
        t.resolved_early + t.resolved_on_time + coalesce(t.pending_in_time, 0),
        t.resolved_total + coalesce(t.pending_total, 0)),
    ('online_rate', t.received_online, t.received_online + t.received_offline),
    ('overdue_pending_rate', t.pending_overdue, t.pending_total)
) AS m(metric, numerator, denominator)
WHERE m.denominator > 0;
