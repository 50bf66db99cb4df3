-- Grain: core.fact_scorecard, one unit, period, snapshot date, group and metric; the latest
-- answer loaded for a snapshot date wins. A row replaces the row of the same key; a group answer
-- (list or tree) also replaces the metric rows its unit and group had that day, since it lists
-- them all, while service-results (group and total scores only) leaves the metrics alone. A
-- unit's province is today's, by its code's DVCQG prefix (core.scorecard_province).
-- Reads stage_scorecard, load_context, core.dim_province, core.dim_portal.
CREATE OR REPLACE TEMP TABLE stage_scorecard_fact AS
WITH units AS (
    SELECT s.*, core.scorecard_province(s.unit_code) AS province_code, unnest(s.facts) AS f
    FROM stage_scorecard AS s
)
SELECT u.unit_id, u.unit_code, u.unit_name, u.unit_type, u.unit_level, u.parent_unit_code,
       u.province_code, u.period_grain, u.period_start, u.period_end, u.snapshot_date,
       u.f.group_code, u.f.metric_code, u.f.numerator, u.f.denominator, u.f.ratio, u.f.score,
       u.f.max_score, ctx.file_id, u.source_row, u.answer
FROM units AS u
CROSS JOIN load_context AS ctx;

DELETE FROM core.fact_scorecard AS c
USING stage_scorecard_fact AS s
WHERE c.unit_code = s.unit_code AND c.period_grain = s.period_grain
  AND c.period_start = s.period_start AND c.snapshot_date = s.snapshot_date
  AND c.group_code = s.group_code
  AND (c.metric_code IS NOT DISTINCT FROM s.metric_code
       OR s.answer <> 'service-results' AND c.metric_code IS NOT NULL);

INSERT INTO core.fact_scorecard BY NAME
SELECT * EXCLUDE (answer) FROM stage_scorecard_fact
ORDER BY unit_code, group_code, metric_code NULLS FIRST;
