"""Dossier list (danh sách hồ sơ) batches → canonical dossier rows plus rejects.

Row-local rules live here; the one rule that needs the whole file (a dossier code repeated
with different content) runs in SQL on the loaded file, see sql/load/dossiers/31_conflicts.sql.
"""

from __future__ import annotations

import polars as pl

from warehouse.parse.rejects import (
    ParsedBatch,
    RowRule,
    date_range_rule,
    split_rejects,
    unreadable_rule,
)
from warehouse.parse.values import map_vocabulary_series, parse_datetime_series
from warehouse.parse.vocabulary import Vocabulary, load_vocabulary

TEXT_COLUMNS = (
    "dossier_code",
    "procedure_code",
    "procedure_name",
    "field_name",
    "agency_code",
    "agency_name",
)
DATE_COLUMNS = ("received_at", "due_at", "completed_at", "returned_at")
VOCABULARY_COLUMNS = {  # column → (vocabulary, dtype)
    "level": ("level", pl.String),
    "channel": ("channel", pl.String),
    "service_level": ("service_level", pl.String),
    "status": ("status", pl.String),
    "satisfaction": ("satisfaction", pl.String),
    "digitized": ("yes_no", pl.Boolean),
    "e_result": ("yes_no", pl.Boolean),
    "paid_online": ("yes_no", pl.Boolean),
}
# Codes and dates are only trimmed: they are ASCII, so Unicode and spacing rules never apply.
TOKEN_COLUMNS = frozenset(("dossier_code", "procedure_code", "agency_code", *DATE_COLUMNS))
REQUIRED = ("dossier_code", "procedure_code", "agency_name", "received_at", "due_at")
DATE_FORMS = "a date such as 05/01/2023, 05/01/2023 08:30 or 2023-01-05T08:30"


def parse_dossier_batch(
    raw: pl.DataFrame, *, excel_serials: bool, vocabulary: Vocabulary | None = None
) -> ParsedBatch:
    """Canonical typed dossiers and rejects of one batch of cleaned text columns; `vocabulary`
    is the built-in one unless a configuration extends it."""
    words = vocabulary or load_vocabulary()
    values, texts = words.values, words.value_texts
    frame = raw.with_columns(
        pl.lit(None, dtype=pl.String).alias(c)
        for c in (*TEXT_COLUMNS, *DATE_COLUMNS, *VOCABULARY_COLUMNS)
        if c not in raw.columns
    )
    frame = frame.with_columns(
        *[
            parse_datetime_series(frame[c], excel_serials=excel_serials).alias(f"{c}__v")
            for c in DATE_COLUMNS
        ],
        *[
            map_vocabulary_series(frame[c], values[vocab], dtype).alias(f"{c}__v")
            for c, (vocab, dtype) in VOCABULARY_COLUMNS.items()
        ],
    )
    rules = [unreadable_rule(c, c, f"{c}__v", "bad_date", DATE_FORMS) for c in DATE_COLUMNS]
    rules += [date_range_rule(c, pl.col(c), pl.col(f"{c}__v")) for c in DATE_COLUMNS]
    for column, (vocab, _) in VOCABULARY_COLUMNS.items():
        allowed = "one of " + ", ".join(texts[vocab])
        rules.append(unreadable_rule(column, column, f"{column}__v", "not_in_vocabulary", allowed))
    rules.append(
        RowRule(
            "completed_at",
            "completed_before_received",
            pl.col("completed_at__v") < pl.col("received_at__v"),
            pl.col("completed_at"),
            "completed_at is before received_at",
        )
    )
    rules.append(
        RowRule(
            "completed_at",
            "missing_required",
            (pl.col("status__v") == "resolved") & pl.col("completed_at").is_null(),
            pl.col("completed_at"),
            "a resolved dossier needs completed_at",
        )
    )
    valid, rejects = split_rejects(frame, rules, required=REQUIRED)
    status = pl.col("status__v")
    canonical = valid.select(
        *[pl.col(c) for c in TEXT_COLUMNS],
        *[pl.col(f"{c}__v").alias(c) for c in ("level", "channel", "service_level")],
        *[pl.col(f"{c}__v").alias(c) for c in DATE_COLUMNS],
        # A dossier without a status is read from its completion date, as portals do.
        pl.when(status.is_not_null())
        .then(status)
        .when(pl.col("completed_at__v").is_not_null())
        .then(pl.lit("resolved"))
        .otherwise(pl.lit("pending"))
        .alias("status"),
        pl.col("digitized__v").fill_null(False).alias("digitized"),
        pl.col("e_result__v").fill_null(False).alias("e_result"),
        pl.when(pl.col("paid_online").is_null())
        .then(None)  # empty = the procedure has no fee
        .otherwise(pl.col("paid_online__v"))
        .alias("paid_online"),
        pl.col("satisfaction__v").alias("satisfaction"),
        pl.col("source_row"),
    )
    return canonical, rejects
