"""XLSX: the zip measured before calamine opens it, so a bomb or a huge sheet is refused."""

from __future__ import annotations

import re
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path

from warehouse.config import Limits
from warehouse.parse.formats.raw import UnreadableFile, within_cells

# A cell or row reference (` r="B12"`, ` r="12"`) and a cell reference's column letters.
_XLSX_ROW_REF = re.compile(rb' r="[A-Z]{0,3}([0-9]{1,10})"')
_XLSX_COLUMN_REF = re.compile(rb' r="([A-Z]{1,3})[0-9]')
_XLSX_TAGS = (b"<c ", b"<c>", b"<c/>", b":c ", b":c>", b":c/>")  # cells, with or without prefix
_XLSX_ROW_TAGS = (b"<row ", b"<row>", b"<row/>", b":row ", b":row>", b":row/>")
_XLSX_STRINGS = (b"<si>", b"<si ", b":si>", b":si ")
_INFLATE_CHUNK = 4 * 1024 * 1024
_RATIO_FROM_BYTES = 1024 * 1024  # a workbook inflating to less than this is no bomb


def inspect_xlsx(path: Path, limits: Limits) -> None:
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
                within_cells(f"worksheet {name}", last_row, columns, limits)
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
