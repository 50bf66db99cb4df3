"""Lạng Sơn (portal H37): its agencies (lang_son_agencies.py) and catalogue (lang_son_catalogue.py)
put together with the dossiers they received (dossiers.py) and the report rows those dossiers
add up to (aggregates.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import polars as pl

from warehouse.demo.aggregates import lang_son_report_rows
from warehouse.demo.dossiers import simulate_dossiers
from warehouse.demo.lang_son_agencies import LsAgency, lang_son_agencies
from warehouse.demo.lang_son_catalogue import (
    COMMUNE_FIELDS,
    DISTRICT_FIELDS,
    LsCatalogue,
    lang_son_catalogue,
)
from warehouse.demo.lang_son_volumes import lang_son_online_scale
from warehouse.demo.model import SIMULATED_YEARS

CATALOGUE_VALID_FROM = date(2023, 1, 1)


@dataclass
class LangSon:
    agencies: list[LsAgency]
    catalogue: LsCatalogue  # procedures, online services, counter choices
    dossiers: pl.DataFrame  # every dossier of SIMULATED_YEARS (2022's are not exported)
    report_rows: pl.DataFrame  # report rows of every Lạng Sơn agency, 2022 to LAST_REPORT_MONTH


def lang_son_model() -> LangSon:
    agencies = lang_son_agencies(
        tuple(f for f, _ in DISTRICT_FIELDS), sum(n for _, n in DISTRICT_FIELDS),
        tuple(f for f, _ in COMMUNE_FIELDS), sum(n for _, n in COMMUNE_FIELDS),
    )  # fmt: skip
    catalogue = lang_son_catalogue(agencies)
    scale = lang_son_online_scale(agencies)
    dossiers = simulate_dossiers(SIMULATED_YEARS, agencies, catalogue, scale)
    return LangSon(agencies, catalogue, dossiers, lang_son_report_rows(agencies, dossiers))
