"""Hostile and broken inputs (issue 10): bombs are refused in bounded memory and time, damaged
files say so, no row is dropped silently, bad bytes and impossible dates reject only their row.

Every input is generated here, small, in tmp_path. Tests that could exhaust memory on a
regression run the real `cchc ingest` in a child under a hard memory limit (memory_guard).
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterable
from pathlib import Path

import duckdb
import pytest
import xlwt
from memory_guard import run_guarded

from warehouse.config import ConfigError, Limits, load_config
from warehouse.parse.export import parse_export
from warehouse.parse.headers import RefusedFile

from conftest import ingest, query

GiB = 1024**3
HEADER = ["Mã hồ sơ", "Mã TTHC", "Tên TTHC", "Cơ quan giải quyết", "Ngày tiếp nhận", "Ngày hẹn trả"]
CSV_HEADER = (
    "Mã hồ sơ;Mã TTHC;Tên TTHC;Cơ quan giải quyết;Ngày tiếp nhận;Ngày hẹn trả;"
    "Ngày có kết quả;Trạng thái;Hình thức nộp\n"
)


def dossier_line(i: int, received: str = "05/01/2023", completed: str = "09/01/2023") -> str:
    return (
        f"H37-{i};1.004227;Chứng thực;Sở Tư pháp;{received};10/01/2023;{completed};"
        "Đã trả kết quả;Trực tuyến\n"
    )


def good_csv(path: Path, rows: int = 3) -> Path:
    path.write_text(CSV_HEADER + "".join(dossier_line(i) for i in range(rows)), encoding="utf-8")
    return path


# --- hand-made XLSX: any sheet XML, streamed into the zip ---------------------------------------

_PARTS = {
    "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas'
    '.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType='
    '"application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
    'ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="'
    'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override '
    'PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.worksheet+xml"/></Types>',
    "_rels/.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas'
    '.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://'
    'schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/'
    'workbook.xml"/></Relationships>',
    "xl/workbook.xml": '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.'
    'openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/'
    'officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/>'
    "</sheets></workbook>",
    "xl/_rels/workbook.xml.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns='
    '"http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    'Target="worksheets/sheet1.xml"/></Relationships>',
}


def column(index: int) -> str:
    name, index = "", index + 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


def row_xml(number: int, values: Iterable[str]) -> str:
    cells = "".join(
        f'<c r="{column(i)}{number}" t="inlineStr"><is><t>{v}</t></is></c>'
        for i, v in enumerate(values)
    )
    return f'<row r="{number}">{cells}</row>'


def data_values(i: int) -> list[str]:
    return [f"H37-{i}", "1.004227", "Chứng thực", "Sở Tư pháp", "05/01/2023", "10/01/2023"]


def write_xlsx(path: Path, rows: Iterable[str], *, level: int = 6) -> Path:
    """An XLSX whose sheet data is `rows` (row XML), written in pieces of bounded size."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as archive:
        for name, text in _PARTS.items():
            archive.writestr(name, text)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(
                b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.'
                b'openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
            )
            piece: list[str] = []
            size = 0
            for row in rows:
                piece.append(row)
                size += len(row)
                if size >= 4_000_000:
                    sheet.write("".join(piece).encode())
                    piece, size = [], 0
            sheet.write("".join(piece).encode() + b"</sheetData></worksheet>")
    return path


def good_xlsx(path: Path, rows: int = 3) -> Path:
    return write_xlsx(
        path, [row_xml(1, HEADER), *(row_xml(i + 2, data_values(i)) for i in range(rows))]
    )


def cchc_ingest(tmp_path: Path, *files: Path, config: Path | None = None):
    warehouse = tmp_path / "data" / "warehouse.duckdb"
    args = ["-m", "warehouse.cli", "ingest", *map(str, files), "--portal", "H37", "--no-checks"]
    args += ["--warehouse", str(warehouse)]
    if config:
        args += ["--config", str(config)]
    return run_guarded(args), warehouse


