"""Read any export format into one shape: a head of rows for header detection, and a body.

The format is decided from the bytes, never from the file name: portals name HTML tables `.xls`
and CSV files `.txt`. Small formats (spreadsheets, HTML, JSON) are read whole; CSV, the only
format that comes in millions of rows, streams its body in bounded batches through Polars.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

import polars as pl

from warehouse.parse.text import clean_text

HEAD_ROWS = 30  # up to 15 banner rows, 3 header rows and enough data rows to judge them
CSV_CHUNK_BYTES = 64 * 1024 * 1024  # about 220,000 dossier rows; measured fastest on 2 cores
_SNIFF_BYTES = 256 * 1024
_CSV_SEPARATORS = (",", ";", "\t")
_DECLARED_CHARSET = re.compile(rb"charset\s*=\s*[\"']?([A-Za-z0-9_-]+)", re.IGNORECASE)

Row = tuple[int, list[str]]  # (1-based row number as a person sees it, cleaned cells)


class UnreadableFile(Exception):
    """The bytes are not any format of the export contract; the file is refused."""


@dataclass
class RawTable:
    """A sheet's rows as text. `head` feeds header detection; `body()` yields the data rows."""

    format: str
    head: list[Row]
    width: int
    _all_rows: list[Row] | None = None
    _csv: CsvSource | None = None
    notes: list[str] = field(default_factory=list)

    def body(self, first_row_index: int) -> Iterator[pl.DataFrame]:
        """Raw text frames (c0..cN plus `source_row`) from head index `first_row_index`.

        Values are not cleaned here: the parsers clean only the columns they use.
        """
        if self._csv is not None:
            yield from self._csv.batches(first_row_index, self.width)
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
        yield frame


def detect_format(path: Path) -> str:
    """`xlsx`, `xls`, `html`, `json` or `csv`, from the first bytes of the file."""
    with path.open("rb") as handle:
        start = handle.read(_SNIFF_BYTES)
    if not start.strip():
        raise UnreadableFile("the file is empty")
    if start.startswith(b"PK\x03\x04"):
        return "xlsx"
    if start.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "xls"
    text = _decode_head(start).lstrip("\ufeff \t\r\n")
    lowered = text[:4096].lower()
    if lowered.startswith("<") and ("<table" in text.lower() or "<html" in lowered):
        return "html"
    if text[:1] in "[{":
        return "json"
    return "csv"


def _decode_head(start: bytes) -> str:
    if start.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return start.decode("utf-16", errors="ignore")
    try:
        return start.decode("utf-8")
    except UnicodeDecodeError as error:
        if len(start) == _SNIFF_BYTES and error.start >= len(start) - 4:  # cut by the window
            return start[: error.start].decode("utf-8")
        raise UnreadableFile(
            f"not UTF-8 or UTF-16 text (byte {error.start} is {start[error.start]:#x}); "
            "the contract's CSV is UTF-8 or UTF-16 with BOM"
        ) from None


def read_table(path: Path, fmt: str, *, sheet: str | None, work_dir: Path) -> RawTable:
    """Open `path` as format `fmt`; `work_dir` holds any transcoded copy while it is read."""
    if fmt in ("xlsx", "xls"):
        return _read_excel(path, fmt, sheet)
    if fmt == "html":
        return _grid_table("html", _read_html_rows(path))
    if fmt == "json":
        return _grid_table("json", _read_json_rows(path))
    return _read_csv(path, work_dir)


def _grid_table(fmt: str, rows: list[Row]) -> RawTable:
    width = max((len(cells) for _, cells in rows), default=0)
    head = [(n, [clean_text(c) for c in cells]) for n, cells in rows[:HEAD_ROWS]]
    return RawTable(format=fmt, head=head, width=width, _all_rows=rows)


# --- Excel -------------------------------------------------------------------------------------


