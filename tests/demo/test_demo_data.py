"""The built-in demo data tells the 2023 story, lives on through the 2025 merger to late 2026, and
the checks see exactly that story.

The demo exports are generated once for the module, every file is loaded through the real
ingest path (paged JSON combined as the HTTP extractor combines it), the indicators are rebuilt
and the checks run as of the exports' day with the default thresholds of
warehouse/demo/cchc.toml. The one alert that must remain is the national fall of the localities'
on-time rate from 92.36 % in 2022 to 90.75 % in 2023; everything else (months, quarters, years
to date, provinces, agencies, the other rates, Lạng Sơn's two bases, 2024, 2025, 2026 and the
merger of 1 July 2025) must stay quiet.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime, time, timedelta
from pathlib import Path

import polars as pl
import pytest
import vietnamadminunits
from demo_support import digests, kpi, monthly_counts, query, served_file, today_province

from warehouse.admin_units import REORGANISED_ON, load_admin_units
from warehouse.checks import CheckRun, run_checks
from warehouse.config import Config, load_config
from warehouse.db import open_writer
from warehouse.demo import provinces
from warehouse.demo.generate import DemoManifest, generate_demo
from warehouse.demo.model import COUNTS, EXPORTED_ON, LAST_REPORT_MONTH
from warehouse.demo.portals import RETIRED_ON
from warehouse.demo.today import SYNTHETIC_PREFIX, today_provinces
from warehouse.ingest import FileResult, ingest_file
from warehouse.marts import refresh_marts
from warehouse.sources.request_body import fill_body

from conftest import cchc

DEMO = Path(provinces.__file__).parent
AS_OF = datetime.combine(EXPORTED_ON, time())
FETCHED = AS_OF - timedelta(hours=22)  # the night before the checks: no portal is stale


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, DemoManifest]:
    root = tmp_path_factory.mktemp("demo") / "exports"
    return root, generate_demo(root)


@pytest.fixture(scope="module")
def config() -> Config:
    """The built-in configuration, which holds the demo portals and their sources."""
    with pytest.MonkeyPatch.context() as env:  # the sources' URLs name ${CCHC_DEMO_URL}
        env.setenv("CCHC_DEMO_URL", "http://127.0.0.1:8765")
        return load_config(DEMO / "cchc.toml")


@pytest.fixture(scope="module")
def loaded(
    demo: tuple[Path, DemoManifest], config: Config, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, list[FileResult], CheckRun]:
    root, manifest = demo
    work = tmp_path_factory.mktemp("warehouse")
    warehouse = work / "data" / "warehouse.duckdb"
    results = []
    with open_writer(warehouse) as con:
        for portal in manifest.portals:
            for file in portal.files:  # in the order the configuration's sources list them
                path = served_file(root / portal.code, file, work)
                # a national scoreboard answer: its period from the body that asked for it,
                # dated by the run's as-of day (as `cchc run` loads it)
                request = fill_body(file.body, EXPORTED_ON) if file.body else None
                results.append(
                    ingest_file(
                        con, path, config.portal(portal.code), data_dir=warehouse.parent,
                        source=f"{portal.code}/{file.name}", fetched_at=FETCHED,
                        request=request, snapshot_date=EXPORTED_ON if request else None,
                    )
                )  # fmt: skip
        refresh_marts(con, config.portals.values())
        run = run_checks(con, config, now=AS_OF)
    return warehouse, results, run


def test_every_file_loads_whole(
    demo: tuple[Path, DemoManifest], loaded: tuple[Path, list[FileResult], CheckRun]
) -> None:
    _, manifest = demo
    _, results, _ = loaded
    assert len(results) == sum(len(p.files) for p in manifest.portals)
    for result in results:
        assert result.status == "loaded", result
        assert result.rows_rejected == 0, result
        assert result.rows_read == result.rows_loaded > 0, result
        assert result.warnings == [], result  # no unknown column, no totals row off


def test_exactly_one_alert_the_2023_fall(loaded: tuple[Path, list[FileResult], CheckRun]) -> None:
    warehouse, _, run = loaded
    alerts = query(
        warehouse,
        "SELECT check_id, severity, sector, scope, metric, basis, period_grain, "
        "period_start, baseline_period_start, round(delta_pp, 2) "
        "FROM ops.alerts WHERE status = 'open' ORDER BY ALL",
    )
    assert [row[:7] for row in alerts] == [  # no district check, basis gap, drop or stale portal
        ("regression_yoy", "warn", "locality", "nation", "on_time_rate", "report", "year")
    ], alerts
    period, baseline, delta = alerts[0][7:]
    assert (period.isoformat(), baseline.isoformat(), delta) == ("2023-01-01", "2022-01-01", -1.61)
    assert run.open_alerts == 1


def test_the_2023_fall_is_explained_as_a_mix_of_provinces(
    loaded: tuple[Path, list[FileResult], CheckRun],
) -> None:
    """The demo's fall is built as a mix effect (generate.py): every province keeps its rate, the
    slow ones grew. Its causes say so, and they add up to the fall exactly."""
    warehouse, _, _ = loaded
    ((delta, message_vi, message_en),) = query(
        warehouse,
        "SELECT delta_pp, message_vi, message_en FROM ops.alerts WHERE status = 'open'",
    )
    causes = query(
        warehouse,
        "SELECT child_scope, child_code, d0, d1, r0, r1, rate_effect, mix_effect, interaction, "
        "contribution FROM ops.alert_causes ORDER BY abs(contribution) DESC",
    )
    assert {c[0] for c in causes} == {"province"}
    assert len(causes) == 34  # today's provinces, each pooling what it merged
    assert abs(sum(c[9] for c in causes) - delta) < 1e-9
    rate, mix = sum(c[6] for c in causes), sum(c[7] for c in causes)
    assert abs(mix) > 10 * abs(rate)  # the provinces held their rates; the dossiers moved
    assert all(abs(c[5] - c[4]) < 1.0 for c in causes)  # no province's own rate fell a point
    # the message names the provinces whose share of the dossiers grew the most
    top = sorted(causes, key=lambda c: c[7])[0]
    ((name,),) = query(
        warehouse,
        f"SELECT province_name FROM core.dim_province WHERE province_code = '{top[1]}' "
        "AND valid_to IS NULL",
    )
    assert "Nguyên nhân: chủ yếu do cơ cấu" in message_vi
    assert f"hồ sơ dồn về {name} (tỷ trọng " in message_vi
    assert "Why: mostly mix" in message_en and f"dossiers moved to {name} (share " in message_en


@pytest.fixture(scope="module")
def readme_sequence(
    loaded: tuple[Path, list[FileResult], CheckRun], tmp_path_factory: pytest.TempPathFactory
) -> tuple[list[dict], str]:
    """After the night's load, a plain `cchc checks --json` and `cchc report` (no --as-of: the
    demo's `[run] as_of`), on a copy of the warehouse: the open alerts and the report page."""
    warehouse = tmp_path_factory.mktemp("readme") / "data" / "warehouse.duckdb"
    warehouse.parent.mkdir(parents=True)
    warehouse.write_bytes(loaded[0].read_bytes())
    code, output = cchc("checks", "--json", "--warehouse", str(warehouse))
    assert code == 0, output
    out = warehouse.parent / "report.html"
    code, report = cchc("report", "--out", str(out), "--warehouse", str(warehouse))
    assert code == 0, report
    return json.loads(output), out.read_text(encoding="utf-8")


