-- Grain: one loaded report file whose totals row does not match the sum of its loaded rows.
-- Only files loaded from file_check_days before as_of on (a file loaded after an as_of in the
-- past is news all the same), so an alert about a file resolves once it is old news.
-- Reads ops.file_warnings, ops.files, check_portal, check_context.
WITH mismatched AS (
    SELECT file_id, string_agg(message, '; ' ORDER BY message) AS detail
    FROM ops.file_warnings
    WHERE code = 'totals_mismatch'
    GROUP BY file_id
)
SELECT
    'totals_mismatch' AS check_id, 'warn' AS severity,
    p.sector, 'file' AS scope, f.portal_code, NULL AS agency_code, NULL AS agency_name,
    'file ' || f.file_id AS subject, NULL AS metric, 'report' AS basis, NULL AS period_grain,
    NULL::DATE AS period_start, NULL::DATE AS period_covered_to,
    NULL::DATE AS baseline_period_start,
    NULL::DOUBLE AS current_value, NULL::DOUBLE AS baseline_value, NULL::DOUBLE AS delta_pp,
    NULL::DOUBLE AS delta_pct,
    'Tệp ' || f.file_id || ' (' || f.source || '): dòng tổng cộng không khớp: '
        || m.detail AS message_vi,
    'File ' || f.file_id || ': the totals row does not match the loaded rows: ' || m.detail
        AS message_en
FROM mismatched AS m
JOIN ops.files AS f USING (file_id)
LEFT JOIN check_portal AS p USING (portal_code)
CROSS JOIN check_context AS ctx
WHERE f.status = 'loaded'
  AND f.loaded_at >= ctx.as_of - to_days(ctx.file_check_days);
