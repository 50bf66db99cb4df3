"""Ad-hoc queries are never blocked by a load and never see half of one."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.datagen import write_dossier_csv

from conftest import EXPORTS, ingest, query

CCHC = [sys.executable, "-m", "warehouse.cli"]


def count_dossiers(warehouse: Path) -> int:
    return query(warehouse, "SELECT count(*) FROM core.fact_dossier")[0][0]


def read_while_running(writer: subprocess.Popen, warehouse: Path) -> tuple[list[int], list[str]]:
    """`cchc sql` from another process, again and again until the writer ends, then once more."""
    reader = [*CCHC, "sql", "--format", "csv", "--warehouse", str(warehouse)]
    reader.append("SELECT count(*) AS n FROM core.fact_dossier")
    answers, failures = [], []
    while True:
        finished = writer.poll() is not None
        done = subprocess.run(reader, capture_output=True, text=True, timeout=60)
        if done.returncode == 0:
            answers.append(int(done.stdout.splitlines()[1]))
        else:
            failures.append(done.stderr)
        if finished:
            return answers, failures


def test_cchc_sql_in_a_loop_during_an_ingest_sees_before_or_after(
    warehouse: Path, tmp_path: Path
) -> None:
    ingest(warehouse, EXPORTS / "dossiers_semicolon_bom.csv")
    before = count_dossiers(warehouse)
    big = write_dossier_csv(tmp_path / "big.csv", 400_000)
    load = subprocess.Popen(
        [*CCHC, "ingest", str(big), "--portal", "H37", "--warehouse", str(warehouse)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    answers, failures = read_while_running(load, warehouse)
    assert load.wait() == 0
    assert failures == []
    assert set(answers) <= {before, before + 400_000}, answers
    assert answers[0] == before and answers[-1] == before + 400_000


def test_cchc_sql_in_a_loop_during_a_nightly_run_sees_before_or_after(
    warehouse: Path, tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    ingest(warehouse, EXPORTS / "dossiers_semicolon_bom.csv")
    before = count_dossiers(warehouse)
    night = write_dossier_csv(tmp_path / "night.csv", 200_000)
    config = tmp_path / "cchc.toml"
    config.write_text(
        '[[portals]]\ncode = "H37"\nname = "Lạng Sơn"\nsector = "locality"\n\n'
        f'[[sources]]\nportal = "H37"\nurl = "{night}"\n',
        encoding="utf-8",
    )
    env = os.environ | {"PREFECT_HOME": str(tmp_path_factory.mktemp("prefect-readers"))}
    run = subprocess.Popen(
        [*CCHC, "run", "--config", str(config), "--warehouse", str(warehouse)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    answers, failures = read_while_running(run, warehouse)
    assert run.wait() == 0
    assert failures == []
    assert set(answers) <= {before, before + 200_000}, answers
    assert answers[0] == before and answers[-1] == before + 200_000
