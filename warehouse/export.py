"""The core and mart tables as Parquet files, for tools that do not speak DuckDB."""

from __future__ import annotations

from pathlib import Path

from warehouse.db import open_reader
from warehouse.sqlfiles import run_sql_file


def export_parquet(warehouse: Path, out_dir: Path) -> list[Path]:
    """One `<schema>.<table>.parquet` per table, written whole from a read-only connection."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    with open_reader(warehouse) as con:
        for (name,) in run_sql_file(con, "export/tables.sql").fetchall():
            target = out_dir / f"{name}.parquet"
            con.table(name).write_parquet(str(target), compression="zstd")
            written.append(target)
    return written
