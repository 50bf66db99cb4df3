-- Grain: one agency, period and catalogue metric (basis 'catalogue'). Reads core.fact_service,
-- core.fact_dossier, mart.agency, mart.period. A service is a procedure offered online by an
-- agency; it counts in a period while its catalogue row is valid.
CREATE OR REPLACE TEMP TABLE kpi_agency_catalogue AS
WITH services AS (
    SELECT a.agency_nk, s.procedure_key, s.service_level, s.valid_from,
           coalesce(s.valid_to, DATE '9999-12-31') AS valid_to
    FROM core.fact_service AS s JOIN mart.agency AS a USING (agency_key)
),
full_share AS (  -- at each period's last day
    SELECT s.agency_nk, p.period_grain, p.period_start, p.period_end,
           'full_process_share' AS metric,
           count(*) FILTER (WHERE s.service_level = 'full') AS numerator,
           count(*) AS denominator
    FROM services AS s
    JOIN mart.period AS p ON s.valid_from <= p.period_end AND s.valid_to > p.period_end
    GROUP BY ALL
),
online_use AS (
    SELECT DISTINCT a.agency_nk, d.procedure_key, date_trunc('month', d.received_at)::DATE AS month
    FROM core.fact_dossier AS d JOIN mart.agency AS a USING (agency_key)
    WHERE d.channel = 'online'
),
used AS (  -- services in the catalogue during the period, and those used online in it
    SELECT s.agency_nk, p.period_grain, p.period_start, p.period_end,
           'services_used_rate' AS metric,
           count(DISTINCT s.procedure_key) FILTER (WHERE EXISTS (
               SELECT 1 FROM online_use AS u
               WHERE u.agency_nk = s.agency_nk AND u.procedure_key = s.procedure_key
                 AND u.month BETWEEN p.period_start AND p.period_end
           )) AS numerator,
           count(DISTINCT s.procedure_key) AS denominator
    FROM services AS s
    JOIN mart.period AS p ON s.valid_from <= p.period_end AND s.valid_to > p.period_start
    GROUP BY ALL
)
SELECT agency_nk, period_grain, period_start, period_end, metric, numerator, denominator
FROM full_share WHERE denominator > 0
UNION ALL
SELECT agency_nk, period_grain, period_start, period_end, metric, numerator, denominator
FROM used WHERE denominator > 0;
