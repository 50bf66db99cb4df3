-- A new file_id; taken before the file's transaction so a failed load can still be recorded.
SELECT nextval('ops.file_id_seq');
