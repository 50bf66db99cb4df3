-- Grain: one child of one of the alerts a digest tells (`$alert_ids`), as the checks stored it
-- (ops.alert_causes), largest first, for the "why" after a fall's sentence.
-- Reads ops.alert_causes.
SELECT alert_id AS parent_id, child_scope, child_code, child_name, d0, d1, r0, r1,
       rate_effect, mix_effect, interaction, contribution
FROM ops.alert_causes
WHERE list_contains(CAST($alert_ids AS BIGINT[]), alert_id)
ORDER BY alert_id, abs(contribution) DESC, child_code;
