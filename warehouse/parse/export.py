"""One export file → its kind, format and a stream of (canonical rows, rejects) batches.

This is the only entry point the loader uses: it refuses a file whose format, kind or required
columns cannot be established (RefusedFile), and otherwise hands back lazily parsed batches so a
file of millions of rows never sits in memory whole.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import polars as pl

from warehouse.config import Limits
from warehouse.numbers import counted
from warehouse.parse.catalogue import TOKEN_COLUMNS as CATALOGUE_TOKENS
from warehouse.parse.catalogue import parse_catalogue_batch
from warehouse.parse.dossiers import TOKEN_COLUMNS as DOSSIER_TOKENS
from warehouse.parse.dossiers import parse_dossier_batch
from warehouse.parse.file_warnings import FileWarning
from warehouse.parse.headers import HeaderMatch, RefusedFile, find_header
from warehouse.parse.rejects import REJECT_SCHEMA, ParsedBatch, empty_rejects
from warehouse.parse.reports import parse_report_table
from warehouse.parse.tables import (
    BAD_BYTES_COLUMN,
    RawTable,
    UnreadableFile,
    detect_format,
    read_table,
)
from warehouse.parse.text import clean_text_columns, fold_key
from warehouse.parse.vocabulary import Extension, load_vocabulary

ROW_NUMBER_HEADERS = {"stt", "so tt", "tt", "so thu tu"}  # STT: a row number, not data
SKIPPED_ROWS_WARNING = 100  # this many rows without a value in the kind's columns: say so
KIND_LABELS = {
    "dossiers": "dossier list",
    "report": "report table",
    "catalogue": "service catalogue",
}


@dataclass
class ParsedExport:
    kind: str
    format: str
    header: HeaderMatch
    table: RawTable
    batches: Iterator[ParsedBatch]
    warnings: list[FileWarning] = field(default_factory=list)  # in the order found

    def column_map(self) -> list[tuple[int, str, str | None]]:
        """(position, header text, canonical column or None) for every labelled column."""
        return [
            (i, text, self.header.columns.get(i)) for i, text in sorted(self.header.labels.items())
        ]


@dataclass(frozen=True)
class ParseOptions:
    """What a person or a source's configuration tells the parser that the file cannot.

    `sheet`: the sheet of a workbook to read (`cchc ingest --sheet`, a source's `sheet`;
    unstated, the first sheet with data). `default_agency`: the agency of a per-field report
    table whose banner names none (`--agency`, a source's `agency`). Ingest hands them through
    unchanged, so both are stated once here instead of as keywords of every step between.
    """

    sheet: str | None = None
    default_agency: str | None = None


NOTHING_STATED = ParseOptions()  # the first sheet with data; a report's agency from its banner


def parse_export(
    path: Path,
    *,
    work_dir: Path,
    exported_on: date,
    options: ParseOptions = NOTHING_STATED,
    limits: Limits | None = None,
    vocabulary: Extension = (),
) -> ParsedExport:
    """Open and classify `path`; the returned batches parse as they are consumed. `limits` and
    `vocabulary` are the portal's configuration: [limits], and the words [vocabulary] of
    cchc.toml adds to the built-in vocabulary, for header and value matching alike."""
    try:
        fmt = detect_format(path)
        table = read_table(path, fmt, sheet=options.sheet, work_dir=work_dir, limits=limits)
    except UnreadableFile as error:  # unreadable, damaged or too large: no kind either
        raise RefusedFile(error.reason, str(error)) from None
    words = load_vocabulary(vocabulary)
    header = find_header(table.head, table.width, words)
    if header.missing_required:
        kind = words.kinds[header.kind]
        names = []
        for column in header.missing_required:
            synonyms = kind.header_texts.get(column, [])[:3]
            names.append(f"{column} ({' / '.join(synonyms)})" if synonyms else column)
        raise RefusedFile(
            "required_column_missing",
            f"{KIND_LABELS[header.kind]} (header on row {table.head[header.start][0]}) without "
            f"required column {', '.join(names)}",
        )
    excel_serials = fmt in ("xlsx", "xls")
    warnings: list[FileWarning] = []
    unknown = [
        text
        for i, text in sorted(header.labels.items())
        if i not in header.columns and fold_key(text) not in ROW_NUMBER_HEADERS
    ]
    if unknown:
        message = "columns kept in the raw file only: " + ", ".join(unknown)
        warnings.append(FileWarning("unknown_columns", message))
    body = table.body(header.first_data_index)
    batches: Iterator[ParsedBatch]
    if header.kind == "dossiers":
        batches = _parsed_batches(
            body,
            header,
            DOSSIER_TOKENS,
            lambda batch: parse_dossier_batch(batch, excel_serials=excel_serials, vocabulary=words),
            warnings,
        )
    elif header.kind == "catalogue":
        batches = _parsed_batches(
            body,
            header,
            CATALOGUE_TOKENS,
            lambda batch: parse_catalogue_batch(
                batch, exported_on=exported_on, excel_serials=excel_serials, vocabulary=words
            ),
            warnings,
        )
    else:
        frames = list(body)
        whole = pl.concat(frames, how="diagonal") if frames else _empty_body(table.width)
        whole, bad_bytes = _split_bad_bytes(whole, header)
        whole = clean_text_columns(whole, [c for c in whole.columns if c != "source_row"])
        banner = [" ".join(c for c in cells if c) for _, cells in table.head[: header.start]]
        report = parse_report_table(
            whole,
            header,
            banner,
            excel_serials=excel_serials,
            default_agency=options.default_agency,
            vocabulary=words,
        )
        warnings.extend(report.warnings)
        _warn_bad_bytes(bad_bytes, warnings)
        batches = iter([(report.rows, _with(bad_bytes, report.rejects))])
    return ParsedExport(header.kind, fmt, header, table, batches, warnings)


def _parsed_batches(
    body: Iterator[pl.DataFrame],
    header: HeaderMatch,
    tokens: frozenset[str],
    parse: Callable[[pl.DataFrame], ParsedBatch],
    warnings: list[FileWarning],
) -> Iterator[ParsedBatch]:
    """Each batch parsed, with its bad-byte rows rejected; a warning for skipped rows.

    The warnings list is the ParsedExport's: ingest records it after the last batch.
    """
    skipped = data_rows = 0
    bad_rows: list[pl.DataFrame] = []
    for frame, bad_bytes, blank in _canonical_batches(body, header, tokens):
        skipped += blank
        data_rows += frame.height + bad_bytes.height
        rows, rejects = parse(frame)
        if bad_bytes.height:
            bad_rows.append(bad_bytes.select("row_number", "column_name").head(20))
        yield rows, _with(bad_bytes, rejects)
    if bad_rows:
        _warn_bad_bytes(pl.concat(bad_rows), warnings)
    if skipped and (data_rows == 0 or skipped >= SKIPPED_ROWS_WARNING):
        one = skipped == 1
        message = (
            f"{counted(skipped, 'row')} below the header {'has' if one else 'have'} no value in "
            f"any column of the file's kind and {'was' if one else 'were'} skipped"
            f"{'; the file has no data rows' if data_rows == 0 else ''}"
        )
        warnings.append(FileWarning("blank_rows", message))


def _canonical_batches(
    body: Iterator[pl.DataFrame], header: HeaderMatch, tokens: frozenset[str]
) -> Iterator[tuple[pl.DataFrame, pl.DataFrame, int]]:
    """(canonical rows, bad-byte rejects, rows skipped as blank) per batch.

    Physical columns are renamed to canonical ones (first wins) and cleaned; rows with no value
    in any of them are skipped. Token columns (codes, dates) are only trimmed; every other
    column is cleaned as text.
    """
    first: dict[str, int] = {}
    for index, name in sorted(header.columns.items()):
        first.setdefault(name, index)
    selection = [pl.col(f"c{index}").alias(name) for name, index in first.items()]
    text_columns = [name for name in first if name not in tokens]
    trimmed = [pl.col(name).str.strip_chars() for name in first if name in tokens]
    for batch in body:
        batch, bad_bytes = _split_bad_bytes(batch, header)
        frame = batch.select(*selection, pl.col("source_row")).with_columns(trimmed)
        frame = frame.with_columns(
            pl.when(pl.col(name) == "").then(None).otherwise(pl.col(name)).alias(name)
            for name in first
            if name in tokens
        )
        frame = clean_text_columns(frame, text_columns)
        kept = frame.filter(pl.any_horizontal(pl.col(name).is_not_null() for name in first))
        yield kept, bad_bytes, frame.height - kept.height


def _split_bad_bytes(batch: pl.DataFrame, header: HeaderMatch) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(rows without bad bytes, a `bad_encoding` reject for each row with them)."""
    if BAD_BYTES_COLUMN not in batch.columns:
        return batch, empty_rejects()
    flagged = pl.col(BAD_BYTES_COLUMN).is_not_null()
    bad = batch.filter(flagged)
    batch = batch.filter(~flagged).drop(BAD_BYTES_COLUMN)
    records = []
    for row in bad.iter_rows(named=True):
        index = row[BAD_BYTES_COLUMN]
        label = header.labels.get(index)
        column = header.columns.get(index) or label or f"column {index + 1}"
        where = f"column {index + 1}" + (f" ({label})" if label else "")
        records.append(
            {
                "row_number": row["source_row"],
                "column_name": column,
                "value": row[f"c{index}"],
                "reason": "bad_encoding",
                "message": f"row {row['source_row']}, {where}: a NUL byte or bytes that are "
                "not valid UTF-8 (shown as �); the row is not loaded",
            }
        )
    return batch, pl.DataFrame(records, schema=REJECT_SCHEMA)


def _with(extra: pl.DataFrame, rejects: pl.DataFrame) -> pl.DataFrame:
    if extra.height == 0:
        return rejects
    return pl.concat([extra, rejects]).sort("row_number", maintain_order=True)


def _warn_bad_bytes(bad: pl.DataFrame, warnings: list[FileWarning]) -> None:
    if bad.height:
        where = ", ".join(f"{n} ({c})" for n, c in bad.head(10).iter_rows())
        more = " and more" if bad.height > 10 else ""
        message = (
            f"rows with a NUL byte or bytes that are not UTF-8 were rejected (bad_encoding): "
            f"row {where}{more}"
        )
        warnings.append(FileWarning("bad_encoding", message))


def _empty_body(width: int) -> pl.DataFrame:
    schema = {f"c{i}": pl.String for i in range(width)} | {"source_row": pl.Int64}
    return pl.DataFrame(schema=schema)
