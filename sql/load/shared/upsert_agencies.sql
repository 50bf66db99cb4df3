-- Grain: one dim_agency version per agency whose attributes changed or that is new.
-- Reads stage_agency (agency_nk, agency_name, agency_code, level, first_seen), load_context and
-- core.province_crosswalk (today's province of the one the data was produced under).
-- A value the file does not give (null) never overrides a known one.
CREATE OR REPLACE TEMP TABLE agency_change AS
WITH offered AS (
    SELECT
        s.agency_nk,
        coalesce(s.agency_name, cur.agency_name) AS agency_name,
        coalesce(s.agency_code, cur.agency_code) AS agency_code,
        coalesce(split_part(s.agency_code, '.', 1), cur.dvcqg_code, ctx.dvcqg_code) AS dvcqg_code,
        coalesce(s.level, cur.level, CASE WHEN ctx.sector = 'ministry' THEN 'Bộ' END) AS level,
        coalesce(ctx.sector, cur.sector) AS sector,
        coalesce(ctx.province_code, cur.province_code_at_source) AS province_code_at_source,
        ctx.portal_code,
        ctx.file_id,
        cur.agency_key AS current_key,
        CASE
            WHEN cur.agency_key IS NULL THEN coalesce(s.first_seen, ctx.exported_on)
            ELSE greatest(coalesce(s.first_seen, ctx.exported_on), cur.valid_from + 1)
        END AS valid_from,
        cur.agency_name AS cur_name,
        cur.agency_code AS cur_code,
        cur.level AS cur_level,
        cur.sector AS cur_sector,
        cur.province_code_at_source AS cur_province
    FROM stage_agency AS s
    CROSS JOIN load_context AS ctx
    LEFT JOIN core.dim_agency AS cur
        ON cur.agency_nk = s.agency_nk AND cur.valid_to IS NULL
)
SELECT *
FROM offered
WHERE current_key IS NULL
   OR (agency_name, agency_code, level, sector, province_code_at_source)
      IS DISTINCT FROM (cur_name, cur_code, cur_level, cur_sector, cur_province);

UPDATE core.dim_agency
SET valid_to = ch.valid_from
FROM agency_change AS ch
WHERE core.dim_agency.agency_key = ch.current_key;

INSERT INTO core.dim_agency BY NAME
SELECT
    nextval('core.agency_key_seq') AS agency_key,
    ch.agency_nk, ch.agency_code, ch.dvcqg_code, ch.agency_name, ch.sector, ch.level,
    ch.portal_code,
    coalesce(cw.province_code, ch.province_code_at_source) AS province_code,
    ch.province_code_at_source,
    ch.valid_from,
    NULL AS valid_to,
    ch.file_id
FROM agency_change AS ch
LEFT JOIN core.province_crosswalk AS cw ON cw.old_province_code = ch.province_code_at_source
ORDER BY ch.agency_nk;

-- H37.18 belongs to H37: link each agency to the agency whose code is its code's prefix.
UPDATE core.dim_agency AS child
SET parent_agency_key = parent.agency_key
FROM core.dim_agency AS parent
WHERE child.parent_agency_key IS NULL
  AND child.agency_code LIKE '%.%'
  AND parent.valid_to IS NULL
  AND parent.portal_code = child.portal_code
  AND parent.agency_code = regexp_replace(child.agency_code, '\.[^.]*$', '');

CREATE OR REPLACE TEMP TABLE stage_agency_key AS
SELECT s.agency_nk, d.agency_key
FROM stage_agency AS s
JOIN core.dim_agency AS d ON d.agency_nk = s.agency_nk AND d.valid_to IS NULL;
