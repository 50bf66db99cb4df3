"""The report's charts: Altair specs, rendered to SVG by vega.py and inlined in the page."""

from __future__ import annotations

from collections.abc import Mapping

import altair as alt
import polars as pl

from warehouse.labels import BASIS_LABELS
from warehouse.report.page import Text
from warehouse.report.words import basis_text, label_of

SECTOR_COLOURS = {"locality": "#1f5fa8", "ministry": "#d9822b"}
METRIC_COLOURS = {"on_time_rate": "#1f5fa8", "online_rate": "#2e8b57", "digitized_rate": "#8e44ad"}
SECONDARY_BASIS_COLOURS = ("#9fb3c8", "#cbd5e1")
# How a line shows its basis, the same in every chart: (dash pattern, the key's CSS class).
BASIS_STYLES = {
    "report": ([1, 0], "solid"),
    "dossiers": ([6, 4], "dashed"),
    "catalogue": ([2, 3], "dotted"),
}
FALL_COLOUR = "#c62828"


def inline_data(frame: pl.DataFrame) -> pl.DataFrame:
    """The chart's rows with dates as ISO text, so the spec never depends on a timezone.

    Handed to Altair as a frame, not as a list of records: Altair deep-copies a spec's inline
    values at every step of building a chart (a third of the report's time), while a frame is
    turned into records once, when the spec is written, as one named dataset.
    """
    return frame.with_columns(pl.col(pl.Date).dt.strftime("%Y-%m-%d"))


def line_chart(
    rows: pl.DataFrame,
    grain: str,
    colour_field: str,
    colours: Mapping[str, str],
    *,
    width: int = 440,
    height: int = 180,
) -> alt.TopLevelMixin:
    """Lines over periods, one per series; a red ring on a latest point that fell.

    The colour legend names the series; bases are told apart by dashes, which the card
    explains in a line of HTML rather than a second legend that would widen the chart.
    """
    if grain == "year":
        x = alt.X("year_label:O", title=None, axis=alt.Axis(labelAngle=0))
    else:
        x = alt.X(
            "period_start:T",
            title=None,
            axis=alt.Axis(format="%m/%Y", labelAngle=0, labelOverlap=True, tickCount=8),
        )
    present = [label for label in colours if label in set(rows[colour_field].to_list())]
    dashes = {b: BASIS_STYLES.get(b, ([1, 0], ""))[0] for b in rows["basis"].unique().sort()}
    base = alt.Chart(inline_data(rows)).encode(
        x=x,
        y=alt.Y(
            "value:Q",
            title="%",
            scale=alt.Scale(domain=_rate_domain(rows["value"]), nice=True),
            axis=alt.Axis(format=".1f", tickCount=5),
        ),
        color=alt.Color(
            f"{colour_field}:N",
            scale=alt.Scale(domain=present, range=[colours[label] for label in present]),
            legend=alt.Legend(title=None),
        ),
        detail="series:N",
    )
    line = base.mark_line(strokeWidth=2.2).encode(
        strokeDash=alt.StrokeDash(
            "basis:N",
            scale=alt.Scale(domain=list(dashes), range=list(dashes.values())),
            legend=None,
        )
    )
    points = base.mark_point(filled=True, size=40 if grain == "year" else 12, opacity=1)
    rings = (
        base.transform_filter("datum.regressed")
        .mark_point(size=240, filled=False, strokeWidth=2.4, opacity=1)
        .encode(color=alt.value(FALL_COLOUR))
    )
    return alt.layer(line, points, rings).properties(width=width, height=height)


def _rate_domain(values: pl.Series) -> list[float]:
    """The y range around the data, inside 0–100, never flat: a steady 70% still gets a frame."""
    low, high = float(values.min()), float(values.max())
    pad = max(2.0, (high - low) * 0.15)
    return [max(0.0, low - pad), min(100.0, high + pad)]


def line_key(bases: pl.Series) -> list[tuple[str, Text]]:
    """The line styles of the bases drawn, for the HTML key under a card's heading."""
    present = set(bases.to_list())
    return [
        (style, label_of(BASIS_LABELS, basis))
        for basis, (_, style) in BASIS_STYLES.items()
        if basis in present
    ]


def ranking_bars(
    rows: pl.DataFrame, units: list[str], bases: list[str], metric: str
) -> alt.TopLevelMixin:
    """One indicator's bars per province, in the order of `units`, one shade per basis (the
    first basis, which covers the most provinces, in the indicator's colour)."""
    shades = [METRIC_COLOURS[metric], *SECONDARY_BASIS_COLOURS][: len(bases)]
    several = len(bases) > 1
    encoded = alt.Chart(inline_data(rows)).encode(
        y=alt.Y("unit_label:N", sort=units, title=None, axis=alt.Axis(labelLimit=200)),
        x=alt.X(
            "value:Q", title="%", scale=alt.Scale(domain=[0, 100]), axis=alt.Axis(format=".0f")
        ),
        color=alt.Color(
            "basis_label:N",
            scale=alt.Scale(domain=[basis_text(b) for b in bases], range=shades),
            legend=alt.Legend(title=None) if several else None,
        ),
    )
    if several:
        encoded = encoded.encode(
            yOffset=alt.YOffset("basis_label:N", sort=[basis_text(b) for b in bases])
        )
    return alt.layer(
        encoded.mark_bar(cornerRadiusEnd=3),
        encoded.mark_text(align="left", dx=4, fontSize=11, color="#111827").encode(
            text="value_label:N", color=alt.value("#111827")
        ),
    ).properties(width=340, height=alt.Step(14 if several else 24))


EFFECT_COLOURS = ("#1f5fa8", "#d9822b", "#9fb3c8")  # rate, mix, interaction


def cause_bars(rows: pl.DataFrame, children: list[str], effects: list[str]) -> alt.TopLevelMixin:
    """One fall's children, largest first (the order of `children`), each a bar of its three
    effects in points (`effect` in the order of `effects`): left of zero pulls the rate down."""
    return (
        alt.Chart(inline_data(rows))
        .mark_bar()
        .encode(
            y=alt.Y("child:N", sort=children, title=None, axis=alt.Axis(labelLimit=220)),
            x=alt.X("points:Q", title="điểm % · points", axis=alt.Axis(format=".2f")),
            color=alt.Color(
                "effect:N",
                scale=alt.Scale(domain=effects, range=list(EFFECT_COLOURS)),
                legend=alt.Legend(title=None, orient="bottom"),
            ),
            order=alt.Order("order:Q"),
        )
        .properties(width=340, height=alt.Step(18))
    )
