"""The synthetic dossier generator keeps the export contract, or the benchmarks measure nonsense."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from tests.datagen import write_dossier_csv
from warehouse.demo.dossier_csv import DossierCsv
from warehouse.demo.headers import Release
from warehouse.parse.headers import find_header
from warehouse.parse.vocabulary import load_vocabulary

N_ROWS = 1_000
DATETIME_FORMAT = "%d/%m/%Y %H:%M:%S"  # the contract's day-first form (spec §2)


def parsed_columns(header: list[str]) -> dict[str, str]:
    """canonical column → header text, as the warehouse's own header detection reads it."""
    match = find_header([(1, header)], len(header))
    assert match.kind == "dossiers" and match.missing_required == []
    return {canonical: header[i] for i, canonical in match.columns.items()}


@pytest.fixture(scope="module")
def dossier_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_dossier_csv(tmp_path_factory.mktemp("datagen") / "dossiers.csv", N_ROWS)


@pytest.fixture(scope="module")
def dossiers(dossier_csv: Path) -> pl.DataFrame:
    return pl.read_csv(dossier_csv, infer_schema=False)


@pytest.fixture(scope="module")
def header(dossier_csv: Path) -> dict[str, str]:
    first_line = dossier_csv.read_bytes().split(b"\n", 1)[0]
    assert first_line.startswith(b"\xef\xbb\xbf")
    return parsed_columns(first_line[3:].decode().split(","))


def test_the_parser_reads_every_contract_column_from_the_header(header: dict[str, str]) -> None:
    """Each header text names the column it was written for, every column of the contract
    is there (the parser's vocabulary is the judge), and no text names two columns."""
    contract = load_vocabulary().kinds["dossiers"].header_texts
    assert sorted(header) == sorted(contract)
    assert header["dossier_code"] == "Mã hồ sơ"
    assert header["satisfaction"] == "Mức độ hài lòng"


def test_a_release_cannot_write_a_text_outside_the_vocabulary() -> None:
    with pytest.raises(ValueError, match="not a header text"):
        DossierCsv(header=Release(texts={"dossier_code": "Mã số"})).header_texts()
    later = DossierCsv(header=Release(synonym=1)).header_texts()  # the demo's 2024 release
    assert sorted(parsed_columns(later)) == sorted(load_vocabulary().kinds["dossiers"].header_texts)


def test_row_count_and_unique_codes(dossiers: pl.DataFrame) -> None:
    assert dossiers.height == N_ROWS
    assert dossiers["Mã hồ sơ"].n_unique() == N_ROWS
    assert dossiers["Mã hồ sơ"].str.contains(r"^H37\.\d{2,3}-23\d{4}-\d{6}$").all()


def test_completed_never_before_received(dossiers: pl.DataFrame, header: dict[str, str]) -> None:
    dates = dossiers.select(
        pl.col(header[c]).str.strptime(pl.Datetime, DATETIME_FORMAT).alias(c)
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
