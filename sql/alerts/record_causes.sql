-- Grain: ops.alert_causes, one open regression alert and one child: replaced by tonight's split
-- (`incoming`: the rows of sql/causes/contributions.sql with parent_id = alert_id). An alert
-- that resolved keeps the causes it last had.
DELETE FROM ops.alert_causes
WHERE alert_id IN (
    SELECT alert_id FROM ops.alerts WHERE status = 'open' AND check_id = 'regression_yoy'
);

INSERT INTO ops.alert_causes BY NAME
SELECT parent_id AS alert_id, child_scope, child_code, child_name, d0, d1, r0, r1,
       rate_effect, mix_effect, interaction, contribution
FROM incoming
ORDER BY alert_id, abs(contribution) DESC, child_code;
