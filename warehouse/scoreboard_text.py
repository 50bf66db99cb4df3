"""The sentences of the national scoreboard checks, in Vietnamese and English.

A scoreboard alert is about a snapshot (what the portal published on a day), not a pooled
indicator, so its sentence names the unit, the group or metric, the period and the days
compared. Worded once when the check finds it, from labels.toml's words and numbers.py's
numbers, and kept in ops.alerts (message_vi, message_en) like every other alert.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from warehouse.labels import (
    GROUP_LABELS,
    SCOREBOARD_LABELS,
    SCOREBOARD_METRIC_LABELS,
    label,
)
from warehouse.numbers import (
    MONTHS_EN,
    format_en_number,
    format_en_period,
    format_vn_number,
    format_vn_period,
)

# The columns a scoreboard check returns for its sentence only; ops.alerts does not keep them.
WORDING_COLUMNS = (
    "unit_name",
    "snapshot_date",
    "previous_snapshot_date",
    "numerator",
    "denominator",
    "max_score",
    "full_marks_at",
)


def _word(key: str) -> tuple[str, str]:
    return SCOREBOARD_LABELS[key]


def _vn_day(day: date) -> str:
    return f"{day.day:02d}/{day.month:02d}/{day.year}"


def _en_day(day: date) -> str:
    return f"{day.day} {MONTHS_EN[day.month - 1]} {day.year}"


def _what(code: str | None) -> tuple[str, str]:
    """'Điểm nhóm Tiến độ giải quyết (TDGQ)' / 'Progress score (TDGQ)', or a metric's."""
    score_vn, score_en = _word("score")
    if code in GROUP_LABELS:
        vn, en = GROUP_LABELS[code]
        if code == "TOTAL":
            return f"{vn} (QĐ 766)", f"{en[:1].upper()}{en[1:]} (Decision 766)"
        return f"{score_vn} {vn.lower()} ({code})", f"{en[:1].upper()}{en[1:]} {score_en} ({code})"
    vn, en = label(SCOREBOARD_METRIC_LABELS, code) or ("", "")
    return f"{score_vn} {vn.lower()} ({code})", f"{en[:1].upper()}{en[1:]} {score_en} ({code})"


def _unit(row: Mapping[str, Any]) -> str:
    name, code = row.get("unit_name"), row.get("agency_code")
    return f"{name} ({code})" if name else str(code)


def _period(row: Mapping[str, Any]) -> tuple[str, str]:
    grain, start = row["period_grain"], row["period_start"]
    word = {"year": "year ", "month": "month "}.get(grain, "")
    return format_vn_period(
        grain, start, first_word=False
    ), f"{word}{format_en_period(grain, start)}"


def _points(value: float) -> tuple[str, str]:
    return format_vn_number(value, 2), format_en_number(value, 2)


def describe_scoreboard_breach(row: Mapping[str, Any]) -> tuple[str, str]:
    """The sentence of a scoreboard_drop or scoreboard_inconsistent breach (a check's row)."""
    what_vn, what_en = _what(row["metric"])
    period_vn, period_en = _period(row)
    day_vn, day_en = _word("snapshot")
    points_vn, points_en = _word("points")
    head_vn = f"{what_vn} — {_unit(row)} — {period_vn}, {day_vn} {_vn_day(row['snapshot_date'])}"
    head_en = f"{what_en} — {_unit(row)} — {period_en}, {day_en} {_en_day(row['snapshot_date'])}"
    now_vn, now_en = _points(row["current_value"])
    before_vn, before_en = _points(row["baseline_value"])
    if row["check_id"] == "scoreboard_drop":
        versus_vn, versus_en = _word("versus")
        fell_vn, fell_en = _word("fell")
        size_vn, size_en = _points(abs(row["delta_pp"]))
        earlier = row["previous_snapshot_date"]
        return (
            f"{head_vn} {versus_vn} {_vn_day(earlier)}: {before_vn} → {now_vn} {points_vn}, "
            f"{fell_vn} {size_vn} {points_vn}.",
            f"{head_en} {versus_en} {_en_day(earlier)}: {before_en} → {now_en} {points_en}, "
            f"{fell_en} {size_en} {points_en}.",
        )
    published_vn, published_en = _word("published")
    counted_vn, counted_en = _word("counted")
    marks_vn, marks_en = _word("full_marks")
    counts_vn, counts_en = _counts(row["numerator"], row["denominator"])
    most_vn, most_en = _points(row["max_score"])
    share = row["full_marks_at"] * 100
    return (
        f"{head_vn}: {published_vn} {now_vn} {points_vn}, {counted_vn} ({counts_vn}, {marks_vn} "
        f"{format_vn_number(share, 0)}%, {most_vn} {points_vn}) {before_vn} {points_vn}.",
        f"{head_en}: {published_en} {now_en} {points_en}, {counted_en} ({counts_en}, {marks_en} "
        f"{format_en_number(share, 0)}%, {most_en} {points_en}) {before_en} {points_en}.",
    )


def _counts(numerator: float, denominator: float) -> tuple[str, str]:
    """'1.503/1.600' and '1,503/1,600': whole counts without decimals, others with two."""

    def one(value: float, formatter: Any) -> str:
        return formatter(int(value)) if float(value).is_integer() else formatter(value, 2)

    return (
        f"{one(numerator, format_vn_number)}/{one(denominator, format_vn_number)}",
        f"{one(numerator, format_en_number)}/{one(denominator, format_en_number)}",
    )
