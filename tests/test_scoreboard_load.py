"""The fourth kind: national scoreboard answers (Decision 766) into core.fact_scorecard.

The answers are the committed ones (tests/fixtures/scoreboard), in the shapes the contract gives:
service-results for the provinces, list and tree answers for one unit and its children with
their differing key names; variations are made from them in tmp_path.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from scoreboard_support import (
    ANSWERS,
    H15,
    NATIONAL,
    REQUESTS,
    answer,
    load_answer,
    write_answer,
)

from conftest import cchc, ingest, query

CONTRACT_COLUMNS = [
    "unit_id", "unit_code", "unit_name", "unit_type", "unit_level", "parent_unit_code",
    "province_code", "period_grain", "period_start", "period_end", "snapshot_date", "group_code",
    "metric_code", "numerator", "denominator", "ratio", "score", "max_score", "file_id",
    "source_row",
]  # fmt: skip
DAY = date(2026, 3, 2)


def facts(warehouse: Path, where: str = "true") -> list[tuple]:
    return query(
        warehouse,
        "SELECT unit_code, group_code, metric_code, numerator, denominator, ratio, score, "
        f"max_score FROM core.fact_scorecard WHERE {where} "
        "ORDER BY unit_code, group_code, metric_code NULLS FIRST",
    )


def test_the_fact_table_has_exactly_the_contracts_columns(warehouse: Path) -> None:
    load_answer(warehouse, "service-results.json", DAY)
    columns = query(
        warehouse,
        "SELECT column_name FROM duckdb_columns() WHERE schema_name = 'core' "
        "AND table_name = 'fact_scorecard' ORDER BY column_index",
    )
    assert [c for (c,) in columns] == CONTRACT_COLUMNS


def test_service_results_load_each_provinces_total_and_groups(warehouse: Path) -> None:
    result = load_answer(warehouse, "service-results.json", DAY)
    assert (result.status, result.kind, result.format) == ("loaded", "scoreboard", "json")
    assert (result.rows_read, result.rows_loaded, result.rows_rejected) == (5, 5, 0)
    h15 = facts(warehouse, "unit_code = 'H15'")
    assert [(g, s) for _, g, _, _, _, _, s, _ in h15] == [
        ("CKMB", 15.8), ("CLGQ", 10.1), ("MDHL", 16.95), ("MDSH", 16.9), ("TDGQ", 17.9),
        ("TOTAL", 84.25), ("TTTT", 6.6),
    ]  # fmt: skip
    # null is not 0: Hồ Chí Minh City's satisfaction score is published as null
    assert facts(warehouse, "unit_code = 'H29' AND group_code = 'MDHL'") == [
        ("H29", "MDHL", None, None, None, None, None, None)
    ]
    rows = query(
        warehouse,
        "SELECT DISTINCT unit_code, unit_type, province_code, period_grain, period_start, "
        "period_end, snapshot_date, source_row FROM core.fact_scorecard ORDER BY source_row",
    )
    assert rows == [
        ("H15", "ADMINISTRATIVE_UNIT", "66", "year", date(2026, 1, 1), date(2026, 12, 31), DAY, 1),
        ("H37", "ADMINISTRATIVE_UNIT", "20", "year", date(2026, 1, 1), date(2026, 12, 31), DAY, 2),
        ("H14", "ADMINISTRATIVE_UNIT", "04", "year", date(2026, 1, 1), date(2026, 12, 31), DAY, 3),
        ("H60", "ADMINISTRATIVE_UNIT", "08", "year", date(2026, 1, 1), date(2026, 12, 31), DAY, 4),
        ("H29", "ADMINISTRATIVE_UNIT", "79", "year", date(2026, 1, 1), date(2026, 12, 31), DAY, 5),
    ]


def test_a_tree_answer_reads_both_key_spellings_and_keeps_nulls(warehouse: Path) -> None:
    result = load_answer(warehouse, "dvc-progress-tree.json", DAY)
    assert (result.rows_read, result.rows_loaded, result.rows_rejected) == (4, 4, 0)
    assert facts(warehouse) == [
        # the parent's totalScore/totalMaxScore, the children's score/maxScore
        ("H15", "TDGQ", None, 107400.0, 120000.0, 89.5, 17.9, 20.0),
        ("H15.100", "TDGQ", None, 0.0, 0.0, None, None, 20.0),  # nothing received: no score
        ("H15.101", "TDGQ", None, 3600.0, 4000.0, 90.0, 18.6, 20.0),
        ("H15.15", "TDGQ", None, 1950.0, 2000.0, 97.5, 19.5, 20.0),
    ]
    units = query(
        warehouse,
        "SELECT unit_code, unit_level, parent_unit_code, province_code, unit_id "
        "FROM core.fact_scorecard ORDER BY source_row",
    )
    assert units == [
        ("H15", None, None, "66", H15),
        ("H15.15", "PROVINCE", "H15", "66", "0190a1c2-5b7e-7c11-9d2e-15b000000015"),
        # its answer says departmentLevel, the others level
        ("H15.100", "COMMUNE", "H15", "66", "0190a1c2-5b7e-7c11-9d2e-15c000000100"),
        ("H15.101", "COMMUNE", "H15", "66", "0190a1c2-5b7e-7c11-9d2e-15c000000101"),
    ]  # fmt: skip


def test_the_payment_tree_keeps_its_dossier_ratio_as_a_metric(warehouse: Path) -> None:
    load_answer(warehouse, "formality-online-payment-tree.json", DAY)
    assert facts(warehouse, "unit_code = 'H15'") == [
        ("H15", "TTTT", None, None, None, 66.0, 6.6, 10.0),
        ("H15", "TTTT", "DOSSIER_ONLINE_PAYMENT", 23320.0, 26800.0, None, None, None),
    ]
    # zero is zero, not null: the commune published 0 points on no dossiers with a fee
    assert facts(warehouse, "unit_code = 'H15.100' AND metric_code IS NULL") == [
        ("H15.100", "TTTT", None, None, None, 0.0, 0.0, 10.0)
    ]


def test_a_list_answer_loads_its_metrics_and_a_root_without_a_code(warehouse: Path) -> None:
    load_answer(warehouse, "dossier-digitized.json", DAY)
    rows = facts(warehouse, "unit_code = 'H15.15'")
    assert rows[0] == ("H15.15", "MDSH", None, None, None, 58.64, 12.9, 22.0)  # totalMaxScore
    assert ("H15.15", "MDSH", "SO_HOA_GIAY_TO_GIAI_QUYET", 700.0, 1000.0, 70.0, 3.2, 4.0) in rows
    formality = facts(warehouse, "metric_code = 'CITIZEN_DATA_CONNECTED_FORMALITY'")
    assert formality == [("H15", "MDSH", "CITIZEN_DATA_CONNECTED_FORMALITY", *[None] * 4, 2.0)]
    commune = "SELECT unit_type, unit_level FROM core.fact_scorecard WHERE unit_code = 'H15.100'"
    assert query(warehouse, commune + " LIMIT 1") == [("ADMINISTRATIVE_UNIT", "COMMUNE")]
    # the satisfaction answer's overview names no unit code: its children's codes tell H15, and
    # the request's rootDepartmentId its id
    load_answer(warehouse, "handling-satisfaction.json", DAY)
    root = query(
        warehouse,
        "SELECT unit_code, unit_id, score, period_grain FROM core.fact_scorecard "
        "WHERE group_code = 'MDHL' AND metric_code IS NULL AND source_row = 1",
    )
    assert root == [("H15", H15, 16.95, "year")]  # fromDate–toDate: the calendar year


def test_the_same_answer_on_another_day_is_that_days_snapshot(warehouse: Path) -> None:
    first = load_answer(warehouse, "service-results.json", DAY)
    again = load_answer(warehouse, "service-results.json", DAY)
    next_day = load_answer(warehouse, "service-results.json", date(2026, 3, 3))
    assert again.status == "duplicate"  # the same bytes, the same day: nothing changes
    assert next_day.status == "loaded" and next_day.rows_loaded == 5
    files = query(
        warehouse,
        "SELECT f.file_id, f.status, f.duplicate_of, f.archive_path, s.snapshot_date "
        "FROM ops.files AS f LEFT JOIN ops.scoreboard_files AS s USING (file_id) ORDER BY 1",
    )
    assert [(i, s, d, day) for i, s, d, _, day in files] == [
        (first.file_id, "loaded", None, DAY),
        (again.file_id, "duplicate", first.file_id, None),
        (next_day.file_id, "loaded", first.file_id, date(2026, 3, 3)),  # the bytes once ...
    ]
    assert len({path for _, _, _, path, _ in files}) == 1  # ... archived once
    days = query(warehouse, "SELECT snapshot_date, count(*) FROM core.fact_scorecard GROUP BY 1")
    assert sorted(days) == [(DAY, 35), (date(2026, 3, 3), 35)]
    request = query(warehouse, "SELECT request FROM ops.scoreboard_files LIMIT 1")[0][0]
    assert json.loads(request) == REQUESTS["service-results.json"]


def test_the_latest_answer_of_a_day_replaces_its_units_scores(
    warehouse: Path, tmp_path: Path
) -> None:
    load_answer(warehouse, "dossier-digitized.json", DAY)
    revised = answer("dossier-digitized.json")
    child = revised["data"]["evaluation"][0]
    child["metrics"] = child["metrics"][:1]  # the portal now lists one metric for H15.15
    child["metrics"][0]["score"] = 5.1
    load_answer(warehouse, write_answer(tmp_path / "dossier-digitized.json", revised), DAY)
    assert facts(warehouse, "unit_code = 'H15.15' AND metric_code IS NOT NULL") == [
        ("H15.15", "MDSH", "ORIGINAL_RESULT_AVAILABLE", 950.0, 1000.0, 95.0, 5.1, 6.0)
    ]
    # service-results the same day replaces the group score only, never the metrics
    load_answer(warehouse, "service-results.json", DAY)
    assert len(facts(warehouse, "unit_code = 'H15' AND group_code = 'MDSH'")) == 8


def test_bad_values_reject_their_unit_with_row_and_column(warehouse: Path, tmp_path: Path) -> None:
    document = answer("dvc-progress-tree.json")
    children = document["data"]["children"]
    commune = children[2]
    children.append(dict(commune, departmentCode="H15.102", ratio=112.0, score=None))
    children.append(dict(commune, departmentCode="H15.103", score=21.0, totalScore=21.0))
    children.append(dict(commune, departmentCode="H15.104", score=18.0, totalScore=18.5))
    children[0]["score"] = "19,5"  # text, not a JSON number
    children[1]["departmentCode"] = None  # no unit code
    commune["departmentLevel"] = "PROVINCE"  # beside level = COMMUNE
    path = write_answer(tmp_path / "dvc-progress-tree.json", document)
    result = load_answer(warehouse, path, DAY)
    assert (result.status, result.rows_read, result.rows_loaded, result.rows_rejected) == (
        "loaded", 7, 1, 6,
    )  # fmt: skip
    rejects = query(
        warehouse,
        "SELECT row_number, column_name, value, reason FROM ops.rejects "
        "WHERE file_id = ? ORDER BY 1, 2",
        [result.file_id],
    )
    assert rejects == [
        (2, "score", "'19,5'", "bad_number"),
        (3, "departmentCode", None, "missing_required"),
        (4, "level", "level = COMMUNE and departmentLevel = PROVINCE", "key_conflict"),
        (5, "ratio", "112.0", "out_of_range"),  # a ratio beyond 100%
        (6, "score", "21.0", "out_of_range"),  # beyond its 20 points
        (7, "score", "score = 18.0 and totalScore = 18.5", "key_conflict"),
    ]
    message = query(warehouse, "SELECT message FROM ops.rejects WHERE row_number = 2")[0][0]
    assert message.startswith("row 2 (data.children[0], H15.15), score:")
    assert facts(warehouse) == [("H15", "TDGQ", None, 107400.0, 120000.0, 89.5, 17.9, 20.0)]


def test_a_unit_listed_twice_with_different_scores_is_rejected_both_times(
    warehouse: Path, tmp_path: Path
) -> None:
    document = answer("service-results.json")
    units = document["data"]["evaluation"]
    units.append(dict(units[1], totalScore=80.0))  # H37 again, another total
    units.append(dict(units[2]))  # H14 again, the same: loads once
    result = load_answer(
        warehouse, write_answer(tmp_path / "twice.json", document), DAY,
        REQUESTS["service-results.json"],
    )  # fmt: skip
    assert (result.rows_read, result.rows_loaded, result.rows_rejected) == (7, 5, 2)
    rejects = query(warehouse, "SELECT row_number, reason FROM ops.rejects ORDER BY 1")
    assert rejects == [(2, "duplicate_conflict"), (6, "duplicate_conflict")]
    assert query(warehouse, "SELECT DISTINCT unit_code FROM core.fact_scorecard ORDER BY 1") == [
        ("H14",), ("H15",), ("H29",), ("H60",),
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("name", "request_body", "reason"),
    [
        ("error-envelope.json", REQUESTS["service-results.json"], "not_data"),
        ("service-results.json", None, "no_period"),
        ("service-results.json", {"timeType": "week", "year": 2026}, "no_period"),
        ("handling-satisfaction.json", {"fromDate": "2026-01-05", "toDate": "2026-02-04"},
         "no_period"),
        ("firewall.html", REQUESTS["service-results.json"], "kind_not_detected"),
    ],
)  # fmt: skip
def test_what_is_not_a_scoreboard_snapshot_is_refused_and_kept(
    warehouse: Path, name: str, request_body: dict | None, reason: str
) -> None:
    (result,) = ingest(warehouse, ANSWERS / name, portal=NATIONAL, request=request_body)
    assert result.status == "refused"
    assert query(warehouse, "SELECT reason, archive_path IS NOT NULL FROM ops.files") == [
        (reason, True)
    ]
    assert query(warehouse, "SELECT count(*) FROM core.fact_scorecard") == [(0,)]


def test_cchc_ingest_takes_the_request_and_dates_the_snapshot_by_as_of(warehouse: Path) -> None:
    code, output = cchc(
        "ingest", str(ANSWERS / "dvc-progress-tree.json"), "--portal", "H37",
        "--request", json.dumps({"timeType": "quarter", "year": 2026, "quarter": 1}),
        "--as-of", "2026-03-31", "--warehouse", str(warehouse), "--no-checks",
    )  # fmt: skip
    assert code == 0, output
    assert query(
        warehouse,
        "SELECT DISTINCT period_grain, period_start, period_end, snapshot_date "
        "FROM core.fact_scorecard",
    ) == [("quarter", date(2026, 1, 1), date(2026, 3, 31), date(2026, 3, 31))]
    code, output = cchc(
        "ingest", str(ANSWERS / "dvc-progress-tree.json"), "--portal", "H37",
        "--request", "{year: 2026", "--warehouse", str(warehouse),
    )  # fmt: skip
    assert code == 1 and "--request: not JSON" in output


def test_the_group_of_an_answer_is_told_by_what_it_counts(warehouse: Path, tmp_path: Path) -> None:
    online = {
        "code": "OK",
        "data": {
            "parent": {"departmentCode": "H15", "authorityCount": 1800, "fullCount": 900,
                       "onlineServiceTotal": 1500, "channelOnlineSum": 40000, "ratio": 81.5,
                       "totalScore": 9.78, "totalMaxScore": 12},
            "children": [{"departmentCode": "H15.15", "level": "PROVINCE", "authorityCount": 90,
                          "ratio": 70.0, "score": 8.4, "maxScore": 12}],
        },
    }  # fmt: skip
    folder = tmp_path / "online"
    folder.mkdir()
    path = write_answer(folder / "provide-online-tree.json", online)
    result = load_answer(warehouse, path, DAY, REQUESTS["dvc-progress-tree.json"])
    assert result.rows_loaded == 2
    assert facts(warehouse) == [
        ("H15", "CLGQ", None, None, None, 81.5, 9.78, 12.0),
        ("H15.15", "CLGQ", None, None, None, 70.0, 8.4, 12.0),
    ]
    # a metric the vocabulary does not know loads under the answer's group, and is named; an
    # answer that is one page of several says so
    listed = answer("dossier-digitized.json")
    listed["data"]["overview"]["metrics"].append({"code": "NEW_METRIC", "score": 1.0})
    listed["data"]["pagination"]["totalPages"] = 3
    result = load_answer(warehouse, write_answer(tmp_path / "dossier-digitized.json", listed), DAY)
    warnings = query(
        warehouse, "SELECT code, message FROM ops.file_warnings WHERE file_id = ? ORDER BY 1",
        [result.file_id],
    )  # fmt: skip
    assert warnings == [
        ("incomplete_answer", "the answer is one page of 3: units on the other pages are not in "
         "it (ask with a larger pageSize)"),
        ("unknown_metrics", "codes scoreboard.toml does not know, loaded as given: NEW_METRIC"),
    ]  # fmt: skip
    assert facts(warehouse, "metric_code = 'NEW_METRIC'") == [
        ("H15", "MDSH", "NEW_METRIC", None, None, None, 1.0, None)
    ]
    # metrics that name no group of Decision 766: no kind
    unknown = {"code": "OK", "data": {"overview": {"metrics": [{"code": "X", "score": 1}]}}}
    (refused,) = ingest(
        warehouse, write_answer(tmp_path / "unknown.json", unknown), portal=NATIONAL,
        request=REQUESTS["dossier-digitized.json"],
    )  # fmt: skip
    assert (refused.status, refused.kind) == ("refused", None)
    assert "name no group of Decision 766" in (refused.error or "")
