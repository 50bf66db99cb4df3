"""warehouse/sources/http.py against real HTTP servers on 127.0.0.1 (pytest-httpserver).

Every behaviour goes through requests, urllib3 and a socket for real; only the waits between
retries are recorded instead of slept (the `sleep` parameter), so the file runs in seconds.
What one request does is tested in test_http_client.py; retries, validators and masking in
test_retry.py, test_http_state.py and test_redact.py.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator

import pytest
from http_support import PATH, fetch, files_in, source_for
from pytest_httpserver import HTTPServer
from werkzeug import Response

from warehouse.sources.errors import SourceError

pytest_plugins = ["http_fixtures"]  # the `waits` and `refused` fixtures

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


# --- refused before any request ---------------------------------------------------------------


def test_a_missing_token_variable_is_named(httpserver: HTTPServer, tmp_path, waits, monkeypatch):
    monkeypatch.delenv("H37_TOKEN", raising=False)

    with pytest.raises(SourceError, match="environment variable H37_TOKEN is not set"):
        fetch(source_for(httpserver.url_for(PATH), token_env="H37_TOKEN"), tmp_path, waits)

    assert httpserver.log == []


def test_a_missing_ca_bundle_is_named(tmp_path, waits):
    with pytest.raises(SourceError, match=r"ca_bundle /nowhere/chain\.pem is not a file"):
        fetch(source_for("https://127.0.0.1/x", ca_bundle="/nowhere/chain.pem"), tmp_path, waits)


def test_non_http_urls_are_refused(tmp_path, waits):
    with pytest.raises(SourceError, match="not an http"):
        fetch(source_for("file:///srv/exports"), tmp_path, waits)
