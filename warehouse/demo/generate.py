"""The built-in demo data: synthetic portal exports that tell the story of 2023, taken on
10 November 2026 (model.EXPORTED_ON), across the 2025 reorganisation of provinces.

Real exports cannot be shipped, so the demo portals serve synthetic files in the shapes of the
export contract (docs/portal-exports.md), calibrated to published national aggregates:

- localities (63 provinces of the time): on-time rate 92.36 % in 2022 and 90.75 % in 2023 (a fall
  of 1.61 points); online share of new dossiers about 10 % in 2022 and 37.4 % in 2023;
- ministries (20): on-time rate 46.80 % in 2022 and 50.60 % in 2023;
- Lạng Sơn (portal H37): over 99 % of its 2023 dossiers on time, 74 % of them received online;
  an online-service catalogue of 1,503 services (procedure × agency), 1,076 of them full-process
  (71.6 %), 92 % of them used (at least one online dossier) in 2023.

Nothing else is real: no figure of any single province, ministry or agency is, and the
province and ministry names (provinces.py, today.py) only make the data readable. Every file is
a pure function of the constants of these modules and of the reorganisation's tables
(warehouse/admin_units.py: no clock, no randomness outside the fixed hashes of draws.py), so two
runs write the same bytes.

The portals are those of the time (portals.py): Lạng Sơn's, H37, throughout (the province was
not merged); the 62 other provinces of 2022–2024, coded T + their GSO code (synthetic), report
2022-01 to 2025-06 and end on 30 June 2025 (`until` in cchc.toml); from 1 July 2025 today's
other 33 provinces report on portals of their own, coded by their real DVCQG code where
warehouse/seeds/dvcqg_provinces.toml knows it (H60 Tuyên Quang, H14 Cao Bằng, …) and otherwise
by a synthetic "P" + today's GSO code (P01 Hà Nội), never by a made-up H code; the 20 ministries
(B01…B20, synthetic) run on. Report rows run to October 2026; Lạng Sơn's dossier lists to
9 November 2026, the day before the exports, so the dossiers not decided by then are open.

Why the numbers look the way they do. The story is one fall, and the nightly checks compare
every rate year on year at every grain (month, quarter, year, year to date) and scope (agency,
portal, today's province, nation): a demo where the fall shows up everywhere would bury it under
hundreds of alerts. So the national fall is a mix effect, Simpson's paradox by quarter:

- every agency keeps its own rates in every month of every year, so no agency and no portal
  falls at any grain (late and overdue counts are rounded up in 2022 and down afterwards, so
  rounding never tips a small agency's month over a point either);
- provinces differ in seasonality: the slower ones (on-time rates of about 74–89 %, 29 % of
  the 2022 volume) receive nearly half their year's work in Q4, the others little; in 2023
  every locality's volume in quarter q is scaled by the same factor (0.85, 0.90, 0.95 for Q1–Q3
  and about 2 for Q4: the year-end surge doubled), and the slower provinces grew a fifth more.
  The slower ones are whole provinces of today (national.slow_provinces), so every province of
  today pools provinces of one kind and none shows the mix effect of the nation;
- so each national month and quarter falls by at most about 0.7 points, while the year,
  which weighs the slow Q4 more in 2023, falls by 1.61 points. `calibrate` solves the Q4
  factor and the slower provinces' rates for the published figures, to two decimals.

The Decision 766 rate adds the pending stock at the year's end, so it would fall with it; the
stock left at the end of December 2022 is therefore mostly overdue (75 %) and the one at the
end of 2023 (and later) mostly in time (99 %). 2024 repeats 2023, and 2025 and 2026 repeat 2024
month by month, pending stocks included, so they raise no alert, and neither does the merger
(merger.py): from 1 July 2025 a province of today reports, on its new portal, the sums of the
units of the provinces it merged (one department per department, the districts' work with the
commune-level committees below them), so every count of every month it pools equals the same
month of 2024. Ministries rise from 46.80 % to 50.60 % the same way as the localities fall,
through their mix (the faster ministries grew), and repeat 2024 from then on.

Lạng Sơn's report rows are the aggregates of its own dossiers (its 2022 dossiers are simulated
with the same code but not exported), so its two bases agree. Every year from 2023 receives the
same dossier slots (from 2024 with electronic results and satisfaction a little better), each on
the same day of the month, so even the month the exports end in (1–9 November) compares like
with like. Its district-level committees end on 1 July 2025: their unit codes, work, online services
and rates pass to commune-level committees of today (lang_son_agencies.py), so no district row
is dated from that day, and its files come from before and after that day (lang_son_files.py).

The national portal (DVCQG, scoreboard.py) answers the Decision 766 scoreboard of 2026 by POST:
`service-results` for today's 34 provinces and the six group answers for Lạng Sơn and its units,
whose on-time, digitisation, e-result, payment and satisfaction counts are its own dossiers'.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from warehouse.demo.calibration import calibrate
from warehouse.demo.lang_son import lang_son_model
from warehouse.demo.lang_son_files import write_lang_son
from warehouse.demo.manifest import DemoFile, DemoManifest, DemoPortal
from warehouse.demo.merger import carried_on
from warehouse.demo.national import report_plan, reporting_agencies
from warehouse.demo.national_api import NATIONAL_PORTAL
from warehouse.demo.portals import portal_list
from warehouse.demo.provinces import LANG_SON_PORTAL
from warehouse.demo.report_files import write_report
from warehouse.demo.report_records import report_records
from warehouse.demo.scoreboard import write_scoreboard

__all__ = ["DemoFile", "DemoManifest", "DemoPortal", "generate_demo"]


def generate_demo(out_dir: Path) -> DemoManifest:
    """Write every demo export under out_dir/<portal code>/ and say what was written."""
    out_dir = Path(out_dir)
    lang_son = lang_son_model()
    agencies = reporting_agencies()
    knobs = calibrate(agencies, lang_son.report_rows)
    plan = carried_on(report_plan(agencies, knobs))
    portals = []
    for portal in portal_list():
        folder = out_dir / portal.code
        folder.mkdir(parents=True, exist_ok=True)
        if portal.code == LANG_SON_PORTAL:
            files = write_lang_son(folder, portal, lang_son)
        else:
            rows = plan.filter(pl.col("portal") == portal.code)
            files = [write_report(folder, portal, report_records(rows))]
        portals.append(
            DemoPortal(portal.code, portal.name, portal.sector, portal.province_code,
                       tuple(files), portal.dvcqg_code, portal.until)
        )  # fmt: skip
    national = out_dir / NATIONAL_PORTAL  # the Decision 766 scoreboard's answers (scoreboard.py)
    portals.append(write_scoreboard(national, lang_son.agencies, lang_son.dossiers))
    return DemoManifest(tuple(portals), calibration=knobs.as_dict())
