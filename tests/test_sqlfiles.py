"""sqlfiles: an Arrow table reaches the SQL by its registered name and is let go right after."""

from __future__ import annotations

import gc
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest

import warehouse.sqlfiles as sqlfiles
from warehouse.sqlfiles import run_sql_file

ROWS = 300_000
# A file reading `incoming` twice, as record_delivery.sql does.
COPY_SQL = """
-- test: incoming (code, n) into a temp table, then counted again
CREATE OR REPLACE TEMP TABLE copied AS SELECT code, n FROM incoming;
INSERT INTO copied SELECT code, n + $offset FROM incoming WHERE n = 0;
"""


@pytest.fixture
def sql_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "test_sqlfiles").mkdir()
    (tmp_path / "test_sqlfiles" / "copy.sql").write_text(COPY_SQL, encoding="utf-8")
    monkeypatch.setattr(sqlfiles, "SQL_DIR", tmp_path)
    sqlfiles._statements.cache_clear()
    yield tmp_path
    sqlfiles._statements.cache_clear()


def codes(n: int) -> pa.Table:
    """A table allocated by pyarrow itself, so pa.total_allocated_bytes() sees it."""
    return pa.table({"code": pa.array([f"P{i:07d}" for i in range(n)]), "n": pa.array(range(n))})


def copied(con: duckdb.DuckDBPyConnection) -> int:
    return con.execute("SELECT count(*) FROM copied").fetchone()[0]


def views_named_incoming(con: duckdb.DuckDBPyConnection) -> int:
    query = "SELECT count(*) FROM duckdb_views() WHERE view_name = 'incoming'"
    return con.execute(query).fetchone()[0]


def test_the_table_is_found_by_its_registered_name_not_by_a_replacement_scan(sql_dir) -> None:
    con = duckdb.connect()
    con.execute("SET python_enable_replacements = false")
    run_sql_file(con, "test_sqlfiles/copy.sql", {"offset": 10}, incoming=codes(3))
    assert copied(con) == 4  # read twice: three rows, then the one with n = 0 again
    assert views_named_incoming(con) == 0  # unregistered afterwards


def test_batches_handed_over_in_one_transaction_are_not_all_held_until_the_commit(
    sql_dir,
) -> None:
    """A file's batches load in one transaction; each must be freed once its SQL has run, not
    held until the commit. Measured from what this process held before (other tests in the
    same worker may hold Arrow memory of their own); the batch just handed over may linger
    until the next statement, so at most one batch may still be held, never the four."""
    con = duckdb.connect()
    con.begin()
    before = pa.total_allocated_bytes()
    for _ in range(4):
        batch = codes(ROWS)
        size = batch.nbytes
        run_sql_file(con, "test_sqlfiles/copy.sql", {"offset": 0}, incoming=batch)
        del batch
        gc.collect()
        assert pa.total_allocated_bytes() - before < 1.5 * size
    con.commit()


def test_the_name_is_unregistered_when_a_statement_fails(sql_dir) -> None:
    con = duckdb.connect()
    con.begin()
    with pytest.raises(duckdb.Error):
        run_sql_file(con, "test_sqlfiles/copy.sql", {"offset": 0}, incoming=pa.table({"x": [1]}))
    assert views_named_incoming(con) == 0
    con.rollback()
    run_sql_file(con, "test_sqlfiles/copy.sql", {"offset": 0}, incoming=codes(2))
    assert copied(con) == 3
