"""Why a fall happened, as the report shows it beside the fall: its causes in words and a bar
per child of its rate, mix and interaction effects (ops.alert_causes)."""

from __future__ import annotations

import polars as pl

from warehouse.cause_text import child_label, describe_causes
from warehouse.causes import Cause
from warehouse.labels import CAUSE_LABELS
from warehouse.report.charts import cause_bars
from warehouse.report.page import Chart, Text
from warehouse.report.vega import render_svg

CHARTED_FALLS = 5  # the worst falls get a chart of their causes; the others their sentence


def why_text(causes: list[Cause], delta_pp: float | None) -> Text | None:
    words = describe_causes(causes, delta_pp or 0.0)
    return Text(*words) if words else None


def cause_chart(causes: list[Cause], alert_id: int) -> Chart | None:
    """Each child's rate, mix and interaction effects as one bar, largest first."""
    if len(causes) < 2:  # one child is the parent itself: nothing to split
        return None
    effects = [
        f"{CAUSE_LABELS[k][0]} · {CAUSE_LABELS[k][1]}" for k in ("rate", "mix", "interaction")
    ]
    children = [child_label(c) for c in causes]
    rows = pl.DataFrame(
        [
            {"child": name, "effect": effects[k], "order": k, "points": value}
            for name, c in zip(children, causes, strict=True)
            for k, value in enumerate((c.rate_effect, c.mix_effect, c.interaction))
        ]
    )
    caption = Text(
        "Đóng góp vào mức thay đổi, theo đơn vị cấp dưới",
        "Contributions to the change, by the units one level down",
    )
    svg = render_svg(cause_bars(rows, children, effects), f"why-{alert_id}")
    return Chart(svg, caption)
