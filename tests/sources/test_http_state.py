"""warehouse/sources/http_state.py: conditional GET with the validators of the last download.

Through fetch_source against real servers on 127.0.0.1: the second fetch must be a 304.
"""

from __future__ import annotations

import json

import pytest
from http_support import PATH, fetch, files_in, source_for
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from warehouse.sources.errors import SourceError

pytest_plugins = ["http_fixtures"]  # the `waits` and `refused` fixtures


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
