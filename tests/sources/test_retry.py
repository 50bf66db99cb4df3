"""warehouse/sources/retry.py: which failures are retried, and the waits between attempts.

Through fetch_source against real servers on 127.0.0.1; the waits are recorded, not slept.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import logging
import time
from collections.abc import Iterator

import pytest
from http_support import PATH, Waits, fetch, files_in, source_for
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from warehouse.sources.errors import SourceError
from warehouse.sources.http import fetch_source
from warehouse.sources.retry import MAX_WAIT, retry_after_seconds

pytest_plugins = ["http_fixtures"]  # the `waits` and `refused` fixtures


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
