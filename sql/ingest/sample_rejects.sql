-- Grain: one rejected cell of the files just ingested, at most $per_file per file, in file and
-- row order: what `cchc ingest` shows of ops.rejects (the rest stays queryable there).
SELECT file_id, row_number, column_name, value, reason, message
FROM ops.rejects
WHERE list_contains($file_ids::BIGINT[], file_id)
QUALIFY row_number() OVER (PARTITION BY file_id ORDER BY row_number, column_name) <= $per_file
ORDER BY file_id, row_number, column_name;
