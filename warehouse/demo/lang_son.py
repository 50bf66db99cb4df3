"""Lạng Sơn (portal H37): its agencies, procedures and online-service catalogue, and the model
that puts them together with the dossiers they received (dossiers.py) and the report rows those
dossiers add up to (aggregates.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import polars as pl

from warehouse.demo.aggregates import lang_son_report_rows
from warehouse.demo.calibration import LANG_SON_FULL_PROCESS, LANG_SON_SERVICES, LANG_SON_UNUSED
from warehouse.demo.dossiers import simulate_dossiers
from warehouse.demo.draws import stable_hash, stable_unit
from warehouse.demo.lang_son_volumes import lang_son_online_scale
from warehouse.demo.model import DOSSIER_YEARS, split, unit_name
from warehouse.demo.provinces import LANG_SON_DEPARTMENTS, LANG_SON_DISTRICTS

CATALOGUE_VALID_FROM = date(2023, 1, 1)


@dataclass(frozen=True)
class LsAgency:
    index: int
    code: str
    name: str
    level: str  # Tỉnh | Huyện | Xã
    kind: str  # department | district | commune
    volume: int  # dossiers received in 2023 (2024 the same)
    late: float  # share of resolved dossiers returned late, in every month
    online: float  # online share of new dossiers in 2023, before the calibration scale
    fields: tuple[str, ...]
    services: int


@dataclass
class LangSon:
    agencies: list[LsAgency]
    procedures: pl.DataFrame  # procedure, procedure_code, procedure_name, field_name, days, fee
    services: pl.DataFrame  # agency, procedure, service_level, used, weight (the catalogue)
    counter: pl.DataFrame  # agency, procedure, service_level, weight (in-person choices)
    dossiers: dict[int, pl.DataFrame]  # year → dossiers received that year (2022 simulated)
    report_rows: pl.DataFrame  # report rows of every Lạng Sơn agency, 2022–2024


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

NAMED_PROCEDURES = {  # the common procedures of a field, most used first
    "Hộ tịch": [
        "Đăng ký khai sinh",
        "Cấp bản sao trích lục hộ tịch",
        "Cấp Giấy xác nhận tình trạng hôn nhân",
        "Đăng ký kết hôn",
        "Đăng ký khai tử",
        "Thay đổi, cải chính, bổ sung thông tin hộ tịch",
        "Đăng ký nhận cha, mẹ, con",
        "Đăng ký lại khai sinh",
        "Đăng ký giám hộ",
    ],
    "Chứng thực": [
        "Chứng thực bản sao từ bản chính giấy tờ, văn bản",
        "Chứng thực chữ ký trong các giấy tờ, văn bản",
        "Chứng thực hợp đồng, giao dịch liên quan đến tài sản là động sản",
        "Chứng thực văn bản thỏa thuận phân chia di sản",
        "Chứng thực việc sửa đổi, bổ sung, hủy bỏ hợp đồng, giao dịch",
    ],
    "Đất đai": [
        "Đăng ký biến động quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất",
        "Đăng ký thế chấp quyền sử dụng đất, tài sản gắn liền với đất",
        "Xóa đăng ký thế chấp quyền sử dụng đất, tài sản gắn liền với đất",
        "Cấp đổi Giấy chứng nhận quyền sử dụng đất",
        "Đăng ký, cấp Giấy chứng nhận quyền sử dụng đất lần đầu",
        "Tách thửa hoặc hợp thửa đất",
        "Chuyển mục đích sử dụng đất",
    ],
    "Thành lập và hoạt động của hộ kinh doanh": [
        "Đăng ký thành lập hộ kinh doanh",
        "Đăng ký thay đổi nội dung đăng ký hộ kinh doanh",
        "Tạm ngừng hoạt động hộ kinh doanh",
        "Chấm dứt hoạt động hộ kinh doanh",
    ],
    "Thành lập và hoạt động của doanh nghiệp": [
        "Thông báo thay đổi nội dung đăng ký doanh nghiệp",
        "Đăng ký thành lập công ty TNHH một thành viên",
        "Đăng ký thành lập công ty cổ phần",
        "Đăng ký thay đổi người đại diện theo pháp luật",
        "Giải thể doanh nghiệp",
    ],
    "Đường bộ": [
        "Đổi giấy phép lái xe do ngành Giao thông vận tải cấp",
        "Cấp lại giấy phép lái xe",
        "Cấp phù hiệu xe ô tô kinh doanh vận tải",
        "Cấp Giấy phép kinh doanh vận tải bằng xe ô tô",
    ],
    "Lý lịch tư pháp": [
        "Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam, người nước ngoài cư trú tại Việt Nam",
        "Cấp Phiếu lý lịch tư pháp cho cơ quan nhà nước, tổ chức chính trị",
    ],
    "Bảo trợ xã hội": [
        "Trợ cấp xã hội hàng tháng đối với đối tượng bảo trợ xã hội",
        "Hỗ trợ chi phí mai táng cho đối tượng bảo trợ xã hội",
        "Xác định, xác định lại mức độ khuyết tật và cấp Giấy xác nhận khuyết tật",
    ],
    "Người có công": [
        "Giải quyết chế độ trợ cấp thờ cúng liệt sĩ",
        "Cấp giấy giới thiệu đi thăm viếng mộ liệt sĩ",
    ],
}
ACTIONS = ("Cấp", "Cấp lại", "Điều chỉnh", "Gia hạn", "Đăng ký", "Xác nhận", "Thẩm định")
ACTIONS += ("Công nhận", "Cấp đổi", "Thu hồi")
OBJECTS = ("giấy phép", "giấy chứng nhận", "chứng chỉ hành nghề", "văn bản chấp thuận", "hồ sơ")
FIELD_DAYS = {  # working days allowed (thời hạn giải quyết), drawn per procedure
    "Chứng thực": (0, 0, 1),
    "Hộ tịch": (0, 1, 3, 5),
    "Đất đai": (10, 15, 20),
    "Lý lịch tư pháp": (10,),
}
DEFAULT_DAYS = (3, 5, 5, 7, 10, 15)
KIND_LATE = {"department": 0.008, "district": 0.006, "commune": 0.003}
KIND_ONLINE = {"department": 0.80, "district": 0.68, "commune": 0.74}


def _lang_son_agencies() -> list[LsAgency]:
    agencies: list[LsAgency] = []

    def add(
        code: str, name: str, level: str, kind: str, volume: int, fields: tuple[str, ...],
        services: int,
    ) -> None:  # fmt: skip
        late = KIND_LATE[kind] * (0.6 + 0.8 * stable_unit("late", code))
        online = KIND_ONLINE[kind] * (0.9 + 0.2 * stable_unit("online", code))
        if code == "H37.25":  # driving licences: the most used online service
            online = 0.92
        agencies.append(
            LsAgency(len(agencies), code, name, level, kind, volume, late, online, fields, services)
        )

    for d in LANG_SON_DEPARTMENTS:
        add(d.code, d.name, "Tỉnh", "department", d.volume, d.fields, d.services)
    for district in LANG_SON_DISTRICTS:
        fields = tuple(f for f, _ in DISTRICT_FIELDS)
        add(district.code, unit_name(district.name), "Huyện", "district", district.volume,
            fields, sum(n for _, n in DISTRICT_FIELDS))  # fmt: skip
    for district in LANG_SON_DISTRICTS:
        for code, name, volume in district.communes:
            fields = tuple(f for f, _ in COMMUNE_FIELDS)
            add(code, unit_name(name), "Xã", "commune", volume, fields,
                sum(n for _, n in COMMUNE_FIELDS))  # fmt: skip
    return agencies


def _procedure_names(scope: str, field: str, count: int) -> list[str]:
    """The named procedures of a field, then generic ones (action + object) in hash order."""
    subject = field[0].lower() + field[1:]
    generic = [f"{a} {o} lĩnh vực {subject}" for a in ACTIONS for o in OBJECTS]
    generic.sort(key=lambda name: stable_hash(scope, field, name))
    return (NAMED_PROCEDURES.get(field, []) + generic)[:count]


def _lang_son_catalogue(agencies: list[LsAgency]) -> tuple[pl.DataFrame, ...]:
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
        names = [(f, n) for f, count in plan for n in _procedure_names(scope, f, count)]
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
        extra = _procedure_names(scope, field, online_count + 3 + agency.services // 10)
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
    return proc, serv, offline


def lang_son_model() -> LangSon:
    agencies = _lang_son_agencies()
    procedures, services, offline = _lang_son_catalogue(agencies)
    scale = lang_son_online_scale(agencies)
    dossiers = {
        year: simulate_dossiers(year, agencies, procedures, services, offline, scale)
        for year in (2022, *DOSSIER_YEARS)
    }
    rows = lang_son_report_rows(agencies, dossiers)
    return LangSon(agencies, procedures, services, offline, dossiers, rows)
