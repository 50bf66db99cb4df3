"""Ingest as a whole: nothing lost, nothing doubled, nothing half-loaded."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import unicodedata
from datetime import datetime
from pathlib import Path

import pytest

import warehouse.load as load_module
from tests.datagen import write_dossier_csv

from conftest import EXPORTS, ingest, query, table_contents

HEADER = (
    "Mã hồ sơ;Mã TTHC;Tên TTHC;Cơ quan giải quyết;Ngày tiếp nhận;Ngày hẹn trả;"
    "Ngày có kết quả;Trạng thái;Hình thức nộp\n"
)


def write_csv(path: Path, *rows: str) -> Path:
    path.write_text(HEADER + "".join(row + "\n" for row in rows), encoding="utf-8")
    return path


def test_loading_the_same_files_again_changes_nothing(warehouse: Path) -> None:
    files = sorted(EXPORTS.iterdir())
    first = ingest(warehouse, *files)
    before = dict(table_contents(warehouse))
    second = ingest(warehouse, *files)
    after = dict(table_contents(warehouse))

    assert {r.status for r in second} == {"duplicate", "refused"}
    assert [r.status == "duplicate" for r in second] == [r.status == "loaded" for r in first]
    for table, rows in before.items():
        if table == "ops.files":
            continue
        assert after[table] == rows, f"{table} changed on reload"
    new_files = [row for row in after["ops.files"] if row not in before["ops.files"]]
    assert len(new_files) == len(files)
    assert {row[12] for row in new_files} == {"duplicate", "refused"}  # status


def test_same_bytes_under_another_name_is_a_duplicate(warehouse: Path, tmp_path: Path) -> None:
    original = EXPORTS / "dossiers_semicolon_bom.csv"
    renamed = tmp_path / "renamed-export.csv"
    renamed.write_bytes(original.read_bytes())
    first, second = ingest(warehouse, original, renamed)
    assert (first.status, second.status) == ("loaded", "duplicate")
    (duplicate_of,) = query(
        warehouse, "SELECT duplicate_of FROM ops.files WHERE file_id = ?", [second.file_id]
    )[0]
    assert duplicate_of == first.file_id


def test_every_file_is_archived_by_its_hash(warehouse: Path) -> None:
    refused = EXPORTS / "refused_price_list.csv"
    loaded = EXPORTS / "report_bieu06_quarter.xlsx"
    ingest(warehouse, refused, loaded)
    rows = query(warehouse, "SELECT sha256, bytes, archive_path, status FROM ops.files")
    assert {status for *_, status in rows} == {"refused", "loaded"}
    for sha, size, archive_path, _ in rows:
        archived = Path(archive_path)
        assert archived.is_relative_to(warehouse.parent / "raw")
        assert archived.name.startswith(sha)
        assert archived.stat().st_size == size


def test_agency_names_differing_only_in_unicode_form_and_spacing_are_one_agency(
    warehouse: Path, tmp_path: Path
) -> None:
    nfc = "Sở Tư pháp tỉnh Lạng Sơn"
    nfd = unicodedata.normalize("NFD", "Sở  Tư\u00a0pháp tỉnh Lạng Sơn ")
    assert nfd != nfc
    a = write_csv(
        tmp_path / "a.csv",
        f"H37-1;1.004227;Chứng thực;{nfc};05/01/2023;10/01/2023;09/01/2023;Đã trả kết quả;"
        "Trực tuyến",
    )
    b = write_csv(
        tmp_path / "b.csv",
        f"H37-2;1.004227;Chứng thực;{nfd};06/01/2023;11/01/2023;;Đang xử lý;Trực tiếp",
    )
    assert [r.status for r in ingest(warehouse, a, b)] == ["loaded", "loaded"]
    agencies = query(warehouse, "SELECT agency_key, agency_name, valid_to FROM core.dim_agency")
    assert agencies == [(agencies[0][0], nfc, None)]
    keys = query(warehouse, "SELECT DISTINCT agency_key FROM core.fact_dossier")
    assert keys == [(agencies[0][0],)]


def test_an_agency_written_two_ways_equally_often_gets_the_same_name_whatever_the_order(
    tmp_path: Path,
) -> None:
    # One agency (no code, so identified by its name ignoring case) written once in each case:
    # the name "written most often" is a tie, which must not be settled by row order.
    rows = [
        f"H37-{i};1.004227;Chứng thực;{name};05/01/2023;10/01/2023;09/01/2023;Đã trả kết quả;"
        "Trực tuyến"
        for i, name in enumerate(("Sở Tư pháp tỉnh Lạng Sơn", "SỞ TƯ PHÁP TỈNH LẠNG SƠN"))
    ]
    names = []
    for order, ordered in (("ab", rows), ("ba", rows[::-1])):
        warehouse = tmp_path / order / "warehouse.duckdb"
        assert [
            r.status for r in ingest(warehouse, write_csv(tmp_path / f"{order}.csv", *ordered))
        ] == ["loaded"]
        names.append(query(warehouse, "SELECT agency_name FROM core.dim_agency"))
    assert names[0] == names[1] == [("Sở Tư pháp tỉnh Lạng Sơn",)]


def test_latest_export_of_a_dossier_wins_and_earlier_versions_stay(
    warehouse: Path, tmp_path: Path
) -> None:
    pending = write_csv(
        tmp_path / "monday.csv",
        "H37-1;1.004227;Chứng thực;Sở Tư pháp;05/01/2023;10/01/2023;;Đang xử lý;Trực tuyến",
        "H37-2;1.004227;Chứng thực;Sở Tư pháp;05/01/2023;10/01/2023;;Đang xử lý;Trực tiếp",
    )
    resolved = write_csv(
        tmp_path / "tuesday.csv",
        "H37-1;1.004227;Chứng thực;Sở Tư pháp;05/01/2023;10/01/2023;11/01/2023;Đã trả kết quả;"
        "Trực tuyến",
        "H37-2;1.004227;Chứng thực;Sở Tư pháp;05/01/2023;10/01/2023;;Đang xử lý;Trực tiếp",
    )
    monday, tuesday = ingest(warehouse, pending)[0], ingest(warehouse, resolved)[0]

    current = query(
        warehouse,
        "SELECT dossier_code, status, outcome, file_id FROM core.fact_dossier ORDER BY 1",
    )
    assert current == [
        ("H37-1", "resolved", "late", tuesday.file_id),
        ("H37-2", "pending", None, monday.file_id),  # unchanged: still from its first file
    ]
    history = query(
        warehouse,
        "SELECT dossier_code, status, file_id, superseded_by_file FROM core.fact_dossier_history",
    )
    assert history == [("H37-1", "pending", monday.file_id, tuesday.file_id)]
    (monday_loaded,) = query(
        warehouse, "SELECT loaded_at FROM ops.files WHERE file_id = ?", [monday.file_id]
    )[0]
    as_of_monday = query(
        warehouse,
        "SELECT dossier_code, status FROM core.dossiers_as_of(?) ORDER BY 1",
        [monday_loaded],
    )
    assert as_of_monday == [("H37-1", "pending"), ("H37-2", "pending")]


def test_a_revised_report_period_replaces_the_earlier_one(warehouse: Path, tmp_path: Path) -> None:
    header = (
        "Đơn vị,Từ ngày,Đến ngày,Số hồ sơ đã giải quyết - Tổng số,"
        "Số hồ sơ đã giải quyết - Trả trước hạn,Số hồ sơ đã giải quyết - Trả đúng hạn,"
        "Số hồ sơ đã giải quyết - Trả quá hạn\n"
    )
    first = tmp_path / "report-v1.csv"
    first.write_text(header + "Sở Tư pháp,01/01/2023,31/01/2023,100,50,40,10\n", encoding="utf-8")
    revised = tmp_path / "report-v2.csv"
    revised.write_text(header + "Sở Tư pháp,01/01/2023,31/01/2023,100,60,38,2\n", encoding="utf-8")
    ingest(warehouse, first, revised)
    assert query(warehouse, "SELECT resolved_late FROM core.fact_report") == [(2,)]
    assert query(warehouse, "SELECT resolved_late FROM core.fact_report_history") == [(10,)]


def test_catalogue_snapshots_open_and_close_services(warehouse: Path, tmp_path: Path) -> None:
    header = "Mã TTHC,Tên TTHC,Cơ quan thực hiện,Mức độ,Ngày áp dụng\n"
    june = tmp_path / "catalogue-june.csv"
    june.write_text(
        header
        + "1.004227,Chứng thực,Sở Tư pháp,Một phần,01/06/2023\n"
        + "1.001000,Hộ tịch,Sở Tư pháp,Toàn trình,01/06/2023\n",
        encoding="utf-8",
    )
    july = tmp_path / "catalogue-july.csv"
    july.write_text(header + "1.004227,Chứng thực,Sở Tư pháp,Toàn trình,01/07/2023\n", "utf-8")
    ingest(warehouse, june, fetched_at=datetime(2023, 6, 2))
    ingest(warehouse, july, fetched_at=datetime(2023, 7, 3))  # the snapshot's date closes
    rows = query(
        warehouse,
        "SELECT p.procedure_code, s.service_level, s.valid_from::VARCHAR, s.valid_to::VARCHAR "
        "FROM core.fact_service s JOIN core.dim_procedure p USING (procedure_key) ORDER BY 1, 3",
    )
    assert rows == [
        ("1.001000", "full", "2023-06-01", "2023-07-03"),  # gone from July's catalogue
        ("1.004227", "partial", "2023-06-01", "2023-07-01"),
        ("1.004227", "full", "2023-07-01", None),
    ]


def test_a_renamed_agency_gets_a_new_version(warehouse: Path, tmp_path: Path) -> None:
    header = "Mã hồ sơ;Mã TTHC;Mã cơ quan;Cơ quan giải quyết;Ngày tiếp nhận;Ngày hẹn trả\n"
    old = tmp_path / "old.csv"
    old.write_text(header + "H37-1;1.004227;H37.18;UBND huyện Cao Lộc;05/01/2023;10/01/2023\n")
    new = tmp_path / "new.csv"
    new.write_text(header + "H37-2;1.004227;H37.18;UBND xã Cao Lộc;05/08/2025;10/08/2025\n")
    ingest(warehouse, old, new)
    versions = query(
        warehouse,
        "SELECT agency_name, valid_from::VARCHAR, valid_to::VARCHAR FROM core.dim_agency "
        "ORDER BY valid_from",
    )
    assert versions == [
        ("UBND huyện Cao Lộc", "2023-01-05", "2025-08-05"),
        ("UBND xã Cao Lộc", "2025-08-05", None),
    ]
    facts = query(
        warehouse,
        "SELECT d.dossier_code, a.agency_name FROM core.fact_dossier d "
        "JOIN core.dim_agency a USING (agency_key) ORDER BY 1",
    )
    assert facts == [("H37-1", "UBND huyện Cao Lộc"), ("H37-2", "UBND xã Cao Lộc")]


def test_a_failure_in_the_middle_leaves_nothing_of_the_file(
    warehouse: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ingest(warehouse, EXPORTS / "dossiers_semicolon_bom.csv")
    before = dict(table_contents(warehouse))
    real_run = load_module.run_sql_file

    def fail_after_the_facts(con, name, params=None, **kwargs):  # type: ignore[no-untyped-def]
        if name == "load/dossiers/40_versions.sql":
            raise RuntimeError("disk full (injected)")
        return real_run(con, name, params, **kwargs)

    monkeypatch.setattr(load_module, "run_sql_file", fail_after_the_facts)
    (result,) = ingest(warehouse, EXPORTS / "dossiers_rejects.csv")
    monkeypatch.setattr(load_module, "run_sql_file", real_run)

    assert result.status == "failed" and "disk full (injected)" in (result.error or "")
    after = dict(table_contents(warehouse))
    for table, rows in before.items():
        if table != "ops.files":
            assert after[table] == rows, f"{table} kept part of the failed file"
    failed = query(
        warehouse, "SELECT status, rows_loaded FROM ops.files WHERE file_id = ?", [result.file_id]
    )
    assert failed == [("failed", None)]
    (retry,) = ingest(warehouse, EXPORTS / "dossiers_rejects.csv")
    assert retry.status == "loaded"  # a failed file is not a duplicate: it can be retried


def test_a_killed_load_leaves_nothing_of_the_file(warehouse: Path, tmp_path: Path) -> None:
    big = write_dossier_csv(tmp_path / "big.csv", 600_000)
    ingest(warehouse, EXPORTS / "dossiers_semicolon_bom.csv")
    before = dict(table_contents(warehouse))
    command = [sys.executable, "-m", "warehouse.cli", "ingest", str(big), "--portal", "H37"]
    command += ["--no-checks", "--warehouse", str(warehouse)]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    raw = warehouse.parent / "raw"
    deadline = time.monotonic() + 60
    while not any(p.suffix == ".csv" for p in raw.rglob("*.csv")) and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(1.5)  # well inside the file's transaction (the load takes several seconds)
    os.kill(process.pid, signal.SIGKILL)
    assert process.wait() == -signal.SIGKILL, "the load finished before it could be killed"

    after = dict(table_contents(warehouse))
    assert after == before
    (result,) = ingest(warehouse, big)
    assert (result.status, result.rows_loaded) == ("loaded", 600_000)


def test_dim_date_knows_weekends_and_tet(warehouse: Path) -> None:
    ingest(warehouse, EXPORTS / "dossiers_semicolon_bom.csv")
    days = dict(
        query(
            warehouse,
            "SELECT date::VARCHAR, is_working_day FROM core.dim_date "
            "WHERE date IN ('2023-01-20', '2023-01-23', '2023-01-27', '2023-01-28', '2023-09-01')",
        )
    )
    assert days == {
        "2023-01-20": False,  # 29 Tết
        "2023-01-23": False,  # Tết
        "2023-01-27": True,  # back to work
        "2023-01-28": False,  # a Saturday
        "2023-09-01": False,  # National Day holiday
    }


def test_a_status_the_configuration_adds_loads_where_it_was_rejected(
    warehouse: Path, tmp_path: Path
) -> None:
    """[vocabulary] of cchc.toml reaches the parser through the portal (`cchc ingest`, the
    flow's load and this helper all pass it), and "Đang giải quyết" loads as pending."""
    from dataclasses import replace

    from warehouse.config import load_config

    def export(name: str) -> Path:
        """The same two dossiers, submitted by channel `name` (other bytes: not a duplicate)."""
        return write_csv(
            tmp_path / f"{name}.csv",
            f"H37-1;1.004227;Chứng thực;Sở Tư pháp;05/01/2023;10/01/2023;;Đang giải quyết;{name}",
            "H37-2;1.004227;Chứng thực;Sở Tư pháp;05/01/2023;10/01/2023;09/01/2023;Hoàn thành;"
            + name,
        )

    (before,) = ingest(warehouse, export("Trực tuyến"))
    assert (before.rows_loaded, before.rows_rejected) == (0, 2)
    assert query(warehouse, "SELECT DISTINCT reason, column_name FROM ops.rejects") == [
        ("not_in_vocabulary", "status")
    ]
    config = tmp_path / "cchc.toml"
    config.write_text(
        '[[portals]]\ncode = "H37"\nname = "Lạng Sơn"\nsector = "locality"\n'
        '[vocabulary.values.status]\n"Đang giải quyết" = "pending"\n"Hoàn thành" = "resolved"\n',
        encoding="utf-8",
    )
    portal = load_config(config).portal("H37")
    (after,) = ingest(warehouse, export("Trực tiếp"), portal=portal)
    assert (after.rows_loaded, after.rows_rejected) == (2, 0)
    statuses = query(warehouse, "SELECT dossier_code, status FROM core.fact_dossier ORDER BY 1")
    assert statuses == [("H37-1", "pending"), ("H37-2", "resolved")]
    # the same portal without the words rejects them again: nothing is remembered globally
    (again,) = ingest(warehouse, export("BCCI"), portal=replace(portal, vocabulary=()))
    assert again.rows_rejected == 2
