-- Grain: one reject per row whose agency, field and period repeat in this file with other counts.
CREATE OR REPLACE TEMP TABLE stage_report_conflict AS
SELECT agency_nk, field_name, period_from, period_to,
       string_agg(source_row::VARCHAR, ', ' ORDER BY source_row) AS rows
FROM stage_report
GROUP BY ALL
HAVING count(DISTINCT (
    received_total, carried_over, received_online, received_offline, resolved_total,
    resolved_early, resolved_on_time, resolved_late, pending_total, pending_in_time,
    pending_overdue
)) > 1;

INSERT INTO ops.rejects BY NAME
SELECT
    ctx.file_id,
    k.source_row AS row_number,
    CASE WHEN k.field_name IS NULL THEN 'agency_name' ELSE 'field_name' END AS column_name,
    coalesce(k.field_name, k.agency_name) AS value,
    'duplicate_conflict' AS reason,
    'the same agency, field and period repeat with different counts in rows ' || c.rows AS message
FROM stage_report AS k
JOIN stage_report_conflict AS c
    ON c.agency_nk = k.agency_nk
   AND c.field_name IS NOT DISTINCT FROM k.field_name
   AND c.period_from = k.period_from
   AND c.period_to = k.period_to
CROSS JOIN load_context AS ctx
ORDER BY k.source_row;

DELETE FROM stage_report AS k
USING stage_report_conflict AS c
WHERE c.agency_nk = k.agency_nk
  AND c.field_name IS NOT DISTINCT FROM k.field_name
  AND c.period_from = k.period_from
  AND c.period_to = k.period_to;

DELETE FROM stage_report
WHERE source_row IN (
    SELECT source_row FROM stage_report
    QUALIFY row_number() OVER (
        PARTITION BY agency_nk, field_name, period_from, period_to ORDER BY source_row
    ) > 1
);