def files_table(warehouse: Path) -> dict[str, tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = con.execute(
            "SELECT source, status, reason, rows_loaded, error FROM ops.files ORDER BY file_id"
        ).fetchall()
    return {
        Path(source).name: (status, reason, loaded, error)
        for source, status, reason, loaded, error in rows
    }


def assert_guarded_ok(run) -> None:
    assert run.returncode in (0, 3), run.stderr[-3000:]
    assert "Traceback" not in run.stdout + run.stderr
    assert run.peak_mib < 2048, f"peak {run.peak_mib:.0f} MiB"


# --- 1. archives inspected before they are parsed ----------------------------------------------


def test_a_zip_bomb_is_refused_at_once_and_the_good_file_still_loads(tmp_path: Path) -> None:
    # 700 MB of sheet XML (beyond the 500 MB default), a few hundred KB on disk
    filler = "<row/>" * 100_000
    bomb = write_xlsx(
        tmp_path / "bomb.xlsx",
        (row_xml(1, HEADER), *(filler for _ in range(1_170))),
        level=9,
    )
    assert bomb.stat().st_size < 5 * 1024**2
    good = good_csv(tmp_path / "good.csv")
    run, warehouse = cchc_ingest(tmp_path, bomb, good)
    assert_guarded_ok(run)
    assert run.returncode == 3
    files = files_table(warehouse)
    status, reason, _, error = files["bomb.xlsx"]
    assert (status, reason) == ("refused", "too_large")
    assert "max_uncompressed_mb = 500" in error
    assert files["good.csv"][:3] == ("loaded", None, 3)
    assert run.seconds < 60


def test_a_compression_ratio_beyond_the_cap_is_refused(tmp_path: Path) -> None:
    bomb = write_xlsx(tmp_path / "ratio.xlsx", (row_xml(1, HEADER), "<row/>" * 1_000_000), level=9)
    with pytest.raises(RefusedFile, match="max_compression_ratio = 100") as refusal:
        parse(bomb, tmp_path)
    assert refusal.value.reason == "too_large"


def test_the_caps_come_from_cchc_toml(tmp_path: Path) -> None:
    config = tmp_path / "cchc.toml"
    config.write_text(
        '[limits]\nmax_uncompressed_mb = 1\n\n[[portals]]\ncode = "H37"\nname = "Lạng Sơn"\n'
        'sector = "locality"\n',
        encoding="utf-8",
    )
    assert load_config(config).portal("H37").limits == Limits(max_uncompressed_mb=1)
    big = good_xlsx(tmp_path / "big.xlsx", rows=12_000)  # about 2.5 MB of sheet XML
    small = good_xlsx(tmp_path / "small.xlsx", rows=3)
    (big_result, small_result) = ingest(
        tmp_path / "w" / "warehouse.duckdb", big, small, portal=load_config(config).portal("H37")
    )
    assert (big_result.status, small_result.status) == ("refused", "loaded")
    assert "max_uncompressed_mb = 1" in big_result.error


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ("max_cells = 0", "[limits] max_cells = 0: use a number ≥ 1"),
        ('max_compression_ratio = "high"', "[limits] max_compression_ratio = 'high'"),
        ("max_rows = 5", "[limits] unknown key max_rows"),
    ],
)
def test_a_bad_limit_is_named_with_its_fix(tmp_path: Path, table: str, message: str) -> None:
    config = tmp_path / "cchc.toml"
    config.write_text(f"[limits]\n{table}\n", encoding="utf-8")
    with pytest.raises(ConfigError) as error:
        load_config(config)
    assert message in str(error.value) and str(config) in str(error.value)


def test_a_cell_far_away_is_refused_before_calamine_allocates_its_range(tmp_path: Path) -> None:
    # 2 KB that would make calamine allocate 512 GB and abort the whole process
    far = write_xlsx(
        tmp_path / "far.xlsx",
        [
            row_xml(1, HEADER),
            row_xml(2, data_values(0)),
            '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>',
        ],
    )
    good = good_xlsx(tmp_path / "good.xlsx")
    run, warehouse = cchc_ingest(tmp_path, far, good)
    assert_guarded_ok(run)
    files = files_table(warehouse)
    assert files["far.xlsx"][:2] == ("refused", "too_large")
    assert "17,179,869,184 cells" in files["far.xlsx"][3]
    assert files["good.xlsx"][:3] == ("loaded", None, 3)


