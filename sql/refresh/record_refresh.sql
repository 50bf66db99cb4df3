-- Grain: one row, the refresh just done: what it read of ops.files (refresh_inputs(), declared
-- by up_to_date.sql) and the fingerprint of the mart SQL and configured portals it ran with
-- ($fingerprint). Reads ops.files.
DELETE FROM mart.refresh_state;

INSERT INTO mart.refresh_state
SELECT last_file_id, stated_digest, $fingerprint, now()
FROM refresh_inputs();
