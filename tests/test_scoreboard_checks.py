"""mart.scoreboard, the scoreboard rows of mart.kpi and the three checks that read them.

Each test loads the committed answers (tests/fixtures/scoreboard) as snapshots of given days,
changed where the test says so, and runs the real marts and checks.
"""

from __future__ import annotations

import copy
from datetime import date, datetime
from pathlib import Path

from scoreboard_support import (
    REQUESTS,
    YEAR_2026,
    answer,
    load_answer,
    scoreboard_config,
    write_answer,
)

from alert_support import alerts_of
from conftest import query
from kpi_support import load_january_dossiers, refresh_and_check

DAY1, DAY2, DAY3 = date(2026, 3, 2), date(2026, 3, 3), date(2026, 3, 4)


def evening(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 23, 0)


def provinces_moved(tmp_path: Path, name: str, moves: dict[str, dict[str, float]]) -> Path:
    """service-results with some provinces' group scores (and their totals) moved."""
    document = answer("service-results.json")
    for unit in document["data"]["evaluation"]:
        for group, by in moves.get(unit["departmentCode"], {}).items():
            unit["groupScores"][group] = round(unit["groupScores"][group] + by, 2)
            unit["totalScore"] = round(unit["totalScore"] + by, 2)
    folder = tmp_path / name
    folder.mkdir()
    return write_answer(folder / "service-results.json", document)


def test_ranks_share_ties_and_the_total_moves_from_the_previous_snapshot(
    warehouse: Path, tmp_path: Path
) -> None:
    load_answer(warehouse, "service-results.json", DAY1)
    load_answer(warehouse, provinces_moved(tmp_path, "d2", {"H37": {"CKMB": -2.1}}), DAY2)
    load_answer(warehouse, "dvc-progress-tree.json", DAY2)
    refresh_and_check(warehouse, scoreboard_config(), evening(DAY2))
    day1 = query(
        warehouse,
        "SELECT unit_code, total_score, rank, total_change FROM mart.scoreboard "
        "WHERE snapshot_date = ? AND unit_level IS NULL ORDER BY rank, unit_code",
        [DAY1],
    )
    # H14 and H60 tie on 75.50: both third, and the next rank is fifth
    assert day1 == [
        ("H15", 84.25, 1, None), ("H37", 82.7, 2, None), ("H14", 75.5, 3, None),
        ("H60", 75.5, 3, None), ("H29", 60.1, 5, None),
    ]  # fmt: skip
    day2 = query(
        warehouse,
        "SELECT unit_code, ckmb, total_score, rank, total_change FROM mart.scoreboard "
        "WHERE snapshot_date = ? AND unit_code IN ('H37', 'H15') ORDER BY unit_code",
        [DAY2],
    )
    assert day2 == [("H15", 15.8, 84.25, 1, 0.0), ("H37", 14.1, 80.6, 2, -2.1)]
    # a department has no published total and not all six groups: no total, no rank
    assert query(
        warehouse,
        "SELECT unit_type, unit_level, tdgq, total_score, rank, province_code "
        "FROM mart.scoreboard WHERE unit_code = 'H15.15'",
    ) == [(None, "PROVINCE", 19.5, None, None, "66")]
    # null is not 0: Hồ Chí Minh City keeps its published total and no satisfaction score
    assert query(
        warehouse, "SELECT mdhl, total_score FROM mart.scoreboard WHERE unit_code = 'H29' LIMIT 1"
    ) == [(None, 60.1)]


def drops(warehouse: Path) -> list[tuple]:
    columns = "agency_code, metric, severity, status, current_value, baseline_value, delta_pp"
    return alerts_of(warehouse, columns, "check_id = 'scoreboard_drop'", "agency_code, metric")


