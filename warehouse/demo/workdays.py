"""Working days (ngày làm việc) of the demo's calendar: holidays, due dates, month arithmetic.

Vietnamese public holidays (ngày nghỉ lễ) of 2022–2025 are fixed here so that due dates never
move with the `holidays` package's data; the benchmark's dossier lists use the same list.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta

import polars as pl

HOLIDAYS = tuple(
    date.fromisoformat(d)
    for d in [
        "2022-01-01",
        "2022-01-03",
        "2022-01-31",
        "2022-02-01",
        "2022-02-02",
        "2022-02-03",
        "2022-02-04",
        "2022-04-10",
        "2022-04-11",
        "2022-04-30",
        "2022-05-01",
        "2022-05-02",
        "2022-05-03",
        "2022-09-01",
        "2022-09-02",
        "2023-01-01",
        "2023-01-02",
        "2023-01-20",
        "2023-01-21",
        "2023-01-22",
        "2023-01-23",
        "2023-01-24",
        "2023-01-25",
        "2023-01-26",
        "2023-04-29",
        "2023-04-30",
        "2023-05-01",
        "2023-05-02",
        "2023-05-03",
        "2023-09-01",
        "2023-09-02",
        "2023-09-04",
        "2024-01-01",
        "2024-02-08",
        "2024-02-09",
        "2024-02-10",
        "2024-02-11",
        "2024-02-12",
        "2024-02-13",
        "2024-02-14",
        "2024-04-18",
        "2024-04-29",
        "2024-04-30",
        "2024-05-01",
        "2024-09-02",
        "2024-09-03",
        "2025-01-01",
        "2025-01-27",
        "2025-01-28",
        "2025-01-29",
        "2025-01-30",
        "2025-01-31",
        "2025-02-01",
    ]
)


def business(expr: pl.Expr, days: pl.Expr | int) -> pl.Expr:
    """The working day `days` working days after `expr` (rolled forward off a day off)."""
    n = days if isinstance(days, pl.Expr) else pl.lit(days)
    return expr.dt.add_business_days(n.cast(pl.Int32), holidays=HOLIDAYS, roll="forward")


def month_days(year: int, month: int, *, working: bool) -> list[date]:
    days = [date(year, month, d) for d in range(1, calendar.monthrange(year, month)[1] + 1)]
    if working:
        days = [d for d in days if d.weekday() < 5 and d not in HOLIDAYS]
    return days


def completion_cap(year: int) -> date:
    """The last working day on or before 10 January after `year`: every dossier received in
    `year` is settled by then, so the exports (taken on the 15th) hold no open dossier."""
    day = date(year + 1, 1, 10)
    while day.weekday() >= 5 or day in HOLIDAYS:
        day -= timedelta(days=1)
    return day


def month_index(expr: pl.Expr) -> pl.Expr:
    """Months since January 2000, so month differences are plain subtraction."""
    return (expr.dt.year().cast(pl.Int64) - 2000) * 12 + expr.dt.month().cast(pl.Int64) - 1


def month_end(month_index: pl.Expr) -> pl.Expr:
    """The last day of month `month_index` (months since January 2000)."""
    first = pl.date(2000 + month_index // 12, month_index % 12 + 1, 1)
    return first.dt.month_end()
