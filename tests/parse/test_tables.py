"""Unit tests of warehouse/parse/tables.py: format from content, CSV chunks, HTML spans, JSON."""

from __future__ import annotations

import codecs
import json
from pathlib import Path

import polars as pl
import pytest
import xlsxwriter
import xlwt
from polars.testing import assert_frame_equal

from warehouse.parse.formats.html import read_html_rows as _read_html_rows
from warehouse.parse.formats.json import read_json_rows as _read_json_rows
from warehouse.parse.tables import (
    RawTable,
    UnreadableFile,
    detect_format,
    read_table,
)

HEADER = ["Mã hồ sơ", "Ngày tiếp nhận", "Cơ quan giải quyết"]
HTML_HEAD = '<html><head><meta charset="utf-8"></head><body>'


def write(path: Path, data: bytes | str) -> Path:
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8", newline="")
    else:
        path.write_bytes(data)
    return path


# --- detect_format -----------------------------------------------------------------------------


def test_xlsx_bytes_named_xls(tmp_path: Path) -> None:
    target = tmp_path / "export.xlsx"
    workbook = xlsxwriter.Workbook(str(target))
    workbook.add_worksheet().write_row(0, 0, HEADER)
    workbook.close()
    path = target.rename(tmp_path / "export.xls")
    assert detect_format(path) == "xlsx"
    table = read_table(path, "xlsx", sheet=None, work_dir=tmp_path)
    assert table.head == [(1, HEADER)]


def test_genuine_legacy_xls(tmp_path: Path) -> None:
    workbook = xlwt.Workbook()
    sheet = workbook.add_sheet("BaoCao")
    for i, text in enumerate(HEADER):
        sheet.write(0, i, text)
    path = tmp_path / "legacy.xls"
    workbook.save(str(path))
    assert detect_format(path) == "xls"


@pytest.mark.parametrize(
    "content",
    [
        HTML_HEAD + "<table><tr><td>Mã hồ sơ</td></tr></table></body></html>",
        "\ufeff\r\n  <html><body><table><tr><td>x</td></tr></table></body></html>",
        "<table border=1><tr><th>Mã hồ sơ</th></tr></table>",
        '<?xml version="1.0"?>\n<html xmlns:x="urn:schemas-microsoft-com:office:excel">'
        "<body><table><tr><td>x</td></tr></table></body></html>",
    ],
)
def test_html_named_xls(tmp_path: Path, content: str) -> None:
    assert detect_format(write(tmp_path / "bao_cao.xls", content)) == "html"


@pytest.mark.parametrize(
    "content",
    [
        '[{"ma_ho_so": "H37-1"}]',
        '  \n{"data": [{"ma_ho_so": "H37-1"}], "page": 1, "total_pages": 2}',
        '\ufeff[{"Mã hồ sơ": "H37-1"}]',
    ],
)
def test_json(tmp_path: Path, content: str) -> None:
    assert detect_format(write(tmp_path / "api.xls", content)) == "json"


def test_csv_named_txt(tmp_path: Path) -> None:
    path = write(tmp_path / "export.txt", "Mã hồ sơ;Ngày tiếp nhận\nH37-1;05/01/2023\n")
    assert detect_format(path) == "csv"


def test_utf16_csv(tmp_path: Path) -> None:
    text = "Mã hồ sơ\tNgày tiếp nhận\r\nH37-1\t05/01/2023\r\n"
    path = write(tmp_path / "export.csv", text.encode("utf-16"))  # with BOM
    assert detect_format(path) == "csv"
    table = read_table(path, "csv", sheet=None, work_dir=tmp_path / "work")
    assert table.head == [(1, ["Mã hồ sơ", "Ngày tiếp nhận"]), (2, ["H37-1", "05/01/2023"])]
    (batch,) = table.body(1)
    assert batch.select("c0", "c1", "source_row").rows() == [("H37-1", "05/01/2023", 2)]


@pytest.mark.parametrize("content", [b"", b"   \r\n\t\n"])
def test_empty_file_is_unreadable(tmp_path: Path, content: bytes) -> None:
    with pytest.raises(UnreadableFile, match="empty"):
        detect_format(write(tmp_path / "empty.csv", content))


def test_non_utf8_bytes_are_unreadable(tmp_path: Path) -> None:
    # A legacy 8-bit Vietnamese encoding (TCVN3-style bytes), as old desktop tools export it.
    body = b"Ma ho so,Co quan\nH37-1,S\xf5 T\xad ph\xb8p\nH37-2,S\xf5 Y t\xd5\n" * 50
    path = write(tmp_path / "legacy.csv", body)
    with pytest.raises(UnreadableFile, match=r"not UTF-8 or UTF-16 text \(byte 24 is 0xf5\)"):
        detect_format(path)


