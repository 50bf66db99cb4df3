-- Grain: one agency (stage_agency) and one procedure (stage_procedure) named by the catalogue.
-- Reads stage_service; the macros are shared/stage_dim_macros.sql's.
CREATE OR REPLACE TEMP TABLE stage_agency AS
FROM staged_agencies('stage_service', valid_from);

CREATE OR REPLACE TEMP TABLE stage_procedure AS
FROM staged_procedures('stage_service', source_row);
