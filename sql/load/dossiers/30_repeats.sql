-- Grain: one dossier code of this file's portal held by more than one current row, because it
-- repeats within this file (in_file > 1) or an earlier file loaded it (earlier = 1). One pass
-- over the codes lets 31_conflicts.sql and 40_versions.sql touch only these dossiers, which on
-- a first load of a portal are none.
CREATE OR REPLACE TEMP TABLE dossier_repeat_code AS
SELECT
    d.dossier_code,
    count(*) FILTER (WHERE d.file_id = ctx.file_id) AS in_file,
    count(*) FILTER (WHERE d.file_id <> ctx.file_id) AS earlier
FROM core.fact_dossier AS d, load_context AS ctx
WHERE d.portal_code = ctx.portal_code
GROUP BY d.dossier_code
HAVING count(*) > 1;
