-- Grain: one open regression alert (a fall the check keeps in ops.alerts), worst first, with the
-- denominators it was judged on. The report lists exactly these falls, never its own.
-- Reads ops.alerts and mart.kpi_yoy.
SELECT
    a.alert_id, a.severity, a.sector, a.scope, a.portal_code, a.agency_code, a.metric, a.basis,
    a.period_grain, a.period_start, a.period_covered_to, a.baseline_period_start,
    a.current_value, a.baseline_value, a.delta_pp, y.denominator, y.baseline_denominator,
    y.agency_name, a.province_code, y.province_name
FROM ops.alerts AS a
LEFT JOIN mart.kpi_yoy AS y
    ON y.sector = a.sector AND y.scope = a.scope
    AND y.portal_code IS NOT DISTINCT FROM a.portal_code
    AND coalesce(y.agency_code, y.agency_nk)
        IS NOT DISTINCT FROM coalesce(a.agency_code, a.agency_nk)
    AND (a.scope <> 'province' OR y.province_code = a.province_code)
    AND y.metric = a.metric AND y.basis = a.basis AND y.period_grain = a.period_grain
    AND y.period_start = a.period_start
WHERE a.status = 'open' AND a.check_id = 'regression_yoy'
ORDER BY
    a.severity = 'fail' DESC,
    a.period_grain = 'year' DESC,
    a.scope = 'nation' DESC,
    a.delta_pp,
    a.sector,
    a.portal_code,
    a.metric,
    a.basis;
