-- Grain: one table of the core and mart schemas, the ones `cchc export` writes as Parquet.
SELECT schema_name || '.' || table_name AS name
FROM duckdb_tables()
WHERE schema_name IN ('core', 'mart') AND NOT temporary
ORDER BY schema_name, table_name;
