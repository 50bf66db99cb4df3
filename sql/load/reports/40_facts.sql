-- Grain: one agency, field and period. A revised row (other counts) replaces the current one,
-- which moves to core.fact_report_history; the latest file wins.
CREATE OR REPLACE TEMP TABLE report_changed AS
WITH version AS (
    SELECT
        ctx.portal_code,
        k.agency_key,
        s.agency_nk,
        s.field_name,
        s.period_from,
        s.period_to,
        s.received_total, s.carried_over, s.received_online, s.received_offline,
        s.resolved_total, s.resolved_early, s.resolved_on_time, s.resolved_late,
        s.pending_total, s.pending_in_time, s.pending_overdue,
        ctx.file_id,
        s.source_row
    FROM stage_report AS s
    CROSS JOIN load_context AS ctx
    JOIN stage_agency_key AS k USING (agency_nk)
),
current AS (
    SELECT r.*, a.agency_nk
    FROM core.fact_report AS r
    JOIN core.dim_agency AS a USING (agency_key)
)
SELECT v.*, cur.agency_key AS replaced_agency_key
FROM version AS v
LEFT JOIN current AS cur
    ON cur.portal_code = v.portal_code
   AND cur.agency_nk = v.agency_nk
   AND cur.field_name IS NOT DISTINCT FROM v.field_name
   AND cur.period_from = v.period_from
   AND cur.period_to = v.period_to
WHERE cur.agency_key IS NULL
   OR (v.agency_key, v.received_total, v.carried_over, v.received_online, v.received_offline,
       v.resolved_total, v.resolved_early, v.resolved_on_time, v.resolved_late,
       v.pending_total, v.pending_in_time, v.pending_overdue)
      IS DISTINCT FROM
      (cur.agency_key, cur.received_total, cur.carried_over, cur.received_online,
       cur.received_offline, cur.resolved_total, cur.resolved_early, cur.resolved_on_time,
       cur.resolved_late, cur.pending_total, cur.pending_in_time, cur.pending_overdue);

INSERT INTO core.fact_report_history BY NAME
SELECT cur.*, ctx.loaded_at AS superseded_at, ctx.file_id AS superseded_by_file
FROM core.fact_report AS cur
JOIN report_changed AS ch
    ON cur.portal_code = ch.portal_code
   AND cur.agency_key = ch.replaced_agency_key
   AND cur.field_name IS NOT DISTINCT FROM ch.field_name
   AND cur.period_from = ch.period_from
   AND cur.period_to = ch.period_to
CROSS JOIN load_context AS ctx;

DELETE FROM core.fact_report AS cur
USING report_changed AS ch
WHERE cur.portal_code = ch.portal_code
  AND cur.agency_key = ch.replaced_agency_key
  AND cur.field_name IS NOT DISTINCT FROM ch.field_name
  AND cur.period_from = ch.period_from
  AND cur.period_to = ch.period_to;

INSERT INTO core.fact_report BY NAME
SELECT * EXCLUDE (agency_nk, replaced_agency_key) FROM report_changed;
