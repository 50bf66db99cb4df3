-- Grain: kpi_field_catalogue, one agency, field ('' when a procedure has none), measured span
-- (kpi_window) and catalogue metric (basis 'catalogue'; an agency's figures are its fields'
-- added). Reads core.fact_service, mart.dossier_online_use, mart.dossier_unit,
-- core.dim_procedure, mart.agency, core.dim_portal, kpi_window. A service is a procedure offered
-- online by an agency; it counts in a span while its catalogue row is valid, and at most until
-- its portal's `until` day (then its successor's counts).
CREATE OR REPLACE TEMP TABLE kpi_field_catalogue AS
WITH services AS (
    SELECT a.agency_nk, coalesce(pr.field_name, '') AS field_name, s.procedure_key,
           s.service_level, s.valid_from,
           least(coalesce(s.valid_to, DATE '9999-12-31'),
                 coalesce(p.until + 1, DATE '9999-12-31')) AS valid_to
    FROM core.fact_service AS s
    JOIN mart.agency AS a USING (agency_key)
    JOIN core.dim_procedure AS pr USING (procedure_key)
    LEFT JOIN core.dim_portal AS p ON p.portal_code = s.portal_code
),
full_share AS (  -- on the span's last day
    SELECT s.agency_nk, s.field_name, w.period_grain, w.period_start, w.period_end, w.span_to,
           'full_process_share' AS metric,
           count(*) FILTER (WHERE s.service_level = 'full') AS numerator,
           count(*) AS denominator
    FROM services AS s
    JOIN kpi_window AS w ON s.valid_from <= w.span_to AND s.valid_to > w.span_to
    GROUP BY ALL
),
online_use AS (
    SELECT u.agency_nk, o.procedure_key, o.day
    FROM mart.dossier_online_use AS o
    JOIN mart.dossier_unit AS u USING (unit_key)
    WHERE o.dossiers > 0
),
used AS (  -- services in the catalogue during the span, and those used online in it
    SELECT s.agency_nk, s.field_name, w.period_grain, w.period_start, w.period_end, w.span_to,
           'services_used_rate' AS metric,
           count(DISTINCT s.procedure_key) FILTER (WHERE EXISTS (
               SELECT 1 FROM online_use AS u
               WHERE u.agency_nk = s.agency_nk AND u.procedure_key = s.procedure_key
                 AND u.day BETWEEN w.period_start AND w.span_to
           )) AS numerator,
           count(DISTINCT s.procedure_key) AS denominator
    FROM services AS s
    JOIN kpi_window AS w ON s.valid_from <= w.span_to AND s.valid_to > w.period_start
    GROUP BY ALL
)
SELECT agency_nk, field_name, period_grain, period_start, period_end, span_to, metric,
       numerator, denominator
FROM full_share WHERE denominator > 0
UNION ALL
SELECT agency_nk, field_name, period_grain, period_start, period_end, span_to, metric,
       numerator, denominator
FROM used WHERE denominator > 0;