def test_a_legacy_xls_spanning_its_whole_grid_is_refused(tmp_path: Path) -> None:
    workbook = xlwt.Workbook()
    sheet = workbook.add_sheet("S")
    for i, text in enumerate(HEADER):
        sheet.write(0, i, text)
    for i, text in enumerate(data_values(0)):
        sheet.write(1, i, text)
    sheet.write(65535, 255, "x")  # 5 KB spanning 16.7 million cells (1.5 GiB in calamine)
    workbook.save(str(tmp_path / "grid.xls"))
    good = good_csv(tmp_path / "good.csv")
    run, warehouse = cchc_ingest(tmp_path, tmp_path / "grid.xls", good)
    assert_guarded_ok(run)
    files = files_table(warehouse)
    assert files["grid.xls"][:2] == ("refused", "too_large")
    assert files["good.csv"][:3] == ("loaded", None, 3)


def test_an_empty_row_bomb_is_bounded_and_never_a_silent_empty_load(tmp_path: Path) -> None:
    # A header, one dossier, then 300,000 rows of empty strings in 6 columns (7 MB on disk)
    empty = "".join(f'<c r="{column(i)}{{n}}" t="inlineStr"><is><t></t></is></c>' for i in range(6))
    bomb = write_xlsx(
        tmp_path / "empty_rows.xlsx",
        [
            row_xml(1, HEADER),
            row_xml(2, data_values(0)),
            *(f'<row r="{n}">{empty.format(n=n)}</row>' for n in range(3, 300_003)),
        ],
    )
    good = good_csv(tmp_path / "good.csv")
    run, warehouse = cchc_ingest(tmp_path, bomb, good)
    assert_guarded_ok(run)
    assert run.seconds < 90
    files = files_table(warehouse)
    assert files["empty_rows.xlsx"][:3] == ("loaded", None, 1)
    assert files["good.csv"][:3] == ("loaded", None, 3)
    (warning,) = query(
        warehouse,
        "SELECT message FROM ops.file_warnings JOIN ops.files USING (file_id) "
        "WHERE source LIKE '%empty_rows.xlsx'",
    )[0]
    assert "300,000 rows below the header have no value" in warning


def test_only_blank_rows_say_the_file_has_no_data_rows(tmp_path: Path) -> None:
    empty = "".join(
        f'<c r="{column(i)}{{n}}" t="inlineStr"><is><t> </t></is></c>' for i in range(6)
    )
    path = write_xlsx(
        tmp_path / "blank.xlsx",
        [row_xml(1, HEADER), *(f'<row r="{n}">{empty.format(n=n)}</row>' for n in range(2, 5))],
    )
    (result,) = ingest(tmp_path / "w" / "warehouse.duckdb", path)
    assert (result.status, result.rows_loaded) == ("loaded", 0)
    assert any("the file has no data rows" in w for w in result.warnings)


