-- One row: the file being loaded and what its portal configuration says about it.
-- Every load statement reads its parameters from here instead of from string formatting.
CREATE OR REPLACE TEMP TABLE load_context AS
SELECT
    CAST($file_id AS BIGINT)         AS file_id,
    CAST($portal_code AS VARCHAR)    AS portal_code,
    CAST($loaded_at AS TIMESTAMP)    AS loaded_at,
    CAST($exported_on AS DATE)       AS exported_on,
    CAST($sector AS VARCHAR)         AS sector,
    CAST($province_code AS VARCHAR)  AS province_code,
    CAST($dvcqg_code AS VARCHAR)     AS dvcqg_code;
