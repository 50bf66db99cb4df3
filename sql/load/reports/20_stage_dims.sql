-- Grain: one agency named by the report file (stage_agency); reports name no procedures.
-- Reads stage_report; the macro is shared/stage_dim_macros.sql's.
CREATE OR REPLACE TEMP TABLE stage_agency AS
FROM staged_agencies('stage_report', period_from);
