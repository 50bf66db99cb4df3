"""Synthetic dossier lists (danh sách hồ sơ) at any volume, for load tests and benchmarks.

Real exports cannot be shared, and small hand-written fixtures say nothing about speed or memory,
so this writes files in the contract's CSV form (spec/portal-exports.md §1a, §2, §3) with
plausible distributions. Every row is valid under the contract, so rows read = rows loaded and a
benchmark measures loading, not rejecting.

Speed and memory: a row's values are pure functions of (seed, row number), computed with polars
expressions on integer columns (a splitmix64 hash built from wrapping UInt64 arithmetic, which
stays stable across polars versions, unlike `Expr.hash`). Rows are made and appended in chunks of
whole receipt days, so memory is bounded by the chunk and the per-day sequence numbers of the
dossier codes never straddle two chunks. The output does not depend on the chunk size.

    uv run python tests/datagen.py OUT.csv --rows 2000000
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import polars as pl

YEAR = 2023
CUTOFF = datetime(YEAR, 12, 31, 23, 59, 59)  # export time: later events have not happened yet
HEADER = {  # canonical column → header text written (the first synonym of spec §1a)
    "dossier_code": "Mã hồ sơ",
    "procedure_code": "Mã TTHC",
    "procedure_name": "Tên TTHC",
    "field_name": "Lĩnh vực",
    "agency_code": "Mã cơ quan",
    "agency_name": "Cơ quan giải quyết",
    "level": "Cấp thực hiện",
    "channel": "Hình thức nộp",
    "service_level": "Mức độ DVC",
    "received_at": "Ngày tiếp nhận",
    "due_at": "Ngày hẹn trả",
    "completed_at": "Ngày có kết quả",
    "returned_at": "Ngày trả kết quả",
    "status": "Trạng thái",
    "digitized": "Số hóa hồ sơ",
    "e_result": "Kết quả điện tử",
    "paid_online": "Thanh toán trực tuyến",
    "satisfaction": "Mức độ hài lòng",
}
DATETIME_FORMAT = "%d/%m/%Y %H:%M:%S"
CHANNELS = ["Trực tuyến", "Trực tiếp", "Dịch vụ bưu chính công ích"]
SERVICE_LEVELS = ["Toàn trình", "Một phần", None]
STATUSES = [
    "Đã trả kết quả",  # 0
    "Đã có kết quả",  # 1
    "Trả lại",  # 2
    "Công dân rút hồ sơ",  # 3
    "Chờ bổ sung",  # 4
    "Tạm dừng",  # 5
    "Đang xử lý",  # 6
]
# Upper bounds (per 10,000) of each status drawn before the export cutoff is applied; the cutoff
# then turns late-December dossiers still in progress into "Đang xử lý" / "Đã có kết quả".
STATUS_BOUNDS = [9_340, 9_540, 9_690, 9_770, 9_860, 9_900, 10_000]
YES_NO = ["Có", "Không", None]
SATISFACTION = ["Rất hài lòng", "Hài lòng", "Bình thường", "Không hài lòng", None]
# Public holidays (ngày nghỉ lễ) that push due dates, 2023 and early 2024.
HOLIDAYS = [
    date(2023, 1, 2),
    *(date(2023, 1, d) for d in range(20, 27)),
    date(2023, 4, 29),
    date(2023, 4, 30),
    *(date(2023, 5, d) for d in range(1, 4)),
    *(date(2023, 9, d) for d in range(1, 5)),
    date(2024, 1, 1),
    *(date(2024, 2, d) for d in range(8, 15)),
]
DEFAULT_CHUNK_ROWS = 250_000

U64 = pl.UInt64
MASK64 = (1 << 64) - 1
GOLDEN = 0x9E3779B97F4A7C15
MIX1 = 0xBF58476D1CE4E5B9
MIX2 = 0x94D049BB133111EB


def _mix_int(x: int) -> int:
    """splitmix64 finaliser in Python, for deriving per-stream seeds."""
    x = (x ^ (x >> 30)) * MIX1 & MASK64
    x = (x ^ (x >> 27)) * MIX2 & MASK64
    return x ^ (x >> 31)


def _u64(value: int) -> pl.Expr:
    return pl.lit(value, dtype=U64)


def _draw(seed: int, stream: int, modulus: int) -> pl.Expr:
    """A uniform integer in [0, modulus) per row; each stream is an independent draw.

    splitmix64 of (stream seed + row number × golden gamma): polars UInt64 arithmetic wraps like
    the reference C code, and `// 2**k` is the right shift.
    """
    stream_seed = _mix_int((seed * 0x100000001B3 + stream * GOLDEN) & MASK64)
    z = _u64(stream_seed) + pl.col("i") * _u64(GOLDEN)
    z = z.xor(z // _u64(1 << 30)) * _u64(MIX1)
    z = z.xor(z // _u64(1 << 27)) * _u64(MIX2)
    return (z.xor(z // _u64(1 << 31)) % _u64(modulus)).cast(pl.Int64)


def _pick(values: list, index: pl.Expr, dtype: pl.DataType = pl.String) -> pl.Expr:
    """values[index] for every row, vectorised (a gather from a small literal Series)."""
    return pl.lit(pl.Series(values, dtype=dtype)).gather(index)


def _bucket(draw: pl.Expr, bounds: list[int]) -> pl.Expr:
    """Index of the first bound above `draw`: a categorical draw from cumulative weights."""
    return (
        pl.lit(pl.Series(bounds, dtype=pl.Int64)).search_sorted(draw, side="right").cast(pl.Int64)
    )


# ---------------------------------------------------------------------------------------------
# The catalogue: agencies (cơ quan) and procedures (thủ tục hành chính). Fixed for a portal prefix
# and independent of the seed, so files made with different seeds describe the same province.

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
NAMED_PROCEDURES = {  # the common procedures of a field, most frequent first
    "Chứng thực": [
        "Chứng thực bản sao từ bản chính giấy tờ, văn bản",
        "Chứng thực chữ ký trong các giấy tờ, văn bản",
        "Chứng thực hợp đồng, giao dịch liên quan đến tài sản là động sản",
        "Chứng thực văn bản thỏa thuận phân chia di sản",
        "Chứng thực việc sửa đổi, bổ sung, hủy bỏ hợp đồng, giao dịch",
    ],
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
}
ACTIONS = ["Cấp", "Cấp lại", "Điều chỉnh", "Gia hạn", "Đăng ký", "Xác nhận", "Thẩm định"]
ACTIONS += ["Công nhận", "Cấp đổi", "Thu hồi"]
OBJECTS = ["giấy phép", "giấy chứng nhận", "chứng chỉ hành nghề", "văn bản chấp thuận", "hồ sơ"]


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


def _h(*keys: int | str) -> int:
    """A stable hash of small keys (Python's hash() of str is salted per process)."""
    digest = hashlib.blake2b("\x1f".join(map(str, keys)).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "little")


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


def _procedure_names(field: str, count: int) -> list[str]:
    """The named procedures of a field, then generic ones (action + object) in hash order."""
    generic = [f"{a} {o} về {field.lower()}" for a in ACTIONS for o in OBJECTS]
    generic.sort(key=lambda name: _h(field, name))
    return (NAMED_PROCEDURES.get(field, []) + generic)[:count]


def _zipf(n: int, exponent: float) -> list[float]:
    """Weights of n items by rank, summing to 1: a few busy, many quiet."""
    raw = [(rank + 1) ** -exponent for rank in range(n)]
    total = sum(raw)
    return [w / total for w in raw]


def build_catalogue(prefix: str) -> Catalogue:
    """≈300 agencies (Sở, UBND huyện, UBND xã) and 800 procedures, with their volume weights."""
    first, second = (syllables.split() for syllables in COMMUNE_SYLLABLES)
    places = sorted((f"{a} {b}" for a in first for b in second if a != b), key=_h)
    kinds = ["xã"] * 8 + ["phường", "thị trấn"]
    n_communes = 300 - len(DEPARTMENTS) - len(DISTRICTS)
    communes = [f"UBND {kinds[_h(p) % 10]} {p}" for p in places[:n_communes]]
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
            names = _procedure_names(field, count)
            procedures += [(level, field, name, rank) for rank, name in enumerate(names)]
    codes, service, days, fee, weight = [], [], [], [], []
    for k, (level, field, name, rank) in enumerate(procedures):
        number = 1000 + (k * 7919 + 421) % 13000  # 7919 is prime to 13000: no repeats
        local = _h(level, name, 1) % 5 == 0
        codes.append(f"2.{number:06d}.000.00.00.{prefix}" if local else f"1.{number:06d}")
        service.append(_bucket_int(_h(level, name, 2) % 100, [35, 75, 100]))
        choices = FIELD_DAYS.get(field, DEFAULT_DAYS)
        days.append(choices[_h(level, name, 3) % len(choices)])
        fee.append(field == "Chứng thực" or _h(level, name, 4) % 10 < 4)
        weight.append(FIELD_WEIGHT.get(field, 2 + _h(field) % 8) / (rank + 1) ** 1.2)

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


# ---------------------------------------------------------------------------------------------
# Rows: integer columns from the hash, then catalogue values gathered by index.


def _day_starts(n_rows: int) -> list[int]:
    """First row of each day of the year (plus n_rows): weekdays busy, weekends and holidays quiet.

    Rows are laid out in receipt-day order, as portals export them.
    """
    holidays = set(HOLIDAYS)
    weights = []
    day = date(YEAR, 1, 1)
    while day.year == YEAR:
        weight = 100 if day.weekday() < 5 else (30 if day.weekday() == 5 else 6)
        weights.append(6 if day in holidays else weight)
        day += timedelta(days=1)
    total, running, starts = sum(weights), 0, []
    for weight in weights:
        starts.append(n_rows * running // total)
        running += weight
    return [*starts, n_rows]


def _chunks(day_starts: list[int], chunk_rows: int) -> list[tuple[int, int]]:
    """(first row, end row) of runs of whole days holding about chunk_rows rows each."""
    bounds, first = [], 0
    for start in day_starts[1:]:
        if start - first >= chunk_rows:
            bounds.append((first, start))
            first = start
    if first < day_starts[-1]:
        bounds.append((first, day_starts[-1]))
    return bounds


def _seconds(expr: pl.Expr) -> pl.Expr:
    return pl.duration(seconds=expr, time_unit="us")


def _office_seconds(draw: pl.Expr) -> pl.Expr:
    """Second of the day for a draw in [0, 27000): counters open 07:30–11:30 and 13:30–17:00."""
    return pl.when(draw < 14_400).then(27_000 + draw).otherwise(34_200 + draw)


def _working_day(day: pl.Expr, n_days: pl.Expr) -> pl.Expr:
    """Midnight of the n-th working day (ngày làm việc) from `day`, skipping weekends, holidays."""
    shifted = day.dt.add_business_days(n_days.cast(pl.Int32), holidays=HOLIDAYS, roll="forward")
    return shifted.cast(pl.Datetime("us"))


def _chunk(first: int, end: int, day_starts: pl.Series, cat: Catalogue, seed: int) -> pl.DataFrame:
    """The dossiers of rows [first, end), sorted by receipt time, with header texts as names."""

    def draw(stream: int, modulus: int) -> pl.Expr:
        return _draw(seed, stream, modulus)

    col = pl.col
    frame = pl.DataFrame({"i": pl.int_range(first, end, dtype=U64, eager=True)})
    day = pl.lit(day_starts).search_sorted(col("i").cast(pl.Int64), side="right")
    frame = frame.with_columns(
        day=day.cast(pl.Int64) - 1,
        agency=_pick(cat.agency_slots, draw(1, AGENCY_SLOTS), pl.Int64),
    )
    procedure = col("agency") * PROCEDURE_SLOTS + draw(2, PROCEDURE_SLOTS)
    frame = frame.with_columns(procedure=_pick(cat.procedure_slots, procedure, pl.Int64))
    frame = frame.with_columns(
        service_level=_pick(cat.service_level, col("procedure"), pl.Int64),
        days_allowed=_pick(cat.days_allowed, col("procedure"), pl.Int64),
        has_fee=_pick(cat.has_fee, col("procedure"), pl.Boolean),
    )
    # Channel (Hình thức nộp): online share per mille by Mức độ DVC, 3% by post.
    online_share = _pick([700, 400, 0], col("service_level"), pl.Int64)
    channel = pl.when(draw(3, 1000) < online_share).then(0)
    frame = frame.with_columns(channel=channel.when(draw(3, 1000) < 970).then(1).otherwise(2))

    # Receipt: online at any hour (mostly 07–22h), at the counter in office hours.
    online = pl.when(draw(4, 10) < 7).then(25_200 + draw(5, 54_000)).otherwise(draw(5, 86_400))
    time_of_day = pl.when(col("channel") == 0).then(online)
    time_of_day = time_of_day.otherwise(_office_seconds(draw(6, 27_000)))
    received = pl.lit(datetime(YEAR, 1, 1)) + pl.duration(days=col("day"))
    frame = frame.with_columns(received_at=received + _seconds(time_of_day))
    # Due (Ngày hẹn trả): 17:00 of the allowed working days, counted from the next day after 16h.
    late_in_day = (col("received_at").dt.hour() >= 16).cast(pl.Int64)
    frame = frame.with_columns(base=col("received_at").dt.date() + pl.duration(days=late_in_day))
    frame = frame.with_columns(
        due_at=_working_day(col("base"), col("days_allowed")) + pl.duration(hours=17),
        status=_bucket(draw(7, 10_000), STATUS_BOUNDS),
    )

    # Result (Ngày có kết quả): a working day within the allowed time, about 2% late, refusals
    # early; then a time that day, not before receipt and not after 17:00.
    fraction = draw(8, 1001)
    days_taken = (
        pl.when(col("status") == 2)
        .then(col("days_allowed") * fraction // 4000)
        .when(draw(9, 1000) < 20)
        .then(col("days_allowed") + 1 + draw(10, 10))
        .otherwise(col("days_allowed") * fraction // 1000)
    )
    result_day = _working_day(col("base"), days_taken)
    start = pl.max_horizontal(col("received_at"), result_day + pl.duration(minutes=450))
    window = (result_day + pl.duration(hours=17) - start).dt.total_seconds()
    completed = start + _seconds(window * draw(11, 1000) // 1000)
    frame = frame.with_columns(completed_at=pl.when(col("status") <= 2).then(completed))
    # Nothing happens after the export: what would finish later is still being processed.
    finished = col("completed_at") <= CUTOFF
    frame = frame.with_columns(
        status=pl.when(col("completed_at") > CUTOFF).then(6).otherwise(col("status")),
        completed_at=pl.when(finished).then(col("completed_at")),
    )
    # Hand-over (Ngày trả kết quả): often within two hours, else 1–3 working days later.
    later = _working_day(col("completed_at").dt.date(), 1 + draw(13, 3))
    later = later + _seconds(_office_seconds(draw(14, 27_000)))
    soon = col("completed_at") + _seconds(draw(15, 7_200))
    handed_over = col("status") == 0
    returned = pl.when(col("status") == 2).then(col("completed_at"))
    returned = returned.when(handed_over & (draw(12, 10) < 6)).then(soon)
    frame = frame.with_columns(returned_at=returned.when(handed_over).then(later))
    frame = frame.with_columns(
        status=pl.when((col("status") == 0) & (col("returned_at") > CUTOFF))
        .then(1)
        .otherwise(col("status")),
        returned_at=pl.when(col("returned_at") <= CUTOFF).then(col("returned_at")),
    )

    # Yes/no columns (Có / Không / empty = no fee) and the rating (Mức độ hài lòng).
    paid = pl.when(~col("has_fee")).then(2)
    paid = paid.when((col("channel") == 0) & (draw(16, 100) < 75)).then(0).otherwise(1)
    rating = _bucket(draw(19, 100), [55, 90, 98, 100])
    rated = (col("status") <= 2) & (draw(20, 100) < 45)
    frame = frame.with_columns(
        digitized=_bucket(draw(17, 100), [72, 97, 100]),
        e_result=_bucket(draw(18, 100), [55, 97, 100]),
        paid_online=paid,
        satisfaction=pl.when(rated).then(rating).otherwise(4),
    )

    # Dossier code: receiving unit, receipt date, that unit's sequence of the day.
    frame = frame.sort("received_at", "i")
    sequence = pl.int_range(1, pl.len() + 1).over("agency", "day")
    agency_code = _pick(cat.agency_code, col("agency"))
    yymmdd = _pick(
        [(date(YEAR, 1, 1) + timedelta(d)).strftime("%y%m%d") for d in range(366)], col("day")
    )
    code = [agency_code, pl.lit("-"), yymmdd, pl.lit("-"), sequence.cast(pl.String).str.zfill(6)]
    return frame.select(
        pl.concat_str(code).alias("dossier_code"),
        _pick(cat.procedure_code, col("procedure")).alias("procedure_code"),
        _pick(cat.procedure_name, col("procedure")).alias("procedure_name"),
        _pick(cat.field_name, col("procedure")).alias("field_name"),
        agency_code.alias("agency_code"),
        _pick(cat.agency_name, col("agency")).alias("agency_name"),
        _pick(cat.agency_level, col("agency")).alias("level"),
        _pick(CHANNELS, col("channel")).alias("channel"),
        _pick(SERVICE_LEVELS, col("service_level")).alias("service_level"),
        "received_at",
        "due_at",
        "completed_at",
        "returned_at",
        _pick(STATUSES, col("status")).alias("status"),
        _pick(YES_NO, col("digitized")).alias("digitized"),
        _pick(YES_NO, col("e_result")).alias("e_result"),
        _pick(YES_NO, col("paid_online")).alias("paid_online"),
        _pick(SATISFACTION, col("satisfaction")).alias("satisfaction"),
    ).rename(HEADER)


def write_dossier_csv(
    path: Path,
    n_rows: int,
    *,
    seed: int = 2023,
    portal_prefix: str = "H37",
    chunk_rows: int = DEFAULT_CHUNK_ROWS,
) -> Path:
    """Write n_rows dossiers received over 2023 to `path` (UTF-8 with BOM, `,`, Vietnamese headers).

    Same arguments → same bytes (chunk_rows changes only memory use, not the output).
    """
    if n_rows < 0:
        raise ValueError("n_rows must be >= 0")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    cat = build_catalogue(portal_prefix)
    starts = _day_starts(n_rows)
    day_starts = pl.Series(starts, dtype=pl.Int64)
    with path.open("wb") as out:
        # The header (and BOM) go first on their own, so an empty file still has both.
        pl.DataFrame(schema={h: pl.String for h in HEADER.values()}).write_csv(
            out, include_bom=True
        )
        for first, end in _chunks(starts, max(1, chunk_rows)):
            _chunk(first, end, day_starts, cat, seed).write_csv(
                out, include_header=False, datetime_format=DATETIME_FORMAT
            )
    return path


def main(argv: list[str] | None = None) -> int:
    """Command line: write a dossier CSV and say how long it took."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="CSV file to write")
    parser.add_argument("--rows", type=int, default=100_000, help="number of dossiers")
    parser.add_argument("--seed", type=int, default=2023)
    parser.add_argument("--portal-prefix", default="H37", help="unit code prefix, e.g. H37")
    parser.add_argument("--chunk-rows", type=int, default=DEFAULT_CHUNK_ROWS)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    write_dossier_csv(
        args.out,
        args.rows,
        seed=args.seed,
        portal_prefix=args.portal_prefix,
        chunk_rows=args.chunk_rows,
    )
    seconds = time.perf_counter() - started
    size_mb = args.out.stat().st_size / 1e6
    print(f"{args.rows:,} rows, {size_mb:,.1f} MB → {args.out} in {seconds:.1f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
