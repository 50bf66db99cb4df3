"""The catalogue of the synthetic province behind the benchmark's dossier lists (volume.py).

About 300 agencies (Sở, UBND huyện, UBND xã) and 800 procedures with their volume weights. Fixed
for a portal prefix and independent of the seed, so files made with different seeds describe
the same province. Nothing here is real data; the names only make the files readable.
"""

from __future__ import annotations

from dataclasses import dataclass

from warehouse.demo.draws import stable_hash
from warehouse.demo.procedure_names import procedure_names

SERVICE_LEVELS = ["Toàn trình", "Một phần", None]  # Mức độ DVC; None: no online service
AGENCY_SLOTS = 4096  # an agency is drawn as agency_slots[hash % AGENCY_SLOTS]
PROCEDURE_SLOTS = 512  # a procedure as procedure_slots[agency × PROCEDURE_SLOTS + hash % 512]
LEVEL_SHARE = {"Tỉnh": 30, "Huyện": 25, "Xã": 45}  # share of dossiers by level, in %
PROCEDURES_PER_LEVEL = {"Tỉnh": 450, "Huyện": 230, "Xã": 120}

DEPARTMENTS = [  # (agency, fields it resolves) at the provincial level
    ("Sở Tư pháp", ["Lý lịch tư pháp", "Quốc tịch", "Công chứng", "Luật sư"]),
    ("Sở Kế hoạch và Đầu tư", ["Thành lập và hoạt động của doanh nghiệp", "Đầu tư tại Việt Nam"]),
    ("Sở Xây dựng", ["Hoạt động xây dựng", "Nhà ở"]),
    ("Sở Giao thông vận tải", ["Đường bộ", "Đường thủy nội địa"]),
    ("Sở Y tế", ["Khám bệnh, chữa bệnh", "Dược phẩm", "An toàn thực phẩm"]),
    ("Sở Giáo dục và Đào tạo", ["Giáo dục và Đào tạo", "Văn bằng, chứng chỉ"]),
    ("Sở Tài nguyên và Môi trường", ["Đất đai", "Môi trường", "Tài nguyên nước"]),
    (
        "Sở Lao động - Thương binh và Xã hội",
        ["Việc làm", "Người có công", "Bảo trợ xã hội", "Giáo dục nghề nghiệp"],
    ),
    ("Sở Công Thương", ["Lưu thông hàng hóa trong nước", "Điện", "Xúc tiến thương mại"]),
    (
        "Sở Nông nghiệp và Phát triển nông thôn",
        ["Thú y", "Trồng trọt", "Thủy sản", "Lâm nghiệp"],
    ),
    ("Sở Văn hóa, Thể thao và Du lịch", ["Văn hóa", "Thể dục thể thao", "Du lịch"]),
    ("Sở Thông tin và Truyền thông", ["Báo chí", "Xuất bản, in và phát hành"]),
    ("Sở Nội vụ", ["Tôn giáo", "Thi đua, khen thưởng", "Công chức, viên chức"]),
    ("Sở Tài chính", ["Quản lý công sản", "Quản lý giá"]),
    ("Sở Khoa học và Công nghệ", ["Hoạt động khoa học và công nghệ", "Đo lường, chất lượng"]),
    ("Sở Ngoại vụ", ["Lãnh sự"]),
    ("Ban Quản lý các khu công nghiệp", ["Đầu tư vào khu công nghiệp", "Lao động"]),
    ("Thanh tra tỉnh", ["Giải quyết khiếu nại", "Tiếp công dân"]),
]
DISTRICTS = [
    "UBND thành phố Hoa Lư",
    "UBND thành phố Tam Điệp",
    "UBND thị xã Đông Sơn",
    "UBND huyện Nho Quan",
    "UBND huyện Gia Viễn",
    "UBND huyện Yên Khánh",
    "UBND huyện Kim Sơn",
    "UBND huyện Yên Mô",
    "UBND huyện Thanh Liêm",
]
DISTRICT_FIELDS = [
    "Chứng thực",
    "Hộ tịch",
    "Đất đai",
    "Thành lập và hoạt động của hộ kinh doanh",
    "Hoạt động xây dựng",
    "Giáo dục và Đào tạo",
    "Bảo trợ xã hội",
    "Tài nguyên nước",
    "Văn hóa",
    "Lưu thông hàng hóa trong nước",
]
COMMUNE_FIELDS = [
    "Chứng thực",
    "Hộ tịch",
    "Bảo trợ xã hội",
    "Người có công",
    "Đất đai",
    "Thi đua, khen thưởng",
    "Nuôi con nuôi",
    "Giải quyết khiếu nại",
]
COMMUNE_SYLLABLES = (  # place names are two syllables, e.g. "Tân Thanh"
    "Tân Gia Yên Khánh Ninh Đông Trường Phú Thành Hòa Quang Xuân Văn Lạc Đức Thượng Kim Liên",
    "Thanh Phong Lâm Hải Sơn Hưng Thịnh Phú An Bình Lợi Mỹ Tiến Hòa Long Thủy Vân Lộc",
)
FIELD_WEIGHT = {  # relative volume of a field (others: 2–9, from a hash)
    "Chứng thực": 60,
    "Hộ tịch": 45,
    "Đất đai": 30,
    "Thành lập và hoạt động của hộ kinh doanh": 20,
    "Thành lập và hoạt động của doanh nghiệp": 30,
    "Đường bộ": 30,
    "Lý lịch tư pháp": 20,
    "Bảo trợ xã hội": 12,
}
FIELD_DAYS = {  # working days allowed (thời hạn giải quyết), drawn per procedure
    "Chứng thực": [0, 0, 0, 1],
    "Hộ tịch": [0, 1, 1, 3, 5],
    "Đất đai": [10, 15, 20, 30],
}
DEFAULT_DAYS = [1, 3, 5, 5, 7, 10, 10, 15, 20]


