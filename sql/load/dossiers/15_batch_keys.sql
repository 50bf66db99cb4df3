-- Per batch, after the upserts: the key of every (agency_code, agency_name, procedure_code)
-- the batch names, the small lookup Polars attaches to the batch's rows. Reads the batch's
-- distinct names (`incoming`, as in 10_batch_names.sql).
SELECT DISTINCT i.agency_code, i.agency_name, i.procedure_code, k.agency_key, p.procedure_key
FROM incoming AS i
JOIN stage_agency_name AS n
    ON n.agency_code IS NOT DISTINCT FROM i.agency_code
   AND n.agency_name = i.agency_name
   AND n.level IS NOT DISTINCT FROM i.level
JOIN stage_agency_key AS k ON k.agency_nk = n.agency_nk
JOIN core.dim_procedure AS p ON p.procedure_code = i.procedure_code;
