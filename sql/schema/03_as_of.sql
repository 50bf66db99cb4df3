-- "What did we know at moment D": every version loaded at or before `as_of` (current rows and
-- the replaced ones in *_history), the latest per key. Grain: one dossier / one report row.

-- core.versions_as_of: the versions of one fact table (`fact`, its `history`) whose file was
-- loaded at or before `as_of`. Grain: one loaded version of a row.
CREATE OR REPLACE MACRO core.versions_as_of(fact, history, as_of) AS TABLE
    WITH versions AS (
        SELECT c.*, f.loaded_at
        FROM query_table(fact) AS c JOIN ops.files AS f USING (file_id)
        UNION ALL BY NAME
        SELECT h.* EXCLUDE (superseded_at, superseded_by_file), f.loaded_at
        FROM query_table(history) AS h JOIN ops.files AS f USING (file_id)
    )
    SELECT * EXCLUDE (loaded_at)
    FROM versions
    WHERE loaded_at <= CAST(as_of AS TIMESTAMP);

CREATE OR REPLACE MACRO core.dossiers_as_of(as_of) AS TABLE
    SELECT *
    FROM core.versions_as_of('core.fact_dossier', 'core.fact_dossier_history', as_of)
    QUALIFY row_number() OVER (PARTITION BY portal_code, dossier_code ORDER BY file_id DESC) = 1;

CREATE OR REPLACE MACRO core.reports_as_of(as_of) AS TABLE
    SELECT v.*
    FROM core.versions_as_of('core.fact_report', 'core.fact_report_history', as_of) AS v
    JOIN core.dim_agency AS a USING (agency_key)
    QUALIFY row_number() OVER (
        PARTITION BY v.portal_code, a.agency_nk, v.field_name, v.period_from, v.period_to
        ORDER BY v.file_id DESC
    ) = 1;
