-- The header map (registered as `incoming_columns`) and warnings (`incoming_warnings`) of a file.
INSERT INTO ops.file_columns BY NAME
SELECT $file_id::BIGINT AS file_id, position, header_text, canonical_column FROM incoming_columns;

INSERT INTO ops.file_warnings BY NAME
SELECT $file_id::BIGINT AS file_id, message FROM incoming_warnings;
