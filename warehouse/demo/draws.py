"""Stable hashes and pseudo-random draws for generated exports (the demo, the tests, the bench).

Generated files must be pure functions of their inputs: the same bytes on every run, machine and
polars version. Python's `hash()` of a str changes per process and polars' `Expr.hash` may
change between releases, so everything random here is one of two fixed functions:

- `stable_hash` (blake2b of the keys): per-entity parameters computed in Python;
- `splitmix64` (the splitmix64 generator, built from wrapping UInt64 arithmetic, where `// 2**k`
  is the right shift): per-row draws computed by polars, one independent stream per `offset`.
"""

from __future__ import annotations

import hashlib

import polars as pl

GOLDEN = 0x9E3779B97F4A7C15  # splitmix64's increment (the golden gamma)
MIX1 = 0xBF58476D1CE4E5B9
MIX2 = 0x94D049BB133111EB
MASK64 = (1 << 64) - 1


def stable_hash(*keys: object) -> int:
    """A stable 64-bit hash of small keys."""
    digest = hashlib.blake2b("\x1f".join(map(str, keys)).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "little")


def stable_unit(*keys: object) -> float:
    """A stable number in [0, 1) for the keys: per-entity parameters."""
    return stable_hash(*keys) / 2**64


def finalize(x: int) -> int:
    """splitmix64's finaliser in Python (the mix `splitmix64` applies to every row)."""
    x = (x ^ (x >> 30)) * MIX1 & MASK64
    x = (x ^ (x >> 27)) * MIX2 & MASK64
    return x ^ (x >> 31)


def u64(value: int) -> pl.Expr:
    return pl.lit(value, dtype=pl.UInt64)


def splitmix64(index: pl.Expr, offset: int) -> pl.Expr:
    """The splitmix64 output for row `index` of the stream starting at `offset`: the finaliser
    of offset + index × golden gamma, in UInt64 arithmetic that wraps like the reference C."""
    z = index.cast(pl.UInt64) * u64(GOLDEN) + u64(offset & MASK64)
    z = z.xor(z // u64(1 << 30)) * u64(MIX1)
    z = z.xor(z // u64(1 << 27)) * u64(MIX2)
    return z.xor(z // u64(1 << 31))


def uniform(index: pl.Expr, offset: int, modulus: int) -> pl.Expr:
    """A uniform integer in [0, modulus) per row (Int64)."""
    return (splitmix64(index, offset) % u64(modulus)).cast(pl.Int64)
