"""Biểu số 06/VPCP/KSTT with its three-level header: HTML saved as .xls, and Lạng Sơn's workbook."""

from __future__ import annotations

import math
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape

from warehouse.demo.files import Cell, Sheet, write_xlsx
from warehouse.demo.headers import column_text, group_text, ignored_level, leaf_text
from warehouse.demo.manifest import DemoFile
from warehouse.demo.model import COUNTS
from warehouse.demo.report_records import (
    ReportRecord,
    dmy,
    issuer,
    sectioned,
    totals,
    vn_number,
)

if TYPE_CHECKING:
    from warehouse.demo.portals import PortalInfo


def _bieu06_header(*, with_code: bool, split_postal: bool) -> list[list[Cell]]:
    """The three header rows of Biểu số 06/VPCP/KSTT, with the period as two columns; every
    text is the vocabulary's first for its column unless named (and checked) here."""
    received_new = 3 if split_postal else 2
    first: list[Cell] = [("STT", 3, 1)]
    if with_code:
        first.append((column_text("report", "agency_code"), 3, 1))
    first += [(column_text("report", c), 3, 1) for c in ("agency_name", "period_from", "period_to")]
    first += [
        (group_text("received"), 1, 2 + received_new),
        (group_text("resolved"), 1, 4),
        (group_text("pending"), 1, 3),
    ]
    second: list[Cell] = [
        (leaf_text("received_total"), 2, 1),
        (leaf_text("carried_over"), 2, 1),
        (ignored_level("Số mới tiếp nhận"), 1, received_new),
        *[(leaf_text(c), 2, 1) for c in COUNTS[4:]],
    ]
    third: list[Cell] = [(leaf_text("received_online"), 1, 1)]
    if split_postal:  # the offline count in two columns, which the parser adds up
        third += [(leaf_text("received_offline", t), 1, 1) for t in ("Trực tiếp", "Qua BCCI")]
    else:
        third.append((leaf_text("received_offline"), 1, 1))
    return [first, second, third]


def _bieu06_counts(counts: dict[str, int], *, split_postal: bool, blank_zero: bool) -> list[str]:
    """The counts in the template's column order (offline split into counter and post)."""
    offline = [counts["received_offline"]]
    if split_postal:
        postal = _share_floor_int(0.04, counts["received_offline"])
        offline = [counts["received_offline"] - postal, postal]
    values = [
        counts["received_total"],
        counts["carried_over"],
        counts["received_online"],
        *offline,
        *[counts[c] for c in COUNTS[4:]],
    ]
    return ["" if blank_zero and v == 0 else vn_number(v) for v in values]


def _share_floor_int(share: float, n: int) -> int:
    return math.floor(share * n + 1e-9)


def _column_numbers(first_count: int, received_parts: int, width: int) -> list[str]:
    """The "(1) (2) … (5)=(6)+(7)+(8) …" row printed under the header: each total names its
    parts (received: carried over and the new ones; resolved: three; pending: two)."""
    numbers = [f"({i})" for i in range(1, width + 1)]
    resolved = first_count + 1 + received_parts
    for total, parts in ((first_count, received_parts), (resolved, 3), (resolved + 4, 2)):
        terms = "+".join(f"({total + 1 + k})" for k in range(1, parts + 1))
        numbers[total] = f"({total + 1})={terms}"
    return numbers


def report_html(folder: Path, portal: PortalInfo, records: list[ReportRecord]) -> DemoFile:
    """An HTML table saved as .xls (what many one-stop systems export): banner rows, a merged
    three-level header, a column-number row, section rows, blank zeros, totals, signatures."""
    header = _bieu06_header(with_code=False, split_postal=True)
    width = sum(colspan for _, _, colspan in header[0])
    body: list[str] = []

    def row(cells: Iterable[str]) -> str:
        return "<tr>" + "".join(f"<td>{escape(c)}</td>" for c in cells) + "</tr>"

    def wide(text: str) -> str:
        return f'<tr><td colspan="{width}" align="center"><b>{escape(text)}</b></td></tr>'

    body += [
        wide(issuer(portal)),
        wide("BÁO CÁO TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH"),
        wide("(Biểu số 06/VPCP/KSTT, số liệu từng tháng)"),
        row(["Đơn vị tính: hồ sơ"] + [""] * (width - 1)),
    ]
    for level in header:
        cells = "".join(
            f'<th rowspan="{rs}" colspan="{cs}">{escape(text)}</th>' for text, rs, cs in level
        )
        body.append(f"<tr>{cells}</tr>")
    body.append(row(_column_numbers(4, 4, width)))

    def data(number: int, r: ReportRecord) -> list[str]:
        counts = _bieu06_counts(r.counts, split_postal=True, blank_zero=True)
        return [str(number), r.name, dmy(r.period_from), dmy(r.period_to), *counts]

    def section(numeral: str, label: str) -> list[str]:
        return [numeral, label] + [""] * (width - 2)

    body += [row(cells) for cells in sectioned(records, data, section)]
    total = _bieu06_counts(totals(records), split_postal=True, blank_zero=False)
    body.append(row(["", "Tổng cộng", "", "", *total]))
    body.append(row(["", "Người lập biểu"]))  # signatures sit outside the count columns
    body.append(row(["", "THỦ TRƯỞNG ĐƠN VỊ"]))
    html = (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">'
        '<title>BaoCaoTTHC</title></head><body>\n<table border="1">\n'
        + "\n".join(body)
        + "\n</table></body></html>\n"
    )
    name = "BaoCaoTTHC.xls"
    (folder / name).write_text(html, encoding="utf-8")
    return DemoFile(name, "report", "html-xls")


def report_bieu06_xlsx(
    folder: Path, portal: PortalInfo, records: list[ReportRecord], name: str
) -> DemoFile:
    """Lạng Sơn's workbook `name`: Biểu 06 with merged three-level header, unit codes, sections."""
    header = _bieu06_header(with_code=True, split_postal=False)
    width = 5 + len(COUNTS)
    sheet = Sheet("Bieu06")
    sheet.banner(issuer(portal), width)
    sheet.banner("BÁO CÁO TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH", width)
    sheet.banner("(Biểu số 06/VPCP/KSTT, số liệu từng tháng)", width)
    sheet.row(["Đơn vị tính: hồ sơ"])
    sheet.merged_header(header)
    sheet.row(_column_numbers(5, 3, width))

    def data(number: int, r: ReportRecord) -> list[object]:
        counts: list[object] = [r.counts[c] for c in COUNTS]
        return [number, r.code, r.name, dmy(r.period_from), dmy(r.period_to), *counts]

    def section(numeral: str, label: str) -> list[object]:
        return [numeral, "", label]

    for cells in sectioned(records, data, section):  # type: ignore[arg-type]
        sheet.row(cells)
    total = totals(records)
    sheet.row(["", "", "Tổng cộng", "", "", *[total[c] for c in COUNTS]])
    sheet.row([])
    sheet.row(["", "", "Người lập biểu"])  # signatures sit outside the count columns
    sheet.row(["", "", "THỦ TRƯỞNG ĐƠN VỊ"])
    write_xlsx(folder / name, sheet)
    return DemoFile(name, "report", "xlsx")
