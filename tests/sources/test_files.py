"""warehouse/sources/files.py on real folders: which files of a drop folder are exports."""

from __future__ import annotations

from pathlib import Path

import pytest

from warehouse.config import Source
from warehouse.sources.errors import SourceError
from warehouse.sources.files import collect_files, local_path


def source_for(url: str) -> Source:
    return Source(portal="H37", name="H37-share", url=url)


def touch(root: Path, *names: str) -> None:
    for name in names:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"export")


def test_a_folder_gives_its_exports_sorted_and_recursive(tmp_path):
    drop = tmp_path / "drop"
    touch(
        drop,
        "b.csv",
        "a.xlsx",
        "2023/12/bao_cao.xls",
        "2023/01/ho_so.json",
        ".hidden.csv",  # hidden
        ".git/config",  # inside a hidden folder
        "~$a.xlsx",  # Excel's lock file while a.xlsx is open
        "c.csv.part",  # a download in progress
        "d.xlsx.crdownload",
        "e.tmp",
        "f.csv~",  # an editor backup
    )

    files = collect_files(source_for(str(drop)), download_dir=tmp_path / "downloads")

    assert [f.relative_to(drop).as_posix() for f in files] == [
        "2023/01/ho_so.json",
        "2023/12/bao_cao.xls",
        "a.xlsx",
        "b.csv",
    ]
    assert not (tmp_path / "downloads").exists()  # nothing copied: the archive step copies


def test_a_file_url_with_encoded_characters(tmp_path):
    export = tmp_path / "Báo cáo quý I.xlsx"
    export.write_bytes(b"export")
    url = export.as_uri()
    assert "%20" in url and "%C3%A1" in url

    assert collect_files(source_for(url), download_dir=tmp_path) == [export]


def test_a_file_url_of_a_folder_and_localhost(tmp_path):
    touch(tmp_path / "drop", "one.csv")

    files = collect_files(
        source_for(f"file://localhost{(tmp_path / 'drop').as_posix()}"), download_dir=tmp_path
    )

    assert files == [tmp_path / "drop" / "one.csv"]


def test_a_file_named_explicitly_is_taken_even_if_it_looks_temporary(tmp_path):
    touch(tmp_path, "export.tmp")

    assert collect_files(source_for(str(tmp_path / "export.tmp")), download_dir=tmp_path) == [
        tmp_path / "export.tmp"
    ]


def test_a_missing_path_is_a_source_error(tmp_path):
    missing = tmp_path / "not-mounted"

    with pytest.raises(SourceError, match=f"H37-share: {missing} does not exist"):
        collect_files(source_for(str(missing)), download_dir=tmp_path)
    with pytest.raises(SourceError, match="does not exist"):
        collect_files(source_for(missing.as_uri()), download_dir=tmp_path)


def test_an_empty_folder_gives_nothing_and_says_so(tmp_path, caplog):
    (tmp_path / "drop").mkdir()
    touch(tmp_path / "drop", "~$open.xlsx")

    assert collect_files(source_for(str(tmp_path / "drop")), download_dir=tmp_path) == []
    assert "no export files" in caplog.text


def test_a_file_url_on_another_host_is_refused():
    with pytest.raises(SourceError, match="host 'fileserver' is not supported"):
        local_path("file://fileserver/share/export.xlsx")


def test_symlinked_folders_are_not_followed(tmp_path):
    touch(tmp_path / "drop", "a.csv")
    (tmp_path / "drop" / "loop").symlink_to(tmp_path / "drop", target_is_directory=True)

    files = collect_files(source_for(str(tmp_path / "drop")), download_dir=tmp_path)

    assert files == [tmp_path / "drop" / "a.csv"]
