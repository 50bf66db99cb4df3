-- Grain: mart.dossier_unit, one portal, agency and field (its procedures' lĩnh vực; '' when a
-- procedure has none), numbered once for good (unit_key); mart.dossier_day, one unit and day,
-- with what the dossiers of that agency and field did that day: flows by the day they name
-- (received_at, completed_at), the changes of the unresolved stock (its running sum on a day is
-- the stock at the end of it), and the events that bound coverage; mart.dossier_online_use, one
-- unit, procedure and day with the dossiers received online. Reads core.fact_dossier and
-- core.fact_dossier_history (only the files loaded since the last build), core.dim_agency,
-- core.dim_procedure.
--
-- These two tables are kept, not rebuilt: every measure is a count a dossier adds, so a night
-- adds the rows its files loaded and takes back the versions they replaced (superseded_by_file),
-- and the cost of a night follows what it loaded, not all that was ever loaded. The files taken
-- in are those up to mart.dossier_day_state.last_file_id (file ids only grow). Everything is
-- counted afresh when the tables are new, when this file or 05_dossier_months.sql (which keeps
-- them summed by month) changed (an upgrade may count differently: $counted_by is their
-- digest, warehouse/marts.py), and when a procedure's field changed (upsert_procedures: the
-- latest file's field wins), which moves dossiers already counted to another field.
CREATE SCHEMA IF NOT EXISTS mart;

-- The counts are keyed by a number, not by three names: they are written, merged and summed
-- over every night, and names cost several times more to store and compare.
CREATE TABLE IF NOT EXISTS mart.dossier_unit (
    unit_key    INTEGER NOT NULL,
    portal_code VARCHAR NOT NULL,
    agency_nk   VARCHAR NOT NULL,
    field_name  VARCHAR NOT NULL
);

CREATE TABLE IF NOT EXISTS mart.dossier_day (
    unit_key         INTEGER NOT NULL,  -- mart.dossier_unit
    day              DATE NOT NULL,
    received         BIGINT NOT NULL,  -- by received_at, every status
    received_online  BIGINT NOT NULL,
    digitized        BIGINT NOT NULL,
    with_fee         BIGINT NOT NULL,
    paid_online      BIGINT NOT NULL,
    resolved         BIGINT NOT NULL,  -- by completed_at, status resolved
    resolved_in_time BIGINT NOT NULL,
    e_result         BIGINT NOT NULL,
    rated            BIGINT NOT NULL,
    satisfied        BIGINT NOT NULL,
    completed_any    BIGINT NOT NULL,  -- by completed_at / returned_at, every status (coverage)
    returned_any     BIGINT NOT NULL,
    stock_change     BIGINT NOT NULL,  -- unresolved stock: + on receipt, - on completion
    in_time_change   BIGINT NOT NULL,  -- of which not yet due (due_at on or after the day)
    overdue_change   BIGINT NOT NULL   -- of which overdue (due_at before the day)
);

CREATE TABLE IF NOT EXISTS mart.dossier_online_use (
    unit_key      INTEGER NOT NULL,  -- mart.dossier_unit
    procedure_key BIGINT NOT NULL,
    day           DATE NOT NULL,
    dossiers      BIGINT NOT NULL
);

CREATE TABLE IF NOT EXISTS mart.dossier_day_state (
    last_file_id BIGINT NOT NULL,
    counted_by   VARCHAR  -- the digest of the SQL that counted them
);
ALTER TABLE mart.dossier_day_state ADD COLUMN IF NOT EXISTS counted_by VARCHAR;
-- Counts kept by an earlier release under the unit's names: keyed by unit_key instead (they are
-- counted afresh, since this file's digest differs from the one that counted them).
ALTER TABLE mart.dossier_day ADD COLUMN IF NOT EXISTS unit_key INTEGER;
ALTER TABLE mart.dossier_online_use ADD COLUMN IF NOT EXISTS unit_key INTEGER;
ALTER TABLE mart.dossier_day DROP COLUMN IF EXISTS portal_code;
ALTER TABLE mart.dossier_day DROP COLUMN IF EXISTS agency_nk;
ALTER TABLE mart.dossier_day DROP COLUMN IF EXISTS field_name;
ALTER TABLE mart.dossier_online_use DROP COLUMN IF EXISTS portal_code;
ALTER TABLE mart.dossier_online_use DROP COLUMN IF EXISTS agency_nk;

-- The field each procedure was counted under, to see when one changes.
CREATE TABLE IF NOT EXISTS mart.dossier_day_fields (
    procedure_key BIGINT NOT NULL,
    field_name    VARCHAR NOT NULL
);

-- Count afresh when asked ($recount: `refresh_marts(..., recount=True)`), when the counts were
-- made by other SQL or are missing (new tables), or when a procedure's field changed.
CREATE OR REPLACE TEMP TABLE dossier_day_recount AS
SELECT $recount
       OR NOT EXISTS (SELECT 1 FROM mart.dossier_day_state WHERE counted_by = $counted_by)
       OR EXISTS (
           SELECT 1 FROM mart.dossier_day_fields AS c
           JOIN core.dim_procedure AS p USING (procedure_key)
           WHERE c.field_name <> coalesce(p.field_name, '')
       ) AS recount;

