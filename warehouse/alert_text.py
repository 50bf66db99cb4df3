"""The wording of alerts: one alert's sentence in Vietnamese and English, and the digests.

Kept apart from checking and sending so the wording is tested without a warehouse or a network.
The words are labels.toml's and the numbers numbers.py's, so a message, a digest line and the
report name a thing the same way. A breach of a metric check is worded here once, when the
check finds it; ops.alerts keeps the sentence (message_vi, message_en).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from warehouse.labels import (
    BASIS_LABELS,
    METRIC_LABELS,
    SCOPE_LABELS,
    SCOREBOARD_LABELS,
    SECTOR_LABELS,
    STATE_LABELS,
    Label,
)
from warehouse.numbers import (
    format_en_comparison,
    format_en_delta_pp,
    format_en_number,
    format_vn_comparison,
    format_vn_delta_pp,
    format_vn_number,
)

STATE_ORDER = ("fail", "warn", "resolved")  # worst news first
NATION_HEADING = "Toàn quốc / Nation"
NO_PORTAL_HEADING = "Chung / General"
# The checks about an indicator, worded here from their figures; the others word themselves in
# their SQL (a file, a portal's deliveries).
METRIC_CHECKS = ("regression_yoy", "target_floor", "basis_disagreement", "received_drop")


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
    agency_code: str | None = None  # the agency's unit code, if it has one
    agency_nk: str | None = None  # the agency's identity (core.dim_agency.agency_nk)
    agency_name: str | None = None
    province_code: str | None = None  # today's province, for scope province
    province_name: str | None = None  # its official name, "Tỉnh Tuyên Quang"
    metric: str | None = None
    basis: str | None = None
    period_grain: str | None = None
    period_start: date | None = None
    period_covered_to: date | None = None  # a period judged year to date: counted up to here
    baseline_period_start: date | None = None
    current_value: float | None = None
    baseline_value: float | None = None
    delta_pp: float | None = None
    message_vi: str | None = None
    message_en: str | None = None
    portal_name: str | None = None
    inspect_sql: str | None = None  # the mart.kpi query behind it, for `cchc sql`
    why: tuple[str, str] | None = None  # a fall's causes in words (cause_text), when known

    @property
    def is_regression(self) -> bool:
        return self.check_id.startswith("regression")


# --- one alert, one digest ------------------------------------------------------------------


def _label(table: Mapping[str, Label], key: str | None) -> Label | None:
    if key is None:
        return None
    return table.get(key, (key, key))


def _scope_labels(alert: Alert) -> tuple[str, str] | None:
    """Where the figure was measured (the portal itself is the digest heading above it)."""
    words = _label(SCOPE_LABELS, alert.scope)
    if words is None:
        return None
    if alert.scope == "portal":
        unit = alert.portal_code or ""
        if alert.portal_name:
            unit = f"{alert.portal_name} ({unit})"
        return (f"{words[0]} {unit}", f"{words[1]} {unit}")
    if alert.scope == "province":
        return _province_words(alert.province_name or alert.province_code or "")
    if alert.scope == "agency":
        agency = alert.agency_code or alert.agency_nk or ""
        if alert.agency_name:  # a unit code helps the reader; an identity key does not
            code = f" ({alert.agency_code})" if alert.agency_code else ""
            agency = f"{alert.agency_name}{code}"
        return (f"{words[0]} {agency}", f"{words[1]} {agency}")
    return words


def _province_words(name: str) -> tuple[str, str]:
    """'tỉnh Tuyên Quang' / 'Tuyên Quang province': today's province, pooling what it merged."""
    for kind_vi, kind_en in (("Tỉnh ", "province"), ("Thành phố ", "city")):
        if name.startswith(kind_vi):
            return (f"{kind_vi.lower()}{name[len(kind_vi) :]}", f"{name[len(kind_vi) :]} {kind_en}")
    words = SCOPE_LABELS["province"]
    return (f"{words[0]} {name}", f"{words[1]} {name}")


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def _headline(alert: Alert, *, compared: bool = True) -> tuple[str, str]:
    """'Metric — sector, where, basis — when' in both languages."""
    metric = _label(METRIC_LABELS, alert.metric) or ("Chỉ số", "indicator")
    context = [
        pair
        for pair in (
            _label(SECTOR_LABELS, alert.sector),
            _scope_labels(alert),
            _label(BASIS_LABELS, alert.basis) if alert.check_id != "basis_disagreement" else None,
        )
        if pair is not None
    ]
    vn = [metric[0], ", ".join(p[0] for p in context)]
    en = [_capitalised(metric[1]), ", ".join(p[1] for p in context)]
    if alert.period_start is not None:
        period = (
            alert.period_grain,
            alert.period_start,
            alert.baseline_period_start if compared else None,
            alert.period_covered_to,
        )
        vn.append(format_vn_comparison(*period))
        en.append(format_en_comparison(*period))
    return " — ".join(part for part in vn if part), " — ".join(part for part in en if part)


