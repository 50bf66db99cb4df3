-- What the pipeline did: one row per file seen, its rejected rows, warnings and header map.
-- Reads nothing; created once per warehouse (idempotent).
CREATE SCHEMA IF NOT EXISTS ops;

CREATE SEQUENCE IF NOT EXISTS ops.file_id_seq START 1;

CREATE TABLE IF NOT EXISTS ops.files (
    file_id       BIGINT PRIMARY KEY,
    portal_code   VARCHAR NOT NULL,
    source        VARCHAR NOT NULL,   -- URL or path the bytes came from (no secrets)
    sha256        VARCHAR NOT NULL,
    bytes         BIGINT NOT NULL,
    kind          VARCHAR,            -- dossiers | report | catalogue (null when undetected)
    format        VARCHAR,            -- csv | xlsx | xls | html | json
    fetched_at    TIMESTAMP,
    loaded_at     TIMESTAMP,
    rows_read     BIGINT,
    rows_loaded   BIGINT,
    rows_rejected BIGINT,
    status        VARCHAR NOT NULL CHECK (status IN ('loaded', 'duplicate', 'refused', 'failed')),
    error         VARCHAR,            -- why a file was refused or failed, for a person to read
    reason        VARCHAR,            -- refusal code: kind_not_detected | required_column_missing
    archive_path  VARCHAR,            -- raw copy under the data folder, named by sha256
    duplicate_of  BIGINT              -- for status duplicate: the file that loaded this content
);

CREATE TABLE IF NOT EXISTS ops.rejects (
    file_id     BIGINT NOT NULL,
    row_number  BIGINT NOT NULL,      -- as a person sees it in the file (see README)
    column_name VARCHAR NOT NULL,     -- canonical column of the export contract
    value       VARCHAR,              -- the raw text that was rejected
    reason      VARCHAR NOT NULL,     -- missing_required | not_in_vocabulary | bad_date | ...
    message     VARCHAR NOT NULL      -- the same in words
);

CREATE TABLE IF NOT EXISTS ops.file_warnings (
    file_id BIGINT NOT NULL,
    message VARCHAR NOT NULL
);

CREATE TABLE IF NOT EXISTS ops.file_columns (
    file_id          BIGINT NOT NULL,
    position         INTEGER NOT NULL,  -- 0-based physical column
    header_text      VARCHAR NOT NULL,  -- levels joined with " / "
    canonical_column VARCHAR            -- null: kept in the raw file only
);
