-- Grain: one dossier code of this file held by more than one current row, because it repeats
-- within this file (in_file > 1) or an earlier file of the portal loaded it (earlier = 1). Only
-- this file's codes can repeat now (each earlier load left one current row per code), so the
-- file's own rows are grouped and the portal's other rows are only probed for those codes: a
-- night's cost follows its file, not all the portal's dossiers. 31_conflicts.sql and
-- 40_versions.sql then touch only these dossiers, which on a first load of a portal are none.
CREATE OR REPLACE TEMP TABLE dossier_repeat_code AS
WITH mine AS (  -- scalar subqueries are constants: the scans skip other files' row groups
    SELECT dossier_code, count(*) AS in_file
    FROM core.fact_dossier
    WHERE file_id = (SELECT file_id FROM load_context)
    GROUP BY ALL
),
earlier AS (
    SELECT dossier_code, count(*) AS earlier
    FROM core.fact_dossier
    WHERE portal_code = (SELECT portal_code FROM load_context)
      AND file_id <> (SELECT file_id FROM load_context)
      AND dossier_code IN (SELECT dossier_code FROM mine)
    GROUP BY ALL
)
SELECT m.dossier_code, m.in_file, coalesce(e.earlier, 0) AS earlier
FROM mine AS m
LEFT JOIN earlier AS e USING (dossier_code)
WHERE m.in_file > 1 OR e.earlier > 0;
