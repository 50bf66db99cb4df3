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
import subprocess
import sys
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

import polars as pl

from warehouse.config import Limits
from warehouse.parse.text import clean_text

HEAD_ROWS = 30  # up to 15 banner rows, 3 header rows and enough data rows to judge them
CSV_CHUNK_BYTES = 64 * 1024 * 1024  # about 220,000 dossier rows; measured fastest on 2 cores
_SNIFF_BYTES = 256 * 1024
_CSV_SEPARATORS = (",", ";", "\t")
_DECLARED_CHARSET = re.compile(rb"charset\s*=\s*[\"']?([A-Za-z0-9_-]+)", re.IGNORECASE)

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
_MARKERS = ("\ufffd", *(chr(c) for c in range(0xFDD0, 0xFDF0)))


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
                yield _flag_nul(self._frame.slice(first_row_index))
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
        yield _flag_nul(frame)


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
            try:
                return start[: error.start].decode("utf-8")
            except UnicodeDecodeError:
                pass
        # A few bad fields are rejected row by row (bad_encoding); a file in another encoding
        # shows it in its first line or in most of its lines, and is refused.
        lines = [line for line in start.split(b"\n")[: HEAD_ROWS + 1] if line.strip()]
        if len(start) == _SNIFF_BYTES and len(lines) > HEAD_ROWS:
            lines = lines[:HEAD_ROWS]
        elif len(start) == _SNIFF_BYTES:
            lines = lines[:-1] or lines  # the last line may be cut by the window
        bad = [i for i, line in enumerate(lines) if not _is_utf8(line)]
        if not bad or bad[0] == 0 or 2 * len(bad) > len(lines) - 1:
            raise UnreadableFile(
                f"not UTF-8 or UTF-16 text (byte {error.start} is {start[error.start]:#x}); "
                "the contract's CSV is UTF-8 or UTF-16 with BOM"
            ) from None
        return start.decode("utf-8", errors="replace")


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def read_table(
    path: Path, fmt: str, *, sheet: str | None, work_dir: Path, limits: Limits | None = None
) -> RawTable:
    """Open `path` as format `fmt`; `work_dir` holds any transcoded copy while it is read.

    Formats read whole (workbooks, HTML, JSON) are first measured against `limits`, so a file
    that would need unbounded memory or time is refused (`too_large`) before it is parsed.
    """
    limits = limits or Limits()
    if fmt in ("xlsx", "xls"):
        return _read_excel(path, fmt, sheet, limits)
    if fmt == "html":
        return _grid_table("html", _read_html_rows(path, limits))
    if fmt == "json":
        return _grid_table("json", _read_json_rows(path, limits))
    return _read_csv(path, work_dir)


def _grid_table(fmt: str, rows: list[Row]) -> RawTable:
    width = max((len(cells) for _, cells in rows), default=0)
    head = [(n, [clean_text(c) for c in cells]) for n, cells in rows[:HEAD_ROWS]]
    return RawTable(format=fmt, head=head, width=width, _all_rows=rows)


# --- Excel -------------------------------------------------------------------------------------


def _read_excel(path: Path, fmt: str, sheet: str | None, limits: Limits) -> RawTable:
    import fastexcel

    if fmt == "xlsx":
        _inspect_xlsx(path, limits)
    else:
        _probe_xls(path, limits)
    try:  # from bytes, so calamine reads the content whatever the file is named
        reader = fastexcel.read_excel(path.read_bytes())
    except Exception as error:  # calamine reports corrupt workbooks with many error types
        raise UnreadableFile(
            f"a damaged {fmt.upper()} workbook: {error}", reason="damaged_file"
        ) from None
    names = [sheet] if sheet else reader.sheet_names
    if sheet and sheet not in reader.sheet_names:
        raise UnreadableFile(f"no sheet named {sheet!r}; the workbook has {reader.sheet_names}")
    for name in names:
        try:
            loaded = reader.load_sheet(name, header_row=None, dtypes="string", skip_rows=0)
        except Exception as error:
            raise UnreadableFile(
                f"sheet {name!r} of the {fmt.upper()} workbook is damaged: {error}",
                reason="damaged_file",
            ) from None
        if loaded.height == 0:
            continue
        _within_cells(f"sheet {name!r}", loaded.height, loaded.width, limits)
        raw = loaded.to_polars()
        frame = raw.select(
            pl.col(column).cast(pl.String).alias(f"c{i}") for i, column in enumerate(raw.columns)
        ).with_row_index("source_row", offset=1)
        frame = frame.with_columns(pl.col("source_row").cast(pl.Int64))
        blank = pl.all_horizontal(
            pl.col(f"c{i}").is_null() | (pl.col(f"c{i}").str.strip_chars() == "")
            for i in range(loaded.width)
        )
        data_rows = frame.height - frame.select(blank.sum()).item()
        if data_rows == 0:
            continue
        head = [
            (int(row[0]), [clean_text(v) if v is not None else "" for v in row[1:]])
            for row in frame.head(HEAD_ROWS).iter_rows()
        ]
        table = RawTable(format=fmt, head=head, width=loaded.width, _frame=frame)
        table.notes.append(f"sheet {name!r}")
        return table
    raise UnreadableFile("the workbook has no sheet with data")


