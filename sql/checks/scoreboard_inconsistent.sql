-- Grain: one unit, period and score of the national scoreboard (a metric's, or a group's that
-- the answer gives counts for: the progress group's on-time over received) whose published
-- score is further than scoreboard_tolerance points from what its own numerator and denominator
-- give: min(1, ratio / full marks) × max score, 0/0 counting as 100%; full marks at 100%, 90%
-- for DOSSIER_RECEIVING_SATISFACTION and 80% for REUSED_DIGITIZED_DATA (the contract's formula).
-- Judged on each score's latest snapshot on or before as_of. The unit code is in agency_code,
-- the metric code (or the group's) in metric. Reads core.fact_scorecard, ops.files,
-- check_context.
WITH latest AS (
    SELECT f.*
    FROM core.fact_scorecard AS f
    CROSS JOIN check_context AS ctx
    WHERE f.snapshot_date <= ctx.as_of::DATE
    QUALIFY row_number() OVER (
        PARTITION BY f.unit_code, f.period_grain, f.period_start, f.group_code, f.metric_code
        ORDER BY f.snapshot_date DESC, f.file_id DESC
    ) = 1
),
scored AS (
    SELECT l.*,
           CASE l.metric_code WHEN 'DOSSIER_RECEIVING_SATISFACTION' THEN 0.9
                              WHEN 'REUSED_DIGITIZED_DATA' THEN 0.8 ELSE 1.0 END AS full_marks_at,
           CASE WHEN l.denominator > 0 THEN l.numerator / l.denominator
                WHEN l.denominator = 0 AND l.numerator = 0 THEN 1.0 END AS counted
    FROM latest AS l
    WHERE l.score IS NOT NULL AND l.max_score IS NOT NULL
      AND l.numerator IS NOT NULL AND l.denominator IS NOT NULL
),
expected AS (
    SELECT *, least(1.0, counted / full_marks_at) * max_score AS expected_score
    FROM scored
    WHERE counted IS NOT NULL
)
SELECT
    'scoreboard_inconsistent' AS check_id, 'warn' AS severity,
    CASE WHEN e.province_code IS NOT NULL THEN 'locality'
         WHEN e.unit_type = 'MINISTRY' THEN 'ministry' END AS sector,
    'unit' AS scope, o.portal_code, e.unit_code AS agency_code, NULL AS agency_nk,
    NULL AS province_code, NULL AS subject, coalesce(e.metric_code, e.group_code) AS metric,
    'scoreboard' AS basis, e.period_grain, e.period_start, NULL::DATE AS period_covered_to,
    NULL::DATE AS baseline_period_start,
    e.score AS current_value, round(e.expected_score, 9) AS baseline_value,
    round(e.score - e.expected_score, 9) AS delta_pp,
    round(100 * (e.score - e.expected_score) / nullif(e.expected_score, 0), 6) AS delta_pct,
    NULL AS message_vi, NULL AS message_en,
    -- for the wording only (warehouse/scoreboard_text.py); not kept in ops.alerts
    e.unit_name, e.snapshot_date, e.numerator, e.denominator, e.max_score, e.full_marks_at
FROM expected AS e
JOIN ops.files AS o USING (file_id)
CROSS JOIN check_context AS ctx
WHERE round(abs(e.score - e.expected_score), 9) > ctx.scoreboard_tolerance;