def _read_excel(path: Path, fmt: str, sheet: str | None) -> RawTable:
    import fastexcel

    try:  # from bytes, so calamine reads the content whatever the file is named
        reader = fastexcel.read_excel(path.read_bytes())
    except Exception as error:  # calamine reports corrupt workbooks with many error types
        raise UnreadableFile(f"not a readable {fmt.upper()} workbook: {error}") from None
    names = [sheet] if sheet else reader.sheet_names
    if sheet and sheet not in reader.sheet_names:
        raise UnreadableFile(f"no sheet named {sheet!r}; the workbook has {reader.sheet_names}")
    for name in names:
        frame = reader.load_sheet(name, header_row=None, dtypes="string", skip_rows=0).to_polars()
        if frame.height == 0:
            continue
        rows = [
            (i + 1, ["" if v is None else v for v in row])
            for i, row in enumerate(frame.iter_rows())
        ]
        if any(any(cell.strip() for cell in cells) for _, cells in rows):
            table = _grid_table(fmt, rows)
            table.notes.append(f"sheet {name!r}")
            return table
    raise UnreadableFile("the workbook has no sheet with data")


# --- HTML saved as .xls ------------------------------------------------------------------------


def _read_html_rows(path: Path) -> list[Row]:
    """The first table with rows, rowspan/colspan expanded so every cell under a span has text."""
    from lxml import html

    data = path.read_bytes()
    declared = _DECLARED_CHARSET.search(data[:4096])
    encoding = declared.group(1).decode("ascii") if declared else "utf-8"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    # without a declaration lxml would guess Latin-1; portals write UTF-8
    document = html.document_fromstring(data, parser=html.HTMLParser(encoding=encoding))
    tables = [t for t in document.iter("table") if t.xpath(".//tr")]
    if not tables:
        raise UnreadableFile("an HTML file without a table")
    table = max(tables, key=lambda t: len(t.xpath(".//tr")))  # banners often sit in small tables
    grid: list[Row] = []
    carried: dict[int, tuple[int, str]] = {}  # column → (rows still covered, text)
    for number, tr in enumerate(table.xpath(".//tr[not(ancestor::tr)]"), start=1):
        cells: list[str] = []
        column = 0
        for td in tr.xpath("./td|./th"):
            while column in carried:
                cells.append(_take_carried(carried, column))
                column += 1
            text = clean_text(td.text_content())
            rowspan = _span(td.get("rowspan"))
            for _ in range(_span(td.get("colspan"))):
                if rowspan > 1:
                    carried[column] = (rowspan - 1, text)
                cells.append(text)
                column += 1
        while column in carried:
            cells.append(_take_carried(carried, column))
            column += 1
        grid.append((number, cells))
    return grid


def _take_carried(carried: dict[int, tuple[int, str]], column: int) -> str:
    remaining, text = carried[column]
    if remaining <= 1:
        del carried[column]
    else:
        carried[column] = (remaining - 1, text)
    return text


def _span(value: str | None) -> int:
    try:
        return max(1, min(int(value or 1), 1000))
    except ValueError:
        return 1


# --- JSON --------------------------------------------------------------------------------------


def _read_json_rows(path: Path) -> list[Row]:
    """A top-level array of objects, or one page `{"data": [...], "page": N, ...}`.

    The keys (in first-seen order) become a header row numbered 0, so record k is row k: row
    numbers in rejects count records from 1, as the contract's convention for JSON says.
    """
    try:
        payload = json.loads(path.read_bytes())
    except json.JSONDecodeError as error:
        raise UnreadableFile(
            f"invalid JSON at line {error.lineno} column {error.colno}: {error.msg}"
        ) from None
    records = payload.get("data") if isinstance(payload, dict) else payload
    if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
        raise UnreadableFile('JSON that is neither an array of objects nor {"data": [...]}')
    keys: dict[str, None] = {}
    for record in records:
        keys.update(dict.fromkeys(record))
    header = list(keys)
    rows: list[Row] = [(0, header)]
    for number, record in enumerate(records, start=1):
        rows.append((number, [_json_text(record.get(k)) for k in header]))
    return rows


def _json_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


# --- CSV ---------------------------------------------------------------------------------------


