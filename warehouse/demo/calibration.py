"""The published aggregates the demo is calibrated to, and the solver that meets them.

The knobs of the national model (model.Knobs) are solved one at a time by bisection until the
pooled national rates, computed from the report rows exactly as mart.kpi pools them, round to
the published figures.
"""

from __future__ import annotations

from collections.abc import Callable

import polars as pl

from warehouse.demo.model import COUNTS, Knobs
from warehouse.demo.national import report_plan

TARGET_ON_TIME = {"locality": (92.36, 90.75), "ministry": (46.80, 50.60)}  # 2022, 2023 (%)
TARGET_ONLINE = (10.0, 37.4)  # localities' online share, 2022 and 2023 (%, one decimal)
LANG_SON_ONLINE_2023 = 74.0  # % of Lạng Sơn's 2023 dossiers received online (one decimal)
LANG_SON_SERVICES = 1_503
LANG_SON_FULL_PROCESS = 1_076
LANG_SON_UNUSED = 120  # catalogue services without an online dossier: 1,383 / 1,503 = 92 % used


def bisect(
    measure: Callable[[float], float], target: float, lo: float, hi: float, *, decimals: int
) -> float:
    """The knob value whose measured rate rounds to `target`, for a monotone measure.

    Measures are sums of whole counts, so they move in tiny steps; the search stops within a
    tenth of the rounding step, which leaves the rounded figure exact.
    """
    f_lo, f_hi = measure(lo), measure(hi)
    rising = f_hi > f_lo
    if not (min(f_lo, f_hi) <= target <= max(f_lo, f_hi)):
        raise ValueError(f"target {target} outside [{f_lo:.4f}, {f_hi:.4f}] on [{lo}, {hi}]")
    tolerance = 0.1 * 10**-decimals
    for _ in range(80):
        mid = (lo + hi) / 2
        value = measure(mid)
        if abs(value - target) <= tolerance:
            return mid
        if (value < target) == rising:
            lo = mid
        else:
            hi = mid
    raise ValueError(f"no knob value gives {target} (last {value:.6f})")


def _sector_rate(rows: pl.DataFrame, sector: str, year: int, metric: str) -> float:
    """A sector's national rate for a year from report rows, pooled as mart.kpi pools it."""
    part = rows.filter((pl.col("sector") == sector) & (pl.col("year") == year))
    if metric == "on_time_rate":
        numerator = part["resolved_early"].sum() + part["resolved_on_time"].sum()
        return 100 * numerator / part["resolved_total"].sum()
    online = part["received_online"].sum()
    return 100 * online / (online + part["received_offline"].sum())


# The knobs in the order they are solved, each with the figure it sets (sector, year, metric)
# and the range searched. Each moves its figure monotonically, and the order keeps earlier
# figures fixed: the rate shifts set 2022, then the 2023 mix (growth, Q4 scale) sets 2023;
# online shares last.
SOLVED = (
    ("ministry_shift", ("ministry", 2022, "on_time_rate"), (-0.2, 0.3)),
    ("ministry_growth", ("ministry", 2023, "on_time_rate"), (1.0, 4.0)),
    ("slow_shift", ("locality", 2022, "on_time_rate"), (-0.1, 0.1)),
    ("q4_scale", ("locality", 2023, "on_time_rate"), (1.0, 3.0)),
    ("online_2022", ("locality", 2022, "online_rate"), (0.3, 2.0)),
    ("online_2023", ("locality", 2023, "online_rate"), (0.3, 2.0)),
)
DECIMALS = {"on_time_rate": 2, "online_rate": 1}  # as the figures are published


def _target(sector: str, year: int, metric: str) -> float:
    published = TARGET_ON_TIME[sector] if metric == "on_time_rate" else TARGET_ONLINE
    return published[year - 2022]


def calibrate(agencies: pl.DataFrame, lang_son_rows: pl.DataFrame) -> Knobs:
    """Solve the knobs, one at a time in the order of SOLVED, for the published national
    figures (TARGET_*)."""
    columns = ["sector", "year", *COUNTS]
    fixed = lang_son_rows.select(columns)

    def solve(knobs: Knobs, knob: str, figure: tuple[str, int, str], bounds: tuple) -> Knobs:
        sector, year, metric = figure

        def measure(x: float) -> float:
            plan = report_plan(
                agencies.filter(pl.col("sector") == sector), _with(knobs, **{knob: x})
            )
            return _sector_rate(pl.concat([plan.select(columns), fixed]), sector, year, metric)

        value = bisect(measure, _target(*figure), *bounds, decimals=DECIMALS[metric])
        return _with(knobs, **{knob: value})

    knobs = Knobs()
    for knob, figure, bounds in SOLVED:
        knobs = solve(knobs, knob, figure, bounds)
    return knobs


def _with(knobs: Knobs, **changes: float) -> Knobs:
    return Knobs(**(knobs.as_dict() | changes))
