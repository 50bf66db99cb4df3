-- Grain: one refused file of those just ingested, with its refusal code (ops.files.reason),
-- for `cchc ingest` to say in words why the whole file was refused. Reads ops.files.
SELECT file_id, reason
FROM ops.files
WHERE list_contains($file_ids::BIGINT[], file_id) AND status = 'refused';
