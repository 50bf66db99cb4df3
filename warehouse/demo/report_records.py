"""Report rows as records, and what every report shape shares: order, sections, totals, dates."""

from __future__ import annotations

import calendar
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

import polars as pl

from warehouse.demo.headers import section_text
from warehouse.demo.model import COUNTS

if TYPE_CHECKING:
    from warehouse.demo.portals import PortalInfo


@dataclass(frozen=True)
class ReportRecord:
    code: str
    name: str
    level: str
    period_from: date
    period_to: date
    counts: dict[str, int]


LEVEL_ORDER = {"Tỉnh": 0, "Huyện": 1, "Xã": 2, "Bộ": 3}
SECTIONS = {  # level → the numeral and label of its section row (from the vocabulary)
    "Tỉnh": ("I", section_text("Tỉnh", "Sở, ban, ngành")),
    "Huyện": ("II", section_text("Huyện", "UBND cấp huyện")),
    "Xã": ("III", section_text("Xã", "UBND cấp xã")),
    "Bộ": ("I", section_text("Bộ", "Đơn vị thuộc bộ")),
}


def report_records(rows: pl.DataFrame) -> list[ReportRecord]:
    """A portal's report rows by period, then level, then agency, as tables list them."""
    ordered = rows.with_columns(
        level_order=pl.col("level").replace_strict(LEVEL_ORDER, return_dtype=pl.Int64)
    ).sort("year", "month", "level_order", "agency")
    records = []
    for row in ordered.iter_rows(named=True):
        first = date(row["year"], row["month"], 1)
        last = date(row["year"], row["month"], calendar.monthrange(row["year"], row["month"])[1])
        counts = {c: int(row[c]) for c in COUNTS}
        records.append(
            ReportRecord(row["agency_code"], row["agency_name"], row["level"], first, last, counts)
        )
    return records


def vn_number(value: int) -> str:
    """1234567 → "1.234.567" (Vietnamese thousands separator)."""
    return f"{value:,}".replace(",", ".")


def dmy(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def sectioned(
    records: list[ReportRecord],
    data: Callable[[int, ReportRecord], list[str]],
    section: Callable[[str, str], list[str]],
) -> list[list[str]]:
    """Rows grouped by period and level, a section row (Sở, ban, ngành …) before each group."""
    rows: list[list[str]] = []
    current: tuple[date, str] | None = None
    number = 0
    for record in records:
        if current != (record.period_from, record.level):
            current = (record.period_from, record.level)
            rows.append(section(*SECTIONS[record.level]))
            number = 0
        number += 1
        rows.append(data(number, record))
    return rows


def totals(records: list[ReportRecord]) -> dict[str, int]:
    return {c: sum(r.counts[c] for r in records) for c in COUNTS}


def issuer(portal: PortalInfo) -> str:
    """The banner's issuing body: "UBND TỈNH BẮC GIANG", "BỘ TƯ PHÁP"."""
    body = portal.name.removeprefix("Cổng dịch vụ công ").upper()
    return f"UBND {body}" if portal.sector == "locality" else body
