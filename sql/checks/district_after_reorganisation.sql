-- Grain: one district-level (Huyện) agency with rows dated on or after 2025-07-01, when the
-- district level no longer exists (Resolution 202/2025/QH15): dossiers received, report periods
-- or catalogue services first offered from that day on. The rows are loaded; this says they
-- need a look (a stale agency name in the export, or a unit to map to its new ward/province).
-- Reads core.dim_agency, core.fact_dossier, core.fact_report, core.fact_service, check_portal.
WITH late AS (
    SELECT agency_key, count(*) AS n, min(received_at)::DATE AS first_day
    FROM core.fact_dossier WHERE received_at >= TIMESTAMP '2025-07-01' GROUP BY ALL
    UNION ALL
    SELECT agency_key, count(*), min(period_from) FROM core.fact_report
    WHERE period_from >= DATE '2025-07-01' GROUP BY ALL
    UNION ALL
    -- a service first offered from that day (one listed since before stays as it was listed)
    SELECT agency_key, count(*), min(valid_from) FROM core.fact_service
    WHERE valid_from >= DATE '2025-07-01' GROUP BY ALL
),
districts AS (
    SELECT a.portal_code, a.sector, a.agency_nk,
           arg_max(a.agency_code, a.valid_from) AS agency_code,
           arg_max(a.agency_name, a.valid_from) AS agency_name,
           sum(l.n) AS rows_after, min(l.first_day) AS first_day
    FROM late AS l
    JOIN core.dim_agency AS a USING (agency_key)
    WHERE a.level = 'Huyện'
    GROUP BY ALL
)
SELECT
    'district_after_reorganisation' AS check_id, 'warn' AS severity,
    d.sector, 'agency' AS scope, d.portal_code,
    coalesce(d.agency_code, d.agency_nk) AS agency_code,
    d.agency_name, NULL AS subject, NULL AS metric, NULL AS basis, NULL AS period_grain,
    NULL::DATE AS period_start, NULL::DATE AS period_covered_to,
    NULL::DATE AS baseline_period_start, d.rows_after::DOUBLE AS current_value,
    NULL::DOUBLE AS baseline_value, NULL::DOUBLE AS delta_pp, NULL::DOUBLE AS delta_pct,
    'Cơ quan cấp huyện ' || d.agency_name || ' (cổng ' || d.portal_code || ') có '
        || ops.vn_count(d.rows_after) || ' dòng từ ngày ' || strftime(d.first_day, '%d/%m/%Y')
        || ', sau khi bỏ cấp huyện (01/07/2025)' AS message_vi,
    'District-level agency ' || d.agency_name || ' (portal ' || d.portal_code || ') has '
        || d.rows_after || ' rows from ' || strftime(d.first_day, '%Y-%m-%d')
        || ', after the district level ended (2025-07-01)' AS message_en
FROM districts AS d;
