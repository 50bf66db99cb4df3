"""warehouse/sources/http.py against real HTTP servers on 127.0.0.1 (pytest-httpserver).

Every behaviour goes through requests, urllib3 and a socket for real; only the waits between
retries are recorded instead of slept (the `sleep` parameter), so the file runs in seconds.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import ipaddress
import json
import logging
import socket
import ssl
import time
import traceback
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from warehouse.config import Source
from warehouse.sources.errors import SourceError
from warehouse.sources.http import (
    MAX_WAIT,
    Fetched,
    fetch_source,
    redact,
    retry_after_seconds,
)

TOKEN = "s3cr3t-T0ken/with+chars"
TOKEN_CORE = "s3cr3t-T0ken"  # the part every encoding of the token keeps
PATH = "/api/exports/dossiers.xlsx"


class Waits(list[float]):
    """The `sleep` given to fetch_source: records each wait instead of waiting."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


class RecordingSession(requests.Session):
    """A real session that also keeps the keyword arguments of every request it sends."""

    def __init__(self) -> None:
        super().__init__()
        self.calls: list[dict[str, Any]] = []

    def request(self, method: str, url: str, *args: Any, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        self.calls.append({"method": method, "url": url, **kwargs})
        return super().request(method, url, *args, **kwargs)


@pytest.fixture
def waits() -> Waits:
    return Waits()


def source_for(url: str, **options: Any) -> Source:
    return Source(portal="H37", name="H37-dossiers", url=url, **options)


def fetch(
    source: Source, tmp_path: Path, waits: Waits, *, jitter: Any = None, **kwargs: Any
) -> Fetched:
    """fetch_source with recorded waits and, unless given, no jitter (waits = their ceilings)."""
    return fetch_source(
        source,
        download_dir=tmp_path / "downloads",
        state_dir=tmp_path / "state",
        sleep=waits,
        jitter=jitter or (lambda ceiling: ceiling),
        **kwargs,
    )


def files_in(folder: Path) -> list[str]:
    """Every entry, hidden ones included: a leftover `.partial-*` must show up here."""
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


@pytest.fixture
def refused() -> Iterator[str]:
    """`http://127.0.0.1:<port>`, a port bound (so nobody else takes it) but not listening."""
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        yield f"http://127.0.0.1:{holder.getsockname()[1]}"


# --- a download -------------------------------------------------------------------------------


def test_download_lands_with_the_right_bytes(httpserver: HTTPServer, tmp_path, waits):
    body = bytes(range(256)) * (3 * 4096 + 7)  # 3 MiB and a bit: several 1 MiB chunks
    httpserver.expect_request(PATH).respond_with_data(body, content_type="application/zip")

    got = fetch(source_for(httpserver.url_for(PATH)), tmp_path, waits)

    assert got.status == "new"
    assert got.path == tmp_path / "downloads" / "H37-dossiers.xlsx"
    assert got.path.read_bytes() == body
    assert got.bytes == len(body)
    assert files_in(tmp_path / "downloads") == ["H37-dossiers.xlsx"]  # no temp file left
    assert waits == []


def test_a_reader_never_sees_a_partial_file(httpserver: HTTPServer, tmp_path, waits):
    """While the body streams, the previous download stays whole and the new bytes go elsewhere."""
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    target = downloads / "H37-dossiers.xlsx"
    target.write_bytes(b"yesterday's export")
    seen: list[tuple[bytes, list[str]]] = []

    def body() -> Iterator[bytes]:
        yield b"a" * 100_000
        deadline = time.monotonic() + 2
        while not any(n.startswith(".partial-") for n in files_in(downloads)):
            if time.monotonic() > deadline:
                break
            time.sleep(0.01)
        seen.append((target.read_bytes(), files_in(downloads)))
        yield b"b" * 100_000

    httpserver.expect_request(PATH).respond_with_response(Response(body()))

    got = fetch(source_for(httpserver.url_for(PATH)), tmp_path, waits)

    ((mid_stream_content, mid_stream_files),) = seen
    assert mid_stream_content == b"yesterday's export"
    assert any(name.startswith(".partial-") for name in mid_stream_files)
    assert got.path == target
    assert target.read_bytes() == b"a" * 100_000 + b"b" * 100_000
    assert files_in(downloads) == ["H37-dossiers.xlsx"]


def test_every_request_carries_both_timeouts_and_verification(
    httpserver: HTTPServer, tmp_path, waits
):
    httpserver.expect_ordered_request(PATH).respond_with_data("busy", status=503)
    httpserver.expect_ordered_request(PATH).respond_with_data("ok")
    session = RecordingSession()

    fetch(
        source_for(httpserver.url_for(PATH), connect_timeout=3.5, read_timeout=7.0),
        tmp_path,
        waits,
        session=session,
    )

    assert len(session.calls) == 2
    for call in session.calls:
        assert call["timeout"] == (3.5, 7.0)
        assert call["stream"] is True
        assert call["verify"] is True  # default verification, never False


# --- retries ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def threaded_server() -> Iterator[HTTPServer]:
    """A server that answers while an earlier request is still sleeping in its handler."""
    server = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    server.start()
    yield server
    server.clear()
    server.stop()


def test_read_timeout_is_retried(threaded_server: HTTPServer, tmp_path, waits, caplog):
    calls: list[float] = []

    def slow_then_fast(request: Request) -> Response:
        calls.append(time.monotonic())
        if len(calls) == 1:
            time.sleep(1.0)  # far longer than read_timeout: the client gives up on this one
        return Response(b"export bytes")

    threaded_server.expect_request(PATH).respond_with_handler(slow_then_fast)
    caplog.set_level(logging.INFO, logger="warehouse.sources.http")
    started = time.monotonic()

    got = fetch(source_for(threaded_server.url_for(PATH), read_timeout=0.2), tmp_path, waits)

    assert got.path.read_bytes() == b"export bytes"
    assert len(calls) == 2
    assert waits == [1.0]
    assert time.monotonic() - started < 0.9  # the client did not wait for the slow answer
    assert "ReadTimeout" in caplog.text
    assert "attempt 2 of 5" in caplog.text


def test_connection_refused_is_retried_then_reported(refused, tmp_path, waits):
    url = refused + PATH

    with pytest.raises(SourceError, match=r"gave up after 3 attempts; last: ConnectionError"):
        fetch(source_for(url, retries=2, connect_timeout=0.5), tmp_path, waits)

    assert waits == [1.0, 2.0]
    assert files_in(tmp_path / "downloads") == []


def test_503_then_200_backs_off_exponentially(httpserver: HTTPServer, tmp_path, waits, caplog):
    for _ in range(3):
        httpserver.expect_ordered_request(PATH).respond_with_data("down", status=503)
    httpserver.expect_ordered_request(PATH).respond_with_data("finally")
    caplog.set_level(logging.INFO, logger="warehouse.sources.http")

    got = fetch(source_for(httpserver.url_for(PATH)), tmp_path, waits)

    assert got.path.read_bytes() == b"finally"
    assert waits == [1.0, 2.0, 4.0]
    assert len(httpserver.log) == 4
    assert caplog.text.count("HTTP 503") == 3


def test_back_off_is_capped_and_failure_names_the_status(httpserver: HTTPServer, tmp_path, waits):
    httpserver.expect_request(PATH).respond_with_data("down", status=502)

    with pytest.raises(SourceError) as failure:
        fetch(source_for(httpserver.url_for(PATH), retries=8), tmp_path, waits)

    assert waits == [1.0, 2.0, 4.0, 8.0, 16.0, 32.0, MAX_WAIT, MAX_WAIT]
    assert len(httpserver.log) == 9
    assert failure.value.status == 502
    assert "HTTP 502" in str(failure.value)
    assert httpserver.url_for(PATH) in str(failure.value)


def test_full_jitter_draws_each_wait_below_its_ceiling(httpserver: HTTPServer, tmp_path, waits):
    for _ in range(4):
        httpserver.expect_ordered_request(PATH).respond_with_data("down", status=500)
    httpserver.expect_ordered_request(PATH).respond_with_data("ok")
    ceilings: list[float] = []

    def jitter(ceiling: float) -> float:
        ceilings.append(ceiling)
        return ceiling * 0.25

    fetch(source_for(httpserver.url_for(PATH)), tmp_path, waits, jitter=jitter)

    assert ceilings == [1.0, 2.0, 4.0, 8.0]
    assert waits == [0.25, 0.5, 1.0, 2.0]


def test_default_jitter_stays_within_the_ceilings(httpserver: HTTPServer, tmp_path):
    for _ in range(4):
        httpserver.expect_ordered_request(PATH).respond_with_data("down", status=503)
    httpserver.expect_ordered_request(PATH).respond_with_data("ok")
    waits = Waits()

    fetch_source(
        source_for(httpserver.url_for(PATH)),
        download_dir=tmp_path / "d",
        state_dir=tmp_path / "s",
        sleep=waits,
    )

    assert len(waits) == 4
    assert all(0.0 <= wait <= ceiling for wait, ceiling in zip(waits, [1, 2, 4, 8], strict=True))


def test_429_honours_retry_after_seconds(httpserver: HTTPServer, tmp_path, waits):
    httpserver.expect_ordered_request(PATH).respond_with_data(
        "slow down", status=429, headers={"Retry-After": "2"}
    )
    httpserver.expect_ordered_request(PATH).respond_with_data("ok")

    got = fetch(source_for(httpserver.url_for(PATH)), tmp_path, waits)

    assert waits == [2.0]
    assert got.path.read_bytes() == b"ok"


def test_retry_after_as_an_http_date_and_capped(httpserver: HTTPServer, tmp_path, waits):
    soon = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=30)
    httpserver.expect_ordered_request(PATH).respond_with_data(
        "", status=503, headers={"Retry-After": email.utils.format_datetime(soon, usegmt=True)}
    )
    httpserver.expect_ordered_request(PATH).respond_with_data(
        "", status=429, headers={"Retry-After": "3600"}
    )
    httpserver.expect_ordered_request(PATH).respond_with_data("ok")

    fetch(source_for(httpserver.url_for(PATH)), tmp_path, waits)

    assert 27.0 < waits[0] <= 30.0
    assert waits[1] == MAX_WAIT


