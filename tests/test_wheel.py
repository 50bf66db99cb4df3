"""The wheel is the product: built with `uv build`, installed into a fresh environment outside
the repository, every command works from what the wheel carries (SQL, vocabularies, labels,
the demo configuration, the report template).

The installed `cchc` lists every command; those that read the package's SQL and data files
run for real (ingest, checks, sql, report, export). `run`, `serve` and `portal-demo` run the
same SQL through the same modules and are exercised from the clone by tests/flows and
tests/demo: a Prefect run here would add half a minute to the suite for no new file read."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
FIXTURE = REPO / "tests" / "fixtures" / "exports" / "dossiers_semicolon_bom.csv"
COMMANDS = ("ingest", "checks", "sql", "report", "export", "run", "serve", "portal-demo")


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The `cchc` script of a fresh virtual environment holding only the built wheel."""
    uv = shutil.which("uv")
    if uv is None:
        pytest.skip("uv is not on PATH")
    work = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [uv, "build", "--wheel", "--out-dir", str(work / "dist"), str(REPO)],
        check=True,
        capture_output=True,
    )
    (wheel,) = (work / "dist").glob("*.whl")
    venv = work / "venv"
    subprocess.run(
        [uv, "venv", "--python", sys.executable, str(venv)], check=True, capture_output=True
    )
    subprocess.run(
        [uv, "pip", "install", "--python", str(venv / "bin" / "python"), str(wheel)],
        check=True,
        capture_output=True,
    )
    return venv / "bin" / "cchc"


def cchc(script: Path, cwd: Path, *args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env |= {"DO_NOT_TRACK": "1", "PREFECT_SERVER_ANALYTICS_ENABLED": "false", "COLUMNS": "200"}
    return subprocess.run(
        [str(script), *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout
    )


def test_every_command_runs_from_the_installed_wheel(installed: Path, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    fixture = outside / FIXTURE.name
    shutil.copyfile(FIXTURE, fixture)
    done = cchc(installed, outside, "--help")
    assert done.returncode == 0 and all(c in done.stdout for c in COMMANDS), done.stderr
    assert cchc(installed, outside, "ingest", str(fixture), "--portal", "H37").returncode == 0
    assert (outside / "data" / "warehouse.duckdb").exists()
    done = cchc(installed, outside, "sql", "SELECT count(*) AS n FROM mart.kpi", "--format", "csv")
    assert done.returncode == 0 and int(done.stdout.splitlines()[1]) > 0, done.stderr
    assert cchc(installed, outside, "checks").returncode == 0
    done = cchc(installed, outside, "report", "--out", "report.html")
    page = (outside / "report.html").read_text("utf-8")  # the template is package data
    assert done.returncode == 0 and "Báo cáo chỉ số cải cách hành chính" in page, done.stderr
    done = cchc(installed, outside, "export", "--out", "parquet")
    assert done.returncode == 0 and list((outside / "parquet").glob("*.parquet"))
