"""Run the plain SQL files under sql/ (the project keeps no SQL inside Python strings)."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb

if TYPE_CHECKING:  # a read-only command never hands Arrow over: pyarrow stays unimported
    import pyarrow as pa

# An installed wheel carries the SQL inside the package (pyproject.toml force-include); a clone
# keeps it at the top of the repository, where people read it.
_PACKAGED = Path(__file__).resolve().parent / "sql"
SQL_DIR = _PACKAGED if _PACKAGED.is_dir() else Path(__file__).resolve().parent.parent / "sql"


@cache
def _statements(name: str) -> list[duckdb.Statement]:
    return duckdb.extract_statements((SQL_DIR / name).read_text(encoding="utf-8"))


INCOMING = "incoming"  # the name an SQL file reads a handed-over Arrow table by


class ArrowHandover:
    """An Arrow table lent to DuckDB under a name, and taken back when its statements are done.

    DuckDB keeps whatever was registered, even once unregistered, until the transaction ends: a
    dropped view stays in the catalog's versions until then. A dossier file loads in one
    transaction, so registering each batch's table held every batch of the file in memory at
    once (measured: 1.2 GiB of Arrow memory still held after ten batches of 120 MiB; the same
    with `from_arrow(...).create_view` and `relation.query`). DuckDB is therefore given this
    handle, which it scans through the Arrow C stream interface (a fresh stream for each scan,
    so a file may read `incoming` more than once), and `release` lets go of the table: what
    DuckDB keeps until the commit is an empty handle.
    """

    def __init__(self, table: pa.Table) -> None:
        self._table: pa.Table | None = table

    def __arrow_c_stream__(self, requested_schema: object = None) -> object:
        if self._table is None:
            raise RuntimeError("this Arrow table was handed back: its SQL file has finished")
        return self._table.__arrow_c_stream__(requested_schema)

    def release(self) -> None:
        self._table = None


def run_sql_file(
    con: duckdb.DuckDBPyConnection,
    name: str,
    params: dict[str, Any] | None = None,
    *,
    incoming: pa.Table | None = None,
) -> duckdb.DuckDBPyConnection:
    """Execute every statement of `sql/<name>`, each given the named parameters it uses.

    `incoming` is the Arrow table that the SQL reads as `FROM incoming`: it is registered under
    that name for the file's statements and unregistered and released right after them
    (ArrowHandover says why the table is lent through a handle).
    """
    params = params or {}
    if incoming is None:
        return _execute(con, name, params)
    handover = ArrowHandover(incoming)
    del incoming  # only the registered name reaches the table (no replacement scan finds it)
    con.register(INCOMING, handover)
    try:
        return _execute(con, name, params)
    finally:
        con.unregister(INCOMING)
        handover.release()


def _execute(
    con: duckdb.DuckDBPyConnection, name: str, params: dict[str, Any]
) -> duckdb.DuckDBPyConnection:
    for statement in _statements(name):
        wanted = {key: params[key] for key in statement.named_parameters}
        con.execute(statement, wanted or None)
    return con


def sql_files(folder: str) -> list[str]:
    """The files of `sql/<folder>` in name order, as names for `run_sql_file`."""
    return sorted(f"{folder}/{p.name}" for p in (SQL_DIR / folder).glob("*.sql"))