def test_the_readme_sequence_leaves_the_one_alert(readme_sequence: tuple[list[dict], str]) -> None:
    """`cchc checks` keeps exactly that one alert, and the report lists exactly it."""
    alerts, page = readme_sequence
    assert [(a["check_id"], a["scope"], a["metric"], a["period_start"]) for a in alerts] == [
        ("regression_yoy", "nation", "on_time_rate", "2023-01-01")
    ]
    assert "năm 2023 so với năm 2022: 92,36% → 90,75%, giảm 1,61 điểm %" in alerts[0]["message"]
    falls = page[page.index('id="sut-giam"') : page.index('id="xep-hang"')]
    assert falls.count('<tr class="level-') == 1 and "90,75%" in falls


def test_the_report_ranks_today_s_provinces(readme_sequence: tuple[list[dict], str]) -> None:
    """The ranking is of the latest fully covered year, 2025, with every province of today."""
    _, page = readme_sequence
    ranking = page[page.index('id="xep-hang"') : page.index('id="canh-bao"')]
    assert f"năm {EXPORTED_ON.year - 1}" in ranking
    assert ranking.count(f"/{len(today_provinces())}</td>") >= len(today_provinces())


def test_the_report_shows_the_national_scoreboard(readme_sequence: tuple[list[dict], str]) -> None:
    """The report ranks today's 34 provinces on the national scoreboard's snapshot."""
    _, page = readme_sequence
    board = page[page.index('id="xep-hang-qg"') : page.index('id="canh-bao"')]
    n = len(today_provinces())
    assert board.count(f"/{n}</td>") == n and '<span class="note">H37</span>' in board
    assert "chụp ngày 10/11/2026" in board


