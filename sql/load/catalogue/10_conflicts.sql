-- Grain: one reject per row whose procedure and agency repeat in this file with another level.
CREATE OR REPLACE TEMP TABLE stage_service_conflict AS
SELECT agency_nk, procedure_code, string_agg(source_row::VARCHAR, ', ' ORDER BY source_row) AS rows
FROM stage_service
GROUP BY ALL
HAVING count(DISTINCT (service_level, valid_from)) > 1;

INSERT INTO ops.rejects BY NAME
SELECT
    ctx.file_id,
    k.source_row AS row_number,
    'procedure_code' AS column_name,
    k.procedure_code AS value,
    'duplicate_conflict' AS reason,
    'the same procedure and agency repeat with a different service level in rows ' || c.rows
        AS message
FROM stage_service AS k
JOIN stage_service_conflict AS c USING (agency_nk, procedure_code)
CROSS JOIN load_context AS ctx
ORDER BY k.source_row;

DELETE FROM stage_service AS k
USING stage_service_conflict AS c
WHERE c.agency_nk = k.agency_nk AND c.procedure_code = k.procedure_code;

DELETE FROM stage_service
WHERE source_row IN (
    SELECT source_row FROM stage_service
    QUALIFY row_number() OVER (PARTITION BY agency_nk, procedure_code ORDER BY source_row) > 1
);
