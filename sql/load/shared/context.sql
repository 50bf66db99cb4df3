-- One row: the file being loaded and what its portal configuration says about it.
-- Every load statement reads its parameters from here instead of from string formatting. The
-- row comes whole as one STRUCT parameter ($context) and is inserted by name into the declared
-- columns (as sql/alerts/check_context.sql fills check_context); a portal of a ministry has no
-- province or DVCQG code.
CREATE OR REPLACE TEMP TABLE load_context (
    file_id BIGINT NOT NULL,
    portal_code VARCHAR NOT NULL,
    loaded_at TIMESTAMP NOT NULL,
    exported_on DATE NOT NULL,
    sector VARCHAR NOT NULL,
    province_code VARCHAR,
    dvcqg_code VARCHAR
);
INSERT INTO load_context BY NAME SELECT unnest($context);
