-- One ops.alert_deliveries row per alert state told to $target_id; sent alerts get notified_at.
-- Reads `incoming` (alert_id, state, sent: false when recorded without sending), ops.alerts.
INSERT INTO ops.alert_deliveries (alert_id, target_id, state, sent_at)
SELECT
    i.alert_id,
    $target_id AS target_id,
    i.state,
    $sent_at AS sent_at
FROM incoming AS i
WHERE NOT EXISTS (
    SELECT 1
    FROM ops.alert_deliveries AS d
    WHERE d.alert_id = i.alert_id AND d.target_id = $target_id AND d.state = i.state
);

UPDATE ops.alerts
SET
    notified_at = $sent_at,
    notified_state = i.state
FROM incoming AS i
WHERE ops.alerts.alert_id = i.alert_id AND i.sent;
