"""Lạng Sơn's agencies (portal H37): 18 departments, 11 district-level and 22 commune-level
people's committees, their fixed rates, and what each is called on a given day.

The district level ends on 1 July 2025. A district's work goes to a commune of today (provinces.py,
District.successor), whose people's committee takes over the district's unit code: from that day
the exports name the unit "UBND xã Cao Lộc" at level Xã, where they named "UBND huyện Cao Lộc" at
level Huyện before. The warehouse keeps the code as the agency's identity and opens a new version
of it (name and level), so no district-level row is dated on or after that day while the unit's
dossiers, reports and online services carry on. Everything else about the agency (its volume,
its rates, its catalogue) stays as it was.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from warehouse.admin_units import REORGANISED_ON
from warehouse.demo.draws import stable_unit
from warehouse.demo.model import unit_name
from warehouse.demo.provinces import LANG_SON_DEPARTMENTS, LANG_SON_DISTRICTS

KIND_LATE = {"department": 0.008, "district": 0.006, "commune": 0.003}
KIND_ONLINE = {"department": 0.80, "district": 0.68, "commune": 0.74}
COMMUNE_LEVEL = "Xã"  # the level of the committee that takes over a district's work


@dataclass(frozen=True)
class LsAgency:
    index: int
    code: str
    name: str
    level: str  # Tỉnh | Huyện | Xã
    kind: str  # department | district | commune
    volume: int  # dossiers received in 2023 (every later year the same)
    late: float  # share of resolved dossiers returned late, in every month
    online: float  # online share of new dossiers in 2023, before the calibration scale
    fields: tuple[str, ...]
    services: int
    successor: str | None = None  # a district's name from REORGANISED_ON ("UBND xã Cao Lộc")


def lang_son_agencies(
    district_fields: tuple[str, ...], district_services: int,
    commune_fields: tuple[str, ...], commune_services: int,
) -> list[LsAgency]:  # fmt: skip
    """Departments, districts and communes, in that order (their index is their position)."""
    agencies: list[LsAgency] = []

    def add(code: str, name: str, level: str, kind: str, volume: int, fields: tuple[str, ...],
            services: int, successor: str | None = None) -> None:  # fmt: skip
        late = KIND_LATE[kind] * (0.6 + 0.8 * stable_unit("late", code))
        online = KIND_ONLINE[kind] * (0.9 + 0.2 * stable_unit("online", code))
        if code == "H37.25":  # driving licences: the most used online service
            online = 0.92
        agencies.append(
            LsAgency(len(agencies), code, name, level, kind, volume, late, online, fields,
                     services, successor)
        )  # fmt: skip

    for d in LANG_SON_DEPARTMENTS:
        add(d.code, d.name, "Tỉnh", "department", d.volume, d.fields, d.services)
    for district in LANG_SON_DISTRICTS:
        add(district.code, unit_name(district.name), "Huyện", "district", district.volume,
            district_fields, district_services, unit_name(district.successor))  # fmt: skip
    for district in LANG_SON_DISTRICTS:
        for code, name, volume in district.communes:
            add(code, unit_name(name), "Xã", "commune", volume, commune_fields, commune_services)
    return agencies


def agency_info(agencies: list[LsAgency]) -> pl.DataFrame:
    """agency, agency_code, agency_name, level and, for a district, successor (else null)."""
    return pl.DataFrame(
        {
            "agency": [a.index for a in agencies],
            "agency_code": [a.code for a in agencies],
            "agency_name": [a.name for a in agencies],
            "level": [a.level for a in agencies],
            "successor": [a.successor for a in agencies],
        },
        schema_overrides={"successor": pl.String},
    )


def named_on(frame: pl.DataFrame, day: pl.Expr, agencies: list[LsAgency]) -> pl.DataFrame:
    """`frame` (with an `agency` column) with each row's agency_code, agency_name and level as
    the exports give them on `day`: a district's successor from REORGANISED_ON on."""
    taken_over = pl.col("successor").is_not_null() & (day >= pl.lit(REORGANISED_ON))
    return (
        frame.join(agency_info(agencies), on="agency", maintain_order="left")
        .with_columns(
            agency_name=pl.when(taken_over).then("successor").otherwise("agency_name"),
            level=pl.when(taken_over).then(pl.lit(COMMUNE_LEVEL)).otherwise("level"),
        )
        .drop("successor")
    )