def test_national_figures(loaded: tuple[Path, list[FileResult], CheckRun]) -> None:
    warehouse, _, _ = loaded
    nation = kpi(warehouse, "scope = 'nation' AND basis = 'report'")
    on_time = {(s, y): round(v, 2) for (s, m, _, y), v in nation.items() if m == "on_time_rate"}
    assert on_time[("locality", 2022)] == 92.36
    assert on_time[("locality", 2023)] == 90.75
    assert on_time[("ministry", 2022)] == 46.80
    assert on_time[("ministry", 2023)] == 50.60
    for sector in ("locality", "ministry"):  # 2024 repeats 2023, 2025 repeats 2024
        assert on_time[(sector, 2025)] == on_time[(sector, 2024)] == on_time[(sector, 2023)]
    online = {y: v for (s, m, _, y), v in nation.items() if s == "locality" and m == "online_rate"}
    assert 9.5 <= online[2022] <= 10.5
    assert round(online[2023], 1) == 37.4


def test_today_pools_what_2024_reported(
    config: Config, loaded: tuple[Path, list[FileResult], CheckRun]
) -> None:
    """Every count of every month of 2025 and 2026, summed over the portals of each of today's
    provinces (but Lạng Sơn, whose rows are its own dossiers') and each ministry, is the count
    of the same month of 2024; so no pooled rate moves across the merger."""
    warehouse, _, _ = loaded
    unit_of = {
        code: today_province(p.province_code, p.sector, code)
        for code, p in config.portals.items()
        if p.province_code != provinces.LANG_SON_GSO and p.sector != "national"
    }
    counts = monthly_counts(warehouse, unit_of)
    later = counts.filter(pl.col("year") >= REORGANISED_ON.year)
    before = counts.filter(pl.col("year") == 2024).drop("year")
    paired = later.join(before, on=["unit", "month"], how="left", suffix="_2024")
    assert paired.height == len(set(unit_of.values())) * (12 + LAST_REPORT_MONTH.month)
    for count in COUNTS:
        assert (paired[count] == paired[f"{count}_2024"]).all(), count
    units = set(later["unit"])
    assert units == {t.gso_code for t in today_provinces()} - {provinces.LANG_SON_GSO} | {
        m.code for m in provinces.MINISTRIES
    }


def test_portals_of_the_time(
    config: Config, loaded: tuple[Path, list[FileResult], CheckRun]
) -> None:
    """The province portals of 2022–2024 end on 30 June 2025 (`until`, their last report
    period); each of today's provinces but Lạng Sơn has its own portal from 1 July 2025, coded
    by its DVCQG code where the seed knows it, else by a synthetic P code."""
    warehouse, _, _ = loaded
    spans = {
        portal: (first, last)
        for portal, first, last in query(
            warehouse,
            "SELECT portal_code, min(period_from), max(period_to) FROM core.fact_report "
            "GROUP BY ALL",
        )
    }
    localities = {c: p for c, p in config.portals.items() if p.sector == "locality"}
    retired = {c: p for c, p in localities.items() if p.until}
    assert {p.province_code for p in retired.values()} == {
        p.gso_code for p in provinces.PROVINCES
    } - {provinces.LANG_SON_GSO}
    for code, portal in retired.items():
        assert portal.until == RETIRED_ON == spans[code][1], code
    today = {t.gso_code: t for t in today_provinces()}
    running = {c: p for c, p in localities.items() if not p.until}
    assert sorted(p.province_code for p in running.values()) == sorted(today)
    for code, portal in running.items():
        province = today[portal.province_code]
        if code == provinces.LANG_SON_PORTAL:
            assert spans[code][0] < REORGANISED_ON
            continue
        assert code == (province.dvcqg_code or f"{SYNTHETIC_PREFIX}{province.gso_code}")
        assert portal.dvcqg_code == province.dvcqg_code  # where known; never the synthetic code
        assert spans[code][0] == REORGANISED_ON, code
        assert spans[code][1].replace(day=1) == LAST_REPORT_MONTH, code
    for code, portal in config.portals.items():
        if portal.sector == "ministry":
            assert portal.until is None and spans[code][1].replace(day=1) == LAST_REPORT_MONTH


