"""sql/load/dossiers/30_repeats.sql finds a file's repeats two ways, by the file's size: probing
the portal's earlier rows for a small file's codes, or grouping all of the portal's codes for a
large one. Both must leave the same warehouse: the same versions kept, replaced and rejected."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.datagen import write_dossier_csv
from warehouse import load

from conftest import ingest, query


def _load_versions(warehouse: Path, exports: Path) -> dict[str, list[tuple]]:
    """Three files of one portal whose codes overlap: later versions replace earlier ones, the
    last file repeats one of its own dossiers with other content (both rows rejected). The rows
    kept, by their natural keys (surrogate keys may be numbered in another order)."""
    first = write_dossier_csv(exports / "first.csv", 2_000, seed=1)
    later = write_dossier_csv(exports / "later.csv", 3_000, seed=2)
    lines = later.read_text(encoding="utf-8-sig").splitlines(keepends=True)
    repeated = lines[5].replace("Trực tuyến", "Trực tiếp") if "Trực tuyến" in lines[5] else None
    repeated = repeated or lines[5].replace("Trực tiếp", "Trực tuyến")
    twice = exports / "twice.csv"
    twice.write_text("".join([*lines, repeated]), encoding="utf-8-sig")
    results = ingest(warehouse, first, later, twice)
    assert [r.status for r in results] == ["loaded", "loaded", "loaded"]
    assert results[2].rows_rejected == 2
    natural = (
        "SELECT f.* EXCLUDE (agency_key, procedure_key{extra}), a.agency_nk, p.procedure_code "
        "FROM {table} AS f JOIN core.dim_agency AS a USING (agency_key) "
        "JOIN core.dim_procedure AS p USING (procedure_key) ORDER BY ALL"
    )
    kept = {
        "current": query(warehouse, natural.format(table="core.fact_dossier", extra="")),
        "history": query(
            warehouse, natural.format(table="core.fact_dossier_history", extra=", superseded_at")
        ),
        "rejects": query(warehouse, "SELECT * FROM ops.rejects ORDER BY ALL"),
    }
    assert kept["history"], "the later file replaced versions"
    return kept


def test_both_ways_of_finding_repeats_keep_the_same_versions(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    probed = _load_versions(tmp_path / "probed" / "warehouse.duckdb", tmp_path / "a")
    monkeypatch.setitem(load.STEP_PARAMS, "repeat_probe_rows", 0)  # every file is "large"
    grouped = _load_versions(tmp_path / "grouped" / "warehouse.duckdb", tmp_path / "b")
    assert probed.keys() == grouped.keys()
    for name in probed:
        only = set(probed[name]) ^ set(grouped[name])
        assert probed[name] == grouped[name], (name, sorted(only, key=repr)[:4])
