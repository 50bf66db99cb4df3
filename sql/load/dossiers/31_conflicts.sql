-- Grain: one reject per row whose dossier_code repeats in this file with different content;
-- all such rows are rejected (which one is right cannot be known), identical repeats load once.
-- Content is what loads: the agency and procedure keys and every fact column, the columns
-- $dossier_content names (DOSSIER_CONTENT_COLUMNS, warehouse/parse/vocabulary.py). Reads the
-- codes found by 30_repeats.sql.
CREATE OR REPLACE TEMP TABLE file_dossier_repeat AS
SELECT d.*, struct_pack(*COLUMNS($dossier_content)) AS content
FROM core.fact_dossier AS d, load_context AS ctx
WHERE d.file_id = ctx.file_id
  AND d.dossier_code IN (SELECT dossier_code FROM dossier_repeat_code WHERE in_file > 1);

CREATE OR REPLACE TEMP TABLE file_dossier_conflict AS
SELECT dossier_code, string_agg(source_row::VARCHAR, ', ' ORDER BY source_row) AS rows
FROM file_dossier_repeat
GROUP BY dossier_code
HAVING count(DISTINCT content) > 1;

INSERT INTO ops.rejects BY NAME
SELECT
    ctx.file_id,
    r.source_row AS row_number,
    'dossier_code' AS column_name,
    r.dossier_code AS value,
    'duplicate_conflict' AS reason,
    'dossier_code repeats with different content in rows ' || c.rows AS message
FROM file_dossier_repeat AS r
JOIN file_dossier_conflict AS c USING (dossier_code)
CROSS JOIN load_context AS ctx
ORDER BY r.source_row;

-- The first IN only narrows: with no repeats DuckDB then skips the table instead of scanning it.
DELETE FROM core.fact_dossier AS d
USING load_context AS ctx
WHERE d.dossier_code IN (SELECT dossier_code FROM file_dossier_repeat)
  AND d.file_id = ctx.file_id
  AND (d.dossier_code IN (SELECT dossier_code FROM file_dossier_conflict)
       OR d.source_row IN (
           SELECT source_row FROM file_dossier_repeat
           QUALIFY row_number() OVER (PARTITION BY dossier_code ORDER BY source_row) > 1
       ));
