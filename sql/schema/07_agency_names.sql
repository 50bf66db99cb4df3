-- Grain: core.agency_names, one (portal, unit code) and one (portal, agency identity) of every
-- agency, with its latest name: an alert names its agency by unit code, or by identity where it
-- has none (ops.alerts' agency_code, agency_nk), and digests and the report show today's name.
-- Reads core.dim_agency.
CREATE OR REPLACE VIEW core.agency_names AS
SELECT portal_code, agency_code AS agency_ref, arg_max(agency_name, valid_from) AS agency_name
FROM core.dim_agency
WHERE agency_code IS NOT NULL
GROUP BY ALL
UNION ALL
SELECT portal_code, agency_nk, arg_max(agency_name, valid_from)
FROM core.dim_agency
GROUP BY ALL;
