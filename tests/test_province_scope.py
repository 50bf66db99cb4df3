"""Scope province: today's 34, each pooling the portals of the provinces it merged in 2025.

The pair of the issue: Hà Giang (02) and Tuyên Quang (08) became Tuyên Quang (08) on
1 July 2025. Their portals end on 30 June 2025 (`until`); the new province's portal starts on
1 July. A province is judged against the sum of its parts a year earlier, never against the
old Tuyên Quang alone.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

from warehouse.config import Config, Portal
from warehouse.report import build_report

from conftest import ingest, query
from kpi_support import REPORT_HEADER, checks_config, refresh_and_check, report_row

RETIRED = date(2025, 6, 30)
# (portal, name, GSO code of the time, until)
PORTALS = (
    ("T02", "Cổng dịch vụ công tỉnh Hà Giang", "02", RETIRED),
    ("T08", "Cổng dịch vụ công tỉnh Tuyên Quang (cũ)", "08", RETIRED),
    ("H60", "Cổng dịch vụ công tỉnh Tuyên Quang", "08", None),
)
# resolved, on time, and the pending stock (in time, overdue) at each month's end
HA_GIANG, OLD_TUYEN_QUANG = (1_000, 800, (60, 40)), (1_000, 950, (90, 10))


def merger_config() -> Config:
    base = checks_config()
    portals = {
        code: Portal(code=code, name=name, sector="locality", province_code=gso, until=until)
        for code, name, gso, until in PORTALS
    }
    return replace(base, portals=base.portals | portals)


def month(y: int, m: int) -> tuple[date, date]:
    end = date(y + m // 12, m % 12 + 1, 1)
    return date(y, m, 1), date.fromordinal(end.toordinal() - 1)


def load_months(warehouse: Path, tmp_path: Path, portal: str, months, counts) -> None:
    """One Sở Tư pháp report row a month, `counts` = (resolved, on time[, pending]) each month."""
    rows = "".join(report_row("Sở Tư pháp", *month(y, m), *counts) for y, m in months)
    path = tmp_path / f"{portal}.csv"
    path.write_text(REPORT_HEADER + rows, encoding="utf-8")
    (result,) = ingest(warehouse, path, portal=merger_config().portal(portal))
    assert result.status == "loaded" and result.rows_rejected == 0, result


def load_merger(warehouse: Path, tmp_path: Path, new_on_time: int) -> None:
    """2024 and the first half of 2025 from the old portals; from July the new one, whose
    volume is the sum of both and whose on-time count is `new_on_time` a month."""
    before = [(2024, m) for m in range(1, 13)] + [(2025, m) for m in range(1, 7)]
    load_months(warehouse, tmp_path, "T02", before, HA_GIANG)
    load_months(warehouse, tmp_path, "T08", before, OLD_TUYEN_QUANG)
    volume = HA_GIANG[0] + OLD_TUYEN_QUANG[0]
    stock = (HA_GIANG[2][0] + OLD_TUYEN_QUANG[2][0], HA_GIANG[2][1] + OLD_TUYEN_QUANG[2][1])
    load_months(
        warehouse,
        tmp_path,
        "H60",
        [(2025, m) for m in range(7, 13)],
        (volume, new_on_time, stock),
    )
    refresh_and_check(warehouse, merger_config(), datetime(2026, 1, 15))


def regression_alerts(warehouse: Path) -> list[tuple]:
    return query(
        warehouse,
        "SELECT scope, portal_code, province_code, period_grain, period_start::VARCHAR, "
        "round(baseline_value, 2), round(current_value, 2) FROM ops.alerts "
        "WHERE status = 'open' AND check_id = 'regression_yoy' AND metric = 'on_time_rate' "
        "ORDER BY ALL",
    )


def province_year(warehouse: Path, year: int) -> tuple:
    (row,) = query(
        warehouse,
        "SELECT province_name, numerator, denominator, round(value, 2), covered_from::VARCHAR, "
        "covered_to::VARCHAR FROM mart.kpi WHERE scope = 'province' AND province_code = '08' "
        "AND metric = 'on_time_rate' AND period_grain = 'year' AND period_start = ?",
        [date(year, 1, 1)],
    )
    return row


def test_a_merged_pair_whose_pooled_rate_holds_raises_nothing_across_2025(
    warehouse: Path, tmp_path: Path
) -> None:
    pooled = HA_GIANG[1] + OLD_TUYEN_QUANG[1]  # 1,750 of 2,000: 87.5 %, as in 2024
    load_merger(warehouse, tmp_path, new_on_time=pooled)
    # both years pool both old provinces; 2025 is whole: the old portals to June, the new after
    assert province_year(warehouse, 2024) == (
        "Tỉnh Tuyên Quang",
        12 * pooled,
        24_000,
        87.5,
        "2024-01-01",
        "2024-12-31",
    )
    assert province_year(warehouse, 2025) == (
        "Tỉnh Tuyên Quang",
        12 * pooled,
        24_000,
        87.5,
        "2025-01-01",
        "2025-12-31",
    )
    # the new portal alone (87.5 %) is never set against the old Tuyên Quang alone (95 %)
    assert regression_alerts(warehouse) == []
    # the Decision 766 rate adds the year-end stock: the new portal's, never also the June
    # stock the old portals handed over (the same dossiers)
    (rates,) = query(
        warehouse,
        "SELECT list(round(value, 4) ORDER BY period_start), list(denominator ORDER BY "
        "period_start) FROM mart.kpi WHERE scope = 'province' AND metric = 'on_time_rate_766' "
        "AND period_grain = 'year' AND basis = 'report'",
    )
    assert rates[0][0] == rates[0][1] and rates[1] == [24_200, 24_200]
    # and the retired portals owe nothing after their last day
    stale = query(warehouse, "SELECT portal_code FROM ops.alerts WHERE check_id = 'stale_portal'")
    assert not {code for (code,) in stale} & {"T02", "T08"}
    # the nation is measured on the whole year, not cut at the old portals' last day
    (nation,) = query(
        warehouse,
        "SELECT covered_to::VARCHAR FROM mart.kpi WHERE scope = 'nation' AND sector = 'locality' "
        "AND metric = 'on_time_rate' AND period_grain = 'year' AND period_start = '2025-01-01'",
    )
    assert nation == ("2025-12-31",)


def test_a_real_fall_after_the_merger_is_flagged_at_province_scope_on_the_pooled_baseline(
    warehouse: Path, tmp_path: Path
) -> None:
    load_merger(warehouse, tmp_path, new_on_time=1_690)  # 84.5 % from July: 3 points lower
    alerts = regression_alerts(warehouse)
    # the province (and the nation, which is all of it here); nothing at the new portal, which
    # has no year before, nor at the old ones, which held up to their last day
    assert {a[:3] for a in alerts} == {("province", None, "08"), ("nation", None, None)}
    # every month and quarter of the second half, and the year, against both old provinces
    # a year earlier (87.5 %)
    alerts = [a for a in alerts if a[0] == "province"]
    months = [a for a in alerts if a[3] == "month"]
    assert [a[4] for a in months] == [f"2025-{m:02d}-01" for m in range(7, 13)]
    assert {a[5:] for a in months} == {(87.5, 84.5)}
    (whole_year,) = [a for a in alerts if a[3] == "year"]
    assert whole_year[4:] == ("2025-01-01", 87.5, 86.0)
    (message,) = query(
        warehouse,
        "SELECT message_vi FROM ops.alerts WHERE scope = 'province' AND period_grain = 'year' "
        "AND metric = 'on_time_rate'",
    )
    assert "tỉnh Tuyên Quang" in message[0] and "87,50% → 86,00%" in message[0]
    # the report's falls name today's province, and rank it among today's provinces
    html = build_report(warehouse, tmp_path / "report.html", as_of=date(2026, 1, 15))
    html = html.read_text(encoding="utf-8")
    falls = html[html.index('id="sut-giam"') : html.index('id="xep-hang"')]
    assert "Tỉnh Tuyên Quang (địa giới nay)" in falls
    assert "Xếp hạng tỉnh năm 2025" in html


def test_one_province_one_portal_speaks_once_at_portal_scope(
    warehouse: Path, tmp_path: Path
) -> None:
    """A province that was never merged is its portal: one fall is one alert, not two."""
    load_months(warehouse, tmp_path, "H37", [(2024, m) for m in range(1, 13)], (1_000, 950))
    path = tmp_path / "fall.csv"
    later = "".join(report_row("Sở Tư pháp", *month(2025, m), 1_000, 900) for m in range(1, 13))
    path.write_text(REPORT_HEADER + later, encoding="utf-8")
    ingest(warehouse, path, portal=merger_config().portal("H37"))
    refresh_and_check(warehouse, merger_config(), datetime(2026, 1, 15))
    scopes = {a[0] for a in regression_alerts(warehouse)}
    assert scopes == {"agency", "portal", "nation"}
    (province,) = query(
        warehouse,
        "SELECT count(*) FROM mart.kpi WHERE scope = 'province' AND province_code = '20'",
    )
    assert province[0] > 0  # measured all the same, for the ranking of today's 34


def test_agencies_keep_the_province_of_the_time_and_today_s(
    warehouse: Path, tmp_path: Path
) -> None:
    load_merger(warehouse, tmp_path, new_on_time=1_750)
    rows = query(
        warehouse,
        "SELECT portal_code, province_code_at_source, province_code FROM core.dim_agency "
        "ORDER BY portal_code",
    )
    assert rows == [("H60", "08", "08"), ("T02", "02", "08"), ("T08", "08", "08")]
    portals = query(
        warehouse,
        "SELECT portal_code, portal_name, province_code_at_source, province_code, until "
        "FROM core.dim_portal WHERE portal_code IN ('T02', 'T08', 'H60') ORDER BY 1",
    )
    assert portals == [
        ("H60", "Cổng dịch vụ công tỉnh Tuyên Quang", "08", "08", None),
        ("T02", "Cổng dịch vụ công tỉnh Hà Giang", "02", "08", RETIRED),
        ("T08", "Cổng dịch vụ công tỉnh Tuyên Quang (cũ)", "08", "08", RETIRED),
    ]


def test_a_portal_that_absorbs_its_neighbour_is_judged_with_it_not_alone(
    warehouse: Path, tmp_path: Path
) -> None:
    """The old Tuyên Quang portal runs on for the merged province: from July it carries Hà
    Giang's work too, so its own rate (95 % → 87.5 %) is no fall; the province's is none."""
    before = [(2024, m) for m in range(1, 13)] + [(2025, m) for m in range(1, 7)]
    load_months(warehouse, tmp_path, "T02", before, HA_GIANG)
    rows = "".join(
        report_row("Sở Tư pháp", *month(y, m), *OLD_TUYEN_QUANG) for y, m in before
    ) + "".join(
        report_row(
            "Sở Tư pháp", *month(2025, m), 2_000, HA_GIANG[1] + OLD_TUYEN_QUANG[1], (150, 50)
        )
        for m in range(7, 13)
    )
    path = tmp_path / "T08.csv"
    path.write_text(REPORT_HEADER + rows, encoding="utf-8")
    config = merger_config()
    config = replace(
        config, portals=config.portals | {"T08": replace(config.portals["T08"], until=None)}
    )
    ingest(warehouse, path, portal=config.portal("T08"))
    refresh_and_check(warehouse, config, datetime(2026, 1, 15))
    assert province_year(warehouse, 2025)[3] == province_year(warehouse, 2024)[3] == 87.5
    # neither the portal nor its agencies are set against themselves alone across the merger
    assert regression_alerts(warehouse) == []


def test_a_floor_judges_the_merged_province_s_whole_year(warehouse: Path, tmp_path: Path) -> None:
    """In 2025 neither the old portals (to June) nor the new one (from July) covers the year:
    the province does, pooled from three portals, and a floor judges it."""
    load_merger(warehouse, tmp_path, new_on_time=1_750)
    floor = {"metric": "on_time_rate", "sector": "locality", "floor": 90.0, "severity": "warn"}
    config = replace(merger_config(), checks=checks_config(targets=[floor]).checks)
    refresh_and_check(warehouse, config, datetime(2026, 1, 15))
    below = query(
        warehouse,
        "SELECT scope, portal_code, province_code, year(period_start), round(current_value, 2) "
        "FROM ops.alerts WHERE check_id = 'target_floor' AND metric = 'on_time_rate' "
        "AND status = 'open' ORDER BY ALL",
    )
    assert below == [
        ("nation", None, None, 2024, 87.5),
        ("nation", None, None, 2025, 87.5),
        ("portal", "T02", None, 2024, 80.0),  # the old portals' own whole year
        ("province", None, "08", 2024, 87.5),
        ("province", None, "08", 2025, 87.5),
    ]