def _within_cells(what: str, rows: int, columns: int, limits: Limits) -> None:
    if rows * columns > limits.max_cells:
        raise UnreadableFile(
            f"{what} spans {rows:,} rows × {columns:,} columns = {rows * columns:,} cells, more "
            f"than [limits] max_cells = {limits.max_cells:,}",
            reason="too_large",
        )


# A cell or row reference (` r="B12"`, ` r="12"`) and a cell reference's column letters.
_XLSX_ROW_REF = re.compile(rb' r="[A-Z]{0,3}([0-9]{1,10})"')
_XLSX_COLUMN_REF = re.compile(rb' r="([A-Z]{1,3})[0-9]')
_XLSX_TAGS = (b"<c ", b"<c>", b"<c/>", b":c ", b":c>", b":c/>")  # cells, with or without prefix
_XLSX_ROW_TAGS = (b"<row ", b"<row>", b"<row/>", b":row ", b":row>", b":row/>")
_XLSX_STRINGS = (b"<si>", b"<si ", b":si>", b":si ")
_INFLATE_CHUNK = 4 * 1024 * 1024
_RATIO_FROM_BYTES = 1024 * 1024  # a workbook inflating to less than this is no bomb


def _inspect_xlsx(path: Path, limits: Limits) -> None:
    """Refuse an XLSX that is damaged or beyond `limits` before calamine opens it.

    The zip's central directory gives each part's sizes: too much in total, or too high a
    compression ratio, is refused at once. Then each worksheet and the shared strings are
    inflated in bounded chunks (which also checks their CRC, so sizes that lie are caught)
    and measured: the rows × columns a sheet spans, as calamine allocates them, and the
    number of shared strings.
    """
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, EOFError) as error:
        raise UnreadableFile(
            f"a damaged XLSX workbook (its zip directory cannot be read: {error})",
            reason="damaged_file",
        ) from None
    with archive:
        members = archive.infolist()
        inflated = sum(m.file_size for m in members)
        stored = sum(m.compress_size for m in members)
        cap = limits.max_uncompressed_mb * 1024 * 1024
        if inflated > cap:
            raise UnreadableFile(
                f"the XLSX inflates to {inflated / 1024**2:,.0f} MB, more than [limits] "
                f"max_uncompressed_mb = {limits.max_uncompressed_mb:,}",
                reason="too_large",
            )
        ratio = inflated / max(stored, 1)
        if inflated >= _RATIO_FROM_BYTES and ratio > limits.max_compression_ratio:
            raise UnreadableFile(
                f"the XLSX inflates {ratio:,.0f} times its size "
                f"({stored:,} bytes to {inflated:,}), more than [limits] max_compression_ratio "
                f"= {limits.max_compression_ratio:g}",
                reason="too_large",
            )
        for member in members:
            name = member.filename
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                last_row, columns = _measure_sheet(archive, member, limits)
                _within_cells(f"worksheet {name}", last_row, columns, limits)
            elif name == "xl/sharedStrings.xml":
                strings = _count_in_part(archive, member, _XLSX_STRINGS)
                if strings > limits.max_cells:
                    raise UnreadableFile(
                        f"the XLSX holds {strings:,} shared strings, more than [limits] "
                        f"max_cells = {limits.max_cells:,}",
                        reason="too_large",
                    )


