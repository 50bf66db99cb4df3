"""CSV, the only format that comes in millions of rows: its body streams through Polars in
bounded chunks of whole records; UTF-16 is transcoded to a UTF-8 copy first."""

from __future__ import annotations

import codecs
import csv
import io
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import polars as pl

from warehouse.parse.formats.encoding import SNIFF_BYTES, decode_head, is_utf8
from warehouse.parse.formats.raw import HEAD_ROWS, MARKERS, RawTable, flag_marked
from warehouse.parse.text import clean_text

CSV_CHUNK_BYTES = 64 * 1024 * 1024  # about 220,000 dossier rows; measured fastest on 2 cores
_CSV_SEPARATORS = (",", ";", "\t")


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
                raise_if_empty=False,
            )

        if b"\x00" not in chunk:
            try:
                return parse(chunk)
            except pl.exceptions.ComputeError:
                if is_utf8(chunk):
                    raise
        marker = next(m for m in MARKERS if m.encode() not in chunk)
        text = chunk.decode("utf-8", errors=_MARKER_HANDLERS[marker])
        frame = parse(text.replace("\x00", marker).encode("utf-8"))
        return flag_marked(frame, marker)


def _register_marker_handlers() -> dict[str, str]:
    """A codec error handler per marker: each invalid byte sequence becomes the marker."""
    names = {}
    for i, marker in enumerate(MARKERS):
        name = f"cchc_bad_bytes_{i}"
        codecs.register_error(name, lambda error, m=marker: (m, error.end))
        names[marker] = name
    return names


_MARKER_HANDLERS = _register_marker_handlers()
codecs.register_error("cchc_nul", lambda error: ("\x00", error.end))  # UTF-16 → NUL → marked


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
    data = handle.read(SNIFF_BYTES)
    offset = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0
    for _ in range(records):
        position = data.find(b"\n", offset)
        while position >= 0 and data.count(b'"', offset, position) % 2:
            position = data.find(b"\n", position + 1)
        if position < 0:
            return len(data)
        offset = position + 1
    return offset


def read_csv(path: Path, work_dir: Path) -> RawTable:
    with path.open("rb") as handle:
        start = handle.read(4)
    if start.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        path = _transcode_utf16(path, work_dir)
    with path.open("rb") as handle:
        head_bytes = handle.read(SNIFF_BYTES)
    text = decode_head(head_bytes).lstrip("\ufeff")
    if len(head_bytes) == SNIFF_BYTES:  # drop the record cut by the window
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