DELETE FROM mart.dossier_day WHERE (SELECT recount FROM dossier_day_recount);
DELETE FROM mart.dossier_online_use WHERE (SELECT recount FROM dossier_day_recount);
DELETE FROM mart.dossier_day_state WHERE (SELECT recount FROM dossier_day_recount);

-- The dossier versions that came (+1) and went (-1) since the last build. A version that came
-- and went since then (loaded, then replaced by a later file) is in neither. A view: the units
-- below read two of its columns, the change all of them, each scan only what it needs.
CREATE OR REPLACE TEMP VIEW dossier_version_change AS
WITH since AS (SELECT coalesce(max(last_file_id), -1) AS file_id FROM mart.dossier_day_state)
-- constant bounds (scalar subqueries), so the scans skip the row groups of older files
SELECT agency_key, procedure_key, channel, status, outcome, digitized, e_result, paid_online,
       satisfaction, received_at, completed_at, returned_at, due_at, 1 AS sign
FROM core.fact_dossier
WHERE file_id > (SELECT file_id FROM since)
UNION ALL
SELECT agency_key, procedure_key, channel, status, outcome, digitized, e_result, paid_online,
       satisfaction, received_at, completed_at, returned_at, due_at, -1 AS sign
FROM core.fact_dossier_history
WHERE superseded_by_file > (SELECT file_id FROM since)
  AND file_id <= (SELECT file_id FROM since);

-- The unit each agency version and procedure counts under; a unit seen for the first time is
-- numbered after the others (a unit keeps its number for good, through recounts too).
CREATE OR REPLACE TEMP TABLE dossier_version_unit AS
SELECT k.agency_key, k.procedure_key, a.portal_code, a.agency_nk,
       coalesce(p.field_name, '') AS field_name
FROM (SELECT DISTINCT agency_key, procedure_key FROM dossier_version_change) AS k
JOIN core.dim_agency AS a USING (agency_key)
JOIN core.dim_procedure AS p USING (procedure_key);

INSERT INTO mart.dossier_unit
SELECT (SELECT coalesce(max(unit_key), 0) FROM mart.dossier_unit)
           + row_number() OVER (ORDER BY portal_code, agency_nk, field_name),
       portal_code, agency_nk, field_name
FROM (SELECT DISTINCT portal_code, agency_nk, field_name FROM dossier_version_unit)
ANTI JOIN mart.dossier_unit USING (portal_code, agency_nk, field_name);

CREATE OR REPLACE TEMP TABLE dossier_change AS
SELECT u.unit_key, v.procedure_key, v.sign, v.channel, v.status, v.outcome, v.digitized,
       v.e_result, v.paid_online, v.satisfaction,
       v.received_at::DATE AS received_on, v.completed_at::DATE AS completed_on,
       v.returned_at::DATE AS returned_on, v.due_at::DATE AS due_on,
       -- in the unresolved stock: received, and not completed the same day
       v.status IN ('resolved', 'pending', 'suspended')
           AND (v.completed_at IS NULL OR v.completed_at::DATE > v.received_at::DATE) AS stocked
FROM dossier_version_change AS v
JOIN (SELECT agency_key, procedure_key, unit_key
      FROM dossier_version_unit JOIN mart.dossier_unit USING (portal_code, agency_nk, field_name)
     ) AS u USING (agency_key, procedure_key);

-- Each version's events, counted by the day they fall on: the day it is received, the day after
-- its due day, the day it is completed, the day it is returned; a version that went counts -1.
-- A dossier in the stock (received, not completed the same day) is unresolved from its receipt
-- to its completion, not yet due up to its due day and overdue from the day after: each stretch
-- adds +1 to the stock on the day it starts and -1 on the day it ends. The four kinds of day are
-- counted apart and put side by side (count(*) FILTER is far cheaper than sums over columns
-- mostly empty).
CREATE OR REPLACE TEMP MACRO signed_count(condition, sign) AS
    count(*) FILTER (WHERE condition AND sign > 0) - count(*) FILTER (WHERE condition AND sign < 0);

