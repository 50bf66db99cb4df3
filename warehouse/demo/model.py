"""The demo's shared model: its years, seasonality, the few knobs the calibration solves, and
the rounding rules that keep every agency's rates steady (see generate.py for the story)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

import polars as pl

from warehouse.demo.headers import report_counts

YEARS = (2022, 2023, 2024)  # the calibrated years (the story is 2023 against 2022)
REPEATED_YEARS = (2025, 2026)  # month by month the same counts as 2024
SIMULATED_YEARS = (*YEARS, *REPEATED_YEARS)  # Lạng Sơn's dossiers: 2022's are not exported
EXPORTED_ON = date(2026, 11, 10)  # the exports are taken that day, before office hours
LAST_REPORT_MONTH = date(2026, 10, 1)  # the last month the report tables hold

# Seasonality: shares of a year's volume by quarter, and of a quarter's by month (Tết in Feb).
MONTH_IN_QUARTER = (0.36, 0.26, 0.38, 0.32, 0.33, 0.35, 0.33, 0.33, 0.34, 0.32, 0.33, 0.35)
QUARTER_PROFILE = {
    "steady": (0.27, 0.29, 0.29, 0.15),  # most provinces: quiet year end
    "year_end": (0.17, 0.18, 0.20, 0.45),  # the slower provinces: a year-end surge
    "ministry": (0.24, 0.25, 0.25, 0.26),
}
SCALE_2023 = (0.85, 0.90, 0.95, 2.05)  # locality volume 2023 / 2022 by quarter (Q4 is tuned)
GROWTH_SLOW_PROVINCES = 1.20  # the year-end provinces grew this much more in 2023
SLOW_SHARE = 0.29  # share of the 2022 locality volume handled by the slower provinces
SLOW_RATES, STEADY_RATES = (0.70, 0.86), (0.95, 0.995)  # on-time rates before calibration
OVERDUE_DECEMBER = {2022: 0.75, 2023: 0.01, 2024: 0.01}  # overdue share of the year-end stock

COUNTS = report_counts()  # the eleven counts of a Biểu 06 row, in template order


@dataclass(frozen=True)
class Knobs:
    """The few numbers the calibration solves for (see calibrate)."""

    slow_shift: float = 0.0  # added to the slow provinces' on-time rates
    q4_scale: float = SCALE_2023[3]  # locality volume in Q4 2023 / Q4 2022
    online_2022: float = 1.0  # scale of the localities' 2022 online shares
    online_2023: float = 1.0
    ministry_shift: float = 0.0  # added to every ministry's on-time rate
    ministry_growth: float = 1.2  # 2023 volume / 2022 of the faster ministries

    def as_dict(self) -> dict[str, float]:
        return dict(self.__dict__)


def bad_count(share: pl.Expr | float, n: pl.Expr, year: pl.Expr | int) -> pl.Expr:
    """How many of n went wrong (late, overdue): rounded up in 2022 and down afterwards, so an
    agency's rate in any month of 2023 is never below the same month of 2022 by rounding alone
    (the floor alone would let a month of 100 dossiers slip by up to a point)."""
    rate = share if isinstance(share, pl.Expr) else pl.lit(share)
    exact = rate * n.cast(pl.Float64)
    first_year = pl.lit(year == YEARS[0]) if isinstance(year, int) else year == YEARS[0]
    up = (exact - 1e-9).ceil().clip(lower_bound=0)
    return pl.when(first_year).then(up).otherwise((exact + 1e-9).floor()).cast(pl.Int64)


def share_floor(share: pl.Expr | float, n: pl.Expr) -> pl.Expr:
    """floor(share × n): a count that never overshoots its rate, so rates cannot jitter up."""
    rate = share if isinstance(share, pl.Expr) else pl.lit(share)
    return (rate * n.cast(pl.Float64) + 1e-9).floor().cast(pl.Int64)


def unit_name(name: str) -> str:
    """ "Huyện Cao Lộc" → "UBND huyện Cao Lộc" (the unit's people's committee)."""
    for kind in ("Thành phố", "Thị xã", "Thị trấn", "Huyện", "Quận", "Phường", "Xã"):
        if name.startswith(kind + " "):
            return f"UBND {kind.lower()}{name[len(kind) :]}"
    return f"UBND {name}"


def split(total: int, weights: list[float]) -> list[int]:
    """`total` split in proportion to weights, largest remainders first (sums exactly)."""
    raw = [total * w / sum(weights) for w in weights]
    counts = [math.floor(r) for r in raw]
    order = sorted(range(len(raw)), key=lambda i: (counts[i] - raw[i], i))
    for i in order[: total - sum(counts)]:
        counts[i] += 1
    return counts


def year_weights(profile: str, scale: tuple[float, ...]) -> list[float]:
    """Share of each month in a year whose quarters are scaled by `scale`."""
    quarters = QUARTER_PROFILE[profile]
    raw = [quarters[m // 3] * MONTH_IN_QUARTER[m] * scale[m // 3] for m in range(12)]
    return [w / sum(raw) for w in raw]


def with_totals(rows: pl.DataFrame) -> pl.DataFrame:
    """Carried over = the previous month's pending stock; the template's totals add up."""
    rows = rows.sort("agency", "year", "month")
    carried = pl.col("pending_total").shift(1).over("agency")
    return rows.with_columns(
        carried_over=pl.coalesce(carried, pl.col("pending_total")).cast(pl.Int64),
    ).with_columns(
        received_total=pl.col("carried_over")
        + pl.col("received_online")
        + pl.col("received_offline"),
        resolved_total=pl.col("resolved_early")
        + pl.col("resolved_on_time")
        + pl.col("resolved_late"),
        pending_total=pl.col("pending_in_time") + pl.col("pending_overdue"),
    )
