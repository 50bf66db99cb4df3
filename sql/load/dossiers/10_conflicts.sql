-- Grain: one reject per row whose dossier_code repeats in this file with different content;
-- all such rows are rejected (which one is right cannot be known), identical repeats load once.
CREATE OR REPLACE TEMP TABLE stage_dossier_repeat AS
SELECT *
FROM stage_dossier
WHERE dossier_code IN (SELECT dossier_code FROM stage_dossier GROUP BY dossier_code HAVING count(*) > 1);

CREATE OR REPLACE TEMP TABLE stage_dossier_conflict AS
SELECT dossier_code, string_agg(source_row::VARCHAR, ', ' ORDER BY source_row) AS rows
FROM stage_dossier_repeat
GROUP BY dossier_code
HAVING count(DISTINCT (
    procedure_code, procedure_name, field_name, agency_code, agency_name, level, channel,
    service_level, received_at, due_at, completed_at, returned_at, status, digitized, e_result,
    paid_online, satisfaction
)) > 1;

INSERT INTO ops.rejects BY NAME
SELECT
    ctx.file_id,
    r.source_row AS row_number,
    'dossier_code' AS column_name,
    r.dossier_code AS value,
    'duplicate_conflict' AS reason,
    'dossier_code repeats with different content in rows ' || c.rows AS message
FROM stage_dossier_repeat AS r
JOIN stage_dossier_conflict AS c USING (dossier_code)
CROSS JOIN load_context AS ctx
ORDER BY r.source_row;

DELETE FROM stage_dossier WHERE dossier_code IN (SELECT dossier_code FROM stage_dossier_conflict);

DELETE FROM stage_dossier
WHERE source_row IN (
    SELECT source_row FROM stage_dossier_repeat
    QUALIFY row_number() OVER (PARTITION BY dossier_code ORDER BY source_row) > 1
);
