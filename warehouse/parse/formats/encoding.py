"""The first bytes of a file as text: UTF-8 or UTF-16 with BOM, as the export contract says."""

from __future__ import annotations

import codecs

from warehouse.parse.formats.raw import HEAD_ROWS, UnreadableFile

SNIFF_BYTES = 256 * 1024


def decode_head(start: bytes) -> str:
    if start.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return start.decode("utf-16", errors="ignore")
    try:
        return start.decode("utf-8")
    except UnicodeDecodeError as error:
        if len(start) == SNIFF_BYTES and error.start >= len(start) - 4:  # cut by the window
            try:
                return start[: error.start].decode("utf-8")
            except UnicodeDecodeError:
                pass
        # A few bad fields are rejected row by row (bad_encoding); a file in another encoding
        # shows it in its first line or in most of its lines, and is refused.
        lines = [line for line in start.split(b"\n")[: HEAD_ROWS + 1] if line.strip()]
        if len(start) == SNIFF_BYTES and len(lines) > HEAD_ROWS:
            lines = lines[:HEAD_ROWS]
        elif len(start) == SNIFF_BYTES:
            lines = lines[:-1] or lines  # the last line may be cut by the window
        bad = [i for i, line in enumerate(lines) if not is_utf8(line)]
        if not bad or bad[0] == 0 or 2 * len(bad) > len(lines) - 1:
            raise UnreadableFile(
                f"not UTF-8 or UTF-16 text (byte {error.start} is {start[error.start]:#x}); "
                "the contract's CSV is UTF-8 or UTF-16 with BOM"
            ) from None
        return start.decode("utf-8", errors="replace")


def is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True
