"""XLSX and XLS workbooks read by calamine (fastexcel), after the format's own guard measured
them against [limits] (xlsx.py, xls.py): the first sheet with data, or the one asked for."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from warehouse.config import Limits
from warehouse.parse.formats.raw import HEAD_ROWS, RawTable, UnreadableFile, within_cells
from warehouse.parse.formats.xls import probe_xls
from warehouse.parse.formats.xlsx import inspect_xlsx
from warehouse.parse.text import clean_text


def read_workbook(path: Path, fmt: str, sheet: str | None, limits: Limits) -> RawTable:
    import fastexcel

    if fmt == "xlsx":
        inspect_xlsx(path, limits)
    else:
        probe_xls(path, limits)
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
        within_cells(f"sheet {name!r}", loaded.height, loaded.width, limits)
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
