"""Download one HTTP(S) source into download_dir, safely enough to run unattended every night.

Portal servers are slow, overloaded at month end, sometimes mid-deploy, and their exports can
be large, so every request has connect and read timeouts, transient failures are retried with
capped exponential back-off (full jitter, so parallel jobs do not retry in step) and
`Retry-After` is obeyed. A body is streamed to a temporary file and renamed into place only
when complete, so a reader never sees half an export. ETag / Last-Modified are remembered so an
unchanged export is not downloaded (or loaded) again. Tokens come from the environment and are
masked in every URL, message and log line this module produces. A POST source (the national
portal's API) sends its JSON body with the placeholders filled from the run's as-of day and is
asked afresh every run: its answer is the day's snapshot, and the body sent goes with it.

This module decides what to fetch and where it lands; the request itself is in `http_client`,
the waits in `retry`, the validators in `http_state` and the masking in `redact`. The names
other code imports from here stay importable from here.
"""

from __future__ import annotations

import json
import logging
import os
import re
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

import requests

from warehouse.clock import vietnam_now
from warehouse.config import Source
from warehouse.sources.atomic import commit, write_atomically
from warehouse.sources.errors import SourceError
from warehouse.sources.http_client import HttpClient
from warehouse.sources.http_state import HttpState, state_path
from warehouse.sources.json_pages import PagingError, combine_json_pages
from warehouse.sources.redact import masked_in_logs, redact
from warehouse.sources.request_body import fill_body
from warehouse.sources.retry import Jitter, Sleep, full_jitter, retry_after_seconds

__all__ = ["Fetched", "fetch_source", "full_jitter", "is_http", "redact", "retry_after_seconds"]

log = logging.getLogger("warehouse.sources.http")

MAX_PAGES = 10_000  # a `total_pages` beyond this is a broken API, not an export


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
    request: dict | None = None  # the JSON body a POST sent (placeholders filled)


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
    as_of: date | None = None,
) -> Fetched:
    """Download `source` into `download_dir/<name>` (atomically), or report it unchanged.

    `as_of` fills the placeholders of a POST body (default: today in Vietnam). `sleep` and
    `jitter` are parameters so tests can record the waits instead of sitting through them.
    Raises SourceError, whose message is safe to show, for anything that stops the fetch: a
    4xx, retries exhausted, a body over `max_bytes`, a missing token variable, a firewall page.
    """
    if not is_http(source):
        raise SourceError(
            f"source {source.name}: {redact(source.url)} is not an http(s) URL; "
            "file:// URLs and paths are read by warehouse.sources.files.collect_files"
        )
    if source.ca_bundle and not Path(source.ca_bundle).is_file():
        raise SourceError(f"source {source.name}: ca_bundle {source.ca_bundle} is not a file")
    token = _token(source)
    body = None
    if source.method == "POST":
        day = as_of or vietnam_now().date()
        body = fill_body(source.body or {}, day, source=f"source {source.name}")
    download_dir.mkdir(parents=True, exist_ok=True)
    client = HttpClient(
        source, session or requests.Session(), token, download_dir, sleep, jitter, body
    )
    state = HttpState.read(state_path(state_dir, source), client.shown)
    target = download_dir / _file_name(source)
    try:
        with masked_in_logs(client.secrets):
            if body is not None:
                return _fetch_post(client, target, body)
            if source.page_param:
                return _fetch_pages(client, state, target)
            return _fetch_one(client, state, target)
    finally:
        if session is None:
            client.session.close()


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


def _file_name(source: Source) -> str:
    """`<source name><suffix of the URL path>`: stable, so each fetch replaces the last one.

    Only the suffix of the URL is used (`.xlsx`, `.json`), never its query, so no token can
    reach a file name. The content decides the format anyway; the suffix is for people.
    """
    base = re.sub(r"[^\w.-]+", "_", source.name).strip("._") or "source"
    if source.page_param or source.method == "POST":
        return f"{base}.json"
    suffix = Path(urlsplit(source.url).path).suffix.lower()
    return base + (suffix if re.fullmatch(r"\.[a-z0-9]{1,5}", suffix) else "")


# --- the two shapes of export -----------------------------------------------------------------


def _unchanged(client: HttpClient, state: HttpState) -> Fetched:
    log.info("%s: not modified since the last fetch", client.shown)
    return Fetched(
        client.source.name, client.shown, "unchanged", None, 0, state.etag, state.last_modified
    )


def _fetch_one(client: HttpClient, state: HttpState, target: Path) -> Fetched:
    got = client.download(client.url(), conditional=state.headers(), limit=client.source.max_bytes)
    if got is None:
        return _unchanged(client, state)
    commit(got.path, target)
    state.saved(got.etag, got.last_modified, got.size)
    log.info("%s: saved %d bytes to %s", client.shown, got.size, target)
    return Fetched(
        client.source.name, client.shown, "new", target, got.size, got.etag, got.last_modified
    )


def _fetch_post(client: HttpClient, target: Path, body: dict) -> Fetched:
    """One POST, asked unconditionally: a POST answer has no validators, and an answer equal
    to yesterday's is still today's snapshot (the loader records it as such)."""
    got = client.download(client.url(), conditional={}, limit=client.source.max_bytes)
    assert got is not None  # only a conditional request can come back unchanged
    commit(got.path, target)
    log.info("%s: saved %d bytes to %s", client.shown, got.size, target)
    return Fetched(client.source.name, client.shown, "new", target, got.size, request=body)


def _fetch_pages(client: HttpClient, state: HttpState, target: Path) -> Fetched:
    """Pages 1..M as ONE file, so the export loads in one transaction, rows numbered across pages.

    Only page 1 is asked conditionally: when it is unchanged the export is taken as unchanged,
    since a portal regenerates all pages of an export together.
    """
    source = client.source
    first = client.download(client.url(1), conditional=state.headers(), limit=source.max_bytes)
    if first is None:
        return _unchanged(client, state)
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
            part.path.unlink(missing_ok=True)
    write_atomically(target, combined)
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
