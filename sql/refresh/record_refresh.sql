-- Grain: one row, the refresh just done: the last file recorded when it ran and the fingerprint
-- of the mart SQL and configured portals it ran with ($fingerprint). Reads ops.files.
DELETE FROM mart.refresh_state;

INSERT INTO mart.refresh_state
SELECT coalesce(max(file_id), -1), $fingerprint, now()
FROM ops.files;
