"""The wording of alert digests: alerts in, text out, Vietnamese first with an English line.

Kept apart from sending so the wording and the Vietnamese number style (90,75%; giảm 1,61 điểm %)
are tested without a warehouse or a network. The labels are data (alert_labels.toml), so a
reader who spots a clumsy phrase fixes it without touching the code.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

LABELS_FILE = Path(__file__).with_name("alert_labels.toml")


def _load_labels() -> dict[str, dict[str, tuple[str, str]]]:
    """Each entry is unpacked here, so one missing a language fails on import, not mid-digest."""
    tables = tomllib.loads(LABELS_FILE.read_text(encoding="utf-8"))
    return {
        name: {key: (vn, en) for key, (vn, en) in table.items()} for name, table in tables.items()
    }


_LABELS = _load_labels()
# (Vietnamese, English) by the value found in ops.alerts
METRIC_LABELS: dict[str, tuple[str, str]] = _LABELS["metric"]
SECTOR_LABELS: dict[str, tuple[str, str]] = _LABELS["sector"]
BASIS_LABELS: dict[str, tuple[str, str]] = _LABELS["basis"]
STATE_LABELS: dict[str, tuple[str, str]] = _LABELS["state"]

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


# --- numbers and periods --------------------------------------------------------------------


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


# --- one alert, one digest ------------------------------------------------------------------


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
    if alert.is_regression:
        vn, en = describe_regression(alert)
        lines = [f"- {resolved}{vn}", f"  EN: {'Resolved: ' if resolved else ''}{en}"]
    elif " | " in alert.message:  # the SQL checks write "Vietnamese | English"
        vn, _, en = " ".join(alert.message.split()).partition(" | ")
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
