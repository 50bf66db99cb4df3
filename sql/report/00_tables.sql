-- Grain: one table the report reads that exists in this warehouse (mart.kpi, mart.kpi_yoy, ops.alerts,
-- ops.alert_causes, core.dim_agency, mart.scoreboard).
-- Reads duckdb_tables(): a warehouse whose indicators were never rebuilt has no mart schema yet.
SELECT schema_name || '.' || table_name AS table_name
FROM duckdb_tables()
WHERE schema_name || '.' || table_name IN (
    'mart.kpi', 'mart.kpi_yoy', 'ops.alerts', 'ops.alert_causes', 'core.dim_agency',
    'mart.scoreboard'
)
ORDER BY 1;