def _inflate(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> Iterator[bytes]:
    """A part's bytes in chunks cut before a `<`, so no tag is split between two chunks."""
    tail = b""
    try:
        with archive.open(member) as stream:
            while chunk := stream.read(_INFLATE_CHUNK):
                data = tail + chunk
                cut = data.rfind(b"<")
                cut = cut if cut > 0 else len(data)
                tail = data[cut:]
                yield data[:cut]
        if tail:
            yield tail
    except (zipfile.BadZipFile, OSError, EOFError, zlib.error) as error:
        raise UnreadableFile(
            f"a damaged XLSX workbook ({member.filename}: {error})", reason="damaged_file"
        ) from None


def _count_in_part(archive: zipfile.ZipFile, member: zipfile.ZipInfo, tags: tuple) -> int:
    return sum(sum(data.count(tag) for tag in tags) for data in _inflate(archive, member))


def _measure_sheet(
    archive: zipfile.ZipFile, member: zipfile.ZipInfo, limits: Limits
) -> tuple[int, int]:
    """(last row, columns) the sheet's cells span, an upper bound of calamine's dense range.

    Explicit references give the extent; cells and rows written without a reference take the
    next position, so each of them can add at most one row or column to it.
    """
    last_row = 0
    letters: set[bytes] = set()
    references = tags = 0
    for data in _inflate(archive, member):
        tags += sum(data.count(tag) for tag in _XLSX_TAGS + _XLSX_ROW_TAGS)
        if tags > limits.max_cells:  # counted at memchr speed, before any regex runs
            raise UnreadableFile(
                f"worksheet {member.filename} holds more than {tags:,} cells and rows, more "
                f"than [limits] max_cells = {limits.max_cells:,}",
                reason="too_large",
            )
        rows = _XLSX_ROW_REF.findall(data)
        if rows:
            last_row = max(last_row, max(map(int, rows)))
        letters.update(_XLSX_COLUMN_REF.findall(data))
        references += len(rows)
    implicit = max(0, tags - references)
    columns = max((_column_number(c) for c in letters), default=0)
    return last_row + implicit, columns + implicit


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


# Run in a child process with capped memory: a genuine XLS is small, but calamine allocates
# every cell of the range its cells span, and a few bytes can span the 16.7 million cells of
# a legacy sheet (1.5 GiB). The child says how big each sheet is; only then is it read here.
_XLS_PROBE = """
import json, resource, sys
resource.setrlimit(resource.RLIMIT_AS, (int(sys.argv[2]), int(sys.argv[2])))
import fastexcel
reader = fastexcel.read_excel(open(sys.argv[1], "rb").read())
sizes = {}
for name in reader.sheet_names:
    sheet = reader.load_sheet(name, header_row=None, dtypes="string", n_rows=1)
    sizes[name] = [sheet.total_height, sheet.width]
print(json.dumps(sizes))
"""
XLS_PROBE_MEMORY = 1536 * 1024 * 1024


def _probe_xls(path: Path, limits: Limits) -> None:
    """Refuse a genuine XLS whose sheets span more than `limits` cells, measured in a child."""
    try:
        probe = subprocess.run(
            [sys.executable, "-c", _XLS_PROBE, str(path), str(XLS_PROBE_MEMORY)],
            capture_output=True,
            text=True,
            timeout=120,
        )
    except subprocess.TimeoutExpired:
        raise UnreadableFile(
            "reading the XLS workbook took more than 2 minutes", reason="too_large"
        ) from None
    if probe.returncode != 0:
        if "memory allocation" in probe.stderr or "MemoryError" in probe.stderr:
            raise UnreadableFile(
                f"reading the XLS workbook needs more than {XLS_PROBE_MEMORY // 1024**2:,} MiB",
                reason="too_large",
            )
        last = (probe.stderr.strip().splitlines() or ["no message"])[-1]
        raise UnreadableFile(f"a damaged XLS workbook: {last}", reason="damaged_file")
    for name, (rows, columns) in json.loads(probe.stdout).items():
        _within_cells(f"sheet {name!r}", rows, columns, limits)


# --- HTML saved as .xls ------------------------------------------------------------------------


# libxml2 stops building the tree at 256 levels of nesting (2,048 with huge_tree) and drops
# whatever follows, so the rows read are checked against the `<tr>` tags the file holds.
_TR_TAG = re.compile(rb"<tr[\s>/]", re.IGNORECASE)
_HTML_COMMENT = re.compile(rb"<!--.*?-->", re.DOTALL)


def _read_html_rows(path: Path, limits: Limits | None = None) -> list[Row]:
    """The first table with rows, rowspan/colspan expanded so every cell under a span has text.

    Every row is read or the file is refused: a tree libxml2 could not build whole (nested too
    deep, broken markup that swallows rows) shows as fewer `<tr>` rows than the file holds.
    """
    from lxml import html

    limits = limits or Limits()
    data = path.read_bytes()
    elements = data.count(b"<") - data.count(b"</")
    if elements > limits.max_cells:
        raise UnreadableFile(
            f"the HTML file holds about {elements:,} elements, more than [limits] max_cells = "
            f"{limits.max_cells:,}",
            reason="too_large",
        )
    declared = _DECLARED_CHARSET.search(data[:4096])
    encoding = declared.group(1).decode("ascii") if declared else "utf-8"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    # without a declaration lxml would guess Latin-1; portals write UTF-8
    parser = html.HTMLParser(encoding=encoding, huge_tree=True)
    document = html.document_fromstring(data, parser=parser)
    stated = _count_tr_tags(data, encoding)
    parsed = sum(1 for _ in document.iter("tr"))
    if parsed < stated:
        problem = next(
            (f"{e.message.strip()} (line {e.line})" for e in parser.error_log if e.level >= 3),
            "broken markup",
        )
        raise UnreadableFile(
            f"the HTML table has {stated:,} <tr> rows but only {parsed:,} could be read: {problem}",
            reason="damaged_file",
        )
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
    _within_cells("the HTML table", len(grid), max((len(c) for _, c in grid), default=0), limits)
    return grid


def _count_tr_tags(data: bytes, encoding: str) -> int:
    """`<tr>` start tags outside comments, as the file states them."""
    if encoding.lower().replace("-", "") in ("utf16", "utf16le", "utf16be"):
        data = data.decode("utf-16", errors="replace").encode("utf-8")
    return len(_TR_TAG.findall(_HTML_COMMENT.sub(b"", data)))


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


def _read_json_rows(path: Path, limits: Limits | None = None) -> list[Row]:
    """A top-level array of objects, or one page `{"data": [...], "page": N, ...}`.

    The keys (in first-seen order) become a header row numbered 0, so record k is row k: row
    numbers in rejects count records from 1, as the contract's convention for JSON says.
    """
    limits = limits or Limits()
    data = path.read_bytes()
    values = data.count(b'":')  # every key ends so; a close upper bound of the cells
    if values > limits.max_cells:
        raise UnreadableFile(
            f"the JSON file holds about {values:,} values, more than [limits] max_cells = "
            f"{limits.max_cells:,}",
            reason="too_large",
        )
    try:
        payload = json.loads(data)
    except json.JSONDecodeError as error:
        raise UnreadableFile(
            f"invalid JSON at line {error.lineno} column {error.colno}: {error.msg}"
        ) from None
    records = payload.get("data") if isinstance(payload, dict) else payload
    if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
        raise UnreadableFile('JSON that is neither an array of objects nor {"data": [...]}')
    del data, payload
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
                frame = self._parse_chunk(chunk, schema)
                frame = frame.with_row_index("source_row", offset=row_number)
                row_number += frame.height
                yield frame.with_columns(pl.col("source_row").cast(pl.Int64))

    def _parse_chunk(self, chunk: bytes, schema: dict[str, pl.DataType]) -> pl.DataFrame:
        """One chunk's records; bad bytes (NUL, invalid UTF-8) marked, never failing the chunk.

        Clean chunks, nearly all of them, cost one memchr for NUL more than before: Polars
        validates UTF-8 itself, and only a chunk it refuses is decoded here and repaired.
        """

        def parse(data: bytes) -> pl.DataFrame:
            return pl.read_csv(
                data,
                has_header=False,
                separator=self.separator,
                schema=schema,
                truncate_ragged_lines=True,
                encoding="utf8",
            )

        if b"\x00" not in chunk:
            try:
                return parse(chunk)
            except pl.exceptions.ComputeError:
                if _is_utf8(chunk):
                    raise
        marker = next(m for m in _MARKERS if m.encode() not in chunk)
        text = chunk.decode("utf-8", errors=_MARKER_HANDLERS[marker])
        frame = parse(text.replace("\x00", marker).encode("utf-8"))
        return _flag_marked(frame, marker)


def _register_marker_handlers() -> dict[str, str]:
    """A codec error handler per marker: each invalid byte sequence becomes the marker."""
    names = {}
    for i, marker in enumerate(_MARKERS):
        name = f"cchc_bad_bytes_{i}"
        codecs.register_error(name, lambda error, m=marker: (m, error.end))
        names[marker] = name
    return names


_MARKER_HANDLERS = _register_marker_handlers()
codecs.register_error("cchc_nul", lambda error: ("\x00", error.end))  # UTF-16 → NUL → marked


def _flag_marked(frame: pl.DataFrame, marker: str) -> pl.DataFrame:
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


def _flag_nul(frame: pl.DataFrame) -> pl.DataFrame:
    """Text read from a workbook, HTML or JSON may hold NUL characters: flag those rows too."""
    columns = [c for c in frame.columns if c.startswith("c")]
    if (
        not columns
        or not frame.select(
            pl.any_horizontal(pl.col(columns).str.contains("\x00", literal=True).any())
        ).item()
    ):
        return frame
    return _flag_marked(frame, "\x00")


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
        decoder = codecs.getincrementaldecoder("utf-16")(errors="cchc_nul")
        writer = codecs.getwriter("utf-8")(sink)
        while chunk := source.read(1 << 20):
            writer.write(decoder.decode(chunk))
        writer.write(decoder.decode(b"", final=True))
    shutil.copystat(path, target)
    return target
