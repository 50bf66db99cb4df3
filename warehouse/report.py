"""`cchc report`: the indicators, their falls and the open alerts as one self-contained HTML page.

The page is read by people who forward it by e-mail, open it from a shared drive or a USB stick
in a meeting room, often without a network: so it is one file with no JavaScript, no web font
and no address it would ever have to fetch. Charts are Altair specs rendered to SVG by
vl-convert while the report is built and inlined in the page. Numbers are written the
Vietnamese way (90,75%) by the helpers of the alert digests, so the page and the digests agree
to the digit. The queries are the files of sql/report/, one per section.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import altair as alt
import duckdb
import polars as pl
import vl_convert
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from warehouse.clock import vietnam_now
from warehouse.config import CheckSettings
from warehouse.db import open_reader
from warehouse.labels import (
    BASIS_LABELS,
    CHECK_LABELS,
    METRIC_LABELS,
    RATE_METRICS,
    SECTOR_LABELS,
    STATE_LABELS,
)
from warehouse.numbers import (
    format_en_comparison,
    format_en_covered_to,
    format_en_delta_pp,
    format_en_number,
    format_en_period,
    format_vn_comparison,
    format_vn_covered_to,
    format_vn_delta_pp,
    format_vn_number,
)
from warehouse.sqlfiles import run_sql_file

TEMPLATE = Path(__file__).with_name("report_template.html")
RANKED_METRICS = ("on_time_rate", "online_rate", "digitized_rate")  # what provinces compete on
PORTAL_YEARS = 5  # years shown per portal: enough for a trend, narrow enough to print
METRIC_ORDER = RATE_METRICS  # the order of labels.toml: on-time first
# Altair writes specs for this Vega-Lite version; vl-convert must render them with the same one.
VEGA_LITE = ".".join(alt.SCHEMA_VERSION.lstrip("v").split(".")[:2])
# d3-format has no Vietnamese locale: decimal comma, dot thousands, as format_vn_number writes.
VN_FORMAT_LOCALE = {"decimal": ",", "thousands": ".", "grouping": [3], "currency": ["", " ₫"]}
SECTOR_COLOURS = {"locality": "#1f5fa8", "ministry": "#d9822b"}
SECTOR_ORDER = {"locality": 0, "ministry": 1}
METRIC_COLOURS = {"on_time_rate": "#1f5fa8", "online_rate": "#2e8b57", "digitized_rate": "#8e44ad"}
SECONDARY_BASIS_COLOURS = ("#9fb3c8", "#cbd5e1")
# How a line shows its basis, the same in every chart: (dash pattern, the key's CSS class).
BASIS_STYLES = {
    "report": ([1, 0], "solid"),
    "dossiers": ([6, 4], "dashed"),
    "catalogue": ([2, 3], "dotted"),
}
FALL_COLOUR = "#c62828"
FONT = "Noto Sans, DejaVu Sans, Liberation Sans, Arial, sans-serif"


@dataclass(frozen=True)
class Text:
    """A label in both languages: the page prints Vietnamese first, English below it."""

    vn: str
    en: str


@dataclass(frozen=True)
class Chart:
    svg: Markup
    caption: Text | None = None


@dataclass(frozen=True)
class Cell:
    """One table cell; `tone` colours it (fall, rise, muted) and `note` is its second line."""

    text: str
    note: str = ""
    tone: str = ""


@dataclass(frozen=True)
class TrendCard:
    metric: Text
    latest: list[Cell]
    charts: list[Chart]
    regressed: bool
    key: list[tuple[str, Text]]  # (line style, basis) of the lines drawn, explained in HTML
    several: bool  # more than one basis: the figures above the charts name theirs


@dataclass(frozen=True)
class RankGroup:
    basis: Text
    rows: list[list[Cell]]


@dataclass(frozen=True)
class RankTable:
    metric: Text
    year: str
    chart: Chart | None
    groups: list[RankGroup]
    several: bool


@dataclass(frozen=True)
class Regression:
    level: str  # fail | warn | minor
    level_label: Text
    metric: Text
    basis: Text
    unit: Text
    period: Text
    before_after: str
    change: Cell
    base: str


@dataclass(frozen=True)
class AlertRow:
    severity: str
    severity_label: Text
    check: Text
    metric: Text | None
    basis: Text | None
    message: Text
    unit: Text
    period: Text | None
    before_after: str
    change: Cell
    since: str


@dataclass(frozen=True)
class PortalSection:
    anchor: str
    title: Text
    facts: list[Text]
    years: list[str]
    rows: list[list[Cell]]


@dataclass
class Page:
    generated: str
    as_of: str
    warehouse: str
    summary: list[tuple[str, Text, str]]  # (figure, label, tone)
    trends: list[TrendCard] = field(default_factory=list)
    regressions: list[Regression] = field(default_factory=list)  # the open regression alerts
    ranking: list[RankTable] = field(default_factory=list)
    ranking_year: str = ""
    alerts: list[AlertRow] = field(default_factory=list)
    portals: list[PortalSection] = field(default_factory=list)
    has_indicators: bool = False
    min_denominator: str = ""
    warn_pp: str = ""
    fail_pp: str = ""


def build_report(
    warehouse: Path,
    out: Path,
    *,
    portal_names: Mapping[str, str] | None = None,
    settings: CheckSettings | None = None,
    as_of: date | None = None,
) -> Path:
    """Write the report of `warehouse` as of `as_of` (default today) to `out` (replaced
    atomically) and return `out`.

    `portal_names` (code → name, from the configuration) only improves headings: the warehouse
    knows portals by code. `settings` gives the thresholds the lead text quotes; the falls are
    the open regression alerts, so the page never lists a fall that ops.alerts does not hold.
    Periods that start after `as_of` are left out; the headline figures are the latest fully
    covered ones by then.
    """
    settings = settings or CheckSettings()
    as_of = as_of or vietnam_now().date()
    names = dict(portal_names or {})
    con = open_reader(warehouse)
    try:
        frames = _read(con, as_of)
    finally:
        con.close()
    page = _page(frames, names, settings, warehouse, as_of)
    html = _render(page)
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(f".{out.name}.part")
    partial.write_text(html, encoding="utf-8")
    os.replace(partial, out)  # a reader never opens half a report
    return out


# --- reading --------------------------------------------------------------------------------


def _read(con: duckdb.DuckDBPyConnection, as_of: date) -> dict[str, pl.DataFrame]:
    """One frame per section; a section whose tables do not exist yet gets an empty frame."""
    present = set(run_sql_file(con, "report/00_tables.sql").pl()["table_name"].to_list())
    queries = {
        "trend": ("report/10_national_trend.sql", {"as_of": as_of}, {"mart.kpi", "ops.alerts"}),
        "regressions": ("report/20_falls.sql", {}, {"mart.kpi_yoy", "ops.alerts"}),
        "ranking": (
            "report/30_province_ranking.sql",
            {"metrics": list(RANKED_METRICS), "as_of": as_of},
            {"mart.kpi", "core.dim_agency"},
        ),
        "alerts": ("report/40_open_alerts.sql", {}, {"ops.alerts", "core.dim_agency"}),
        "portals": (
            "report/50_portal_years.sql",
            {"years": PORTAL_YEARS, "as_of": as_of},
            {"mart.kpi", "ops.alerts", "core.dim_agency"},
        ),
    }
    frames: dict[str, pl.DataFrame] = {}
    for key, (name, params, needs) in queries.items():
        frames[key] = run_sql_file(con, name, params).pl() if needs <= present else pl.DataFrame()
    return frames


# --- words and numbers ----------------------------------------------------------------------


def _label(table: Mapping[str, tuple[str, str]], key: str | None) -> Text:
    vn, en = table.get(key or "", (key or "—", key or "—"))
    return Text(vn[:1].upper() + vn[1:], en[:1].upper() + en[1:])


def _metric_sort(metric: str) -> tuple[int, str]:
    return (METRIC_ORDER.index(metric) if metric in METRIC_ORDER else len(METRIC_ORDER), metric)


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{format_vn_number(value, 2)}%"


def _count(value: float | None) -> str:
    return "—" if value is None else format_vn_number(round(value))


def _portal_name(code: str | None, names: Mapping[str, str]) -> Text:
    if not code:
        return Text("—", "—")
    name = names.get(code)
    return Text(f"{code} · {name}" if name else f"Cổng {code}", f"Portal {code}")


def _unit(
    scope: str | None, portal: str | None, agency: str | None, names: Mapping[str, str]
) -> Text:
    """Where a figure was measured, as a reader names it: nation, a portal or an agency."""
    if scope == "nation":
        return Text("Toàn quốc", "Nation")
    if scope == "agency":
        return Text(f"{agency or '—'} ({portal})", f"an agency of portal {portal}")
    if scope == "file":
        return Text(f"Tệp của cổng {portal}", f"a file of portal {portal}")
    return _portal_name(portal, names)


def _with_sector(unit: Text, sector: str | None) -> Text:
    if not sector:
        return unit
    label = _label(SECTOR_LABELS, sector)
    return Text(f"{unit.vn} · {label.vn.lower()}", f"{unit.en} · {label.en.lower()}")


def _comparison(
    grain: str | None, start: date, baseline: date | None, covered_to: date | None = None
) -> Text:
    return Text(
        _capitalised(format_vn_comparison(grain, start, baseline, covered_to)),
        _capitalised(format_en_comparison(grain, start, baseline, covered_to)),
    )


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def _change(delta: float | None, alerted: bool) -> Cell:
    """'giảm 1,61 điểm %', red where an open regression alert holds the fall (the checks'
    rule, never the page's own), plain otherwise."""
    if delta is None:
        return Cell("—", tone="muted")
    return Cell(format_vn_delta_pp(delta), format_en_delta_pp(delta), "fall" if alerted else "")


# --- charts ---------------------------------------------------------------------------------

_ID = re.compile(r'\bid="([^"]+)"')
_NAMESPACES = re.compile(r'\s+xmlns(?::\w+)?="[^"]*"')


def _svg(chart: alt.TopLevelMixin, key: str) -> Markup:
    """Render with vl-convert and make the SVG safe to inline many times in one page.

    The namespace declarations go (the HTML parser puts <svg> in the SVG namespace itself,
    and the page then holds no address at all), and every id gets the chart's prefix so two
    charts' clip paths or gradients never resolve to each other.
    """
    # the specs are built by this module and tested; Altair's schema validation of each one
    # cost more than drawing it
    svg = vl_convert.vegalite_to_svg(
        chart.to_dict(validate=False), vl_version=VEGA_LITE, format_locale=VN_FORMAT_LOCALE
    )
    svg = _NAMESPACES.sub("", svg)
    for ident in set(_ID.findall(svg)):
        new = f"{key}-{ident}"
        svg = svg.replace(f'id="{ident}"', f'id="{new}"').replace(f"#{ident})", f"#{new})")
        svg = svg.replace(f'href="#{ident}"', f'href="#{new}"')
    return Markup(svg.replace("<svg ", '<svg role="img" ', 1))


def _values(frame: pl.DataFrame) -> alt.Data:
    """Inline data with dates as ISO text, so the spec never depends on a timezone."""
    return alt.Data(values=frame.with_columns(pl.col(pl.Date).dt.strftime("%Y-%m-%d")).to_dicts())


def _styled(chart: alt.TopLevelMixin) -> alt.TopLevelMixin:
    return (
        chart.configure(font=FONT, background="white")
        .configure_view(stroke=None)
        .configure_axis(
            labelFontSize=11,
            titleFontSize=11,
            titleFontWeight="normal",
            titleColor="#4b5563",
            labelColor="#374151",
            gridColor="#e5e7eb",
            domainColor="#9ca3af",
            tickColor="#9ca3af",
        )
        .configure_legend(
            labelFontSize=11, labelLimit=320, orient="bottom", columns=2, symbolStrokeWidth=3
        )
    )


def _lines(
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
    base = alt.Chart(_values(rows)).encode(
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
    return _styled(alt.layer(line, points, rings).properties(width=width, height=height))


def _rate_domain(values: pl.Series) -> list[float]:
    """The y range around the data, inside 0–100, never flat: a steady 70% still gets a frame."""
    low, high = float(values.min()), float(values.max())
    pad = max(2.0, (high - low) * 0.15)
    return [max(0.0, low - pad), min(100.0, high + pad)]


def _key(bases: pl.Series) -> list[tuple[str, Text]]:
    """The line styles of the bases drawn, for the HTML key under a card's heading."""
    present = set(bases.to_list())
    return [
        (style, _label(BASIS_LABELS, basis))
        for basis, (_, style) in BASIS_STYLES.items()
        if basis in present
    ]


def _prepared(rows: pl.DataFrame) -> pl.DataFrame:
    """Display columns added once: the year as text, the value in Vietnamese, the basis."""
    return rows.with_columns(
        pl.col("period_start").dt.year().cast(pl.String).alias("year_label"),
        pl.col("value")
        .map_elements(lambda v: f"{format_vn_number(v, 2)}%", return_dtype=pl.String)
        .alias("value_label"),
        pl.col("basis").map_elements(_basis_text, return_dtype=pl.String).alias("basis_label"),
    )


def _basis_text(basis: str) -> str:
    label = _label(BASIS_LABELS, basis)
    return f"{label.vn} / {label.en.lower()}"


def _sector_text(sector: str) -> str:
    label = _label(SECTOR_LABELS, sector)
    return f"{label.vn} / {label.en}"


# --- sections -------------------------------------------------------------------------------


def _trends(frame: pl.DataFrame) -> list[TrendCard]:
    """One card per indicator: year and month lines, locality against ministry."""
    if frame.is_empty():
        return []
    frame = _prepared(frame.filter(pl.col("value").is_not_null())).with_columns(
        pl.col("sector").map_elements(_sector_text, return_dtype=pl.String).alias("sector_label"),
        pl.concat_str("sector", "basis", separator="/").alias("series"),
    )
    colours = {_sector_text(s): c for s, c in SECTOR_COLOURS.items()}
    cards = []
    for metric in sorted(frame["metric"].unique().to_list(), key=_metric_sort):
        rows = frame.filter(pl.col("metric") == metric)
        several = rows["basis"].n_unique() > 1
        charts = []
        for grain, caption in (
            ("year", Text("Theo năm", "By year")),
            ("month", Text("Theo tháng", "By month")),
        ):
            series = rows.filter(pl.col("period_grain") == grain)
            if not series.is_empty():
                chart = _lines(series, grain, "sector_label", colours)
                charts.append(Chart(_svg(chart, f"trend-{metric}-{grain}"), caption))
        latest = [
            cell for sector in SECTOR_ORDER for cell in _headline(rows, sector) if cell is not None
        ]
        cards.append(
            TrendCard(
                metric=_label(METRIC_LABELS, metric),
                latest=latest,
                charts=charts,
                regressed=bool(rows["regressed"].any()),
                key=_key(rows["basis"]),
                several=several,
            )
        )
    return cards


def _headline(rows: pl.DataFrame, sector: str) -> list[Cell | None]:
    """A sector's official figure: its latest fully covered year, on the reports basis where
    there are reports (the basis is named), then a later year counted only in part, marked
    "đến ngày …" so it is never read as a whole year."""
    years = rows.filter((pl.col("period_grain") == "year") & (pl.col("sector") == sector))
    if years.is_empty():
        return []
    bases = years["basis"].unique().to_list()
    basis = "report" if "report" in bases else sorted(bases)[0]
    years = years.filter(pl.col("basis") == basis)
    where = f"{_label(SECTOR_LABELS, sector).vn} ({_label(BASIS_LABELS, basis).vn.lower()})"
    cells: list[Cell | None] = []
    for r in years.filter(pl.col("is_latest")).iter_rows(named=True):
        if r["delta_pp"] is None:
            note = f"năm {r['year_label']}, chưa có năm trước để so sánh"
        else:
            note = f"năm {r['year_label']}: {format_vn_delta_pp(r['delta_pp'])} so với năm trước"
        cells.append(
            Cell(f"{where}: {_percent(r['value'])}", note, "fall" if r["regressed"] else "")
        )
    latest_full = years.filter(pl.col("is_latest"))["period_start"].max()
    later = years.filter(pl.col("period_covered_to").is_not_null())
    if latest_full is not None:
        later = later.filter(pl.col("period_start") > latest_full)
    for r in later.sort("period_start").tail(1).iter_rows(named=True):
        to = r["period_covered_to"]
        cells.append(
            Cell(
                f"{where}: {_percent(r['value'])}",
                f"năm {r['year_label']} ({format_vn_covered_to(to)}), chưa đủ năm "
                f"· {r['year_label']} {format_en_covered_to(to)}, not a whole year",
                "muted",
            )
        )
    return cells


def _regressions(frame: pl.DataFrame, names: Mapping[str, str]) -> list[Regression]:
    """The open regression alerts, as the checks keep them (the one rule of a fall)."""
    return [
        Regression(
            level=r["severity"],
            level_label=Text(*STATE_LABELS[r["severity"]]),
            metric=_label(METRIC_LABELS, r["metric"]),
            basis=_label(BASIS_LABELS, r["basis"]),
            unit=_with_sector(
                _unit(r["scope"], r["portal_code"], r["agency_name"], names), r["sector"]
            ),
            period=_comparison(
                r["period_grain"],
                r["period_start"],
                r["baseline_period_start"],
                r["period_covered_to"],
            ),
            before_after=f"{_percent(r['baseline_value'])} → {_percent(r['current_value'])}",
            change=_change(r["delta_pp"], True),
            base=f"{_count(r['baseline_denominator'])} → {_count(r['denominator'])}",
        )
        for r in frame.iter_rows(named=True)
    ]


def _ranking(frame: pl.DataFrame, names: Mapping[str, str]) -> tuple[str, list[RankTable]]:
    """Provinces (locality portals) ranked per indicator for the latest year: bars and a table.

    A report's rate and a dossier count's rate are not the same measurement, so each basis is
    ranked on its own; the bars follow the basis that covers the most provinces.
    """
    if frame.is_empty():
        return "", []
    year = str(frame["period_start"][0].year)
    frame = _prepared(frame).with_columns(
        pl.col("portal_code")
        .map_elements(lambda c: _portal_name(c, names).vn, return_dtype=pl.String)
        .alias("unit_label")
    )
    tables = []
    for metric in RANKED_METRICS:
        rows = frame.filter(pl.col("metric") == metric)
        label = _label(METRIC_LABELS, metric)
        if rows.is_empty():
            tables.append(RankTable(label, year, None, [], several=False))
            continue
        bases = (
            rows.group_by("basis")
            .agg(pl.len().alias("portals"), pl.col("denominator").sum())
            .sort(["portals", "denominator", "basis"], descending=[True, True, False])["basis"]
            .to_list()
        )
        order = rows.filter(pl.col("basis") == bases[0]).sort("rank", "portal_code")
        units = list(dict.fromkeys([*order["unit_label"].to_list(), *rows["unit_label"].to_list()]))
        shades = [METRIC_COLOURS[metric], *SECONDARY_BASIS_COLOURS][: len(bases)]
        several = len(bases) > 1
        encoded = alt.Chart(_values(rows)).encode(
            y=alt.Y("unit_label:N", sort=units, title=None, axis=alt.Axis(labelLimit=200)),
            x=alt.X(
                "value:Q", title="%", scale=alt.Scale(domain=[0, 100]), axis=alt.Axis(format=".0f")
            ),
            color=alt.Color(
                "basis_label:N",
                scale=alt.Scale(domain=[_basis_text(b) for b in bases], range=shades),
                legend=alt.Legend(title=None) if several else None,
            ),
        )
        if several:
            encoded = encoded.encode(
                yOffset=alt.YOffset("basis_label:N", sort=[_basis_text(b) for b in bases])
            )
        chart = alt.layer(
            encoded.mark_bar(cornerRadiusEnd=3),
            encoded.mark_text(align="left", dx=4, fontSize=11, color="#111827").encode(
                text="value_label:N", color=alt.value("#111827")
            ),
        ).properties(width=340, height=alt.Step(14 if several else 24))
        groups = []
        for basis in bases:
            group = rows.filter(pl.col("basis") == basis).sort("rank", "portal_code")
            cells = [
                [
                    Cell(f"{r['rank']}/{r['ranked']}"),
                    Cell(
                        _portal_name(r["portal_code"], names).vn,
                        f"mã tỉnh {r['province_code']}" if r["province_code"] else "",
                    ),
                    Cell(_percent(r["value"])),
                    Cell(f"{_count(r['numerator'])} / {_count(r['denominator'])}", tone="muted"),
                ]
                for r in group.iter_rows(named=True)
            ]
            groups.append(RankGroup(_label(BASIS_LABELS, basis), cells))
        rendered = Chart(_svg(_styled(chart), f"rank-{metric}"))
        tables.append(RankTable(label, year, rendered, groups, several=several))
    return year, tables


def _alerts(frame: pl.DataFrame, names: Mapping[str, str]) -> list[AlertRow]:
    """Open alerts with their deltas; alerts about files or portals show their message."""
    rows = []
    for r in frame.iter_rows(named=True):
        vn, en = r["message_vi"] or r["message"] or "", r["message_en"] or ""
        before_after = "—"
        if r["current_value"] is not None:
            if r["check_id"] == "received_drop":  # dossier counts, not rates
                before_after = f"{_count(r['baseline_value'])} → {_count(r['current_value'])}"
            elif r["baseline_value"] is not None:
                before_after = f"{_percent(r['baseline_value'])} → {_percent(r['current_value'])}"
            else:
                before_after = _percent(r["current_value"])
        change = Cell("—", tone="muted")
        if r["check_id"] == "received_drop" and r["delta_pct"] is not None:
            change = Cell(
                f"{format_vn_number(r['delta_pct'], 2)}%",
                f"{format_en_number(r['delta_pct'], 2)}%",
                "fall",
            )
        elif r["delta_pp"] is not None:
            change = Cell(
                format_vn_delta_pp(r["delta_pp"]), format_en_delta_pp(r["delta_pp"]), "fall"
            )
        agency = r["agency_name"] or r["agency_code"]
        rows.append(
            AlertRow(
                severity=r["severity"],
                severity_label=Text(*STATE_LABELS[r["severity"]]),
                check=Text(*CHECK_LABELS.get(r["check_id"], (r["check_id"], r["check_id"]))),
                metric=_label(METRIC_LABELS, r["metric"]) if r["metric"] else None,
                basis=_label(BASIS_LABELS, r["basis"]) if r["basis"] else None,
                message=Text(vn, en),
                unit=_with_sector(_unit(r["scope"], r["portal_code"], agency, names), r["sector"]),
                period=(
                    _comparison(
                        r["period_grain"],
                        r["period_start"],
                        r["baseline_period_start"],
                        r["period_covered_to"],
                    )
                    if r["period_start"] is not None
                    else None
                ),
                before_after=before_after,
                change=change,
                since=r["first_seen_at"].strftime("%d/%m/%Y") if r["first_seen_at"] else "",
            )
        )
    return rows


def _portals(frame: pl.DataFrame, names: Mapping[str, str]) -> list[PortalSection]:
    """One section per portal: its indicators by year as a table across the page's width (the
    national and ranking charts draw the comparisons; a chart per portal repeated the table)."""
    if frame.is_empty():
        return []
    frame = _prepared(frame)
    portals = (
        frame.select("sector", "portal_code")
        .unique()
        .sort(
            pl.col("sector").replace_strict(SECTOR_ORDER, default=len(SECTOR_ORDER)), "portal_code"
        )
    )
    sections = []
    for sector, code in portals.iter_rows():
        rows = frame.filter(pl.col("portal_code") == code)
        first = rows.row(0, named=True)
        years = sorted({d.year for d in rows["period_start"].to_list()})
        sector_label = _label(SECTOR_LABELS, sector)
        facts = [sector_label]
        if first["province_code"]:
            facts.append(
                Text(f"Mã tỉnh {first['province_code']}", f"province code {first['province_code']}")
            )
        agencies = int(first["agencies"])
        facts.append(
            Text(
                f"{_count(agencies)} cơ quan",
                f"{format_en_number(agencies)} agenc{'y' if agencies == 1 else 'ies'}",
            )
        )
        table = []
        keys = rows.select("metric", "basis").unique().rows()
        for metric, basis in sorted(keys, key=lambda k: (_metric_sort(k[0]), k[1])):
            series = rows.filter((pl.col("metric") == metric) & (pl.col("basis") == basis))
            by_year = {r["period_start"].year: r for r in series.iter_rows(named=True)}
            label, source = _label(METRIC_LABELS, metric), _label(BASIS_LABELS, basis)
            cells = [Cell(label.vn, label.en), Cell(source.vn, source.en, "muted")]
            for year in years:
                r = by_year.get(year)
                if r is None or r["value"] is None:
                    cells.append(Cell("—", tone="muted"))
                elif r["period_covered_to"] is not None:  # counted only in part: no change
                    cells.append(
                        Cell(
                            _percent(r["value"]),
                            format_vn_covered_to(r["period_covered_to"]),
                            "muted",
                        )
                    )
                elif r["delta_pp"] is None:
                    cells.append(Cell(_percent(r["value"])))
                else:
                    change = _change(r["delta_pp"], r["alerted"])
                    cells.append(Cell(_percent(r["value"]), change.text, change.tone))
            table.append(cells)
        sections.append(
            PortalSection(
                anchor=f"cong-{re.sub(r'[^A-Za-z0-9]+', '-', code)}",
                title=_portal_name(code, names),
                facts=facts,
                years=[str(y) for y in years],
                rows=table,
            )
        )
    return sections


def _summary(frames: Mapping[str, pl.DataFrame]) -> list[tuple[str, Text, str]]:
    """The figures at the top: latest periods, portals with data, open alerts by severity."""
    trend, alerts, portals = frames["trend"], frames["alerts"], frames["portals"]
    latest_year = latest_month = "—"
    if not trend.is_empty():  # the latest fully covered ones: what the page's figures speak for
        whole = trend.filter(pl.col("is_latest"))
        years = whole.filter(pl.col("period_grain") == "year")["period_start"]
        months = whole.filter(pl.col("period_grain") == "month")["period_start"]
        latest_year = str(years.max().year) if len(years) else "—"
        latest_month = format_en_period("month", months.max()) if len(months) else "—"
    fails = int((alerts["severity"] == "fail").sum()) if not alerts.is_empty() else 0
    warns = len(alerts) - fails
    count = portals["portal_code"].n_unique() if not portals.is_empty() else 0
    return [
        (latest_year, Text("Năm gần nhất", "Latest year"), ""),
        (latest_month, Text("Tháng gần nhất", "Latest month"), ""),
        (str(count), Text("Cổng có số liệu", "Portals with data"), ""),
        (str(fails), Text("Cảnh báo nghiêm trọng", "Failing alerts"), "fall" if fails else ""),
        (str(warns), Text("Cảnh báo", "Warnings"), "warn" if warns else ""),
    ]


def _page(
    frames: Mapping[str, pl.DataFrame],
    names: Mapping[str, str],
    settings: CheckSettings,
    warehouse: Path,
    as_of: date,
) -> Page:
    year, ranking = _ranking(frames["ranking"], names)
    return Page(
        generated=vietnam_now().strftime("%d/%m/%Y %H:%M"),
        as_of=as_of.strftime("%d/%m/%Y"),
        warehouse=warehouse.name,
        summary=_summary(frames),
        trends=_trends(frames["trend"]),
        regressions=_regressions(frames["regressions"], names),
        ranking=ranking,
        ranking_year=year,
        alerts=_alerts(frames["alerts"], names),
        portals=_portals(frames["portals"], names),
        has_indicators=not frames["trend"].is_empty() or not frames["portals"].is_empty(),
        min_denominator=_count(settings.min_denominator),
        warn_pp=format_vn_number(settings.warn_pp, 1),
        fail_pp=format_vn_number(settings.fail_pp, 1),
    )


def _render(page: Page) -> str:
    env = Environment(
        loader=FileSystemLoader(TEMPLATE.parent),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env.get_template(TEMPLATE.name).render(page=page)
