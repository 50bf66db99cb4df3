"""Find the header of an export and say which kind it is, from the header texts alone.

A header is one to three consecutive rows somewhere in the first rows of the sheet (below any
banner). Upper levels of a merged header hold their text in the first cell of the merge only,
so an empty upper cell above a labelled lower cell inherits the text on its left. Each
candidate (start row, number of levels) is scored per kind by how many canonical columns it
names; the best candidate whose kind's signature columns are all present wins.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from warehouse.parse.tables import Row
from warehouse.parse.text import fold_key
from warehouse.parse.vocabulary import KindVocabulary, Vocabulary, load_vocabulary

MAX_HEADER_LEVELS = 3
_JOINED_LEVELS = re.compile(r"\s+-\s+|\s*[/:]\s*")


class RefusedFile(Exception):
    """The whole file is refused; `reason` is one of the contract's refusal codes."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


@dataclass
class HeaderMatch:
    kind: str
    start: int  # head index of the first header row
    levels: int
    columns: dict[int, str]  # physical column index → canonical column
    labels: dict[int, str] = field(default_factory=dict)  # physical column index → header text
    missing_required: list[str] = field(default_factory=list)

    @property
    def first_data_index(self) -> int:
        return self.start + self.levels

    def physical(self, canonical: str) -> list[int]:
        """Every physical column feeding `canonical` (vendors split some counts in two)."""
        return [i for i, name in self.columns.items() if name == canonical]


def column_levels(head: list[Row], start: int, levels: int, width: int) -> list[list[str]]:
    """The distinct, meaningful header texts of each column, top level first."""
    rows = [cells for _, cells in head[start : start + levels]]
    grid = [[row[i] if i < len(row) else "" for i in range(width)] for row in rows]
    for upper in range(levels - 1):  # fill merged upper cells from the left
        for i in range(1, width):
            below = any(grid[lower][i] for lower in range(upper + 1, levels))
            if not grid[upper][i] and below and grid[upper][i - 1]:
                left_below = [grid[lower][i - 1] for lower in range(upper + 1, levels)]
                if any(left_below):  # the left cell is a group, not a vertically merged label
                    grid[upper][i] = grid[upper][i - 1]
    result = []
    for i in range(width):
        texts: list[str] = []
        for row in grid:
            if row[i] and (not texts or row[i] != texts[-1]):
                texts.append(row[i])
        result.append(texts)
    return result


def map_column(texts: list[str], kind: KindVocabulary, vocabulary: Vocabulary) -> str | None:
    """The canonical column named by a column's header texts, or None."""
    if not texts:
        return None
    if len(texts) == 1 and fold_key(texts[0]) not in kind.columns:
        split = [part for part in _JOINED_LEVELS.split(texts[0]) if part.strip()]
        if len(split) > 1:
            texts = split
    keys = [fold_key(t) for t in texts]
    keys = [k for k in keys if k and k not in vocabulary.report.ignored_levels]
    if not keys:
        return None
    if kind.kind == "report":
        groups = [vocabulary.report.groups[k] for k in keys if k in vocabulary.report.groups]
        if groups:
            leaves = vocabulary.report.leaves[groups[0]]
            for key in reversed(keys):
                if key in leaves:
                    return leaves[key]
            return None
    for key in (keys[-1], keys[0], " ".join(keys)):
        if key in kind.columns:
            return kind.columns[key]
    return None


def find_header(head: list[Row], width: int, vocabulary: Vocabulary | None = None) -> HeaderMatch:
    """The best header of any kind in `head`, or RefusedFile saying why there is none.

    `vocabulary` is the built-in one unless a configuration extends it."""
    vocabulary = vocabulary or load_vocabulary()
    best: tuple[tuple[int, int, int], HeaderMatch] | None = None
    closest: HeaderMatch | None = None
    for start in range(len(head)):
        for levels in range(1, MAX_HEADER_LEVELS + 1):
            if start + levels > len(head):
                break
            texts = column_levels(head, start, levels, width)
            for kind in vocabulary.kinds.values():
                columns = {}
                for i, column_texts in enumerate(texts):
                    name = map_column(column_texts, kind, vocabulary)
                    if name is not None and (name not in columns.values() or _summable(name)):
                        columns[i] = name
                match = HeaderMatch(
                    kind=kind.kind,
                    start=start,
                    levels=levels,
                    columns=columns,
                    labels={i: " / ".join(t) for i, t in enumerate(texts) if t},
                )
                named = len(set(columns.values()))
                if closest is None or named > len(set(closest.columns.values())):
                    closest = match
                if not set(kind.signature) <= set(columns.values()):
                    continue
                match.missing_required = [c for c in kind.required if c not in columns.values()]
                score = (named, -levels, -start)
                if best is None or score > best[0]:
                    best = (score, match)
    if best is None:
        seen = ""
        if closest is not None and closest.labels:
            row_number = head[closest.start][0]
            seen = f"; the closest is row {row_number}: " + ", ".join(
                list(closest.labels.values())[:8]
            )
        raise RefusedFile(
            "kind_not_detected",
            "no header row of a dossier list, report table or service catalogue in "
            + ("its only row" if len(head) == 1 else f"the first {len(head)} rows")
            + seen,
        )
    return best[1]


def _summable(canonical: str) -> bool:
    return canonical == "received_offline"
