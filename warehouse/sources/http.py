"""Download one HTTP(S) source into download_dir, safely enough to run unattended every night.

Portal servers are slow, overloaded at month end, sometimes mid-deploy, and their exports can
be large, so every request has connect and read timeouts, transient failures are retried with
capped exponential back-off (full jitter, so parallel jobs do not retry in step) and
`Retry-After` is obeyed. A body is streamed to a temporary file and renamed into place only
when complete, so a reader never sees half an export. ETag / Last-Modified are remembered so an
unchanged export is not downloaded (or loaded) again. Tokens come from the environment and are
masked in every URL, message and log line this module produces.
"""

from __future__ import annotations

import email.utils
import json
import logging
import os
import random
import re
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal
from urllib.parse import quote, quote_plus, unquote_plus, urlencode, urlsplit, urlunsplit

import requests
from requests.auth import AuthBase

from warehouse.config import Source
from warehouse.sources.errors import SourceError
from warehouse.sources.json_pages import PagingError, combine_json_pages

log = logging.getLogger("warehouse.sources.http")

CHUNK = 1 << 20  # 1 MiB: few system calls, little memory
BACKOFF_BASE = 1.0  # seconds before the first retry, doubled for each further one
MAX_WAIT = 60.0  # no single wait longer than this, whatever the server asks
MAX_PAGES = 10_000  # a `total_pages` beyond this is a broken API, not an export
REDACTED = "***"
# Besides 5xx: too many requests, and the server's own timeout waiting for our request.
_RETRIED_STATUSES = frozenset({408, 429})

# Query keys whose values are credentials even when the configuration does not say so.
_SECRET_KEY = re.compile(r"token|key|secret|passw|pwd|sig|auth|credential|session", re.I)
# urllib3 logs request lines (query string included) at DEBUG: masked while a fetch runs.
_THIRD_PARTY_LOGGERS = ("urllib3.connectionpool", "urllib3.util.retry", "urllib3.connection")

Sleep = Callable[[float], None]
Jitter = Callable[[float], float]


@dataclass(frozen=True)
class Fetched:
    """What one fetch produced; `url` is redacted, so the whole object is safe to log or store."""

    source: str
    url: str
    status: Literal["new", "unchanged"]
    path: Path | None  # the complete download, None when the portal said "not modified"
    bytes: int
    etag: str | None = None
    last_modified: str | None = None
    pages: int = 1


def full_jitter(ceiling: float) -> float:
    """A wait drawn uniformly in [0, ceiling]: retries of many jobs spread instead of colliding."""
    return random.uniform(0.0, ceiling)


def redact(url: str, secret_params: Iterable[str] = ()) -> str:
    """The URL with user info and secret query values masked: the only form of a URL to show.

    Secret values are those of `secret_params` and of any key that looks like a credential
    (token, key, secret, password, signature, ...). The rest of the query is kept as written,
    so the logged URL is still the one to paste into a browser, minus the secrets.
    """
    try:
        parts = urlsplit(url)
    except ValueError:
        return "<unparsable URL>"
    netloc = parts.netloc
    if "@" in netloc:
        netloc = f"{REDACTED}@{netloc.rpartition('@')[2]}"
    named = {name.lower() for name in secret_params}
    pieces = []
    for piece in parts.query.split("&") if parts.query else []:
        key, equals, _value = piece.partition("=")
        plain = unquote_plus(key)
        if equals and (plain.lower() in named or _SECRET_KEY.search(plain)):
            piece = f"{key}={REDACTED}"
        pieces.append(piece)
    return urlunsplit((parts.scheme, netloc, parts.path, "&".join(pieces), parts.fragment))


def retry_after_seconds(value: str | None, now: datetime | None = None) -> float | None:
    """`Retry-After: 120` or `Retry-After: Wed, 21 Oct 2026 07:28:00 GMT` → seconds from now.

    None when absent or unreadable (the back-off applies then); a date in the past is 0.
    """
    if not value or not value.strip():
        return None
    value = value.strip()
    if value.isascii() and value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def is_http(source: Source) -> bool:
    """HTTP(S) sources go to `fetch_source`; the others are local (`files.collect_files`)."""
    return source.url.lower().startswith(("http://", "https://"))