def test_retry_after_parsing():
    now = dt.datetime(2026, 11, 25, 12, 0, tzinfo=dt.UTC)
    assert retry_after_seconds("120", now) == 120.0
    assert retry_after_seconds("Wed, 25 Nov 2026 12:01:30 GMT", now) == 90.0
    assert retry_after_seconds("Wed, 25 Nov 2026 11:00:00 GMT", now) == 0.0  # in the past
    assert retry_after_seconds("soon", now) is None
    assert retry_after_seconds("-5", now) is None
    assert retry_after_seconds(None, now) is None


def test_404_fails_at_once(httpserver: HTTPServer, tmp_path, waits):
    httpserver.expect_request(PATH).respond_with_data("no such export", status=404)

    with pytest.raises(SourceError, match=r"dossiers\.xlsx: HTTP 404") as failure:
        fetch(source_for(httpserver.url_for(PATH)), tmp_path, waits)

    assert failure.value.status == 404
    assert len(httpserver.log) == 1
    assert waits == []
    assert files_in(tmp_path / "downloads") == []
    assert files_in(tmp_path / "state") == []


# --- size and completeness --------------------------------------------------------------------


def test_an_announced_body_over_max_bytes_is_refused(httpserver: HTTPServer, tmp_path, waits):
    httpserver.expect_request(PATH).respond_with_data(b"x" * 5000)

    with pytest.raises(SourceError, match=r"5000 bytes announced, over max_bytes \(1000\)"):
        fetch(source_for(httpserver.url_for(PATH), max_bytes=1000), tmp_path, waits)

    assert len(httpserver.log) == 1  # not retried: it would be as large next time
    assert files_in(tmp_path / "downloads") == []


