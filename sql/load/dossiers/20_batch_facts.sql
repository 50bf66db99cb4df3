-- Per batch: every row-valid dossier goes straight into core.fact_dossier (no second copy of
-- the file); 30_conflicts.sql and 40_versions.sql then settle repeats and earlier versions
-- within the same transaction. Grain: one dossier row of the file.
INSERT INTO core.fact_dossier BY NAME
SELECT
    ctx.portal_code,
    i.dossier_code,
    k.agency_key,
    p.procedure_key,
    i.channel,
    i.service_level,
    i.received_at,
    i.due_at,
    i.completed_at,
    i.returned_at,
    i.status,
    core.dossier_outcome(i.status, i.completed_at, i.due_at) AS outcome,
    i.digitized,
    i.e_result,
    i.paid_online,
    i.satisfaction,
    ctx.file_id,
    i.source_row
FROM (
    SELECT b.*, core.agency_nk(c.portal_code, b.agency_code, b.agency_name) AS agency_nk
    FROM incoming AS b, load_context AS c
) AS i
CROSS JOIN load_context AS ctx
JOIN stage_agency_key AS k USING (agency_nk)
JOIN core.dim_procedure AS p ON p.procedure_code = i.procedure_code;
