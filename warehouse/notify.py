"""Alert digests through apprise: one message per target per run, each alert state told once.

Why a digest: a bad night can open dozens of alerts, and a reader who gets dozens of messages
stops reading them. Why per target bookkeeping (`ops.alert_deliveries`): a target that was down
must get what it missed on the next run, without the others hearing it twice.

The formatting functions are pure (alerts in, text out) so the wording and the Vietnamese
number style are tested without a warehouse or a network.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from urllib.parse import parse_qsl, unquote, urlsplit
from zoneinfo import ZoneInfo

import apprise
import duckdb
import pyarrow as pa

from warehouse.sqlfiles import run_sql_file

log = logging.getLogger(__name__)

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
# The whole apprise call, in seconds: a target that hangs must not hold the nightly run.
NOTIFY_TIMEOUT_S = 60

# --- vocabulary: (Vietnamese, English) ------------------------------------------------------

METRIC_LABELS: dict[str, tuple[str, str]] = {
    "on_time_rate": ("Tỷ lệ hồ sơ giải quyết đúng và trước hạn", "on-time rate"),
    "on_time_rate_766": ("Tỷ lệ đúng hạn theo QĐ 766", "on-time (Decision 766)"),
    "online_rate": ("Tỷ lệ hồ sơ trực tuyến", "online share"),
    "digitized_rate": ("Tỷ lệ hồ sơ được số hóa", "digitized share"),
    "e_result_rate": ("Tỷ lệ trả kết quả điện tử", "electronic-result share"),
    "online_payment_rate": ("Tỷ lệ thanh toán trực tuyến", "online-payment share"),
    "satisfaction_rate": ("Tỷ lệ hài lòng", "satisfaction rate"),
    "overdue_pending_rate": ("Tỷ lệ hồ sơ tồn quá hạn", "overdue pending share"),
    "full_process_share": ("Tỷ lệ dịch vụ công trực tuyến toàn trình", "full-process share"),
    "services_used_rate": ("Tỷ lệ dịch vụ có phát sinh hồ sơ trực tuyến", "services in use"),
}
SECTOR_LABELS: dict[str, tuple[str, str]] = {
    "locality": ("địa phương", "localities"),
    "ministry": ("bộ ngành", "ministries"),
}
BASIS_LABELS: dict[str, tuple[str, str]] = {
    "report": ("theo báo cáo", "from reports"),
    "dossiers": ("theo hồ sơ", "from dossiers"),
    "catalogue": ("theo danh mục dịch vụ", "from the service catalogue"),
}
STATE_LABELS: dict[str, tuple[str, str]] = {
    "fail": ("Nghiêm trọng", "Fail"),
    "warn": ("Cảnh báo", "Warn"),
    "resolved": ("Đã hết", "Resolved"),
}
STATE_ORDER = ("fail", "warn", "resolved")  # worst news first
NATION_HEADING = "Toàn quốc / Nation"
NO_PORTAL_HEADING = "Chung / General"
QUARTERS = ("I", "II", "III", "IV")


@dataclass(frozen=True)
class Alert:
    """One alert as a target will be told it: its state now and what it measured."""

    alert_id: int
    check_id: str
    state: str  # warn | fail | resolved
    message: str
    sector: str | None = None
    scope: str | None = None
    portal_code: str | None = None
    agency_code: str | None = None  # unit code, or the identity key of an agency without one
    agency_name: str | None = None
    metric: str | None = None
    basis: str | None = None
    period_grain: str | None = None
    period_start: date | None = None
    baseline_period_start: date | None = None
    current_value: float | None = None
    baseline_value: float | None = None
    delta_pp: float | None = None
    inspect_sql: str | None = None  # the mart.kpi query behind it, for `cchc sql`

    @property
    def is_regression(self) -> bool:
        return self.check_id.startswith("regression")


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


# --- numbers, periods and the digest (pure) -------------------------------------------------


def _rounded(value: float, decimals: int) -> Decimal:
    """Half-up on the decimal the reader sees (repr), not on the binary float: 1.005 → 1.01."""
    exact = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    rounded = exact.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    return rounded.copy_abs() if rounded.is_zero() else rounded  # never "-0,00"


def format_en_number(value: float, decimals: int | None = None) -> str:
    """1503 → '1,503'; 90.75 → '90.75'. Integers get no decimals, other numbers two."""
    if decimals is None:
        decimals = 0 if isinstance(value, int) else 2
    return f"{_rounded(value, decimals):,.{decimals}f}"


def format_vn_number(value: float, decimals: int | None = None) -> str:
    """90.75 → '90,75'; 1503 → '1.503': Vietnamese writes a decimal comma and dot thousands."""
    return format_en_number(value, decimals).translate(str.maketrans(",.", ".,"))


def format_vn_delta_pp(delta: float) -> str:
    """-1.61 → 'giảm 1,61 điểm %'; 0.4 → 'tăng 0,40 điểm %' (percentage points, in words)."""
    size = _rounded(delta, 2)
    if size.is_zero():
        return "không đổi"
    return f"{'giảm' if size < 0 else 'tăng'} {format_vn_number(abs(delta), 2)} điểm %"


def format_en_delta_pp(delta: float) -> str:
    """-1.61 → 'fell 1.61 points'; 0.4 → 'rose 0.40 points'."""
    size = _rounded(delta, 2)
    if size.is_zero():
        return "unchanged"
    return f"{'fell' if size < 0 else 'rose'} {format_en_number(abs(delta), 2)} points"


def format_vn_period(grain: str | None, start: date, *, first_word: bool = True) -> str:
    """'năm 2023', 'Quý I/2023', 'Tháng 01/2023': how official reports name their periods."""
    if grain == "year":
        return f"{'Năm' if first_word else 'năm'} {start.year}"
    if grain == "quarter":
        return f"Quý {QUARTERS[(start.month - 1) // 3]}/{start.year}"
    if grain == "month":
        return f"Tháng {start.month:02d}/{start.year}"
    return start.isoformat()


def format_en_period(grain: str | None, start: date) -> str:
    """'2023', 'Q1 2023', '01/2023' (the grain word is added by the comparison)."""
    if grain == "year":
        return str(start.year)
    if grain == "quarter":
        return f"Q{(start.month - 1) // 3 + 1} {start.year}"
    if grain == "month":
        return f"{start.month:02d}/{start.year}"
    return start.isoformat()


def format_vn_comparison(grain: str | None, start: date, baseline: date | None) -> str:
    """'năm 2023 so với năm 2022', 'Tháng 01/2023 so với Tháng 01/2022'."""
    text = format_vn_period(grain, start, first_word=False)
    if baseline is None:
        return text
    return f"{text} so với {format_vn_period(grain, baseline, first_word=False)}"


def format_en_comparison(grain: str | None, start: date, baseline: date | None) -> str:
    """'year 2023 vs 2022', 'Q1 2023 vs Q1 2022', 'month 01/2023 vs 01/2022'."""
    word = {"year": "year ", "month": "month "}.get(grain or "", "")
    text = f"{word}{format_en_period(grain, start)}"
    if baseline is None:
        return text
    return f"{text} vs {format_en_period(grain, baseline)}"


def _label(table: Mapping[str, tuple[str, str]], key: str | None) -> tuple[str, str] | None:
    if key is None:
        return None
    return table.get(key, (key, key))


def _scope_labels(alert: Alert) -> tuple[str, str] | None:
    """Where the figure was measured (the portal itself is the digest heading above it)."""
    if alert.scope == "nation":
        return ("toàn quốc", "nation")
    if alert.scope == "portal":
        return (f"toàn cổng {alert.portal_code}", f"portal {alert.portal_code}")
    if alert.scope == "agency":
        agency = alert.agency_code or ""
        if alert.agency_name:  # a unit code helps the reader; an identity key does not
            code = f" ({agency})" if agency and ":" not in agency else ""
            agency = f"{alert.agency_name}{code}"
        return (f"cơ quan {agency}", f"agency {agency}")
    return None if alert.scope is None else (alert.scope, alert.scope)


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def describe_regression(alert: Alert) -> tuple[str, str]:
    """The Vietnamese and the English sentence: metric — where — when: values, change."""
    metric = _label(METRIC_LABELS, alert.metric) or ("Chỉ số", "indicator")
    context = [
        pair
        for pair in (
            _label(SECTOR_LABELS, alert.sector),
            _scope_labels(alert),
            _label(BASIS_LABELS, alert.basis),
        )
        if pair is not None
    ]
    vn = [metric[0], ", ".join(p[0] for p in context)]
    en = [_capitalised(metric[1]), ", ".join(p[1] for p in context)]
    if alert.period_start is not None:
        period = (alert.period_grain, alert.period_start, alert.baseline_period_start)
        vn.append(format_vn_comparison(*period))
        en.append(format_en_comparison(*period))
    sentence_vn = " — ".join(part for part in vn if part)
    sentence_en = " — ".join(part for part in en if part)
    values_vn: list[str] = []
    values_en: list[str] = []
    if alert.current_value is not None:
        if alert.baseline_value is not None:
            values_vn.append(
                f"{format_vn_number(alert.baseline_value, 2)}% → "
                f"{format_vn_number(alert.current_value, 2)}%"
            )
            values_en.append(
                f"{format_en_number(alert.baseline_value, 2)}% → "
                f"{format_en_number(alert.current_value, 2)}%"
            )
        else:
            values_vn.append(f"{format_vn_number(alert.current_value, 2)}%")
            values_en.append(f"{format_en_number(alert.current_value, 2)}%")
    delta = alert.delta_pp
    if delta is None and alert.current_value is not None and alert.baseline_value is not None:
        delta = alert.current_value - alert.baseline_value
    if delta is not None:
        values_vn.append(format_vn_delta_pp(delta))
        values_en.append(format_en_delta_pp(delta))
    if values_vn:
        sentence_vn += ": " + ", ".join(values_vn)
        sentence_en += ": " + ", ".join(values_en)
    return sentence_vn + ".", sentence_en + "."


def format_alert(alert: Alert) -> str:
    """One markdown bullet: Vietnamese first, then English, then the query behind it."""
    resolved = "Đã hết / Resolved: " if alert.state == "resolved" else ""
    if not alert.is_regression:
        lines = alert.message.strip().splitlines() or [""]
        return "\n".join([f"- {resolved}{lines[0]}", *(f"  {line}" for line in lines[1:])])
    vn, en = describe_regression(alert)
    lines = [f"- {resolved}{vn}", f"  EN: {'Resolved: ' if resolved else ''}{en}"]
    if alert.inspect_sql:
        lines.append(f"  SQL: `{alert.inspect_sql}`")
    return "\n".join(lines)


def _portal_group(alert: Alert) -> tuple[int, str]:
    """Sort key and identity of the portal heading: nation first, then portals, then the rest."""
    if alert.scope == "nation":
        return (0, "")
    if alert.portal_code:
        return (1, alert.portal_code)
    return (2, "")


def _portal_heading(group: tuple[int, str], portal_names: Mapping[str, str]) -> str:
    rank, code = group
    if rank == 0:
        return NATION_HEADING
    if rank == 2:
        return NO_PORTAL_HEADING
    name = portal_names.get(code)
    return f"{code} · {name}" if name else f"Cổng {code} / Portal {code}"


def _counts(alerts: Iterable[Alert]) -> dict[str, int]:
    counts = dict.fromkeys(STATE_ORDER, 0)
    for alert in alerts:
        counts[alert.state] += 1
    return counts


def format_digest(
    alerts: Sequence[Alert], portal_names: Mapping[str, str] | None = None
) -> tuple[str, str]:
    """(title, markdown body) of one digest: by portal, then fail, warn, resolved."""
    portal_names = portal_names or {}
    counts = _counts(alerts)
    shown = [state for state in STATE_ORDER if counts[state]]
    vn_counts = ", ".join(f"{counts[s]} {STATE_LABELS[s][0].lower()}" for s in shown)
    en_counts = ", ".join(f"{counts[s]} {STATE_LABELS[s][1].lower()}" for s in shown)
    title = f"Cảnh báo CCHC: {vn_counts} / CCHC alerts: {en_counts}"

    def order(alert: Alert) -> tuple:
        return (
            _portal_group(alert),
            STATE_ORDER.index(alert.state),
            alert.sector or "",
            alert.metric or "",
            alert.scope or "",
            alert.agency_code or "",
            alert.period_start or date.min,
            alert.alert_id,
        )

    sections: list[str] = []
    group = state = None
    for alert in sorted(alerts, key=order):
        if _portal_group(alert) != group:
            group, state = _portal_group(alert), None
            sections.append(f"## {_portal_heading(group, portal_names)}")
        if alert.state != state:
            state = alert.state
            in_group = sum(1 for a in alerts if _portal_group(a) == group and a.state == state)
            vn, en = STATE_LABELS[state]
            sections.append(f"### {vn} / {en} ({in_group})")
        sections.append(format_alert(alert))
    return title, "\n\n".join(sections) + "\n"


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
    return pending


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
    """The warehouse stores Vietnam local time without zone (README, reading rules)."""
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
