-- The loaded file that already holds these bytes as the same period's scoreboard snapshot on
-- the same day, if any (the same answer on another day is that day's snapshot, loaded anew).
SELECT f.file_id
FROM ops.files AS f
JOIN ops.scoreboard_files AS s USING (file_id)
WHERE f.portal_code = $portal_code AND f.sha256 = $sha256 AND f.status = 'loaded'
  AND s.period_grain = $period_grain AND s.period_start = $period_start::DATE
  AND s.snapshot_date = $snapshot_date::DATE
ORDER BY f.file_id
LIMIT 1;
