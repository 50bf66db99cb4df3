"""One export file → its kind, format and a stream of (canonical rows, rejects) batches.

This is the only entry point the loader uses: it refuses a file whose format, kind or required
columns cannot be established (RefusedFile), and otherwise hands back lazily parsed batches so a
file of millions of rows never sits in memory whole.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import polars as pl

from warehouse.parse.catalogue import TOKEN_COLUMNS as CATALOGUE_TOKENS
from warehouse.parse.catalogue import parse_catalogue_batch
from warehouse.parse.dossiers import TOKEN_COLUMNS as DOSSIER_TOKENS
from warehouse.parse.dossiers import parse_dossier_batch
from warehouse.parse.headers import HeaderMatch, RefusedFile, find_header
from warehouse.parse.rejects import ParsedBatch
from warehouse.parse.reports import parse_report_table
from warehouse.parse.tables import RawTable, UnreadableFile, detect_format, read_table
from warehouse.parse.text import clean_text_columns, fold_key
from warehouse.parse.vocabulary import load_vocabulary

ROW_NUMBER_HEADERS = {"stt", "so tt", "tt", "so thu tu"}  # STT: a row number, not data
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
    warnings: list[str] = field(default_factory=list)

    def column_map(self) -> list[tuple[int, str, str | None]]:
        """(position, header text, canonical column or None) for every labelled column."""
        return [
            (i, text, self.header.columns.get(i)) for i, text in sorted(self.header.labels.items())
        ]


def parse_export(
    path: Path,
    *,
    work_dir: Path,
    exported_on: date,
    sheet: str | None = None,
    default_agency: str | None = None,
) -> ParsedExport:
    """Open and classify `path`; the returned batches parse as they are consumed."""
    try:
        fmt = detect_format(path)
        table = read_table(path, fmt, sheet=sheet, work_dir=work_dir)
    except UnreadableFile as error:  # no format of the contract, so no kind either
        raise RefusedFile("kind_not_detected", str(error)) from None
    header = find_header(table.head, table.width)
    if header.missing_required:
        vocabulary = load_vocabulary().kinds[header.kind]
        names = []
        for column in header.missing_required:
            synonyms = vocabulary.header_texts.get(column, [])[:3]
            names.append(f"{column} ({' / '.join(synonyms)})" if synonyms else column)
        raise RefusedFile(
            "required_column_missing",
            f"{KIND_LABELS[header.kind]} (header on row {table.head[header.start][0]}) without "
            f"required column {', '.join(names)}",
        )
    excel_serials = fmt in ("xlsx", "xls")
    warnings = []
    unknown = [
        text
        for i, text in sorted(header.labels.items())
        if i not in header.columns and fold_key(text) not in ROW_NUMBER_HEADERS
    ]
    if unknown:
        warnings.append("columns kept in the raw file only: " + ", ".join(unknown))
    body = table.body(header.first_data_index)
    batches: Iterator[ParsedBatch]
    if header.kind == "dossiers":
        batches = (
            parse_dossier_batch(batch, excel_serials=excel_serials)
            for batch in _canonical_batches(body, header, DOSSIER_TOKENS)
        )
    elif header.kind == "catalogue":
        batches = (
            parse_catalogue_batch(batch, exported_on=exported_on, excel_serials=excel_serials)
            for batch in _canonical_batches(body, header, CATALOGUE_TOKENS)
        )
    else:
        frames = list(body)
        whole = pl.concat(frames) if frames else _empty_body(table.width)
        whole = clean_text_columns(whole, [c for c in whole.columns if c != "source_row"])
        banner = [" ".join(c for c in cells if c) for _, cells in table.head[: header.start]]
        report = parse_report_table(
            whole, header, banner, excel_serials=excel_serials, default_agency=default_agency
        )
        warnings.extend(report.warnings)
        batches = iter([(report.rows, report.rejects)])
    return ParsedExport(header.kind, fmt, header, table, batches, warnings)


def _canonical_batches(
    body: Iterator[pl.DataFrame], header: HeaderMatch, tokens: frozenset[str]
) -> Iterator[pl.DataFrame]:
    """Physical columns renamed to canonical ones (first wins) and cleaned; blank rows dropped.

    Token columns (codes, dates) are only trimmed; every other column is cleaned as text.
    """
    first: dict[str, int] = {}
    for index, name in sorted(header.columns.items()):
        first.setdefault(name, index)
    selection = [pl.col(f"c{index}").alias(name) for name, index in first.items()]
    text_columns = [name for name in first if name not in tokens]
    trimmed = [pl.col(name).str.strip_chars() for name in first if name in tokens]
    for batch in body:
        frame = batch.select(*selection, pl.col("source_row")).with_columns(trimmed)
        frame = frame.with_columns(
            pl.when(pl.col(name) == "").then(None).otherwise(pl.col(name)).alias(name)
            for name in first
            if name in tokens
        )
        frame = clean_text_columns(frame, text_columns)
        yield frame.filter(pl.any_horizontal(pl.col(name).is_not_null() for name in first))


def _empty_body(width: int) -> pl.DataFrame:
    schema = {f"c{i}": pl.String for i in range(width)} | {"source_row": pl.Int64}
    return pl.DataFrame(schema=schema)