def test_a_truncated_xlsx_is_refused_as_damaged(tmp_path: Path) -> None:
    whole = good_xlsx(tmp_path / "whole.xlsx", rows=2_000).read_bytes()
    cut = tmp_path / "cut.xlsx"
    cut.write_bytes(whole[: len(whole) // 2])
    with pytest.raises(RefusedFile, match="damaged XLSX") as refusal:
        parse(cut, tmp_path)
    assert refusal.value.reason == "damaged_file"


def test_an_xlsx_whose_sheet_fails_its_crc_is_refused_as_damaged(tmp_path: Path) -> None:
    data = bytearray(good_xlsx(tmp_path / "ok.xlsx", rows=2_000).read_bytes())
    with zipfile.ZipFile(tmp_path / "ok.xlsx") as archive:
        info = archive.getinfo("xl/worksheets/sheet1.xml")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra) + 200
    data[start : start + 8] = b"\x00" * 8  # flip bytes inside the deflated sheet
    damaged = tmp_path / "damaged.xlsx"
    damaged.write_bytes(bytes(data))
    with pytest.raises(RefusedFile) as refusal:
        parse(damaged, tmp_path)
    assert refusal.value.reason == "damaged_file"


def parse(path: Path, tmp_path: Path):
    from datetime import date

    parsed = parse_export(path, work_dir=tmp_path / "work", exported_on=date(2024, 1, 5))
    return parsed, [batch for batch in parsed.batches]


# --- 2. no row dropped silently: HTML of any nesting depth -------------------------------------


def html_table(depth: int, rows: int = 6) -> str:
    lines = ["<tr>" + "".join(f"<th>{h}</th>" for h in HEADER) + "</tr>"]
    for i in range(rows):
        code = f"H37-{i}"
        if i == 1:
            code = "<span>" * depth + code + "</span>" * depth
        values = [code, *data_values(i)[1:]]
        lines.append("<tr>" + "".join(f"<td>{v}</td>" for v in values) + "</tr>")
    return (
        '<html><head><meta charset="utf-8"></head><body><table>'
        + "".join(lines)
        + "</table></body></html>"
    )


def test_html_nested_beyond_libxml2s_default_depth_loads_every_row(tmp_path: Path) -> None:
    path = tmp_path / "deep.xls"
    path.write_text(html_table(depth=400), encoding="utf-8")
    (result,) = ingest(tmp_path / "w" / "warehouse.duckdb", path)
    assert (result.status, result.rows_read, result.rows_loaded) == ("loaded", 6, 6)


def test_html_nested_beyond_any_limit_is_refused_not_cut_short(tmp_path: Path) -> None:
    path = tmp_path / "deeper.xls"
    path.write_text(html_table(depth=3_000), encoding="utf-8")
    (result,) = ingest(tmp_path / "w" / "warehouse.duckdb", path)
    assert result.status == "refused"
    assert "7 <tr> rows but only 3 could be read" in result.error
    (reason,) = query(tmp_path / "w" / "warehouse.duckdb", "SELECT reason FROM ops.files", [])[0]
    assert reason == "damaged_file"


# --- 3. bad bytes reject only their row --------------------------------------------------------


@pytest.mark.parametrize(
    ("bad", "where"),
    [
        (b"Ch\x00ng th\xe1\xbb\xb1c", 4_000),  # a NUL byte, far beyond the sniffed head
        (b"Ch\xffng th\xe1\xbb\xb1c", 4_000),  # a byte that is never UTF-8
        (b"Ch\xe1\xbbng", 3),  # a cut multi-byte sequence, inside the sniffed head
    ],
)
def test_bad_bytes_in_a_csv_reject_only_their_row(tmp_path: Path, bad: bytes, where: int) -> None:
    lines = [dossier_line(i).encode() for i in range(6_004)]
    lines[where] = lines[where].replace("Chứng thực".encode(), bad)
    path = tmp_path / "bad_bytes.csv"
    path.write_bytes(CSV_HEADER.encode() + b"".join(lines))
    warehouse = tmp_path / "w" / "warehouse.duckdb"
    (result,) = ingest(warehouse, path)
    assert (result.status, result.rows_read, result.rows_loaded, result.rows_rejected) == (
        "loaded",
        6_004,
        6_003,
        1,
    )
    rejects = query(
        warehouse, "SELECT row_number, column_name, reason, value, message FROM ops.rejects"
    )
    ((row, column_name, reason, value, message),) = rejects
    assert (row, column_name, reason) == (where + 2, "procedure_name", "bad_encoding")
    assert "\ufffd" in value and "\x00" not in value
    assert f"row {where + 2}, column 3 (Tên TTHC)" in message
    assert any("bad_encoding" in w and f"row {where + 2}" in w for w in result.warnings)
    loaded = query(
        warehouse, "SELECT count(*) FROM core.fact_dossier WHERE dossier_code = ?", [f"H37-{where}"]
    )
    assert loaded == [(0,)]


def test_bad_bytes_across_chunks_keep_every_row_number(tmp_path: Path) -> None:
    from warehouse.parse import tables

    lines = [dossier_line(i).encode() for i in range(3_000)]
    for i in (10, 1_500, 2_999):
        lines[i] = lines[i].replace(b"H37-", b"H\x0037-")
    path = tmp_path / "chunks.csv"
    path.write_bytes(CSV_HEADER.encode() + b"".join(lines))
    table = tables.read_table(path, "csv", sheet=None, work_dir=tmp_path)
    assert table._csv is not None
    table._csv.chunk_bytes = 16 * 1024  # many chunks, so flagged and clean ones alternate
    frames = list(table.body(1))
    assert len(frames) > 5
    rows = sum(f.height for f in frames)
    flagged = [
        r
        for f in frames
        if tables.BAD_BYTES_COLUMN in f.columns
        for r in f.filter(f[tables.BAD_BYTES_COLUMN].is_not_null())["source_row"].to_list()
    ]
    assert rows == 3_000 and flagged == [12, 1_502, 3_001]


def test_a_file_in_another_encoding_is_still_refused(tmp_path: Path) -> None:
    path = tmp_path / "latin.csv"
    path.write_bytes(CSV_HEADER.encode("cp1258", errors="replace") + b"H37-1;x;S\xf5;y\n" * 20)
    (result,) = ingest(tmp_path / "w" / "warehouse.duckdb", path)
    assert result.status == "refused" and "not UTF-8" in result.error


# --- 4. dates out of 2000–2099 rejected, every kind --------------------------------------------


def test_dossier_dates_out_of_range_are_rejected_by_column(tmp_path: Path) -> None:
    lines = [
        dossier_line(0),
        dossier_line(1, received="31/12/1999"),
        dossier_line(2, completed="01/01/2100"),
        "H37-3;1.004227;Chứng thực;Sở Tư pháp;05/01/2023;10/01/2201;;Đang xử lý;Trực tuyến\n",
        dossier_line(4, received="01/01/2000 00:00", completed="31/12/2099 23:59"),
    ]
    path = tmp_path / "dates.csv"
    path.write_text(CSV_HEADER + "".join(lines), encoding="utf-8")
    warehouse = tmp_path / "w" / "warehouse.duckdb"
    (result,) = ingest(warehouse, path)
    assert (result.rows_read, result.rows_loaded, result.rows_rejected) == (5, 2, 3)
    rejects = query(
        warehouse,
        "SELECT row_number, column_name, value FROM ops.rejects "
        "WHERE reason = 'date_out_of_range' ORDER BY 1",
    )
    assert rejects == [
        (3, "received_at", "31/12/1999"),
        (4, "completed_at", "01/01/2100"),
        (5, "due_at", "10/01/2201"),
    ]


def test_catalogue_and_report_dates_out_of_range_are_rejected(tmp_path: Path) -> None:
    catalogue = tmp_path / "catalogue.csv"
    catalogue.write_text(
        "Mã TTHC,Tên TTHC,Cơ quan thực hiện,Mức độ,Ngày áp dụng\n"
        "1.004227,Chứng thực,Sở Tư pháp,Toàn trình,01/07/2023\n"
        "1.004228,Hộ tịch,Sở Tư pháp,Toàn trình,01/07/1899\n",
        encoding="utf-8",
    )
    columns = [
        "Đơn vị",
        "Số hồ sơ đã giải quyết - Tổng số",
        "Số hồ sơ đã giải quyết - Trả trước hạn",
        "Số hồ sơ đã giải quyết - Trả đúng hạn",
        "Số hồ sơ đã giải quyết - Trả quá hạn",
    ]
    flat = tmp_path / "report_rows.csv"
    flat.write_text(
        ",".join(["Từ ngày", "Đến ngày", *columns])
        + "\n01/01/2023,31/01/2023,Sở Tư pháp,10,4,6,0\n"
        + "01/12/1999,31/12/1999,Sở Y tế,5,5,0,0\n",
        encoding="utf-8",
    )
    report = write_xlsx(
        tmp_path / "report_banner.xlsx",
        [
            row_xml(1, ["Kỳ báo cáo: Năm 1999"]),
            row_xml(3, columns),
            row_xml(4, ["Sở Tư pháp", "10", "4", "6", "0"]),
            row_xml(5, ["Sở Y tế", "5", "5", "0", "0"]),
        ],
    )
    warehouse = tmp_path / "w" / "warehouse.duckdb"
    cat_result, flat_result, report_result = ingest(warehouse, catalogue, flat, report)
    assert (cat_result.status, cat_result.rows_loaded, cat_result.rows_rejected) == (
        "loaded",
        1,
        1,
    )
    assert (flat_result.rows_loaded, flat_result.rows_rejected) == (1, 1), flat_result.error
    assert report_result.status == "loaded", report_result.error
    assert (report_result.rows_loaded, report_result.rows_rejected) == (0, 2)
    rejects = query(
        warehouse,
        "SELECT file_id, row_number, column_name, value FROM ops.rejects "
        "WHERE reason = 'date_out_of_range' ORDER BY 1, 2, 3",
    )
    assert rejects == [
        (cat_result.file_id, 3, "valid_from", "01/07/1899"),
        (flat_result.file_id, 3, "period_from", "01/12/1999"),
        (flat_result.file_id, 3, "period_to", "31/12/1999"),
        (report_result.file_id, 4, "period_from", "01/01/1999"),
        (report_result.file_id, 4, "period_to", "31/12/1999"),
        (report_result.file_id, 5, "period_from", "01/01/1999"),
        (report_result.file_id, 5, "period_to", "31/12/1999"),
    ]
