"""Row rules: each names a column, a reason code and the rows that break it.

A row breaking any rule is kept out of the load and recorded once per broken rule in
`ops.rejects`, with its raw value, so rows read = rows loaded + rows rejected always holds.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import polars as pl

REJECT_SCHEMA = {
    "row_number": pl.Int64,
    "column_name": pl.String,
    "value": pl.String,
    "reason": pl.String,
    "message": pl.String,
}

ParsedBatch = tuple[pl.DataFrame, pl.DataFrame]  # (canonical rows, rejects)


@dataclass(frozen=True)
class RowRule:
    column: str
    reason: str  # missing_required | not_in_vocabulary | bad_date | bad_number | ...
    broken: pl.Expr  # true on rows that break the rule
    value: pl.Expr  # what to keep as the rejected value
    message: str


def empty_rejects() -> pl.DataFrame:
    return pl.DataFrame(schema=REJECT_SCHEMA)


def split_rejects(
    frame: pl.DataFrame, rules: list[RowRule], required: tuple[str, ...] = ()
) -> ParsedBatch:
    """(rows breaking no rule, one reject record per broken rule) of `frame`.

    Each `required` column left empty is a rule of its own (missing_required), before `rules`.
    """
    rules = [*(missing_rule(c) for c in required), *rules]
    if not rules:
        return frame, empty_rejects()
    flags = frame.select(
        pl.col("source_row"),
        *[rule.broken.fill_null(False).alias(f"__rule{i}") for i, rule in enumerate(rules)],
    )
    any_broken = pl.any_horizontal(pl.col(f"__rule{i}") for i in range(len(rules)))
    broken_rows = flags.filter(any_broken)
    if broken_rows.height == 0:
        return frame, empty_rejects()
    with_flags = frame.with_columns(flags.drop("source_row"))
    parts = []
    for i, rule in enumerate(rules):
        part = with_flags.filter(pl.col(f"__rule{i}")).select(
            pl.col("source_row").alias("row_number"),
            pl.lit(rule.column).alias("column_name"),
            rule.value.cast(pl.String).alias("value"),
            pl.lit(rule.reason).alias("reason"),
            pl.lit(rule.message).alias("message"),
        )
        if part.height:
            parts.append(part)
    valid = with_flags.filter(~any_broken).drop(f"__rule{i}" for i in range(len(rules)))
    return valid, pl.concat(parts).sort("row_number", maintain_order=True)


def missing_rule(column: str, raw: str | None = None) -> RowRule:
    source = pl.col(raw or column)
    return RowRule(column, "missing_required", source.is_null(), source, f"{column} is required")


def unreadable_rule(column: str, raw: str, parsed: str, reason: str, expected: str) -> RowRule:
    """Text present in `raw` that did not parse into `parsed`."""
    return RowRule(
        column,
        reason,
        pl.col(raw).is_not_null() & pl.col(parsed).is_null(),
        pl.col(raw),
        f"{column}: expected {expected}",
    )


# The contract's date range: before 2000-01-01 or after 2099-12-31 is a typing slip.
FIRST_DATE = date(2000, 1, 1)
LAST_DATE = date(2099, 12, 31)


def date_range_rule(column: str, raw: pl.Expr, parsed: pl.Expr) -> RowRule:
    """A date (or date-time) that was read but lies outside 2000-01-01 … 2099-12-31."""
    day = parsed.dt.date()
    return RowRule(
        column,
        "date_out_of_range",
        (day < FIRST_DATE) | (day > LAST_DATE),
        raw,
        f"{column}: a date between 01/01/2000 and 31/12/2099",
    )
