-- Grain: one dossier that an earlier file already loaded. If this file's version has the same
-- content, the earlier row stays (it keeps pointing at the file it first came from) and the new
-- one goes; otherwise the earlier row moves to core.fact_dossier_history and the new one stays.
-- Content: the columns $dossier_content names (DOSSIER_CONTENT_COLUMNS,
-- warehouse/parse/vocabulary.py). Only dossiers that 30_repeats.sql found loaded before are read:
-- after a small file, fetched by the row ids its probe found them at (a row 31_conflicts.sql
-- removed is no longer there); after a large one, looked up by their codes.
CREATE OR REPLACE TEMP TABLE dossier_version_row AS
SELECT row_id
FROM dossier_probed_row
WHERE dossier_code IN (SELECT dossier_code FROM dossier_repeat_code WHERE earlier > 0);

-- Up to this many row ids (a night's thousand) reach the scan as a list it filters by, so only
-- the vectors holding them are read; a join would read every row of the portal. A setting is
-- not rolled back: if a statement below fails, the next queries of this connection keep it
-- until the next dossier file resets it, which changes their plans, never their results.
SET dynamic_or_filter_threshold = 100000;

CREATE OR REPLACE TEMP TABLE dossier_earlier AS
WITH candidate AS MATERIALIZED (
    SELECT d.rowid AS row_id, d.*, struct_pack(*COLUMNS($dossier_content)) AS content
    FROM core.fact_dossier AS d
    WHERE getvariable('dossier_repeat_probe')
      AND d.rowid IN (SELECT row_id FROM dossier_version_row)
    UNION ALL
    SELECT d.rowid AS row_id, d.*, struct_pack(*COLUMNS($dossier_content)) AS content
    FROM core.fact_dossier AS d, load_context AS ctx
    WHERE NOT getvariable('dossier_repeat_probe')
      AND d.portal_code = ctx.portal_code
      AND d.dossier_code IN (SELECT dossier_code FROM dossier_repeat_code WHERE earlier > 0)
),
mine AS (
    SELECT c.* FROM candidate AS c, load_context AS ctx WHERE c.file_id = ctx.file_id
)
SELECT
    old.* EXCLUDE (content, row_id),
    old.content IS NOT DISTINCT FROM new.content AS unchanged,
    -- the row that goes: this file's when nothing changed, else the earlier one
    CASE WHEN old.content IS NOT DISTINCT FROM new.content THEN new.row_id ELSE old.row_id END
        AS gone_row_id
FROM candidate AS old
JOIN mine AS new USING (portal_code, dossier_code)
WHERE old.file_id <> new.file_id;

INSERT INTO core.fact_dossier_history BY NAME
SELECT e.* EXCLUDE (unchanged, gone_row_id), ctx.loaded_at AS superseded_at,
       ctx.file_id AS superseded_by_file
FROM dossier_earlier AS e, load_context AS ctx
WHERE NOT e.unchanged;

-- By row id, found above in this transaction: the rows are fetched, not looked up again among
-- the portal's codes (with no earlier versions, nothing is read).
DELETE FROM core.fact_dossier WHERE rowid IN (SELECT gone_row_id FROM dossier_earlier);

RESET dynamic_or_filter_threshold;