def test_a_score_that_fell_since_the_day_before_warns_or_fails(
    warehouse: Path, tmp_path: Path
) -> None:
    config = scoreboard_config()
    load_answer(warehouse, "service-results.json", DAY1)
    moved = {"H37": {"CKMB": -2.0}, "H15": {"TDGQ": -0.5}, "H60": {"MDHL": -0.49}}
    load_answer(warehouse, provinces_moved(tmp_path, "d2", moved), DAY2)
    refresh_and_check(warehouse, config, evening(DAY2))
    assert drops(warehouse) == [
        ("H15", "TDGQ", "warn", "open", 17.4, 17.9, -0.5),
        ("H15", "TOTAL", "warn", "open", 83.75, 84.25, -0.5),
        ("H37", "CKMB", "fail", "open", 14.2, 16.2, -2.0),
        ("H37", "TOTAL", "fail", "open", 80.7, 82.7, -2.0),
    ]  # 0.49 points is no drop
    columns = "message_vi, message_en, scope, basis, portal_code, period_grain"
    message = alerts_of(warehouse, columns, "agency_code = 'H15' AND metric = 'TDGQ'")
    assert message == [
        (
            "Điểm tiến độ giải quyết (TDGQ) — Tỉnh Đắk Lắk (H15) — năm 2026, ngày 03/03/2026 so "
            "với 02/03/2026: 17,90 → 17,40 điểm, giảm 0,50 điểm.",
            "Progress score (TDGQ) — Tỉnh Đắk Lắk (H15) — year 2026, on 3 Mar 2026 vs 2 Mar "
            "2026: 17.90 → 17.40 points, fell 0.50 points.",
            "unit",
            "scoreboard",
            "DVCQG",
            "year",
        )
    ]
    # judged as of the first day, nothing had fallen yet
    refresh_and_check(warehouse, config, evening(DAY1))
    assert {status for *_, status, _, _, _ in drops(warehouse)} == {"resolved"}
    # the next day holds the scores: the fall is not news any more
    load_answer(warehouse, provinces_moved(tmp_path, "d3", moved), DAY3)
    refresh_and_check(warehouse, config, evening(DAY3))
    open_drops = "status = 'open' AND check_id = 'scoreboard_drop'"
    assert alerts_of(warehouse, "count(*)", open_drops) == [(0,)]
    # the thresholds come from [checks]
    refresh_and_check(warehouse, scoreboard_config(scoreboard_drop_warn=0.4), evening(DAY2))
    assert ("H60", "MDHL") in {(a, m) for a, m, _, s, *_ in drops(warehouse) if s == "open"}


def test_a_published_score_that_its_own_counts_contradict_is_flagged(warehouse: Path) -> None:
    for name in ("dossier-digitized.json", "handling-satisfaction.json", "dvc-progress-tree.json"):
        load_answer(warehouse, name, DAY1)
    refresh_and_check(warehouse, scoreboard_config(), evening(DAY1))
    inconsistent = "check_id = 'scoreboard_inconsistent'"
    found = alerts_of(
        warehouse,
        "agency_code, metric, severity, current_value, round(baseline_value, 4), "
        "round(delta_pp, 4)",
        inconsistent,
    )
    # everything else agrees with the formula: full marks at 80% (REUSED_DIGITIZED_DATA: 60% is
    # 1.5 of 2 points, 83.33% the full 2), at 90% (DOSSIER_RECEIVING_SATISFACTION), 0/0 as 100%
    assert found == [
        ("H15.101", "TDGQ", "warn", 18.6, 18.0, 0.6),  # 3,600 of 4,000 on time: 18.00 points
        ("H15.15", "SO_HOA_GIAY_TO_GIAI_QUYET", "warn", 3.2, 2.8, 0.4),  # 70% of 4 points
    ]
    (message,) = alerts_of(warehouse, "message_en", f"{inconsistent} AND agency_code = 'H15.15'")[0]
    assert message == (
        "Dossiers digitised score (SO_HOA_GIAY_TO_GIAI_QUYET) — Sở Tư pháp tỉnh Đắk Lắk "
        "(H15.15) — year 2026, on 2 Mar 2026: published 3.20 points, its own counts give "
        "(700/1,000, full marks from 100%, 4.00 points) 2.80 points."
    )


def test_a_score_off_by_the_tolerance_only_is_not_flagged(warehouse: Path, tmp_path: Path) -> None:
    document = answer("dvc-progress-tree.json")
    document["data"]["children"][2]["score"] = 18.01  # 0.01 from 18.00: within the tolerance
    load_answer(warehouse, write_answer(tmp_path / "dvc-progress-tree.json", document), DAY1)
    refresh_and_check(warehouse, scoreboard_config(), evening(DAY1))
    flagged = "check_id = 'scoreboard_inconsistent'"
    assert alerts_of(warehouse, "agency_code", flagged) == []
    refresh_and_check(warehouse, scoreboard_config(scoreboard_tolerance=0.005), evening(DAY1))
    assert alerts_of(warehouse, "agency_code", f"{flagged} AND status = 'open'") == [("H15.101",)]


