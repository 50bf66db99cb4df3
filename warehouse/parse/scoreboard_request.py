"""The period a national scoreboard answer is about, read from the request that asked for it.

The portal's answers do not repeat the period they were asked for, so the request body is the
only witness: `timeType` with `year` (and `quarter` or `month`), or `fromDate`/`toDate` spanning
one calendar month, quarter or year (the satisfaction endpoint). The nightly run keeps the body
it sent with the answer; a person loading an answer by hand gives it (`cchc ingest --request`).
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from warehouse.parse.headers import RefusedFile

GRAINS = ("year", "quarter", "month")
HOW = (
    "give the request body that asked for it, e.g. cchc ingest answer.json --portal DVCQG "
    '--request \'{"timeType": "year", "year": 2026}\''
)


@dataclass(frozen=True)
class Period:
    grain: str  # year | quarter | month
    start: date
    end: date


def calendar_period(grain: str, year: int, number: int = 1) -> Period:
    """Year `year`, its quarter `number` or its month `number`, first to last day."""
    first_month = {"year": 1, "quarter": 3 * (number - 1) + 1, "month": number}[grain]
    last_month = {"year": 12, "quarter": first_month + 2, "month": first_month}[grain]
    last_day = calendar.monthrange(year, last_month)[1]
    return Period(grain, date(year, first_month, 1), date(year, last_month, last_day))


def request_period(request: Mapping[str, object] | None) -> Period:
    """The calendar period the request asked for; RefusedFile (`no_period`) when it says none."""
    if not isinstance(request, Mapping):
        raise RefusedFile(
            "no_period", f"a national scoreboard answer does not say its period; {HOW}"
        )
    grain = request.get("timeType")
    if grain is None and ("fromDate" in request or "toDate" in request):
        return _date_span(request.get("fromDate"), request.get("toDate"))
    if grain not in GRAINS:
        raise RefusedFile(
            "no_period", f"the request's timeType is {grain!r}, not year, quarter or month; {HOW}"
        )
    year = _whole(request.get("year"), "year", 2000, 2099)
    if grain == "year":
        return calendar_period("year", year)
    limit = 4 if grain == "quarter" else 12
    return calendar_period(str(grain), year, _whole(request.get(grain), str(grain), 1, limit))


def _whole(value: object, key: str, low: int, high: int) -> int:
    """A whole number (2026, or "2026" as a body may write it) between low and high."""
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise RefusedFile(
            "no_period", f"the request's {key} is {value!r}, not a number from {low} to {high}"
        )
    return value


def _date_span(first: object, last: object) -> Period:
    try:
        start, end = date.fromisoformat(str(first)), date.fromisoformat(str(last))
    except ValueError:
        raise RefusedFile(
            "no_period", f"the request's fromDate {first!r} and toDate {last!r} are not dates"
        ) from None
    for grain in GRAINS:
        number = {"year": 1, "quarter": (start.month - 1) // 3 + 1, "month": start.month}[grain]
        if 2000 <= start.year <= 2099 and calendar_period(grain, start.year, number) == Period(
            grain, start, end
        ):
            return Period(grain, start, end)
    raise RefusedFile(
        "no_period",
        f"the request's fromDate {start} to toDate {end} is not one calendar month, quarter or "
        "year",
    )


def request_text(request: Mapping[str, object], key: str) -> str | None:
    """A text the request carries (departmentType, rootDepartmentId), trimmed; None if absent."""
    value = request.get(key)
    return value.strip() or None if isinstance(value, str) else None
