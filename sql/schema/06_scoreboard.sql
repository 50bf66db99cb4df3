-- The national scoreboard of Decision 766 (docs/warehouse.md "National scoreboard"): what the
-- National Public Service Portal publishes about each unit, as it published it. Grain:
-- core.fact_scorecard, one unit, period, snapshot date, group and metric (the latest answer
-- loaded for that snapshot date; metric_code null for a group's or the total's own score);
-- ops.scoreboard_files, one loaded scoreboard answer and what was asked for. The macro
-- core.scorecard_province reads core.dim_province and core.dim_portal (a unit's province).
CREATE TABLE IF NOT EXISTS core.fact_scorecard (
    unit_id          VARCHAR,            -- the portal's departmentId (a UUID)
    unit_code        VARCHAR NOT NULL,   -- departmentCode: H37, H15.15
    unit_name        VARCHAR,
    unit_type        VARCHAR,            -- departmentType: ADMINISTRATIVE_UNIT, MINISTRY, ...
    unit_level       VARCHAR,            -- level / departmentLevel: PROVINCE, COMMUNE, ...
    parent_unit_code VARCHAR,            -- the unit the answer listed it under
    province_code    VARCHAR,            -- today's province (GSO code), by the code's DVCQG prefix
    period_grain     VARCHAR NOT NULL CHECK (period_grain IN ('year', 'quarter', 'month')),
    period_start     DATE NOT NULL,
    period_end       DATE NOT NULL,
    snapshot_date    DATE NOT NULL,      -- the day the answer was taken (the run's as-of day)
    group_code       VARCHAR NOT NULL,   -- CKMB, TDGQ, CLGQ, TTTT, MDSH, MDHL or TOTAL
    metric_code      VARCHAR,            -- null: the group's (or the total's) own score
    numerator        DOUBLE,             -- as published; null is not 0
    denominator      DOUBLE,
    ratio            DOUBLE,             -- percent, as published
    score            DOUBLE,
    max_score        DOUBLE,
    file_id          BIGINT NOT NULL,
    source_row       BIGINT NOT NULL     -- the unit's place in the answer (docs/indicators.md)
);

CREATE TABLE IF NOT EXISTS ops.scoreboard_files (
    file_id       BIGINT NOT NULL,
    request       VARCHAR,               -- the JSON body that asked for the answer
    answer        VARCHAR NOT NULL,      -- service-results | list | tree
    group_code    VARCHAR,               -- the group a list or tree answer is about
    period_grain  VARCHAR NOT NULL,
    period_start  DATE NOT NULL,
    period_end    DATE NOT NULL,
    snapshot_date DATE NOT NULL
);

-- Today's province of a unit code: its DVCQG prefix (H15 for H15.15) as core.dim_province
-- knows it (warehouse/seeds/dvcqg_provinces.toml), else as a configured locality portal does.
CREATE OR REPLACE MACRO core.scorecard_province(unit_code) AS (
    coalesce(
        (SELECT any_value(p.province_code) FROM core.dim_province AS p
         WHERE p.valid_to IS NULL AND p.dvcqg_code = split_part(unit_code, '.', 1)),
        (SELECT any_value(d.province_code) FROM core.dim_portal AS d
         WHERE d.sector = 'locality' AND d.dvcqg_code = split_part(unit_code, '.', 1))
    )
);
