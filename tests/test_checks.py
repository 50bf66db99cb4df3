"""Checks and the alert lifecycle, at the boundaries the contract sets."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from warehouse.clock import vietnam_now
from warehouse.db import open_writer

from alert_support import alerts_of
from conftest import EXPORTS, ingest, table_contents
from kpi_support import (
    checks_config,
    load_january_dossiers,
    load_report,
    load_years,
    refresh_and_check,
    report_row,
)

Y2022 = (date(2022, 1, 1), date(2022, 12, 31))
Y2023 = (date(2023, 1, 1), date(2023, 12, 31))
AFTER_2023 = datetime(2024, 1, 15)


def nation_year_alerts(warehouse: Path) -> list[tuple]:
    return alerts_of(
        warehouse,
        "severity, status, round(delta_pp, 6), baseline_period_start::VARCHAR",
        "check_id = 'regression_yoy' AND scope = 'nation' AND period_grain = 'year' "
        "AND metric = 'on_time_rate'",
    )


@pytest.mark.parametrize(
    ("on_time_2023", "expected"),
    [
        (9001, []),  # 91.00 → 90.01: a fall of 0.99 points does not warn
        (9000, [("warn", "open", -1.0, "2022-01-01")]),  # exactly 1.00 warns
        (8939, [("warn", "open", -1.61, "2022-01-01")]),  # the 2023 story: −1.61
        (8801, [("warn", "open", -2.99, "2022-01-01")]),
        (8800, [("fail", "open", -3.0, "2022-01-01")]),  # exactly 3.00 fails
    ],
)
def test_year_on_year_fall_thresholds(
    on_time_2023: int, expected: list, warehouse: Path, tmp_path: Path
) -> None:
    load_years(warehouse, tmp_path, "years", "Sở A", 10_000, {2022: 9_100, 2023: on_time_2023})
    refresh_and_check(warehouse, checks_config(), AFTER_2023)
    assert nation_year_alerts(warehouse) == expected


def test_denominators_under_100_never_fire(warehouse: Path, tmp_path: Path) -> None:
    # a 49-point fall, but on 99 dossiers
    load_years(warehouse, tmp_path, "small", "Sở A", 99, {2022: 99, 2023: 50})
    refresh_and_check(warehouse, checks_config(), AFTER_2023)
    assert alerts_of(warehouse, "count(*)", "check_id = 'regression_yoy'") == [(0,)]


def month_row(year: int, month: int, on_time: int) -> str:
    end = date(year, month + 1, 1).toordinal() - 1 if month < 12 else date(year, 12, 31).toordinal()
    return report_row("Sở A", date(year, month, 1), date.fromordinal(end), 1_000, on_time)


def test_a_month_is_compared_with_the_same_month_a_year_earlier(
    warehouse: Path, tmp_path: Path
) -> None:
    load_report(
        warehouse,
        tmp_path,
        "months",
        month_row(2022, 1, 950),  # January 2022: 95.0%
        month_row(2022, 12, 990),  # December 2022: 99.0%
        month_row(2023, 1, 945),  # January 2023: 94.5%, 4.5 below December but 0.5 below Jan 2022
        month_row(2022, 2, 960),
        month_row(2023, 2, 930),  # February 2023: 3.0 points below February 2022
    )
    refresh_and_check(warehouse, checks_config(), datetime(2023, 3, 5))
    alerts = alerts_of(
        warehouse,
        "period_start::VARCHAR, baseline_period_start::VARCHAR, severity",
        "check_id = 'regression_yoy' AND scope = 'nation' AND period_grain = 'month' "
        "AND metric = 'on_time_rate'",
    )
    assert alerts == [("2023-02-01", "2022-02-01", "fail")]


def test_rates_where_lower_is_better_fire_when_they_rise(warehouse: Path, tmp_path: Path) -> None:
    load_report(
        warehouse,
        tmp_path,
        "overdue",
        report_row("Sở A", *Y2022, 1_000, 950, pending=(950, 50)),  # 5% of pending overdue
        report_row("So A".replace("o", "ở"), *Y2023, 1_000, 950, pending=(930, 70)),  # 7%
    )
    refresh_and_check(warehouse, checks_config(), AFTER_2023)
    where = "metric = 'overdue_pending_rate' AND scope = 'nation' AND period_grain = 'year'"
    rows = alerts_of(warehouse, "severity, round(delta_pp, 6)", where)
    assert rows == [("warn", 2.0)]


def test_targets_are_floors_per_metric_and_sector(warehouse: Path, tmp_path: Path) -> None:
    load_report(warehouse, tmp_path, "y", report_row("Sở A", *Y2023, 1_000, 940))
    config = checks_config(
        targets=[{"metric": "on_time_rate", "sector": "locality", "floor": 95.0}]
    )
    refresh_and_check(warehouse, config, AFTER_2023)
    rows = alerts_of(
        warehouse, "scope, severity, current_value, baseline_value", "check_id = 'target_floor'"
    )
    assert rows == [("nation", "warn", 94.0, 95.0), ("portal", "warn", 94.0, 95.0)]


def on_time_alerts(warehouse: Path) -> list[tuple]:
    where = "check_id = 'regression_yoy' AND metric = 'on_time_rate'"
    return alerts_of(warehouse, "alert_id, scope, severity, status", where, order="alert_id")


def test_alert_lifecycle_open_rerun_escalate_resolve(warehouse: Path, tmp_path: Path) -> None:
    load_years(warehouse, tmp_path, "v1", "Sở A", 10_000, {2022: 9_236, 2023: 9_075})  # −1.61: warn
    first = refresh_and_check(warehouse, checks_config(), AFTER_2023)
    opened = on_time_alerts(warehouse)
    assert {a[0] for a in opened} <= set(first.opened_ids)  # the run names what it opened
    assert len(first.opened_ids) == first.opened
    assert [(scope, sev, st) for _, scope, sev, st in opened] == [
        ("agency", "warn", "open"),
        ("nation", "warn", "open"),
        ("portal", "warn", "open"),
    ]
    before = dict(table_contents(warehouse))["ops.alerts"]

    again = refresh_and_check(warehouse, checks_config(), AFTER_2023.replace(hour=4))
    assert (again.opened, again.escalated, again.resolved) == (0, 0, 0)
    assert dict(table_contents(warehouse))["ops.alerts"] == before  # the same night: no change

    load_report(warehouse, tmp_path, "v2", report_row("Sở A", *Y2023, 10_000, 8_900))  # −3.36
    escalation = refresh_and_check(warehouse, checks_config(), datetime(2024, 2, 15))
    worse = on_time_alerts(warehouse)
    assert [a[0] for a in worse] == [a[0] for a in opened]  # the same alerts, escalated
    assert {(sev, st) for _, _, sev, st in worse} == {("fail", "open")}
    assert escalation.escalated == 6  # on_time_rate and on_time_rate_766, three scopes each

    load_report(warehouse, tmp_path, "v3", report_row("Sở A", *Y2023, 10_000, 9_200))  # −0.36
    recovery = refresh_and_check(warehouse, checks_config(), datetime(2024, 3, 15))
    assert recovery.escalated == 0 and recovery.resolved == 6
    fixed = on_time_alerts(warehouse)
    assert {a[0] for a in fixed} <= set(recovery.resolved_ids)
    assert len(recovery.resolved_ids) == 6 and not recovery.opened_ids
    assert [a[0] for a in fixed] == [a[0] for a in opened]
    assert {st for *_, st in fixed} == {"resolved"}
    resolved_on = alerts_of(
        warehouse, "DISTINCT resolved_at::DATE::VARCHAR", "metric = 'on_time_rate'"
    )
    assert resolved_on == [("2024-03-15",)]


def agency_alerts(warehouse: Path) -> list[tuple]:
    where = "check_id = 'regression_yoy' AND scope = 'agency'"
    return alerts_of(warehouse, "alert_id, status, agency_code, agency_nk", where, order="alert_id")


def test_an_agency_alert_names_the_unit_code_and_the_identity_apart(
    warehouse: Path, tmp_path: Path
) -> None:
    """An agency without a unit code has a null agency_code and its key in agency_nk; an alert
    kept before agency_nk existed (the key in agency_code) stays the same alert."""
    load_years(warehouse, tmp_path, "v1", "Sở A", 10_000, {2022: 9_236, 2023: 9_075})
    refresh_and_check(warehouse, checks_config(), AFTER_2023)
    opened = agency_alerts(warehouse)
    assert opened and all(
        st == "open" and code is None and key == "H37:name:sở a" for _, st, code, key in opened
    )
    with open_writer(warehouse) as con:  # as an older version kept them
        con.execute("UPDATE ops.alerts SET agency_code = agency_nk, agency_nk = NULL")
    again = refresh_and_check(warehouse, checks_config(), AFTER_2023.replace(hour=4))
    assert (again.opened, again.resolved) == (0, 0)
    assert agency_alerts(warehouse) == opened


def test_report_and_dossier_bases_that_disagree_are_flagged(
    warehouse: Path, tmp_path: Path
) -> None:
    load_january_dossiers(warehouse, tmp_path)  # 190 of 200 on time: 95.0%
    load_report(
        warehouse,
        tmp_path,
        "jan",
        report_row("Sở A", date(2023, 1, 1), date(2023, 1, 31), 200, 198),  # 99.0%
    )
    refresh_and_check(warehouse, checks_config(), datetime(2023, 2, 10))
    rows = alerts_of(
        warehouse,
        "period_grain, current_value, baseline_value",
        "check_id = 'basis_disagreement' AND metric = 'on_time_rate'",
    )
    assert ("month", 99.0, 95.0) in rows


def test_data_checks_on_files_and_portals(warehouse: Path) -> None:
    ingest(
        warehouse,
        EXPORTS / "report_html_split_bcci.xls",  # totals row that does not add up, 1 of 8 rejected
        EXPORTS / "dossiers_semicolon_bom.csv",  # clean
    )
    now = vietnam_now()  # files are stamped in Vietnam time, so the checks judge in it too
    refresh_and_check(warehouse, checks_config(), now)
    found = alerts_of(warehouse, "check_id, portal_code, subject IS NOT NULL")
    assert ("totals_mismatch", "H37", True) in found
    assert ("reject_share", "H37", True) in found
    assert ("stale_portal", "H99", False) in found  # configured, never delivered
    assert ("stale_portal", "H37", False) not in found  # delivered just now
    later = refresh_and_check(warehouse, checks_config(), datetime(now.year + 1, 1, 1))
    stale = alerts_of(warehouse, "status", "check_id = 'reject_share'")
    assert stale == [("resolved",)] and later.resolved >= 2  # old files are no longer news


def test_a_month_with_half_the_dossiers_of_a_year_earlier_is_flagged(
    warehouse: Path, tmp_path: Path
) -> None:
    header = "Mã hồ sơ;Mã TTHC;Cơ quan giải quyết;Ngày tiếp nhận;Ngày hẹn trả\n"
    lines = [f"A{i};1.1;Sở A;{1 + i % 28:02d}/03/2022;28/03/2022" for i in range(300)]
    lines += [f"B{i};1.1;Sở A;10/03/2023;20/03/2023" for i in range(149)]
    path = tmp_path / "dossiers.csv"
    path.write_text(header + "\n".join(lines) + "\n", encoding="utf-8")
    # exported at the end of March 2023: the month is covered, its dossiers are just fewer
    ingest(warehouse, path, exported_on=date(2023, 3, 31))
    refresh_and_check(warehouse, checks_config(), datetime(2023, 4, 2))
    rows = alerts_of(
        warehouse,
        "period_start::VARCHAR, current_value, baseline_value",
        "check_id = 'received_drop'",
    )
    assert rows == [("2023-03-01", 149.0, 300.0)]