def test_a_streamed_body_over_max_bytes_is_refused(httpserver: HTTPServer, tmp_path, waits):
    """No Content-Length to check up front: the count while streaming stops it."""
    chunks = iter([b"x" * 800, b"y" * 800, b"z" * 800])
    httpserver.expect_request(PATH).respond_with_response(Response(chunks))

    with pytest.raises(SourceError, match=r"body over max_bytes \(1000\)"):
        fetch(source_for(httpserver.url_for(PATH), max_bytes=1000), tmp_path, waits)

    assert "Content-Length" not in httpserver.log[0][1].headers
    assert len(httpserver.log) == 1
    assert files_in(tmp_path / "downloads") == []


def short_body() -> Response:
    """Says 1000 bytes, sends 10 and closes: what a proxy dropping the connection looks like."""
    return Response(iter([b"0123456789"]), headers={"Content-Length": "1000"})


def test_a_body_shorter_than_content_length_is_retried(httpserver: HTTPServer, tmp_path, waits):
    httpserver.expect_ordered_request(PATH).respond_with_response(short_body())
    httpserver.expect_ordered_request(PATH).respond_with_data(b"0123456789" * 100)

    got = fetch(source_for(httpserver.url_for(PATH)), tmp_path, waits)

    assert got.path.read_bytes() == b"0123456789" * 100
    assert waits == [1.0]
    assert files_in(tmp_path / "downloads") == ["H37-dossiers.xlsx"]


