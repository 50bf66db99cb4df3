"""Alert digests through apprise: one message per target per run, each alert state told once.

Why a digest: a bad night can open dozens of alerts, and a reader who gets dozens of messages
stops reading them. Why per target bookkeeping (`ops.alert_deliveries`): a target that was down
must get what it missed on the next run, without the others hearing it twice. The wording lives
in alert_text.py, so this module is what touches the network and the warehouse.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields, replace
from datetime import datetime
from functools import lru_cache
from urllib.parse import parse_qsl, unquote, urlsplit
from zoneinfo import ZoneInfo

import apprise
import duckdb
import pyarrow as pa

from warehouse.alert_text import Alert, format_digest
from warehouse.cause_text import describe_causes
from warehouse.causes import causes_by_parent
from warehouse.sqlfiles import run_sql_file

log = logging.getLogger(__name__)

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
# The whole apprise call, in seconds: a target that hangs must not hold the nightly run.
NOTIFY_TIMEOUT_S = 60


@dataclass(frozen=True)
class TargetResult:
    """What one target got this run. `target` is the redacted URL, safe to print."""

    target: str
    target_id: str
    ok: bool
    alerts_sent: tuple[int, ...] = ()
    alerts_failed: tuple[int, ...] = ()  # in a digest that did not arrive: retried next run
    alerts_skipped: tuple[int, ...] = ()  # resolved before this target saw them open
    error: str | None = None  # why it failed, secrets removed


@dataclass(frozen=True)
class NotifyResult:
    """Per target outcome of one `notify_pending` call."""

    targets: tuple[TargetResult, ...] = ()

    @property
    def sends(self) -> int:
        """Digests delivered (zero on a rerun with nothing new)."""
        return sum(1 for t in self.targets if t.ok and t.alerts_sent)

    @property
    def alerts_sent(self) -> int:
        return sum(len(t.alerts_sent) for t in self.targets)

    @property
    def failed(self) -> tuple[TargetResult, ...]:
        return tuple(t for t in self.targets if not t.ok)

    @property
    def ok(self) -> bool:
        return not self.failed


# --- targets: identity and redaction --------------------------------------------------------


def target_id_for(url: str) -> str:
    """The target's key in ops.alert_deliveries: sha256 of its URL, 16 hex digits, no secret."""
    return hashlib.sha256(url.encode("utf-8")).hexdigest()[:16]


def _host_of(netloc: str) -> str:
    return netloc.rpartition("@")[2]


@lru_cache(maxsize=256)  # parsed once per run, not once per log line
def redact_url(url: str) -> str:
    """`scheme://host[:port]` of apprise's privacy form of the URL, safe to log.

    Apprise's privacy mode masks tokens that some services keep in the host (tgram://, slack://)
    but still prints user names, paths and `+Header=` values, so only its scheme and host are
    kept. A URL apprise cannot read shows its scheme only: which part is secret is unknown.
    """
    scheme = url.partition("://")[0] if "://" in url else "?"
    try:
        plugin = apprise.Apprise.instantiate(url)
    except Exception:  # a URL apprise chokes on still needs a printable name
        plugin = None
    if plugin is None:
        return f"{scheme}://***"
    return f"{scheme}://{_host_of(urlsplit(plugin.url(privacy=True)).netloc)}"


def _secrets_of(url: str, shown: str) -> list[str]:
    """Every part of a URL that may be secret and is not part of its redacted form."""
    parts = urlsplit(url)
    userinfo, _, host = parts.netloc.rpartition("@")
    candidates = [url, parts.netloc, userinfo, *userinfo.split(":"), parts.query, parts.fragment]
    candidates += [value for pair in parse_qsl(parts.query) for value in pair]
    candidates += parts.path.split("/")
    if host not in shown:
        candidates.append(host)
    found = {c for c in candidates if len(c) >= 3} | {unquote(c) for c in candidates if len(c) >= 3}
    return sorted(found, key=len, reverse=True)


def scrub(text: str, url: str) -> str:
    """`text` with every secret-looking part of `url` replaced by ***, for logs and results."""
    shown = redact_url(url)
    for secret in _secrets_of(url, shown):
        if secret not in shown:
            text = text.replace(secret, "***")
    return text


# --- sending and bookkeeping ----------------------------------------------------------------


def _notify_type(alerts: Sequence[Alert]) -> apprise.NotifyType:
    states = {a.state for a in alerts}
    if "fail" in states:
        return apprise.NotifyType.FAILURE
    if "warn" in states:
        return apprise.NotifyType.WARNING
    return apprise.NotifyType.SUCCESS


def send_digest(url: str, title: str, body: str, notify_type: apprise.NotifyType) -> str | None:
    """Send through a fresh `Apprise()` holding only this URL; None when it arrived, else why.

    Never raises: a broken target is reported and retried next run, it does not stop the others.
    """
    try:
        sender = apprise.Apprise()
        if not sender.add(url):
            return "apprise cannot read this URL (unknown scheme or missing part)"
        with sender.notify(
            body=body,
            title=title,
            notify_type=notify_type,
            body_format=apprise.NotifyFormat.MARKDOWN,
            timeout=NOTIFY_TIMEOUT_S,
        ) as result:
            if result:
                return None
            problems = [
                entry.message
                for entry in result.logs()
                if entry.level in ("WARNING", "ERROR", "CRITICAL")
            ]
            error = "; ".join(problems) or f"apprise reported {result.status.name}"
    except Exception as exc:  # any failure of a target is that target's, not the run's
        error = f"{type(exc).__name__}: {exc}"
    return scrub(error, url)


