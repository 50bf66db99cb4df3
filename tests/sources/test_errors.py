"""SourceError.transient: which failures the nightly flow may try again, against real servers."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest
from http_support import PATH, fetch, source_for
from pytest_httpserver import HTTPServer
from werkzeug import Response

from warehouse import pipeline
from warehouse.sources.errors import SourceError, is_transient

pytest_plugins = ["http_fixtures"]  # the `waits` and `refused` fixtures


def failure(source, tmp_path, waits) -> SourceError:  # type: ignore[no-untyped-def]
    with pytest.raises(SourceError) as raised:
        fetch(source, tmp_path, waits)
    return raised.value


@pytest.mark.parametrize("status", [400, 401, 403, 404, 410, 451])
def test_other_4xx_are_permanent(httpserver: HTTPServer, tmp_path, waits, status: int) -> None:
    httpserver.expect_request(PATH).respond_with_data("no", status=status)
    error = failure(source_for(httpserver.url_for(PATH)), tmp_path, waits)
    assert (error.status, error.transient, is_transient(error)) == (status, False, False)
    assert len(httpserver.log) == 1


@pytest.mark.parametrize("status", [408, 429, 500, 502, 503, 504])
def test_408_429_and_5xx_are_transient(
    httpserver: HTTPServer, tmp_path, waits, status: int
) -> None:
    httpserver.expect_request(PATH).respond_with_data("busy", status=status)
    error = failure(source_for(httpserver.url_for(PATH), retries=1), tmp_path, waits)
    assert (error.status, error.transient) == (status, True)
    assert len(httpserver.log) == 2  # the HTTP layer's own retry came first


def test_a_body_over_max_bytes_is_permanent(httpserver: HTTPServer, tmp_path, waits) -> None:
    httpserver.expect_request(PATH).respond_with_response(Response(iter([b"x" * 800] * 3)))
    error = failure(source_for(httpserver.url_for(PATH), max_bytes=1000), tmp_path, waits)
    assert "over max_bytes" in str(error) and not error.transient


def test_a_refused_connection_is_transient(refused: str, tmp_path, waits) -> None:
    error = failure(source_for(f"{refused}/x.csv", retries=0), tmp_path, waits)
    assert error.transient and error.status is None


@pytest.fixture
def silent() -> Iterator[str]:
    """A server that never answers: the kernel completes the handshake, nobody reads."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"


def test_a_read_timeout_is_transient(silent: str, tmp_path, waits) -> None:
    source = source_for(f"{silent}/x.csv", retries=0, read_timeout=0.5)
    error = failure(source, tmp_path, waits)
    assert error.transient and "Timeout" in str(error)


def test_a_missing_token_is_permanent(httpserver: HTTPServer, tmp_path, waits) -> None:
    source = source_for(httpserver.url_for(PATH), token_env="CCHC_TEST_UNSET_TOKEN")
    assert not failure(source, tmp_path, waits).transient
    assert httpserver.log == []


def test_a_failed_extract_says_whether_it_is_transient(
    httpserver: HTTPServer, tmp_path, waits
) -> None:
    """pipeline.extract hands the flow a result, not the error: the result carries the flag."""
    httpserver.expect_request("/busy.csv").respond_with_data("busy", status=503)
    httpserver.expect_request("/gone.csv").respond_with_data("gone", status=404)
    busy = pipeline.extract(source_for(httpserver.url_for("/busy.csv"), retries=0), tmp_path)
    gone = pipeline.extract(source_for(httpserver.url_for("/gone.csv"), retries=0), tmp_path)
    assert (busy.status, busy.transient) == ("failed", True)
    assert (gone.status, gone.transient) == ("failed", False)
