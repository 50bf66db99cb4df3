"""Rebuild the marts: every file of sql/marts in name order, in one transaction.

The marts are derived data, rebuilt whole after every load, so they can never drift from the
facts and a failed rebuild leaves the previous marts in place. The configured portals are
recorded first (core.dim_portal): the pooled spans need each portal's `until` and province.
"""

from __future__ import annotations

from collections.abc import Iterable

import duckdb
import polars as pl

from warehouse.config import Portal
from warehouse.dictionary import apply_comments
from warehouse.sqlfiles import run_sql_file, sql_files

PORTAL_SCHEMA = {
    "portal_code": pl.String,
    "portal_name": pl.String,
    "sector": pl.String,
    "province_code_at_source": pl.String,
    "dvcqg_code": pl.String,
    "until": pl.Date,
}


def refresh_marts(con: duckdb.DuckDBPyConnection, portals: Iterable[Portal] = ()) -> None:
    """Record `portals` (the configuration's; none: keep core.dim_portal as it is), then
    rebuild every mart."""
    configured = pl.DataFrame(
        [(p.code, p.name, p.sector, p.province_code, p.dvcqg_code, p.until) for p in portals],
        schema=PORTAL_SCHEMA,
        orient="row",
    )
    con.begin()
    try:
        if configured.height:
            con.register("configured_portals", configured.to_arrow())
            try:
                run_sql_file(con, "load/shared/record_portals.sql")
            finally:
                con.unregister("configured_portals")
        for name in sql_files("marts"):
            run_sql_file(con, name)
        apply_comments(con, "mart")  # a rebuilt table has lost its comments
        con.commit()
    except BaseException:
        con.rollback()
        raise
