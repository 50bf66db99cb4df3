"""The shape every format is read into: a head of rows for header detection, and a body.

Also what every format shares: the refusal (UnreadableFile), the [limits] cell count, and the
marking of fields whose bytes are not text, so their rows are rejected (`bad_encoding`).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import polars as pl

from warehouse.config import Limits
from warehouse.parse.text import clean_text

if TYPE_CHECKING:
    from warehouse.parse.formats.csv import CsvSource

HEAD_ROWS = 30  # up to 15 banner rows, 3 header rows and enough data rows to judge them

Row = tuple[int, list[str]]  # (1-based row number as a person sees it, cleaned cells)


class UnreadableFile(Exception):
    """The file cannot be read as any format of the export contract; the file is refused.

    `reason` is the refusal code: `kind_not_detected` (no format of the contract),
    `damaged_file` (a format of the contract, but broken) or `too_large` (beyond [limits]).
    """

    def __init__(self, message: str, reason: str = "kind_not_detected") -> None:
        super().__init__(message)
        self.reason = reason


# A field's bytes that are not text (a NUL, or bytes invalid in UTF-8) are replaced by a marker
# so the rest of the record still parses; rows holding it are rejected (`bad_encoding`).
BAD_BYTES_COLUMN = "bad_bytes__"  # body frames: physical index of the first column with bad bytes
# the first of these a chunk does not hold: U+FFFD, else one of the 32 Unicode noncharacters
MARKERS = ("\ufffd", *(chr(c) for c in range(0xFDD0, 0xFDF0)))


@dataclass
class RawTable:
    """A sheet's rows as text. `head` feeds header detection; `body()` yields the data rows."""

    format: str
    head: list[Row]
    width: int
    _all_rows: list[Row] | None = None
    _csv: CsvSource | None = None
    _frame: pl.DataFrame | None = None  # a workbook sheet: c0..cN (text) and source_row
    notes: list[str] = field(default_factory=list)

    def body(self, first_row_index: int) -> Iterator[pl.DataFrame]:
        """Raw text frames (c0..cN plus `source_row`) from head index `first_row_index`.

        Values are not cleaned here: the parsers clean only the columns they use.
        """
        if self._csv is not None:
            yield from self._csv.batches(first_row_index, self.width)
            return
        if self._frame is not None:
            if first_row_index < self._frame.height:
                yield flag_nul(self._frame.slice(first_row_index))
            return
        rows = (self._all_rows or [])[first_row_index:]
        if not rows:
            return
        columns = {
            f"c{i}": [cells[i] if i < len(cells) else None for _, cells in rows]
            for i in range(self.width)
        }
        frame = pl.DataFrame(columns, schema={f"c{i}": pl.String for i in range(self.width)})
        frame = frame.with_columns(
            pl.Series("source_row", [number for number, _ in rows], dtype=pl.Int64)
        )
        yield flag_nul(frame)


def grid_table(fmt: str, rows: list[Row]) -> RawTable:
    width = max((len(cells) for _, cells in rows), default=0)
    head = [(n, [clean_text(c) for c in cells]) for n, cells in rows[:HEAD_ROWS]]
    return RawTable(format=fmt, head=head, width=width, _all_rows=rows)


def within_cells(what: str, rows: int, columns: int, limits: Limits) -> None:
    if rows * columns > limits.max_cells:
        raise UnreadableFile(
            f"{what} spans {rows:,} rows × {columns:,} columns = {rows * columns:,} cells, more "
            f"than [limits] max_cells = {limits.max_cells:,}",
            reason="too_large",
        )


def flag_marked(frame: pl.DataFrame, marker: str) -> pl.DataFrame:
    """BAD_BYTES_COLUMN = first column holding `marker`; the marker shown as U+FFFD."""
    columns = [c for c in frame.columns if c != "source_row"]
    first_bad = pl.coalesce(
        [
            pl.when(pl.col(c).str.contains(marker, literal=True)).then(pl.lit(i))
            for i, c in enumerate(columns)
        ]
    ).cast(pl.Int32)
    frame = frame.with_columns(first_bad.alias(BAD_BYTES_COLUMN))
    if marker != "\ufffd":
        frame = frame.with_columns(pl.col(columns).str.replace_all(marker, "\ufffd", literal=True))
    return frame


def flag_nul(frame: pl.DataFrame) -> pl.DataFrame:
    """Text read from a workbook, HTML or JSON may hold NUL characters: flag those rows too."""
    columns = [c for c in frame.columns if c.startswith("c")]
    if (
        not columns
        or not frame.select(
            pl.any_horizontal(pl.col(columns).str.contains("\x00", literal=True).any())
        ).item()
    ):
        return frame
    return flag_marked(frame, "\x00")
