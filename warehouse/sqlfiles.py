"""Run the plain SQL files under sql/ (the project keeps no SQL inside Python strings)."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

# An installed wheel carries the SQL inside the package (pyproject.toml force-include); a clone
# keeps it at the top of the repository, where people read it.
_PACKAGED = Path(__file__).resolve().parent / "sql"
SQL_DIR = _PACKAGED if _PACKAGED.is_dir() else Path(__file__).resolve().parent.parent / "sql"


@cache
def _statements(name: str) -> list[duckdb.Statement]:
    return duckdb.extract_statements((SQL_DIR / name).read_text(encoding="utf-8"))


def run_sql_file(
    con: duckdb.DuckDBPyConnection,
    name: str,
    params: dict[str, Any] | None = None,
    *,
    incoming: pa.Table | None = None,
) -> duckdb.DuckDBPyConnection:
    """Execute every statement of `sql/<name>`, each given the named parameters it uses.

    `incoming` is the Arrow table that the SQL reads as `FROM incoming`. DuckDB finds it by
    name in this frame (a replacement scan) instead of through `register`, because a registered
    table stays referenced by the catalog until the transaction ends: a file loaded in one
    transaction would then hold every one of its batches in memory at once.
    """
    params = params or {}
    for statement in _statements(name):
        wanted = {key: params[key] for key in statement.named_parameters}
        con.execute(statement, wanted or None)
    return con


def sql_files(folder: str) -> list[str]:
    """The files of `sql/<folder>` in name order, as names for `run_sql_file`."""
    return sorted(f"{folder}/{p.name}" for p in (SQL_DIR / folder).glob("*.sql"))
