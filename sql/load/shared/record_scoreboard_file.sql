-- One ops.scoreboard_files row: a loaded scoreboard answer, what asked for it, and its snapshot.
INSERT INTO ops.scoreboard_files BY NAME
SELECT
    $file_id::BIGINT AS file_id,
    $request::VARCHAR AS request,
    $answer::VARCHAR AS answer,
    $group_code::VARCHAR AS group_code,
    $period_grain::VARCHAR AS period_grain,
    $period_start::DATE AS period_start,
    $period_end::DATE AS period_end,
    $snapshot_date::DATE AS snapshot_date;
