"""warehouse/query_output.py: `cchc sql` prints every row, as a table (with the count on the
terminal), CSV or JSON; a query that fails leaves an existing --out file as it was."""

from __future__ import annotations

import io
import json
from pathlib import Path

import duckdb
import pytest
from rich.console import Console

from warehouse import console as printing
from warehouse.query_output import import_table_printer, print_query

LONG_NAME = "Ủy ban nhân dân xã Thành An, huyện Thạch Thành, tỉnh Thanh Hóa"
ROWS = 10_050  # more than DuckDB's own previews hold (10,000)


@pytest.fixture
def con() -> duckdb.DuckDBPyConnection:
    return duckdb.connect()


@pytest.fixture
def result(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyRelation:
    return con.sql(f"SELECT range AS n, '{LONG_NAME} ' || range AS name FROM range({ROWS})")


def _numbers(text: str) -> list[int]:
    """The values of the first column of a drawn table, in order."""
    cells = (line.split("│")[1].strip() for line in text.splitlines() if line.startswith("│"))
    return [int(cell) for cell in cells if cell.isdigit()]


@pytest.mark.parametrize("printer_on_a_thread", [False, True])
def test_the_terminal_gets_every_row_and_their_count(
    result: duckdb.DuckDBPyRelation, monkeypatch: pytest.MonkeyPatch, printer_on_a_thread: bool
) -> None:
    screen = io.StringIO()
    monkeypatch.setattr(printing, "console", Console(file=screen, width=120))
    printer = import_table_printer() if printer_on_a_thread else None
    print_query(result, "table", None, printer)
    assert printer is None or not printer.is_alive()
    text = screen.getvalue()
    assert _numbers(text) == list(range(ROWS))
    assert text.splitlines()[-1] == f"{ROWS:,} rows"
    assert f"{LONG_NAME} {ROWS - 1}" in text


def test_a_file_gets_every_row(
    result: duckdb.DuckDBPyRelation, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "rows.txt"
    print_query(result, "table", out)
    assert capsys.readouterr().out == ""
    text = out.read_text(encoding="utf-8")
    assert _numbers(text) == list(range(ROWS))
    assert f"{LONG_NAME} {ROWS - 1}" in text


def test_a_failing_query_leaves_the_file_as_it_was(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    out = tmp_path / "rows.txt"
    out.write_text("kept", encoding="utf-8")
    for fmt in ("table", "csv", "json"):
        with pytest.raises(duckdb.ConversionException):
            print_query(con.sql("SELECT 'x'::INTEGER AS n"), fmt, out)
        assert out.read_text(encoding="utf-8") == "kept", fmt


def test_csv_and_json_carry_every_row(
    result: duckdb.DuckDBPyRelation, capsys: pytest.CaptureFixture[str]
) -> None:
    print_query(result, "csv", None)
    assert len(capsys.readouterr().out.splitlines()) == ROWS + 1  # the header, then the rows
    print_query(result, "json", None)
    rows = json.loads(capsys.readouterr().out)
    assert [row["n"] for row in rows] == list(range(ROWS))


def test_a_statement_without_rows_prints_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    print_query(None, "table", None)
    assert capsys.readouterr().out == ""
