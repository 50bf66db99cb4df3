"""Unit tests of warehouse/parse/headers.py: kind and columns from the header texts alone."""

from __future__ import annotations

import unicodedata

import pytest

from warehouse.parse.headers import HeaderMatch, RefusedFile, find_header
from warehouse.parse.tables import Row


def header(head: list[Row]) -> HeaderMatch:
    return find_header(head, max(len(cells) for _, cells in head))


def header_at(head: list[Row], kind: str, start: int, levels: int) -> HeaderMatch:
    """The header of `head`, found to be of `kind` in `levels` rows from row index `start`."""
    match = header(head)
    assert (match.kind, match.start, match.levels) == (kind, start, levels)
    return match


def pad(cells: list[str], width: int) -> list[str]:
    return cells + [""] * (width - len(cells))


def cells(text: str) -> list[str]:
    """One row of cells written as "a | b |  | c" (an empty cell between two bars)."""
    return [cell.strip() for cell in text.split("|")]


def canonical(match: HeaderMatch, labels: list[str]) -> dict[str, str]:
    """header text → canonical column, for reading assertions against the input."""
    return {labels[i]: name for i, name in match.columns.items()}


# --- dossier lists -----------------------------------------------------------------------------


def test_one_row_dossier_header_in_any_order_with_an_unknown_column() -> None:
    labels = [
        "Ngày hẹn trả",
        "Ghi chú nội bộ",
        "Trạng thái",
        "Mã hồ sơ",
        "Ngày tiếp nhận",
        "Cơ quan giải quyết",
        "Mã TTHC",
        "Hình thức nộp",
    ]
    head: list[Row] = [
        (1, labels),
        (2, ["10/01/2023", "x", "Đang xử lý", "H37-1", "05/01/2023", "Sở A", "1.004227", "BCCI"]),
    ]
    match = header_at(head, "dossiers", 0, 1)
    assert match.first_data_index == 1
    assert canonical(match, labels) == {
        "Ngày hẹn trả": "due_at",
        "Trạng thái": "status",
        "Mã hồ sơ": "dossier_code",
        "Ngày tiếp nhận": "received_at",
        "Cơ quan giải quyết": "agency_name",
        "Mã TTHC": "procedure_code",
        "Hình thức nộp": "channel",
    }
    assert 1 not in match.columns  # the unknown column is labelled but not mapped
    assert match.labels[1] == "Ghi chú nội bộ"
    assert match.missing_required == []


def test_dossier_header_below_banner_rows() -> None:
    labels = ["STT", "Số hồ sơ", "Mã thủ tục", "Đơn vị xử lý", "Ngày nhận", "Hạn xử lý", "Cấp"]
    width = len(labels)
    head: list[Row] = [
        (1, pad(["UBND TỈNH LẠNG SƠN"], width)),
        (2, pad(["DANH SÁCH HỒ SƠ TIẾP NHẬN"], width)),
        (3, pad(["Từ ngày 01/01/2023 đến ngày 31/01/2023"], width)),
        (4, pad([], width)),
        (5, labels),
        (6, ["1", "H37-1", "1.004227", "Sở A", "05/01/2023", "10/01/2023", "Tỉnh"]),
        (7, ["2", "H37-2", "1.004227", "Sở A", "06/01/2023", "11/01/2023", "Tỉnh"]),
    ]
    match = header_at(head, "dossiers", 4, 1)
    assert head[match.start][0] == 5
    assert match.first_data_index == 5
    assert canonical(match, labels) == {
        "Số hồ sơ": "dossier_code",
        "Mã thủ tục": "procedure_code",
        "Đơn vị xử lý": "agency_name",
        "Ngày nhận": "received_at",
        "Hạn xử lý": "due_at",
        "Cấp": "level",
    }


def test_dossier_header_in_api_snake_case_and_nfd() -> None:
    labels = [
        "ma_ho_so",
        "ma_tthc",
        unicodedata.normalize("NFD", "Cơ quan giải quyết"),
        "NGAY_TIEP_NHAN",
        " Ngày\u00a0hẹn  trả ",
    ]
    match = header([(0, labels), (1, ["H37-1", "1.004227", "Sở A", "05/01/2023", "10/01/2023"])])
    assert match.kind == "dossiers"
    assert list(match.columns.values()) == [
        "dossier_code",
        "procedure_code",
        "agency_name",
        "received_at",
        "due_at",
    ]


def test_dossier_header_without_received_at_names_the_missing_column() -> None:
    labels = ["Mã hồ sơ", "Mã TTHC", "Cơ quan giải quyết", "Ngày hẹn trả", "Trạng thái"]
    match = header([(1, labels), (2, ["H37-1", "1.004227", "Sở A", "10/01/2023", "Đang xử lý"])])
    assert match.kind == "dossiers"
    assert match.missing_required == ["received_at"]


# --- report tables -----------------------------------------------------------------------------

