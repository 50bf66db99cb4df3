-- Rows of one file rejected for any reason (a row breaking several rules counts once).
SELECT count(DISTINCT row_number) FROM ops.rejects WHERE file_id = $file_id;
