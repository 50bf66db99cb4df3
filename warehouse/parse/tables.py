"""Read any export format into one shape: a head of rows for header detection, and a body.

The format is decided from the bytes, never from the file name: portals name HTML tables `.xls`
and CSV files `.txt`. Small formats (spreadsheets, HTML, JSON) are read whole; CSV, the only
format that comes in millions of rows, streams its body in bounded batches through Polars.
Each format is read by its module of warehouse/parse/formats/; this one detects the format and
hands the file to it, and its names are the ones the parsers and tests import.
"""

from __future__ import annotations

from pathlib import Path

from warehouse.config import Limits
from warehouse.parse.formats.csv import CSV_CHUNK_BYTES, CsvSource, read_csv
from warehouse.parse.formats.encoding import SNIFF_BYTES, decode_head
from warehouse.parse.formats.html import read_html_rows
from warehouse.parse.formats.json import read_json_rows
from warehouse.parse.formats.raw import (
    BAD_BYTES_COLUMN,
    HEAD_ROWS,
    RawTable,
    Row,
    UnreadableFile,
    grid_table,
)
from warehouse.parse.formats.workbook import read_workbook

__all__ = [
    "BAD_BYTES_COLUMN",
    "CSV_CHUNK_BYTES",
    "HEAD_ROWS",
    "CsvSource",
    "RawTable",
    "Row",
    "UnreadableFile",
    "detect_format",
    "read_table",
]


def detect_format(path: Path) -> str:
    """`xlsx`, `xls`, `html`, `json` or `csv`, from the first bytes of the file."""
    with path.open("rb") as handle:
        start = handle.read(SNIFF_BYTES)
    if not start.strip():
        raise UnreadableFile("the file is empty")
    if start.startswith(b"PK\x03\x04"):
        return "xlsx"
    if start.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "xls"
    text = decode_head(start).lstrip("\ufeff \t\r\n")
    lowered = text[:4096].lower()
    if lowered.startswith("<") and ("<table" in text.lower() or "<html" in lowered):
        return "html"
    if text[:1] in "[{":
        return "json"
    return "csv"


def read_table(
    path: Path, fmt: str, *, sheet: str | None, work_dir: Path, limits: Limits | None = None
) -> RawTable:
    """Open `path` as format `fmt`; `work_dir` holds any transcoded copy while it is read.

    Formats read whole (workbooks, HTML, JSON) are first measured against `limits`, so a file
    that would need unbounded memory or time is refused (`too_large`) before it is parsed.
    """
    limits = limits or Limits()
    if fmt in ("xlsx", "xls"):
        return read_workbook(path, fmt, sheet, limits)
    if fmt == "html":
        return grid_table("html", read_html_rows(path, limits))
    if fmt == "json":
        return grid_table("json", read_json_rows(path, limits))
    return read_csv(path, work_dir)
