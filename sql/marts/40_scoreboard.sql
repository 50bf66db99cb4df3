-- Grain: mart.scoreboard, one unit, period and snapshot date of the national scoreboard
-- (Decision 766, docs/warehouse.md): its total and six group scores as published, its rank among
-- the units of the same type and level on that snapshot (competition ranking: equal scores share
-- a rank, the next rank skips) and total_change since the unit's previous snapshot of the same
-- period. kpi_scoreboard (temporary, read by 90_kpi.sql): one of today's provinces, period and
-- indicator whose national ratio the scoreboard states, at the latest snapshot of the period.
-- Reads core.fact_scorecard, core.dim_province, core.dim_portal. Each unit's province is settled
-- here first (core.scorecard_province), since core.dim_portal is recorded before the marts and a
-- unit may have been loaded before its portal was configured.
CREATE OR REPLACE TEMP TABLE scorecard_unit_province AS
SELECT unit_code, core.scorecard_province(unit_code) AS province_code
FROM (SELECT DISTINCT unit_code FROM core.fact_scorecard);

UPDATE core.fact_scorecard AS f
SET province_code = u.province_code
FROM scorecard_unit_province AS u
WHERE u.unit_code = f.unit_code AND f.province_code IS DISTINCT FROM u.province_code;

CREATE OR REPLACE TABLE mart.scoreboard AS
WITH unit_snapshot AS (
    SELECT unit_code, period_grain, period_start, snapshot_date,
           -- who the unit is, as the latest answer of that day that says it
           arg_max(unit_name, file_id) FILTER (WHERE unit_name IS NOT NULL) AS unit_name,
           arg_max(unit_type, file_id) FILTER (WHERE unit_type IS NOT NULL) AS unit_type,
           arg_max(unit_level, file_id) FILTER (WHERE unit_level IS NOT NULL) AS unit_level,
           any_value(province_code) AS province_code,
           max(score) FILTER (WHERE group_code = 'TOTAL') AS published_total,
           max(score) FILTER (WHERE group_code = 'CKMB') AS ckmb,
           max(score) FILTER (WHERE group_code = 'TDGQ') AS tdgq,
           max(score) FILTER (WHERE group_code = 'CLGQ') AS clgq,
           max(score) FILTER (WHERE group_code = 'TTTT') AS tttt,
           max(score) FILTER (WHERE group_code = 'MDSH') AS mdsh,
           max(score) FILTER (WHERE group_code = 'MDHL') AS mdhl
    FROM core.fact_scorecard
    WHERE metric_code IS NULL
    GROUP BY ALL
),
totalled AS (
    -- the published total; a unit the answers give no total for (a province's departments)
    -- has the sum of its six groups when all six are published that day, else none
    SELECT * EXCLUDE (published_total),
           coalesce(published_total, round(ckmb + tdgq + clgq + tttt + mdsh + mdhl, 2))
               AS total_score
    FROM unit_snapshot
)
SELECT unit_code, unit_name, unit_type, unit_level, province_code, period_grain, period_start,
       snapshot_date, total_score, ckmb, tdgq, clgq, tttt, mdsh, mdhl,
       CASE WHEN total_score IS NOT NULL THEN rank() OVER (
           PARTITION BY period_grain, period_start, snapshot_date, unit_type, unit_level
           ORDER BY round(total_score, 2) DESC NULLS LAST
       ) END::INTEGER AS rank,
       round(total_score - lag(total_score) OVER (
           PARTITION BY unit_code, period_grain, period_start ORDER BY snapshot_date
       ), 9) AS total_change
FROM totalled
ORDER BY period_grain, period_start, snapshot_date, unit_type, unit_level, rank, unit_code;

-- The scoreboard's ratios that are the warehouse's indicators, for mart.kpi (basis scoreboard):
-- the progress group's on-time ratio (TDGQ), the electronic results and digitised dossiers of
-- the digitisation group, the dossiers paid online of the payment group. Only a unit that is a
-- province as a whole (a code without a dot that is today's province's), only for periods its
-- code stood for today's province (from the province's valid_from: a province merged in 2025
-- spoke for part of today's before), at the period's latest snapshot. A snapshot taken on day D
-- counts the period up to D − 1. The value is the ratio the portal states (else its counts').
CREATE OR REPLACE TEMP TABLE kpi_scoreboard AS
WITH matched AS (
    SELECT f.*, m.metric
    FROM core.fact_scorecard AS f
    JOIN (VALUES ('TDGQ', '', 'on_time_rate_766'),
                 ('MDSH', 'ORIGINAL_RESULT_AVAILABLE', 'e_result_rate'),
                 ('MDSH', 'SO_HOA_GIAY_TO_GIAI_QUYET', 'digitized_rate'),
                 ('TTTT', 'DOSSIER_ONLINE_PAYMENT', 'online_payment_rate'))
        AS m(group_code, metric_code, metric)
      ON m.group_code = f.group_code AND m.metric_code = coalesce(f.metric_code, '')
    WHERE f.province_code IS NOT NULL AND NOT contains(f.unit_code, '.')
      AND f.snapshot_date > f.period_start
),
latest AS (
    SELECT * FROM matched
    QUALIFY row_number() OVER (
        PARTITION BY province_code, period_grain, period_start, metric
        ORDER BY snapshot_date DESC, file_id DESC
    ) = 1
)
SELECT 'locality' AS sector, 'province' AS scope, NULL::VARCHAR AS portal_code,
       NULL::VARCHAR AS agency_code, NULL::VARCHAR AS agency_name, NULL::VARCHAR AS agency_nk,
       l.province_code, p.province_name, l.period_grain, l.period_start, l.period_end, l.metric,
       l.numerator::BIGINT AS numerator, l.denominator::BIGINT AS denominator,
       coalesce(l.ratio, CASE WHEN l.denominator > 0 THEN 100.0 * l.numerator / l.denominator END)
           AS value,
       'scoreboard' AS basis, l.period_start AS covered_from,
       least(l.period_end, l.snapshot_date - 1) AS covered_to, NULL::INTEGER AS portals
FROM latest AS l
JOIN core.dim_province AS p ON p.province_code = l.province_code AND p.valid_to IS NULL
WHERE l.period_start >= p.valid_from;
