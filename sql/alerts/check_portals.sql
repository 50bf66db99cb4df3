-- The configured portals (`incoming`: portal_code, sector), for checks about deliveries.
CREATE OR REPLACE TEMP TABLE check_portal AS SELECT portal_code, sector FROM incoming;
