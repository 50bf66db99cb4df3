"""The built-in demo data: synthetic portal exports that tell the story of 2023.

Real exports cannot be shipped, so the demo portals serve synthetic files in the shapes of the
export contract (shared/spec/portal-exports.md), calibrated to published national aggregates:

- localities (63 provinces of the time): on-time rate 92.36 % in 2022 and 90.75 % in 2023 (a fall
  of 1.61 points); online share of new dossiers about 10 % in 2022 and 37.4 % in 2023;
- ministries (20): on-time rate 46.80 % in 2022 and 50.60 % in 2023;
- Lạng Sơn (portal H37): over 99 % of its 2023 dossiers on time, 74 % of them received online;
  an online-service catalogue of 1,503 services (procedure × agency), 1,076 of them full-process
  (71.6 %), 92 % of them used (at least one online dossier) in 2023.

Nothing else is real: no figure of any single province, ministry or agency is, and the
province and ministry names (provinces.py) only make the data readable. Every file is a pure
function of the constants of these modules (no clock, no randomness outside the fixed hashes of
draws.py), so two runs write the same bytes.

Why the numbers look the way they do. The story is one fall, and the nightly checks compare
every rate year on year at every grain (month, quarter, year) and scope (agency, portal,
nation): a demo where the fall shows up everywhere would bury it under hundreds of alerts. So
the national fall is a mix effect, Simpson's paradox by quarter:

- every agency keeps its own rates in every month of every year, so no agency and no portal
  falls at any grain (late and overdue counts are rounded up in 2022 and down afterwards, so
  rounding never tips a small agency's month over a point either);
- provinces differ in seasonality: the slower ones (on-time rates of about 74–89 %, 29 % of
  the 2022 volume) receive nearly half their year's work in Q4, the others little; in 2023
  every locality's volume in quarter q is scaled by the same factor (0.85, 0.90, 0.95 for Q1–Q3
  and about 2 for Q4: the year-end surge doubled), and the slower provinces grew a fifth more;
- so each national month and quarter falls by at most about 0.7 points, while the year,
  which weighs the slow Q4 more in 2023, falls by 1.61 points. `calibrate` solves the Q4
  factor and the slower provinces' rates for the published figures, to two decimals.

The Decision 766 rate adds the pending stock at the year's end, so it would fall with it; the
stock left at the end of December 2022 is therefore mostly overdue (75 %) and the one at the
end of 2023 (and 2024) mostly in time (99 %). 2024 repeats 2023, so it raises no alert (Lạng
Sơn's 2024 dossiers are a new draw of the same mix, with electronic results and satisfaction a
little better). Ministries rise from 46.80 % to 50.60 % the same way, through their mix (the
faster ministries grew). Lạng Sơn's report rows are the aggregates of its own dossiers (its 2022
dossiers are simulated with the same code but not exported), so its two bases agree.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from warehouse.demo.calibration import calibrate
from warehouse.demo.lang_son import lang_son_model
from warehouse.demo.lang_son_files import write_lang_son
from warehouse.demo.manifest import DemoFile, DemoManifest, DemoPortal
from warehouse.demo.national import portal_list, report_plan, reporting_agencies
from warehouse.demo.provinces import LANG_SON_PORTAL
from warehouse.demo.report_files import write_report
from warehouse.demo.report_records import report_records

__all__ = ["DemoFile", "DemoManifest", "DemoPortal", "generate_demo"]


def generate_demo(out_dir: Path) -> DemoManifest:
    """Write every demo export under out_dir/<portal code>/ and say what was written."""
    out_dir = Path(out_dir)
    lang_son = lang_son_model()
    agencies = reporting_agencies()
    knobs = calibrate(agencies, lang_son.report_rows)
    plan = report_plan(agencies, knobs)
    portals = []
    for portal in portal_list():
        folder = out_dir / portal.code
        folder.mkdir(parents=True, exist_ok=True)
        if portal.code == LANG_SON_PORTAL:
            rows = lang_son.report_rows
        else:
            rows = plan.filter(pl.col("portal") == portal.code)
        # the report first: its rows start in 2022, so agencies are known from then on
        files = [write_report(folder, portal, report_records(rows))]
        if portal.code == LANG_SON_PORTAL:
            files += write_lang_son(folder, lang_son)
        portals.append(
            DemoPortal(portal.code, portal.name, portal.sector, portal.province_code, tuple(files))
        )
    return DemoManifest(tuple(portals), calibration=knobs.as_dict())
