"""File warnings carry a code (the contract) and a message (for people), from parser to table."""

from __future__ import annotations

from pathlib import Path

import duckdb
import polars as pl

from warehouse.db import ensure_schema
from warehouse.parse.file_warnings import FileWarning
from warehouse.parse.reports import _check_totals


def test_a_totals_row_that_does_not_match_is_a_totals_mismatch_warning() -> None:
    totals = pl.DataFrame({"source_row": [9], "received_total__parts": [["12"]]})
    rows = pl.DataFrame({"received_total": [5, 6]})
    (warning,) = _check_totals(totals, rows, ["received_total"])
    assert warning == FileWarning(
        "totals_mismatch",
        "totals row 9: received_total states 12 but the loaded rows add up to 11",
    )


def test_warnings_recorded_before_the_code_column_get_their_code(tmp_path: Path) -> None:
    con = duckdb.connect(str(tmp_path / "old.duckdb"))
    con.execute(
        "CREATE SCHEMA ops; CREATE TABLE ops.file_warnings (file_id BIGINT NOT NULL, "
        "message VARCHAR NOT NULL)"
    )
    messages = [
        "totals row 31: resolved_total states 10 but the loaded rows add up to 9",
        "columns kept in the raw file only: Ghi chú",
        "1,204 rows below the header have no value in any column of the file's kind and were "
        "skipped",
        "rows with a NUL byte or bytes that are not UTF-8 were rejected (bad_encoding): row 4 (x)",
        "something else",
    ]
    con.executemany("INSERT INTO ops.file_warnings VALUES (1, ?)", [[m] for m in messages])
    ensure_schema(con)
    ensure_schema(con)  # idempotent
    codes = con.execute("SELECT code FROM ops.file_warnings ORDER BY rowid").fetchall()
    assert [c for (c,) in codes] == [
        "totals_mismatch",
        "unknown_columns",
        "blank_rows",
        "bad_encoding",
        None,
    ]
