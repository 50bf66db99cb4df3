"""The per-slot draws of Lạng Sơn's dossiers: one independent splitmix64 stream per purpose, keyed
by the dossier slot (agency, month, k), so a slot draws the same numbers in every year."""

from __future__ import annotations

import polars as pl

from warehouse.demo.draws import splitmix64, stable_hash, u64

S_ONLINE, S_POSTAL, S_PICK, S_DAY, S_TIME, S_STATUS, S_ON_TIME, S_TAKEN = range(1, 9)
S_CLOCK, S_LATE, S_LATE_DAYS, S_E_RESULT, S_RATING, S_RATING_TEXT = range(9, 15)
S_DIGITIZED, S_PAID, S_RETURNED, S_WITHDRAWN_TEXT = range(15, 19)


def mix(key: pl.Expr, stream: int) -> pl.Expr:
    """splitmix64 of (row key, stream): independent draws per stream."""
    return splitmix64(key, stable_hash("stream", stream))


def draw(stream: int, modulus: int) -> pl.Expr:
    """A uniform integer in [0, modulus) per dossier slot."""
    return (mix(pl.col("key"), stream) % u64(modulus)).cast(pl.Int64)


def rank(stream: int, *over: str) -> pl.Expr:
    """A random order (0, 1, …) of the slots inside each group: stratified counts take a prefix."""
    return mix(pl.col("key"), stream).rank("ordinal").over(over).cast(pl.Int64) - 1