def test_no_district_row_from_the_reorganisation(
    loaded: tuple[Path, list[FileResult], CheckRun],
) -> None:
    """From 1 July 2025 there is no district level: no dossier, report period or catalogue
    service of a district-level (Huyện) agency is dated from then on. Lạng Sơn's districts
    hand their unit codes to the communes that take over their work (a new version, level Xã)."""
    warehouse, _, _ = loaded
    for table, day in (
        ("fact_dossier", "received_at"),
        ("fact_report", "period_from"),
        ("fact_service", "valid_from"),
    ):
        assert query(
            warehouse,
            f"SELECT count(*) FROM core.{table} AS f JOIN core.dim_agency AS a USING (agency_key) "
            f"WHERE a.level = 'Huyện' AND f.{day} >= DATE '{REORGANISED_ON}'",
        ) == [(0,)], table
    versions = query(
        warehouse,
        "SELECT agency_code, list(level ORDER BY valid_from), list(valid_to ORDER BY valid_from) "
        "FROM core.dim_agency WHERE portal_code = 'H37' AND agency_code IN "
        f"({', '.join(repr(d.code) for d in provinces.LANG_SON_DISTRICTS)}) GROUP BY ALL",
    )
    assert len(versions) == len(provinces.LANG_SON_DISTRICTS)
    for code, levels, ends in versions:
        assert (levels, ends) == (["Huyện", "Xã"], [REORGANISED_ON, None]), code


def test_lang_son(loaded: tuple[Path, list[FileResult], CheckRun]) -> None:
    warehouse, _, _ = loaded
    h37 = kpi(warehouse, "scope = 'portal' AND portal_code = 'H37' AND year(period_start) = 2023")
    assert h37[("H37", "on_time_rate", "dossiers", 2023)] > 99
    assert round(h37[("H37", "online_rate", "dossiers", 2023)]) == 74
    assert round(h37[("H37", "full_process_share", "catalogue", 2023)], 1) == 71.6
    assert round(h37[("H37", "services_used_rate", "catalogue", 2023)]) == 92
    services = query(
        warehouse,
        "SELECT count(*), count(*) FILTER (WHERE service_level = 'full') "
        "FROM core.fact_service WHERE portal_code = 'H37'",
    )
    gaps = query(
        warehouse,
        "SELECT max(abs(r.value - d.value)) FROM mart.kpi AS d JOIN mart.kpi AS r "
        "USING (scope, agency_nk, metric, period_grain, period_start) "
        "WHERE d.scope = 'agency' AND d.basis = 'dossiers' AND r.basis = 'report' "
        "AND d.denominator >= 100 AND r.denominator >= 100 "
        "AND d.covered_from = d.period_start AND d.covered_to = d.period_end "
        "AND r.covered_from = r.period_start AND r.covered_to = r.period_end",
    )
    assert services == [(1_503, 1_076)]  # the fresh snapshot of 2026 is the same catalogue
    assert gaps[0][0] < 1.0  # the report rows are the aggregates of the same dossiers
    received, decided, pending, last_period = query(
        warehouse,
        "SELECT max(received_at)::DATE, max(completed_at)::DATE, "
        "count(*) FILTER (WHERE status = 'pending'), "
        "(SELECT max(period_from) FROM core.fact_report WHERE portal_code = 'H37') "
        "FROM core.fact_dossier WHERE portal_code = 'H37'",
    )[0]
    day_before = EXPORTED_ON - timedelta(days=1)  # the lists run to the day before the export
    assert received == decided == day_before and pending > 0
    assert last_period == LAST_REPORT_MONTH


def test_generation_is_deterministic(demo: tuple[Path, DemoManifest], tmp_path: Path) -> None:
    root, manifest = demo
    again = generate_demo(tmp_path / "exports")
    assert again == manifest
    assert digests(tmp_path / "exports") == digests(root)


def test_config_entries_are_current(demo: tuple[Path, DemoManifest], config: Config) -> None:
    """The configuration's portals and sources are exactly what the generator says it serves
    (DemoManifest.config_toml), in its order."""
    _, manifest = demo

    keys = ("code", "name", "sector", "province_code", "dvcqg_code", "until")

    def identity(p: object) -> tuple:
        return tuple(getattr(p, k) for k in keys)

    assert [identity(p) for p in config.portals.values()] == [identity(p) for p in manifest.portals]
    files = [(p.code, f.kind, f.name) for p in manifest.portals for f in p.files]
    sources = [(s.portal, s.kind, s.url.rsplit(f"/{s.portal}/", 1)[1]) for s in config.sources]
    assert sources == files


