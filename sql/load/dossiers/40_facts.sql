-- Grain: one dossier. A version that differs from the current one is appended to the history
-- and replaces it in core.fact_dossier; an unchanged dossier keeps pointing at its first file.
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
    JOIN stage_agency_key AS k
        ON k.agency_nk = core.agency_nk(ctx.portal_code, s.agency_code, s.agency_name)
    JOIN core.dim_procedure AS p ON p.procedure_code = s.procedure_code
)
SELECT v.*
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
SELECT ch.*, ctx.loaded_at FROM dossier_changed AS ch, load_context AS ctx;

DELETE FROM core.fact_dossier AS cur
USING dossier_changed AS ch
WHERE cur.portal_code = ch.portal_code AND cur.dossier_code = ch.dossier_code;

INSERT INTO core.fact_dossier BY NAME SELECT * FROM dossier_changed;
