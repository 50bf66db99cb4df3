-- Grain: one compared indicator (a row of `cause_source`, by parent_id) and one of its children
-- one level down: nation → today's provinces (localities; a portal with no province stands
-- alone) or portals (ministries); province or portal → agencies; agency → fields. Its change
-- Δ = R1 − R0 is split per child i (docs/warehouse.md "Why it fell") into
--   rate_effect = w0·(r1 − r0), mix_effect = (w1 − w0)·(r0 − R0),
--   interaction = (w1 − w0)·(r1 − r0)
-- with w = d_i / Σd and rates in percent; a child absent in the earlier span takes r0 = R0, one
-- absent in the later span r1 = r0, so the effects over all children add up to Δ exactly.
-- Both spans are the comparison's own (whole periods, or a year to date and the same days a year
-- earlier), measured on the same parts as the indicator (mart.kpi_parts), so the children add
-- up to the parent. Reads cause_source (parent_id, sector, scope, portal_code, province_code,
-- agency_nk, metric, basis, period_grain, period_start, period_covered_to,
-- baseline_period_start), mart.period, mart.kpi_parts, mart.agency_current, core.dim_province,
-- core.dim_portal.
WITH parent AS (
    SELECT c.parent_id, c.sector, c.scope, c.portal_code, c.province_code, c.agency_nk,
           c.metric, c.basis, c.period_grain, c.period_start, c.baseline_period_start,
           coalesce(c.period_covered_to, now_.period_end) AS span_to,
           coalesce((c.period_covered_to - INTERVAL 1 YEAR)::DATE, then_.period_end)
               AS baseline_span_to
    FROM cause_source AS c
    LEFT JOIN mart.period AS now_
      ON now_.period_grain = c.period_grain AND now_.period_start = c.period_start
    LEFT JOIN mart.period AS then_
      ON then_.period_grain = c.period_grain AND then_.period_start = c.baseline_period_start
    WHERE c.scope IN ('nation', 'province', 'portal', 'agency')
),
parent_span AS (  -- each compared indicator's two spans, and the key of the unit it pools
    SELECT p.parent_id, p.sector, p.scope, p.metric, p.basis, p.period_grain,
           s.is_current, s.span_start, s.span_to,
           CASE p.scope
               WHEN 'province' THEN p.province_code
               WHEN 'portal' THEN p.portal_code
               WHEN 'agency' THEN p.agency_nk
               ELSE ''
           END AS scope_key
    FROM parent AS p,
    LATERAL (VALUES (true, p.period_start, p.span_to),
                    (false, p.baseline_period_start, p.baseline_span_to))
        AS s(is_current, span_start, span_to)
    -- a baseline that is the span itself has no earlier parts (and so no causes)
    WHERE s.is_current
       OR (s.span_start, s.span_to) IS DISTINCT FROM (p.period_start, p.span_to)
),
named_parts AS (  -- the parts of the spans compared, each with its agency's sector, portal,
                  -- today's province and name (as 90_kpi.sql measured the indicator)
    SELECT k.*, a.sector, a.portal_code, a.province_code, a.agency_name
    FROM mart.kpi_parts AS k
    JOIN mart.agency_current AS a USING (agency_nk)
    SEMI JOIN parent_span AS s
      ON s.sector = a.sector AND s.metric = k.metric AND s.basis = k.basis
     AND s.period_grain = k.period_grain AND s.span_start = k.period_start
     AND s.span_to = k.span_to
),
keyed_parts AS (  -- each part under the key of every scope that pools it: joins on equality
    SELECT k.*, u.scope, u.scope_key
    FROM named_parts AS k,
    LATERAL (VALUES ('nation', ''), ('province', k.province_code), ('portal', k.portal_code),
                    ('agency', k.agency_nk)) AS u(scope, scope_key)
),
parts AS (
    SELECT p.parent_id, p.is_current,
           CASE p.scope
               WHEN 'nation' THEN CASE WHEN k.sector = 'locality' AND k.province_code IS NOT NULL
                                       THEN 'province' ELSE 'portal' END
               WHEN 'agency' THEN 'field'
               ELSE 'agency'
           END AS child_scope,
           CASE p.scope
               WHEN 'nation' THEN CASE WHEN k.sector = 'locality' AND k.province_code IS NOT NULL
                                       THEN k.province_code ELSE k.portal_code END
               WHEN 'agency' THEN k.field_name
               ELSE k.agency_nk
           END AS child_code,
           k.agency_name, k.numerator, k.denominator
    FROM parent_span AS p
    JOIN keyed_parts AS k
      ON k.sector = p.sector AND k.metric = p.metric AND k.basis = p.basis
     AND k.period_grain = p.period_grain AND k.period_start = p.span_start
     AND k.span_to = p.span_to AND k.scope = p.scope AND k.scope_key = p.scope_key
),
children AS (
    SELECT parent_id, child_scope, child_code, any_value(agency_name) AS agency_name,
           coalesce(sum(denominator) FILTER (WHERE NOT is_current), 0) AS d0,
           coalesce(sum(denominator) FILTER (WHERE is_current), 0) AS d1,
           coalesce(sum(numerator) FILTER (WHERE NOT is_current), 0) AS n0,
           coalesce(sum(numerator) FILTER (WHERE is_current), 0) AS n1
    FROM parts
    GROUP BY ALL
),
pooled AS (
    SELECT *,
           sum(d0) OVER w AS total_d0, sum(d1) OVER w AS total_d1,
           100.0 * sum(n0) OVER w / nullif(sum(d0) OVER w, 0) AS pooled_r0,
           100.0 * sum(n1) OVER w / nullif(sum(d1) OVER w, 0) AS pooled_r1
    FROM children
    WINDOW w AS (PARTITION BY parent_id)
),
rated AS (
    SELECT *,
           d0 / total_d0 AS w0, d1 / total_d1 AS w1,
           CASE WHEN d0 > 0 THEN 100.0 * n0 / d0 ELSE pooled_r0 END AS r0,
           CASE WHEN d1 > 0 THEN 100.0 * n1 / d1
                WHEN d0 > 0 THEN 100.0 * n0 / d0 ELSE pooled_r0 END AS r1
    FROM pooled
    WHERE total_d0 > 0 AND total_d1 > 0
)
SELECT r.parent_id, r.child_scope, r.child_code,
       CASE r.child_scope
           WHEN 'province' THEN coalesce(pr.province_name, r.child_code)
           WHEN 'portal' THEN coalesce(po.portal_name, r.child_code)
           WHEN 'agency' THEN r.agency_name
           ELSE r.child_code
       END AS child_name,
       r.d0::BIGINT AS d0, r.d1::BIGINT AS d1, r.r0, r.r1,
       r.w0 * (r.r1 - r.r0) AS rate_effect,
       (r.w1 - r.w0) * (r.r0 - r.pooled_r0) AS mix_effect,
       (r.w1 - r.w0) * (r.r1 - r.r0) AS interaction,
       r.w0 * (r.r1 - r.r0) + (r.w1 - r.w0) * (r.r0 - r.pooled_r0)
           + (r.w1 - r.w0) * (r.r1 - r.r0) AS contribution,
       r.pooled_r0, r.pooled_r1
FROM rated AS r
LEFT JOIN core.dim_province AS pr
  ON r.child_scope = 'province' AND pr.province_code = r.child_code AND pr.valid_to IS NULL
LEFT JOIN core.dim_portal AS po ON r.child_scope = 'portal' AND po.portal_code = r.child_code
ORDER BY r.parent_id, abs(contribution) DESC, r.child_code;
