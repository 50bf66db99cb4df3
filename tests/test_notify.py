"""Alert digests sent for real to a local HTTP receiver (the wording is test_alert_text.py's).

The receiver is pytest-httpserver on 127.0.0.1 and the targets are apprise `json://` URLs, so
apprise, the SQL files and the warehouse all run for real and nothing leaves the machine.
"""

from __future__ import annotations

import json
import logging
import socket
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import duckdb
import pytest
from pytest_httpserver import HTTPServer

from warehouse.db import open_writer
from warehouse.notify import notify_pending, redact_url, scrub, target_id_for

from alert_support import AGENCY_ONLINE_MONTH, NATION_FALL, NATION_SQL
from kpi_support import checks_config, load_years, refresh_and_check

NOW = datetime(2024, 1, 5, 2, 30)
LATER = datetime(2024, 1, 6, 2, 30)
SECRETS = ("s3cret", "token=abc", "dXNlcjpzM2NyZXQ")  # the last: base64 of user:s3cret


def test_target_id_and_redaction() -> None:
    url = "json://user:s3cret@127.0.0.1:8080/hook/p4th?token=abc&+Authorization=Bearer%20xyz"
    assert target_id_for(url) == target_id_for(url)
    assert len(target_id_for(url)) == 16
    assert target_id_for(url) != target_id_for(url.replace("8080", "8081"))
    assert redact_url(url) == "json://127.0.0.1:8080"
    # a service keeping its token in the host: apprise's privacy mode masks it
    telegram = "tgram://123456789:AAHsecretTOKENabcdef/12345"
    assert "AAHsecret" not in redact_url(telegram)
    assert redact_url("nosuch://t0ken@somewhere/path") == "nosuch://***"
    error = f"could not reach {url} as user:s3cret (token abc, Bearer xyz)"
    cleaned = scrub(error, url)
    for secret in ("s3cret", "abc", "xyz", "p4th"):
        assert secret not in cleaned


# --- real sends -----------------------------------------------------------------------------


