-- "What did we know at moment D": every version loaded at or before `as_of` (current rows and
-- the replaced ones in *_history), the latest per key. Grain: one dossier / one report row.
CREATE OR REPLACE MACRO core.dossiers_as_of(as_of) AS TABLE
    WITH versions AS (
        SELECT d.*, f.loaded_at
        FROM core.fact_dossier AS d JOIN ops.files AS f USING (file_id)
        UNION ALL BY NAME
        SELECT h.* EXCLUDE (superseded_at, superseded_by_file), f.loaded_at
        FROM core.fact_dossier_history AS h JOIN ops.files AS f USING (file_id)
    )
    SELECT * EXCLUDE (loaded_at)
    FROM versions
    WHERE loaded_at <= CAST(as_of AS TIMESTAMP)
    QUALIFY row_number() OVER (PARTITION BY portal_code, dossier_code ORDER BY file_id DESC) = 1;

CREATE OR REPLACE MACRO core.reports_as_of(as_of) AS TABLE
    WITH versions AS (
        SELECT r.*, f.loaded_at
        FROM core.fact_report AS r JOIN ops.files AS f USING (file_id)
        UNION ALL BY NAME
        SELECT h.* EXCLUDE (superseded_at, superseded_by_file), f.loaded_at
        FROM core.fact_report_history AS h JOIN ops.files AS f USING (file_id)
    )
    SELECT v.* EXCLUDE (loaded_at)
    FROM versions AS v
    JOIN core.dim_agency AS a USING (agency_key)
    WHERE v.loaded_at <= CAST(as_of AS TIMESTAMP)
    QUALIFY row_number() OVER (
        PARTITION BY v.portal_code, a.agency_nk, v.field_name, v.period_from, v.period_to
        ORDER BY v.file_id DESC
    ) = 1;
