-- "What did we know on date D": the latest version of each row loaded at or before `as_of`.
-- Grain: one dossier (one agency-field-period report row) as known at that moment.
CREATE OR REPLACE MACRO core.dossiers_as_of(as_of) AS TABLE
    SELECT * EXCLUDE (loaded_at)
    FROM core.fact_dossier_history
    WHERE loaded_at <= CAST(as_of AS TIMESTAMP)
    QUALIFY row_number() OVER (PARTITION BY portal_code, dossier_code ORDER BY file_id DESC) = 1;

CREATE OR REPLACE MACRO core.reports_as_of(as_of) AS TABLE
    SELECT h.* EXCLUDE (loaded_at)
    FROM core.fact_report_history AS h
    JOIN core.dim_agency AS a USING (agency_key)
    WHERE h.loaded_at <= CAST(as_of AS TIMESTAMP)
    QUALIFY row_number() OVER (
        PARTITION BY h.portal_code, a.agency_nk, coalesce(h.field_name, ''), h.period_from, h.period_to
        ORDER BY h.file_id DESC
    ) = 1;