@dataclass
class CsvSource:
    """A UTF-8 CSV on disk whose body is read in bounded chunks of whole records.

    Polars parses each chunk; the file is never mapped or read whole, so memory stays flat
    whatever the size. A chunk ends at a line break outside quotes (an even number of quote
    characters before it), so quoted fields holding line breaks are never cut.
    """

    path: Path
    separator: str
    chunk_bytes: int = CSV_CHUNK_BYTES

    def batches(self, first_row_index: int, width: int) -> Iterator[pl.DataFrame]:
        schema = {f"c{i}": pl.String for i in range(width)}
        row_number = first_row_index + 1
        with self.path.open("rb") as handle:
            offset = _data_offset(handle, first_row_index)
            size = self.chunk_bytes
            while True:
                handle.seek(offset)
                block = handle.read(size)
                if not block:
                    return
                cut = len(block) if len(block) < size else _last_record_end(block)
                if cut == 0:  # one record longer than a chunk: read a larger one
                    size *= 2
                    continue
                size = self.chunk_bytes
                offset += cut
                chunk = block if cut == len(block) else block[:cut]
                if chunk.isspace():
                    continue
                frame = pl.read_csv(
                    chunk,
                    has_header=False,
                    separator=self.separator,
                    schema=schema,
                    truncate_ragged_lines=True,
                    encoding="utf8",
                ).with_row_index("source_row", offset=row_number)
                row_number += frame.height
                yield frame.with_columns(pl.col("source_row").cast(pl.Int64))


def _last_record_end(data: bytes) -> int:
    """Offset just after the last line break that ends a record (0 if none does yet)."""
    position = data.rfind(b"\n")
    while position >= 0:
        if data.count(b'"', 0, position) % 2 == 0:
            return position + 1
        position = data.rfind(b"\n", 0, position)
    return 0


def _data_offset(handle: BinaryIO, records: int) -> int:
    """Byte offset of the first data record: past the BOM and `records` banner/header records."""
    data = handle.read(_SNIFF_BYTES)
    offset = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0
    for _ in range(records):
        position = data.find(b"\n", offset)
        while position >= 0 and data.count(b'"', offset, position) % 2:
            position = data.find(b"\n", position + 1)
        if position < 0:
            return len(data)
        offset = position + 1
    return offset


def _read_csv(path: Path, work_dir: Path) -> RawTable:
    with path.open("rb") as handle:
        start = handle.read(4)
    if start.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        path = _transcode_utf16(path, work_dir)
    with path.open("rb") as handle:
        head_bytes = handle.read(_SNIFF_BYTES)
    text = _decode_head(head_bytes).lstrip("\ufeff")
    if len(head_bytes) == _SNIFF_BYTES:  # drop the record cut by the window
        text = text[: text.rfind("\n") + 1]
    separator = _sniff_separator(text)
    records = list(csv.reader(io.StringIO(text, newline=""), delimiter=separator))[:HEAD_ROWS]
    head = [(i + 1, [clean_text(c) for c in cells]) for i, cells in enumerate(records)]
    width = max((len(cells) for cells in records), default=0)
    source = CsvSource(path=path, separator=separator)
    return RawTable(format="csv", head=head, width=width, _csv=source)


def _sniff_separator(text: str) -> str:
    """The separator that splits the first lines into the most, equally wide, records."""
    sample = text[:65536]

    def score(separator: str) -> tuple[int, int]:
        records = list(csv.reader(io.StringIO(sample, newline=""), delimiter=separator))[:HEAD_ROWS]
        widths = [len(r) for r in records if any(cell.strip() for cell in r)]
        if not widths:
            return (0, 0)
        common = max(set(widths), key=widths.count)
        return (widths.count(common) if common > 1 else 0, common)

    return max(_CSV_SEPARATORS, key=score)


def _transcode_utf16(path: Path, work_dir: Path) -> Path:
    """Polars reads UTF-8 only: stream a UTF-16 file into a UTF-8 copy beside the work."""
    work_dir.mkdir(parents=True, exist_ok=True)
    target = work_dir / f"{path.name}.utf8.csv"
    with path.open("rb") as source, target.open("wb") as sink:
        decoder = codecs.getincrementaldecoder("utf-16")()
        writer = codecs.getwriter("utf-8")(sink)
        while chunk := source.read(1 << 20):
            writer.write(decoder.decode(chunk))
        writer.write(decoder.decode(b"", final=True))
    shutil.copystat(path, target)
    return target
