-- Grain: dossier_repeat_code, one dossier code of this file's portal held by more than one
-- current row, because it repeats within this file (in_file > 1) or an earlier file loaded it
-- (earlier > 0). Reads core.fact_dossier and load_context. One pass lets 31_conflicts.sql and
-- 40_versions.sql touch only these dossiers, which on a first load of a portal are none.
-- Two ways, the same codes:
-- - a small file (a night's top-up, up to $repeat_probe_rows rows: 100,000): only its codes
--   can repeat now (each earlier load left one current row per code), so the portal's rows are
--   probed once for the file's codes, and the row ids found are kept (dossier_probed_row) for
--   40_versions.sql to fetch the earlier versions by: a night costs what its file holds, not
--   what the portal ever loaded;
-- - a large file (a first load, a full re-export): one grouping of all the portal's codes,
--   which needs no lookup of millions of codes held in memory at once (40_versions.sql looks
--   the repeats up by their codes: collecting millions of row ids first cost more).
-- Scalar subqueries and the variables are constants, so scans skip other files' row groups and
-- only one of the two ways runs. The large way reads load_context by a join, as it always did:
-- scalar subqueries inside its FILTERs ran DuckDB out of memory on a 10M-dossier file.
SET VARIABLE dossier_repeat_probe = (
    SELECT count(*) <= $repeat_probe_rows
    FROM core.fact_dossier
    WHERE file_id = (SELECT file_id FROM load_context)
);

-- the small way: every current row of the portal holding one of the file's codes
CREATE OR REPLACE TEMP TABLE dossier_probed_row AS
SELECT
    rowid AS row_id,
    dossier_code,
    file_id = (SELECT file_id FROM load_context) AS in_this_file
FROM core.fact_dossier
WHERE getvariable('dossier_repeat_probe')
  AND portal_code = (SELECT portal_code FROM load_context)
  AND dossier_code IN (
      SELECT dossier_code
      FROM core.fact_dossier
      WHERE file_id = (SELECT file_id FROM load_context)
  );

CREATE OR REPLACE TEMP TABLE dossier_repeat_code AS
SELECT
    dossier_code,
    count(*) FILTER (WHERE in_this_file) AS in_file,
    count(*) FILTER (WHERE NOT in_this_file) AS earlier
FROM dossier_probed_row
GROUP BY dossier_code
HAVING count(*) > 1
UNION ALL
SELECT
    d.dossier_code,
    count(*) FILTER (WHERE d.file_id = ctx.file_id) AS in_file,
    count(*) FILTER (WHERE d.file_id <> ctx.file_id) AS earlier
FROM core.fact_dossier AS d, load_context AS ctx
WHERE NOT getvariable('dossier_repeat_probe') AND d.portal_code = ctx.portal_code
GROUP BY d.dossier_code
HAVING count(*) > 1;
