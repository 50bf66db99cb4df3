"""What `cchc sql` prints: a query's rows as a table, CSV or JSON, on the terminal or in a file.

The table is DuckDB's own box rendering, the one its shell prints: column names and types,
numbers aligned, NULL written out, and on the terminal at most TERMINAL_ROWS rows with the count
of all ("1,234 rows (40 shown)"), so a large result cannot flood it. It needs neither rich nor
Polars, whose imports cost `cchc sql` more than the rest of its start (docs/performance.md).
CSV and JSON go through Polars: CSV cells starting like a formula are neutralised
(csv_output.py).
"""

from __future__ import annotations

import sys
from contextlib import redirect_stdout
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import duckdb
    import polars as pl

TERMINAL_ROWS = 40  # as DuckDB's shell: the first and last rows of a longer result
FORMATS = ("table", "csv", "json")


def json_text(frame: pl.DataFrame) -> str:
    """Rows as a JSON array of objects, Vietnamese kept as it is, dates as text."""
    import json

    return json.dumps(frame.to_dicts(), ensure_ascii=False, default=str, indent=2) + "\n"


def print_query(result: duckdb.DuckDBPyRelation | None, fmt: str, out: Path | None) -> None:
    """A query's rows as `table`, `csv` or `json`, on the terminal or into `out` (a table in a
    file holds every row, its values whole). A statement without rows prints nothing."""
    if result is None:
        return
    if fmt in ("csv", "json"):
        from warehouse.csv_output import write_csv

        frame = result.pl()
        text = write_csv(frame) if fmt == "csv" else json_text(frame)
        if out:
            out.write_text(text, encoding="utf-8")
        else:
            sys.stdout.write(text)
        return
    if out:
        with out.open("w", encoding="utf-8") as handle, redirect_stdout(handle):
            result.show(max_rows=sys.maxsize, max_width=sys.maxsize)
        return
    import shutil

    result.show(max_rows=TERMINAL_ROWS, max_width=shutil.get_terminal_size().columns)
