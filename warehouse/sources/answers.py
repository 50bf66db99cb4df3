"""Answers that came back with status 200 and are still not data.

The national portal sits behind a web firewall that answers a request it dislikes with an HTML
page ("Request Rejected", "Your support ID is: …"), status 200; its API wraps every answer in
`{"code": "OK", "message": …, "data": …}` and says a failure with another code. Either is a
failed request: it is never archived or loaded, and it is retried like a timeout, since the
firewall and the API both tend to answer differently a little later (and a retry of a source
with `session_url` fetches a fresh session cookie first). Kept apart from the HTTP client so the
rule is one function that tests can call on bytes.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

PEEK = 64 * 1024  # a firewall page is a few hundred bytes; an envelope says its code early
ENVELOPE_MAX = 64 * 1024 * 1024  # answers the API wraps are small; a larger body is an export
_FIREWALL = re.compile(rb"request\s+rejected|support\s+id", re.IGNORECASE)
_HTML = re.compile(rb"^\s*(<!doctype\s+html|<html|<head|<body|<title)", re.IGNORECASE)
_SUPPORT_ID = re.compile(rb"support\s+id\s*(?:is)?\s*:?\s*([0-9A-Za-z-]{4,40})", re.IGNORECASE)


def failure_of(path: Path, *, envelope: bool = True) -> str | None:
    """Why the body in `path` is a failed request, in words; None when it may be data.

    `envelope`: judge an API envelope too (the national portal's answers to a POST). A GET
    export is never judged by a `code` key, which an export may hold for its own reasons.
    """
    with path.open("rb") as handle:
        head = handle.read(PEEK)
    if _HTML.match(head.lstrip(b"\xef\xbb\xbf")) and _FIREWALL.search(head):
        support = _SUPPORT_ID.search(head)
        which = f", support ID {support.group(1).decode()}" if support else ""
        return f"the portal's web firewall rejected the request (an HTML page{which})"
    if not envelope or not head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{"):
        return None
    if path.stat().st_size > ENVELOPE_MAX:
        return None
    try:
        document = json.loads(path.read_bytes().decode("utf-8-sig"))
    except (ValueError, RecursionError):
        return None  # not JSON: the loader says what it is
    return envelope_failure(document)


def envelope_failure(document: object) -> str | None:
    """`{"code": "ERR…", "message": …}`: the API's own word that the request failed."""
    if not isinstance(document, dict) or "code" not in document:
        return None
    if not ("data" in document or "message" in document):
        return None  # a top-level "code" alone is no envelope
    code = document["code"]
    if code == "OK":
        return None
    message = document.get("message")
    said = f": {str(message)[:200]}" if message not in (None, "") else ""
    return f"the portal answered code {str(code)[:40]!r} instead of 'OK'{said}"
