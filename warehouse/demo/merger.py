"""2025 and 2026 of the portals other than Lạng Sơn: 2024 again, month by month, and from 1 July
2025 the provinces of the time pooled into today's (Resolution 202/2025/QH15).

Every count of every month of 2025 and 2026 (to LAST_REPORT_MONTH) is the count of the same month
of 2024, pending stocks included, so no rate moves. Until 30 June 2025 the 62 province portals of
2022–2024 report as before; from 1 July each of today's provinces reports on its own portal
(portals.py), whose agencies pool its old provinces' units: one department per department-type
unit, holding the sums of that unit of every province merged; the district level is gone, so a
district's work goes to the commune-level committee that continues the ward or commune below it
(the capital's first ward, the rural district's first commune). Ministries run on.
"""

from __future__ import annotations

import polars as pl

from warehouse.admin_units import REORGANISED_ON
from warehouse.demo.model import COUNTS, LAST_REPORT_MONTH, REPEATED_YEARS
from warehouse.demo.national import PROVINCE_UNITS
from warehouse.demo.today import today_of

REPEATS = 2024  # the year 2025 and 2026 repeat
UNITS = {suffix: (template, level) for suffix, template, level, *_ in PROVINCE_UNITS}
FIRST_NEW_AGENCY = 1_000_000  # today's agencies are numbered after every agency of 2022–2024
REPORT_COLUMNS = ["portal", "agency", "agency_code", "agency_name", "level", "year", "month"]
NEW_NAMES = {"portal_new": "portal", "agency_new": "agency", "code_new": "agency_code",
             "name_new": "agency_name", "level_new": "level"}  # fmt: skip


def carried_on(plan: pl.DataFrame) -> pl.DataFrame:
    """The report rows of 2022–2024 (national.report_plan) followed by those of 2025 and 2026,
    each on the portal that reported it (REPORT_COLUMNS and the counts)."""
    repeated = plan.filter(pl.col("year") == REPEATS)
    later = pl.concat(
        [repeated.with_columns(year=pl.lit(y, plan.schema["year"])) for y in REPEATED_YEARS]
    ).filter(pl.date("year", "month", 1) <= LAST_REPORT_MONTH)
    merged = (pl.date("year", "month", 1) >= REORGANISED_ON) & (pl.col("sector") == "locality")
    pooled = (
        later.filter(merged)
        .join(successors(plan), on="agency")
        .group_by("portal_new", "agency_new", "code_new", "name_new", "level_new", "year", "month")
        .agg(pl.col(COUNTS).sum())
        .rename(NEW_NAMES)
    )
    columns = [*REPORT_COLUMNS, *COUNTS]
    parts = [plan.select(columns), later.filter(~merged).select(columns), pooled.select(columns)]
    return pl.concat(parts, how="vertical_relaxed").sort("agency", "year", "month")


def successors(plan: pl.DataFrame) -> pl.DataFrame:
    """Per locality agency of 2022–2024, the agency of today's portal that takes over its work:
    portal_new, agency_new (a number after every old one), code_new, name_new, level_new."""
    agencies = plan.filter(pl.col("sector") == "locality").unique("agency").sort("agency")
    names = dict(zip(agencies["code"], agencies["name"], strict=True))
    rows = []
    for agency, portal, code in agencies.select("agency", "portal", "code").iter_rows():
        old_gso = portal.removeprefix("T")  # portals.old_portal
        today = today_of()[old_gso]
        suffix = code.removeprefix(f"{portal}.")
        template, level = UNITS[suffix]
        if level == "Tỉnh":  # the same department of today's province
            new = (f"{today.portal}.{suffix}", template.format(styled=today.styled), level)
        else:  # the commune-level committee that continues the ward or commune (below it)
            commune = suffix if level == "Xã" else _commune_below(suffix)
            new = (f"{today.portal}.{old_gso}.{commune}", names[f"{portal}.{commune}"], "Xã")
        rows.append((agency, today.portal, *new))
    frame = pl.DataFrame(
        rows, schema=["agency", "portal_new", "code_new", "name_new", "level_new"], orient="row"
    )
    numbers = frame.select("code_new").unique().sort("code_new").with_row_index("agency_new")
    numbers = numbers.with_columns(pl.col("agency_new").cast(pl.Int64) + FIRST_NEW_AGENCY)
    return frame.join(numbers, on="code_new")


def _commune_below(district: str) -> str:
    """The ward or commune unit below a district unit: its suffix extends the district's."""
    return next(s for s, (_, lvl) in UNITS.items() if lvl == "Xã" and s.startswith(f"{district}."))
