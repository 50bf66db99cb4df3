"""The report's national scoreboard (Decision 766): today's provinces at the latest snapshot,
ranked by total score, with their six group scores and the movement since the snapshot before."""

from __future__ import annotations

import polars as pl

from warehouse.labels import GROUP_LABELS
from warehouse.numbers import format_en_number, format_en_period, format_vn_number, format_vn_period
from warehouse.parse.scoreboard_shapes import vocabulary
from warehouse.report.page import Cell, ScoreboardTable, Text
from warehouse.report.words import label_of

GROUPS = ("CKMB", "TDGQ", "CLGQ", "TTTT", "MDSH", "MDHL")  # the order the contract lists them


def scoreboard_table(frame: pl.DataFrame) -> ScoreboardTable | None:
    """The ranked table of the latest snapshot; None when the warehouse holds no scoreboard."""
    if frame.is_empty():
        return None
    first = frame.row(0, named=True)
    points = vocabulary().groups
    groups = [(g, f"{points[g]:g}", label_of(GROUP_LABELS, g)) for g in GROUPS]
    rows = []
    for r in frame.iter_rows(named=True):
        rank = "—" if r["rank"] is None else f"{r['rank']}/{r['ranked']}"
        cells = [Cell(rank), Cell(r["unit_name"], r["unit_code"]), Cell(_score(r["total_score"]))]
        cells += [Cell(_score(r[g.lower()])) for g in GROUPS]
        rows.append([*cells, movement(r["total_change"])])
    grain, start = first["period_grain"], first["period_start"]
    return ScoreboardTable(
        snapshot=first["snapshot_date"].strftime("%d/%m/%Y"),
        period=Text(format_vn_period(grain, start), format_en_period(grain, start)),
        groups=groups,
        rows=rows,
    )


def _score(value: float | None) -> str:
    return "—" if value is None else format_vn_number(value, 2)


def movement(change: float | None) -> Cell:
    """The total's change since the unit's previous snapshot: "—" for a first snapshot, signed
    points otherwise (Vietnamese number, English below), red when it fell."""
    if change is None:
        return Cell("—", tone="muted")
    if round(change, 2) == 0:
        return Cell("0", "unchanged", "muted")
    sign = "+" if change > 0 else "−"
    vn, en = format_vn_number(abs(change), 2), format_en_number(abs(change), 2)
    return Cell(f"{sign}{vn}", f"{sign}{en} points", "rise" if change > 0 else "fall")
