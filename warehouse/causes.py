"""Why a rate moved: its change split over the units one level down (sql/causes).

Every pooled rate is Σ numerators / Σ denominators of its parts (mart.kpi_parts), so a change
between two spans splits exactly into what each child's own rate did (rate effect), where the
dossiers went (mix effect) and both at once (interaction). The checks store it per alert
(ops.alert_causes) and word it into the message; `cchc explain` shows it and drills down.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import polars as pl

from warehouse.sqlfiles import run_sql_file

# What one comparison is about, as ops.alerts and the regression check give it.
SOURCE_SCHEMA = {
    "parent_id": pl.Int64,
    "sector": pl.String,
    "scope": pl.String,
    "portal_code": pl.String,
    "province_code": pl.String,
    "agency_nk": pl.String,
    "metric": pl.String,
    "basis": pl.String,
    "period_grain": pl.String,
    "period_start": pl.Date,
    "period_covered_to": pl.Date,
    "baseline_period_start": pl.Date,
}
# One level down from each scope (a field is as far as the data goes).
CHILD_SCOPE = {"province": "agency", "portal": "agency", "agency": "field"}


@dataclass(frozen=True)
class Cause:
    """One child's part in a change, in percentage points."""

    child_scope: str
    child_code: str
    child_name: str | None
    d0: int
    d1: int
    r0: float | None
    r1: float | None
    rate_effect: float
    mix_effect: float
    interaction: float
    contribution: float
    pooled_r0: float | None = None
    pooled_r1: float | None = None


def contributions(con: duckdb.DuckDBPyConnection, source: pl.DataFrame) -> pl.DataFrame:
    """The children of every row of `source` (SOURCE_SCHEMA columns, parent_id its key), with
    their effects, largest contribution first within each parent."""
    frame = source.select(
        [pl.col(c).cast(t) if c in source.columns else pl.lit(None, t).alias(c)
         for c, t in SOURCE_SCHEMA.items()]
    )  # fmt: skip
    con.register("cause_source", frame.to_arrow())
    try:
        return run_sql_file(con, "causes/contributions.sql").pl()
    finally:
        con.unregister("cause_source")


def causes_by_parent(frame: pl.DataFrame) -> dict[int, list[Cause]]:
    """contributions() as Cause lists per parent_id, in its order."""
    fields = set(Cause.__dataclass_fields__)
    grouped: dict[int, list[Cause]] = {}
    for row in frame.iter_rows(named=True):
        values = {k: v for k, v in row.items() if k in fields}
        grouped.setdefault(row["parent_id"], []).append(Cause(**values))
    return grouped