def test_a_body_always_short_fails_and_leaves_nothing(httpserver: HTTPServer, tmp_path, waits):
    httpserver.expect_request(PATH).respond_with_handler(lambda request: short_body())

    with pytest.raises(SourceError, match=r"gave up after 2 attempts; last: body cut short"):
        fetch(source_for(httpserver.url_for(PATH), retries=1), tmp_path, waits)

    assert len(httpserver.log) == 2
    assert files_in(tmp_path / "downloads") == []
    assert files_in(tmp_path / "state") == []


# --- conditional GET --------------------------------------------------------------------------


def test_etag_round_trip(httpserver: HTTPServer, tmp_path, waits):
    def export(request: Request) -> Response:
        if request.headers.get("If-None-Match") == '"v1"':
            return Response(status=304)
        return Response(b"version 1", headers={"ETag": '"v1"'})

    httpserver.expect_request(PATH).respond_with_handler(export)
    source = source_for(httpserver.url_for(PATH))

    first = fetch(source, tmp_path, waits)
    written = first.path.stat().st_mtime_ns
    second = fetch(source, tmp_path, waits)

    assert (first.status, first.etag) == ("new", '"v1"')
    assert (second.status, second.path, second.bytes, second.etag) == ("unchanged", None, 0, '"v1"')
    assert "If-None-Match" not in httpserver.log[0][0].headers
    assert httpserver.log[1][0].headers["If-None-Match"] == '"v1"'
    assert httpserver.log[1][1].status_code == 304
    assert first.path.read_bytes() == b"version 1"
    assert first.path.stat().st_mtime_ns == written  # not rewritten
    assert files_in(tmp_path / "downloads") == ["H37-dossiers.xlsx"]


def test_last_modified_round_trip(httpserver: HTTPServer, tmp_path, waits):
    stamp = "Mon, 23 Nov 2026 17:00:00 GMT"

    def export(request: Request) -> Response:
        if request.headers.get("If-Modified-Since") == stamp:
            return Response(status=304)
        return Response(b"report", headers={"Last-Modified": stamp})

    httpserver.expect_request(PATH).respond_with_handler(export)
    source = source_for(httpserver.url_for(PATH))

    first = fetch(source, tmp_path, waits)
    second = fetch(source, tmp_path, waits)

    assert first.last_modified == stamp
    assert second.status == "unchanged"
    assert httpserver.log[1][0].headers["If-Modified-Since"] == stamp
    assert "If-None-Match" not in httpserver.log[1][0].headers


def test_validators_are_saved_only_after_a_complete_download(
    httpserver: HTTPServer, tmp_path, waits
):
    """A failed download of v2 must not make v2 look already fetched next night."""
    httpserver.expect_ordered_request(PATH).respond_with_data("v1", headers={"ETag": '"v1"'})
    httpserver.expect_ordered_request(PATH).respond_with_data("gone", status=410)
    httpserver.expect_ordered_request(PATH).respond_with_data("v2", headers={"ETag": '"v2"'})
    source = source_for(httpserver.url_for(PATH))

    fetch(source, tmp_path, waits)
    with pytest.raises(SourceError, match="HTTP 410"):
        fetch(source, tmp_path, waits)
    third = fetch(source, tmp_path, waits)

    assert httpserver.log[2][0].headers["If-None-Match"] == '"v1"'
    assert (third.status, third.etag) == ("new", '"v2"')
    state = json.loads((tmp_path / "state" / "H37-dossiers.http.json").read_text())
    assert state["etag"] == '"v2"'


def test_validators_of_another_url_are_not_sent(httpserver: HTTPServer, tmp_path, waits):
    httpserver.expect_request(PATH).respond_with_data("a", headers={"ETag": '"a"'})
    httpserver.expect_request("/other.csv").respond_with_data("b")

    fetch(source_for(httpserver.url_for(PATH)), tmp_path, waits)
    fetch(source_for(httpserver.url_for("/other.csv")), tmp_path, waits)

    assert "If-None-Match" not in httpserver.log[1][0].headers


# --- paged JSON -------------------------------------------------------------------------------


