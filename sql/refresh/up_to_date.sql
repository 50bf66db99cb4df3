-- Grain: one row, whether the marts are up to date: no file was recorded since the last refresh
-- and it ran with the same mart SQL and configured portals ($fingerprint, warehouse/marts.py).
-- Reads mart.refresh_state, ops.files. A command that only reads or judges (`cchc checks`,
-- a night whose sources had nothing new) then skips the refresh.
CREATE SCHEMA IF NOT EXISTS mart;

CREATE TABLE IF NOT EXISTS mart.refresh_state (
    last_file_id BIGINT NOT NULL,
    fingerprint  VARCHAR NOT NULL,
    refreshed_at TIMESTAMPTZ NOT NULL
);

SELECT count(*) = 1 AS up_to_date
FROM mart.refresh_state
WHERE fingerprint = $fingerprint
  AND last_file_id = (SELECT coalesce(max(file_id), -1) FROM ops.files);
