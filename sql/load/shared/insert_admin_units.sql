-- The administrative units of warehouse/admin_units.py, once per warehouse (sql/schema/05).
-- Reads the Arrow tables `provinces`, `province_crosswalk` and `ward_crosswalk`.
INSERT INTO core.dim_province BY NAME SELECT * FROM provinces;
INSERT INTO core.province_crosswalk BY NAME SELECT * FROM province_crosswalk;
INSERT INTO core.ward_crosswalk BY NAME SELECT * FROM ward_crosswalk;
