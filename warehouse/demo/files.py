"""Writing generated exports to disk: CSV, JSON and XLSX, byte for byte the same on every run.

The shapes portals produce (encodings, separators, banners, merged headers) are written here
once for the demo, the test fixtures and the benchmark; what goes in the cells is theirs.
XLSX goes through xlsxwriter with a fixed creation date, which is also the timestamp of the
zip entries, so a workbook written twice is the same bytes.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
from collections.abc import Iterable, Sequence
from datetime import datetime
from pathlib import Path

import xlsxwriter
from xlsxwriter.utility import xl_rowcol_to_cell

CREATED = datetime(2025, 1, 15, 0, 0, 0)  # the demo's export day; a fixed workbook date

Cell = tuple[str, int, int]  # a header cell: text, rowspan, colspan (as HTML spans them)


def csv_bytes(
    rows: Iterable[Sequence[object]],
    *,
    separator: str = ",",
    newline: str = "\r\n",
    encoding: str = "utf-8",
    bom: bool = False,
) -> bytes:
    """Rows as CSV (quoted only where needed), in UTF-8 or UTF-16 LE, with or without BOM."""
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=separator, lineterminator=newline).writerows(rows)
    text = buffer.getvalue()
    if encoding == "utf-16":  # little-endian, always with its BOM, as Excel writes it
        return codecs.BOM_UTF16_LE + text.encode("utf-16-le")
    return (codecs.BOM_UTF8 if bom else b"") + text.encode("utf-8")


def write_csv(path: Path, rows: Iterable[Sequence[object]], **options: object) -> Path:
    """Write `rows` (the header first) to `path`; options as for csv_bytes."""
    path.write_bytes(csv_bytes(rows, **options))  # type: ignore[arg-type]
    return path


def write_json(path: Path, payload: object, *, indent: int | None = None) -> Path:
    """UTF-8 JSON with Vietnamese text as written (not \\u-escaped), ending with a newline."""
    path.write_text(json.dumps(payload, ensure_ascii=False, indent=indent) + "\n", "utf-8")
    return path


class Sheet:
    """The rows of one worksheet, laid out top to bottom: banners, headers, data."""

    def __init__(self, title: str) -> None:
        self.title = title
        self.rows: list[list[object]] = []
        self.merges: list[tuple[int, int, int, int]] = []  # first row, col, last row, col

    def row(self, cells: Iterable[object]) -> None:
        self.rows.append(list(cells))

    def banner(self, text: str, width: int) -> None:
        """A title line merged across `width` columns."""
        self.merges.append((len(self.rows), 0, len(self.rows), width - 1))
        self.row([text])

    def merged_header(self, levels: list[list[Cell]]) -> None:
        """Header rows from (text, rowspan, colspan) cells, laid out as HTML lays them out."""
        top = len(self.rows)
        grid: dict[tuple[int, int], str] = {}
        taken: set[tuple[int, int]] = set()
        for r, level in enumerate(levels):
            c = 0
            for text, rowspan, colspan in level:
                while (r, c) in taken:
                    c += 1
                grid[(r, c)] = text
                taken |= {(r + dr, c + dc) for dr in range(rowspan) for dc in range(colspan)}
                if rowspan > 1 or colspan > 1:
                    self.merges.append((top + r, c, top + r + rowspan - 1, c + colspan - 1))
                c += colspan
        width = max(c for _, c in taken) + 1
        for r in range(len(levels)):
            self.row([grid.get((r, c), "") for c in range(width)])


def write_xlsx(path: Path, *sheets: Sheet) -> Path:
    """A workbook of the sheets: text as text, numbers as numbers, empty cells left out."""
    # rows stream out in order with inline strings (constant_memory: as fast as the old
    # hand-written writer); text stays text: no "=…" read as a formula, no "http…" as a link
    book = xlsxwriter.Workbook(
        str(path), {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    )
    book.set_properties({"author": "cchc-warehouse", "created": CREATED})
    for sheet in sheets:
        out = book.add_worksheet(sheet.title)
        merged = {(r, c): (r2, c2) for r, c, r2, c2 in sheet.merges}
        for r, cells in enumerate(sheet.rows):
            for c, value in enumerate(cells):
                if (r, c) in merged:
                    out.merge_range(r, c, *merged.pop((r, c)), _text(value))
                elif isinstance(value, int | float) and not isinstance(value, bool):
                    out.write_number(r, c, value)
                elif value is not None and value != "":
                    out.write_string(r, c, str(value))
        for r, c in merged:  # a merge over cells given no text
            raise ValueError(f"{sheet.title}: merge at {xl_rowcol_to_cell(r, c)} has no row")
    book.close()
    return path


def _text(value: object) -> object:
    return "" if value is None else value
