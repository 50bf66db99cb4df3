-- Per batch: every row-valid dossier goes straight into core.fact_dossier (no second copy of
-- the file); 30_repeats.sql, 31_conflicts.sql and 40_versions.sql then settle repeats and
-- earlier versions within the same transaction. Grain: one dossier row of the file.
-- `incoming` already carries agency_key and procedure_key (15_, 16_*_keys.sql), so the batch
-- is read once, without a join: DuckDB joining a wide Arrow batch cost more than the insert.
INSERT INTO core.fact_dossier BY NAME
SELECT
    i.*,
    core.dossier_outcome(i.status, i.completed_at, i.due_at) AS outcome,
    CAST($portal_code AS VARCHAR) AS portal_code,
    CAST($file_id AS BIGINT) AS file_id
FROM incoming AS i;
