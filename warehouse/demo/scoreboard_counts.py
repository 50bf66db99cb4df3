"""What the national portal counts of Lạng Sơn's units in the demo's scoreboard year: taken from
the demo's own dossiers of H37, the way the warehouse counts them, so the national on-time ratio
(TDGQ) and the province's own dossiers (on_time_rate_766) agree (basis_disagreement stays quiet).

The year is the as-of day's (EXPORTED_ON: 2026), counted from 1 January to the day before the
snapshot, as the warehouse reads a snapshot (mart.kpi covered_to = snapshot_date − 1). The
Decision 766 on-time ratio is (resolved in time + open and still in time on the last day) over
(resolved + open on the last day), as sql/marts/10_kpi_dossiers.sql counts it: a dossier
resolved on or before its due day is in time; refused and withdrawn dossiers count nowhere.
"""

from __future__ import annotations

from datetime import date, timedelta

import polars as pl

from warehouse.demo.lang_son_files import CUT, DOSSIER_FILES, exported
from warehouse.demo.model import EXPORTED_ON

YEAR = EXPORTED_ON.year
FIRST_DAY = date(YEAR, 1, 1)
LAST_DAY = EXPORTED_ON - timedelta(days=1)  # the snapshot counts the period to the day before
RESOLVED = ("Đã trả kết quả", "Đã có kết quả")  # the statuses the warehouse reads as resolved
SATISFIED = ("Rất hài lòng", "Hài lòng")
COUNTS = (
    "resolved", "resolved_in_time", "open", "open_in_time", "received", "received_online",
    "digitized", "e_result", "with_fee", "paid_online", "rated", "satisfied", "days",
)  # fmt: skip


def unit_counts(dossiers: pl.DataFrame) -> pl.DataFrame:
    """One row per agency code of Lạng Sơn: the counts of the scoreboard year (COUNTS; `days`
    is the sum of the resolved dossiers' days from receipt to result), in code order."""
    first_exported = min(first for _, first, _, _ in DOSSIER_FILES)
    listed = exported(
        dossiers.filter((pl.col("day") >= first_exported) & (pl.col("received_at") < CUT))
    )
    completed = pl.col("completed_at").dt.date()
    received = pl.col("received_at").dt.date()
    resolved = pl.col("status").is_in(RESOLVED) & completed.is_between(FIRST_DAY, LAST_DAY)
    open_ = (
        pl.col("status").is_in((*RESOLVED, "Đang xử lý"))
        & (received <= LAST_DAY)
        & (pl.col("completed_at").is_null() | (completed > LAST_DAY))
    )
    in_year = received.is_between(FIRST_DAY, LAST_DAY)
    in_time = completed <= pl.col("due_at").dt.date()

    def count(condition: pl.Expr) -> pl.Expr:
        return condition.fill_null(False).sum().cast(pl.Int64)

    return (
        listed.group_by("agency_code")
        .agg(
            count(resolved).alias("resolved"),
            count(resolved & in_time).alias("resolved_in_time"),
            count(open_).alias("open"),
            count(open_ & (pl.col("due_at").dt.date() >= LAST_DAY)).alias("open_in_time"),
            count(in_year).alias("received"),
            count(in_year & (pl.col("channel") == "Trực tuyến")).alias("received_online"),
            count(in_year & pl.col("digitized")).alias("digitized"),
            count(resolved & pl.col("e_result")).alias("e_result"),
            count(in_year & (pl.col("paid_online") != "")).alias("with_fee"),
            count(in_year & (pl.col("paid_online") == "Có")).alias("paid_online"),
            count(resolved & (pl.col("satisfaction") != "")).alias("rated"),
            count(resolved & pl.col("satisfaction").is_in(SATISFIED)).alias("satisfied"),
            (completed - received)
            .dt.total_days()
            .filter(resolved)
            .sum()
            .cast(pl.Int64)
            .alias("days"),
        )
        .sort("agency_code")
    )
