"""How many dossiers each Lạng Sơn agency receives a month, and how many of them online."""

from __future__ import annotations

from typing import TYPE_CHECKING

import polars as pl

from warehouse.demo.calibration import LANG_SON_ONLINE_2023, bisect
from warehouse.demo.model import SCALE_2023, share_floor, year_weights

if TYPE_CHECKING:
    from warehouse.demo.lang_son_agencies import LsAgency

LANG_SON_ONLINE_2022 = 0.40  # online share of 2023 kept in 2022 (about 30 % overall)


def lang_son_counts(agencies: list[LsAgency], year: int) -> pl.DataFrame:
    """Dossiers received per agency and month: every year after 2023 repeats it, 2022 undoes
    the 2023 scale."""
    weights = year_weights("steady", SCALE_2023)
    rows = []
    for agency in agencies:
        for m in range(12):
            n = round(agency.volume * weights[m])
            if year == 2022:
                n = round(n / SCALE_2023[m // 3])
            rows.append((agency.index, m + 1, n))
    return pl.DataFrame(rows, schema=["agency", "month", "n"], orient="row")


def agency_shares(agencies: list[LsAgency], year: int, scale: float) -> pl.DataFrame:
    """Per agency: online share of new dossiers in `year` (sigma), late share, kind."""
    shares = [min(0.97, a.online * scale) for a in agencies]
    if year == 2022:
        shares = [s * LANG_SON_ONLINE_2022 for s in shares]
    return pl.DataFrame(
        {
            "agency": [a.index for a in agencies],
            "sigma": shares,
            "late": [a.late for a in agencies],
            "kind": [a.kind for a in agencies],
        }
    )


def lang_son_online_scale(agencies: list[LsAgency]) -> float:
    """The scale of the agencies' online shares that makes 2023 exactly 74.0 % online."""
    counts = lang_son_counts(agencies, 2023)

    def share(scale: float) -> float:
        frame = counts.join(agency_shares(agencies, 2023, scale), on="agency")
        online = frame.select(share_floor(pl.col("sigma"), pl.col("n")).sum()).item()
        return 100 * online / frame["n"].sum()

    return bisect(share, LANG_SON_ONLINE_2023, 0.5, 1.5, decimals=1)