CREATE OR REPLACE TEMP TABLE dossier_day_change AS
WITH on_receipt AS (
    SELECT unit_key, received_on AS day,
           signed_count(true, sign) AS received,
           signed_count(channel = 'online', sign) AS received_online,
           signed_count(digitized, sign) AS digitized,
           signed_count(paid_online IS NOT NULL, sign) AS with_fee,
           signed_count(paid_online, sign) AS paid_online,
           signed_count(stocked, sign) AS stock_in,
           signed_count(stocked AND due_on >= received_on, sign) AS in_time_in,
           signed_count(stocked AND due_on < received_on, sign) AS overdue_in
    FROM dossier_change
    GROUP BY ALL
),
after_due AS (
    SELECT unit_key, due_on + 1 AS day, signed_count(true, sign) AS fell_due
    FROM dossier_change
    WHERE stocked AND due_on >= received_on
      AND (completed_on IS NULL OR completed_on > due_on + 1)
    GROUP BY ALL
),
on_completion AS (
    SELECT unit_key, completed_on AS day,
           signed_count(status = 'resolved', sign) AS resolved,
           signed_count(status = 'resolved' AND outcome IN ('early', 'on_time'), sign)
               AS resolved_in_time,
           signed_count(status = 'resolved' AND e_result, sign) AS e_result,
           signed_count(status = 'resolved' AND satisfaction IS NOT NULL, sign) AS rated,
           signed_count(status = 'resolved' AND satisfaction IN ('Rất hài lòng', 'Hài lòng'), sign)
               AS satisfied,
           signed_count(true, sign) AS completed_any,
           signed_count(stocked, sign) AS stock_out,
           signed_count(stocked AND completed_on <= due_on + 1, sign) AS in_time_out,
           signed_count(stocked AND completed_on > due_on + 1, sign) AS overdue_out
    FROM dossier_change WHERE completed_on IS NOT NULL
    GROUP BY ALL
),
on_return AS (
    SELECT unit_key, returned_on AS day, signed_count(true, sign) AS returned_any
    FROM dossier_change WHERE returned_on IS NOT NULL
    GROUP BY ALL
),
days AS (
    SELECT * FROM on_receipt
    FULL JOIN after_due USING (unit_key, day)
    FULL JOIN on_completion USING (unit_key, day)
    FULL JOIN on_return USING (unit_key, day)
)
SELECT d.unit_key, d.day,
       -- the flows as counted (none on a day: 0), then the stock's changes from their parts
       coalesce(COLUMNS(d.* EXCLUDE (unit_key, day, stock_in, stock_out, in_time_in, fell_due,
                                     in_time_out, overdue_in, overdue_out)), 0),
       coalesce(d.stock_in, 0) - coalesce(d.stock_out, 0) AS stock_change,
       coalesce(d.in_time_in, 0) - coalesce(d.fell_due, 0) - coalesce(d.in_time_out, 0)
           AS in_time_change,
       coalesce(d.overdue_in, 0) + coalesce(d.fell_due, 0) - coalesce(d.overdue_out, 0)
           AS overdue_change
FROM days AS d;

-- Added to the rows of the same days: those rows are taken out, summed with the change and put
-- back unless nothing is left on them. With nothing kept yet (a first load, a recount), the
-- change is the new rows as they are: every version in it came (+1), so no row sums to nothing
-- (the variable is a constant: the branch not taken is left out of each plan).
SET VARIABLE dossier_day_kept = (SELECT EXISTS (SELECT 1 FROM mart.dossier_day));

CREATE OR REPLACE TEMP TABLE dossier_day_merged AS
SELECT unit_key, day, sum(COLUMNS(* EXCLUDE (unit_key, day)))::BIGINT
FROM (
    SELECT d.* FROM mart.dossier_day AS d
    SEMI JOIN dossier_day_change AS c USING (unit_key, day)
    UNION ALL BY NAME
    SELECT * FROM dossier_day_change
)
WHERE getvariable('dossier_day_kept')
GROUP BY ALL;

DELETE FROM mart.dossier_day AS d
USING dossier_day_change AS c
WHERE getvariable('dossier_day_kept')
  AND d.unit_key = c.unit_key AND d.day = c.day;

INSERT INTO mart.dossier_day BY NAME
SELECT * FROM dossier_day_change
WHERE NOT getvariable('dossier_day_kept')
UNION ALL BY NAME
SELECT * FROM dossier_day_merged
ANTI JOIN (  -- rows with nothing left on them
    SELECT unit_key, day FROM dossier_day_merged
    WHERE COLUMNS(* EXCLUDE (unit_key, day)) = 0
) USING (unit_key, day);

-- Services used online (30_kpi_catalogue.sql): the same, by procedure.
CREATE OR REPLACE TEMP TABLE dossier_online_use_change AS
SELECT unit_key, procedure_key, received_on AS day, sum(sign)::BIGINT AS dossiers
FROM dossier_change WHERE channel = 'online'
GROUP BY ALL;

-- One count a row, so it is added in place.
UPDATE mart.dossier_online_use AS u
SET dossiers = u.dossiers + c.dossiers
FROM dossier_online_use_change AS c
WHERE u.unit_key = c.unit_key AND u.procedure_key = c.procedure_key AND u.day = c.day;

INSERT INTO mart.dossier_online_use BY NAME
SELECT * FROM dossier_online_use_change
ANTI JOIN mart.dossier_online_use USING (unit_key, procedure_key, day);

DELETE FROM mart.dossier_online_use WHERE dossiers = 0;

DELETE FROM mart.dossier_day_state;
INSERT INTO mart.dossier_day_state  -- only files that loaded rows bring dossiers
SELECT coalesce(max(file_id), -1), $counted_by FROM ops.files WHERE status = 'loaded';

DELETE FROM mart.dossier_day_fields;
INSERT INTO mart.dossier_day_fields
SELECT procedure_key, coalesce(field_name, '') FROM core.dim_procedure;
