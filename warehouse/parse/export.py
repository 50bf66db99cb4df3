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

from warehouse.parse.catalogue import parse_catalogue_batch
from warehouse.parse.dossiers import parse_dossier_batch
from warehouse.parse.headers import HeaderMatch, RefusedFile, find_header
from warehouse.parse.rejects import ParsedBatch
from warehouse.parse.reports import parse_report_table
from warehouse.parse.tables import RawTable, UnreadableFile, detect_format, read_table
from warehouse.parse.vocabulary import load_vocabulary

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
    except UnreadableFile as error:
        raise RefusedFile("unreadable", str(error)) from None
    header = find_header(table.head, table.width)
    if header.missing_required:
        vocabulary = load_vocabulary().kinds[header.kind]
        names = []
        for column in header.missing_required:
            synonyms = [k for k, v in vocabulary.columns.items() if v == column][1:3]
            names.append(f"{column} ({' / '.join(synonyms)})" if synonyms else column)
        raise RefusedFile(
            "required_column_missing",
            f"{KIND_LABELS[header.kind]} (header on row {table.head[header.start][0]}) without "
            f"required column {', '.join(names)}",
        )
    excel_serials = fmt in ("xlsx", "xls")
    warnings = []
    unknown = [text for i, text in sorted(header.labels.items()) if i not in header.columns]
    if unknown:
        warnings.append("columns kept in the raw file only: " + ", ".join(unknown))
    body = table.body(header.first_data_index)
    batches: Iterator[ParsedBatch]
    if header.kind == "dossiers":
        batches = (
            parse_dossier_batch(batch, excel_serials=excel_serials)
            for batch in _canonical_batches(body, header)
        )
    elif header.kind == "catalogue":
        batches = (
            parse_catalogue_batch(batch, exported_on=exported_on, excel_serials=excel_serials)
            for batch in _canonical_batches(body, header)
        )
    else:
        frames = list(body)
        whole = pl.concat(frames) if frames else _empty_body(table.width)
        banner = [" ".join(c for c in cells if c) for _, cells in table.head[: header.start]]
        report = parse_report_table(
            whole, header, banner, excel_serials=excel_serials, default_agency=default_agency
        )
        warnings.extend(report.warnings)
        batches = iter([(report.rows, report.rejects)])
    return ParsedExport(header.kind, fmt, header, table, batches, warnings)


def _canonical_batches(body: Iterator[pl.DataFrame], header: HeaderMatch) -> Iterator[pl.DataFrame]:
    """Physical columns renamed to canonical ones (first wins), blank rows dropped unread."""
    first: dict[str, int] = {}
    for index, name in sorted(header.columns.items()):
        first.setdefault(name, index)
    selection = [pl.col(f"c{index}").alias(name) for name, index in first.items()]
    for batch in body:
        frame = batch.select(*selection, pl.col("source_row"))
        yield frame.filter(pl.any_horizontal(pl.col(name).is_not_null() for name in first))


def _empty_body(width: int) -> pl.DataFrame:
    schema = {f"c{i}": pl.String for i in range(width)} | {"source_row": pl.Int64}
    return pl.DataFrame(schema=schema)
