"""warehouse/query_output.py: `cchc sql`'s table is DuckDB's own rendering, cut to the first and
last rows on the terminal (with the count of all) and whole in a file; CSV and JSON as before."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

from warehouse.query_output import TERMINAL_ROWS, print_query

LONG_NAME = "Ủy ban nhân dân xã Thành An, huyện Thạch Thành, tỉnh Thanh Hóa " * 3
ROWS = 100


@pytest.fixture
def result() -> duckdb.DuckDBPyRelation:
    con = duckdb.connect()
    return con.sql(f"SELECT range AS n, '{LONG_NAME}' || range AS name FROM range({ROWS})")


def _numbers(text: str) -> set[int]:
    """The values of the first column of a rendered table."""
    cells = (line.split("│")[1].strip() for line in text.splitlines() if line.startswith("│"))
    return {int(cell) for cell in cells if cell.isdigit()}


def test_the_terminal_gets_the_first_and_last_rows_and_the_count_of_all(
    result: duckdb.DuckDBPyRelation, capsys: pytest.CaptureFixture[str]
) -> None:
    print_query(result, "table", None)
    out = capsys.readouterr().out
    shown = _numbers(out)
    assert len(shown) == TERMINAL_ROWS
    assert {0, ROWS - 1} <= shown and ROWS // 2 not in shown
    assert f"{ROWS} rows" in out and f"({TERMINAL_ROWS} shown)" in out


def test_a_file_gets_every_row_with_its_values_whole(
    result: duckdb.DuckDBPyRelation, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "rows.txt"
    print_query(result, "table", out)
    text = out.read_text(encoding="utf-8")
    assert capsys.readouterr().out == ""
    assert _numbers(text) == set(range(ROWS))
    assert f"{LONG_NAME}{ROWS - 1}" in text  # not cut to the terminal's width


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
