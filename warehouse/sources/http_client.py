"""One request for a portal export into a temporary file, made safe to run unattended every night.

Portal servers are slow and their exports can be large, so every request has connect and read
timeouts, the body is streamed to disk with a size limit rather than held in memory, a body cut
short is caught by its Content-Length, and transient failures are retried (see `retry`). The
file stays temporary until the caller renames it into place, so no reader sees half an export.
A request is a GET, or a POST with a JSON body (the national portal's API); a source with a
`session_url` fetches that page first in the same session, so its cookies go with the request.
An answer that is a firewall page, or (for a POST) an API envelope whose code is not "OK", is a
failed request (`answers`), retried like a timeout and never handed on.
"""

from __future__ import annotations

import logging
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote_plus, urlencode, urlsplit, urlunsplit

import requests
from requests.auth import AuthBase

from warehouse.config import Source
from warehouse.sources.answers import failure_of
from warehouse.sources.errors import SourceError
from warehouse.sources.redact import REDACTED, redact, scrub, secrets_of
from warehouse.sources.retry import (
    Jitter,
    Sleep,
    Transient,
    is_retried_status,
    retry_after_seconds,
    wait_before_retry,
)

# The logger of `warehouse.sources.http`, not this module's: one name for the whole HTTP
# extraction, which is the name operators' logging configuration already refers to.
log = logging.getLogger("warehouse.sources.http")

CHUNK = 1 << 20  # 1 MiB: few system calls, little memory


@dataclass(frozen=True)
class Download:
    path: Path  # a complete temporary file in download_dir, still to be renamed or removed
    size: int
    etag: str | None
    last_modified: str | None


class _Bearer(AuthBase):
    """The token as an auth object, not a bare header: a ~/.netrc entry cannot replace it."""

    def __init__(self, token: str) -> None:
        self.token = token

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        request.headers["Authorization"] = f"Bearer {self.token}"
        return request

    def __repr__(self) -> str:
        return f"_Bearer({REDACTED})"


