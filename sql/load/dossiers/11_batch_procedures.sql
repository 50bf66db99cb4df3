-- Per batch: the procedures it names, for load/shared/upsert_procedures.sql, with the name and
-- field written last. `incoming` is the batch reduced by Polars to one row per
-- (procedure_code, procedure_name, field_name) written, with its last source row.
CREATE OR REPLACE TEMP TABLE stage_procedure AS
SELECT
    procedure_code,
    arg_max(procedure_name, last_row) AS procedure_name,
    arg_max(field_name, last_row) AS field_name
FROM incoming
GROUP BY procedure_code;
