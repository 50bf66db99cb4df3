-- Grain: one parsed, row-valid dossier of the file being loaded (filled batch by batch).
CREATE OR REPLACE TEMP TABLE stage_dossier (
    dossier_code   VARCHAR,
    procedure_code VARCHAR,
    procedure_name VARCHAR,
    field_name     VARCHAR,
    agency_code    VARCHAR,
    agency_name    VARCHAR,
    level          VARCHAR,
    channel        VARCHAR,
    service_level  VARCHAR,
    received_at    TIMESTAMP,
    due_at         TIMESTAMP,
    completed_at   TIMESTAMP,
    returned_at    TIMESTAMP,
    status         VARCHAR,
    digitized      BOOLEAN,
    e_result       BOOLEAN,
    paid_online    BOOLEAN,
    satisfaction   VARCHAR,
    source_row     BIGINT,
    agency_nk      VARCHAR   -- core.agency_nk of the row, computed once while staging
);
