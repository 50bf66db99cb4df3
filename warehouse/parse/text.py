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

    The columns cleaned here (names, fields, vocabulary words) hold a few hundred distinct texts
    in a batch of 200,000 rows, and very few of those need work. So each column's distinct
    values are checked, only the ones with decomposed marks, irregular spaces or nothing in them
    are rewritten, and the column is touched only if one of them occurs (measured: half the
    cost of scanning every row). Empty text becomes null.
    """
    replacements = []
    for column in (c for c in columns if c in frame.columns):
        distinct = frame.get_column(column).unique().drop_nulls()
        dirty = distinct.filter(
            distinct.str.contains(f"{_DECOMPOSED}|{_IRREGULAR_SPACE}") | (distinct == "")
        )
        if dirty.len() == 0:
            continue
        cleaned = dirty.str.normalize("NFC").str.replace_all(r"\s+", " ").str.strip_chars()
        cleaned = pl.select(pl.when(cleaned != "").then(cleaned)).to_series()
        replacements.append(pl.col(column).replace(dirty, cleaned))
    return frame.with_columns(replacements) if replacements else frame


def value_key_expr(expr: pl.Expr) -> pl.Expr:
    """Polars twin of `value_key` applied to an already cleaned column."""
    return expr.str.to_lowercase()
