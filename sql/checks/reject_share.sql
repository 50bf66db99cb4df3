-- Grain: one loaded file that rejected more than max_reject_share of the rows it read.
-- Only files loaded from file_check_days before as_of on (a file loaded after an as_of in the
-- past is news all the same), so an alert about a file resolves once it is old news.
-- Reads ops.files, check_portal, check_context.
SELECT
    'reject_share' AS check_id, 'warn' AS severity,
    p.sector, 'file' AS scope, f.portal_code, NULL AS agency_code, NULL AS agency_name,
    'file ' || f.file_id AS subject, NULL AS metric, f.kind AS basis, NULL AS period_grain,
    NULL::DATE AS period_start, NULL::DATE AS period_covered_to,
    NULL::DATE AS baseline_period_start,
    100.0 * f.rows_rejected / f.rows_read AS current_value,
    100.0 * ctx.max_reject_share AS baseline_value, NULL::DOUBLE AS delta_pp,
    NULL::DOUBLE AS delta_pct,
    'Tệp ' || f.file_id || ' (' || f.source || '): loại ' || ops.vn_count(f.rows_rejected)
        || '/' || ops.vn_count(f.rows_read) || ' dòng ('
        || ops.vn_decimal(100.0 * f.rows_rejected / f.rows_read) || '%), xem ops.rejects'
        AS message_vi,
    'File ' || f.file_id || ' (' || f.source || '): ' || f.rows_rejected || ' of '
        || f.rows_read || ' rows rejected, see ops.rejects' AS message_en
FROM ops.files AS f
CROSS JOIN check_context AS ctx
LEFT JOIN check_portal AS p USING (portal_code)
WHERE f.status = 'loaded' AND f.rows_read > 0
  AND f.loaded_at >= ctx.as_of - to_days(ctx.file_check_days)
  AND f.rows_rejected > ctx.max_reject_share * f.rows_read;
