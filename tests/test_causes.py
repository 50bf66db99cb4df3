"""Why it fell: a regression alert's change split over its children, computed by hand here.

Two agencies of one portal report a year each; the portal's on-time rate R = Σ n / Σ d moves by
Δ = R1 − R0, which docs/warehouse.md splits per agency into rate, mix and interaction effects
(w = d / Σ d; an agency absent a year earlier takes r0 = R0, one absent now r1 = r0).
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from alert_support import alerts_of
from conftest import cchc, ingest, query
from kpi_support import checks_config, load_report, refresh_and_check, report_row

# case → {agency: ((resolved, on time) in 2022 or None, (resolved, on time) in 2023 or None)},
# and per agency the (rate, mix, interaction) effects worked out by hand
CASES = {
    "pure rate": (
        {"Sở A": ((1000, 900), (1000, 850)), "Sở B": ((1000, 800), (1000, 800))},
        {"Sở A": (-2.5, 0.0, 0.0), "Sở B": (0.0, 0.0, 0.0)},
    ),
    "pure mix": (
        {"Sở A": ((1000, 900), (500, 450)), "Sở B": ((1000, 800), (1500, 1200))},
        {"Sở A": (0.0, -1.25, 0.0), "Sở B": (0.0, -1.25, 0.0)},
    ),
    "both": (
        {"Sở A": ((1000, 900), (500, 400)), "Sở B": ((1000, 800), (1500, 1200))},
        {"Sở A": (-5.0, -1.25, 2.5), "Sở B": (0.0, -1.25, 0.0)},
    ),
    "a child appears": (
        {"Sở A": ((1000, 900), (1000, 900)), "Sở C": (None, (1000, 700))},
        {"Sở A": (0.0, 0.0, 0.0), "Sở C": (0.0, 0.0, -10.0)},
    ),
    "a child disappears": (
        {"Sở A": ((1000, 700), (1000, 700)), "Sở B": ((1000, 900), None)},
        {"Sở A": (0.0, -5.0, 0.0), "Sở B": (0.0, -5.0, 0.0)},
    ),
}


def causes_of(warehouse: Path, columns: str, where: str, order: str = "ALL") -> list[tuple]:
    """`columns` of the causes kept in ops.alert_causes (c) with their alerts (a), as
    alerts_of reads the alerts alone."""
    return query(
        warehouse,
        f"SELECT {columns} FROM ops.alert_causes AS c JOIN ops.alerts AS a USING (alert_id) "
        f"WHERE {where} ORDER BY {order}",
    )


def year(y: int) -> tuple[date, date]:
    return date(y, 1, 1), date(y, 12, 31)


def load_case(warehouse: Path, tmp_path: Path, case: str) -> dict:
    """The case's report rows loaded into portal H37, the checks run after 2023; its expected
    effects returned."""
    agencies, expected = CASES[case]
    rows = [
        report_row(name, *year(y), *counts)
        for name, sides in agencies.items()
        for y, counts in zip((2022, 2023), sides, strict=True)
        if counts is not None
    ]
    load_report(warehouse, tmp_path, "two", *rows)
    refresh_and_check(warehouse, checks_config(), datetime(2024, 1, 15))
    return expected


@pytest.mark.parametrize("case", CASES)
def test_each_effect_splits_a_two_agency_fall_as_computed_by_hand(
    case: str, warehouse: Path, tmp_path: Path
) -> None:
    expected = load_case(warehouse, tmp_path, case)
    (alert,) = alerts_of(
        warehouse,
        "alert_id, delta_pp, message_vi, message_en",
        "check_id = 'regression_yoy' AND scope = 'portal' AND metric = 'on_time_rate'",
    )
    alert_id, delta, message_vi, message_en = alert
    causes = causes_of(
        warehouse,
        "child_scope, child_name, rate_effect, mix_effect, interaction, contribution",
        f"alert_id = {alert_id}",
        order="child_name",
    )
    assert {c[0] for c in causes} == {"agency"}
    got = {name: tuple(round(e, 9) for e in effects) for _, name, *effects, _ in causes}
    assert got == expected
    # the three effects of every child add up to the alert's change, exactly
    assert abs(sum(c[5] for c in causes) - delta) < 1e-9
    assert all(abs(sum(c[2:5]) - c[5]) < 1e-12 for c in causes)
    # and the message says why, in both languages
    rate = sum(c[2] for c in causes)
    mix = sum(c[3] for c in causes)
    if abs(mix) > abs(rate):
        assert "chủ yếu do cơ cấu" in message_vi and "mostly mix" in message_en
    else:
        assert "chủ yếu do tỷ lệ" in message_vi and "mostly the units' own rates" in message_en


def test_the_nation_splits_over_today_s_provinces_and_an_agency_over_its_fields(
    warehouse: Path, tmp_path: Path
) -> None:
    """One level down at each step: nation → provinces, agency → fields (report rows by field)."""
    field_rows = [
        report_row("Sở Tư pháp", *year(2022), 1000, 950).replace(
            "Sở Tư pháp,", "Sở Tư pháp,Hộ tịch,"
        ),
        report_row("Sở Tư pháp", *year(2022), 1000, 850).replace(
            "Sở Tư pháp,", "Sở Tư pháp,Lý lịch,"
        ),
        report_row("Sở Tư pháp", *year(2023), 1000, 950).replace(
            "Sở Tư pháp,", "Sở Tư pháp,Hộ tịch,"
        ),
        report_row("Sở Tư pháp", *year(2023), 1000, 750).replace(
            "Sở Tư pháp,", "Sở Tư pháp,Lý lịch,"
        ),
    ]
    path = tmp_path / "fields.csv"
    path.write_text(
        "agency_name,field_name,period_from,period_to,resolved_total,resolved_early,"
        "resolved_on_time,resolved_late,pending_total,pending_in_time,pending_overdue\n"
        + "".join(field_rows),
        encoding="utf-8",
    )
    (result,) = ingest(warehouse, path)
    assert result.rows_loaded == 4, result
    refresh_and_check(warehouse, checks_config(), datetime(2024, 1, 15))
    causes = causes_of(
        warehouse,
        "a.scope, c.child_scope, c.child_code, round(c.contribution, 9)",
        "a.metric = 'on_time_rate' AND a.period_grain = 'year'",
    )
    assert causes == [
        ("agency", "field", "Hộ tịch", 0.0),  # held its 95 %
        ("agency", "field", "Lý lịch", -5.0),  # 85 % → 75 %, half the weight
        ("nation", "province", "20", -5.0),  # Lạng Sơn, today's province 20
        ("portal", "agency", "H37:name:sở tư pháp", -5.0),
    ]


def test_cchc_explain_shows_the_split_and_drills_one_level_down(
    warehouse: Path, tmp_path: Path
) -> None:
    load_case(warehouse, tmp_path, "both")
    ((nation_id,),) = alerts_of(
        warehouse, "alert_id", "scope = 'nation' AND metric = 'on_time_rate'"
    )
    code, out = cchc("explain", str(nation_id), "--warehouse", str(warehouse))
    assert code == 0, out
    assert "85,00% → 80,00%" in out and "Tỉnh Lạng Sơn" in out
    assert "effects add up to -5.000000000 points" in out
    # one level down: the province's agencies, with the hand-computed effects
    code, out = cchc(
        "explain", str(nation_id), "--drill", "20", "--json", "--warehouse", str(warehouse)
    )
    assert code == 0, out
    shown = json.loads(out)
    assert [step["child_code"] for step in shown["path"]] == ["20"]
    effects = {
        c["child_name"]: (round(c["rate_effect"], 9), round(c["mix_effect"], 9),
                          round(c["interaction"], 9))
        for c in shown["children"]
    }  # fmt: skip
    assert effects == CASES["both"][1]
    # an unknown child or alert is a clear error
    code, out = cchc("explain", str(nation_id), "--drill", "99", "--warehouse", str(warehouse))
    assert code == 1 and "--drill 99: not a child here (children: 20)" in out
    code, out = cchc("explain", "9999", "--warehouse", str(warehouse))
    assert code == 1 and "no alert 9999" in out


def test_the_report_shows_why_each_fall_happened(warehouse: Path, tmp_path: Path) -> None:
    from warehouse.report import build_report

    load_case(warehouse, tmp_path, "both")
    html = build_report(warehouse, tmp_path / "r.html", as_of=date(2024, 1, 15))
    falls = html.read_text(encoding="utf-8").split('id="sut-giam"')[1].split('id="xep-hang"')[0]
    # the portal's fall, split over its two agencies: in words, and as a chart of both
    assert "Nguyên nhân: chủ yếu do tỷ lệ của từng nơi" in falls
    assert "tỷ lệ giảm mạnh nhất ở Sở A (90,00% → 80,00%)" in falls
    charts = re.findall(r'<figure class="chart">.*?</figure>', falls, flags=re.S)
    assert any("Sở A" in c and "Sở B" in c and "<svg" in c for c in charts)


def test_a_digest_says_why_a_fall_happened(
    warehouse: Path, tmp_path: Path, httpserver: HTTPServer
) -> None:
    from warehouse.db import open_writer
    from warehouse.notify import notify_pending

    load_case(warehouse, tmp_path, "pure mix")
    httpserver.expect_request("/d", method="POST").respond_with_data("ok")
    with open_writer(warehouse) as con:
        url = f"json://127.0.0.1:{httpserver.port}/d?cto=2&rto=2"
        assert notify_pending(con, [url], now=datetime(2024, 1, 15, 3)).ok
    (request, _), *_ = httpserver.log
    body = json.loads(request.get_data(as_text=True))["message"]
    # the portal's fall: the dossiers moved to the slower agency (share 50 % → 75 %)
    assert "Nguyên nhân: chủ yếu do cơ cấu" in body and "Why: mostly mix" in body
    assert "hồ sơ dồn về Sở B (tỷ trọng 50,00% → 75,00%)" in body
    assert "dossiers moved to Sở B (share 50.00% → 75.00%)" in body
