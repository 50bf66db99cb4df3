"""The demo portal: the built-in demo exports served over HTTP on 127.0.0.1, as a portal would.

`cchc portal-demo` runs it on a port of your choice; `cchc run` on the demo configuration starts
one on a free port for the run, so the demo goes through the real HTTP extractor (conditional
GET, paging) instead of around it. A JSON file under a `paged/` folder is served in pages of
PAGE_SIZE records with `?page=N`, the way portal APIs page their exports. The national portal's
scoreboard API (national_api.py) answers POST requests under /DVCQG/api/v1/reporting/evaluation/
with the answer its JSON body names, once its landing page /DVCQG/ has set the session cookie.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from http.cookies import SimpleCookie
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from warehouse.demo.national_api import (
    API,
    COOKIE,
    COOKIE_VALUE,
    FIREWALL_PAGE,
    LANDING,
    LANDING_PAGE,
    NATIONAL_PORTAL,
    answer_key,
    error_envelope,
)

PAGE_SIZE = 500


class DemoPortalHandler(SimpleHTTPRequestHandler):
    """Static files with Last-Modified / If-Modified-Since (from the standard library) and
    pages of JSON exports; no directory listings, and quiet unless asked."""

    def list_directory(self, path):  # type: ignore[no-untyped-def]
        self.send_error(404, "No listing")
        return None

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        if parts.path == LANDING:
            cookie = f"{COOKIE}={COOKIE_VALUE}; Path=/; HttpOnly"
            self._send(LANDING_PAGE, "text/html; charset=utf-8", [("Set-Cookie", cookie)])
            return
        page = parse_qs(parts.query).get("page")
        if page and "/paged/" in parts.path:
            self._send_page(parts.path, page[0])
            return
        super().do_GET()

    def do_POST(self) -> None:
        """The national portal's API: the answer the JSON body names, the firewall page without
        the landing page's cookie, an envelope whose code is not OK for a body it cannot serve."""
        path = urlsplit(self.path).path
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if not path.startswith(f"/{NATIONAL_PORTAL}/{API}/"):
            self.send_error(404)
            return
        cookies = SimpleCookie(self.headers.get("Cookie") or "")
        if COOKIE not in cookies or cookies[COOKIE].value != COOKIE_VALUE:
            self._send(FIREWALL_PAGE, "text/html; charset=utf-8")
            return
        try:
            body = json.loads(raw)
        except ValueError:
            body = None
        key = answer_key(body) if isinstance(body, dict) else None
        answer = Path(self.translate_path(path)) / f"{key}.json"
        if key is None or not answer.is_file():
            self._send(error_envelope("Không có dữ liệu cho yêu cầu này"), "application/json")
            return
        self._send(answer.read_bytes(), "application/json; charset=utf-8")

    def _send(
        self, body: bytes, content_type: str, headers: list[tuple[str, str]] | None = None
    ) -> None:
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers or []:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def _send_page(self, path: str, page_text: str) -> None:
        file = Path(self.translate_path(path))
        if not file.is_file():
            self.send_error(404)
            return
        records = json.loads(file.read_bytes())
        pages = max(1, -(-len(records) // PAGE_SIZE))
        try:
            number = int(page_text)
        except ValueError:
            self.send_error(400, "page must be a number")
            return
        if not 1 <= number <= pages:
            self.send_error(404, f"page {number} of {pages}")
            return
        chunk = records[(number - 1) * PAGE_SIZE : number * PAGE_SIZE]
        body = json.dumps(
            {"data": chunk, "page": number, "total_pages": pages}, ensure_ascii=False
        ).encode("utf-8")
        self.send_response(200)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        if getattr(self.server, "verbose", False):
            super().log_message(format, *args)


def make_server(root: Path, port: int = 0, *, verbose: bool = False) -> ThreadingHTTPServer:
    """A server for the files under `root` on 127.0.0.1 (`port` 0 picks a free one)."""
    handler = partial(DemoPortalHandler, directory=str(root))
    server = ThreadingHTTPServer(("127.0.0.1", port), handler)
    server.verbose = verbose  # type: ignore[attr-defined]
    return server


@contextmanager
def serving(root: Path) -> Iterator[str]:
    """Serve `root` in a background thread for the duration; yields the base URL."""
    server = make_server(root)
    thread = threading.Thread(target=server.serve_forever, name="demo-portal", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
