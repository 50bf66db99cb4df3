-- One row: the moment the checks judge and their thresholds (from cchc.toml [checks]), plus the
-- metrics where lower is better. Every check reads its parameters from here. The row comes
-- whole as one STRUCT parameter ($context) and is inserted by name into the declared columns
-- (sql/load/shared/context.sql fills load_context the same way); none may be missing.
CREATE OR REPLACE TEMP TABLE check_context (
    as_of TIMESTAMP NOT NULL,
    min_denominator BIGINT NOT NULL,
    stale_portal_days INTEGER NOT NULL,
    received_drop_ratio DOUBLE NOT NULL,
    basis_gap_pp DOUBLE NOT NULL,
    max_reject_share DOUBLE NOT NULL,
    file_check_days INTEGER NOT NULL,
    warn_pp DOUBLE NOT NULL,
    fail_pp DOUBLE NOT NULL,
    scoreboard_drop_warn DOUBLE NOT NULL,
    scoreboard_drop_fail DOUBLE NOT NULL,
    scoreboard_tolerance DOUBLE NOT NULL
);
INSERT INTO check_context BY NAME SELECT unnest($context);

CREATE OR REPLACE TEMP TABLE check_lower_is_better AS
SELECT unnest(CAST($lower_is_better AS VARCHAR[])) AS metric;

-- One row per breach found this run, worded (message_vi, message_en) before it is collected.
CREATE OR REPLACE TEMP TABLE check_breach (
    check_id VARCHAR, severity VARCHAR, sector VARCHAR, scope VARCHAR, portal_code VARCHAR,
    agency_code VARCHAR, agency_nk VARCHAR, province_code VARCHAR, subject VARCHAR,
    metric VARCHAR, basis VARCHAR, period_grain VARCHAR,
    period_start DATE, period_covered_to DATE, baseline_period_start DATE,
    current_value DOUBLE, baseline_value DOUBLE, delta_pp DOUBLE, delta_pct DOUBLE,
    message_vi VARCHAR NOT NULL, message_en VARCHAR NOT NULL
);
