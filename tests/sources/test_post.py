"""POST sources (the national portal's API) against real HTTP servers on 127.0.0.1.

The portal's ways are played for real: a JSON body whose placeholders a run fills from its
as-of day, a landing page whose session cookie the API wants, a web firewall that answers 200
with an HTML "Request Rejected" page, and an envelope whose code is not "OK". The answers are
the committed ones (tests/fixtures/scoreboard).
"""

from __future__ import annotations

import json
import logging
from datetime import date, datetime
from pathlib import Path

import pytest
from http_support import RecordingSession, fetch, files_in
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from warehouse import pipeline
from warehouse.config import ConfigError, Source, load_config
from warehouse.sources.errors import SourceError
from warehouse.sources.request_body import fill_body

pytest_plugins = ["http_fixtures"]  # the `waits` and `refused` fixtures

ANSWERS = Path(__file__).parents[1] / "fixtures" / "scoreboard"
API = "/api/v1/reporting/evaluation/service-results"
BODY = {
    "timeType": "quarter",
    "year": "{year}",
    "quarter": "{quarter}",
    "departmentType": "ADMINISTRATIVE_UNIT",
    "note": "asked on {as_of} for Q{quarter}/{year}",
}
OK = (ANSWERS / "service-results.json").read_bytes()
FIREWALL = (ANSWERS / "firewall.html").read_bytes()
ENVELOPE = (ANSWERS / "error-envelope.json").read_bytes()


def post_source(url: str, **options: object) -> Source:
    return Source(
        portal="DVCQG", name="DVCQG-service-results", url=url, method="POST", body=BODY, **options
    )


def test_the_body_is_sent_as_json_with_its_placeholders_filled_from_as_of(
    httpserver: HTTPServer, tmp_path: Path
) -> None:
    filled = {
        "timeType": "quarter",
        "year": 2026,  # a value that is only {year} is a number
        "quarter": 3,
        "departmentType": "ADMINISTRATIVE_UNIT",
        "note": "asked on 2026-08-14 for Q3/2026",
    }
    httpserver.expect_request(API, method="POST", json=filled).respond_with_data(
        OK, content_type="application/json"
    )
    source = post_source(httpserver.url_for(API))
    got = pipeline.extract(source, tmp_path / "data", as_of=date(2026, 8, 14))
    assert (got.status, got.request, got.as_of, got.error) == ("new", filled, "2026-08-14", None)
    saved = Path(got.paths[0])
    assert saved.name == "DVCQG-service-results.json" and saved.read_bytes() == OK
    # loaded as the run's snapshot, for the period the body asked for
    config = load_config()
    national = config.portals | {"DVCQG": _national()}
    loaded = pipeline.load(
        [got],
        type(config)(path=config.path, portals=national, sources=(source,)),
        tmp_path / "data" / "warehouse.duckdb",
        fetched_at=datetime(2026, 8, 14, 2, 0),
    )
    assert loaded[0].files == {"loaded": 1} and loaded[0].rows_loaded == 5
    import duckdb

    with duckdb.connect(str(tmp_path / "data" / "warehouse.duckdb"), read_only=True) as con:
        period = con.execute(
            "SELECT DISTINCT period_grain, period_start, snapshot_date FROM core.fact_scorecard"
        ).fetchall()
        (request,) = con.execute("SELECT request FROM ops.scoreboard_files").fetchone()
    assert period == [("quarter", date(2026, 7, 1), date(2026, 8, 14))]
    assert json.loads(request) == filled


def _national():
    from warehouse.config import Portal

    return Portal(code="DVCQG", name="Cổng Dịch vụ công quốc gia", sector="national")


def cookie_guarded(httpserver: HTTPServer) -> None:
    """The landing page sets the session cookie; the API answers the firewall page without it."""
    httpserver.expect_request("/").respond_with_response(
        Response("<html>Cổng Dịch vụ công quốc gia</html>", headers={"Set-Cookie": "SESSION=s1"})
    )

    def api(request: Request) -> Response:
        if request.cookies.get("SESSION") != "s1":
            return Response(FIREWALL, status=200, mimetype="text/html")
        return Response(OK, mimetype="application/json")

    httpserver.expect_request(API, method="POST").respond_with_handler(api)


def test_the_session_cookie_goes_with_the_request(httpserver: HTTPServer, tmp_path, waits):
    cookie_guarded(httpserver)
    source = post_source(httpserver.url_for(API), session_url=httpserver.url_for("/"))
    got = fetch(source, tmp_path, waits, as_of=date(2026, 8, 14))
    assert got.path is not None and got.path.read_bytes() == OK and waits == []


def test_the_firewall_page_is_a_transient_failure_and_never_saved(
    httpserver: HTTPServer, tmp_path, waits
):
    cookie_guarded(httpserver)
    with pytest.raises(SourceError) as failure:
        fetch(post_source(httpserver.url_for(API), retries=2), tmp_path, waits)
    assert failure.value.transient
    assert "web firewall rejected the request" in str(failure.value)
    assert "support ID 7350391874521369642" in str(failure.value)
    assert len(waits) == 2  # retried like a timeout
    assert files_in(tmp_path / "downloads") == []  # nothing to archive, nothing to load


def test_an_envelope_whose_code_is_not_ok_is_retried_then_the_answer_is_kept(
    httpserver: HTTPServer, tmp_path, waits
):
    httpserver.expect_ordered_request(API, method="POST").respond_with_data(
        ENVELOPE, content_type="application/json"
    )
    httpserver.expect_ordered_request(API, method="POST").respond_with_data(
        OK, content_type="application/json"
    )
    got = fetch(post_source(httpserver.url_for(API)), tmp_path, waits)
    assert got.path is not None and got.path.read_bytes() == OK
    assert len(waits) == 1