def test_non_utf8_byte_at_the_end_of_a_small_file_is_unreadable(tmp_path: Path) -> None:
    path = write(tmp_path / "legacy.csv", b"ma_ho_so,ghi_chu\nH37-1,caf\xe9\n")
    with pytest.raises(UnreadableFile):
        detect_format(path)


# --- CSV chunks --------------------------------------------------------------------------------


def quoted(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def dossier_csv(records: int, newline: str = "\n") -> str:
    lines = [",".join(["Mã hồ sơ", "Ghi chú", "Cơ quan giải quyết"])]
    for i in range(records):
        note = {
            0: "plain",
            1: quoted(f"dòng 1{newline}dòng 2, có dấu phẩy"),
            2: quoted('nói "xin chào", rồi đi'),
            3: "",
        }[i % 4]
        lines.append(",".join([f"H37.18-230105-{i:04d}", note, quoted(f"Sở số {i}, Lạng Sơn")]))
    return newline.join(lines) + newline


def csv_table(path: Path, tmp_path: Path, chunk_bytes: int) -> RawTable:
    table = read_table(path, detect_format(path), sheet=None, work_dir=tmp_path / "work")
    assert table._csv is not None
    table._csv.chunk_bytes = chunk_bytes
    return table


def one_shot(path: Path, width: int, skip_rows: int = 0) -> pl.DataFrame:
    frame = pl.read_csv(path, has_header=True, infer_schema=False, skip_rows=skip_rows)
    return frame.rename({old: f"c{i}" for i, old in enumerate(frame.columns)}).select(
        f"c{i}" for i in range(width)
    )


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_csv_batches_equal_a_one_shot_read(tmp_path: Path, newline: str) -> None:
    path = write(tmp_path / "dossiers.csv", dossier_csv(41, newline))
    table = csv_table(path, tmp_path, chunk_bytes=64)
    assert table.width == 3
    batches = list(table.body(1))
    assert len(batches) > 10  # the tiny chunk size really cut the body
    loaded = pl.concat(batches)
    assert_frame_equal(loaded.drop("source_row"), one_shot(path, 3))
    assert loaded["source_row"].dtype == pl.Int64
    assert loaded["source_row"].to_list() == list(range(2, 43))  # header = record 1
    assert loaded.filter(pl.col("source_row") == 3)["c1"].item() == (
        f"dòng 1{newline}dòng 2, có dấu phẩy"
    )


def test_csv_source_rows_count_records_below_a_banner(tmp_path: Path) -> None:
    banner = '"DANH SÁCH HỒ SƠ\nTIẾP NHẬN",,\n"Kỳ: Tháng 01/2023",,\n'
    path = write(tmp_path / "dossiers.csv", banner + dossier_csv(9))
    table = csv_table(path, tmp_path, chunk_bytes=64)
    assert [number for number, _ in table.head[:3]] == [1, 2, 3]
    assert table.head[0][1][0] == "DANH SÁCH HỒ SƠ TIẾP NHẬN"
    assert table.head[2][1] == ["Mã hồ sơ", "Ghi chú", "Cơ quan giải quyết"]
    loaded = pl.concat(table.body(3))
    assert loaded["source_row"].to_list() == list(range(4, 13))
    assert loaded["c0"].to_list() == [f"H37.18-230105-{i:04d}" for i in range(9)]
    assert loaded["c1"][1] == "dòng 1\ndòng 2, có dấu phẩy"


def test_a_record_longer_than_a_chunk_still_loads(tmp_path: Path) -> None:
    long_note = quoted(("Hồ sơ bổ sung, lần thứ nhất\n" * 40) + 'kết thúc "ok"')
    text = (
        "Mã hồ sơ,Ghi chú,Cơ quan giải quyết\n"
        "H37-1,ngắn,Sở A\n"
        f"H37-2,{long_note},Sở B\n"
        "H37-3,ngắn,Sở C\n"
    )
    assert len(long_note.encode()) > 16 * 64
    path = write(tmp_path / "long.csv", text)
    loaded = pl.concat(csv_table(path, tmp_path, chunk_bytes=64).body(1))
    assert_frame_equal(loaded.drop("source_row"), one_shot(path, 3))
    assert loaded["source_row"].to_list() == [2, 3, 4]
    assert loaded["c0"].to_list() == ["H37-1", "H37-2", "H37-3"]
    assert loaded["c1"][1].startswith("Hồ sơ bổ sung, lần thứ nhất\nHồ sơ")


def test_csv_with_bom_and_semicolons_in_chunks(tmp_path: Path) -> None:
    rows = [f'H37-{i};"Sở {i}; Lạng Sơn";{i:02d}/01/2023' for i in range(1, 21)]
    text = "Mã hồ sơ;Cơ quan giải quyết;Ngày tiếp nhận\n" + "\n".join(rows) + "\n"
    path = write(tmp_path / "bom.csv", codecs.BOM_UTF8 + text.encode())
    table = csv_table(path, tmp_path, chunk_bytes=64)
    assert table.head[0] == (1, ["Mã hồ sơ", "Cơ quan giải quyết", "Ngày tiếp nhận"])
    loaded = pl.concat(table.body(1))
    assert loaded["source_row"].to_list() == list(range(2, 22))
    assert loaded["c1"].to_list() == [f"Sở {i}; Lạng Sơn" for i in range(1, 21)]


# --- HTML saved as .xls ------------------------------------------------------------------------

SPANNED_HTML = (
    HTML_HEAD
    + """
<table><tr><td colspan="5">BÁO CÁO TÌNH HÌNH GIẢI QUYẾT TTHC</td></tr></table>
<table border="1">
  <tr><th rowspan="2">STT</th><th rowspan="2">Tên đơn vị</th>
      <th colspan="3">Số hồ sơ đã giải quyết</th></tr>
  <tr><th>Trước hạn</th><th>Đúng hạn</th><th>Quá hạn</th></tr>
  <tr><td>1</td><td>Sở&nbsp;Tư   pháp</td><td rowspan="2">5</td><td>6</td>
      <td rowspan="2">9</td></tr>
  <tr><td>2</td><td>Sở Y tế</td><td>7</td></tr>
  <tr><td colspan="2">Tổng cộng</td><td>10</td><td>13</td><td>18</td></tr>
</table></body></html>"""
)


def test_html_spans_give_every_covered_cell_its_text(tmp_path: Path) -> None:
    path = write(tmp_path / "bao_cao.xls", SPANNED_HTML)
    assert _read_html_rows(path) == [
        (1, ["STT", "Tên đơn vị", *["Số hồ sơ đã giải quyết"] * 3]),
        (2, ["STT", "Tên đơn vị", "Trước hạn", "Đúng hạn", "Quá hạn"]),
        (3, ["1", "Sở Tư pháp", "5", "6", "9"]),
        (4, ["2", "Sở Y tế", "5", "7", "9"]),
        (5, ["Tổng cộng", "Tổng cộng", "10", "13", "18"]),
    ]


def test_html_table_reads_through_read_table(tmp_path: Path) -> None:
    path = write(tmp_path / "bao_cao.xls", SPANNED_HTML)
    table = read_table(path, detect_format(path), sheet=None, work_dir=tmp_path)
    assert (table.format, table.width) == ("html", 5)
    (body,) = table.body(2)
    assert body["source_row"].to_list() == [3, 4, 5]
    assert body["c2"].to_list() == ["5", "5", "10"]


def test_html_without_a_table_is_unreadable(tmp_path: Path) -> None:
    path = write(tmp_path / "page.xls", HTML_HEAD + "<p>Không có dữ liệu</p></body></html>")
    with pytest.raises(UnreadableFile, match="without a table"):
        _read_html_rows(path)


def test_html_without_a_charset_declaration_is_read_as_utf8(tmp_path: Path) -> None:
    path = write(tmp_path / "bao_cao.xls", "<table><tr><td>Mã hồ sơ</td></tr></table>")
    assert _read_html_rows(path) == [(1, ["Mã hồ sơ"])]


# --- JSON --------------------------------------------------------------------------------------

RECORDS = [
    {"ma_ho_so": "H37-1", "so_ngay": 3.0, "da_so_hoa": True, "ghi_chu": None},
    {"ma_ho_so": "H37-2", "so_ngay": 2.5, "da_so_hoa": False, "co_quan": {"ma": "H37.18"}},
]
JSON_HEADER = ["ma_ho_so", "so_ngay", "da_so_hoa", "ghi_chu", "co_quan"]
JSON_ROWS = [
    (0, JSON_HEADER),
    (1, ["H37-1", "3", "true", "", ""]),
    (2, ["H37-2", "2.5", "false", "", '{"ma": "H37.18"}']),
]


@pytest.mark.parametrize(
    "payload",
    [RECORDS, {"data": RECORDS, "page": 2, "total_pages": 3}],
    ids=["array", "page"],
)
def test_json_header_is_row_zero_and_records_count_from_one(
    tmp_path: Path, payload: object
) -> None:
    path = write(tmp_path / "api.json", json.dumps(payload, ensure_ascii=False))
    assert _read_json_rows(path) == JSON_ROWS
    table = read_table(path, detect_format(path), sheet=None, work_dir=tmp_path)
    assert table.format == "json"
    assert table.head[0] == (0, JSON_HEADER)
    (body,) = table.body(1)
    assert body["source_row"].to_list() == [1, 2]
    assert body["c0"].to_list() == ["H37-1", "H37-2"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"data": [1, 2]}', "neither an array of objects"),
        ('{"items": []}', "neither an array of objects"),
        ('[{"a": 1}', "invalid JSON at line 1"),
    ],
)
def test_json_outside_the_contract_is_unreadable(
    tmp_path: Path, content: str, message: str
) -> None:
    with pytest.raises(UnreadableFile, match=message):
        _read_json_rows(write(tmp_path / "api.json", content))
