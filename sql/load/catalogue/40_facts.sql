-- Grain: one service (procedure, agency) over a validity interval. A catalogue export is the
-- portal's catalogue for the agencies it lists as of its date: a service of those agencies
-- missing from it closes, a changed service level closes the old row and opens a new one.
CREATE OR REPLACE TEMP TABLE service_incoming AS
SELECT ctx.portal_code, p.procedure_key, k.agency_key, s.agency_nk, s.service_level,
       s.valid_from, ctx.file_id, s.source_row
FROM stage_service AS s
CROSS JOIN load_context AS ctx
JOIN stage_agency_key AS k USING (agency_nk)
JOIN core.dim_procedure AS p ON p.procedure_code = s.procedure_code;

CREATE OR REPLACE TEMP TABLE service_open AS
SELECT f.*, a.agency_nk
FROM core.fact_service AS f
JOIN core.dim_agency AS a USING (agency_key)
JOIN load_context AS ctx ON ctx.portal_code = f.portal_code
WHERE f.valid_to IS NULL AND a.agency_nk IN (SELECT agency_nk FROM stage_agency);

-- Open rows that the export no longer lists, or lists with another level, close.
CREATE OR REPLACE TEMP TABLE service_closing AS
SELECT o.portal_code, o.procedure_key, o.agency_key,
       coalesce(i.valid_from, ctx.exported_on) AS closed_on
FROM service_open AS o
CROSS JOIN load_context AS ctx
LEFT JOIN service_incoming AS i
    ON i.agency_nk = o.agency_nk AND i.procedure_key = o.procedure_key
WHERE i.procedure_key IS NULL OR i.service_level <> o.service_level;

UPDATE core.fact_service AS f
SET valid_to = greatest(c.closed_on, f.valid_from + 1)
FROM service_closing AS c
WHERE f.valid_to IS NULL
  AND f.portal_code = c.portal_code
  AND f.procedure_key = c.procedure_key
  AND f.agency_key = c.agency_key;

INSERT INTO core.fact_service BY NAME
SELECT i.portal_code, i.procedure_key, i.agency_key, i.service_level, i.valid_from,
       NULL AS valid_to, i.file_id, i.source_row
FROM service_incoming AS i
WHERE NOT EXISTS (
    SELECT 1 FROM service_open AS o
    WHERE o.agency_nk = i.agency_nk
      AND o.procedure_key = i.procedure_key
      AND o.service_level = i.service_level
);
