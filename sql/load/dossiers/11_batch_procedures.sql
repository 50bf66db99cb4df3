-- Per batch: the procedures it names, for load/shared/upsert_procedures.sql, with the name and
-- field written last. `incoming` is the batch reduced by Polars to one row per
-- (procedure_code, procedure_name, field_name) written, with its last source row; the macro is
-- shared/stage_dim_macros.sql's.
CREATE OR REPLACE TEMP TABLE stage_procedure AS
FROM staged_procedures('incoming', last_row);
