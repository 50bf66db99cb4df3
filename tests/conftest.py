"""Shared test helpers: a fresh warehouse per test and the committed fixture exports."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

# The console's width is read when warehouse.console is first imported, which in a test worker
# may happen outside `cchc()` (whose CliRunner sets COLUMNS): tables must not depend on that.
os.environ.setdefault("COLUMNS", "200")

from warehouse.config import Portal, load_config
from warehouse.db import open_writer
from warehouse.ingest import FileResult, ingest_file

os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")

FIXTURES = Path(__file__).parent / "fixtures"
EXPORTS = FIXTURES / "exports"


@pytest.fixture
def warehouse(tmp_path: Path) -> Path:
    return tmp_path / "data" / "warehouse.duckdb"


@pytest.fixture
def lang_son() -> Portal:
    return load_config().portal("H37")


@pytest.fixture
def loaded(warehouse: Path) -> Path:
    """The warehouse after `cchc ingest` of the committed semicolon export (8 dossiers)."""
    code, _ = cchc_ingest(warehouse, str(EXPORTS / "dossiers_semicolon_bom.csv"))
    assert code == 0
    return warehouse


def ingest(
    warehouse: Path, *paths: Path, portal: Portal | None = None, **options: object
) -> list[FileResult]:
    """Load files in order through the real ingest path, one writer connection."""
    portal = portal or load_config().portal("H37")
    with open_writer(warehouse) as con:
        return [
            ingest_file(con, path, portal, data_dir=warehouse.parent, **options) for path in paths
        ]


def cchc(*args: str) -> tuple[int, str]:
    """The `cchc` command run in this process, as a person types it: (exit code, output)."""
    from typer.testing import CliRunner

    from warehouse.cli import app

    result = CliRunner().invoke(app, list(args), env={"COLUMNS": "200"})
    return result.exit_code, result.output


def cchc_ingest(warehouse: Path, *args: str, portal: str = "H37") -> tuple[int, str]:
    """`cchc ingest ARGS --portal PORTAL --warehouse WAREHOUSE`: (exit code, output)."""
    return cchc("ingest", *args, "--portal", portal, "--warehouse", str(warehouse))


def query(warehouse: Path, sql: str, params: list | None = None) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(sql, params).fetchall()


def table_contents(warehouse: Path) -> Iterator[tuple[str, list[tuple]]]:
    """Every row of every core and ops table, sorted, for comparing whole warehouses."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        tables = con.execute(
            "SELECT schema_name || '.' || table_name FROM duckdb_tables() "
            "WHERE schema_name IN ('core', 'ops') ORDER BY 1"
        ).fetchall()
        for (name,) in tables:
            yield name, sorted(con.execute(f"SELECT * FROM {name}").fetchall(), key=repr)
