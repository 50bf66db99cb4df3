"""The built-in demo data tells the 2023 story, and the checks see exactly that story.

The demo exports are generated once for the module, every file is loaded through the real
ingest path (paged JSON combined as the HTTP extractor combines it), the indicators are rebuilt
and the checks run as of 2025-01-15 with the default thresholds of warehouse/demo/cchc.toml.
The one alert that must remain is the national fall of the localities' on-time rate from 92.36 %
in 2022 to 90.75 % in 2023; everything else (months, quarters, provinces, agencies, the other
rates, Lạng Sơn's two bases, 2024) must stay quiet.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from datetime import datetime
from pathlib import Path

import duckdb
import pytest
import vietnamadminunits

from warehouse.checks import CheckRun, run_checks
from warehouse.config import Config, load_config
from warehouse.db import open_writer
from warehouse.demo import provinces
from warehouse.demo.generate import DemoManifest, generate_demo
from warehouse.demo.server import PAGE_SIZE
from warehouse.ingest import FileResult, ingest_file
from warehouse.marts import refresh_marts
from warehouse.sources.json_pages import combine_json_pages

from conftest import cchc

DEMO = Path(provinces.__file__).parent
AS_OF = datetime(2025, 1, 15)
FETCHED = datetime(2025, 1, 14, 2, 0)  # the night before the checks: no portal is stale


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, DemoManifest]:
    root = tmp_path_factory.mktemp("demo") / "exports"
    return root, generate_demo(root)


@pytest.fixture(scope="module")
def loaded(
    demo: tuple[Path, DemoManifest], tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, list[FileResult], CheckRun]:
    root, manifest = demo
    work = tmp_path_factory.mktemp("warehouse")
    with pytest.MonkeyPatch.context() as env:  # the sources' URLs name ${CCHC_DEMO_URL}
        env.setenv("CCHC_DEMO_URL", "http://127.0.0.1:8765")
        config = demo_config(work, manifest)
    warehouse = work / "data" / "warehouse.duckdb"
    results = []
    with open_writer(warehouse) as con:
        for portal in manifest.portals:
            for file in portal.files:
                path = served_file(root / portal.code, file.name, file.format, work)
                results.append(
                    ingest_file(
                        con, path, config.portal(portal.code), data_dir=warehouse.parent,
                        source=f"{portal.code}/{file.name}", fetched_at=FETCHED,
                    )
                )  # fmt: skip
        refresh_marts(con)
        run = run_checks(con, config, now=AS_OF)
    return warehouse, results, run


def demo_config(work: Path, manifest: DemoManifest) -> Config:
    """The built-in configuration, which holds the demo portals and their sources."""
    del work, manifest
    return load_config(DEMO / "cchc.toml")


def served_file(folder: Path, name: str, fmt: str, work: Path) -> Path:
    """The file as the extractor saves it: a paged export becomes one combined document."""
    path = folder / name
    if fmt != "json-pages":
        return path
    records = json.loads(path.read_bytes())
    chunks = [records[i : i + PAGE_SIZE] for i in range(0, len(records), PAGE_SIZE)]
    pages = [
        json.dumps({"data": chunk, "page": n, "total_pages": len(chunks)}).encode()
        for n, chunk in enumerate(chunks, start=1)
    ]
    combined = work / f"{folder.name}-{Path(name).name}"
    combined.write_bytes(combine_json_pages(pages))
    return combined


def kpi(warehouse: Path, where: str) -> dict[tuple, float]:
    """{(sector or portal, metric, basis, year): value} of the year rows matching `where`."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = con.execute(
            "SELECT coalesce(portal_code, sector), metric, basis, year(period_start), value "
            f"FROM mart.kpi WHERE period_grain = 'year' AND {where}"
        ).fetchall()
    return {tuple(row[:4]): row[4] for row in rows}


def test_every_file_loads_whole(loaded: tuple[Path, list[FileResult], CheckRun]) -> None:
    _, results, _ = loaded
    assert len(results) == 86  # 83 report tables, 2 dossier lists and a catalogue
    for result in results:
        assert result.status == "loaded", result
        assert result.rows_rejected == 0, result
        assert result.rows_read == result.rows_loaded > 0, result
        assert result.warnings == [], result  # no unknown column, no totals row off


def test_exactly_one_alert_the_2023_fall(loaded: tuple[Path, list[FileResult], CheckRun]) -> None:
    warehouse, _, run = loaded
    with duckdb.connect(str(warehouse), read_only=True) as con:
        alerts = con.execute(
            "SELECT check_id, severity, sector, scope, metric, basis, period_grain, "
            "period_start, baseline_period_start, round(delta_pp, 2) "
            "FROM ops.alerts WHERE status = 'open'"
        ).fetchall()
    assert run.open_alerts == 1
    assert [row[:7] for row in alerts] == [
        ("regression_yoy", "warn", "locality", "nation", "on_time_rate", "report", "year")
    ]
    period, baseline, delta = alerts[0][7:]
    assert (period.isoformat(), baseline.isoformat(), delta) == ("2023-01-01", "2022-01-01", -1.61)


