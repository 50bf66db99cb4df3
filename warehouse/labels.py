"""The words of the warehouse (labels.toml), read once: one set of labels for metrics, sectors,
scopes, bases, checks and alert states, in Vietnamese and English.

Alert messages, digests, the console and the report all take their words from here, so a reader
who spots a clumsy phrase fixes it in one file, and two places can never name a thing apart.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from pathlib import Path

LABELS_FILE = Path(__file__).with_name("labels.toml")

Label = tuple[str, str]  # (Vietnamese, English)


def _load() -> dict[str, dict[str, Label]]:
    """Each entry is unpacked here, so one missing a language fails on import, not mid-digest."""
    tables = tomllib.loads(LABELS_FILE.read_text(encoding="utf-8"))
    return {
        name: {key: (vn, en) for key, (vn, en) in table.items()} for name, table in tables.items()
    }


_LABELS = _load()
METRIC_LABELS: dict[str, Label] = _LABELS["metric"]
SECTOR_LABELS: dict[str, Label] = _LABELS["sector"]
SCOPE_LABELS: dict[str, Label] = _LABELS["scope"]
BASIS_LABELS: dict[str, Label] = _LABELS["basis"]
CHECK_LABELS: dict[str, Label] = _LABELS["check"]
STATE_LABELS: dict[str, Label] = _LABELS["state"]
CAUSE_LABELS: dict[str, Label] = _LABELS["cause"]
GROUP_LABELS: dict[str, Label] = _LABELS["group"]  # the national scoreboard's groups, TOTAL
SCOREBOARD_METRIC_LABELS: dict[str, Label] = _LABELS["scoreboard_metric"]
SCOREBOARD_LABELS: dict[str, Label] = _LABELS["scoreboard"]
REJECT_LABELS: dict[str, Label] = _LABELS["reject"]  # ops.rejects.reason
REFUSAL_LABELS: dict[str, Label] = _LABELS["refusal"]  # ops.files.reason of a refused file
# The rates of mart.kpi in the order people read them (on-time first); `received` is a count.
RATE_METRICS: tuple[str, ...] = tuple(m for m in METRIC_LABELS if m != "received")


def label(table: Mapping[str, Label], key: str | None) -> Label | None:
    """The pair for `key`, or the key itself in both languages when the file lacks it."""
    if key is None:
        return None
    return table.get(key, (key, key))
