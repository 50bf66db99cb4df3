"""What `cchc sql` prints: a query's rows as a table, CSV or JSON, on the terminal or in a file.

Every row, always. A table is rich's, drawn from DuckDB's own rows (rich is imported here, for
tables only), and on the terminal it ends with the row count. CSV and JSON go through Polars,
which a table does not need (its import alone cost `cchc sql` more than the rest of its start,
docs/performance.md); CSV cells starting like a formula are neutralised (csv_output.py). The
rows are fetched before `out` is opened, so a query that fails leaves an existing file as it
was.

rich's import (about 20 ms, as long as opening the warehouse and running a small query) starts
on a second thread before the warehouse is opened: DuckDB releases the GIL while it opens the
file and runs the query, so the two overlap (docs/performance.md, `cchc sql` start-up).
"""

from __future__ import annotations

import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import duckdb
    import polars as pl

FORMATS = ("table", "csv", "json")
FILE_WIDTH = 200  # a table written to a file: as wide as this, wider cells folded


def json_text(frame: pl.DataFrame) -> str:
    """Rows as a JSON array of objects, Vietnamese kept as it is, dates as text."""
    import json

    return json.dumps(frame.to_dicts(), ensure_ascii=False, default=str, indent=2) + "\n"


def import_table_printer() -> threading.Thread:
    """Start importing what draws a table (rich, through warehouse.console) on a thread of its
    own; `print_query` waits for it before it draws. An error path that prints first (`fail`)
    may import the same modules meanwhile: Python's import locks make it wait for the thread's
    import, and a failed import on the thread fails again, with its message, where it is used."""

    def import_console() -> None:
        import warehouse.console  # noqa: F401  (imported for its side effect: loaded modules)

    thread = threading.Thread(target=import_console, name="import-table-printer", daemon=True)
    thread.start()
    return thread


def print_query(
    result: duckdb.DuckDBPyRelation | None,
    fmt: str,
    out: Path | None,
    table_printer: threading.Thread | None = None,
) -> None:
    """A query's rows as `table`, `csv` or `json`, on the terminal or into `out`. A statement
    without rows prints nothing. `table_printer`, from `import_table_printer`, is waited for
    once the rows are fetched."""
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
    rows = result.fetchall()
    if table_printer is not None:
        table_printer.join()
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from warehouse.console import console
    from warehouse.numbers import counted

    table = Table(*result.columns)
    for row in rows:
        table.add_row(*(Text("" if v is None else str(v)) for v in row))
    if out:
        with out.open("w", encoding="utf-8") as handle:
            Console(file=handle, width=FILE_WIDTH).print(table)
    else:
        console.print(table)
        console.print(counted(len(rows), "row"), highlight=False, markup=False)
