-- One ops.files row: every file seen, whatever became of it.
INSERT INTO ops.files BY NAME
SELECT
    $file_id::BIGINT AS file_id,
    $portal_code AS portal_code,
    $source AS source,
    $sha256 AS sha256,
    $bytes::BIGINT AS bytes,
    $kind AS kind,
    $format AS format,
    $fetched_at::TIMESTAMP AS fetched_at,
    $loaded_at::TIMESTAMP AS loaded_at,
    $rows_read::BIGINT AS rows_read,
    $rows_loaded::BIGINT AS rows_loaded,
    $rows_rejected::BIGINT AS rows_rejected,
    $status AS status,
    $error AS error,
    $reason AS reason,
    $archive_path AS archive_path,
    $duplicate_of::BIGINT AS duplicate_of,
    $exported_on::DATE AS exported_on;
