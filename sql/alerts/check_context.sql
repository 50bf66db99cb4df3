-- One row: the moment the checks judge and their thresholds (from cchc.toml [checks]), plus the
-- metrics where lower is better. Every check reads its parameters from here.
CREATE OR REPLACE TEMP TABLE check_context AS
SELECT
    CAST($as_of AS TIMESTAMP)                AS as_of,
    CAST($min_denominator AS BIGINT)         AS min_denominator,
    CAST($stale_portal_days AS INTEGER)      AS stale_portal_days,
    CAST($received_drop_ratio AS DOUBLE)     AS received_drop_ratio,
    CAST($basis_gap_pp AS DOUBLE)            AS basis_gap_pp,
    CAST($max_reject_share AS DOUBLE)        AS max_reject_share,
    CAST($file_check_days AS INTEGER)        AS file_check_days,
    CAST($warn_pp AS DOUBLE)                 AS warn_pp,
    CAST($fail_pp AS DOUBLE)                 AS fail_pp,
    CAST($scoreboard_drop_warn AS DOUBLE)    AS scoreboard_drop_warn,
    CAST($scoreboard_drop_fail AS DOUBLE)    AS scoreboard_drop_fail,
    CAST($scoreboard_tolerance AS DOUBLE)    AS scoreboard_tolerance;

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
