"""`cchc report`: one self-contained HTML page, read as text and opened in a real headless Chromium.

The page must open offline (no script, no stylesheet or font link, no address at all), speak
Vietnamese first with Vietnamese numbers, and draw every chart at a real size: the browser is
the only judge of the last point, so the test asks one and keeps its screenshot.
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

import pytest

from warehouse.db import open_writer
from warehouse.report import build_report

from conftest import ingest, query
from kpi_support import checks_config, load_years, refresh_and_check

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DOSSIER_HEADER = (
    "Mã hồ sơ;Mã TTHC;Cơ quan giải quyết;Ngày tiếp nhận;Ngày hẹn trả;Ngày có kết quả;"
    "Trạng thái;Hình thức nộp;Số hóa hồ sơ\n"
)


def load_dossiers(warehouse: Path, tmp_path: Path, portal: str, online_every: int) -> None:
    """Four dossiers a month over 2022–2023: online and digitised shares, and a month grain."""
    lines = []
    for y in (2022, 2023):
        for month in range(1, 13):
            for i in range(4):
                done = "25" if i == 0 and y == 2023 else "12"  # one late a month in 2023
                channel = "Trực tiếp" if i % online_every == 0 else "Trực tuyến"
                digitised = "Có" if i < 2 + (y == 2023) else "Không"
                lines.append(
                    f"{portal}-{y}{month:02d}-{i};1.1;Văn phòng UBND;05/{month:02d}/{y};"
                    f"20/{month:02d}/{y};{done}/{month:02d}/{y};Đã trả kết quả;"
                    f"{channel};{digitised}"
                )
    path = tmp_path / f"{portal}-dossiers.csv"
    path.write_text(DOSSIER_HEADER + "\n".join(lines) + "\n", encoding="utf-8")
    (result,) = ingest(warehouse, path, portal=checks_config().portal(portal))
    assert result.status == "loaded" and result.rows_rejected == 0, result


@pytest.fixture
def small_warehouse(warehouse: Path, tmp_path: Path) -> Path:
    """Two provinces and a ministry over two years; Lạng Sơn's on-time rate falls 1.61 points."""
    # 92.36 → 90.75: warn
    load_years(warehouse, tmp_path, "h37", "Sở Tư pháp", 10_000, {2022: 9_236, 2023: 9_075})
    load_years(
        warehouse, tmp_path, "h99", "Sở Xây dựng", 5_000, {2022: 4_900, 2023: 4_950}, portal="H99"
    )
    # 98.00 → 95.00: fail
    load_years(
        warehouse, tmp_path, "g01", "Cục Mẫu", 8_000, {2022: 7_840, 2023: 7_600}, portal="G01"
    )
    load_dossiers(warehouse, tmp_path, "H37", online_every=2)
    load_dossiers(warehouse, tmp_path, "H99", online_every=4)
    refresh_and_check(warehouse, checks_config(), datetime(2024, 1, 15))
    return warehouse


def section(html: str, anchor: str) -> str:
    start = html.index(f'id="{anchor}"')
    end = html.find('<section class="block"', start)
    return html[start : end if end >= 0 else len(html)]


def test_the_report_is_one_offline_page_in_vietnamese(
    small_warehouse: Path, tmp_path: Path
) -> None:
    names = checks_config().portal_names
    out = build_report(small_warehouse, tmp_path / "out" / "report.html", portal_names=names)
    html = out.read_text(encoding="utf-8")

    # self-contained: nothing to run, nothing to fetch, not even a namespace address
    for needle in ("<script", "<link", "url(http", "@import", "@font-face", "http://", "https://"):
        assert needle not in html.lower(), needle
    assert '<html lang="vi">' in html
    # national trends (year and month, whole periods only: a year counted to some day is not
    # drawn) and the three rankings
    assert html.count("<svg") >= 8

    # Vietnamese first, numbers the Vietnamese way, the fall named as the digests name it
    trends = section(html, "xu-huong")
    assert "Tỷ lệ hồ sơ giải quyết đúng và trước hạn" in trends and "On-time rate" in trends
    assert "Bộ ngành (theo báo cáo): 95,00%" in trends
    alerts = section(html, "canh-bao")
    assert "92,36% → 90,75%" in alerts and "giảm 1,61 điểm %" in alerts
    (open_alerts,) = query(small_warehouse, "SELECT count(*) FROM ops.alerts WHERE status = 'open'")
    assert f"Cảnh báo đang mở ({open_alerts[0]})" in alerts and open_alerts[0] > 0
    falls = section(html, "sut-giam")
    assert "98,00% → 95,00%" in falls and "8.000 → 8.000" in falls  # dot thousands

    # today's provinces ranked on the report basis: H99's (Lai Châu) 99,00% above Lạng Sơn's 90,75%
    ranking = re.sub(r"<svg.*?</svg>", "", section(html, "xep-hang"), flags=re.S)
    assert "Xếp hạng tỉnh năm 2023" in ranking
    assert ranking.index("Tỉnh Lai Châu") < ranking.index("Tỉnh Lạng Sơn")
    assert "99,00%" in ranking and "Tỷ lệ hồ sơ được số hóa" in ranking

    # a section per portal, locality portals first
    portals = section(html, "tung-cong")
    assert [portals.index(f'id="cong-{code}"') for code in ("H37", "H99", "G01")] == sorted(
        portals.index(f'id="cong-{code}"') for code in ("H37", "H99", "G01")
    )

    if not CHROMIUM.exists():
        pytest.skip(
            f"{CHROMIUM} is missing (CI installs Debian's chromium): browser checks skipped"
        )
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    console, page_errors, requests = [], [], []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.on("console", lambda message: console.append(message))
            page.on("pageerror", lambda error: page_errors.append(error))
            page.on("request", lambda request: requests.append(request.url))
            page.goto(out.as_uri(), wait_until="load")
            charts = page.locator("figure.chart > svg")
            assert charts.count() == html.count("<svg")
            for index in range(charts.count()):
                box = charts.nth(index).bounding_box()
                assert box is not None and box["width"] > 0 and box["height"] > 0, index
            # nothing wider than the window at 1280 px: the portal list wraps, tables fit
            assert page.evaluate("document.documentElement.scrollWidth") <= 1280
            # generous: a full-page capture of a long page is slow on a busy 2-core machine
            page.screenshot(path=str(ARTIFACTS / "report.png"), full_page=True, timeout=120_000)
        finally:
            browser.close()
    assert [m.text for m in console if m.type == "error"] == []
    assert page_errors == []
    assert requests == [out.as_uri()]  # the page itself, and nothing else
    assert (ARTIFACTS / "report.png").stat().st_size > 0


def test_an_empty_warehouse_gives_a_page_that_says_so(warehouse: Path, tmp_path: Path) -> None:
    with open_writer(warehouse):
        pass  # the schema only: no facts, no indicators were ever built
    html = build_report(warehouse, tmp_path / "empty.html").read_text(encoding="utf-8")
    assert "<svg" not in html
    assert "Kho chưa có chỉ số toàn quốc nào" in html
    assert "No open alerts." in html and "Chưa có cổng nào có số liệu năm." in html


def test_a_missing_warehouse_is_named(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="cchc ingest"):
        build_report(tmp_path / "nowhere.duckdb", tmp_path / "report.html")
    assert not (tmp_path / "report.html").exists()