class HttpClient:
    """One source's session, credentials and retry policy; every URL it shows is redacted."""

    def __init__(
        self,
        source: Source,
        session: requests.Session,
        token: str | None,
        download_dir: Path,
        sleep: Sleep,
        jitter: Jitter,
        body: dict | None = None,
    ) -> None:
        self.source = source
        self.body = body  # the JSON body of a POST, its placeholders already filled
        self.session = session
        self.download_dir = download_dir
        self.token = token
        self.sleep = sleep
        self.jitter = jitter
        self.hidden = [source.token_query_param] if source.token_query_param else []
        self.shown = redact(source.url, self.hidden)
        self.secrets = secrets_of(source.url, token, self.hidden)
        if source.session_url:
            self.secrets = sorted(
                {*self.secrets, *secrets_of(source.session_url, None, self.hidden)},
                key=len,
                reverse=True,
            )

    def url(self, page: int | None = None) -> str:
        """The URL to request: the configured one plus the page and the query token, if any."""
        extra: dict[str, str] = {}
        if page is not None and self.source.page_param:
            extra[self.source.page_param] = str(page)
        if self.token and self.source.token_query_param:
            extra[self.source.token_query_param] = self.token
        return _with_query(self.source.url, extra)

    def download(self, url: str, *, conditional: dict[str, str], limit: int) -> Download | None:
        """GET url into a temporary file, retrying transient failures; None on 304."""
        shown = redact(url, self.hidden)
        total = 1 + max(0, self.source.retries)
        for attempt in range(1, total + 1):
            log.info("%s %s (attempt %d of %d)", self.source.method, shown, attempt, total)
            try:
                return self._attempt(url, shown, conditional, limit)
            except Transient as problem:
                if attempt == total:
                    raise SourceError(
                        f"{shown}: gave up after {total} attempts; last: {problem.reason}",
                        status=problem.status,
                        transient=True,  # the nightly flow may try the source again later
                    ) from None
                wait = wait_before_retry(attempt, problem.retry_after, self.jitter)
                log.warning(
                    "%s: %s; retry %d of %d in %.1f s",
                    shown,
                    problem.reason,
                    attempt,
                    total - 1,
                    wait,
                )
                self.sleep(wait)
        raise AssertionError("unreachable")  # pragma: no cover

    def _attempt(
        self, url: str, shown: str, conditional: dict[str, str], limit: int
    ) -> Download | None:
        bearer = self.token and not self.source.token_query_param
        post = self.source.method == "POST"
        try:
            if self.source.session_url:  # every attempt: a rejected request wants a new cookie
                self._open_session()
            response = self.session.request(
                self.source.method,
                url,
                headers=conditional,
                json=self.body if post else None,
                auth=_Bearer(self.token) if bearer else None,
                timeout=(self.source.connect_timeout, self.source.read_timeout),
                stream=True,
                verify=self.source.ca_bundle or True,
            )
        except requests.exceptions.SSLError as error:
            raise SourceError(
                f"{shown}: TLS verification failed ({self._describe(error)}); if the portal's "
                "certificate chain is incomplete, set ca_bundle to a PEM file with its CA"
            ) from None
        except (requests.ConnectionError, requests.Timeout) as error:
            raise Transient(self._describe(error)) from None
        except requests.RequestException as error:
            raise SourceError(f"{shown}: {self._describe(error)}") from None
        with response:
            got = self._receive(response, shown, bool(conditional), limit)
        if got is not None:
            self._refuse_failed_answer(got.path)
        return got

    def _open_session(self) -> None:
        """GET the session page: the session keeps its cookies for the request that follows.

        Its body is not read; a 429 or 5xx is transient like the request's own, another
        failure is final (a wrong session_url will not heal overnight).
        """
        assert self.source.session_url is not None
        shown = redact(self.source.session_url, self.hidden)
        log.info("GET %s (session)", shown)
        page = self.session.get(
            self.source.session_url,
            timeout=(self.source.connect_timeout, self.source.read_timeout),
            stream=True,
            verify=self.source.ca_bundle or True,
        )
        with page:
            if is_retried_status(page.status_code):
                raise Transient(
                    f"session page {shown}: HTTP {page.status_code} {page.reason}",
                    retry_after=retry_after_seconds(page.headers.get("Retry-After")),
                    status=page.status_code,
                )
            if page.status_code >= 400:
                raise SourceError(
                    f"session page {shown}: HTTP {page.status_code} {page.reason}",
                    status=page.status_code,
                )

    def _refuse_failed_answer(self, path: Path) -> None:
        """A firewall page, or a POST answer whose envelope says it failed: transient."""
        reason = failure_of(path, envelope=self.source.method == "POST")
        if reason is not None:
            path.unlink(missing_ok=True)
            raise Transient(reason)

    def _receive(
        self, response: requests.Response, shown: str, conditional: bool, limit: int
    ) -> Download | None:
        status = response.status_code
        if status == 304 and conditional:
            return None
        if is_retried_status(status):
            raise Transient(
                f"HTTP {status} {response.reason}",
                retry_after=retry_after_seconds(response.headers.get("Retry-After")),
                status=status,
            )
        if status != 200:
            raise SourceError(f"{shown}: HTTP {status} {response.reason}", status=status)
        path, size = self._stream(response, shown, limit)
        return Download(
            path, size, response.headers.get("ETag"), response.headers.get("Last-Modified")
        )

    def _stream(self, response: requests.Response, shown: str, limit: int) -> tuple[Path, int]:
        """The body into a temp file beside the target (same disk, so the rename is atomic)."""
        expected = _declared_length(response)
        if expected is not None and expected > limit:
            raise SourceError(f"{shown}: {expected} bytes announced, over max_bytes ({limit})")
        handle, name = tempfile.mkstemp(dir=self.download_dir, prefix=".partial-")
        temp = Path(name)
        try:
            size = 0
            with os.fdopen(handle, "wb") as sink:
                try:
                    for chunk in response.iter_content(CHUNK):
                        size += len(chunk)
                        if size > limit:
                            raise SourceError(f"{shown}: body over max_bytes ({limit})")
                        sink.write(chunk)
                except (
                    requests.ConnectionError,
                    requests.Timeout,
                    requests.exceptions.ChunkedEncodingError,
                ) as error:
                    raise Transient(f"body cut short: {self._describe(error)}") from None
                sink.flush()
                os.fsync(sink.fileno())
            if expected is not None and size != expected:
                raise Transient(f"body cut short: {size} of {expected} bytes (Content-Length)")
        except BaseException:
            temp.unlink(missing_ok=True)
            raise
        return temp, size

    def _describe(self, error: BaseException) -> str:
        """The exception's class and text without secrets (urllib3 puts the URL in it)."""
        return f"{type(error).__name__}: {scrub(str(error), self.secrets)}"


def _declared_length(response: requests.Response) -> int | None:
    """Content-Length, when it counts the bytes iter_content yields (no compression)."""
    if response.headers.get("Content-Encoding", "identity").lower() != "identity":
        return None
    try:
        return int(response.headers["Content-Length"])
    except (KeyError, ValueError):
        return None


def _with_query(url: str, extra: dict[str, str]) -> str:
    """url with `extra` set in its query, replacing those keys and keeping the rest as written."""
    if not extra:
        return url
    parts = urlsplit(url)
    kept = [
        piece
        for piece in (parts.query.split("&") if parts.query else [])
        if unquote_plus(piece.partition("=")[0]) not in extra
    ]
    query = "&".join([*kept, urlencode(extra)])
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, parts.fragment))
