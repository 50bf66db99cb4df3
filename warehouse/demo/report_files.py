"""The report exports of the portals other than Lạng Sơn, in the contract's shapes (CSV in three
dialects, JSON, paged JSON, a flat workbook, Biểu 06 as HTML saved as .xls), one shape per portal
in turn."""

from __future__ import annotations

import unicodedata
from pathlib import Path

from warehouse.demo.bieu06 import report_html
from warehouse.demo.files import Sheet, write_csv, write_json, write_xlsx
from warehouse.demo.headers import SHORT_GROUPS, SHORT_LEAVES, column_text, count_headers
from warehouse.demo.manifest import DemoFile
from warehouse.demo.model import COUNTS
from warehouse.demo.portals import PortalInfo, portal_list
from warehouse.demo.report_records import ReportRecord, dmy, sectioned, totals, vn_number

REPORT_FORMATS = (
    "csv-vn",
    "json",
    "html-xls",
    "csv-canonical",
    "csv-vn",
    "xlsx-flat",
    "csv-utf16",
    "json-pages",
)


def write_report(folder: Path, portal: PortalInfo, records: list[ReportRecord]) -> DemoFile:
    """The report export of a portal other than Lạng Sơn's (lang_son_files.py): every agency
    and month it reported in one file, in the shape its place in portal_list gives it."""
    index = [p.code for p in portal_list()].index(portal.code)
    shape = REPORT_FORMATS[index % len(REPORT_FORMATS)]
    writer = {
        "csv-vn": _report_csv_vn,
        "json": _report_json,
        "html-xls": report_html,
        "csv-canonical": _report_csv_canonical,
        "xlsx-flat": _report_xlsx_flat,
        "csv-utf16": _report_csv_utf16,
        "json-pages": _report_json_pages,
    }[shape]
    return writer(folder, portal, records)


# the period and agency columns as the report exports name them (from the vocabulary)
CODE, NAME = column_text("report", "agency_code"), column_text("report", "agency_name")
FROM, TO = column_text("report", "period_from"), column_text("report", "period_to")
JOINED_HEADER = count_headers(" - ")  # "Số hồ sơ nhận giải quyết - Tổng số", …


def _report_csv_vn(folder: Path, portal: PortalInfo, records: list[ReportRecord]) -> DemoFile:
    """UTF-8 with BOM, `,`, CRLF; joined two-level headers; Vietnamese thousands; dd/mm/yyyy;
    section rows; a totals row (Tổng cộng) over the whole file."""
    width = 5 + len(COUNTS)
    header = ["STT", CODE, NAME, FROM, TO, *JOINED_HEADER]

    def data(number: int, r: ReportRecord) -> list[str]:
        counts = [vn_number(r.counts[c]) for c in COUNTS]
        return [str(number), r.code, r.name, dmy(r.period_from), dmy(r.period_to), *counts]

    def section(numeral: str, label: str) -> list[str]:
        return [numeral, "", label] + [""] * (width - 3)

    total = totals(records)
    rows = [header, *sectioned(records, data, section)]
    rows.append(["", "", "Tổng cộng", "", "", *[vn_number(total[c]) for c in COUNTS]])
    name = "bao-cao-tthc.csv"
    write_csv(folder / name, rows, separator=",", newline="\r\n", bom=True)
    return DemoFile(name, "report", "csv")


def _report_csv_canonical(
    folder: Path, portal: PortalInfo, records: list[ReportRecord]
) -> DemoFile:
    """`;`, LF, no BOM; the canonical column names and ISO dates (a vendor's API dump)."""
    header = ["agency_code", "agency_name", "period_from", "period_to", *COUNTS]
    rows = [header]
    for r in records:
        rows.append(
            [r.code, r.name, r.period_from.isoformat(), r.period_to.isoformat()]
            + [str(r.counts[c]) for c in COUNTS]
        )
    name = "report.csv"
    write_csv(folder / name, rows, separator=";", newline="\n")
    return DemoFile(name, "report", "csv")


def _report_csv_utf16(folder: Path, portal: PortalInfo, records: list[ReportRecord]) -> DemoFile:
    """UTF-16 LE with BOM, tab-separated, CRLF (Excel's "Unicode text"); headers joined with
    "/", names in decomposed Unicode (NFD), no agency code."""
    name_text = column_text("report", "agency_name", "Đơn vị")
    header = [name_text, FROM, TO, *count_headers("/", SHORT_GROUPS, SHORT_LEAVES)]
    rows = [[unicodedata.normalize("NFD", h) for h in header]]
    for r in records:
        name = unicodedata.normalize("NFD", r.name)
        rows.append(
            [name, dmy(r.period_from), dmy(r.period_to)] + [str(r.counts[c]) for c in COUNTS]
        )
    name = "bao_cao_tong_hop.csv"
    write_csv(folder / name, rows, separator="\t", newline="\r\n", encoding="utf-16")
    return DemoFile(name, "report", "csv")


def _json_record(r: ReportRecord) -> dict[str, object]:
    return {
        "agency_code": r.code,
        "agency_name": r.name,
        "period_from": r.period_from.isoformat(),
        "period_to": r.period_to.isoformat(),
        **r.counts,
    }


def _report_json(folder: Path, portal: PortalInfo, records: list[ReportRecord]) -> DemoFile:
    """A portal API's answer: a top-level array, canonical keys, ISO dates."""
    name = "bao-cao.json"
    payload = [_json_record(r) for r in records]
    write_json(folder / name, payload)
    return DemoFile(name, "report", "json")


def _report_json_pages(folder: Path, portal: PortalInfo, records: list[ReportRecord]) -> DemoFile:
    """A paged API: the demo server answers `paged/<name>?page=N` with page N of this array as
    `{"data": [...], "page": N, "total_pages": M}` (warehouse/demo/server.py)."""
    name = "paged/bao-cao.json"
    (folder / "paged").mkdir(exist_ok=True)
    payload = [_json_record(r) for r in records]
    write_json(folder / name, payload)
    return DemoFile(name, "report", "json-pages")


def _report_xlsx_flat(folder: Path, portal: PortalInfo, records: list[ReportRecord]) -> DemoFile:
    """A flat workbook: one title line, a one-row header joined with ":", counts partly stored
    as text with thousands separators (as vendors' exports do)."""
    header = [CODE, NAME, "period_from", "period_to", *count_headers(": ")]
    sheet = Sheet("Sheet1")
    sheet.row([f"TỔNG HỢP TÌNH HÌNH GIẢI QUYẾT TTHC - {portal.name.upper()}"])
    sheet.row([])
    sheet.row(header)
    for r in records:
        counts: list[object] = [
            vn_number(v) if v >= 1000 and i % 2 == 0 else v
            for i, v in enumerate(r.counts[c] for c in COUNTS)
        ]
        sheet.row([r.code, r.name, dmy(r.period_from), dmy(r.period_to), *counts])
    name = "bao_cao_tthc.xlsx"
    write_xlsx(folder / name, sheet)
    return DemoFile(name, "report", "xlsx")
