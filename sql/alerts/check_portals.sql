-- The configured portals (`incoming`: portal_code, sector, until), for checks about deliveries.
-- `until`: the last day a portal delivers data for (merged away in 2025), null while it runs.
CREATE OR REPLACE TEMP TABLE check_portal AS SELECT portal_code, sector, until FROM incoming;
