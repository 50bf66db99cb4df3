-- Grain: one parsed, row-valid report row (agency or field, period) of the file being loaded.
CREATE OR REPLACE TEMP TABLE stage_report (
    agency_name      VARCHAR,
    agency_code      VARCHAR,
    field_name       VARCHAR,
    level            VARCHAR,
    period_from      DATE,
    period_to        DATE,
    received_total   BIGINT,
    carried_over     BIGINT,
    received_online  BIGINT,
    received_offline BIGINT,
    resolved_total   BIGINT,
    resolved_early   BIGINT,
    resolved_on_time BIGINT,
    resolved_late    BIGINT,
    pending_total    BIGINT,
    pending_in_time  BIGINT,
    pending_overdue  BIGINT,
    source_row       BIGINT,
    agency_nk        VARCHAR   -- core.agency_nk of the row, computed once while staging
);