def fetch_source(
    source: Source,
    *,
    download_dir: Path,
    state_dir: Path,
    session: requests.Session | None = None,
    sleep: Sleep = time.sleep,
    jitter: Jitter = full_jitter,
) -> Fetched:
    """Download `source` into `download_dir/<name>` (atomically), or report it unchanged.

    `sleep` and `jitter` are parameters so tests can record the waits instead of sitting
    through them. Raises SourceError, whose message is safe to show, for anything that stops
    the fetch: a 4xx, retries exhausted, a body over `max_bytes`, a missing token variable.
    """
    if not is_http(source):
        raise SourceError(
            f"source {source.name}: {redact(source.url)} is not an http(s) URL; "
            "file:// URLs and paths are read by warehouse.sources.files.collect_files"
        )
    if source.ca_bundle and not Path(source.ca_bundle).is_file():
        raise SourceError(f"source {source.name}: ca_bundle {source.ca_bundle} is not a file")
    token = _token(source)
    download_dir.mkdir(parents=True, exist_ok=True)
    client = _Client(source, session or requests.Session(), token, download_dir, sleep, jitter)
    state = _State.read(_state_path(state_dir, source), client.shown)
    target = download_dir / _file_name(source)
    try:
        with _masked_in_logs(client.secrets):
            if source.page_param:
                return _fetch_pages(client, state, target)
            return _fetch_one(client, state, target)
    finally:
        if session is None:
            client.session.close()


# --- the two shapes of export -----------------------------------------------------------------


def _fetch_one(client: _Client, state: _State, target: Path) -> Fetched:
    got = client.download(client.url(), conditional=state.headers(), limit=client.source.max_bytes)
    if got is None:
        return client.unchanged(state)
    _commit(got.path, target)
    state.saved(got.etag, got.last_modified, got.size)
    log.info("%s: saved %d bytes to %s", client.shown, got.size, target)
    return Fetched(
        client.source.name, client.shown, "new", target, got.size, got.etag, got.last_modified
    )


def _fetch_pages(client: _Client, state: _State, target: Path) -> Fetched:
    """Pages 1..M as ONE file, so the export loads in one transaction, rows numbered across pages.

    Only page 1 is asked conditionally: when it is unchanged the export is taken as unchanged,
    since a portal regenerates all pages of an export together.
    """
    source = client.source
    first = client.download(client.url(1), conditional=state.headers(), limit=source.max_bytes)
    if first is None:
        return client.unchanged(state)
    parts = [first]
    try:
        total = _total_pages(first.path, client.shown)
        for number in range(2, total + 1):
            budget = source.max_bytes - sum(part.size for part in parts)
            page = client.download(client.url(number), conditional={}, limit=budget)
            assert page is not None  # only a conditional request can come back unchanged
            parts.append(page)
        try:
            combined = combine_json_pages([part.path.read_bytes() for part in parts])
        except (PagingError, ValueError) as error:
            raise SourceError(
                f"{client.shown}: the pages do not make one export: {error}"
            ) from None
    finally:
        for part in parts:
            _unlink(part.path)
    _write_atomically(target, combined)
    state.saved(first.etag, first.last_modified, len(combined))
    log.info(
        "%s: %d pages combined, %d bytes saved to %s", client.shown, total, len(combined), target
    )
    return Fetched(
        source.name,
        client.shown,
        "new",
        target,
        len(combined),
        first.etag,
        first.last_modified,
        pages=total,
    )


def _total_pages(page_one: Path, shown: str) -> int:
    try:
        document = json.loads(page_one.read_bytes())
    except ValueError:
        raise SourceError(f"{shown}: page 1 is not JSON") from None
    if not isinstance(document, dict) or "total_pages" not in document:
        return 1  # a single page (or an array): combine_json_pages checks its shape
    total = document["total_pages"]
    if not isinstance(total, int) or isinstance(total, bool) or not 1 <= total <= MAX_PAGES:
        raise SourceError(f"{shown}: page 1 says total_pages = {total!r}; expected 1..{MAX_PAGES}")
    return total


# --- one HTTP download, with retries ------------------------------------------------------------


@dataclass(frozen=True)
class _Download:
    path: Path  # a complete temporary file in download_dir, still to be renamed or removed
    size: int
    etag: str | None
    last_modified: str | None


class _Transient(Exception):
    """A failure worth another attempt (network, timeout, 429, 5xx, a body cut short)."""

    def __init__(
        self, reason: str, *, retry_after: float | None = None, status: int | None = None
    ) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retry_after = retry_after
        self.status = status


class _Bearer(AuthBase):
    """The token as an auth object, not a bare header: a ~/.netrc entry cannot replace it."""

    def __init__(self, token: str) -> None:
        self.token = token

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        request.headers["Authorization"] = f"Bearer {self.token}"
        return request

    def __repr__(self) -> str:
        return f"_Bearer({REDACTED})"


