-- Grain: one configured portal that delivered no new file for stale_portal_days days before
-- as_of (or never); a file fetched after as_of counts as delivered. A portal whose `until` day
-- has passed (merged away in 2025) is never stale: it has nothing left to deliver.
-- Reads check_portal, ops.files, check_context.
SELECT
    'stale_portal' AS check_id, 'warn' AS severity,
    p.sector, 'portal' AS scope, p.portal_code, NULL AS agency_code, NULL AS agency_name,
    NULL AS subject, NULL AS metric, NULL AS basis, NULL AS period_grain,
    NULL::DATE AS period_start, NULL::DATE AS period_covered_to,
    NULL::DATE AS baseline_period_start, NULL::DOUBLE AS current_value,
    NULL::DOUBLE AS baseline_value, NULL::DOUBLE AS delta_pp, NULL::DOUBLE AS delta_pct,
    'Cổng ' || p.portal_code || ': không có tệp mới từ '
        || coalesce(strftime(max(f.fetched_at), '%d/%m/%Y'), 'trước tới nay') AS message_vi,
    'Portal ' || p.portal_code || ': no new file since '
        || coalesce(strftime(max(f.fetched_at), '%Y-%m-%d'), 'ever') AS message_en
FROM check_portal AS p
CROSS JOIN check_context AS ctx
LEFT JOIN ops.files AS f
  ON f.portal_code = p.portal_code AND f.status = 'loaded'
WHERE p.until IS NULL OR p.until >= ctx.as_of::DATE
GROUP BY p.sector, p.portal_code, ctx.as_of, ctx.stale_portal_days
HAVING max(f.fetched_at) IS NULL
    OR max(f.fetched_at) < ctx.as_of - to_days(ctx.stale_portal_days);
