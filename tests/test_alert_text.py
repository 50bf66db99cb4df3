"""The wording of alert digests, on its own: no warehouse, no network, so a change of phrase is
checked in milliseconds and the Vietnamese number style is pinned case by case.
"""

from __future__ import annotations

from typing import Any

from warehouse.alert_text import Alert, describe_breach, format_digest
from warehouse.labels import METRIC_LABELS

from alert_support import AGENCY_ONLINE_MONTH, NATION_FALL, NATION_SQL


def regression(alert_id: int = 1, **overrides: Any) -> Alert:
    """The on-time rate of all localities fell 1.61 points in 2023 (report basis)."""
    values: dict[str, Any] = {
        "alert_id": alert_id,
        "state": "warn",
        "message": "Tỷ lệ đúng hạn giảm / on-time rate fell",
        **NATION_FALL,
    }
    return Alert(**(values | overrides))


def test_a_regression_in_both_languages() -> None:
    vn, en = describe_breach(regression())
    assert vn == (
        "Tỷ lệ hồ sơ giải quyết đúng và trước hạn — địa phương, toàn quốc, theo báo cáo — "
        "năm 2023 so với năm 2022: 92,36% → 90,75%, giảm 1,61 điểm %."
    )
    assert en == (
        "On-time rate — localities, nation, from reports — year 2023 vs 2022: "
        "92.36% → 90.75%, fell 1.61 points."
    )
    vn, en = describe_breach(
        regression(
            **AGENCY_ONLINE_MONTH,
            sector="ministry",
            portal_code="G01",
            agency_code="G01.05",
            delta_pp=None,  # computed from the two values when the check leaves it out
        )
    )
    assert vn == (
        "Tỷ lệ hồ sơ trực tuyến — bộ ngành, cơ quan G01.05, theo hồ sơ — "
        "Tháng 01/2023 so với Tháng 01/2022: 40,10% → 40,50%, tăng 0,40 điểm %."
    )
    assert en.startswith("Online share — ministries, agency G01.05, from dossiers — month 01/2023")
    assert en.endswith("40.10% → 40.50%, rose 0.40 points.")
    # an agency known by name only: its identity key means nothing to a reader
    named = regression(scope="agency", agency_nk="H37:name:sở x", agency_name="Sở X")
    assert "— địa phương, cơ quan Sở X, theo báo cáo —" in describe_breach(named)[0]
    # a unit code is shown after the name, whatever characters it holds
    coded = regression(
        scope="agency", agency_code="H37.18", agency_nk="H37:code:H37.18", agency_name="Sở X"
    )
    assert "— địa phương, cơ quan Sở X (H37.18), theo báo cáo —" in describe_breach(coded)[0]


def test_every_metric_of_the_spec_has_both_labels() -> None:
    spec_metrics = {
        "on_time_rate",
        "on_time_rate_766",
        "online_rate",
        "digitized_rate",
        "e_result_rate",
        "online_payment_rate",
        "satisfaction_rate",
        "overdue_pending_rate",
        "full_process_share",
        "services_used_rate",
    }
    assert set(METRIC_LABELS) - {"received"} == spec_metrics
    assert all(vn and en for vn, en in METRIC_LABELS.values())
    assert METRIC_LABELS["on_time_rate_766"] == (
        "Tỷ lệ đúng hạn theo QĐ 766",
        "on-time (Decision 766)",
    )


def test_digest_groups_by_portal_then_severity() -> None:
    alerts = [
        regression(1, scope="portal", portal_code="H37", state="warn", inspect_sql="Q1"),
        regression(2, scope="portal", portal_code="H37", state="resolved", metric="online_rate"),
        regression(3, state="fail", inspect_sql=NATION_SQL),
        Alert(
            4,
            "file_rejects",
            "fail",
            "Tệp có 1.503 dòng bị từ chối\nFile has 1,503 rejected rows",
            scope="file",
            portal_code="H37",
        ),
        regression(5, scope="portal", portal_code="H10", state="fail", metric="satisfaction_rate"),
    ]
    title, body = format_digest(alerts, {"H37": "Cổng dịch vụ công tỉnh Lạng Sơn"})
    assert title == (
        "Cảnh báo CCHC: 3 nghiêm trọng, 1 cảnh báo, 1 đã hết / "
        "CCHC alerts: 3 fail, 1 warn, 1 resolved"
    )
    order = [
        "## Toàn quốc / Nation",
        "### Nghiêm trọng / Fail (1)",
        f"  SQL: `{NATION_SQL}`",
        "## Cổng H10 / Portal H10",  # no name known for H10
        "Tỷ lệ hài lòng — địa phương, toàn cổng H10, theo báo cáo",
        "## H37 · Cổng dịch vụ công tỉnh Lạng Sơn",
        "### Nghiêm trọng / Fail (1)",
        "- Tệp có 1.503 dòng bị từ chối\n  File has 1,503 rejected rows",
        "### Cảnh báo / Warn (1)",
        "- Tỷ lệ hồ sơ giải quyết đúng và trước hạn — địa phương, toàn cổng H37, theo báo cáo",
        "  SQL: `Q1`",
        "### Đã hết / Resolved (1)",
        "- Đã hết / Resolved: Tỷ lệ hồ sơ trực tuyến",
        "  EN: Resolved: Online share — localities, portal H37, from reports",
    ]
    position = 0
    for text in order:
        position = body.index(text, position)  # ValueError when missing or out of order
    assert body.count("## ") - body.count("### ") == 3  # three portal headings, each once
