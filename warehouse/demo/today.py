"""Today's 34 provinces (since 1 July 2025) and the provinces of 2022–2024 each of them pools.

Read from the warehouse's own tables of the reorganisation (warehouse/admin_units.py, from
vietnamadminunits' bundled data): core.dim_province's open rows are today's provinces, with their
DVCQG unit code where warehouse/seeds/dvcqg_provinces.toml knows it, and province_crosswalk maps
each of the 63 old statistics-office (GSO) codes to today's. The demo's portal for a today's
province is coded by that DVCQG code (H60 Tuyên Quang, H14 Cao Bằng, …) where it is known, else
by a code no portal has: "P" + today's GSO code (P01 Hà Nội), synthetic like T + GSO for the
portals of 2022–2024; a real-looking H code is never made up.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import polars as pl

from warehouse.admin_units import load_admin_units

SYNTHETIC_PREFIX = "P"  # portal code of a today's province whose DVCQG code is not known


@dataclass(frozen=True)
class TodayProvince:
    """A province of today and the provinces of 2022–2024 it is made of."""

    gso_code: str  # today's statistics-office code: 08 Tuyên Quang (Hà Giang 02 + Tuyên Quang 08)
    name: str  # "Tỉnh Tuyên Quang", "Thành phố Huế"
    dvcqg_code: str | None  # "H60", None where the seed does not know it
    parts: tuple[str, ...]  # GSO codes of the provinces of 2022–2024 merged into it, sorted

    @property
    def portal(self) -> str:
        return self.dvcqg_code or f"{SYNTHETIC_PREFIX}{self.gso_code}"

    @property
    def styled(self) -> str:
        """How names end: "tỉnh Tuyên Quang", "thành phố Huế"."""
        for prefix in ("Tỉnh ", "Thành phố "):
            if self.name.startswith(prefix):
                return prefix.lower() + self.name.removeprefix(prefix)
        return self.name


@cache
def today_provinces() -> tuple[TodayProvince, ...]:
    """Today's 34 provinces in GSO code order."""
    units = load_admin_units()
    parts = units.province_crosswalk.group_by("province_code").agg(
        pl.col("old_province_code").sort().alias("parts")
    )
    today = (
        units.provinces.filter(pl.col("valid_to").is_null())
        .join(parts, on="province_code")
        .sort("province_code")
    )
    return tuple(
        TodayProvince(row["province_code"], row["province_name"], row["dvcqg_code"],
                      tuple(row["parts"]))
        for row in today.iter_rows(named=True)
    )  # fmt: skip


@cache
def today_of() -> dict[str, TodayProvince]:
    """Old GSO code → the today's province it belongs to (an unchanged one: itself)."""
    return {old: province for province in today_provinces() for old in province.parts}