def test_provinces_are_those_of_2022_2024() -> None:
    """Codes and names match vietnamadminunits' legacy table (Huế: the name of the time), and
    the communes that take over Lạng Sơn's districts are communes of today that old communes
    of the district became (not those the two listed communes became)."""
    database = Path(vietnamadminunits.__file__).parent / "data" / "dataset.db"
    with sqlite3.connect(database) as con:
        legacy = dict(con.execute("SELECT DISTINCT provinceCode, province FROM admin_units_legacy"))
        units = {
            (code, unit.casefold())
            for code, district, ward in con.execute(
                "SELECT provinceCode, district, ward FROM admin_units_legacy"
            )
            for unit in (district, ward)
            if unit
        }
        wards = con.execute(
            "SELECT district, ward, wardCode FROM admin_units_legacy WHERE provinceCode = ?",
            [provinces.LANG_SON_GSO],
        ).fetchall()
    ours = {p.gso_code: p for p in provinces.PROVINCES}
    assert ours.keys() == legacy.keys() and len(ours) == 63
    for code, province in ours.items():
        expected = "Tỉnh Thừa Thiên Huế" if code == "46" else legacy[code]
        assert province.name == expected
        for unit in (
            province.capital,
            province.capital_ward,
            province.rural,
            province.rural_commune,
        ):
            assert (code, unit.casefold()) in units, unit
    assert ours[provinces.LANG_SON_GSO].name == "Tỉnh Lạng Sơn"
    became = {
        old: new
        for old, new in load_admin_units()
        .ward_crosswalk.filter(pl.col("is_default_target"))
        .select("old_ward_code", "ward_name")
        .iter_rows()
    }
    for district in provinces.LANG_SON_DISTRICTS:
        targets = {became[code]: name for d, name, code in wards if d == district.name}
        listed = {new for new, old in targets.items() if old in {c[1] for c in district.communes}}
        assert district.successor in targets.keys() - listed, district.name


def test_the_national_scoreboard(
    demo: tuple[Path, DemoManifest], loaded: tuple[Path, list[FileResult], CheckRun]
) -> None:
    """The national portal's answers load: one service-results row per today's province (each
    with today's province), Lạng Sơn's six group answers with its units in list and tree shapes,
    and its national on-time ratio is its own dossiers' on_time_rate_766 for the same year."""
    _, manifest = demo
    warehouse, _, _ = loaded
    national = manifest.portal("DVCQG")
    assert [f.kind for f in national.files] == ["scoreboard"] * 7
    provinces_ = query(
        warehouse,
        "SELECT count(*), count(DISTINCT province_code), count(rank), min(rank), "
        "count(*) FILTER (WHERE total_change IS NULL) FROM mart.scoreboard "
        f"WHERE unit_type = 'ADMINISTRATIVE_UNIT' AND unit_level IS NULL "
        f"AND snapshot_date = DATE '{EXPORTED_ON}' AND period_grain = 'year'",
    )
    n = len(today_provinces())
    known = sum(1 for t in today_provinces() if t.dvcqg_code)  # P codes name no province
    assert provinces_ == [(n, known, n, 1, n)]  # one snapshot: no movement yet
    groups = dict(
        query(
            warehouse,
            "SELECT group_code, count(DISTINCT unit_code) FROM core.fact_scorecard "
            "WHERE parent_unit_code = 'H37' AND metric_code IS NULL GROUP BY ALL",
        )
    )
    assert set(groups) == {"CKMB", "TDGQ", "CLGQ", "TTTT", "MDSH", "MDHL"}
    assert len(set(groups.values())) == 1 and groups["TDGQ"] > 40  # every unit in every answer
    (h37,) = query(
        warehouse,
        "SELECT total_score, round(ckmb + tdgq + clgq + tttt + mdsh + mdhl, 2) "
        "FROM mart.scoreboard WHERE unit_code = 'H37'",
    )
    assert h37[0] == h37[1]  # its service-results row carries its group answers' scores
    ((national_766, own_766),) = query(
        warehouse,
        "SELECT s.value, d.value FROM mart.kpi AS s JOIN mart.kpi AS d USING "
        "(scope, province_code, metric, period_grain, period_start) WHERE s.scope = 'province' "
        "AND s.province_code = '20' AND s.metric = 'on_time_rate_766' AND s.basis = 'scoreboard' "
        f"AND d.basis = 'dossiers' AND s.period_grain = 'year' AND year(s.period_start) = "
        f"{EXPORTED_ON.year}",
    )
    assert abs(national_766 - own_766) < 0.01, (national_766, own_766)
