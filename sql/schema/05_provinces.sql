-- Vietnam's provinces before and after 1 July 2025 (Resolution 202/2025/QH15) and the crosswalks
-- from the old units to today's, filled once per warehouse from vietnamadminunits' bundled tables
-- (warehouse/admin_units.py). Grain: core.dim_province, one province version;
-- core.province_crosswalk, one old province; core.ward_crosswalk, one (old ward, new ward) pair;
-- core.dim_portal, one configured portal. Reads core.dim_agency (to give agencies loaded
-- before today's province).
CREATE TABLE IF NOT EXISTS core.dim_province (
    province_code VARCHAR NOT NULL,   -- statistics-office code (GSO), e.g. 20 Lạng Sơn
    province_name VARCHAR NOT NULL,
    valid_from    DATE NOT NULL,      -- 2008-08-01 (the 63) or 2025-07-01 (the 34)
    valid_to      DATE,               -- exclusive: 2025-07-01 for a merged province; null today
    dvcqg_code    VARCHAR             -- the national portal's unit code where known (H37)
);

CREATE TABLE IF NOT EXISTS core.province_crosswalk (
    old_province_code VARCHAR NOT NULL,  -- one of the 63
    province_code     VARCHAR NOT NULL   -- today's (one of the 34); unchanged ones: themselves
);

CREATE TABLE IF NOT EXISTS core.ward_crosswalk (
    old_ward_code     VARCHAR NOT NULL,  -- a ward of the 63 (the island districts: their code)
    old_province_code VARCHAR NOT NULL,
    old_ward_name     VARCHAR,
    old_is_district   BOOLEAN NOT NULL,  -- true for the five island districts that had no wards
    ward_code         VARCHAR NOT NULL,  -- today's ward
    province_code     VARCHAR NOT NULL,
    ward_name         VARCHAR NOT NULL,
    is_split          BOOLEAN NOT NULL,  -- the old ward went to several new ones
    is_default_target BOOLEAN NOT NULL   -- the one its records go to when the address says nothing
);

-- The configured portals ([[portals]] of cchc.toml), so their names and provinces are in the
-- warehouse and not only in the configuration; refreshed from the configuration before every
-- rebuild of the marts (sql/load/shared/record_portals.sql). A portal no longer configured
-- keeps its row: its history still belongs to it.
CREATE TABLE IF NOT EXISTS core.dim_portal (
    portal_code             VARCHAR NOT NULL,
    portal_name             VARCHAR NOT NULL,
    sector                  VARCHAR NOT NULL,  -- locality | ministry
    province_code_at_source VARCHAR,           -- the configured GSO code (a locality's)
    province_code           VARCHAR,           -- today's province (core.province_crosswalk)
    dvcqg_code              VARCHAR,
    until                   DATE               -- its last day of data (merged away); null: runs
);

-- Agencies loaded before the crosswalk was applied get today's province (a no-op once done).
UPDATE core.dim_agency AS a
SET province_code = cw.province_code
FROM core.province_crosswalk AS cw
WHERE cw.old_province_code = a.province_code_at_source
  AND a.province_code IS DISTINCT FROM cw.province_code;
