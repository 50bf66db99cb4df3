"""The report's rows: one file of sql/report per section, read on a read-only connection."""

from __future__ import annotations

from datetime import date

import duckdb
import polars as pl

from warehouse.sqlfiles import run_sql_file

RANKED_METRICS = ("on_time_rate", "online_rate", "digitized_rate")  # what provinces compete on
PORTAL_YEARS = 5  # years shown per portal: enough for a trend, narrow enough to print
CAUSE_CHILDREN = 8  # children drawn per fall: the rest are small by construction (largest first)


def read_sections(con: duckdb.DuckDBPyConnection, as_of: date) -> dict[str, pl.DataFrame]:
    """One frame per section; a section whose tables do not exist yet gets an empty frame."""
    present = set(run_sql_file(con, "report/00_tables.sql").pl()["table_name"].to_list())
    queries = {
        "trend": ("report/10_national_trend.sql", {"as_of": as_of}, {"mart.kpi", "ops.alerts"}),
        "regressions": ("report/20_falls.sql", {}, {"mart.kpi_yoy", "ops.alerts"}),
        "causes": (
            "report/25_causes.sql",
            {"children": CAUSE_CHILDREN},
            {"ops.alerts", "ops.alert_causes"},
        ),
        "ranking": (
            "report/30_province_ranking.sql",
            {"metrics": list(RANKED_METRICS), "as_of": as_of},
            {"mart.kpi"},
        ),
        "alerts": ("report/40_open_alerts.sql", {}, {"ops.alerts", "core.agency_names"}),
        "portals": (
            "report/50_portal_years.sql",
            {"years": PORTAL_YEARS, "as_of": as_of},
            {"mart.kpi", "ops.alerts", "core.dim_agency"},
        ),
        "scoreboard": (
            "report/60_national_scoreboard.sql",
            {"as_of": as_of},
            {"mart.scoreboard"},
        ),
    }
    frames: dict[str, pl.DataFrame] = {}
    for key, (name, params, needs) in queries.items():
        frames[key] = run_sql_file(con, name, params).pl() if needs <= present else pl.DataFrame()
    return frames
