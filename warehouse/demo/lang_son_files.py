"""Lạng Sơn's dossier lists (two vendor releases) and its online-service catalogue."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import polars as pl

from warehouse.demo.dossier_csv import FIRST_RELEASE, LATER_RELEASE
from warehouse.demo.files import Sheet, write_xlsx
from warehouse.demo.headers import Release, columns
from warehouse.demo.lang_son import CATALOGUE_VALID_FROM
from warehouse.demo.manifest import DemoFile
from warehouse.demo.model import DOSSIER_YEARS
from warehouse.demo.report_records import dmy

if TYPE_CHECKING:
    from warehouse.demo.lang_son import LangSon

CATALOGUE_COLUMNS = (
    "procedure_code", "procedure_name", "field_name", "agency_code", "agency_name", "level",
    "service_level", "valid_from",
)  # fmt: skip

RELEASES = {2023: FIRST_RELEASE, 2024: LATER_RELEASE}  # one vendor release per year
# the catalogue's header: the vocabulary's first synonyms, but "Mức độ DVC" for the level
CATALOGUE = Release(texts={"service_level": "Mức độ DVC"})


def write_lang_son(folder: Path, lang_son: LangSon) -> list[DemoFile]:
    files = [_dossier_csv(folder, lang_son.dossiers[year], year) for year in DOSSIER_YEARS]
    files.append(_catalogue_xlsx(folder, lang_son))
    return files


def _dossier_csv(folder: Path, dossiers: pl.DataFrame, year: int) -> DemoFile:
    """One year's dossier list, as that year's vendor release writes it."""
    paid = pl.col("paid_online")
    frame = dossiers.sort("received_at", "key").select(
        *columns("dossiers")[:-4],
        "digitized",
        pl.col("e_result").fill_null(False),
        pl.when(paid == "Có").then(True).when(paid == "Không").then(False).alias("paid_online"),
        "satisfaction",
    )
    name = f"ho-so-{year}.csv"
    RELEASES[year].write(folder / name, [frame])
    return DemoFile(name, "dossiers", "csv")


def _catalogue_xlsx(folder: Path, lang_son: LangSon) -> DemoFile:
    """The online-service catalogue (danh mục DVC trực tuyến) as published with its decision."""
    agencies = {a.index: a for a in lang_son.agencies}
    services = lang_son.services.join(lang_son.procedures, on="procedure")
    sheet = Sheet("DanhMuc")
    width = 9
    sheet.banner("DANH MỤC DỊCH VỤ CÔNG TRỰC TUYẾN TOÀN TRÌNH, MỘT PHẦN", width)
    sheet.banner(
        "(Kèm theo Quyết định số 2468/QĐ-UBND ngày 20/12/2022 của Chủ tịch UBND tỉnh Lạng Sơn)",
        width,
    )
    sheet.row([])
    sheet.row(["STT", *CATALOGUE.header("catalogue", CATALOGUE_COLUMNS)])
    for number, row in enumerate(services.iter_rows(named=True), start=1):
        agency = agencies[row["agency"]]
        sheet.row(
            [number, row["procedure_code"], row["procedure_name"], row["field_name"], agency.code,
             agency.name, agency.level, row["service_level"], dmy(CATALOGUE_VALID_FROM)]
        )  # fmt: skip
    name = "danh-muc-dvc.xlsx"
    write_xlsx(folder / name, sheet)
    return DemoFile(name, "catalogue", "xlsx")
