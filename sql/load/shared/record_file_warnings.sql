-- The warnings on a file (`incoming`: code, message), such as a totals row that does not add up.
INSERT INTO ops.file_warnings BY NAME
SELECT $file_id::BIGINT AS file_id, code, message FROM incoming;
