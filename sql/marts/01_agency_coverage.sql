-- Grain: mart.agency, one row per agency version with its current name and today's province
-- (mart.agency_current: one row per agency, its latest version's); mart.coverage, one row per
-- portal and basis with the first and last day its loaded data speaks for. Reads
-- core.dim_agency, mart.dossier_day and mart.dossier_unit (00_dossier_days.sql),
-- core.fact_report, core.fact_service, ops.stated_days() (sql/schema/01_ops.sql).

-- Current identity of every agency (its latest version), for naming and grouping; its province
-- is today's (one of the 34), so history pools into the province it belongs to now.
CREATE OR REPLACE TABLE mart.agency AS
SELECT agency_key, agency_nk, portal_code, sector,
       last_value(agency_code) OVER w AS agency_code,
       last_value(agency_name) OVER w AS agency_name,
       last_value(province_code) OVER w AS province_code
FROM core.dim_agency
WINDOW w AS (PARTITION BY agency_nk ORDER BY valid_from
             ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING);

-- One row per agency, its latest version's: what the indicators' parts are named and pooled by
-- (90_kpi.sql), and the causes of a fall with them (sql/causes/contributions.sql).
CREATE OR REPLACE VIEW mart.agency_current AS
SELECT DISTINCT ON (agency_nk) * FROM mart.agency ORDER BY agency_nk, agency_key DESC;

-- Per portal, the first and last day any dossier was received, completed or returned on, and
-- the first and last day one was received on (the coverage of services used, below).
CREATE OR REPLACE TEMP TABLE portal_dossier_days AS
SELECT u.portal_code, min(d.day) AS first_event, max(d.day) AS last_event,
       min(d.day) FILTER (WHERE d.received > 0) AS first_receipt,
       max(d.day) FILTER (WHERE d.received > 0) AS last_receipt
FROM mart.dossier_day AS d
JOIN mart.dossier_unit AS u USING (unit_key)
WHERE d.received > 0 OR d.completed_any > 0 OR d.returned_any > 0
GROUP BY ALL;

-- Coverage (docs/warehouse.md "Coverage"), never the load time:
--   dossiers: from the first to the last event date (received, completed, returned), or to the
--     export date a file states (`cchc ingest --exported-on`) when that is later.
--   report: from the first to the last day of the report periods loaded.
--   catalogue: from the earliest Ngày áp dụng it states to its latest snapshot (the file's
--     stated export date, else the day it was fetched).
CREATE OR REPLACE TABLE mart.coverage AS
WITH stated AS (FROM ops.stated_days()),
reports AS (
    SELECT portal_code, min(period_from) AS covered_from, max(period_to) AS covered_to
    FROM core.fact_report
    GROUP BY ALL
),
catalogue AS (
    SELECT portal_code, min(valid_from) AS covered_from
    FROM core.fact_service
    GROUP BY ALL
)
SELECT d.portal_code, 'dossiers' AS basis, d.first_event AS covered_from,
       greatest(d.last_event, s.exported_on) AS covered_to
FROM portal_dossier_days AS d
LEFT JOIN stated AS s ON s.portal_code = d.portal_code AND s.kind = 'dossiers'
UNION ALL
SELECT portal_code, 'report', covered_from, covered_to FROM reports
UNION ALL
SELECT c.portal_code, 'catalogue', c.covered_from, greatest(c.covered_from, s.snapshot_on)
FROM catalogue AS c
LEFT JOIN stated AS s ON s.portal_code = c.portal_code AND s.kind = 'catalogue'
ORDER BY portal_code, basis;

-- The spans the indicators are measured on, per portal and coverage key: the coverage above
-- (reached_from, reached_to) and the same stretched over the days off (weekends, public
-- holidays) just before it starts and just after it ends, when nothing is received, so an
-- export that ends on a Friday covers its month (span_from, span_to). A period is measured
-- only where the coverage itself reaches it. Key `catalogue_use` (services_used_rate) needs
-- both the catalogue and dossiers received: completions after the last receipt say nothing of
-- which services were used, so its span ends with the last receipt (or the stated export date).
-- The coverage an indicator is measured on: its basis', except services_used_rate's.
CREATE OR REPLACE MACRO mart.coverage_key(metric, basis) AS
    CASE WHEN metric = 'services_used_rate' THEN 'catalogue_use' ELSE basis END;

CREATE OR REPLACE TEMP MACRO stretched_back(day) AS coalesce(
    (SELECT max(w.date) FROM core.dim_date AS w WHERE w.is_working_day AND w.date < day) + 1, day
);

CREATE OR REPLACE TEMP MACRO stretched_on(day) AS coalesce(
    (SELECT min(w.date) FROM core.dim_date AS w WHERE w.is_working_day AND w.date > day) - 1, day
);

CREATE OR REPLACE TEMP TABLE coverage_span AS
WITH stretched AS (
    SELECT portal_code, basis AS coverage_key, covered_from AS reached_from,
           covered_to AS reached_to, stretched_back(covered_from) AS span_from,
           stretched_on(covered_to) AS span_to
    FROM mart.coverage
),
receipts AS (
    SELECT r.portal_code, r.first_receipt AS reached_from,
           greatest(r.last_receipt, s.exported_on) AS reached_to,
           stretched_back(r.first_receipt) AS span_from,
           stretched_on(greatest(r.last_receipt, s.exported_on)) AS span_to
    FROM portal_dossier_days AS r
    LEFT JOIN ops.stated_days() AS s ON s.portal_code = r.portal_code AND s.kind = 'dossiers'
    WHERE r.first_receipt IS NOT NULL
)
SELECT * FROM stretched
UNION ALL
SELECT c.portal_code, 'catalogue_use',
       greatest(c.reached_from, d.reached_from), least(c.reached_to, d.reached_to),
       greatest(c.span_from, d.span_from), least(c.span_to, d.span_to)
FROM stretched AS c
JOIN receipts AS d USING (portal_code)
WHERE c.coverage_key = 'catalogue'
  AND greatest(c.reached_from, d.reached_from) <= least(c.reached_to, d.reached_to);
