-- Per batch, after the upserts: the procedure_key of each procedure code the batch writes.
SELECT s.procedure_code, p.procedure_key
FROM stage_procedure AS s
JOIN core.dim_procedure AS p USING (procedure_code);