def test_the_readme_sequence_leaves_the_one_alert(
    loaded: tuple[Path, list[FileResult], CheckRun], tmp_path: Path
) -> None:
    """After the night's load, a plain `cchc checks` and `cchc report` (no --as-of: the demo's
    `[run] as_of`) keep exactly that one alert, and the report lists exactly it."""
    warehouse = tmp_path / "data" / "warehouse.duckdb"
    warehouse.parent.mkdir(parents=True)
    warehouse.write_bytes(loaded[0].read_bytes())
    code, output = cchc("checks", "--json", "--warehouse", str(warehouse))
    assert code == 0, output
    alerts = json.loads(output)
    assert [(a["check_id"], a["scope"], a["metric"], a["period_start"]) for a in alerts] == [
        ("regression_yoy", "nation", "on_time_rate", "2023-01-01")
    ]
    assert "năm 2023 so với năm 2022: 92,36% → 90,75%, giảm 1,61 điểm %" in alerts[0]["message"]
    out = tmp_path / "report.html"
    code, output = cchc("report", "--out", str(out), "--warehouse", str(warehouse))
    assert code == 0, output
    page = out.read_text(encoding="utf-8")
    falls = page[page.index('id="sut-giam"') : page.index('id="xep-hang"')]
    assert falls.count('<tr class="level-') == 1 and "90,75%" in falls
    ranking = page[page.index('id="xep-hang"') : page.index('id="canh-bao"')]
    assert "năm 2024" in ranking  # the latest fully covered year, every province with data
    assert ranking.count("/63</td>") >= 63


def test_national_figures(loaded: tuple[Path, list[FileResult], CheckRun]) -> None:
    warehouse, _, _ = loaded
    nation = kpi(warehouse, "scope = 'nation' AND basis = 'report'")
    on_time = {(s, y): round(v, 2) for (s, m, _, y), v in nation.items() if m == "on_time_rate"}
    assert on_time[("locality", 2022)] == 92.36
    assert on_time[("locality", 2023)] == 90.75
    assert on_time[("ministry", 2022)] == 46.80
    assert on_time[("ministry", 2023)] == 50.60
    assert on_time[("locality", 2024)] == 90.75  # 2024 repeats 2023
    online = {y: v for (s, m, _, y), v in nation.items() if s == "locality" and m == "online_rate"}
    assert 9.5 <= online[2022] <= 10.5
    assert round(online[2023], 1) == 37.4


def test_lang_son(loaded: tuple[Path, list[FileResult], CheckRun]) -> None:
    warehouse, _, _ = loaded
    h37 = kpi(warehouse, "scope = 'portal' AND portal_code = 'H37' AND year(period_start) = 2023")
    assert h37[("H37", "on_time_rate", "dossiers", 2023)] > 99
    assert round(h37[("H37", "online_rate", "dossiers", 2023)]) == 74
    assert round(h37[("H37", "full_process_share", "catalogue", 2023)], 1) == 71.6
    assert round(h37[("H37", "services_used_rate", "catalogue", 2023)]) == 92
    with duckdb.connect(str(warehouse), read_only=True) as con:
        services = con.execute(
            "SELECT count(*), count(*) FILTER (WHERE service_level = 'full') "
            "FROM core.fact_service WHERE portal_code = 'H37'"
        ).fetchone()
        gaps = con.execute(
            "SELECT max(abs(r.value - d.value)) FROM mart.kpi AS d JOIN mart.kpi AS r "
            "USING (scope, agency_nk, metric, period_grain, period_start) "
            "WHERE d.scope = 'agency' AND d.basis = 'dossiers' AND r.basis = 'report' "
            "AND d.denominator >= 100 AND r.denominator >= 100"
        ).fetchone()
    assert services == (1_503, 1_076)
    assert gaps[0] < 1.0  # the report rows are the aggregates of the same dossiers


def test_generation_is_deterministic(demo: tuple[Path, DemoManifest], tmp_path: Path) -> None:
    root, manifest = demo
    again = generate_demo(tmp_path / "exports")
    assert again == manifest
    assert digests(tmp_path / "exports") == digests(root)


def digests(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def test_config_entries_are_current(demo: tuple[Path, DemoManifest]) -> None:
    """The configuration names every demo portal; demo-portals.toml, while it exists beside
    cchc.toml, is exactly what the generator says it serves."""
    _, manifest = demo
    assert len(manifest.portals) == 83  # Lạng Sơn, the 62 other provinces, 20 ministries
    entries = DEMO / "demo-portals.toml"
    if entries.exists():
        assert entries.read_text(encoding="utf-8") == manifest.config_toml()
    else:  # merged into the built-in configuration
        configured = load_config(DEMO / "cchc.toml").portals
        assert {p.code for p in manifest.portals} <= configured.keys()


def test_provinces_are_those_of_2022_2024() -> None:
    """Codes and names match vietnamadminunits' legacy table (Huế: the name of the time)."""
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
