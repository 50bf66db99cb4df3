"""Online-service catalogue (danh mục DVC trực tuyến) → one row per procedure and agency."""

from __future__ import annotations

from datetime import date

import polars as pl

from warehouse.parse.rejects import (
    ParsedBatch,
    RowRule,
    date_range_rule,
    split_rejects,
    unreadable_rule,
)
from warehouse.parse.values import map_vocabulary_expr, parse_datetime_expr
from warehouse.parse.vocabulary import Vocabulary, load_vocabulary

TEXT_COLUMNS = ("procedure_code", "procedure_name", "field_name", "agency_code", "agency_name")
TOKEN_COLUMNS = frozenset(("procedure_code", "agency_code", "valid_from"))
REQUIRED = ("procedure_code", "agency_name", "service_level")


def parse_catalogue_batch(
    raw: pl.DataFrame,
    *,
    exported_on: date,
    excel_serials: bool,
    vocabulary: Vocabulary | None = None,
) -> ParsedBatch:
    """Typed catalogue rows; `exported_on` dates the rows that carry no Ngày áp dụng;
    `vocabulary` is the built-in one unless a configuration extends it."""
    values = (vocabulary or load_vocabulary()).values
    frame = raw.with_columns(
        pl.lit(None, dtype=pl.String).alias(c)
        for c in (*TEXT_COLUMNS, "level", "service_level", "valid_from")
        if c not in raw.columns
    ).with_columns(
        map_vocabulary_expr(pl.col("level"), values["level"], pl.String).alias("level__v"),
        map_vocabulary_expr(pl.col("service_level"), values["service_level"], pl.String).alias(
            "service_level__v"
        ),
        parse_datetime_expr(pl.col("valid_from"), excel_serials=excel_serials)
        .dt.date()
        .alias("valid_from__v"),
    )
    rules: list[RowRule] = [
        unreadable_rule(c, c, f"{c}__v", "not_in_vocabulary", allowed)
        for c, allowed in (
            ("level", "Bộ, Tỉnh, Huyện or Xã"),
            ("service_level", "Toàn trình or Một phần"),
        )
    ]
    rules.append(unreadable_rule("valid_from", "valid_from", "valid_from__v", "bad_date", "a date"))
    rules.append(date_range_rule("valid_from", pl.col("valid_from"), pl.col("valid_from__v")))
    valid, rejects = split_rejects(frame, rules, required=REQUIRED)
    rows = valid.select(
        *[pl.col(c) for c in TEXT_COLUMNS],
        pl.col("level__v").alias("level"),
        pl.col("service_level__v").alias("service_level"),
        pl.col("valid_from__v").fill_null(exported_on).alias("valid_from"),
        pl.col("source_row"),
    )
    return rows, rejects
