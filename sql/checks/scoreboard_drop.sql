-- Grain: one unit of the national scoreboard, period and score (its total, or one of its six
-- groups) that fell since the unit's previous snapshot of the same period by at least
-- scoreboard_drop_warn points (scoreboard_drop_fail fails), judged on the unit's latest snapshot
-- on or before as_of: the day it fell opens the alert, the next day that holds the score (or
-- raises it) resolves it. The unit code is in agency_code, TOTAL or the group code in metric.
-- Reads mart.scoreboard, core.fact_scorecard, ops.files, check_context.
WITH scores AS (
    SELECT s.unit_code, s.unit_name, s.unit_type, s.province_code, s.period_grain,
           s.period_start, s.snapshot_date, g.group_code, g.score
    FROM mart.scoreboard AS s
    CROSS JOIN check_context AS ctx
    CROSS JOIN LATERAL (VALUES ('TOTAL', s.total_score), ('CKMB', s.ckmb), ('TDGQ', s.tdgq),
                               ('CLGQ', s.clgq), ('TTTT', s.tttt), ('MDSH', s.mdsh),
                               ('MDHL', s.mdhl)) AS g(group_code, score)
    WHERE s.snapshot_date <= ctx.as_of::DATE
),
paired AS (
    SELECT *,
           lag(score) OVER w AS previous_score,
           lag(snapshot_date) OVER w AS previous_snapshot_date,
           row_number() OVER (
               PARTITION BY unit_code, period_grain, period_start, group_code
               ORDER BY snapshot_date DESC
           ) AS recency
    FROM scores
    WINDOW w AS (PARTITION BY unit_code, period_grain, period_start, group_code
                 ORDER BY snapshot_date)
),
fell AS (
    SELECT p.*, round(p.previous_score - p.score, 9) AS fall
    FROM paired AS p
    CROSS JOIN check_context AS ctx
    WHERE p.recency = 1 AND round(p.previous_score - p.score, 9) >= ctx.scoreboard_drop_warn
),
-- the portal the snapshot came from (the national one), for the alert's heading
portal AS (
    SELECT f.unit_code, f.period_grain, f.period_start, f.snapshot_date,
           arg_max(o.portal_code, f.file_id) AS portal_code
    FROM core.fact_scorecard AS f
    JOIN ops.files AS o USING (file_id)
    SEMI JOIN fell AS b
      ON b.unit_code = f.unit_code AND b.period_grain = f.period_grain
     AND b.period_start = f.period_start AND b.snapshot_date = f.snapshot_date
    GROUP BY ALL
)
SELECT
    'scoreboard_drop' AS check_id,
    CASE WHEN b.fall >= ctx.scoreboard_drop_fail THEN 'fail' ELSE 'warn' END AS severity,
    CASE WHEN b.province_code IS NOT NULL THEN 'locality'
         WHEN b.unit_type = 'MINISTRY' THEN 'ministry' END AS sector,
    'unit' AS scope, p.portal_code, b.unit_code AS agency_code, NULL AS agency_nk,
    NULL AS province_code, NULL AS subject, b.group_code AS metric, 'scoreboard' AS basis,
    b.period_grain, b.period_start, NULL::DATE AS period_covered_to,
    b.period_start AS baseline_period_start,
    b.score AS current_value, b.previous_score AS baseline_value,
    -b.fall AS delta_pp,
    round(-100 * b.fall / nullif(b.previous_score, 0), 6) AS delta_pct,
    NULL AS message_vi, NULL AS message_en,
    -- for the wording only (warehouse/scoreboard_text.py); not kept in ops.alerts
    b.unit_name, b.snapshot_date, b.previous_snapshot_date
FROM fell AS b
CROSS JOIN check_context AS ctx
LEFT JOIN portal AS p
  ON p.unit_code = b.unit_code AND p.period_grain = b.period_grain
 AND p.period_start = b.period_start AND p.snapshot_date = b.snapshot_date;
