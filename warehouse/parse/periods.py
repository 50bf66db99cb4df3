"""Reporting periods as the report banners state them (Kỳ báo cáo: Tháng/Quý/Năm/Từ ngày...)."""

from __future__ import annotations

import calendar
import re
from datetime import date

from warehouse.parse.text import fold_key

_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_RANGE = re.compile(r"tu ngay (\d{1,2}) (\d{1,2}) (\d{4}) den ngay (\d{1,2}) (\d{1,2}) (\d{4})")
_MONTH = re.compile(r"\bthang (\d{1,2}) (?:nam )?(\d{4})\b")
_QUARTER = re.compile(r"\bquy (i{1,3}|iv|[1-4]) (?:nam )?(\d{4})\b")
_YEAR = re.compile(r"\bnam (\d{4})\b")
# The signing line "Lạng Sơn, ngày 05 tháng 01 năm 2024" (or "ngày ... tháng ... năm 2024",
# left blank for the signature) names a date, not the period.
_DATELINE = re.compile(r"\bngay(?: \d{1,2})? thang(?: \d{1,2})? nam \d{4}\b")


def month_period(year: int, month: int) -> tuple[date, date]:
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def parse_period(text: str) -> tuple[date, date] | None:
    """The period one banner line names, or None; a signing date line names none."""
    key = fold_key(text)
    if match := _RANGE.search(key):
        d1, m1, y1, d2, m2, y2 = (int(g) for g in match.groups())
        try:
            return date(y1, m1, d1), date(y2, m2, d2)
        except ValueError:
            return None
    key = _DATELINE.sub(" ", key)
    if match := _MONTH.search(key):
        month, year = int(match.group(1)), int(match.group(2))
        return month_period(year, month) if 1 <= month <= 12 else None
    if match := _QUARTER.search(key):
        token, year = match.group(1), int(match.group(2))
        quarter = _ROMAN.get(token) or int(token)
        return month_period(year, 3 * quarter - 2)[0], month_period(year, 3 * quarter)[1]
    if match := _YEAR.search(key):
        year = int(match.group(1))
        return date(year, 1, 1), date(year, 12, 31)
    return None


def find_banner_period(lines: list[str]) -> tuple[date, date] | None:
    """The period of the banner: a `Kỳ báo cáo` line first, else the first line naming one."""
    flagged = [line for line in lines if "ky bao cao" in fold_key(line)]
    for line in [*flagged, *lines]:
        if period := parse_period(line):
            return period
    return None
