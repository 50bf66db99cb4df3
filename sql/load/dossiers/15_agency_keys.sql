-- Per batch, after the upserts: the agency_key of each (agency_code, agency_name) the batch
-- writes, the small lookup Polars attaches to the batch's rows.
SELECT DISTINCT n.agency_code, n.agency_name, k.agency_key
FROM stage_agency_name AS n
JOIN stage_agency_key AS k USING (agency_nk);