@dataclass(frozen=True)
class Catalogue:
    """Agencies and procedures as parallel lists, indexed by the integer columns of a chunk."""

    agency_code: list[str]
    agency_name: list[str]
    agency_level: list[str]
    agency_slots: list[int]
    procedure_code: list[str]
    procedure_name: list[str]
    field_name: list[str]
    service_level: list[int]  # index into SERVICE_LEVELS
    days_allowed: list[int]
    has_fee: list[bool]
    procedure_slots: list[int]


def _bucket_int(draw: int, bounds: list[int]) -> int:
    """Index of the first bound above `draw` (the catalogue's counterpart of _bucket)."""
    return next(k for k, bound in enumerate(bounds) if draw < bound)


def _slots(weights: list[float], n_slots: int) -> list[int]:
    """n_slots item indices, each item at least once, the rest in proportion to its weight."""
    extra, total = n_slots - len(weights), sum(weights)
    slots, running = [], 0.0
    for item, weight in enumerate(weights):
        first = round(extra * running / total)
        running += weight
        slots += [item] * (1 + round(extra * running / total) - first)
    return slots


def _zipf(n: int, exponent: float) -> list[float]:
    """Weights of n items by rank, summing to 1: a few busy, many quiet."""
    raw = [(rank + 1) ** -exponent for rank in range(n)]
    total = sum(raw)
    return [w / total for w in raw]


def build_catalogue(prefix: str) -> Catalogue:
    """≈300 agencies (Sở, UBND huyện, UBND xã) and 800 procedures, with their volume weights."""
    first, second = (syllables.split() for syllables in COMMUNE_SYLLABLES)
    places = sorted((f"{a} {b}" for a in first for b in second if a != b), key=stable_hash)
    kinds = ["xã"] * 8 + ["phường", "thị trấn"]
    n_communes = 300 - len(DEPARTMENTS) - len(DISTRICTS)
    communes = [f"UBND {kinds[stable_hash(p) % 10]} {p}" for p in places[:n_communes]]
    agencies = [("Tỉnh", name, fields) for name, fields in DEPARTMENTS]
    agencies += [("Huyện", name, DISTRICT_FIELDS) for name in DISTRICTS]
    agencies += [("Xã", name, COMMUNE_FIELDS) for name in communes]
    level_fields = {
        level: list(dict.fromkeys(f for lv, _, fields in agencies if lv == level for f in fields))
        for level in PROCEDURES_PER_LEVEL
    }

    # Procedures field by field; codes unique (1.xxxxxx national, 2.xxxxxx.000.00.00.H37 local).
    procedures: list[tuple[str, str, str, int]] = []  # (level, field, name, rank in field)
    for level, fields in level_fields.items():
        n_procedures = PROCEDURES_PER_LEVEL[level]
        for k, field in enumerate(fields):
            count = n_procedures // len(fields) + (k < n_procedures % len(fields))
            names = procedure_names(field, count, f"về {field.lower()}")
            procedures += [(level, field, name, rank) for rank, name in enumerate(names)]
    codes, service, days, fee, weight = [], [], [], [], []
    for k, (level, field, name, rank) in enumerate(procedures):
        number = 1000 + (k * 7919 + 421) % 13000  # 7919 is prime to 13000: no repeats
        local = stable_hash(level, name, 1) % 5 == 0
        codes.append(f"2.{number:06d}.000.00.00.{prefix}" if local else f"1.{number:06d}")
        service.append(_bucket_int(stable_hash(level, name, 2) % 100, [35, 75, 100]))
        choices = FIELD_DAYS.get(field, DEFAULT_DAYS)
        days.append(choices[stable_hash(level, name, 3) % len(choices)])
        fee.append(field == "Chứng thực" or stable_hash(level, name, 4) % 10 < 4)
        weight.append(FIELD_WEIGHT.get(field, 2 + stable_hash(field) % 8) / (rank + 1) ** 1.2)

    # An agency draws among the procedures of its level and fields (communes share one table).
    procedure_slots: list[int] = []
    tables: dict[tuple[str, tuple[str, ...]], list[int]] = {}
    for level, _, fields in agencies:
        key = (level, tuple(fields))
        if key not in tables:
            own = [k for k, (lv, f, _, _) in enumerate(procedures) if lv == level and f in fields]
            tables[key] = [own[s] for s in _slots([weight[k] for k in own], PROCEDURE_SLOTS)]
        procedure_slots += tables[key]
    # Agencies: each level gets its share, split by rank (communes evenly, Sở and huyện less so).
    levels = [level for level, _, _ in agencies]
    zipf = {lv: _zipf(levels.count(lv), 0.3 if lv == "Xã" else 0.8) for lv in LEVEL_SHARE}
    agency_weight = [
        LEVEL_SHARE[level] * zipf[level][levels[:k].count(level)] for k, level in enumerate(levels)
    ]
    return Catalogue(
        agency_code=[f"{prefix}.{k + 1:02d}" for k in range(len(agencies))],
        agency_name=[name for _, name, _ in agencies],
        agency_level=levels,
        agency_slots=_slots(agency_weight, AGENCY_SLOTS),
        procedure_code=codes,
        procedure_name=[name for _, _, name, _ in procedures],
        field_name=[field for _, field, _, _ in procedures],
        service_level=service,
        days_allowed=days,
        has_fee=fee,
        procedure_slots=procedure_slots,
    )
