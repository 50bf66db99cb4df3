"""The report's national scoreboard: the provinces of the latest snapshot ranked by total score
(competition ranks: equal totals share a rank, the next one skips), their six groups and the
movement since the snapshot before ("—" for a province first seen that day); a note when the
warehouse holds no scoreboard. The page still fits 1280 px in a real Chromium."""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path

import pytest
from scoreboard_support import answer, load_answer, scoreboard_config, write_answer
from test_report import CHROMIUM, CHROMIUM_ARGS, section

from warehouse.db import open_writer
from warehouse.report import build_report

from kpi_support import refresh_and_check

DAY_1, DAY_2 = date(2026, 8, 13), date(2026, 8, 14)


def _two_snapshots(warehouse: Path, tmp_path: Path) -> None:
    """Day 1 without Hồ Chí Minh; day 2 with it, Đắk Lắk up 0.35 and Lạng Sơn down 0.2."""
    first = answer("service-results.json")
    first["data"]["evaluation"] = [
        e for e in first["data"]["evaluation"] if e["departmentCode"] != "H29"
    ]
    second = answer("service-results.json")
    for unit in second["data"]["evaluation"]:
        moved = {"H15": (0.35, "CKMB"), "H37": (-0.2, "TDGQ")}.get(unit["departmentCode"])
        if moved:
            unit["totalScore"] = round(unit["totalScore"] + moved[0], 2)
            unit["groupScores"][moved[1]] = round(unit["groupScores"][moved[1]] + moved[0], 2)
    for day, document in ((DAY_1, first), (DAY_2, second)):
        path = write_answer(tmp_path / f"service-results-{day}.json", document)
        load_answer(warehouse, path, day, {"timeType": "year", "year": 2026,
                                           "departmentType": "ADMINISTRATIVE_UNIT"})  # fmt: skip
    refresh_and_check(warehouse, scoreboard_config(), datetime(2026, 8, 14, 23))


def _rows(html: str) -> list[list[str]]:
    table = section(html, "xep-hang-qg")
    body = table[table.index("<tbody>") : table.index("</tbody>")]
    return [
        [
            " ".join(re.sub(r"<[^>]+>", " ", cell).split())
            for cell in re.findall(r"<td.*?</td>", row)
        ]
        for row in re.findall(r"<tr>.*?</tr>", body, flags=re.S)
    ]


def test_the_provinces_are_ranked_with_their_groups_and_movement(
    warehouse: Path, tmp_path: Path
) -> None:
    _two_snapshots(warehouse, tmp_path)
    out = build_report(warehouse, tmp_path / "report.html", as_of=DAY_2)
    html = out.read_text(encoding="utf-8")
    part = section(html, "xep-hang-qg")
    assert "Bảng xếp hạng quốc gia (QĐ 766)" in part and "National scoreboard" in part
    assert "chụp ngày 14/08/2026" in part and "Tiến độ giải quyết (20)" in part
    rows = _rows(html)
    # rank, code (below the name), movement (English below it)
    assert [(r[0], r[1].split()[-1], r[-1].split()[0]) for r in rows] == [
        ("1/5", "H15", "+0,35"),
        ("2/5", "H37", "−0,20"),
        ("3/5", "H14", "0"),
        ("3/5", "H60", "0"),  # a tie shares its rank, the next one skips
        ("5/5", "H29", "—"),  # first seen that day
    ]
    assert rows[0][2:4] == ["84,60", "16,15"]  # total, CKMB: the Vietnamese way
    assert rows[0][-1] == "+0,35 +0.35 points" and rows[-1][8] == "—"  # MDHL left null
    for needle in ("<script", "<link", "http://", "https://"):
        assert needle not in html.lower(), needle

    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: the width check is skipped")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(out.as_uri(), wait_until="load")
            assert page.evaluate("document.documentElement.scrollWidth") <= 1280
        finally:
            browser.close()


def test_without_a_scoreboard_the_section_says_so(warehouse: Path, tmp_path: Path) -> None:
    with open_writer(warehouse):
        pass
    html = build_report(warehouse, tmp_path / "empty.html").read_text(encoding="utf-8")
    part = section(html, "xep-hang-qg")
    assert "Chưa có số liệu Bộ chỉ số phục vụ" in part and "<table" not in part