def _percent(value: float) -> tuple[str, str]:
    return f"{format_vn_number(value, 2)}%", f"{format_en_number(value, 2)}%"


def _values(alert: Alert) -> list[tuple[str, str]]:
    """The figures after the headline, per check: what moved, and how far."""
    current, baseline = alert.current_value, alert.baseline_value
    if current is None:
        return []
    if alert.check_id == "target_floor" and baseline is not None:
        (c_vn, c_en), (t_vn, t_en) = _percent(current), _percent(baseline)
        return [(f"{c_vn}, dưới mục tiêu {t_vn}", f"{c_en}, below the {t_en} target")]
    if alert.check_id == "basis_disagreement" and baseline is not None:
        (r_vn, r_en), (d_vn, d_en) = _percent(current), _percent(baseline)
        if alert.basis == "scoreboard":  # the national portal's ratio against our dossiers
            (n_vn, n_en), (o_vn, o_en) = (
                SCOREBOARD_LABELS["national"],
                SCOREBOARD_LABELS["dossiers"],
            )
            return [(f"{n_vn} {r_vn}, {o_vn} {d_vn}", f"{n_en} {r_en}, {o_en} {d_en}")]
        return [(f"báo cáo {r_vn}, theo hồ sơ {d_vn}", f"report {r_en}, dossiers {d_en}")]
    if alert.check_id == "received_drop" and baseline is not None:
        before, after = round(baseline), round(current)
        return [
            (
                f"{format_vn_number(before)} → {format_vn_number(after)} hồ sơ, "
                "dưới một nửa cùng kỳ năm trước",
                f"{format_en_number(before)} → {format_en_number(after)} dossiers, "
                "under half of a year earlier",
            )
        ]
    values = []
    if baseline is not None:
        (b_vn, b_en), (c_vn, c_en) = _percent(baseline), _percent(current)
        values.append((f"{b_vn} → {c_vn}", f"{b_en} → {c_en}"))
    else:
        values.append(_percent(current))
    delta = alert.delta_pp
    if delta is None and baseline is not None:
        delta = current - baseline
    if delta is not None:
        values.append((format_vn_delta_pp(delta), format_en_delta_pp(delta)))
    return values


def describe_breach(alert: Alert) -> tuple[str, str]:
    """The Vietnamese and the English sentence of an indicator's alert: metric — where — when:
    values, change. A year-to-date comparison says how far it counts ("đến ngày 30/06")."""
    compared = alert.check_id in ("regression_yoy", "received_drop")
    sentence_vn, sentence_en = _headline(alert, compared=compared)
    values = _values(alert)
    if values:
        sentence_vn += ": " + ", ".join(v for v, _ in values)
        sentence_en += ": " + ", ".join(e for _, e in values)
    return sentence_vn + ".", sentence_en + "."


def format_alert(alert: Alert) -> str:
    """One markdown bullet: Vietnamese first, then English, then the query behind it."""
    resolved = "Đã hết / Resolved: " if alert.state == "resolved" else ""
    if alert.check_id in METRIC_CHECKS:  # worded afresh: today's agency names
        vn, en = describe_breach(alert)
        if alert.why:
            vn, en = f"{vn} {alert.why[0]}", f"{en} {alert.why[1]}"
        lines = [f"- {resolved}{vn}", f"  EN: {'Resolved: ' if resolved else ''}{en}"]
    elif alert.message_vi and alert.message_en:
        vn, en = alert.message_vi, alert.message_en
        lines = [f"- {resolved}{vn}", f"  EN: {'Resolved: ' if resolved else ''}{en}"]
    else:
        text = alert.message.strip().splitlines() or [""]
        lines = [f"- {resolved}{text[0]}", *(f"  {line}" for line in text[1:])]
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
            alert.agency_code or alert.agency_nk or "",
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
