-- Grain: one province of the national scoreboard (Decision 766; a unit of type
-- ADMINISTRATIVE_UNIT whose code has no dot: what service-results lists) at the latest snapshot
-- taken on or before $as_of, for the widest period that snapshot holds (a year before a quarter
-- before a month, the latest of them): total and six group scores as published, the rank
-- mart.scoreboard gives (competition ranking) and total_change since the unit's previous
-- snapshot of the same period (null for its first). Reads mart.scoreboard.
WITH provinces AS (
    SELECT *
    FROM mart.scoreboard
    WHERE unit_type = 'ADMINISTRATIVE_UNIT' AND NOT contains(unit_code, '.')
      AND snapshot_date <= $as_of
),
latest AS (
    SELECT snapshot_date, period_grain, period_start
    FROM provinces
    ORDER BY snapshot_date DESC,
             CASE period_grain WHEN 'year' THEN 0 WHEN 'quarter' THEN 1 ELSE 2 END,
             period_start DESC
    LIMIT 1
)
SELECT p.unit_code, coalesce(p.unit_name, p.unit_code) AS unit_name, p.province_code,
       p.period_grain, p.period_start, p.snapshot_date, p.total_score,
       p.ckmb, p.tdgq, p.clgq, p.tttt, p.mdsh, p.mdhl, p.rank, p.total_change,
       count(p.rank) OVER () AS ranked
FROM provinces AS p
JOIN latest USING (snapshot_date, period_grain, period_start)
ORDER BY p.rank NULLS LAST, p.unit_code;
