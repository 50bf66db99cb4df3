-- Rows of one file rejected after staging (in-file conflicts); they were staged, so they are
-- already among the staged rows and must not be counted as read twice.
SELECT count(DISTINCT row_number) FROM ops.rejects
WHERE file_id = $file_id AND reason = 'duplicate_conflict';
