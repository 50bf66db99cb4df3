"""Header texts of generated exports, taken from the contract's vocabulary (vocabulary.toml).

The demo, the test fixtures and the benchmark files write the header texts the parser reads,
so they come from the one place that defines them: a generated header names each column by one
of its synonyms in warehouse/parse/vocabulary.toml, never by a text kept here. A `Release` says
which synonym a vendor release writes; a text it names that the vocabulary lacks is an error,
so a generator cannot drift away from the contract.
"""

from __future__ import annotations

import tomllib
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache

from warehouse.parse.vocabulary import VOCABULARY_FILE


@cache
def _vocabulary() -> dict:
    return tomllib.loads(VOCABULARY_FILE.read_text(encoding="utf-8"))


def columns(kind: str) -> tuple[str, ...]:
    """The canonical columns of a kind, in the vocabulary's (the contract's) order."""
    return tuple(_vocabulary()[kind]["columns"])


def report_counts() -> tuple[str, ...]:
    """The eleven counts of a report row (Biểu 06), in the template's order."""
    return tuple(_vocabulary()["report"]["counts"])


def _pick(texts: list[str], pick: int | str, what: str) -> str:
    if isinstance(pick, str):
        if pick not in texts:
            raise ValueError(f"{pick!r} is not a header text of {what} in {VOCABULARY_FILE.name}")
        return pick
    return texts[min(pick, len(texts) - 1)]


def column_text(kind: str, column: str, pick: int | str = 0) -> str:
    """The `pick`-th synonym of a column (the last if there are fewer), or the text `pick`."""
    return _pick(_vocabulary()[kind]["columns"][column], pick, f"{kind}.{column}")


def group_text(group: str, pick: int | str = 0) -> str:
    """A report count group's header text: received, resolved or pending."""
    return _pick(_vocabulary()["report"]["groups"][group], pick, f"report group {group}")


def count_group(count: str) -> str:
    """The group (upper header level) a report count sits under."""
    leaves = _vocabulary()["report"]["leaves"]
    return next(group for group, table in leaves.items() if count in table)


def leaf_text(count: str, pick: int | str = 0) -> str:
    """A report count's leaf (lower header level) text inside its group."""
    texts = _vocabulary()["report"]["leaves"][count_group(count)][count]
    return _pick(texts, pick, f"report leaf {count}")


def ignored_level(text: str) -> str:
    """A middle header level that only groups columns (`Số mới tiếp nhận`), checked."""
    return _pick(_vocabulary()["report"]["ignored_levels"], text, "report ignored_levels")


def section_text(level: str, pick: int | str = 0) -> str:
    """A section row's label for the agencies of a level (`Sở, ban, ngành`)."""
    return _pick(_vocabulary()["report"]["sections"][level], pick, f"report section {level}")


@dataclass(frozen=True)
class Release:
    """Which synonym a vendor release writes: the `synonym`-th of each (the last where there
    are fewer), except the texts named in `texts` (canonical name → one of its synonyms)."""

    synonym: int = 0
    texts: Mapping[str, str] = field(default_factory=dict)

    def pick(self, name: str) -> int | str:
        return self.texts.get(name, self.synonym)

    def header(self, kind: str, names: tuple[str, ...] | list[str] | None = None) -> list[str]:
        """Header texts of `names` (default: every column of the kind, in contract order)."""
        return [column_text(kind, c, self.pick(c)) for c in names or columns(kind)]


# The short count headers some vendors print: "Số hồ sơ tiếp nhận", "Đã giải quyết",
# "Đang giải quyết" over "Từ kỳ trước", "Trước hạn", "Đúng hạn", "Quá hạn" (the rest as usual).
SHORT_GROUPS = Release(synonym=1, texts={"pending": "Đang giải quyết"})
SHORT_LEAVES = Release(
    texts={"carried_over": "Từ kỳ trước", "resolved_early": "Trước hạn",
           "resolved_on_time": "Đúng hạn", "resolved_late": "Quá hạn"}
)  # fmt: skip


def count_headers(
    joiner: str, groups: Release = Release(), leaves: Release = Release()
) -> list[str]:
    """One-row headers of the eleven counts: group and leaf joined (`Tổng số - Trực tuyến`)."""
    return [
        f"{group_text(count_group(c), groups.pick(count_group(c)))}{joiner}"
        f"{leaf_text(c, leaves.pick(c))}"
        for c in report_counts()
    ]


def api_key(text: str) -> str:
    """A header text as an API's ASCII snake_case key: "Mã hồ sơ" → "ma_ho_so"."""
    ascii_text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    ascii_text = "".join(ch for ch in ascii_text if not unicodedata.combining(ch))
    return "_".join(ascii_text.lower().split())
