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

-- Added in the second round; warehouses made before get them here.
-- exported_on: the day the export was taken, where the file or `cchc ingest --exported-on` says it
-- (coverage ends there); never the load time.
ALTER TABLE ops.files ADD COLUMN IF NOT EXISTS exported_on DATE;

-- Per portal and kind, the latest day its exports state (exported_on) and the latest they state
-- or were fetched on (snapshot_on), over the files that loaded or were sent again: what
-- coverage reads of ops.files (sql/marts/01_agency_coverage.sql), so what a refresh must notice
-- (sql/refresh/up_to_date.sql).
CREATE OR REPLACE MACRO ops.stated_days() AS TABLE
SELECT portal_code, kind, max(exported_on) AS exported_on,
       max(coalesce(exported_on, fetched_at::DATE)) AS snapshot_on
FROM ops.files
WHERE status IN ('loaded', 'duplicate')
GROUP BY ALL;

CREATE TABLE IF NOT EXISTS ops.rejects (
    file_id     BIGINT NOT NULL,
    row_number  BIGINT NOT NULL,      -- as a person sees it (docs/portal-exports.md, reading rules)
    column_name VARCHAR NOT NULL,     -- canonical column of the export contract
    value       VARCHAR,              -- the raw text that was rejected
    reason      VARCHAR NOT NULL,     -- missing_required | not_in_vocabulary | bad_date | ...
    message     VARCHAR NOT NULL      -- the same in words
);

CREATE TABLE IF NOT EXISTS ops.file_warnings (
    file_id BIGINT NOT NULL,
    message VARCHAR NOT NULL
);

-- code: what the warning is (warehouse/parse/file_warnings.py): unknown_columns | blank_rows |
-- bad_encoding | totals_mismatch; checks select by it, the message is for people. Warnings
-- recorded before the column existed get theirs from the sentences those versions wrote.
ALTER TABLE ops.file_warnings ADD COLUMN IF NOT EXISTS code VARCHAR;
UPDATE ops.file_warnings
SET code = CASE
    WHEN message LIKE 'totals row%' THEN 'totals_mismatch'
    WHEN message LIKE 'columns kept in the raw file only:%' THEN 'unknown_columns'
    WHEN message LIKE '% rows below the header have no value%' THEN 'blank_rows'
    WHEN message LIKE 'rows with a NUL byte%' THEN 'bad_encoding'
END
WHERE code IS NULL;

CREATE TABLE IF NOT EXISTS ops.file_columns (
    file_id          BIGINT NOT NULL,
    position         INTEGER NOT NULL,  -- 0-based physical column
    header_text      VARCHAR NOT NULL,  -- levels joined with " / "
    canonical_column VARCHAR            -- null: kept in the raw file only
);

-- One row per breach of a check, from the night it opens until it resolves (docs/warehouse.md).
CREATE SEQUENCE IF NOT EXISTS ops.alert_id_seq START 1;

CREATE TABLE IF NOT EXISTS ops.alerts (
    alert_id              BIGINT PRIMARY KEY,
    check_id              VARCHAR NOT NULL,   -- the sql/checks file that found it
    severity              VARCHAR NOT NULL CHECK (severity IN ('warn', 'fail')),
    status                VARCHAR NOT NULL CHECK (status IN ('open', 'resolved')),
    sector                VARCHAR,
    scope                 VARCHAR,            -- agency | portal | province | nation | file
    portal_code           VARCHAR,
    agency_code           VARCHAR,            -- its unit code (see agency_nk below)
    subject               VARCHAR,            -- what else the alert is about, e.g. 'file 12'
    metric                VARCHAR,
    basis                 VARCHAR,
    period_grain          VARCHAR,
    period_start          DATE,
    baseline_period_start DATE,
    current_value         DOUBLE,
    baseline_value        DOUBLE,
    delta_pp              DOUBLE,             -- percentage points, current − baseline
    delta_pct             DOUBLE,             -- relative percent of the baseline
    message               VARCHAR NOT NULL,   -- Vietnamese, then English
    first_seen_at         TIMESTAMP NOT NULL,
    last_seen_at          TIMESTAMP NOT NULL,
    resolved_at           TIMESTAMP,
    notified_at           TIMESTAMP,          -- when its latest state was sent
    notified_state        VARCHAR             -- that state: warn | fail | resolved
);

-- period_covered_to: for a period covered only up to some day, that day (the comparison is year
-- to date, against the same span a year earlier); null for a fully covered period.
ALTER TABLE ops.alerts ADD COLUMN IF NOT EXISTS period_covered_to DATE;
-- The message in each language apart (`message` holds both, Vietnamese first).
ALTER TABLE ops.alerts ADD COLUMN IF NOT EXISTS message_vi VARCHAR;
ALTER TABLE ops.alerts ADD COLUMN IF NOT EXISTS message_en VARCHAR;
-- agency_nk: the agency's identity (core.dim_agency.agency_nk) for scope agency; agency_code is
-- then its unit code, null when it has none. Before this column agency_code held the identity of
-- an agency without a code; sql/alerts/apply_breaches.sql moves those keys here.
ALTER TABLE ops.alerts ADD COLUMN IF NOT EXISTS agency_nk VARCHAR;
-- province_code: today's province (GSO code) of an alert at scope province (docs/warehouse.md
-- "The country since 1 July 2025"); null at the other scopes.
ALTER TABLE ops.alerts ADD COLUMN IF NOT EXISTS province_code VARCHAR;

-- Why a regression alert's rate moved: its change split over the units one level down
-- (sql/causes/contributions.sql), in percentage points; the effects of one alert add up to its
-- delta_pp. Recomputed whenever the alert is evaluated (docs/warehouse.md "Why it fell").
CREATE TABLE IF NOT EXISTS ops.alert_causes (
    alert_id     BIGINT NOT NULL,
    child_scope  VARCHAR NOT NULL,  -- province | portal | agency | field
    child_code   VARCHAR NOT NULL,  -- GSO code, portal code, agency_nk or field name ('' none)
    child_name   VARCHAR,
    d0           BIGINT NOT NULL,   -- denominator a year earlier (0: absent then)
    d1           BIGINT NOT NULL,   -- denominator now (0: absent now)
    r0           DOUBLE,            -- rate a year earlier, percent (absent: the pooled rate)
    r1           DOUBLE,            -- rate now, percent (absent: r0)
    rate_effect  DOUBLE NOT NULL,
    mix_effect   DOUBLE NOT NULL,
    interaction  DOUBLE NOT NULL,
    contribution DOUBLE NOT NULL    -- the three added
);

-- What each notification target has been told: one row per alert state sent to a target, so a
-- target that failed is retried next run without repeating what the others already received.
CREATE TABLE IF NOT EXISTS ops.alert_deliveries (
    alert_id  BIGINT NOT NULL,
    target_id VARCHAR NOT NULL,   -- sha256 of the target URL, first 16 hex digits (no secrets)
    state     VARCHAR NOT NULL CHECK (state IN ('warn', 'fail', 'resolved')),
    sent_at   TIMESTAMP NOT NULL
);
