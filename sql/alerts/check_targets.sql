-- The floors of cchc.toml [[checks.targets]] (`incoming`: metric, sector, floor, severity).
CREATE OR REPLACE TEMP TABLE check_target AS
SELECT metric, sector, floor, severity FROM incoming;
