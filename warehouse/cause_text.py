"""The "why" of a fall in words: which children moved it, and whether rates or mix did.

From the effects of sql/causes/contributions.sql (Cause rows), one sentence per language, the
words from labels.toml and the numbers from numbers.py, appended to a regression alert's
message so a digest says at once where to look.
"""

from __future__ import annotations

from collections.abc import Sequence

from warehouse.causes import Cause
from warehouse.labels import CAUSE_LABELS
from warehouse.numbers import format_en_number, format_vn_number

LISTED = 2  # contributors named per effect


def _pp(value: float, vn: bool) -> str:
    text = format_vn_number(value, 2) if vn else format_en_number(value, 2)
    return text if text.startswith("-") or text.lstrip("0,.") == "" else f"+{text}"


def _pct(value: float | None, vn: bool) -> str:
    if value is None:
        return "—"
    return f"{format_vn_number(value, 2) if vn else format_en_number(value, 2)}%"


def child_label(cause: Cause, vn: bool = True) -> str:
    """A child as a reader names it: its name, or its code; a field without a name says so."""
    if cause.child_scope == "field" and not cause.child_code:
        return CAUSE_LABELS["no_field"][0 if vn else 1]
    return cause.child_name or cause.child_code


def describe_causes(causes: Sequence[Cause], delta_pp: float) -> tuple[str, str] | None:
    """'Nguyên nhân: chủ yếu do cơ cấu (…) — hồ sơ dồn về A (tỷ trọng 3,10% → 4,00%), B; tỷ lệ
    giảm mạnh nhất ở C (92,00% → 90,10%).' and the English line; None without children."""
    if not causes or delta_pp == 0:
        return None
    sign = 1.0 if delta_pp > 0 else -1.0
    rate = sum(c.rate_effect for c in causes)
    mix = sum(c.mix_effect for c in causes)
    interaction = sum(c.interaction for c in causes)
    mostly = "mostly_mix" if abs(mix) > abs(rate) else "mostly_rate"
    total_d0 = sum(c.d0 for c in causes) or 1
    total_d1 = sum(c.d1 for c in causes) or 1
    # the children whose moves went the way of the change, most first
    movers = sorted(
        (c for c in causes if c.mix_effect * sign > 0), key=lambda c: -abs(c.mix_effect)
    )[:LISTED]
    fallers = sorted(
        (c for c in causes if c.rate_effect * sign > 0), key=lambda c: -abs(c.rate_effect)
    )[:1]
    lines = []
    for lang, vn in ((0, True), (1, False)):
        words = {key: pair[lang] for key, pair in CAUSE_LABELS.items()}
        effects = "; ".join(
            f"{words[k]} {_pp(v, vn)}"
            for k, v in (("rate", rate), ("mix", mix), ("interaction", interaction))
        )
        parts = [f"{words['why']}: {words[mostly]} ({effects})"]
        if movers:
            by_verb: dict[str, list[str]] = {}
            for c in movers:
                share0, share1 = 100 * c.d0 / total_d0, 100 * c.d1 / total_d1
                verb = words["moved_to" if share1 > share0 else "moved_from"]
                shares = f"{_pct(share0, vn)} → {_pct(share1, vn)}"
                by_verb.setdefault(verb, []).append(
                    f"{child_label(c, vn)} ({words['share']} {shares})"
                )
            parts.append(", ".join(f"{verb} {', '.join(named)}" for verb, named in by_verb.items()))
        if fallers:
            c = fallers[0]
            key = "largest_fall" if c.rate_effect < 0 else "largest_rise"
            rates = f"{_pct(c.r0, vn)} → {_pct(c.r1, vn)}"
            parts.append(f"{words[key]} {child_label(c, vn)} ({rates})")
        lines.append(parts[0] + (" — " + "; ".join(parts[1:]) if parts[1:] else "") + ".")
    return lines[0], lines[1]
