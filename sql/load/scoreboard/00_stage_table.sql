-- Grain: one row-valid unit of the scoreboard answer being loaded (warehouse/parse/scoreboard.py),
-- with its facts as a list (group, metric, numerator, denominator, ratio, score, max score) and
-- the answer's shape, period and snapshot date on every row. Reads nothing.
CREATE OR REPLACE TEMP TABLE stage_scorecard (
    source_row       BIGINT NOT NULL,
    unit_id          VARCHAR,
    unit_code        VARCHAR NOT NULL,
    unit_name        VARCHAR,
    unit_type        VARCHAR,
    unit_level       VARCHAR,
    parent_unit_code VARCHAR,
    facts            STRUCT(
        group_code VARCHAR, metric_code VARCHAR, numerator DOUBLE, denominator DOUBLE,
        ratio DOUBLE, score DOUBLE, max_score DOUBLE
    )[],
    answer           VARCHAR NOT NULL,
    period_grain     VARCHAR NOT NULL,
    period_start     DATE NOT NULL,
    period_end       DATE NOT NULL,
    snapshot_date    DATE NOT NULL
);
