-- Grain: one table or view the report reads that exists in this warehouse (mart.kpi,
-- mart.kpi_yoy, ops.alerts, ops.alert_causes, core.dim_agency, core.agency_names,
-- mart.scoreboard). Reads duckdb_tables() and duckdb_views(): a warehouse whose indicators were
-- never rebuilt has no mart schema yet, and one no writer has opened since an upgrade may lack
-- a view; their sections are then empty rather than failing.
SELECT name AS table_name
FROM (
    SELECT schema_name || '.' || table_name AS name FROM duckdb_tables()
    UNION ALL
    SELECT schema_name || '.' || view_name FROM duckdb_views()
)
WHERE name IN (
    'mart.kpi', 'mart.kpi_yoy', 'ops.alerts', 'ops.alert_causes', 'core.dim_agency',
    'core.agency_names', 'mart.scoreboard'
)
ORDER BY 1;
