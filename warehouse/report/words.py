"""The report's words and numbers: labels from warehouse/labels.py, numbers written the
Vietnamese way by warehouse/numbers.py (so the page and the digests agree to the digit)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

import polars as pl

from warehouse.labels import BASIS_LABELS, RATE_METRICS, SECTOR_LABELS
from warehouse.numbers import (
    format_en_comparison,
    format_en_delta_pp,
    format_vn_comparison,
    format_vn_delta_pp,
    format_vn_number,
)
from warehouse.report.page import Cell, Text

METRIC_ORDER = RATE_METRICS  # the order of labels.toml: on-time first


def label_of(table: Mapping[str, tuple[str, str]], key: str | None) -> Text:
    vn, en = table.get(key or "", (key or "—", key or "—"))
    return Text(vn[:1].upper() + vn[1:], en[:1].upper() + en[1:])


def metric_sort(metric: str) -> tuple[int, str]:
    return (METRIC_ORDER.index(metric) if metric in METRIC_ORDER else len(METRIC_ORDER), metric)


def percent_text(value: float | None) -> str:
    return "—" if value is None else f"{format_vn_number(value, 2)}%"


def count_text(value: float | None) -> str:
    return "—" if value is None else format_vn_number(round(value))


def portal_title(code: str | None, names: Mapping[str, str]) -> Text:
    if not code:
        return Text("—", "—")
    name = names.get(code)
    return Text(f"{code} · {name}" if name else f"Cổng {code}", f"Portal {code}")


def short_province_label(name: str) -> str:
    """'Tuyên Quang' for 'Tỉnh Tuyên Quang' (core.dim_province's official name): short enough
    that a ranking chart never truncates it (Vega measures and cuts a long label glyph by
    glyph, which cost seconds)."""
    for prefix in ("Tỉnh ", "Thành phố "):
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name


def unit_of(
    scope: str | None,
    portal: str | None,
    agency: str | None,
    names: Mapping[str, str],
    province: str | None = None,
) -> Text:
    """Where a figure was measured, as a reader names it: nation, today's province (pooling
    what it merged), a portal or an agency."""
    if scope == "nation":
        return Text("Toàn quốc", "Nation")
    if scope == "province":
        name = province or "—"
        return Text(f"{name} (địa giới nay)", f"{short_province_label(name)}, today's borders")
    if scope == "agency":
        return Text(f"{agency or '—'} ({portal})", f"an agency of portal {portal}")
    if scope == "file":
        return Text(f"Tệp của cổng {portal}", f"a file of portal {portal}")
    return portal_title(portal, names)


def with_sector(unit: Text, sector: str | None) -> Text:
    if not sector:
        return unit
    label = label_of(SECTOR_LABELS, sector)
    return Text(f"{unit.vn} · {label.vn.lower()}", f"{unit.en} · {label.en.lower()}")


def comparison_text(
    grain: str | None, start: date, baseline: date | None, covered_to: date | None = None
) -> Text:
    return Text(
        _capitalised(format_vn_comparison(grain, start, baseline, covered_to)),
        _capitalised(format_en_comparison(grain, start, baseline, covered_to)),
    )


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def change_cell(delta: float | None, alerted: bool) -> Cell:
    """'giảm 1,61 điểm %', red where an open regression alert holds the fall (the checks'
    rule, never the page's own), plain otherwise."""
    if delta is None:
        return Cell("—", tone="muted")
    return Cell(format_vn_delta_pp(delta), format_en_delta_pp(delta), "fall" if alerted else "")


def with_display_columns(rows: pl.DataFrame) -> pl.DataFrame:
    """Display columns added once: the year as text, the value in Vietnamese, the basis."""
    return rows.with_columns(
        pl.col("period_start").dt.year().cast(pl.String).alias("year_label"),
        pl.col("value")
        .map_elements(lambda v: f"{format_vn_number(v, 2)}%", return_dtype=pl.String)
        .alias("value_label"),
        pl.col("basis").map_elements(basis_text, return_dtype=pl.String).alias("basis_label"),
    )


def basis_text(basis: str) -> str:
    label = label_of(BASIS_LABELS, basis)
    return f"{label.vn} / {label.en.lower()}"


def sector_text(sector: str) -> str:
    label = label_of(SECTOR_LABELS, sector)
    return f"{label.vn} / {label.en}"
