-- Grain: one row, whether the marts are up to date: no file loaded rows since the last refresh,
-- the files that loaded nothing new (duplicates: the same export sent again) state no later day
-- than before (coverage reads their export and fetch days), and it ran with the same mart SQL
-- and configured portals ($fingerprint, warehouse/marts.py). Reads mart.refresh_state,
-- ops.files and ops.stated_days() (sql/schema/01_ops.sql). A command that only judges
-- (`cchc checks`, a night whose sources had nothing new) then skips the refresh.
CREATE SCHEMA IF NOT EXISTS mart;

CREATE TABLE IF NOT EXISTS mart.refresh_state (
    last_file_id  BIGINT NOT NULL,
    stated_digest VARCHAR NOT NULL,
    fingerprint   VARCHAR NOT NULL,
    refreshed_at  TIMESTAMPTZ NOT NULL
);

-- What the marts read of ops.files (sql/marts/01_agency_coverage.sql): the last file that
-- loaded rows, and the days the files state (ops.stated_days()) of the kinds coverage joins on
-- (a duplicate is recorded before its kind is known, so it has none).
CREATE OR REPLACE TEMP MACRO refresh_inputs() AS TABLE
WITH stated AS (
    FROM ops.stated_days() WHERE kind IN ('dossiers', 'catalogue')
)
SELECT
    (SELECT coalesce(max(file_id), -1) FROM ops.files WHERE status = 'loaded') AS last_file_id,
    md5(coalesce(string_agg(concat_ws('|', portal_code, kind, exported_on, snapshot_on), ','
                            ORDER BY portal_code, kind), '')) AS stated_digest
FROM stated;

SELECT count(*) = 1 AS up_to_date
FROM mart.refresh_state AS s, refresh_inputs() AS i
WHERE s.fingerprint = $fingerprint
  AND s.last_file_id = i.last_file_id
  AND s.stated_digest = i.stated_digest;
