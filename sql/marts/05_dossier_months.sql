-- Grain: mart.dossier_month, one unit (an agency's field, mart.dossier_unit) and calendar month,
-- with the month's sums of mart.dossier_day's counts. Reads dossier_day_change and
-- dossier_day_recount (00_dossier_days.sql).
--
-- The indicators count a span's whole months from here and only its last, partial month from
-- the day counts (10_kpi_dossiers.sql): a year to date, or a stock on a span's last day (the sum
-- of every change before it), reads one row a month per unit instead of one a day. Kept like
-- the day counts: a night adds its change of the day counts, summed by month; counted afresh
-- with them.
CREATE TABLE IF NOT EXISTS mart.dossier_month (
    unit_key         INTEGER NOT NULL,  -- mart.dossier_unit
    month            DATE NOT NULL,     -- its first day
    received         BIGINT NOT NULL,
    received_online  BIGINT NOT NULL,
    digitized        BIGINT NOT NULL,
    with_fee         BIGINT NOT NULL,
    paid_online      BIGINT NOT NULL,
    resolved         BIGINT NOT NULL,
    resolved_in_time BIGINT NOT NULL,
    e_result         BIGINT NOT NULL,
    rated            BIGINT NOT NULL,
    satisfied        BIGINT NOT NULL,
    completed_any    BIGINT NOT NULL,
    returned_any     BIGINT NOT NULL,
    stock_change     BIGINT NOT NULL,
    in_time_change   BIGINT NOT NULL,
    overdue_change   BIGINT NOT NULL
);

DELETE FROM mart.dossier_month WHERE (SELECT recount FROM dossier_day_recount);

-- The night's change by month (after a recount: every day count, as dossier_day_change then is).
CREATE OR REPLACE TEMP TABLE dossier_month_change AS
SELECT unit_key, date_trunc('month', day)::DATE AS month,
       sum(COLUMNS(* EXCLUDE (unit_key, day)))::BIGINT
FROM dossier_day_change
GROUP BY ALL;

-- Added to the kept months as 00_dossier_days.sql adds the day counts: the months it touches are
-- taken out, summed with it and put back unless nothing is left on them.
CREATE OR REPLACE TEMP TABLE dossier_month_merged AS
SELECT unit_key, month, sum(COLUMNS(* EXCLUDE (unit_key, month)))::BIGINT
FROM (
    SELECT m.* FROM mart.dossier_month AS m
    SEMI JOIN dossier_month_change AS c USING (unit_key, month)
    UNION ALL BY NAME
    SELECT * FROM dossier_month_change
)
GROUP BY ALL;

DELETE FROM mart.dossier_month AS m
USING dossier_month_change AS c
WHERE m.unit_key = c.unit_key AND m.month = c.month;

INSERT INTO mart.dossier_month BY NAME
SELECT * FROM dossier_month_merged
ANTI JOIN (  -- months with nothing left on them
    SELECT unit_key, month FROM dossier_month_merged
    WHERE COLUMNS(* EXCLUDE (unit_key, month)) = 0
) USING (unit_key, month);
