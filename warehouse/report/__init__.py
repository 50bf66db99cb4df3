"""`cchc report`: the indicators, their falls and the open alerts as one self-contained HTML page.

The page is read by people who forward it by e-mail, open it from a shared drive or a USB stick
in a meeting room, often without a network: so it is one file with no JavaScript, no web font
and no address it would ever have to fetch. Charts are Altair specs rendered to SVG by
vl-convert while the report is built and inlined in the page. Numbers are written the
Vietnamese way (90,75%) by the helpers of the alert digests, so the page and the digests agree
to the digit. The queries are the files of sql/report/, one per section.

The package: queries.py reads sql/report, sections.py builds the view model of page.py from
the rows (words.py for labels and numbers, charts.py for the SVG charts), render.py writes it
with template.html.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import date
from pathlib import Path

from warehouse.clock import vietnam_now
from warehouse.config import CheckSettings
from warehouse.db import open_reader
from warehouse.report.queries import read_sections
from warehouse.report.render import render
from warehouse.report.sections import build_page

__all__ = ["build_report"]


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
        frames = read_sections(con, as_of)
    finally:
        con.close()
    page = build_page(frames, names, settings, warehouse, as_of)
    html = render(page)
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(f".{out.name}.part")
    partial.write_text(html, encoding="utf-8")
    os.replace(partial, out)  # a reader never opens half a report
    return out
