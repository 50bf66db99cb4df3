"""Vega-Lite specs to inline SVG with vl-convert, in the report's one style.

vl-convert's first conversion in a process starts V8 and loads the Vega-Lite bundle (0.6 s on a
quiet 2-core machine, over a second under load; 0.04–0.1 s for each chart after it). It holds
the GIL for the whole of each call, so that start cannot be hidden behind the report's other
work on a thread (measured: docs/performance.md).
"""

from __future__ import annotations

import re

import altair as alt
import vl_convert
from markupsafe import Markup

# Altair writes specs for this Vega-Lite version; vl-convert must render them with the same one.
VEGA_LITE = ".".join(alt.SCHEMA_VERSION.lstrip("v").split(".")[:2])
# d3-format has no Vietnamese locale: decimal comma, dot thousands, as format_vn_number writes.
VN_FORMAT_LOCALE = {"decimal": ",", "thousands": ".", "grouping": [3], "currency": ["", " ₫"]}
# Every chart's look, merged into the spec's config when it is drawn. Altair's configure_*
# methods would say the same, but each deep-copies the whole chart: a tenth of the report's time.
STYLE = {
    "font": "Noto Sans, DejaVu Sans, Liberation Sans, Arial, sans-serif",
    "background": "white",
    "view": {"stroke": None},
    "axis": {
        "labelFontSize": 11,
        "titleFontSize": 11,
        "titleFontWeight": "normal",
        "titleColor": "#4b5563",
        "labelColor": "#374151",
        "gridColor": "#e5e7eb",
        "domainColor": "#9ca3af",
        "tickColor": "#9ca3af",
    },
    "legend": {
        "labelFontSize": 11,
        "labelLimit": 320,
        "orient": "bottom",
        "columns": 2,
        "symbolStrokeWidth": 3,
    },
}
_ID = re.compile(r'\bid="([^"]+)"')
_NAMESPACES = re.compile(r'\s+xmlns(?::\w+)?="[^"]*"')


def render_svg(chart: alt.TopLevelMixin, key: str) -> Markup:
    """Render with vl-convert and make the SVG safe to inline many times in one page.

    The namespace declarations go (the HTML parser puts <svg> in the SVG namespace itself,
    and the page then holds no address at all), and every id gets the chart's prefix so two
    charts' clip paths or gradients never resolve to each other.
    """
    # the specs are built by this package and tested; Altair's schema validation of each one
    # cost more than drawing it
    spec = chart.to_dict(validate=False)
    spec["config"] = styled(spec.get("config", {}))
    svg = vl_convert.vegalite_to_svg(spec, vl_version=VEGA_LITE, format_locale=VN_FORMAT_LOCALE)
    svg = _NAMESPACES.sub("", svg)
    for ident in set(_ID.findall(svg)):
        new = f"{key}-{ident}"
        svg = svg.replace(f'id="{ident}"', f'id="{new}"').replace(f"#{ident})", f"#{new})")
        svg = svg.replace(f'href="#{ident}"', f'href="#{new}"')
    return Markup(svg.replace("<svg ", '<svg role="img" ', 1))


def styled(config: dict) -> dict:
    """A spec's config (Altair's theme defaults) with STYLE laid over it, section by section."""
    merged = dict(config)
    for key, value in STYLE.items():
        merged[key] = {**merged.get(key, {}), **value} if isinstance(value, dict) else value
    return merged
