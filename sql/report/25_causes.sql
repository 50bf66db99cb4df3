-- Grain: one child of one open regression alert (ops.alert_causes), the $children largest by
-- contribution per alert, for the falls' "why" charts. Reads ops.alerts, ops.alert_causes.
SELECT c.alert_id, c.child_scope, c.child_code, c.child_name, c.d0, c.d1, c.r0, c.r1,
       c.rate_effect, c.mix_effect, c.interaction, c.contribution
FROM ops.alert_causes AS c
JOIN ops.alerts AS a USING (alert_id)
WHERE a.status = 'open' AND a.check_id = 'regression_yoy'
QUALIFY row_number() OVER (
    PARTITION BY c.alert_id ORDER BY abs(c.contribution) DESC, c.child_code
) <= $children
ORDER BY c.alert_id, abs(c.contribution) DESC, c.child_code;
