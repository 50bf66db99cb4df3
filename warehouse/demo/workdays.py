"""Working days (ngày làm việc) of the demo's calendar: holidays, due dates, month arithmetic.

Vietnamese public holidays (ngày nghỉ lễ) of 2022 to January 2027 are fixed here so that due dates
never move with the `holidays` package's data (they are the days it gives, which the warehouse's
calendar, core.dim_date, reads); the benchmark's dossier lists use the same list.
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
        "2025-04-07",
        "2025-04-30",
        "2025-05-01",
        "2025-05-02",
        "2025-09-01",
        "2025-09-02",
        "2026-01-01",
        "2026-02-16",
        "2026-02-17",
        "2026-02-18",
        "2026-02-19",
        "2026-02-20",
        "2026-04-26",
        "2026-04-27",
        "2026-04-30",
        "2026-05-01",
        "2026-08-31",
        "2026-09-01",
        "2026-09-02",
        "2026-11-24",
        "2027-01-01",
    ]
)


def business(expr: pl.Expr, days: pl.Expr | int) -> pl.Expr:
    """The working day `days` working days after `expr` (rolled forward off a day off)."""
    n = days if isinstance(days, pl.Expr) else pl.lit(days)
    return expr.dt.add_business_days(n.cast(pl.Int32), holidays=HOLIDAYS, roll="forward")


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in HOLIDAYS


def month_days(year: int, month: int, *, working: bool) -> list[date]:
    days = [date(year, month, d) for d in range(1, calendar.monthrange(year, month)[1] + 1)]
    if working:
        days = [d for d in days if is_working_day(d)]
    return days


def counter_day(day: date) -> date:
    """The day a one-stop counter takes what comes on `day`: `day` if it works, else the last
    working day before it in the same month (the first working day after it at a month's
    start). A month's first days then keep their own: a day after the 9th is never taken on
    the 9th or before when the 10th is a working day."""
    earlier = [d for d in month_days(day.year, day.month, working=True) if d <= day]
    return earlier[-1] if earlier else month_days(day.year, day.month, working=True)[0]


def completion_cap(year: int) -> date:
    """The last working day on or before 10 January after `year`: every dossier received in
    `year` is settled by then (what the exports do not know yet on their day is open)."""
    day = date(year + 1, 1, 10)
    while not is_working_day(day):
        day -= timedelta(days=1)
    return day


def month_index(expr: pl.Expr) -> pl.Expr:
    """Months since January 2000, so month differences are plain subtraction."""
    return (expr.dt.year().cast(pl.Int64) - 2000) * 12 + expr.dt.month().cast(pl.Int64) - 1


def month_end(month_index: pl.Expr) -> pl.Expr:
    """The last day of month `month_index` (months since January 2000)."""
    first = pl.date(2000 + month_index // 12, month_index % 12 + 1, 1)
    return first.dt.month_end()
