-- Grain: one calendar period (month, quarter, year) between the first and the last date the
-- warehouse holds data for. Reads core.dim_date and the facts' dates. Rebuilt on every refresh.
CREATE SCHEMA IF NOT EXISTS mart;

CREATE OR REPLACE TABLE mart.period AS
WITH bounds AS (
    SELECT min(first_day) AS first_day, max(last_day) AS last_day
    FROM (
        SELECT min(received_at)::DATE AS first_day,
               greatest(max(received_at), max(completed_at))::DATE AS last_day
        FROM core.fact_dossier
        UNION ALL
        SELECT min(period_from), max(period_to) FROM core.fact_report
        UNION ALL
        SELECT min(valid_from), max(coalesce(valid_to, valid_from)) FROM core.fact_service
    )
),
grains AS (SELECT unnest(['month', 'quarter', 'year']) AS period_grain)
SELECT DISTINCT
    g.period_grain,
    date_trunc(g.period_grain, d.date)::DATE AS period_start,
    (date_trunc(g.period_grain, d.date)
        + CASE g.period_grain
            WHEN 'month' THEN INTERVAL 1 MONTH
            WHEN 'quarter' THEN INTERVAL 3 MONTH
            ELSE INTERVAL 1 YEAR
          END - INTERVAL 1 DAY)::DATE AS period_end
FROM core.dim_date AS d
CROSS JOIN bounds AS b
CROSS JOIN grains AS g
WHERE d.date BETWEEN b.first_day AND b.last_day
ORDER BY 1, 2;

-- Current identity of every agency (its latest version), for naming and grouping.
CREATE OR REPLACE TABLE mart.agency AS
SELECT agency_key, agency_nk, portal_code, sector,
       last_value(agency_code) OVER w AS agency_code,
       last_value(agency_name) OVER w AS agency_name
FROM core.dim_agency
WINDOW w AS (PARTITION BY agency_nk ORDER BY valid_from
             ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING);
