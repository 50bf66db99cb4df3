"""The report's sections, built from the rows of queries.py into the view model of page.py."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from pathlib import Path

import polars as pl

from warehouse.causes import causes_by_parent
from warehouse.clock import vietnam_now
from warehouse.config import CheckSettings
from warehouse.labels import (
    BASIS_LABELS,
    CHECK_LABELS,
    METRIC_LABELS,
    SECTOR_LABELS,
    STATE_LABELS,
)
from warehouse.numbers import (
    format_en_covered_to,
    format_en_delta_pp,
    format_en_number,
    format_en_period,
    format_vn_covered_to,
    format_vn_delta_pp,
    format_vn_number,
)
from warehouse.report.charts import (
    SECTOR_COLOURS,
    line_chart,
    line_key,
    ranking_bars,
)
from warehouse.report.page import (
    AlertRow,
    Cell,
    Chart,
    Page,
    PortalSection,
    RankGroup,
    RankTable,
    Regression,
    Text,
    TrendCard,
)
from warehouse.report.queries import RANKED_METRICS
from warehouse.report.scoreboard import scoreboard_table
from warehouse.report.vega import render_svg
from warehouse.report.why import CHARTED_FALLS, cause_chart, why_text
from warehouse.report.words import (
    change_cell,
    comparison_text,
    count_text,
    label_of,
    metric_sort,
    percent_text,
    portal_title,
    sector_text,
    short_province_label,
    unit_of,
    with_display_columns,
    with_sector,
)

SECTOR_ORDER = {"locality": 0, "ministry": 1}


def _from_to(before: str, after: str) -> str:
    return f"{before} → {after}"


def _of_total(part: str, total: str) -> str:
    return f"{part} / {total}"


def _trends(frame: pl.DataFrame) -> list[TrendCard]:
    """One card per indicator: year and month lines, locality against ministry."""
    if frame.is_empty():
        return []
    frame = with_display_columns(frame.filter(pl.col("value").is_not_null())).with_columns(
        pl.col("sector").map_elements(sector_text, return_dtype=pl.String).alias("sector_label"),
        pl.concat_str("sector", "basis", separator="/").alias("series"),
    )
    colours = {sector_text(s): c for s, c in SECTOR_COLOURS.items()}
    cards = []
    for metric in sorted(frame["metric"].unique().to_list(), key=metric_sort):
        rows = frame.filter(pl.col("metric") == metric)
        several = rows["basis"].n_unique() > 1
        charts = []
        for grain, caption in (
            ("year", Text("Theo năm", "By year")),
            ("month", Text("Theo tháng", "By month")),
        ):
            # whole periods only: a year counted to some day is not drawn as a year
            series = rows.filter(
                (pl.col("period_grain") == grain) & pl.col("period_covered_to").is_null()
            )
            if not series.is_empty():
                chart = line_chart(series, grain, "sector_label", colours)
                charts.append(Chart(render_svg(chart, f"trend-{metric}-{grain}"), caption))
        latest = [
            cell for sector in SECTOR_ORDER for cell in _headline(rows, sector) if cell is not None
        ]
        cards.append(
            TrendCard(
                metric=label_of(METRIC_LABELS, metric),
                latest=latest,
                charts=charts,
                regressed=bool(rows["regressed"].any()),
                key=line_key(rows["basis"]),
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
    where = f"{label_of(SECTOR_LABELS, sector).vn} ({label_of(BASIS_LABELS, basis).vn.lower()})"
    cells: list[Cell | None] = []
    for r in years.filter(pl.col("is_latest")).iter_rows(named=True):
        if r["delta_pp"] is None:
            note = f"năm {r['year_label']}, chưa có năm trước để so sánh"
        else:
            note = f"năm {r['year_label']}: {format_vn_delta_pp(r['delta_pp'])} so với năm trước"
        cells.append(
            Cell(f"{where}: {percent_text(r['value'])}", note, "fall" if r["regressed"] else "")
        )
    latest_full = years.filter(pl.col("is_latest"))["period_start"].max()
    later = years.filter(pl.col("period_covered_to").is_not_null())
    if latest_full is not None:
        later = later.filter(pl.col("period_start") > latest_full)
    for r in later.sort("period_start").tail(1).iter_rows(named=True):
        to = r["period_covered_to"]
        cells.append(
            Cell(
                f"{where}: {percent_text(r['value'])}",
                f"năm {r['year_label']} ({format_vn_covered_to(to)}), chưa đủ năm "
                f"· {r['year_label']} {format_en_covered_to(to)}, not a whole year",
                "muted",
            )
        )
    return cells


def _regressions(
    frame: pl.DataFrame, causes: pl.DataFrame, names: Mapping[str, str]
) -> list[Regression]:
    """The open regression alerts, as the checks keep them (the one rule of a fall), each with
    why it fell: its causes in words, and for the worst few a chart of its children."""
    by_alert = causes_by_parent(causes.rename({"alert_id": "parent_id"})) if causes.height else {}
    return [
        Regression(
            level=r["severity"],
            level_label=Text(*STATE_LABELS[r["severity"]]),
            metric=label_of(METRIC_LABELS, r["metric"]),
            basis=label_of(BASIS_LABELS, r["basis"]),
            unit=with_sector(
                unit_of(
                    r["scope"],
                    r["portal_code"],
                    r["agency_name"],
                    names,
                    r["province_name"] or r["province_code"],
                ),
                r["sector"],
            ),
            period=comparison_text(
                r["period_grain"],
                r["period_start"],
                r["baseline_period_start"],
                r["period_covered_to"],
            ),
            before_after=_from_to(
                percent_text(r["baseline_value"]), percent_text(r["current_value"])
            ),
            change=change_cell(r["delta_pp"], True),
            base=_from_to(count_text(r["baseline_denominator"]), count_text(r["denominator"])),
            why=why_text(by_alert.get(r["alert_id"], []), r["delta_pp"]),
            chart=cause_chart(by_alert.get(r["alert_id"], []), r["alert_id"])
            if i < CHARTED_FALLS
            else None,
        )
        for i, r in enumerate(frame.iter_rows(named=True))
    ]


def _ranking(frame: pl.DataFrame) -> tuple[str, list[RankTable]]:
    """Today's provinces ranked per indicator for the latest year: bars and a table (a merged
    province pools the provinces it merged, also before 1 July 2025).

    A report's rate and a dossier count's rate are not the same measurement, so each basis is
    ranked on its own; the bars follow the basis that covers the most provinces.
    """
    if frame.is_empty():
        return "", []
    year = str(frame["period_start"][0].year)
    frame = with_display_columns(frame).with_columns(
        pl.col("province_name")
        .map_elements(short_province_label, return_dtype=pl.String)
        .alias("unit_label")
    )
    tables = []
    for metric in RANKED_METRICS:
        rows = frame.filter(pl.col("metric") == metric)
        label = label_of(METRIC_LABELS, metric)
        if rows.is_empty():
            tables.append(RankTable(label, year, None, [], several=False))
            continue
        bases = (
            rows.group_by("basis")
            .agg(pl.len().alias("portals"), pl.col("denominator").sum())
            .sort(["portals", "denominator", "basis"], descending=[True, True, False])["basis"]
            .to_list()
        )
        order = rows.filter(pl.col("basis") == bases[0]).sort("rank", "province_code")
        units = list(dict.fromkeys([*order["unit_label"].to_list(), *rows["unit_label"].to_list()]))
        several = len(bases) > 1
        chart = ranking_bars(rows, units, bases, metric)
        groups = []
        for basis in bases:
            group = rows.filter(pl.col("basis") == basis).sort("rank", "province_code")
            cells = [
                [
                    Cell(f"{r['rank']}/{r['ranked']}"),
                    Cell(r["province_name"], f"mã tỉnh {r['province_code']}"),
                    Cell(percent_text(r["value"])),
                    Cell(
                        _of_total(count_text(r["numerator"]), count_text(r["denominator"])),
                        tone="muted",
                    ),
                ]
                for r in group.iter_rows(named=True)
            ]
            groups.append(RankGroup(label_of(BASIS_LABELS, basis), cells))
        rendered = Chart(render_svg(chart, f"rank-{metric}"))
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
                before_after = _from_to(
                    count_text(r["baseline_value"]), count_text(r["current_value"])
                )
            elif r["baseline_value"] is not None:
                before_after = _from_to(
                    percent_text(r["baseline_value"]), percent_text(r["current_value"])
                )
            else:
                before_after = percent_text(r["current_value"])
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
                metric=label_of(METRIC_LABELS, r["metric"]) if r["metric"] else None,
                basis=label_of(BASIS_LABELS, r["basis"]) if r["basis"] else None,
                message=Text(vn, en),
                unit=with_sector(
                    unit_of(r["scope"], r["portal_code"], agency, names, r.get("province_code")),
                    r["sector"],
                ),
                period=(
                    comparison_text(
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
    frame = with_display_columns(frame)
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
        sector_label = label_of(SECTOR_LABELS, sector)
        facts = [sector_label]
        if first["province_code"]:
            facts.append(
                Text(f"Mã tỉnh {first['province_code']}", f"province code {first['province_code']}")
            )
        agencies = int(first["agencies"])
        facts.append(
            Text(
                f"{count_text(agencies)} cơ quan",
                f"{format_en_number(agencies)} agenc{'y' if agencies == 1 else 'ies'}",
            )
        )
        table = []
        keys = rows.select("metric", "basis").unique().rows()
        for metric, basis in sorted(keys, key=lambda k: (metric_sort(k[0]), k[1])):
            series = rows.filter((pl.col("metric") == metric) & (pl.col("basis") == basis))
            by_year = {r["period_start"].year: r for r in series.iter_rows(named=True)}
            label, source = label_of(METRIC_LABELS, metric), label_of(BASIS_LABELS, basis)
            cells = [Cell(label.vn, label.en), Cell(source.vn, source.en, "muted")]
            for year in years:
                r = by_year.get(year)
                if r is None or r["value"] is None:
                    cells.append(Cell("—", tone="muted"))
                elif r["period_covered_to"] is not None:  # counted only in part: no change
                    cells.append(
                        Cell(
                            percent_text(r["value"]),
                            format_vn_covered_to(r["period_covered_to"]),
                            "muted",
                        )
                    )
                elif r["delta_pp"] is None:
                    cells.append(Cell(percent_text(r["value"])))
                else:
                    change = change_cell(r["delta_pp"], r["alerted"])
                    cells.append(Cell(percent_text(r["value"]), change.text, change.tone))
            table.append(cells)
        sections.append(
            PortalSection(
                anchor=f"cong-{re.sub(r'[^A-Za-z0-9]+', '-', code)}",
                title=portal_title(code, names),
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


def build_page(
    frames: Mapping[str, pl.DataFrame],
    names: Mapping[str, str],
    settings: CheckSettings,
    warehouse: Path,
    as_of: date,
) -> Page:
    year, ranking = _ranking(frames["ranking"])
    return Page(
        generated=vietnam_now().strftime("%d/%m/%Y %H:%M"),
        as_of=as_of.strftime("%d/%m/%Y"),
        warehouse=warehouse.name,
        summary=_summary(frames),
        trends=_trends(frames["trend"]),
        regressions=_regressions(frames["regressions"], frames["causes"], names),
        ranking=ranking,
        ranking_year=year,
        alerts=_alerts(frames["alerts"], names),
        portals=_portals(frames["portals"], names),
        scoreboard=scoreboard_table(frames["scoreboard"]),
        has_indicators=not frames["trend"].is_empty() or not frames["portals"].is_empty(),
        min_denominator=count_text(settings.min_denominator),
        warn_pp=format_vn_number(settings.warn_pp, 1),
        fail_pp=format_vn_number(settings.fail_pp, 1),
    )
