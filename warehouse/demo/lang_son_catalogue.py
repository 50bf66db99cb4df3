"""Lạng Sơn's procedures and its online-service catalogue (danh mục dịch vụ công trực tuyến):
exactly LANG_SON_SERVICES services (procedure × agency), LANG_SON_FULL_PROCESS of them
full-process, all but LANG_SON_UNUSED used online, and the procedures each agency handles at the
counter only."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import polars as pl

from warehouse.demo.calibration import LANG_SON_FULL_PROCESS, LANG_SON_SERVICES, LANG_SON_UNUSED
from warehouse.demo.draws import stable_hash
from warehouse.demo.model import split
from warehouse.demo.procedure_names import NAMED_PROCEDURES, procedure_names
from warehouse.demo.provinces import LANG_SON_DISTRICTS

if TYPE_CHECKING:
    from warehouse.demo.lang_son_agencies import LsAgency

DISTRICT_FIELDS = (
    ("Hộ tịch", 8),
    ("Chứng thực", 5),
    ("Đất đai", 8),
    ("Thành lập và hoạt động của hộ kinh doanh", 5),
    ("Hoạt động xây dựng", 4),
    ("Giáo dục và Đào tạo", 4),
    ("Bảo trợ xã hội", 4),
    ("Người có công", 3),
    ("Văn hóa", 2),
    ("Lưu thông hàng hóa trong nước", 2),
)  # 45 services per district, 30 of them full-process
COMMUNE_FIELDS = (("Hộ tịch", 5), ("Chứng thực", 3), ("Bảo trợ xã hội", 1), ("Người có công", 1))
DISTRICT_FULL, COMMUNE_FULL = 30, 9

FIELD_DAYS = {  # working days allowed (thời hạn giải quyết), drawn per procedure
    "Chứng thực": (0, 0, 1),
    "Hộ tịch": (0, 1, 3, 5),
    "Đất đai": (10, 15, 20),
    "Lý lịch tư pháp": (10,),
}
DEFAULT_DAYS = (3, 5, 5, 7, 10, 15)


@dataclass(frozen=True)
class LsCatalogue:
    procedures: pl.DataFrame  # procedure, procedure_code, procedure_name, field_name, days, fee
    services: pl.DataFrame  # agency, procedure, service_level, used, weight (the catalogue)
    counter: pl.DataFrame  # agency, procedure, service_level, weight (in-person choices)


def _names(scope: str, field: str, count: int) -> list[str]:
    subject = field[0].lower() + field[1:]
    return procedure_names(field, count, f"lĩnh vực {subject}", scope)


def lang_son_catalogue(agencies: list[LsAgency]) -> LsCatalogue:
    """Procedures, the online-service catalogue (exactly 1,503 / 1,076 / 1,383 used) and the
    in-person choices of every Lạng Sơn agency."""
    procedures: list[dict] = []
    by_scope: dict[tuple[str, str, str], int] = {}

    def procedure(scope: str, field: str, name: str) -> int:
        key = (scope, field, name)
        if key not in by_scope:
            k = len(procedures)
            number = 1000 + (k * 7919 + 421) % 13000  # 7919 is prime to 13000: no repeats
            local = stable_hash("local", *key) % 4 == 0
            code = f"2.{number:06d}.000.00.00.H37" if local else f"1.{number:06d}"
            days = FIELD_DAYS.get(field, DEFAULT_DAYS)
            fee = field == "Chứng thực" or stable_hash("fee", *key) % 100 < 40
            procedures.append(
                {"procedure": k, "procedure_code": code, "procedure_name": name,
                 "field_name": field, "days": days[stable_hash("days", *key) % len(days)],
                 "fee": fee}
            )  # fmt: skip
            by_scope[key] = k
        return by_scope[key]

    departments = [a for a in agencies if a.kind == "department"]
    full_left = LANG_SON_FULL_PROCESS
    full_left -= DISTRICT_FULL * len(LANG_SON_DISTRICTS)
    full_left -= COMMUNE_FULL * sum(len(d.communes) for d in LANG_SON_DISTRICTS)
    dept_full = split(full_left, [a.services for a in departments])
    dept_unused = split(LANG_SON_UNUSED, [a.services for a in departments])
    services, counter = [], []
    for agency in agencies:
        if agency.kind == "department":
            scope = agency.code
            per_field = split(agency.services, [1.0] * len(agency.fields))
            plan = list(zip(agency.fields, per_field, strict=True))
            n_full = dept_full[departments.index(agency)]
            n_unused = dept_unused[departments.index(agency)]
        else:
            scope = agency.kind
            plan = list(DISTRICT_FIELDS if agency.kind == "district" else COMMUNE_FIELDS)
            n_full = DISTRICT_FULL if agency.kind == "district" else COMMUNE_FULL
            n_unused = 0
        names = [(f, n) for f, count in plan for n in _names(scope, f, count)]
        # popularity: the named (common) procedures of every field first, then the rest
        names.sort(key=lambda fn: (fn[1] not in NAMED_PROCEDURES.get(fn[0], []), stable_hash(*fn)))
        full_order = sorted(range(len(names)), key=lambda i: stable_hash("full", scope, *names[i]))
        full = set(full_order[:n_full])
        for rank, (f, name) in enumerate(names):
            services.append(
                {"agency": agency.index, "procedure": procedure(scope, f, name),
                 "service_level": "Toàn trình" if rank in full else "Một phần",
                 "used": rank < len(names) - n_unused, "weight": (rank + 1) ** -1.1}
            )  # fmt: skip
        # procedures of the first field handled at the counter only (no online service)
        field, online_count = plan[0]
        extra = _names(scope, field, online_count + 3 + agency.services // 10)
        for rank, name in enumerate(extra[online_count:]):
            counter.append(
                {"agency": agency.index, "procedure": procedure(scope, field, name),
                 "service_level": None, "weight": 0.05 / (rank + 1)}
            )  # fmt: skip
    proc = pl.DataFrame(procedures)
    serv = pl.DataFrame(services)
    full = int((serv["service_level"] == "Toàn trình").sum())
    expected = (LANG_SON_SERVICES, LANG_SON_SERVICES - LANG_SON_UNUSED, LANG_SON_FULL_PROCESS)
    if (serv.height, int(serv["used"].sum()), full) != expected:  # provinces.py was edited
        raise RuntimeError(f"Lạng Sơn's catalogue should be {expected} (services, used, full)")
    extra_frame = pl.DataFrame(
        counter,
        schema={"agency": pl.Int64, "procedure": pl.Int64, "service_level": pl.String,
                "weight": pl.Float64},
    )  # fmt: skip
    offline = pl.concat(
        [serv.select("agency", "procedure", "service_level", "weight"), extra_frame]
    ).sort("agency", maintain_order=True)
    return LsCatalogue(proc, serv, offline)