def test_the_scoreboards_ratios_are_indicators_of_todays_provinces(
    warehouse: Path, tmp_path: Path
) -> None:
    after_2026 = date(2027, 1, 5)
    for name in ("dvc-progress-tree.json", "dossier-digitized.json"):
        load_answer(warehouse, name, after_2026)
    load_answer(warehouse, "formality-online-payment-tree.json", date(2026, 6, 16))  # in 2026
    # 2027 falls far below 2026: a stated ratio is never compared year on year
    worse = answer("dvc-progress-tree.json")
    worse["data"]["parent"] |= {"ratio": 60.0, "totalOnTime": 72000, "totalScore": 12.0}
    folder = tmp_path / "2027"
    folder.mkdir()
    path = write_answer(folder / "dvc-progress-tree.json", worse)
    load_answer(warehouse, path, date(2028, 1, 3), REQUESTS[path.name] | {"year": 2027})
    refresh_and_check(warehouse, scoreboard_config(), datetime(2028, 1, 4))
    rows = query(
        warehouse,
        "SELECT sector, scope, province_code, province_name, period_start, metric, numerator, "
        "denominator, round(value, 2), covered_from, covered_to, portals, portal_code "
        "FROM mart.kpi WHERE basis = 'scoreboard' ORDER BY period_start, metric",
    )
    year = (date(2026, 1, 1), date(2026, 12, 31))
    assert rows == [
        ("locality", "province", "66", "Tỉnh Đắk Lắk", year[0], "digitized_rate", 51000, 60000,
         85.0, *year, None, None),
        ("locality", "province", "66", "Tỉnh Đắk Lắk", year[0], "e_result_rate", 54000, 60000,
         90.0, *year, None, None),
        ("locality", "province", "66", "Tỉnh Đắk Lắk", year[0], "on_time_rate_766", 107400,
         120000, 89.5, *year, None, None),
        # the payment ratio is not stated: its counts give it; snapshot of 16 June: to 15 June
        ("locality", "province", "66", "Tỉnh Đắk Lắk", year[0], "online_payment_rate", 23320,
         26800, 87.01, year[0], date(2026, 6, 15), None, None),
        ("locality", "province", "66", "Tỉnh Đắk Lắk", date(2027, 1, 1), "on_time_rate_766",
         72000, 120000, 60.0, date(2027, 1, 1), date(2027, 12, 31), None, None),
    ]  # fmt: skip
    compared = "SELECT count(*) FROM mart.kpi_yoy WHERE basis = 'scoreboard'"
    assert query(warehouse, compared) == [(0,)]
    assert alerts_of(warehouse, "count(*)", "check_id = 'regression_yoy'") == [(0,)]


def test_a_province_whose_code_stood_for_less_before_the_merger_gives_no_indicator(
    warehouse: Path,
) -> None:
    """Đắk Lắk (66) took in Phú Yên on 1 July 2025: its code's 2025 answers spoke for less."""
    load_answer(warehouse, "dvc-progress-tree.json", date(2026, 1, 5), YEAR_2026 | {"year": 2025})
    refresh_and_check(warehouse, scoreboard_config(), datetime(2026, 1, 6))
    assert query(warehouse, "SELECT count(*) FROM mart.kpi WHERE basis = 'scoreboard'") == [(0,)]
    assert query(warehouse, "SELECT count(*) FROM mart.scoreboard") == [(4,)]


def test_the_national_on_time_ratio_against_the_provinces_own_dossiers(
    warehouse: Path, tmp_path: Path
) -> None:
    load_january_dossiers(warehouse, tmp_path)  # Lạng Sơn's own: 190 of 200 on time, 95.0%
    tree = copy.deepcopy(answer("dvc-progress-tree.json"))
    tree["data"]["parent"] |= {
        "departmentCode": "H37", "departmentName": "UBND tỉnh Lạng Sơn", "totalReceived": 200,
        "totalOnTime": 198, "ratio": 99.0, "totalScore": 19.8,
    }  # fmt: skip
    tree["data"]["children"] = []
    month = {"timeType": "month", "year": 2023, "month": 1}
    load_answer(warehouse, write_answer(tmp_path / "tree.json", tree), date(2023, 2, 5), month)
    refresh_and_check(warehouse, scoreboard_config(), datetime(2023, 2, 10))
    found = alerts_of(
        warehouse,
        "scope, province_code, metric, basis, period_grain, current_value, baseline_value, "
        "message_en",
        "check_id = 'basis_disagreement'",
    )
    assert found == [
        (
            "province", "20", "on_time_rate_766", "scoreboard", "month", 99.0, 95.0,
            "On-time (Decision 766) — localities, Lạng Sơn province — month 01/2023: "
            "national portal 99.00%, dossiers 95.00%.",
        )
    ]  # fmt: skip