def _pending(con: duckdb.DuckDBPyConnection, target_id: str) -> list[tuple[Alert, bool]]:
    cursor = run_sql_file(con, "alerts/pending_deliveries.sql", {"target_id": target_id})
    names = [column[0] for column in cursor.description]
    known = {f.name for f in fields(Alert)}
    pending = []
    for row in cursor.fetchall():
        values = dict(zip(names, row, strict=True))
        pending.append((Alert(**{k: v for k, v in values.items() if k in known}), values["send"]))
    return _with_causes(con, pending)


def _with_causes(
    con: duckdb.DuckDBPyConnection, pending: list[tuple[Alert, bool]]
) -> list[tuple[Alert, bool]]:
    """A fall says why in the digest too: its causes (ops.alert_causes) in words."""
    falls = [a.alert_id for a, _ in pending if a.is_regression]
    if not falls:
        return pending
    stored = run_sql_file(con, "alerts/digest_causes.sql", {"alert_ids": falls}).pl()
    causes = causes_by_parent(stored)
    return [
        (replace(a, why=describe_causes(causes.get(a.alert_id, []), a.delta_pp or 0.0)), send)
        if a.is_regression
        else (a, send)
        for a, send in pending
    ]


def _record(
    con: duckdb.DuckDBPyConnection,
    target_id: str,
    sent: Sequence[Alert],
    skipped: Sequence[Alert],
    sent_at: datetime,
) -> None:
    """Deliveries and notified_at in one transaction, so a crash cannot half-record a digest."""
    incoming = pa.table(
        {
            "alert_id": pa.array([a.alert_id for a in (*sent, *skipped)], pa.int64()),
            "state": pa.array([a.state for a in (*sent, *skipped)], pa.string()),
            "sent": pa.array([True] * len(sent) + [False] * len(skipped), pa.bool_()),
        }
    )
    con.begin()
    try:
        run_sql_file(
            con,
            "alerts/record_delivery.sql",
            {"target_id": target_id, "sent_at": sent_at},
            incoming=incoming,
        )
        con.commit()
    except BaseException:
        con.rollback()
        raise


def _vietnam_naive(moment: datetime) -> datetime:
    """The warehouse stores Vietnam local time without zone (docs/portal-exports.md)."""
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(VIETNAM).replace(tzinfo=None)


def notify_target(
    con: duckdb.DuckDBPyConnection,
    url: str,
    *,
    sent_at: datetime,
    portal_names: Mapping[str, str] | None = None,
) -> TargetResult:
    """Tell one target what it has not heard yet, in one digest, and record it if it arrived."""
    target_id = target_id_for(url)
    target = redact_url(url)
    pending = _pending(con, target_id)
    to_send = [alert for alert, send in pending if send]
    # Resolved before this reader ever saw it open: nothing to resolve for them. Recorded so it
    # never comes back; recorded with the digest, so a failed run records nothing at all.
    skipped = [alert for alert, send in pending if not send]
    skipped_ids = tuple(a.alert_id for a in skipped)
    if not to_send:
        if skipped:
            _record(con, target_id, [], skipped, sent_at)
        return TargetResult(target, target_id, ok=True, alerts_skipped=skipped_ids)

    title, body = format_digest(to_send, portal_names)
    error = send_digest(url, title, body, _notify_type(to_send))
    ids = tuple(a.alert_id for a in to_send)
    if error is not None:
        log.warning(
            "alert digest to %s (target %s) failed: %s; its %d alert(s) stay pending for the "
            "next run",
            target,
            target_id,
            error,
            len(ids),
        )
        return TargetResult(target, target_id, ok=False, alerts_failed=ids, error=error)
    _record(con, target_id, to_send, skipped, sent_at)
    return TargetResult(target, target_id, ok=True, alerts_sent=ids, alerts_skipped=skipped_ids)


def notify_pending(
    con: duckdb.DuckDBPyConnection,
    urls: list[str],
    *,
    now: datetime,
    portal_names: Mapping[str, str] | None = None,
) -> NotifyResult:
    """Send each target one digest of the alert states it has not been told; never raises
    because of a target.

    Call it with no transaction open on `con`: each target's deliveries commit on their own, so
    one target's success survives another's failure. `now` is the delivery time recorded (an
    aware time is converted to Vietnam local time). `portal_names` (code → name, e.g. from
    cchc.toml) only makes the headings friendlier.
    """
    sent_at = _vietnam_naive(now)
    return NotifyResult(
        tuple(
            notify_target(con, url, sent_at=sent_at, portal_names=portal_names)
            for url in dict.fromkeys(urls)  # the same URL twice is one target
        )
    )
