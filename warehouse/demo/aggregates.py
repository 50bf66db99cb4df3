"""Lạng Sơn's report rows: the aggregates of its own dossiers, counted as the warehouse counts."""

from __future__ import annotations

from typing import TYPE_CHECKING

import polars as pl

from warehouse.demo.lang_son_agencies import named_on
from warehouse.demo.model import LAST_REPORT_MONTH, OVERDUE_DECEMBER, YEARS, bad_count, with_totals
from warehouse.demo.provinces import LANG_SON_PORTAL
from warehouse.demo.workdays import month_end, month_index

if TYPE_CHECKING:
    from warehouse.demo.lang_son_agencies import LsAgency


def lang_son_report_rows(agencies: list[LsAgency], dossiers: pl.DataFrame) -> pl.DataFrame:
    """Per agency and month of 2022 to LAST_REPORT_MONTH, each agency named as on the month's
    first day (a district's successor from 1 July 2025), counted exactly as the warehouse counts
    dossiers: received by receipt month, resolved by completion month (early / on time / late
    by calendar date), pending = received by the month's last day and not completed by then
    (refused and withdrawn dossiers never pend), in time when due on or after that day."""
    every = dossiers.select("agency", "received_at", "due", "done", "state", "online")
    received = every.group_by("agency", month=month_index(pl.col("received_at"))).agg(
        received_online=pl.col("online").sum(),
        received_offline=(~pl.col("online")).sum(),
    )
    outcome = (
        pl.when(pl.col("done") < pl.col("due"))
        .then(pl.lit("early"))
        .when(pl.col("done") == pl.col("due"))
        .then(pl.lit("on_time"))
        .otherwise(pl.lit("late"))
    )
    resolved = (
        every.filter(pl.col("state") == "resolved")
        .group_by("agency", month=month_index(pl.col("done")))
        .agg(
            resolved_total=pl.len(),
            resolved_early=(outcome == "early").sum(),
            resolved_on_time=(outcome == "on_time").sum(),
            resolved_late=(outcome == "late").sum(),
        )
    )
    stock = (
        every.filter(pl.col("state") == "resolved")
        .with_columns(start=month_index(pl.col("received_at")), stop=month_index(pl.col("done")))
        .filter(pl.col("stop") > pl.col("start"))
        .join(pl.DataFrame({"offset": range(12)}), how="cross")  # a dossier pends < 12 months
        .with_columns(month=pl.col("start") + pl.col("offset"))
        .filter(pl.col("month") < pl.col("stop"))
        .with_columns(month_end=month_end(pl.col("month")))
        .group_by("agency", "month")
        .agg(
            pending_total=pl.len(),
            pending_in_time=(pl.col("due") >= pl.col("month_end")).sum(),
            pending_overdue=(pl.col("due") < pl.col("month_end")).sum(),
        )
    )
    last = (LAST_REPORT_MONTH.year - 2000) * 12 + LAST_REPORT_MONTH.month - 1  # see month_index
    months = range((YEARS[0] - 2000) * 12, last + 1)
    grid = pl.DataFrame({"agency": [a.index for a in agencies]}).join(
        pl.DataFrame({"month": list(months)}), how="cross"
    )
    rows = grid
    for part in (received, resolved, stock):
        rows = rows.join(part, on=["agency", "month"], how="left")
    rows = (
        rows.fill_null(0).sort("agency", "month").with_columns(pl.exclude("agency").cast(pl.Int64))
    )
    rows = _december_2022_overdue(rows.with_columns(
        year=2000 + pl.col("month") // 12, month=pl.col("month") % 12 + 1
    ))  # fmt: skip
    rows = named_on(rows, pl.date("year", "month", 1), agencies).with_columns(
        portal=pl.lit(LANG_SON_PORTAL), sector=pl.lit("locality")
    )
    return with_totals(rows)


def _december_2022_overdue(rows: pl.DataFrame) -> pl.DataFrame:
    """The stock left at the end of 2022 was mostly overdue (see generate.py's docstring)."""
    december = (pl.col("year") == 2022) & (pl.col("month") == 12)
    overdue = bad_count(OVERDUE_DECEMBER[2022], pl.col("pending_total"), 2022)
    return rows.with_columns(
        pending_overdue=pl.when(december).then(overdue).otherwise("pending_overdue"),
    ).with_columns(pending_in_time=pl.col("pending_total") - pl.col("pending_overdue"))