def serve_pages(httpserver: HTTPServer, path: str, pages: list[list[dict]], **query: str) -> None:
    for number, records in enumerate(pages, start=1):
        page = {"data": records, "page": number, "total_pages": len(pages)}
        httpserver.expect_request(
            path, query_string={**query, "page": str(number)}
        ).respond_with_json(page, headers={"ETag": f'"p{number}"'})


def dossiers(*codes: str) -> list[dict]:
    return [{"ma_ho_so": code, "ngay_tiep_nhan": "05/01/2023"} for code in codes]


def test_paged_json_is_combined_into_one_file(httpserver: HTTPServer, tmp_path, waits):
    serve_pages(httpserver, "/api/dossiers", [dossiers("A1", "A2"), dossiers("B1"), dossiers("C1")])
    source = source_for(httpserver.url_for("/api/dossiers"), page_param="page")

    got = fetch(source, tmp_path, waits)

    document = json.loads(got.path.read_bytes())
    assert [row["ma_ho_so"] for row in document["data"]] == ["A1", "A2", "B1", "C1"]
    assert (document["page"], document["total_pages"], document["pages_combined"]) == (1, 1, 3)
    assert (got.pages, got.etag, got.bytes) == (3, '"p1"', got.path.stat().st_size)
    assert files_in(tmp_path / "downloads") == ["H37-dossiers.json"]
    assert [r.args["page"] for r, _ in httpserver.log] == ["1", "2", "3"]


def test_paged_json_keeps_the_query_and_replaces_its_page(httpserver: HTTPServer, tmp_path, waits):
    serve_pages(httpserver, "/api", [dossiers("A1"), dossiers("B1")], size="500")
    url = httpserver.url_for("/api") + "?size=500&page=7"

    got = fetch(source_for(url, page_param="page"), tmp_path, waits)

    assert got.pages == 2
    assert [r.query_string for r, _ in httpserver.log] == [b"size=500&page=1", b"size=500&page=2"]


def test_paged_json_conditional_on_page_one(httpserver: HTTPServer, tmp_path, waits):
    serve_pages(httpserver, "/api", [dossiers("A1"), dossiers("B1"), dossiers("C1")])
    source = source_for(httpserver.url_for("/api"), page_param="page")
    fetch(source, tmp_path, waits)
    httpserver.clear()
    httpserver.expect_request(
        "/api", query_string={"page": "1"}, headers={"If-None-Match": '"p1"'}
    ).respond_with_data("", status=304)

    again = fetch(source, tmp_path, waits)

    assert again.status == "unchanged"
    assert len(httpserver.log) == 1


def test_a_failed_page_leaves_no_file_and_no_state(httpserver: HTTPServer, tmp_path, waits):
    serve_pages(httpserver, "/api", [dossiers("A1"), dossiers("B1"), dossiers("C1")])
    httpserver.handlers.clear()  # page 3 is missing below
    for number in (1, 2):
        page = {"data": dossiers(f"X{number}"), "page": number, "total_pages": 3}
        httpserver.expect_request("/api", query_string={"page": str(number)}).respond_with_json(
            page, headers={"ETag": '"x"'}
        )
    httpserver.expect_request("/api", query_string={"page": "3"}).respond_with_data("", status=404)

    with pytest.raises(SourceError, match=r"page=3: HTTP 404"):
        fetch(source_for(httpserver.url_for("/api"), page_param="page"), tmp_path, waits)

    assert files_in(tmp_path / "downloads") == []
    assert files_in(tmp_path / "state") == []


def test_pages_that_disagree_are_refused(httpserver: HTTPServer, tmp_path, waits):
    httpserver.expect_request("/api", query_string={"page": "1"}).respond_with_json(
        {"data": [], "page": 1, "total_pages": 2}
    )
    httpserver.expect_request("/api", query_string={"page": "2"}).respond_with_json(
        {"data": [], "page": 2, "total_pages": 3}
    )

    with pytest.raises(SourceError, match="pages do not make one export: page 2 says 3 pages"):
        fetch(source_for(httpserver.url_for("/api"), page_param="page"), tmp_path, waits)

    assert files_in(tmp_path / "downloads") == []


# --- secrets ----------------------------------------------------------------------------------


def client_log(caplog: pytest.LogCaptureFixture) -> str:
    """Our side's log lines; werkzeug's are the portal's own access log, not ours to clean."""
    return "\n".join(f"{r.name} {r.getMessage()}" for r in caplog.records if r.name != "werkzeug")


