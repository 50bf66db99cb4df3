"""Lạng Sơn's exports: Biểu 06 workbooks, dossier lists (two vendor releases) and online-service
catalogues, as the portal gives them on EXPORTED_ON.

The portal's structure changed on 1 July 2025 (the district level ended, lang_son_agencies.py),
so what it exports comes in files from before and after that day, and they are listed (and so
loaded) in that order: everything written with the district names first, then what is written
with their successors'. The warehouse versions an agency by the file that names it, so one unit
stays one agency with a new version from 1 July 2025.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import polars as pl

from warehouse.admin_units import REORGANISED_ON
from warehouse.demo.bieu06 import report_bieu06_xlsx
from warehouse.demo.dossier_csv import FIRST_RELEASE, LATER_RELEASE, DossierCsv
from warehouse.demo.files import Sheet, write_xlsx
from warehouse.demo.headers import Release, columns
from warehouse.demo.lang_son import CATALOGUE_VALID_FROM
from warehouse.demo.lang_son_agencies import named_on
from warehouse.demo.manifest import DemoFile
from warehouse.demo.model import EXPORTED_ON
from warehouse.demo.report_records import dmy, report_records

if TYPE_CHECKING:
    from warehouse.demo.lang_son import LangSon
    from warehouse.demo.portals import PortalInfo

CATALOGUE_COLUMNS = (
    "procedure_code", "procedure_name", "field_name", "agency_code", "agency_name", "level",
    "service_level", "valid_from",
)  # fmt: skip
# the catalogue's header: the vocabulary's first synonyms, but "Mức độ DVC" for the level
CATALOGUE = Release(texts={"service_level": "Mức độ DVC"})
CUT = datetime.combine(EXPORTED_ON, datetime.min.time())  # what happens from then on is not known
# (file, received from, received before, vendor release): one list a year, the year of the
# reorganisation in its two halves
DOSSIER_FILES = (
    ("ho-so-2023.csv", date(2023, 1, 1), date(2024, 1, 1), FIRST_RELEASE),
    ("ho-so-2024.csv", date(2024, 1, 1), date(2025, 1, 1), LATER_RELEASE),
    ("ho-so-2025-01-06.csv", date(2025, 1, 1), REORGANISED_ON, LATER_RELEASE),
    ("ho-so-2025-07-12.csv", REORGANISED_ON, date(2026, 1, 1), LATER_RELEASE),
    ("ho-so-2026.csv", date(2026, 1, 1), EXPORTED_ON, LATER_RELEASE),
)
# (file, the day whose names it gives, the decision it comes with): the catalogue as published
# before the reorganisation, and a fresh snapshot with today's names
CATALOGUE_FILES = (
    ("danh-muc-dvc.xlsx", CATALOGUE_VALID_FROM, "Quyết định số 2468/QĐ-UBND ngày 20/12/2022"),
    ("danh-muc-dvc-2026.xlsx", EXPORTED_ON, "Quyết định số 1357/QĐ-UBND ngày 30/06/2025"),
)
REPORT_FILES = ("bao-cao-tthc.xlsx", "bao-cao-tthc-tu-07-2025.xlsx")  # before, from 1 July 2025


def write_lang_son(folder: Path, portal: PortalInfo, lang_son: LangSon) -> list[DemoFile]:
    """Every Lạng Sơn export, those with the district names first (see the module's docstring)."""
    month = pl.date("year", "month", 1)
    rows = lang_son.report_rows
    before = [
        report_bieu06_xlsx(
            folder, portal, report_records(rows.filter(month < REORGANISED_ON)), REPORT_FILES[0]
        )
    ]
    after = []
    dossiers = lang_son.dossiers
    for name, first, end, release in DOSSIER_FILES:
        part = dossiers.filter(
            (pl.col("day") >= first) & (pl.col("day") < end) & (pl.col("received_at") < CUT)
        )
        (before if end <= REORGANISED_ON else after).append(
            _dossier_csv(folder / name, exported(part), release)
        )
    before.append(_catalogue_xlsx(folder, lang_son, *CATALOGUE_FILES[0]))
    after.append(
        report_bieu06_xlsx(
            folder, portal, report_records(rows.filter(month >= REORGANISED_ON)), REPORT_FILES[1]
        )
    )
    after.append(_catalogue_xlsx(folder, lang_son, *CATALOGUE_FILES[1]))
    return before + after


def exported(dossiers: pl.DataFrame) -> pl.DataFrame:
    """The dossiers as the list shows them on EXPORTED_ON: a decision (result or refusal) taken
    from that day on is not known yet, so the dossier is still being processed (Đang xử lý);
    a result not handed over yet has no hand-over date (Đã có kết quả)."""
    undecided = pl.col("completed_at") >= CUT
    not_returned = undecided | (pl.col("returned_at") >= CUT)
    return dossiers.with_columns(
        status=pl.when(undecided)
        .then(pl.lit("Đang xử lý"))
        .when(not_returned & (pl.col("state") == "resolved"))
        .then(pl.lit("Đã có kết quả"))
        .otherwise("status"),
        e_result=pl.when(undecided).then(None).otherwise("e_result"),
        satisfaction=pl.when(undecided).then(pl.lit("")).otherwise("satisfaction"),
        returned_at=pl.when(not_returned).then(None).otherwise("returned_at"),
        completed_at=pl.when(undecided).then(None).otherwise("completed_at"),
    )


def _dossier_csv(path: Path, dossiers: pl.DataFrame, release: DossierCsv) -> DemoFile:
    """A dossier list as the vendor release of its time writes it."""
    paid = pl.col("paid_online")
    frame = dossiers.sort("received_at", "key").select(
        *columns("dossiers")[:-4],
        "digitized",
        pl.col("e_result").fill_null(False),
        pl.when(paid == "Có").then(True).when(paid == "Không").then(False).alias("paid_online"),
        "satisfaction",
    )
    release.write(path, [frame])
    return DemoFile(path.name, "dossiers", "csv")


def _catalogue_xlsx(
    folder: Path, lang_son: LangSon, name: str, on: date, decision: str
) -> DemoFile:
    """The online-service catalogue (danh mục DVC trực tuyến) published with `decision`, its
    agencies named as on `on`; a service a district's successor took over applies from the day
    it did."""
    catalogue = lang_son.catalogue
    services = named_on(catalogue.services, pl.lit(on), lang_son.agencies)
    taken_over = {a.index for a in lang_son.agencies if a.successor and on >= REORGANISED_ON}
    services = services.join(catalogue.procedures, on="procedure", maintain_order="left")
    sheet = Sheet("DanhMuc")
    width = 9
    sheet.banner("DANH MỤC DỊCH VỤ CÔNG TRỰC TUYẾN TOÀN TRÌNH, MỘT PHẦN", width)
    sheet.banner(f"(Kèm theo {decision} của Chủ tịch UBND tỉnh Lạng Sơn)", width)
    sheet.row([])
    sheet.row(["STT", *CATALOGUE.header("catalogue", CATALOGUE_COLUMNS)])
    for number, row in enumerate(services.iter_rows(named=True), start=1):
        since = REORGANISED_ON if row["agency"] in taken_over else CATALOGUE_VALID_FROM
        sheet.row(
            [number, row["procedure_code"], row["procedure_name"], row["field_name"],
             row["agency_code"], row["agency_name"], row["level"], row["service_level"],
             dmy(since)]
        )  # fmt: skip
    write_xlsx(folder / name, sheet)
    return DemoFile(name, "catalogue", "xlsx")
