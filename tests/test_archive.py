"""The raw layer: each file copied under its sha256, ahead of the loads that need it."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from warehouse.archive import archive_file, archived_ahead


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def test_a_file_is_kept_under_its_hash_with_its_bytes(tmp_path: Path) -> None:
    data = b"Ma ho so,Ngay tiep nhan\n" * 500_000  # larger than one read, not a multiple of it
    source = write(tmp_path / "HoSo.CSV", data)
    archived = archive_file(source, tmp_path / "raw")
    sha = hashlib.sha256(data).hexdigest()
    assert (archived.sha256, archived.bytes) == (sha, len(data))
    assert archived.path == tmp_path / "raw" / sha[:2] / f"{sha}.csv"
    assert archived.path.read_bytes() == data
    assert not list((tmp_path / "raw").glob(".incoming-*"))  # no temporary copy left


def test_files_are_archived_ahead_in_order(tmp_path: Path) -> None:
    sources = [write(tmp_path / f"f{i}.json", f'[{{"n": {i}}}]'.encode()) for i in range(4)]
    with archived_ahead(sources, tmp_path / "data") as copies:
        archived = [copy.result() for copy in copies]
    assert [a.path.read_bytes() for a in archived] == [s.read_bytes() for s in sources]
    assert all(a.path.is_relative_to(tmp_path / "data" / "raw") for a in archived)


def test_a_missing_file_fails_where_its_copy_is_asked_for(tmp_path: Path) -> None:
    present = write(tmp_path / "a.csv", b"x\n1\n")
    with archived_ahead([tmp_path / "gone.csv", present], tmp_path / "data") as copies:
        with pytest.raises(FileNotFoundError):
            copies[0].result()
        assert copies[1].result().bytes == 4  # the others are still archived