def assert_no_token(tmp_path: Path, *texts: str) -> None:
    """Not as written, nor percent-encoded in any way, nor in a file name or the state."""
    for text in texts:
        assert TOKEN_CORE not in text
    for path in tmp_path.rglob("*"):
        assert TOKEN_CORE not in path.name
        if path.is_file() and "state" in path.parts:
            assert TOKEN_CORE not in path.read_text()


def test_bearer_token_reaches_the_server_and_nothing_else(
    httpserver: HTTPServer, tmp_path, waits, caplog, monkeypatch
):
    monkeypatch.setenv("H37_TOKEN", TOKEN)
    auth = {"Authorization": f"Bearer {TOKEN}"}
    httpserver.expect_ordered_request(PATH, headers=auth).respond_with_data("", status=503)
    httpserver.expect_ordered_request(PATH, headers=auth).respond_with_data("secret data")
    caplog.set_level(logging.DEBUG)  # urllib3's request lines too

    got = fetch(source_for(httpserver.url_for(PATH), token_env="H37_TOKEN"), tmp_path, waits)

    assert got.path.read_bytes() == b"secret data"
    assert "retry 1 of 4" in caplog.text
    assert_no_token(tmp_path, client_log(caplog), repr(got))


def test_a_netrc_entry_does_not_replace_the_bearer_token(
    httpserver: HTTPServer, tmp_path, waits, monkeypatch
):
    netrc = tmp_path / "netrc"
    netrc.write_text("machine localhost login someone password other\n")
    netrc.chmod(0o600)
    monkeypatch.setenv("NETRC", str(netrc))
    monkeypatch.setenv("H37_TOKEN", TOKEN)
    httpserver.expect_request(PATH).respond_with_data("ok")

    fetch(source_for(httpserver.url_for(PATH), token_env="H37_TOKEN"), tmp_path, waits)

    assert httpserver.log[0][0].headers["Authorization"] == f"Bearer {TOKEN}"


def test_bearer_token_is_absent_from_errors(httpserver: HTTPServer, tmp_path, waits, monkeypatch):
    monkeypatch.setenv("H37_TOKEN", TOKEN)
    httpserver.expect_request(PATH).respond_with_data(f"bad token {TOKEN}", status=401)

    with pytest.raises(SourceError, match="HTTP 401") as failure:
        fetch(source_for(httpserver.url_for(PATH), token_env="H37_TOKEN"), tmp_path, waits)

    assert httpserver.log[0][0].headers["Authorization"] == f"Bearer {TOKEN}"
    assert_no_token(tmp_path, "".join(traceback.format_exception(failure.value)))


def test_query_token_reaches_the_server_and_nothing_else(
    httpserver: HTTPServer, tmp_path, waits, caplog, monkeypatch
):
    monkeypatch.setenv("H37_TOKEN", TOKEN)
    query = {"access_token": TOKEN}
    httpserver.expect_ordered_request(PATH, query_string=query).respond_with_data("", status=500)
    httpserver.expect_ordered_request(PATH, query_string=query).respond_with_data("data")
    caplog.set_level(logging.DEBUG)
    source = source_for(
        httpserver.url_for(PATH), token_env="H37_TOKEN", token_query_param="access_token"
    )

    got = fetch(source, tmp_path, waits)

    assert got.path.read_bytes() == b"data"
    assert "Authorization" not in httpserver.log[0][0].headers
    assert "urllib3.connectionpool" in client_log(caplog)  # its request lines were checked
    assert "access_token=***" in client_log(caplog)
    assert_no_token(tmp_path, client_log(caplog), repr(got))


def test_query_token_is_absent_from_network_errors(refused, tmp_path, waits, caplog, monkeypatch):
    """urllib3 puts the whole request URL, query included, into connection errors."""
    monkeypatch.setenv("H37_TOKEN", TOKEN)
    url = f"{refused}{PATH}?unit=H37"
    source = source_for(url, token_env="H37_TOKEN", token_query_param="access_token", retries=1)
    caplog.set_level(logging.DEBUG)

    with pytest.raises(SourceError, match=r"unit=H37&access_token=\*\*\*") as failure:
        fetch(source, tmp_path, waits)

    assert_no_token(
        tmp_path, "".join(traceback.format_exception(failure.value)), client_log(caplog)
    )


