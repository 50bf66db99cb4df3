"""`cchc sql` and `cchc checks` import only what they use (issue 15: start-up).

A bare `python -c "import duckdb; ..."` answers a query in about 0.1–0.2 s here; Prefect,
Altair, apprise, holidays, Polars or pydantic each cost a large part of that again at import.
So each command runs in a fresh process, as a user starts it, and the modules it loaded are
checked: a top-level import added to the CLI or to a module it reaches fails here. The timings
themselves are measured by bench/bench_startup.py, not by a test (the machine is shared).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

# Run the CLI as the `cchc` script does, then list what it imported (after it printed).
PROBE = """
import sys
from warehouse.cli import app
try:
    app(sys.argv[1:])
except SystemExit as done:
    code = done.code
else:
    code = 0
print("exit", code, file=sys.stderr)
print("modules", " ".join(sorted(sys.modules)), file=sys.stderr)
"""

# Never wanted by a read-only query: the orchestrator, the charts, the digests, the holiday
# calendar, the HTTP client, the data frames (a table is printed from DuckDB's own rows) and
# typer>=0.29's pydantic coercion (pyproject.toml pins typer below it).
NOT_FOR_SQL = (
    "prefect",
    "altair",
    "vl_convert",
    "jinja2",
    "apprise",
    "holidays",
    "requests",
    "polars",
    "pyarrow",
    "pydantic",
    "fastexcel",
    "lxml",
)
# `cchc checks` rebuilds the indicators and judges them: Polars and Arrow carry its frames,
# but a run's orchestration, charts, digests (only with --notify) and HTTP are not its business.
NOT_FOR_CHECKS = tuple(name for name in NOT_FOR_SQL if name not in ("polars", "pyarrow"))


def run_cli(*args: str) -> tuple[int, str, set[str]]:
    """Exit status, stdout and the modules imported by `cchc ARGS` in a fresh Python process:
    each top-level package, and each module of the warehouse package by its full name."""
    env = {**os.environ, "DO_NOT_TRACK": "1", "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )
    lines = dict(
        line.split(" ", 1)
        for line in done.stderr.splitlines()
        if line.startswith(("exit ", "modules "))
    )
    assert "modules" in lines, done.stderr[-2000:]
    modules = lines["modules"].split()
    packages = {name.split(".")[0] for name in modules}
    packages |= {name for name in modules if name.startswith("warehouse.")}
    return int(lines["exit"]), done.stdout, packages


@pytest.fixture(scope="module")
def small_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A DuckDB file with the one table the query reads (a warehouse's schema is not needed)."""
    path = tmp_path_factory.mktemp("startup") / "warehouse.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute("CREATE SCHEMA core")
        con.execute("CREATE TABLE core.fact_dossier AS SELECT range AS id FROM range(1234)")
    return path


def test_cchc_sql_imports_no_framework_it_does_not_use(small_warehouse: Path) -> None:
    query = "select count(*) AS dossiers from core.fact_dossier"
    code, out, packages = run_cli("sql", query, "--warehouse", str(small_warehouse))
    assert code == 0
    assert "1234" in out and "dossiers" in out  # the rich table, as before
    assert {"duckdb", "typer", "rich"} <= packages
    assert not packages & set(NOT_FOR_SQL), sorted(packages & set(NOT_FOR_SQL))
    # a query reads no configuration: building its dataclasses cost 6-12 ms of a 0.2 s start
    assert "warehouse.config" not in packages


def test_cchc_sql_csv_still_neutralises_formulas(small_warehouse: Path) -> None:
    """csv and json go through Polars (csv_output.py), which is imported for them only."""
    query = "select '=1+2' AS cell"
    code, out, packages = run_cli(
        "sql", query, "--format", "csv", "--warehouse", str(small_warehouse)
    )
    assert code == 0
    assert out.splitlines() == ["cell", "'=1+2"]
    assert "polars" in packages
    assert "rich" not in packages  # rich draws tables and errors, neither printed here


def test_cchc_checks_imports_no_framework_it_does_not_use(loaded: Path) -> None:
    code, out, packages = run_cli("checks", "--warehouse", str(loaded))
    assert code == 0, out
    assert "checks:" in out
    assert not packages & set(NOT_FOR_CHECKS), sorted(packages & set(NOT_FOR_CHECKS))
