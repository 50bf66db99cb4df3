-- Grain: one child of one alert (`$alert_id`) as the checks stored it, largest first.
-- Reads ops.alert_causes.
SELECT child_scope, child_code, child_name, d0, d1, r0, r1, rate_effect, mix_effect,
       interaction, contribution
FROM ops.alert_causes
WHERE alert_id = $alert_id
ORDER BY abs(contribution) DESC, child_code;