def test_a_missing_token_variable_is_named(httpserver: HTTPServer, tmp_path, waits, monkeypatch):
    monkeypatch.delenv("H37_TOKEN", raising=False)

    with pytest.raises(SourceError, match="environment variable H37_TOKEN is not set"):
        fetch(source_for(httpserver.url_for(PATH), token_env="H37_TOKEN"), tmp_path, waits)

    assert httpserver.log == []


def test_redact():
    assert redact("https://user:pw@portal.vn/x?page=2&api_key=abc&sig=zz") == (
        "https://***@portal.vn/x?page=2&api_key=***&sig=***"
    )
    assert redact("https://portal.vn/x?k=1&t=abc", ["t"]) == "https://portal.vn/x?k=1&t=***"
    assert redact("https://portal.vn/export.xlsx?unit=H37.18") == (
        "https://portal.vn/export.xlsx?unit=H37.18"
    )


def test_secret_looking_query_in_the_configured_url_is_hidden(
    httpserver: HTTPServer, tmp_path, waits
):
    httpserver.expect_request(PATH).respond_with_data("", status=403)
    url = httpserver.url_for(PATH) + "?apikey=" + requests.utils.quote(TOKEN, safe="")

    with pytest.raises(SourceError) as failure:
        fetch(source_for(url), tmp_path, waits)

    assert httpserver.log[0][0].args["apikey"] == TOKEN  # sent as configured
    assert "apikey=***" in str(failure.value)
    assert_no_token(tmp_path, str(failure.value))


# --- TLS --------------------------------------------------------------------------------------


def test_ca_bundle_is_passed_as_verify(httpserver: HTTPServer, tmp_path, waits):
    bundle = tmp_path / "portal-chain.pem"
    bundle.write_text("-----BEGIN CERTIFICATE-----\n")  # never read: the URL is plain http
    httpserver.expect_request(PATH).respond_with_data("ok")
    session = RecordingSession()

    fetch(
        source_for(httpserver.url_for(PATH), ca_bundle=str(bundle)),
        tmp_path,
        waits,
        session=session,
    )

    assert session.calls[0]["verify"] == str(bundle)


def test_a_missing_ca_bundle_is_named(tmp_path, waits):
    with pytest.raises(SourceError, match=r"ca_bundle /nowhere/chain\.pem is not a file"):
        fetch(source_for("https://127.0.0.1/x", ca_bundle="/nowhere/chain.pem"), tmp_path, waits)


@pytest.fixture(scope="module")
def https_server(tmp_path_factory) -> Iterator[tuple[HTTPServer, Path]]:
    """An HTTPS portal whose certificate comes from a private CA (the ca_bundle case)."""
    pytest.importorskip("cryptography")
    folder = tmp_path_factory.mktemp("tls")
    ca_pem, cert_pem, key_pem = _private_ca_certificate(folder)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_pem, key_pem)
    server = HTTPServer(host="127.0.0.1", port=0, ssl_context=context)
    server.start()
    yield server, ca_pem
    server.clear()
    server.stop()


def test_https_with_a_ca_bundle(https_server, tmp_path, waits):
    server, ca_pem = https_server
    server.expect_request(PATH).respond_with_data("over tls")
    assert server.url_for(PATH).startswith("https://")

    got = fetch(source_for(server.url_for(PATH), ca_bundle=str(ca_pem)), tmp_path, waits)

    assert got.path.read_bytes() == b"over tls"


def test_https_without_the_ca_bundle_fails_once_with_a_hint(https_server, tmp_path, waits):
    server, _ = https_server

    with pytest.raises(SourceError, match=r"TLS verification failed.*set ca_bundle"):
        fetch(source_for(server.url_for(PATH)), tmp_path, waits)

    assert waits == []  # a certificate problem is not retried


def test_non_http_urls_are_refused(tmp_path, waits):
    with pytest.raises(SourceError, match="not an http"):
        fetch(source_for("file:///srv/exports"), tmp_path, waits)


def _private_ca_certificate(folder: Path) -> tuple[Path, Path, Path]:
    """A CA and a server certificate for 127.0.0.1 signed by it, as PEM files."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    now = dt.datetime.now(dt.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Test portal CA")])
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=2))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), False)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")]))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=2))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), False
        )
        .sign(ca_key, hashes.SHA256())
    )
    paths = folder / "ca.pem", folder / "server.pem", folder / "server.key"
    paths[0].write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    paths[1].write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    paths[2].write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return paths