BIEU_06 = [
    cells(
        "STT | Tên đơn vị | Số hồ sơ nhận giải quyết |  |  |  | Số hồ sơ đã giải quyết |  |  | "
        " | Số hồ sơ đang giải quyết |  | "
    ),
    cells(
        " |  | Tổng số | Số kỳ trước chuyển qua | Trong đó |  | Tổng số | Trả trước hạn"
        " | Trả đúng hạn | Trả quá hạn | Tổng số | Trong hạn | Quá hạn"
    ),
    cells(" |  |  |  | Trực tuyến | Trực tiếp, dịch vụ bưu chính công ích |  |  |  |  |  |  | "),
]
BIEU_06_COLUMNS = {
    1: "agency_name",
    2: "received_total",
    3: "carried_over",
    4: "received_online",
    5: "received_offline",
    6: "resolved_total",
    7: "resolved_early",
    8: "resolved_on_time",
    9: "resolved_late",
    10: "pending_total",
    11: "pending_in_time",
    12: "pending_overdue",
}


def test_three_level_report_header_with_merged_cells_and_column_numbers() -> None:
    width = len(BIEU_06[0])
    head: list[Row] = [
        (1, pad(["UBND TỈNH LẠNG SƠN", "", "", "", "", "", "", "", "CỘNG HÒA XÃ HỘI"], width)),
        (2, pad(["BÁO CÁO TÌNH HÌNH GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH"], width)),
        (3, pad(["Kỳ báo cáo: Quý I/2023"], width)),
        (4, pad(["", "", "", "", "", "", "", "", "", "", "Đơn vị tính: hồ sơ"], width)),
        (5, BIEU_06[0]),
        (6, BIEU_06[1]),
        (7, BIEU_06[2]),
        (8, cells("(1)|(2)|(3)=(4)+(5)+(6)|(4)|(5)|(6)|(7)=(8)+(9)+(10)|(8)|(9)|(10)"
                  "|(11)=(12)+(13)|(12)|(13)")),
        (9, cells("1 | Sở Tư pháp | 10 | 2 | 5 | 3 | 8 | 2 | 5 | 1 | 2 | 1 | 1")),
    ]  # fmt: skip
    assert all(len(cells) == width for _, cells in head)
    match = header_at(head, "report", 4, 3)
    assert match.columns == BIEU_06_COLUMNS
    assert match.missing_required == []
    assert match.labels[12] == "Số hồ sơ đang giải quyết / Quá hạn"
    assert match.labels[4] == "Số hồ sơ nhận giải quyết / Trong đó / Trực tuyến"


def test_three_level_report_header_as_html_spans_expand_it() -> None:
    """rowspan/colspan expansion repeats every text in the cells the span covers."""
    head: list[Row] = [
        (1, ["STT", "Tên đơn vị", *(["Số hồ sơ nhận giải quyết"] * 4),
             *(["Số hồ sơ đã giải quyết"] * 4), *(["Số hồ sơ đang giải quyết"] * 3)]),
        (2, cells("STT | Tên đơn vị | Tổng số | Số kỳ trước chuyển qua | Số mới tiếp nhận"
                  " | Số mới tiếp nhận | Tổng số | Trả trước hạn | Trả đúng hạn | Trả quá hạn"
                  " | Tổng số | Trong hạn | Quá hạn")),
        (3, cells("STT | Tên đơn vị | Tổng số | Số kỳ trước chuyển qua | Trực tuyến"
                  " | Trực tiếp, dịch vụ bưu chính công ích | Tổng số | Trả trước hạn"
                  " | Trả đúng hạn | Trả quá hạn | Tổng số | Trong hạn | Quá hạn")),
        (4, cells("1 | Sở Tư pháp | 10 | 2 | 5 | 3 | 8 | 2 | 5 | 1 | 2 | 1 | 1")),
    ]  # fmt: skip
    match = header_at(head, "report", 0, 3)
    assert match.columns == BIEU_06_COLUMNS


def test_split_in_person_and_bcci_columns_both_feed_received_offline() -> None:
    head: list[Row] = [
        (1, cells("Đơn vị | Số hồ sơ tiếp nhận |  |  |  |  | Đã giải quyết |  |  | "
                  " | Đang giải quyết |  | ")),
        (2, cells(" | Tổng số | Từ kỳ trước | Trực tuyến | Trực tiếp | Qua BCCI | Tổng số"
                  " | Trước hạn | Đúng hạn | Quá hạn | Tổng số | Trong hạn | Quá hạn")),
        (3, cells("Sở A | 6 | 0 | 3 | 2 | 1 | 6 | 1 | 4 | 1 | 0 | 0 | 0")),
    ]  # fmt: skip
    match = header_at(head, "report", 0, 2)
    assert match.physical("received_offline") == [4, 5]
    assert match.physical("received_online") == [3]
    assert match.columns[9] == "resolved_late"
    assert match.columns[12] == "pending_overdue"


