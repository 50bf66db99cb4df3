-- Grain: core.dim_portal, one row per configured portal: replaced from the configuration
-- (`configured_portals`: portal_code, portal_name, sector, province_code_at_source, dvcqg_code,
-- until) with today's province from core.province_crosswalk. Portals no longer configured stay.
DELETE FROM core.dim_portal
WHERE portal_code IN (SELECT portal_code FROM configured_portals);

INSERT INTO core.dim_portal BY NAME
SELECT c.portal_code, c.portal_name, c.sector, c.province_code_at_source,
       coalesce(cw.province_code, c.province_code_at_source) AS province_code,
       c.dvcqg_code, c.until
FROM configured_portals AS c
LEFT JOIN core.province_crosswalk AS cw ON cw.old_province_code = c.province_code_at_source
ORDER BY c.portal_code;
