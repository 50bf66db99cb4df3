-- Grain: one dim_procedure row per procedure code; the latest file's name and field win.
-- Reads stage_procedure (procedure_code, procedure_name, field_name).
UPDATE core.dim_procedure
SET procedure_name = coalesce(s.procedure_name, core.dim_procedure.procedure_name),
    field_name = coalesce(s.field_name, core.dim_procedure.field_name)
FROM stage_procedure AS s
WHERE core.dim_procedure.procedure_code = s.procedure_code
  AND (coalesce(s.procedure_name, core.dim_procedure.procedure_name),
       coalesce(s.field_name, core.dim_procedure.field_name))
      IS DISTINCT FROM (core.dim_procedure.procedure_name, core.dim_procedure.field_name);

INSERT INTO core.dim_procedure BY NAME
SELECT nextval('core.procedure_key_seq') AS procedure_key, s.procedure_code, s.procedure_name,
       s.field_name
FROM (SELECT * FROM stage_procedure ORDER BY procedure_code) AS s
ANTI JOIN core.dim_procedure AS p USING (procedure_code);