@pytest.mark.parametrize(
    ("resolved", "pending"),
    [
        ("Số hồ sơ đã giải quyết", "Số hồ sơ đang giải quyết"),
        ("Đã giải quyết", "Số lượng hồ sơ đang giải quyết"),
        ("Số lượng hồ sơ đã giải quyết", "Đang giải quyết"),
    ],
)
def test_qua_han_depends_on_its_group(resolved: str, pending: str) -> None:
    head: list[Row] = [
        (1, ["Tên đơn vị", resolved, "", "", "", pending, "", ""]),
        (2, ["", "Tổng số", "Trước hạn", "Đúng hạn", "Quá hạn", "Tổng số", "Trong hạn", "Quá hạn"]),
        (3, ["Sở A", "3", "1", "1", "1", "4", "3", "1"]),
    ]
    match = header(head)
    assert match.kind == "report"
    assert match.columns == {
        0: "agency_name",
        1: "resolved_total",
        2: "resolved_early",
        3: "resolved_on_time",
        4: "resolved_late",
        5: "pending_total",
        6: "pending_in_time",
        7: "pending_overdue",
    }


def test_a_second_column_of_a_non_summable_count_is_not_mapped() -> None:
    head: list[Row] = [
        (1, ["Tên đơn vị", "Đã giải quyết", "", "", "", ""]),
        (2, ["", "Tổng số", "Trước hạn", "Đúng hạn", "Quá hạn", "Trả quá hạn"]),
        (3, ["Sở A", "3", "1", "1", "1", "1"]),
    ]
    match = header(head)
    assert match.physical("resolved_late") == [4]
    assert 5 not in match.columns


def test_flat_report_header_joined_with_separators_and_canonical_names() -> None:
    labels = [
        "STT",
        "Tên đơn vị",
        "Số hồ sơ nhận giải quyết - Tổng số",
        "Số hồ sơ nhận giải quyết/Số kỳ trước chuyển qua",
        "Số hồ sơ nhận giải quyết: Trực tuyến",
        "received_offline",
        "resolved_total",
        "Số hồ sơ đã giải quyết - Trả trước hạn",
        "Số hồ sơ đã giải quyết / Trả đúng hạn",
        "Số hồ sơ đã giải quyết : Quá hạn",
        "Số hồ sơ đang giải quyết - Tổng số",
        "pending_in_time",
        "Số hồ sơ đang giải quyết - Quá hạn",
        "Từ ngày",
        "period_to",
    ]
    head: list[Row] = [
        (1, labels),
        (2, ["1", "Sở A", *["1"] * 11, "01/01/2023", "31/03/2023"]),
    ]
    match = header_at(head, "report", 0, 1)
    assert match.columns == BIEU_06_COLUMNS | {13: "period_from", 14: "period_to"}


def test_report_header_without_the_required_counts_names_them() -> None:
    head: list[Row] = [
        (1, cells("Tên đơn vị | Số hồ sơ đã giải quyết - Tổng số | Đã giải quyết - Trước hạn")),
        (2, ["Sở A", "3", "3"]),
    ]
    match = header(head)
    assert match.kind == "report"
    assert match.missing_required == ["resolved_on_time", "resolved_late"]


# --- catalogues and refusals -------------------------------------------------------------------


def test_catalogue_header() -> None:
    labels = ["STT", "Mã TTHC", "Tên thủ tục", "Lĩnh vực", "Cơ quan thực hiện", "Cấp thực hiện"]
    labels += ["Mức độ DVC", "Ngày áp dụng"]
    head: list[Row] = [
        (1, pad(["DANH MỤC DỊCH VỤ CÔNG TRỰC TUYẾN"], len(labels))),
        (2, labels),
        (3, cells("1 | 1.004227 | Cấp phiếu lý lịch | Tư pháp | Sở Tư pháp | Tỉnh | Toàn trình"
                  " | 01/01/2023")),
    ]  # fmt: skip
    match = header_at(head, "catalogue", 1, 1)
    assert canonical(match, labels) == {
        "Mã TTHC": "procedure_code",
        "Tên thủ tục": "procedure_name",
        "Lĩnh vực": "field_name",
        "Cơ quan thực hiện": "agency_name",
        "Cấp thực hiện": "level",
        "Mức độ DVC": "service_level",
        "Ngày áp dụng": "valid_from",
    }
    assert match.missing_required == []


def test_a_price_list_is_refused_as_kind_not_detected() -> None:
    head: list[Row] = [
        (1, ["BẢNG GIÁ DỊCH VỤ", "", ""]),
        (2, ["STT", "Tên hàng hóa", "Đơn giá (đồng)"]),
        (3, ["1", "Gạo tẻ", "15.000"]),
        (4, ["2", "Muối", "8.000"]),
    ]
    with pytest.raises(RefusedFile) as refusal:
        header(head)
    assert refusal.value.reason == "kind_not_detected"
    assert "first 4 rows" in str(refusal.value)


def test_an_empty_head_is_refused() -> None:
    with pytest.raises(RefusedFile) as refusal:
        find_header([], 0)
    assert refusal.value.reason == "kind_not_detected"


def test_a_refusal_counts_the_rows_it_looked_at_in_words_that_agree() -> None:
    with pytest.raises(RefusedFile, match="in its only row; the closest is row 1: Mã hàng"):
        find_header([(1, ["Mã hàng", "Đơn giá"])], 2)
    with pytest.raises(RefusedFile, match="in the first 2 rows;"):
        find_header([(1, ["Mã hàng", "Đơn giá"]), (2, ["x", "1"])], 2)
