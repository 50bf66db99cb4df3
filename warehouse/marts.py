"""Rebuild the marts: every file of sql/marts in name order, in one transaction.

The marts are derived data, rebuilt whole after every load, so they can never drift from the
facts and a failed rebuild leaves the previous marts in place.
"""

from __future__ import annotations

import duckdb

from warehouse.sqlfiles import run_sql_file, sql_files


def refresh_marts(con: duckdb.DuckDBPyConnection) -> None:
    con.begin()
    try:
        for name in sql_files("marts"):
            run_sql_file(con, name)
        con.commit()
    except BaseException:
        con.rollback()
        raise
