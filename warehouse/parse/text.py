"""Text normalisation shared by header matching and value vocabularies.

Portals emit the same words in NFC or NFD form, with non-breaking and doubled spaces, in any
case, and (in API keys) without diacritics. Everything that compares text goes through here so
that one rule decides what "the same text" means.
"""

from __future__ import annotations

import re
import unicodedata

import polars as pl

_SPACES = re.compile(r"\s+")
_NON_ALNUM = re.compile(r"[^0-9a-z]+")


def clean_text(value: object) -> str:
    """NFC, every run of whitespace (non-breaking included) as one space, trimmed."""
    if value is None:
        return ""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", str(value))).strip()


def fold_key(value: object) -> str:
    """A matching key that ignores case, Unicode form, spacing, punctuation and diacritics.

    `Mã hồ sơ`, `MA HO SO` and `ma_ho_so` share the key `ma ho so`; used for headers only,
    where ASCII snake_case API keys must match the Vietnamese labels.
    """
    text = unicodedata.normalize("NFD", clean_text(value).casefold().replace("đ", "d"))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return _NON_ALNUM.sub(" ", text).strip()


def value_key(value: object) -> str:
    """A matching key for vocabulary values: case, Unicode form and spacing ignored."""
    return clean_text(value).casefold()


_DECOMPOSED = r"[\x{0300}-\x{036f}]"  # combining marks: the text is (partly) NFD
_IRREGULAR_SPACE = r"[^\S ]|  |^ | $"


def clean_text_columns(frame: pl.DataFrame, columns: list[str]) -> pl.DataFrame:
    """Polars twin of `clean_text` for whole columns, so no value goes through Python.

    Normalising millions of values costs far more than looking for the rare ones that need it,
    so each column of the batch is first scanned, and only columns holding decomposed marks or
    irregular spaces are rewritten. Empty text becomes null.
    """
    columns = [c for c in columns if c in frame.columns]
    if not columns:
        return frame
    suspect = frame.select(  # one scan per column finds the few that need work
        pl.col(c).str.contains(f"{_DECOMPOSED}|{_IRREGULAR_SPACE}").any() for c in columns
    ).row(0, named=True)
    flagged = [c for c in columns if suspect[c]]
    needs = (
        frame.select(
            *[pl.col(c).str.contains(_DECOMPOSED).any().alias(f"nfd:{c}") for c in flagged],
            *[pl.col(c).str.contains(_IRREGULAR_SPACE).any().alias(f"ws:{c}") for c in flagged],
        ).row(0, named=True)
        if flagged
        else {}
    )
    expressions = []
    for column in columns:
        expr = pl.col(column)
        if needs.get(f"nfd:{column}"):
            expr = expr.str.normalize("NFC")
        if needs.get(f"ws:{column}"):
            expr = expr.str.replace_all(r"\s+", " ").str.strip_chars()
        expressions.append(pl.when(expr == "").then(None).otherwise(expr).alias(column))
    return frame.with_columns(expressions)


def value_key_expr(expr: pl.Expr) -> pl.Expr:
    """Polars twin of `value_key` applied to an already cleaned column."""
    return expr.str.to_lowercase()
