"""Polars expressions that turn the contract's value forms into typed values.

Each parser returns the typed expression only; deciding that a value is bad (non-null text that
parsed to null) is left to `rejects.py`, so that every rule reports through one place.
"""

from __future__ import annotations

from datetime import datetime

import polars as pl

from warehouse.parse.text import value_key, value_key_expr

# dd/mm/yyyy or ISO yyyy-mm-dd, optionally followed by a time (space or "T"), seconds optional.
_DATE_PATTERN = (
    r"^(?:(\d{1,2})/(\d{1,2})/(\d{4})|(\d{4})-(\d{1,2})-(\d{1,2}))"
    r"(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?)?$"
)
_EXCEL_EPOCH = datetime(1899, 12, 30)
_EXCEL_SERIAL = r"^\d{1,7}(?:\.\d+)?$"
_GROUPED_THOUSANDS = r"^\d{1,3}(?:[.,]\d{3})+$"
_WHOLE = r"^\d+$"
_WHOLE_WITH_ZERO_DECIMALS = r"^\d+[.,]0+$"


# The layouts one strptime can read directly; anything else goes through the regex path.
_DIRECT_FORMATS = (
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d",
)


def parse_datetime_series(text: pl.Series, *, excel_serials: bool) -> pl.Series:
    """`parse_datetime_expr` made fast for the usual case of one layout per column.

    A portal writes all dates of a column the same way, so the layout of the first value is
    tried on the whole batch with one strptime; only values it misses take the slower path that
    reads every form. The result is the same as `parse_datetime_expr`, at a fraction of the cost.
    """
    sample = text.drop_nulls().head(1)
    parsed = pl.repeat(None, len(text), dtype=pl.Datetime("us"), eager=True)
    for layout in _DIRECT_FORMATS:
        if sample.len() and sample.str.strptime(pl.Datetime("us"), layout, strict=False)[0]:
            # strptime alone is looser than the contract (2-digit years, 1-digit minutes), so
            # its answer counts only where the text has one of the contract's forms
            contract_form = text.str.contains(_DATE_PATTERN)
            direct = text.str.strptime(pl.Datetime("us"), layout, strict=False)
            parsed = pl.select(pl.when(contract_form).then(direct)).to_series()
            break
    missed = (text.is_not_null() & parsed.is_null()).arg_true()
    if missed.len():
        rest = text.gather(missed).to_frame("v")
        slow = rest.select(parse_datetime_expr(pl.col("v"), excel_serials=excel_serials))
        parsed = parsed.scatter(missed, slow.to_series())
    return parsed.alias(text.name)


def parse_datetime_expr(text: pl.Expr, *, excel_serials: bool) -> pl.Expr:
    """Every date form of the contract → naive Datetime in Vietnam local time.

    One regex pass rewrites all forms into one layout, so a single strptime covers them.
    """
    text = text.str.replace_all(r"\s+", " ").str.strip_chars()
    parts = text.str.extract_groups(_DATE_PATTERN)
    field = parts.struct.field
    iso = pl.concat_str(
        pl.coalesce(field("3"), field("4")),
        pl.lit("-"),
        pl.coalesce(field("2"), field("5")),
        pl.lit("-"),
        pl.coalesce(field("1"), field("6")),
        pl.lit(" "),
        field("7").fill_null("0"),
        pl.lit(":"),
        field("8").fill_null("00"),
        pl.lit(":"),
        field("9").fill_null("00"),
    )
    parsed = iso.str.strptime(pl.Datetime("us"), "%Y-%m-%d %H:%M:%S", strict=False)
    if not excel_serials:
        return parsed
    serial = (
        pl.when(text.str.contains(_EXCEL_SERIAL))
        .then(text.cast(pl.Float64, strict=False))
        .otherwise(None)
    )
    serial_dt = pl.lit(_EXCEL_EPOCH) + pl.duration(seconds=(serial * 86400).round(0).cast(pl.Int64))
    in_range = (serial >= 1) & (serial < 2958466)
    return pl.coalesce(parsed, pl.when(in_range).then(serial_dt).otherwise(None))


def parse_count_expr(text: pl.Expr) -> pl.Expr:
    """A whole, non-negative count in Vietnamese (`1.234`) or plain (`1234`, `1234.0`) style.

    Counts are declared integers, so a grouped `1.234` or `1,234` is one thousand two hundred
    and thirty-four, and `12,5` is no count at all (null, which the caller rejects).
    """
    compact = text.str.replace_all(r"[\s%]", "")
    return (
        pl.when(compact.str.contains(_GROUPED_THOUSANDS))
        .then(compact.str.replace_all(r"[.,]", ""))
        .when(compact.str.contains(_WHOLE))
        .then(compact)
        .when(compact.str.contains(_WHOLE_WITH_ZERO_DECIMALS))
        .then(compact.str.replace(r"[.,]0+$", ""))
        .otherwise(None)
        .cast(pl.Int64, strict=False)
    )


def map_vocabulary_expr(text: pl.Expr, mapping: dict[str, object], dtype: pl.DataType) -> pl.Expr:
    """Cleaned text → canonical value of a vocabulary; null where the text is not in it."""
    return value_key_expr(text).replace_strict(mapping, default=None, return_dtype=dtype)


def map_vocabulary_series(
    text: pl.Series, mapping: dict[str, object], dtype: pl.DataType
) -> pl.Series:
    """`map_vocabulary_expr` for a whole column, keyed on its few distinct values.

    A vocabulary column of millions of rows holds a handful of distinct texts, so they are
    matched once each (with the same `value_key`) instead of lowercasing every row.
    """
    exact = {value: mapping.get(value_key(value)) for value in text.drop_nulls().unique()}
    return text.replace_strict(exact, default=None, return_dtype=dtype).alias(text.name)
