"""When a failed request is worth another attempt, and how long to wait before it.

Portal servers are overloaded at month end and sometimes mid-deploy, so transient failures are
retried with capped exponential back-off. The jitter is full (a uniform draw up to the ceiling)
so that parallel jobs, which failed together, do not retry together; a server's `Retry-After`
wins over the back-off because the server knows when it will be back.
"""

from __future__ import annotations

import email.utils
import random
from collections.abc import Callable
from datetime import UTC, datetime

BACKOFF_BASE = 1.0  # seconds before the first retry, doubled for each further one
MAX_WAIT = 60.0  # no single wait longer than this, whatever the server asks
# Besides 5xx: too many requests, and the server's own timeout waiting for our request.
_RETRIED_STATUSES = frozenset({408, 429})

Sleep = Callable[[float], None]
Jitter = Callable[[float], float]


class Transient(Exception):
    """A failure worth another attempt (network, timeout, 429, 5xx, a body cut short)."""

    def __init__(
        self, reason: str, *, retry_after: float | None = None, status: int | None = None
    ) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retry_after = retry_after
        self.status = status


def is_retried_status(status: int) -> bool:
    """Statuses the server may answer differently next time; any other non-200 is final."""
    return status in _RETRIED_STATUSES or 500 <= status <= 599


def full_jitter(ceiling: float) -> float:
    """A wait drawn uniformly in [0, ceiling]: retries of many jobs spread instead of colliding."""
    return random.uniform(0.0, ceiling)


def wait_before_retry(attempt: int, retry_after: float | None, jitter: Jitter) -> float:
    """The server's Retry-After when it gave one, else capped exponential full jitter.

    Both are capped at MAX_WAIT: a nightly run must not stall for an hour on one source.
    """
    if retry_after is not None:
        return min(MAX_WAIT, retry_after)
    ceiling = min(MAX_WAIT, BACKOFF_BASE * 2 ** (attempt - 1))
    return min(ceiling, max(0.0, jitter(ceiling)))


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
