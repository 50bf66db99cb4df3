-- Grain: one dossier. A version that differs from the current one replaces it in
-- core.fact_dossier, and the replaced version moves to core.fact_dossier_history; an unchanged
-- dossier keeps pointing at the file it first came from.
CREATE OR REPLACE TEMP TABLE dossier_changed AS
WITH version AS (
    SELECT
        ctx.portal_code,
        s.dossier_code,
        k.agency_key,
        p.procedure_key,
        s.channel,
        s.service_level,
        s.received_at,
        s.due_at,
        s.completed_at,
        s.returned_at,
        s.status,
        core.dossier_outcome(s.status, s.completed_at, s.due_at) AS outcome,
        s.digitized,
        s.e_result,
        s.paid_online,
        s.satisfaction,
        ctx.file_id,
        s.source_row
    FROM stage_dossier AS s
    CROSS JOIN load_context AS ctx
    JOIN stage_agency_key AS k USING (agency_nk)
    JOIN core.dim_procedure AS p ON p.procedure_code = s.procedure_code
)
SELECT v.*, cur.dossier_code IS NOT NULL AS replaces
FROM version AS v
LEFT JOIN core.fact_dossier AS cur
    ON cur.portal_code = v.portal_code AND cur.dossier_code = v.dossier_code
WHERE cur.dossier_code IS NULL
   OR (v.agency_key, v.procedure_key, v.channel, v.service_level, v.received_at, v.due_at,
       v.completed_at, v.returned_at, v.status, v.digitized, v.e_result, v.paid_online,
       v.satisfaction)
      IS DISTINCT FROM
      (cur.agency_key, cur.procedure_key, cur.channel, cur.service_level, cur.received_at,
       cur.due_at, cur.completed_at, cur.returned_at, cur.status, cur.digitized, cur.e_result,
       cur.paid_online, cur.satisfaction);

INSERT INTO core.fact_dossier_history BY NAME
SELECT cur.*, ctx.loaded_at AS superseded_at, ctx.file_id AS superseded_by_file
FROM core.fact_dossier AS cur
JOIN dossier_changed AS ch USING (portal_code, dossier_code)
CROSS JOIN load_context AS ctx
WHERE ch.replaces;

DELETE FROM core.fact_dossier AS cur
USING dossier_changed AS ch
WHERE ch.replaces AND cur.portal_code = ch.portal_code AND cur.dossier_code = ch.dossier_code;

INSERT INTO core.fact_dossier BY NAME SELECT * EXCLUDE (replaces) FROM dossier_changed;
