"""warehouse/sources/redact.py: the token reaches the portal and nothing else.

Not a log line (urllib3's DEBUG lines included), an error, a traceback, a file name or the
state file, as written or percent-encoded; checked through fetch_source against real servers.
"""

from __future__ import annotations

import logging
import traceback
from pathlib import Path

import pytest
import requests
from http_support import PATH, TOKEN, TOKEN_CORE, fetch, source_for
from pytest_httpserver import HTTPServer

from warehouse.sources.errors import SourceError
from warehouse.sources.redact import redact

pytest_plugins = ["http_fixtures"]  # the `waits` and `refused` fixtures


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
