"""The data dictionary: one TOML, written as the warehouse's comments and as docs/tables.md."""

from __future__ import annotations

from pathlib import Path

import duckdb

from warehouse.db import open_writer
from warehouse.dictionary import ROOT, load_dictionary, outputs
from warehouse.marts import refresh_marts


def test_docs_tables_md_is_the_dictionary_s() -> None:
    for relative, text in outputs(load_dictionary()).items():
        assert (ROOT / relative).read_text(encoding="utf-8") == text, (
            f"{relative} is stale: run `uv run python -m warehouse.dictionary`"
        )


def test_every_table_and_column_of_core_and_mart_says_what_it_is(warehouse: Path) -> None:
    with open_writer(warehouse) as con:
        refresh_marts(con)  # the marts exist (empty) and get their comments after each rebuild
    con = duckdb.connect(str(warehouse), read_only=True)
    columns = con.execute(
        "SELECT schema_name || '.' || table_name, column_name, comment FROM duckdb_columns() "
        "WHERE schema_name IN ('core', 'mart') AND NOT internal"
    ).fetchall()
    tables = con.execute(
        "SELECT schema_name || '.' || table_name, comment FROM duckdb_tables() "
        "WHERE schema_name IN ('core', 'mart')"
    ).fetchall()
    tables += con.execute(
        "SELECT schema_name || '.' || view_name, comment FROM duckdb_views() "
        "WHERE schema_name IN ('core', 'mart')"
    ).fetchall()
    assert [t for t, comment in tables if not comment] == []
    assert [(t, c) for t, c, comment in columns if not comment] == []
    # and the dictionary holds nothing the warehouse does not
    present = {(t, c) for t, c, _ in columns}
    described = {(t.name, c) for t in load_dictionary() for c in t.columns}
    assert described - present == set()
    # the comment is the Vietnamese term, then the English meaning
    (comment,) = con.execute(
        "SELECT comment FROM duckdb_columns() WHERE schema_name = 'mart' "
        "AND table_name = 'kpi' AND column_name = 'value'"
    ).fetchone()
    assert comment.startswith("Giá trị — 100 × numerator / denominator, percent")
