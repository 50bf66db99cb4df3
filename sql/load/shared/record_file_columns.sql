-- The header map of a file (`incoming`: position, header_text, canonical_column).
INSERT INTO ops.file_columns BY NAME
SELECT $file_id::BIGINT AS file_id, position, header_text, canonical_column FROM incoming;