class _Client:
    """One source's session, credentials and retry policy; every URL it shows is redacted."""

    def __init__(
        self,
        source: Source,
        session: requests.Session,
        token: str | None,
        download_dir: Path,
        sleep: Sleep,
        jitter: Jitter,
    ) -> None:
        self.source = source
        self.session = session
        self.download_dir = download_dir
        self.token = token
        self.sleep = sleep
        self.jitter = jitter
        self.hidden = [source.token_query_param] if source.token_query_param else []
        self.shown = redact(source.url, self.hidden)
        self.secrets = _secrets_of(source.url, token, self.hidden)

    def url(self, page: int | None = None) -> str:
        """The URL to request: the configured one plus the page and the query token, if any."""
        extra: dict[str, str] = {}
        if page is not None and self.source.page_param:
            extra[self.source.page_param] = str(page)
        if self.token and self.source.token_query_param:
            extra[self.source.token_query_param] = self.token
        return _with_query(self.source.url, extra)

    def unchanged(self, state: _State) -> Fetched:
        log.info("%s: not modified since the last fetch", self.shown)
        return Fetched(
            self.source.name, self.shown, "unchanged", None, 0, state.etag, state.last_modified
        )

    def download(self, url: str, *, conditional: dict[str, str], limit: int) -> _Download | None:
        """GET url into a temporary file, retrying transient failures; None on 304."""
        shown = redact(url, self.hidden)
        total = 1 + max(0, self.source.retries)
        for attempt in range(1, total + 1):
            log.info("GET %s (attempt %d of %d)", shown, attempt, total)
            try:
                return self._attempt(url, shown, conditional, limit)
            except _Transient as problem:
                if attempt == total:
                    raise SourceError(
                        f"{shown}: gave up after {total} attempts; last: {problem.reason}",
                        status=problem.status,
                    ) from None
                wait = self._wait(attempt, problem.retry_after)
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

    def _wait(self, attempt: int, retry_after: float | None) -> float:
        """The server's Retry-After when it gave one, else capped exponential full jitter."""
        if retry_after is not None:
            return min(MAX_WAIT, retry_after)
        ceiling = min(MAX_WAIT, BACKOFF_BASE * 2 ** (attempt - 1))
        return min(ceiling, max(0.0, self.jitter(ceiling)))

    def _attempt(
        self, url: str, shown: str, conditional: dict[str, str], limit: int
    ) -> _Download | None:
        bearer = self.token and not self.source.token_query_param
        try:
            response = self.session.get(
                url,
                headers=conditional,
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
            raise _Transient(self._describe(error)) from None
        except requests.RequestException as error:
            raise SourceError(f"{shown}: {self._describe(error)}") from None
        with response:
            return self._receive(response, shown, bool(conditional), limit)

    def _receive(
        self, response: requests.Response, shown: str, conditional: bool, limit: int
    ) -> _Download | None:
        status = response.status_code
        if status == 304 and conditional:
            return None
        if status in _RETRIED_STATUSES or 500 <= status <= 599:
            raise _Transient(
                f"HTTP {status} {response.reason}",
                retry_after=retry_after_seconds(response.headers.get("Retry-After")),
                status=status,
            )
        if status != 200:
            raise SourceError(f"{shown}: HTTP {status} {response.reason}", status=status)
        path, size = self._stream(response, shown, limit)
        return _Download(
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
                    raise _Transient(f"body cut short: {self._describe(error)}") from None
                sink.flush()
                os.fsync(sink.fileno())
            if expected is not None and size != expected:
                raise _Transient(f"body cut short: {size} of {expected} bytes (Content-Length)")
        except BaseException:
            _unlink(temp)
            raise
        return temp, size

    def _describe(self, error: BaseException) -> str:
        """The exception's class and text without secrets (urllib3 puts the URL in it)."""
        return f"{type(error).__name__}: {_scrub(str(error), self.secrets)}"


def _declared_length(response: requests.Response) -> int | None:
    """Content-Length, when it counts the bytes iter_content yields (no compression)."""
    if response.headers.get("Content-Encoding", "identity").lower() != "identity":
        return None
    try:
        return int(response.headers["Content-Length"])
    except (KeyError, ValueError):
        return None


# --- secrets ------------------------------------------------------------------------------------


def _token(source: Source) -> str | None:
    """The token from the environment; naming the variable (never the value) when it is unset."""
    if not source.token_env:
        return None
    value = os.environ.get(source.token_env, "").strip()
    if not value:
        raise SourceError(
            f"source {source.name}: environment variable {source.token_env} is not set or "
            "empty; it must hold the portal's access token"
        )
    return value


def _secrets_of(url: str, token: str | None, hidden: list[str]) -> list[str]:
    """Every string that must never be shown: the token and the secret parts of the URL."""
    found = []
    parts = urlsplit(url)
    if parts.password:
        found.append(parts.password)
    named = {name.lower() for name in hidden}
    for piece in parts.query.split("&") if parts.query else []:
        key, _, value = piece.partition("=")
        plain = unquote_plus(key)
        if value and (plain.lower() in named or _SECRET_KEY.search(plain)):
            found.extend([value, unquote_plus(value)])
    # Very short URL values are left alone (masking "1" would garble every message); the
    # token itself is always masked, whatever its length.
    secrets = {s for s in found if len(s) >= 4} | ({token} if token else set())
    return sorted(secrets, key=len, reverse=True)


def _scrub(text: str, secrets: Iterable[str]) -> str:
    """Mask each secret as written and as it appears percent-encoded in a URL."""
    for secret in secrets:
        for form in {secret, quote(secret, safe=""), quote_plus(secret)}:
            text = text.replace(form, REDACTED)
    return text


class _ScrubFilter(logging.Filter):
    def __init__(self, secrets: list[str]) -> None:
        super().__init__()
        self.secrets = secrets

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        clean = _scrub(message, self.secrets)
        if clean != message:
            record.msg, record.args = clean, ()
        return True


@contextmanager
def _masked_in_logs(secrets: list[str]) -> Iterator[None]:
    """While a fetch runs, urllib3's DEBUG lines (full request URLs) are scrubbed too."""
    if not secrets:
        yield
        return
    scrub = _ScrubFilter(secrets)
    loggers = [logging.getLogger(name) for name in _THIRD_PARTY_LOGGERS]
    for logger in loggers:
        logger.addFilter(scrub)
    try:
        yield
    finally:
        for logger in loggers:
            logger.removeFilter(scrub)


# --- files and state ----------------------------------------------------------------------------


def _file_name(source: Source) -> str:
    """`<source name><suffix of the URL path>`: stable, so each fetch replaces the last one.

    Only the suffix of the URL is used (`.xlsx`, `.json`), never its query, so no token can
    reach a file name. The content decides the format anyway; the suffix is for people.
    """
    base = re.sub(r"[^\w.-]+", "_", source.name).strip("._") or "source"
    if source.page_param:
        return f"{base}.json"
    suffix = Path(urlsplit(source.url).path).suffix.lower()
    return base + (suffix if re.fullmatch(r"\.[a-z0-9]{1,5}", suffix) else "")


def _commit(temp: Path, target: Path) -> None:
    try:
        os.replace(temp, target)
    except BaseException:
        _unlink(temp)
        raise


def _write_atomically(target: Path, data: bytes) -> None:
    handle, name = tempfile.mkstemp(dir=target.parent, prefix=".partial-")
    try:
        with os.fdopen(handle, "wb") as sink:
            sink.write(data)
            sink.flush()
            os.fsync(sink.fileno())
        os.replace(name, target)
    except BaseException:
        _unlink(Path(name))
        raise


def _unlink(path: Path) -> None:
    with suppress(FileNotFoundError):
        path.unlink()


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


def _state_path(state_dir: Path, source: Source) -> Path:
    safe = re.sub(r"[^\w.-]+", "_", source.name).strip("._") or "source"
    return state_dir / f"{safe}.http.json"


@dataclass
class _State:
    """The validators of the last complete download of one source (ETag, Last-Modified).

    Kept per source in its own small file so parallel fetches never rewrite each other's, and
    tied to the (redacted) URL: when the configured URL changes, the old validators are void.
    """

    path: Path
    url: str
    etag: str | None = None
    last_modified: str | None = None

    @classmethod
    def read(cls, path: Path, url: str) -> _State:
        try:
            stored = json.loads(path.read_text(encoding="utf-8"))
        except (FileNotFoundError, ValueError):
            return cls(path, url)
        if not isinstance(stored, dict) or stored.get("url") != url:
            return cls(path, url)
        return cls(path, url, stored.get("etag"), stored.get("last_modified"))

    def headers(self) -> dict[str, str]:
        headers = {}
        if self.etag:
            headers["If-None-Match"] = self.etag
        if self.last_modified:
            headers["If-Modified-Since"] = self.last_modified
        return headers

    def saved(self, etag: str | None, last_modified: str | None, size: int) -> None:
        """Record a download; called only once its file is in place, never before."""
        self.etag, self.last_modified = etag, last_modified
        document = {
            "url": self.url,
            "etag": etag,
            "last_modified": last_modified,
            "bytes": size,
            "fetched_at": datetime.now(UTC).isoformat(timespec="seconds"),
        }
        self.path.parent.mkdir(parents=True, exist_ok=True)
        _write_atomically(self.path, json.dumps(document, indent=2).encode("utf-8"))
