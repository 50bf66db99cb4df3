-- Rejected rows of one parsed batch (`incoming`) into ops.rejects.
INSERT INTO ops.rejects BY NAME
SELECT ctx.file_id, r.row_number, r.column_name, r.value, r.reason, r.message
FROM incoming AS r, load_context AS ctx;
