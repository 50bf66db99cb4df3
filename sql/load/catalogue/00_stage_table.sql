-- Grain: one parsed, row-valid catalogue row (procedure, agency) of the file being loaded.
CREATE OR REPLACE TEMP TABLE stage_service (
    procedure_code VARCHAR,
    procedure_name VARCHAR,
    field_name     VARCHAR,
    agency_code    VARCHAR,
    agency_name    VARCHAR,
    level          VARCHAR,
    service_level  VARCHAR,
    valid_from     DATE,
    source_row     BIGINT,
    agency_nk      VARCHAR   -- core.agency_nk of the row, computed once while staging
);
