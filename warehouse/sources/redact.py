"""Masking of portal credentials, kept apart so every message that may show a URL uses one rule.

A token in an alert, a log file or a traceback outlives the night it was used in, so nothing the
HTTP extraction shows may contain one: not the URL as configured, not a URL that urllib3 puts in
an exception, not urllib3's own DEBUG request lines.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from urllib.parse import quote, quote_plus, unquote_plus, urlsplit, urlunsplit

REDACTED = "***"

# Query keys whose values are credentials even when the configuration does not say so.
_SECRET_KEY = re.compile(r"token|key|secret|passw|pwd|sig|auth|credential|session", re.I)
# urllib3 logs request lines (query string included) at DEBUG: masked while a fetch runs.
_THIRD_PARTY_LOGGERS = ("urllib3.connectionpool", "urllib3.util.retry", "urllib3.connection")


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


def secrets_of(url: str, token: str | None, hidden: list[str]) -> list[str]:
    """Every string that must never be shown: the token and the secret parts of the URL.

    Longest first, so a secret that contains another is masked whole rather than in pieces.
    """
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


def scrub(text: str, secrets: Iterable[str]) -> str:
    """Mask each secret as written and as it appears percent-encoded in a URL."""
    for secret in secrets:
        for form in {secret, quote(secret, safe=""), quote_plus(secret)}:
            text = text.replace(form, REDACTED)
    return text


class _ScrubFilter(logging.Filter):
    """Rewrites only records that held a secret, so the others keep their lazy formatting."""

    def __init__(self, secrets: list[str]) -> None:
        super().__init__()
        self.secrets = secrets

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        clean = scrub(message, self.secrets)
        if clean != message:
            record.msg, record.args = clean, ()
        return True


@contextmanager
def masked_in_logs(secrets: list[str]) -> Iterator[None]:
    """While a fetch runs, urllib3's DEBUG lines (full request URLs) are scrubbed too."""
    if not secrets:
        yield
        return
    scrub_filter = _ScrubFilter(secrets)
    loggers = [logging.getLogger(name) for name in _THIRD_PARTY_LOGGERS]
    for logger in loggers:
        logger.addFilter(scrub_filter)
    try:
        yield
    finally:
        for logger in loggers:
            logger.removeFilter(scrub_filter)
