"""The synthetic dossier generator keeps the export contract, or the benchmarks measure nonsense."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from tests.datagen import HEADER, write_dossier_csv

N_ROWS = 1_000
DATETIME_FORMAT = "%d/%m/%Y %H:%M:%S"


@pytest.fixture(scope="module")
def dossier_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_dossier_csv(tmp_path_factory.mktemp("datagen") / "dossiers.csv", N_ROWS)


@pytest.fixture(scope="module")
def dossiers(dossier_csv: Path) -> pl.DataFrame:
    return pl.read_csv(dossier_csv, infer_schema=False)


def test_header_is_the_contract_texts_after_a_bom(dossier_csv: Path) -> None:
    first_line = dossier_csv.read_bytes().split(b"\n", 1)[0]
    assert first_line.startswith(b"\xef\xbb\xbf")
    assert first_line[3:].decode().split(",") == list(HEADER.values())
    assert "Mã hồ sơ" in HEADER.values()
    assert "Mức độ hài lòng" in HEADER.values()


def test_row_count_and_unique_codes(dossiers: pl.DataFrame) -> None:
    assert dossiers.height == N_ROWS
    assert dossiers["Mã hồ sơ"].n_unique() == N_ROWS
    assert dossiers["Mã hồ sơ"].str.contains(r"^H37\.\d{2,3}-23\d{4}-\d{6}$").all()


def test_completed_never_before_received(dossiers: pl.DataFrame) -> None:
    dates = dossiers.select(
        pl.col(HEADER[c]).str.strptime(pl.Datetime, DATETIME_FORMAT).alias(c)
        for c in ("received_at", "completed_at")
    )
    assert dates["received_at"].null_count() == 0  # every date parses in the contract's form
    assert dates["completed_at"].null_count() < N_ROWS  # most dossiers are resolved
    assert dates.filter(pl.col("completed_at") < pl.col("received_at")).height == 0


def test_same_seed_same_bytes_whatever_the_chunk_size(dossier_csv: Path, tmp_path: Path) -> None:
    again = write_dossier_csv(tmp_path / "again.csv", N_ROWS, chunk_rows=97)
    other = write_dossier_csv(tmp_path / "other.csv", N_ROWS, seed=7)
    assert again.read_bytes() == dossier_csv.read_bytes()
    assert other.read_bytes() != dossier_csv.read_bytes()
