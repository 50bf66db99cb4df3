-- One row per alert whose current state (warn | fail while open, resolved) target $target_id
-- lacks. Reads ops.alerts, ops.alert_deliveries, core.agency_names; send = false: resolved,
-- never seen open.
WITH alert_state AS (
    SELECT
        *,
        CASE WHEN status = 'resolved' THEN 'resolved' ELSE severity END AS state
    FROM ops.alerts
),

told AS (
    -- what this target has already received, per alert
    SELECT
        alert_id,
        list(DISTINCT state) AS states
    FROM ops.alert_deliveries
    WHERE target_id = $target_id
    GROUP BY alert_id
),

pending AS (
    SELECT
        a.*,
        coalesce(t.states, []::VARCHAR []) AS told_states
    FROM alert_state AS a
    LEFT JOIN told AS t USING (alert_id)
),

news AS (
    SELECT *
    FROM pending
    WHERE
        NOT list_contains(told_states, state)
        -- a fail that eased back to warn is no news: this reader already knows it is that bad
        AND NOT (state = 'warn' AND list_contains(told_states, 'fail'))
)

SELECT
    alert_id,
    check_id,
    state,
    message,
    sector,
    scope,
    news.portal_code,
    agency_code,
    agency_nk,
    n.agency_name,
    metric,
    basis,
    period_grain,
    period_start,
    baseline_period_start,
    current_value,
    baseline_value,
    delta_pp,
    -- the series behind a regression, as a person pastes it into `cchc sql`
    CASE
        WHEN check_id = 'totals_mismatch'
            THEN 'SELECT * FROM ops.file_warnings WHERE file_id = ' || split_part(subject, ' ', 2)
        WHEN check_id = 'reject_share'
            THEN 'SELECT * FROM ops.rejects WHERE file_id = ' || split_part(subject, ' ', 2)
                || ' ORDER BY row_number'
        WHEN check_id = 'stale_portal'
            THEN 'SELECT file_id, source, status, fetched_at FROM ops.files WHERE portal_code = '''
                || news.portal_code || ''' ORDER BY fetched_at DESC LIMIT 10'
        WHEN check_id = 'received_drop'
            THEN 'SELECT period_start, denominator AS received FROM mart.kpi WHERE metric = '
                || '''online_rate'' AND basis = ''dossiers'' AND scope = ''portal'' AND '
                || 'portal_code = ''' || news.portal_code || ''' AND period_grain = ''month'' '
                || 'ORDER BY period_start'
        -- the national scoreboard: the unit's snapshots of the period, its score among them
        WHEN check_id = 'scoreboard_drop'
            THEN 'SELECT snapshot_date, total_score, ckmb, tdgq, clgq, tttt, mdsh, mdhl, rank '
                || 'FROM mart.scoreboard WHERE unit_code = ''' || replace(agency_code, '''', '''''')
                || ''' AND period_grain = ''' || period_grain || ''' AND period_start = DATE '''
                || period_start || ''' ORDER BY snapshot_date'
        WHEN check_id = 'scoreboard_inconsistent'
            THEN 'SELECT snapshot_date, numerator, denominator, ratio, score, max_score '
                || 'FROM core.fact_scorecard WHERE unit_code = '''
                || replace(agency_code, '''', '''''') || ''' AND coalesce(metric_code, '
                || 'group_code) = ''' || replace(metric, '''', '''''') || ''' AND period_grain = '''
                || period_grain || ''' AND period_start = DATE ''' || period_start
                || ''' ORDER BY snapshot_date'
        WHEN metric IS NOT NULL
            THEN
                'SELECT period_start, value, numerator, denominator FROM mart.kpi WHERE '
                || array_to_string(
                    list_transform(
                        list_filter(
                            [
                                ['metric', metric],
                                ['sector', sector],
                                ['scope', scope],
                                [
                                    'portal_code',
                                    CASE
                                        WHEN scope IN ('portal', 'agency') THEN news.portal_code
                                    END
                                ],
                                -- the checks name an agency without a unit code by its key
                                [
                                    'coalesce(agency_code, agency_nk)',
                                    CASE
                                        WHEN scope = 'agency'
                                            THEN coalesce(agency_code, agency_nk)
                                    END
                                ],
                                -- one of today's provinces, not all of them
                                [
                                    'province_code',
                                    CASE WHEN scope = 'province' THEN news.province_code END
                                ],
                                ['period_grain', period_grain],
                                -- a disagreement between bases is seen with both of them
                                [
                                    'basis',
                                    CASE WHEN check_id <> 'basis_disagreement' THEN basis END
                                ]
                            ],
                            lambda c: c[2] IS NOT NULL
                        ),
                        lambda c: c[1] || ' = ''' || replace(c[2], '''', '''''') || ''''
                    ),
                    ' AND '
                )
                || ' ORDER BY period_start'
                || CASE WHEN check_id = 'basis_disagreement' THEN ', basis' ELSE '' END
    END AS inspect_sql,
    state <> 'resolved' OR list_has_any(told_states, ['warn', 'fail']) AS send
FROM news
LEFT JOIN core.agency_names AS n
    ON
        n.portal_code = news.portal_code
        AND n.agency_ref = coalesce(news.agency_code, news.agency_nk)
ORDER BY alert_id;