def test_an_envelope_that_keeps_failing_fails_the_source_as_transient(
    httpserver: HTTPServer, tmp_path: Path
) -> None:
    httpserver.expect_request(API, method="POST").respond_with_data(
        ENVELOPE, content_type="application/json"
    )
    got = pipeline.extract(post_source(httpserver.url_for(API), retries=0), tmp_path / "data")
    assert got.status == "failed" and got.transient  # the nightly flow tries it once more
    assert "code 'SESSION_EXPIRED' instead of 'OK'" in (got.error or "")
    assert files_in(tmp_path / "data" / "downloads" / "DVCQG") == []


def test_a_get_export_is_judged_by_the_firewall_page_but_never_by_a_code_key(
    httpserver: HTTPServer, tmp_path, waits
):
    export = json.dumps({"code": "H37-0001", "data": [{"ma_ho_so": "H37-0001"}]}).encode()
    httpserver.expect_request("/export.json").respond_with_data(export)
    httpserver.expect_request("/rejected.xls").respond_with_data(FIREWALL, content_type="text/html")
    get = Source(portal="H37", name="H37-export", url=httpserver.url_for("/export.json"))
    assert fetch(get, tmp_path, waits).path.read_bytes() == export  # type: ignore[union-attr]
    rejected = Source(portal="H37", name="H37-xls", url=httpserver.url_for("/rejected.xls"))
    with pytest.raises(SourceError, match="web firewall"):
        fetch(Source(**{**rejected.__dict__, "retries": 0}), tmp_path, waits)


def test_every_call_has_timeouts_and_verification(httpserver: HTTPServer, tmp_path, waits):
    cookie_guarded(httpserver)
    session = RecordingSession()
    source = post_source(
        httpserver.url_for(API),
        session_url=httpserver.url_for("/"),
        connect_timeout=2.5,
        read_timeout=9.0,
    )
    fetch(source, tmp_path, waits, session=session)
    assert [call["method"] for call in session.calls] == ["GET", "POST"]
    assert all(call["timeout"] == (2.5, 9.0) for call in session.calls)
    assert all(call["verify"] is True for call in session.calls)


def test_secrets_in_the_session_url_never_show(httpserver: HTTPServer, tmp_path, waits, caplog):
    httpserver.expect_request("/").respond_with_data("down", status=503)
    source = post_source(
        httpserver.url_for(API),
        session_url=httpserver.url_for("/") + "?access_key=Zx9-very-secret",
        retries=1,
    )
    caplog.set_level(logging.DEBUG)
    with pytest.raises(SourceError) as failure:
        fetch(source, tmp_path, waits)
    assert failure.value.transient and "session page" in str(failure.value)
    ours = [r.getMessage() for r in caplog.records if r.name != "werkzeug"]  # not the server's
    shown = str(failure.value) + "\n".join(ours)
    assert "Zx9-very-secret" not in shown and "access_key=***" in shown


def test_placeholders_are_filled_wherever_they_are_and_a_typo_is_named() -> None:
    body = {"periods": [{"y": "{year}", "m": "{month}"}], "to": "{as_of}", "n": 3, "x": None}
    assert fill_body(body, date(2025, 12, 31)) == {
        "periods": [{"y": 2025, "m": 12}],
        "to": "2025-12-31",
        "n": 3,
        "x": None,
    }
    with pytest.raises(SourceError, match=r"body\.toDate = '\{asof\}' names \{asof\}"):
        fill_body({"toDate": "{asof}"}, date(2025, 12, 31))


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ('body = { year = "{year}" }', 'a body is sent by POST; add method = "POST"'),
        ('method = "PUT"', "method = 'PUT': use GET or POST"),
        ('method = "POST"\nbody = "year=2026"', "body: write it as a TOML table"),
        ('method = "POST"\npage_param = "page"', "a POST source is one request"),
        ('method = "POST"\nsession_url = "dichvucong.gov.vn"', "session_url = 'dichvucong.gov.vn'"),
    ],
)
def test_a_post_source_is_checked_when_the_configuration_is_read(
    tmp_path: Path, extra: str, message: str
) -> None:
    path = tmp_path / "cchc.toml"
    path.write_text(
        '[[portals]]\ncode = "DVCQG"\nname = "Cổng DVC quốc gia"\nsector = "national"\n'
        f'[[sources]]\nportal = "DVCQG"\nurl = "https://dichvucong.gov.vn/api"\n{extra}\n',
        encoding="utf-8",
    )
    with pytest.raises(ConfigError, match=message.replace("(", r"\(").replace(")", r"\)")):
        load_config(path)


def test_a_post_source_reads_from_the_configuration(tmp_path: Path) -> None:
    path = tmp_path / "cchc.toml"
    path.write_text(
        '[[portals]]\ncode = "DVCQG"\nname = "Cổng DVC quốc gia"\nsector = "national"\n'
        '[[sources]]\nportal = "DVCQG"\nurl = "https://dichvucong.gov.vn/api"\nmethod = "post"\n'
        'session_url = "https://dichvucong.gov.vn/"\n'
        '[sources.body]\ntimeType = "year"\nyear = "{year}"\n',
        encoding="utf-8",
    )
    (source,) = load_config(path).sources
    assert (source.method, source.body, source.session_url) == (
        "POST",
        {"timeType": "year", "year": "{year}"},
        "https://dichvucong.gov.vn/",
    )
    assert load_config(path).portals["DVCQG"].sector == "national"