@pytest.fixture
def con(warehouse: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    with open_writer(warehouse) as connection:
        yield connection


def add_alert(con: duckdb.DuckDBPyConnection, alert_id: int, **values: Any) -> None:
    """An ops.alerts row as the checks would leave it (a nation-wide on-time regression)."""
    row: dict[str, Any] = {
        "alert_id": alert_id,
        **NATION_FALL,
        "severity": "warn",
        "status": "open",
        "portal_code": None,
        "agency_code": None,
        "delta_pct": -1.74,
        "message": "Tỷ lệ đúng hạn giảm 1,61 điểm % / on-time rate fell 1.61 points",
        "first_seen_at": NOW,
        "last_seen_at": NOW,
    } | values
    columns = ", ".join(row)
    marks = ", ".join("?" for _ in row)
    con.execute(f"INSERT INTO ops.alerts ({columns}) VALUES ({marks})", list(row.values()))


def receive(server: HTTPServer, path: str, status: int = 200) -> None:
    server.expect_request(path, method="POST").respond_with_data("ok", status=status)


def posts(server: HTTPServer, path: str) -> list[dict[str, Any]]:
    """The JSON payloads apprise POSTed to `path` since the log was last cleared."""
    return [json.loads(req.get_data(as_text=True)) for req, _ in server.log if req.path == path]


def deliveries(con: duckdb.DuckDBPyConnection, url: str) -> list[tuple[int, str]]:
    return con.execute(
        "SELECT alert_id, state FROM ops.alert_deliveries WHERE target_id = ? ORDER BY ALL",
        [target_id_for(url)],
    ).fetchall()


def json_url(port: int, path: str, auth: str = "") -> str:
    """An apprise JSON webhook on this machine, with short connect and read timeouts."""
    return f"json://{auth}127.0.0.1:{port}/{path}?cto=2&rto=2"


def test_one_digest_per_target_then_nothing(
    con: duckdb.DuckDBPyConnection, httpserver: HTTPServer
) -> None:
    add_alert(con, 1, severity="fail")
    add_alert(con, 2, scope="portal", portal_code="H37", current_value=88.5, delta_pp=-3.86)
    add_alert(con, 3, **AGENCY_ONLINE_MONTH, portal_code="H37", agency_code="H37.18", delta_pp=0.4)
    add_alert(
        con,
        4,
        check_id="file_rejects",
        scope="file",
        portal_code="H37",
        metric=None,
        message="Tệp dossiers.csv có 1.503 dòng bị từ chối / 1,503 rows rejected",
    )
    # the agency's current name, as ingest leaves it (an older name was replaced)
    con.execute(
        "INSERT INTO core.dim_agency (agency_key, agency_nk, agency_code, agency_name, "
        "portal_code, valid_from, valid_to, file_id) VALUES "
        "(1, 'H37:code:H37.18', 'H37.18', 'Sở Tư pháp tỉnh', 'H37', '2020-01-01', '2023-01-01', 1),"
        "(2, 'H37:code:H37.18', 'H37.18', 'Sở Tư pháp', 'H37', '2023-01-01', NULL, 2)"
    )
    receive(httpserver, "/a")
    receive(httpserver, "/b")
    urls = [json_url(httpserver.port, "a"), json_url(httpserver.port, "b")]

    result = notify_pending(con, urls, now=NOW, portal_names={"H37": "Cổng DVC Lạng Sơn"})

    assert result.ok and result.sends == 2 and result.alerts_sent == 8
    assert [t.target for t in result.targets] == [f"json://127.0.0.1:{httpserver.port}"] * 2
    for path in ("/a", "/b"):
        (payload,) = posts(httpserver, path)  # one POST carrying every pending alert
        body = payload["message"]
        assert payload["type"] == "failure"
        assert payload["title"].startswith("Cảnh báo CCHC: 1 nghiêm trọng, 3 cảnh báo")
        assert body.index("## Toàn quốc / Nation") < body.index("## H37 · Cổng DVC Lạng Sơn")
        assert "92,36% → 90,75%, giảm 1,61 điểm %." in body
        assert "92.36% → 90.75%, fell 1.61 points." in body
        assert (
            "Tỷ lệ hồ sơ trực tuyến — địa phương, cơ quan Sở Tư pháp (H37.18), theo hồ sơ — "
            "Tháng 01/2023 so với Tháng 01/2022: 40,10% → 40,50%, tăng 0,40 điểm %."
        ) in body
        assert "1.503 dòng bị từ chối" in body
        assert f"SQL: `{NATION_SQL}`" in body
        assert (
            "WHERE metric = 'online_rate' AND sector = 'locality' AND scope = 'agency' "
            "AND portal_code = 'H37' AND coalesce(agency_code, agency_nk) = 'H37.18' "
            "AND period_grain = 'month' "
            "AND basis = 'dossiers' ORDER BY period_start"
        ) in body
        assert deliveries(con, json_url(httpserver.port, path[1:])) == [
            (1, "fail"),
            (2, "warn"),
            (3, "warn"),
            (4, "warn"),
        ]
    assert con.execute(
        "SELECT DISTINCT notified_at, notified_state FROM ops.alerts ORDER BY ALL"
    ).fetchall() == [(NOW, "fail"), (NOW, "warn")]

    httpserver.clear_log()
    again = notify_pending(con, urls, now=LATER)
    assert again.sends == 0 and again.alerts_sent == 0 and again.ok
    assert httpserver.log == []


def test_escalation_and_resolution_are_sent_once_each(
    con: duckdb.DuckDBPyConnection, httpserver: HTTPServer
) -> None:
    receive(httpserver, "/hook")
    url = json_url(httpserver.port, "hook")
    add_alert(con, 1)
    add_alert(con, 2, metric="online_rate")
    assert notify_pending(con, [url], now=NOW).alerts_sent == 2

    def run() -> list[dict[str, Any]]:
        httpserver.clear_log()
        notify_pending(con, [url], now=LATER)
        return posts(httpserver, "/hook")

    con.execute("UPDATE ops.alerts SET severity = 'fail', current_value = 88.0 WHERE alert_id = 1")
    (escalated,) = run()
    assert escalated["title"].endswith("/ CCHC alerts: 1 fail")
    assert "### Nghiêm trọng / Fail (1)" in escalated["message"]
    assert "Tỷ lệ hồ sơ trực tuyến" not in escalated["message"]  # alert 2 did not change
    assert run() == []

    con.execute("UPDATE ops.alerts SET severity = 'warn' WHERE alert_id = 1")
    assert run() == []  # easing from fail back to warn is not news

    con.execute(
        "UPDATE ops.alerts SET status = 'resolved', resolved_at = ? WHERE alert_id = 1", [LATER]
    )
    (resolved,) = run()
    assert resolved["type"] == "success"
    assert "### Đã hết / Resolved (1)" in resolved["message"]
    assert "- Đã hết / Resolved: Tỷ lệ hồ sơ giải quyết đúng và trước hạn" in resolved["message"]
    assert run() == []
    assert deliveries(con, url) == [(1, "fail"), (1, "resolved"), (1, "warn"), (2, "warn")]
    assert con.execute(
        "SELECT notified_at, notified_state FROM ops.alerts WHERE alert_id = 1"
    ).fetchone() == (LATER, "resolved")


def test_resolved_before_a_target_saw_it_is_recorded_not_sent(
    con: duckdb.DuckDBPyConnection, httpserver: HTTPServer
) -> None:
    receive(httpserver, "/hook")
    url = json_url(httpserver.port, "hook")
    add_alert(con, 1, status="resolved", resolved_at=NOW)

    result = notify_pending(con, [url], now=NOW)

    assert result.sends == 0 and result.targets[0].alerts_skipped == (1,)
    assert httpserver.log == []
    assert deliveries(con, url) == [(1, "resolved")]
    assert con.execute("SELECT notified_state FROM ops.alerts").fetchone() == (None,)
    assert notify_pending(con, [url], now=LATER).targets[0].alerts_skipped == ()

    # a target added later hears about what is open now, not about what resolved before it
    add_alert(con, 2)
    newcomer = json_url(httpserver.port, "hook") + "&method=POST"
    assert notify_pending(con, [newcomer], now=LATER).targets[0].alerts_sent == (2,)
    assert deliveries(con, newcomer) == [(1, "resolved"), (2, "warn")]


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.parametrize("failure", ["http_500", "closed_port"])
def test_a_failing_target_is_logged_redacted_and_retried(
    con: duckdb.DuckDBPyConnection,
    httpserver: HTTPServer,
    caplog: pytest.LogCaptureFixture,
    failure: str,
) -> None:
    caplog.set_level(logging.DEBUG)  # apprise's own debug lines must not leak secrets either
    add_alert(con, 1)
    add_alert(con, 2, severity="fail", metric="digitized_rate")
    receive(httpserver, "/good")
    good = json_url(httpserver.port, "good")
    if failure == "http_500":
        receive(httpserver, "/bad", status=500)
        bad_port = httpserver.port
    else:
        bad_port = closed_port()
    bad = f"json://user:s3cret@127.0.0.1:{bad_port}/bad?token=abc&cto=1&rto=2"

    result = notify_pending(con, [bad, good], now=NOW)  # does not raise

    failed, delivered = result.targets
    assert not failed.ok and failed.alerts_failed == (1, 2) and failed.alerts_sent == ()
    assert failed.target == f"json://127.0.0.1:{bad_port}"
    assert failed.error
    assert delivered.ok and delivered.alerts_sent == (1, 2)
    assert result.sends == 1 and result.failed == (failed,)
    assert deliveries(con, bad) == []
    warnings = [r.getMessage() for r in caplog.records if r.name == "warehouse.notify"]
    assert len(warnings) == 1
    assert f"json://127.0.0.1:{bad_port}" in warnings[0]
    assert target_id_for(bad) in warnings[0]
    for secret in SECRETS:
        assert secret not in caplog.text
        assert secret not in failed.error

    # next run: the bad target answers now; the good one is not told the same alerts again
    httpserver.clear_log()
    retry_server = None
    if failure == "http_500":
        httpserver.clear_all_handlers()
        receive(httpserver, "/good")
        receive(httpserver, "/bad")
        bad_server = httpserver
    else:
        retry_server = bad_server = HTTPServer(host="127.0.0.1", port=bad_port)
        retry_server.start()
        receive(retry_server, "/bad")
    try:
        retried = notify_pending(con, [bad, good], now=LATER)
        assert retried.ok and retried.sends == 1
        assert retried.targets[0].alerts_sent == (1, 2)
        (payload,) = posts(bad_server, "/bad")
        assert "Tỷ lệ hồ sơ được số hóa" in payload["message"]
        assert posts(httpserver, "/good") == []
        assert deliveries(con, bad) == [(1, "warn"), (2, "fail")]
    finally:
        if retry_server is not None:
            retry_server.stop()
    assert notify_pending(con, [bad, good], now=LATER).sends == 0


def test_an_unusable_url_is_a_failed_target_not_an_exception(
    con: duckdb.DuckDBPyConnection,
    httpserver: HTTPServer,
    caplog: pytest.LogCaptureFixture,
) -> None:
    add_alert(con, 1)
    receive(httpserver, "/hook")
    urls = ["nosuch://t0ken-s3cret@example.invalid/x", json_url(httpserver.port, "hook")]

    result = notify_pending(con, urls, now=NOW)

    assert [t.ok for t in result.targets] == [False, True]
    assert result.targets[0].target == "nosuch://***"
    assert "t0ken" not in caplog.text and "s3cret" not in caplog.text
    assert deliveries(con, urls[0]) == []
    assert len(posts(httpserver, "/hook")) == 1


def test_the_query_in_a_digest_returns_the_series_behind_it(
    warehouse: Path, tmp_path: Path, httpserver: HTTPServer
) -> None:
    """Real checks on a real mart: every `SQL:` line of the digest runs and finds both years."""
    load_years(warehouse, tmp_path, "years", "Sở Tư pháp", 1000, {2022: 950, 2023: 920})
    assert refresh_and_check(warehouse, checks_config(), NOW).opened > 0
    receive(httpserver, "/hook")
    with open_writer(warehouse) as con:
        assert notify_pending(con, [json_url(httpserver.port, "hook")], now=NOW).sends == 1
        (payload,) = posts(httpserver, "/hook")
        queries = [
            line.strip().removeprefix("SQL: `").removesuffix("`")
            for line in payload["message"].splitlines()
            if line.strip().startswith("SQL: `") and "FROM mart.kpi" in line
        ]
        assert queries and any("coalesce(agency_code, agency_nk)" in q for q in queries)
        for sql in queries:
            assert [row[:2] for row in con.execute(sql).fetchall()] == [
                (date(2022, 1, 1), 95.0),
                (date(2023, 1, 1), 92.0),
            ]
    assert "cơ quan Sở Tư pháp, theo báo cáo" in payload["message"]
