-- Grain: one reject per unit whose code repeats in this answer with different content (who it
-- is or any of its scores): which is right cannot be known, so all of them are rejected; a unit
-- repeated identically loads once. Reads stage_scorecard, load_context.
CREATE OR REPLACE TEMP TABLE stage_scorecard_conflict AS
SELECT unit_code, string_agg(source_row::VARCHAR, ', ' ORDER BY source_row) AS rows
FROM stage_scorecard
GROUP BY unit_code
HAVING count(DISTINCT (unit_id, unit_name, unit_type, unit_level, parent_unit_code, facts)) > 1;

INSERT INTO ops.rejects BY NAME
SELECT
    ctx.file_id,
    s.source_row AS row_number,
    'departmentCode' AS column_name,
    s.unit_code AS value,
    'duplicate_conflict' AS reason,
    'row ' || s.source_row || ': unit ' || s.unit_code
        || ' is listed with different scores in rows ' || c.rows || '; none of them is loaded'
        AS message
FROM stage_scorecard AS s
JOIN stage_scorecard_conflict AS c USING (unit_code)
CROSS JOIN load_context AS ctx
ORDER BY s.source_row;

DELETE FROM stage_scorecard AS s
USING stage_scorecard_conflict AS c
WHERE c.unit_code = s.unit_code;

DELETE FROM stage_scorecard
WHERE source_row IN (
    SELECT source_row FROM stage_scorecard
    QUALIFY row_number() OVER (PARTITION BY unit_code ORDER BY source_row) > 1
);
