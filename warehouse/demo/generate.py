"""The built-in demo data: synthetic portal exports that tell the story of 2023.

Real exports cannot be shipped, so the demo portals serve synthetic files in the shapes of the
export contract (shared/spec/portal-exports.md), calibrated to published national aggregates:

- localities (63 provinces of the time): on-time rate 92.36 % in 2022 and 90.75 % in 2023 (a fall
  of 1.61 points); online share of new dossiers about 10 % in 2022 and 37.4 % in 2023;
- ministries (20): on-time rate 46.80 % in 2022 and 50.60 % in 2023;
- Lạng Sơn (portal H37): over 99 % of its 2023 dossiers on time, 74 % of them received online;
  an online-service catalogue of 1,503 services (procedure × agency), 1,076 of them full-process
  (71.6 %), 92 % of them used (at least one online dossier) in 2023.

Nothing else is real: no figure of any single province, ministry or agency is, and the
province and ministry names (provinces.py) only make the data readable. Every file is a pure
function of the constants below (no clock, no randomness outside fixed hashes), so two runs write
the same bytes.

Why the numbers look the way they do. The story is one fall, and the nightly checks compare
every rate year on year at every grain (month, quarter, year) and scope (agency, portal,
nation): a demo where the fall shows up everywhere would bury it under hundreds of alerts. So
the national fall is a mix effect, Simpson's paradox by quarter:

- every agency keeps its own rates in every month of every year, so no agency and no portal
  falls at any grain (late and overdue counts are rounded up in 2022 and down afterwards, so
  rounding never tips a small agency's month over a point either);
- provinces differ in seasonality: the slower ones (on-time rates of about 74–89 %, 29 % of
  the 2022 volume) receive nearly half their year's work in Q4, the others little; in 2023
  every locality's volume in quarter q is scaled by the same factor (0.85, 0.90, 0.95 for Q1–Q3
  and about 2 for Q4: the year-end surge doubled), and the slower provinces grew a fifth more;
- so each national month and quarter falls by at most about 0.7 points, while the year,
  which weighs the slow Q4 more in 2023, falls by 1.61 points. `_calibrate` solves the Q4
  factor and the slower provinces' rates for the published figures, to two decimals.

The Decision 766 rate adds the pending stock at the year's end, so it would fall with it; the
stock left at the end of December 2022 is therefore mostly overdue (75 %) and the one at the
end of 2023 (and 2024) mostly in time (99 %). 2024 repeats 2023, so it raises no alert (Lạng
Sơn's 2024 dossiers are a new draw of the same mix, with electronic results and satisfaction a
little better). Ministries rise from 46.80 % to 50.60 % the same way, through their mix (the
faster ministries grew). Lạng Sơn's report rows are the aggregates of its own dossiers (its 2022
dossiers are simulated with the same code but not exported), so its two bases agree.
"""

from __future__ import annotations

import calendar
import codecs
import csv
import hashlib
import io
import json
import math
import unicodedata
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from xml.sax.saxutils import escape

import polars as pl

from warehouse.demo.provinces import (
    LANG_SON_DEPARTMENTS,
    LANG_SON_DISTRICTS,
    LANG_SON_GSO,
    LANG_SON_PORTAL,
    MINISTRIES,
    PROVINCES,
    Province,
)

YEARS = (2022, 2023, 2024)
DOSSIER_YEARS = (2023, 2024)  # Lạng Sơn exports these; 2022 is simulated for its reports only
TARGET_ON_TIME = {"locality": (92.36, 90.75), "ministry": (46.80, 50.60)}  # 2022, 2023 (%)
TARGET_ONLINE = (10.0, 37.4)  # localities' online share, 2022 and 2023 (%, one decimal)
LANG_SON_ONLINE_2023 = 74.0
LANG_SON_SERVICES = 1_503
LANG_SON_FULL_PROCESS = 1_076
LANG_SON_UNUSED = 120  # catalogue services without an online dossier: 1,383 / 1,503 = 92 % used
CATALOGUE_VALID_FROM = date(2023, 1, 1)

# Seasonality: shares of a year's volume by quarter, and of a quarter's by month (Tết in Feb).
MONTH_IN_QUARTER = (0.36, 0.26, 0.38, 0.32, 0.33, 0.35, 0.33, 0.33, 0.34, 0.32, 0.33, 0.35)
QUARTER_PROFILE = {
    "steady": (0.27, 0.29, 0.29, 0.15),  # most provinces: quiet year end
    "year_end": (0.17, 0.18, 0.20, 0.45),  # the slower provinces: a year-end surge
    "ministry": (0.24, 0.25, 0.25, 0.26),
}
SCALE_2023 = (0.85, 0.90, 0.95, 2.05)  # locality volume 2023 / 2022 by quarter (Q4 is tuned)
GROWTH_SLOW_PROVINCES = 1.20  # the year-end provinces grew this much more in 2023
SLOW_SHARE = 0.29  # share of the 2022 locality volume handled by the slower provinces
SLOW_RATES, STEADY_RATES = (0.70, 0.86), (0.95, 0.995)  # on-time rates before calibration
OVERDUE_DECEMBER = {2022: 0.75, 2023: 0.01, 2024: 0.01}  # overdue share of the year-end stock

COUNTS = (
    "received_total",
    "carried_over",
    "received_online",
    "received_offline",
    "resolved_total",
    "resolved_early",
    "resolved_on_time",
    "resolved_late",
    "pending_total",
    "pending_in_time",
    "pending_overdue",
)
# Vietnamese public holidays (ngày nghỉ lễ) of 2022–2025, fixed here so that due dates never
# move with the `holidays` package's data.
HOLIDAYS = tuple(
    date.fromisoformat(d)
    for d in [
        "2022-01-01",
        "2022-01-03",
        "2022-01-31",
        "2022-02-01",
        "2022-02-02",
        "2022-02-03",
        "2022-02-04",
        "2022-04-10",
        "2022-04-11",
        "2022-04-30",
        "2022-05-01",
        "2022-05-02",
        "2022-05-03",
        "2022-09-01",
        "2022-09-02",
        "2023-01-01",
        "2023-01-02",
        "2023-01-20",
        "2023-01-21",
        "2023-01-22",
        "2023-01-23",
        "2023-01-24",
        "2023-01-25",
        "2023-01-26",
        "2023-04-29",
        "2023-04-30",
        "2023-05-01",
        "2023-05-02",
        "2023-05-03",
        "2023-09-01",
        "2023-09-02",
        "2023-09-04",
        "2024-01-01",
        "2024-02-08",
        "2024-02-09",
        "2024-02-10",
        "2024-02-11",
        "2024-02-12",
        "2024-02-13",
        "2024-02-14",
        "2024-04-18",
        "2024-04-29",
        "2024-04-30",
        "2024-05-01",
        "2024-09-02",
        "2024-09-03",
        "2025-01-01",
        "2025-01-27",
        "2025-01-28",
        "2025-01-29",
        "2025-01-30",
        "2025-01-31",
        "2025-02-01",
    ]
)


# =============================================================================================
# The manifest: what was written, for the demo server, the configuration and the tests


@dataclass(frozen=True)
class DemoFile:
    """One export as a portal serves it: /<portal code>/<name>."""

    name: str
    kind: str  # dossiers | report | catalogue
    format: str  # csv | json | json-pages (served in pages, see server.py) | html-xls | xlsx


@dataclass(frozen=True)
class DemoPortal:
    code: str
    name: str
    sector: str
    province_code: str | None  # GSO code; None for ministries
    files: tuple[DemoFile, ...]

    @property
    def dvcqg_code(self) -> str:
        """H37 is Lạng Sơn's real DVCQG code; the other codes are synthetic (T + GSO, B01…)."""
        return self.code


@dataclass(frozen=True)
class DemoManifest:
    portals: tuple[DemoPortal, ...]
    calibration: dict[str, float] = field(default_factory=dict)

    def portal(self, code: str) -> DemoPortal:
        return next(p for p in self.portals if p.code == code)

    def config_toml(self, *, skip_portals: Iterable[str] = (LANG_SON_PORTAL,)) -> str:
        """The `[[portals]]` and `[[sources]]` entries of the demo (see demo-portals.toml)."""
        return _config_toml(self, set(skip_portals))


def generate_demo(out_dir: Path) -> DemoManifest:
    """Write every demo export under out_dir/<portal code>/ and say what was written."""
    out_dir = Path(out_dir)
    lang_son = _lang_son_model()
    agencies = _reporting_agencies()
    knobs = _calibrate(agencies, lang_son.report_rows)
    plan = _report_plan(agencies, knobs)
    portals = []
    for portal in _portal_list():
        folder = out_dir / portal.code
        folder.mkdir(parents=True, exist_ok=True)
        if portal.code == LANG_SON_PORTAL:
            rows = lang_son.report_rows
        else:
            rows = plan.filter(pl.col("portal") == portal.code)
        # the report first: its rows start in 2022, so agencies are known from then on
        files = [_write_report(folder, portal, _report_records(rows))]
        if portal.code == LANG_SON_PORTAL:
            files += _write_lang_son(folder, lang_son)
        portals.append(
            DemoPortal(portal.code, portal.name, portal.sector, portal.province_code, tuple(files))
        )
    return DemoManifest(tuple(portals), calibration=knobs.as_dict())


# =============================================================================================
# Stable hashes: per-entity parameters (Python) and per-row draws (polars)

_GOLDEN = 0x9E3779B97F4A7C15
_MIX1 = 0xBF58476D1CE4E5B9
_MIX2 = 0x94D049BB133111EB


def _hash(*keys: object) -> int:
    """A stable 64-bit hash of small keys (Python's hash() of a str changes per process)."""
    digest = hashlib.blake2b("\x1f".join(map(str, keys)).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "little")


def _unit(*keys: object) -> float:
    """A stable number in [0, 1) for the keys: per-entity parameters."""
    return _hash(*keys) / 2**64


def _u64(value: int) -> pl.Expr:
    return pl.lit(value, dtype=pl.UInt64)


def _mix(key: pl.Expr, stream: int) -> pl.Expr:
    """splitmix64 of (row key, stream): independent draws per stream, UInt64 arithmetic wraps."""
    z = key.cast(pl.UInt64) * _u64(_GOLDEN) + _u64(_hash("stream", stream))
    z = z.xor(z // _u64(1 << 30)) * _u64(_MIX1)
    z = z.xor(z // _u64(1 << 27)) * _u64(_MIX2)
    return z.xor(z // _u64(1 << 31))


def _draw(stream: int, modulus: int) -> pl.Expr:
    """A uniform integer in [0, modulus) per dossier slot."""
    return (_mix(pl.col("key"), stream) % _u64(modulus)).cast(pl.Int64)


def _rank(stream: int, *over: str) -> pl.Expr:
    """A random order (0, 1, …) of the slots inside each group: stratified counts take a prefix."""
    return _mix(pl.col("key"), stream).rank("ordinal").over(over).cast(pl.Int64) - 1


def _bad_count(share: pl.Expr | float, n: pl.Expr, year: pl.Expr | int) -> pl.Expr:
    """How many of n went wrong (late, overdue): rounded up in 2022 and down afterwards, so an
    agency's rate in any month of 2023 is never below the same month of 2022 by rounding alone
    (the floor alone would let a month of 100 dossiers slip by up to a point)."""
    rate = share if isinstance(share, pl.Expr) else pl.lit(share)
    exact = rate * n.cast(pl.Float64)
    first_year = pl.lit(year == YEARS[0]) if isinstance(year, int) else year == YEARS[0]
    up = (exact - 1e-9).ceil().clip(lower_bound=0)
    return pl.when(first_year).then(up).otherwise((exact + 1e-9).floor()).cast(pl.Int64)


def _steps(share: pl.Expr, nth: pl.Expr) -> pl.Expr:
    """True for the i-th item when floor(share × i) steps up: the first n items of any run
    then hold floor(share × n) flags, and any stretch of them its share to within one."""
    return _share_floor(share, nth) > _share_floor(share, nth - 1)


def _share_floor(share: pl.Expr | float, n: pl.Expr) -> pl.Expr:
    """floor(share × n): a count that never overshoots its rate, so rates cannot jitter up."""
    rate = share if isinstance(share, pl.Expr) else pl.lit(share)
    return (rate * n.cast(pl.Float64) + 1e-9).floor().cast(pl.Int64)


# =============================================================================================
# Calendar


def _business(expr: pl.Expr, days: pl.Expr | int) -> pl.Expr:
    """The working day `days` working days after `expr` (rolled forward off a day off)."""
    n = days if isinstance(days, pl.Expr) else pl.lit(days)
    return expr.dt.add_business_days(n.cast(pl.Int32), holidays=HOLIDAYS, roll="forward")


def _month_days(year: int, month: int, *, working: bool) -> list[date]:
    days = [date(year, month, d) for d in range(1, calendar.monthrange(year, month)[1] + 1)]
    if working:
        days = [d for d in days if d.weekday() < 5 and d not in HOLIDAYS]
    return days


def _completion_cap(year: int) -> date:
    """The last working day on or before 10 January after `year`: every dossier received in
    `year` is settled by then, so the exports (taken on the 15th) hold no open dossier."""
    day = date(year + 1, 1, 10)
    while day.weekday() >= 5 or day in HOLIDAYS:
        day -= timedelta(days=1)
    return day


def _month_index(expr: pl.Expr) -> pl.Expr:
    """Months since January 2000, so month differences are plain subtraction."""
    return (expr.dt.year().cast(pl.Int64) - 2000) * 12 + expr.dt.month().cast(pl.Int64) - 1


# =============================================================================================
# Lạng Sơn: agencies, catalogue, dossiers, and its report rows as their aggregates


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


def _unit_name(name: str) -> str:
    """ "Huyện Cao Lộc" → "UBND huyện Cao Lộc" (the unit's people's committee)."""
    for kind in ("Thành phố", "Thị xã", "Thị trấn", "Huyện", "Quận", "Phường", "Xã"):
        if name.startswith(kind + " "):
            return f"UBND {kind.lower()}{name[len(kind) :]}"
    return f"UBND {name}"


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
LANG_SON_ONLINE_2022 = 0.40  # online share of 2023 kept in 2022 (about 30 % overall)


def _lang_son_agencies() -> list[LsAgency]:
    agencies: list[LsAgency] = []

    def add(
        code: str, name: str, level: str, kind: str, volume: int, fields: tuple[str, ...],
        services: int,
    ) -> None:  # fmt: skip
        late = KIND_LATE[kind] * (0.6 + 0.8 * _unit("late", code))
        online = KIND_ONLINE[kind] * (0.9 + 0.2 * _unit("online", code))
        if code == "H37.25":  # driving licences: the most used online service
            online = 0.92
        agencies.append(
            LsAgency(len(agencies), code, name, level, kind, volume, late, online, fields, services)
        )

    for d in LANG_SON_DEPARTMENTS:
        add(d.code, d.name, "Tỉnh", "department", d.volume, d.fields, d.services)
    for district in LANG_SON_DISTRICTS:
        fields = tuple(f for f, _ in DISTRICT_FIELDS)
        add(district.code, _unit_name(district.name), "Huyện", "district", district.volume,
            fields, sum(n for _, n in DISTRICT_FIELDS))  # fmt: skip
    for district in LANG_SON_DISTRICTS:
        for code, name, volume in district.communes:
            fields = tuple(f for f, _ in COMMUNE_FIELDS)
            add(code, _unit_name(name), "Xã", "commune", volume, fields,
                sum(n for _, n in COMMUNE_FIELDS))  # fmt: skip
    return agencies


def _procedure_names(scope: str, field: str, count: int) -> list[str]:
    """The named procedures of a field, then generic ones (action + object) in hash order."""
    subject = field[0].lower() + field[1:]
    generic = [f"{a} {o} lĩnh vực {subject}" for a in ACTIONS for o in OBJECTS]
    generic.sort(key=lambda name: _hash(scope, field, name))
    return (NAMED_PROCEDURES.get(field, []) + generic)[:count]


def _split(total: int, weights: list[float]) -> list[int]:
    """`total` split in proportion to weights, largest remainders first (sums exactly)."""
    raw = [total * w / sum(weights) for w in weights]
    counts = [math.floor(r) for r in raw]
    order = sorted(range(len(raw)), key=lambda i: (counts[i] - raw[i], i))
    for i in order[: total - sum(counts)]:
        counts[i] += 1
    return counts


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
            local = _hash("local", *key) % 4 == 0
            code = f"2.{number:06d}.000.00.00.H37" if local else f"1.{number:06d}"
            days = FIELD_DAYS.get(field, DEFAULT_DAYS)
            fee = field == "Chứng thực" or _hash("fee", *key) % 100 < 40
            procedures.append(
                {"procedure": k, "procedure_code": code, "procedure_name": name,
                 "field_name": field, "days": days[_hash("days", *key) % len(days)], "fee": fee}
            )  # fmt: skip
            by_scope[key] = k
        return by_scope[key]

    departments = [a for a in agencies if a.kind == "department"]
    full_left = LANG_SON_FULL_PROCESS
    full_left -= DISTRICT_FULL * len(LANG_SON_DISTRICTS)
    full_left -= COMMUNE_FULL * sum(len(d.communes) for d in LANG_SON_DISTRICTS)
    dept_full = _split(full_left, [a.services for a in departments])
    dept_unused = _split(LANG_SON_UNUSED, [a.services for a in departments])
    services, counter = [], []
    for agency in agencies:
        if agency.kind == "department":
            scope = agency.code
            per_field = _split(agency.services, [1.0] * len(agency.fields))
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
        names.sort(key=lambda fn: (fn[1] not in NAMED_PROCEDURES.get(fn[0], []), _hash(*fn)))
        full_order = sorted(range(len(names)), key=lambda i: _hash("full", scope, *names[i]))
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


def _year_weights(profile: str, scale: tuple[float, ...]) -> list[float]:
    """Share of each month in a year whose quarters are scaled by `scale`."""
    quarters = QUARTER_PROFILE[profile]
    raw = [quarters[m // 3] * MONTH_IN_QUARTER[m] * scale[m // 3] for m in range(12)]
    return [w / sum(raw) for w in raw]


def _lang_son_counts(agencies: list[LsAgency], year: int) -> pl.DataFrame:
    """Dossiers received per agency and month: 2024 repeats 2023, 2022 undoes the 2023 scale."""
    weights = _year_weights("steady", SCALE_2023)
    rows = []
    for agency in agencies:
        for m in range(12):
            n = round(agency.volume * weights[m])
            if year == 2022:
                n = round(n / SCALE_2023[m // 3])
            rows.append((agency.index, m + 1, n))
    return pl.DataFrame(rows, schema=["agency", "month", "n"], orient="row")


def _agency_shares(agencies: list[LsAgency], year: int, scale: float) -> pl.DataFrame:
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


def _lang_son_online_scale(agencies: list[LsAgency]) -> float:
    """The scale of the agencies' online shares that makes 2023 exactly 74.0 % online."""
    counts = _lang_son_counts(agencies, 2023)

    def share(scale: float) -> float:
        frame = counts.join(_agency_shares(agencies, 2023, scale), on="agency")
        online = frame.select(_share_floor(pl.col("sigma"), pl.col("n")).sum()).item()
        return 100 * online / frame["n"].sum()

    return _bisect(share, LANG_SON_ONLINE_2023, 0.5, 1.5, decimals=1)


def _lang_son_model() -> LangSon:
    agencies = _lang_son_agencies()
    procedures, services, offline = _lang_son_catalogue(agencies)
    scale = _lang_son_online_scale(agencies)
    dossiers = {
        year: _simulate_dossiers(year, agencies, procedures, services, offline, scale)
        for year in (2022, *DOSSIER_YEARS)
    }
    rows = _lang_son_report_rows(agencies, dossiers)
    return LangSon(agencies, procedures, services, offline, dossiers, rows)


# --- the dossiers of one year --------------------------------------------------------------

S_ONLINE, S_POSTAL, S_PICK, S_DAY, S_TIME, S_STATUS, S_ON_TIME, S_TAKEN = range(1, 9)
S_CLOCK, S_LATE, S_LATE_DAYS, S_E_RESULT, S_RATING, S_RATING_TEXT = range(9, 15)
S_DIGITIZED, S_PAID, S_RETURNED, S_WITHDRAWN_TEXT = range(15, 19)
REFUSED_PER_10K, WITHDRAWN_PER_10K = 120, 40
E_RESULT = {"department": 0.86, "district": 0.78, "commune": 0.82}
DIGITIZED = {"department": 0.9, "district": 0.82, "commune": 0.78}
RATED, SATISFIED, PAID_ONLINE = 0.45, 0.96, 0.85


def _simulate_dossiers(
    year: int,
    agencies: list[LsAgency],
    procedures: pl.DataFrame,
    services: pl.DataFrame,
    offline: pl.DataFrame,
    online_scale: float,
) -> pl.DataFrame:
    """The dossiers Lạng Sơn's agencies received in `year`, settled by 10 January after.

    A dossier is a slot (agency, month, k); everything but its dates is a function of the slot,
    not of the year, so 2024 receives the same mix as 2023. The rates the checks compare are
    stratified rather than drawn, so a small agency's month cannot swing by a point from chance:
    see _settle (late) and _flags (the other flags).
    """
    counts = _lang_son_counts(agencies, year).join(
        _agency_shares(agencies, year, online_scale), on="agency"
    )
    slots = _slots(counts).with_columns(
        key=pl.col("agency") * 100_000_000 + pl.col("month") * 1_000_000 + pl.col("k")
    )
    slots = slots.with_columns(
        online=_rank(S_ONLINE, "agency", "month") < _share_floor(pl.col("sigma"), pl.col("n"))
    )
    slots = _pick_procedures(slots, services, offline)
    slots = slots.join(procedures, on="procedure", how="left")
    slots = _receive(slots, year)
    slots = _settle(slots)
    slots = _flags(slots, year)
    return _dossier_codes(slots, agencies)


def _slots(counts: pl.DataFrame) -> pl.DataFrame:
    """One row per dossier slot k = 0 … n-1 of each (agency, month) row of `counts`, in order."""
    ends = counts["n"].cum_sum()
    index = pl.DataFrame({"i": pl.int_range(0, ends[-1], eager=True, dtype=pl.Int64)})
    cell = pl.lit(ends).search_sorted(pl.col("i"), side="right").cast(pl.Int64)
    rows = counts.with_columns(first=ends - pl.col("n")).with_row_index("cell")
    slots = index.with_columns(cell=cell).join(
        rows.with_columns(pl.col("cell").cast(pl.Int64)), on="cell"
    )
    return slots.with_columns(k=pl.col("i") - pl.col("first")).drop("i", "cell", "first")


def _pick_procedures(
    slots: pl.DataFrame, services: pl.DataFrame, offline: pl.DataFrame
) -> pl.DataFrame:
    """Online dossiers go to used catalogue services, each at least once a year; counter
    dossiers to any procedure of the agency; busier services more often (Zipf weights)."""
    used = services.filter("used").with_row_index("row")
    used_first = used.group_by("agency").agg(
        pl.col("row").min().alias("used_first"), pl.len().alias("used_n")
    )
    online_pick = _weighted_choice(used, "agency")
    counter_pick = _weighted_choice(offline.with_row_index("row"), "agency")
    slots = slots.join(used_first, on="agency", how="left").with_columns(
        j=(pl.col("online").cast(pl.Int64).cum_sum().over("agency") - 1),
        n_online=pl.col("online").cast(pl.Int64).sum().over("agency"),
        u=_draw(S_PICK, 1_000_000).cast(pl.Float64) / 1_000_000,
    )
    i = (pl.col("j") * pl.col("used_n") + pl.col("n_online") - 1) // pl.col("n_online")
    cover = (
        pl.col("online")
        & (i < pl.col("used_n"))
        & ((i * pl.col("n_online")) // pl.col("used_n") == pl.col("j"))
    )
    x = pl.col("agency").cast(pl.Float64) + pl.col("u")
    slots = slots.with_columns(
        row=pl.when(cover)
        .then(pl.col("used_first") + i)
        .otherwise(pl.lit(online_pick).search_sorted(x, side="right").cast(pl.Int64)),
        counter_row=pl.lit(counter_pick).search_sorted(x, side="right").cast(pl.Int64),
    )
    used_rows = used.select("row", "procedure", "service_level")
    counter_rows = offline.with_row_index("counter_row").select(
        pl.col("counter_row").cast(pl.Int64),
        pl.col("procedure").alias("counter_procedure"),
        pl.col("service_level").alias("counter_level"),
    )
    slots = slots.join(used_rows.with_columns(pl.col("row").cast(pl.Int64)), on="row", how="left")
    slots = slots.join(counter_rows, on="counter_row", how="left")
    return slots.with_columns(
        procedure=pl.when("online").then("procedure").otherwise("counter_procedure"),
        service_level=pl.when("online").then("service_level").otherwise("counter_level"),
    ).drop("row", "counter_row", "counter_procedure", "counter_level", "used_first", "u", "j")


def _weighted_choice(choices: pl.DataFrame, group: str) -> pl.Series:
    """Cumulative bounds such that agency a + u (u uniform in [0, 1)) falls in a row of a's
    choices with probability proportional to its weight (one search_sorted for every slot)."""
    running = pl.col("weight").cum_sum().over(group)
    # the upper end of row r's interval; the group's last is exactly group + 1, so
    # search_sorted(x, side="right") (the number of bounds ≤ x) is r
    return choices.select(
        (pl.col(group).cast(pl.Float64) + running / running.max().over(group)).alias("bound")
    )["bound"]


def _calendar_frame(year: int) -> tuple[pl.Series, pl.Series, pl.DataFrame]:
    """All days and working days of the year, flattened, with each month's offsets."""
    every, working, rows = [], [], []
    for month in range(1, 13):
        a, w = _month_days(year, month, working=False), _month_days(year, month, working=True)
        rows.append((month, len(every), len(a), len(working), len(w)))
        every += a
        working += w
    offsets = pl.DataFrame(
        rows, schema=["month", "all_first", "all_n", "work_first", "work_n"], orient="row"
    )
    return pl.Series(every, dtype=pl.Date), pl.Series(working, dtype=pl.Date), offsets


def _receive(slots: pl.DataFrame, year: int) -> pl.DataFrame:
    """Receipt (online any day and hour, mostly 7–22 h; at the counter in office hours), channel,
    processing start (next working day after 16 h) and due date (Ngày hẹn trả, 17:00)."""
    every, working, offsets = _calendar_frame(year)
    slots = slots.join(offsets, on="month")
    u = _draw(S_DAY, 1_000_000)
    day = (
        pl.when("online")
        .then(pl.lit(every).gather(pl.col("all_first") + u * pl.col("all_n") // 1_000_000))
        .otherwise(pl.lit(working).gather(pl.col("work_first") + u * pl.col("work_n") // 1_000_000))
    )
    clock = _draw(S_TIME, 54_000)
    office = (
        pl.when(clock % 27_000 < 14_400)
        .then(27_000 + clock % 27_000)
        .otherwise(34_200 + clock % 27_000)
    )
    seconds = (
        pl.when(pl.col("online") & (_draw(S_CLOCK, 10) < 8))
        .then(25_200 + clock)
        .when("online")
        .then(_draw(S_CLOCK + 100, 86_400))
        .otherwise(office)
    )
    slots = slots.with_columns(day=day).with_columns(
        received_at=pl.col("day").cast(pl.Datetime("us")) + pl.duration(seconds=seconds),
        channel=pl.when("online")
        .then(pl.lit("Trực tuyến"))
        .when(_draw(S_POSTAL, 100) < 4)
        .then(pl.lit("Dịch vụ bưu chính công ích"))
        .otherwise(pl.lit("Trực tiếp")),
    )
    late_in_day = (pl.col("received_at").dt.hour() >= 16).cast(pl.Int32)
    base = _business(pl.col("day") + pl.duration(days=late_in_day), 0)
    cap = pl.lit(_completion_cap(year), dtype=pl.Date)
    slots = slots.with_columns(base=base).with_columns(
        due=pl.min_horizontal(_business(pl.col("base"), pl.col("days")), cap)
    )
    return slots.with_columns(
        days_eff=pl.business_day_count(pl.col("base"), pl.col("due"), holidays=HOLIDAYS),
        due_at=pl.col("due").cast(pl.Datetime("us")) + pl.duration(hours=17),
    ).drop("all_first", "all_n", "work_first", "work_n")


def _settle(slots: pl.DataFrame) -> pl.DataFrame:
    """Status and completion: early or on the due date; then, of each agency's completions in a
    month, exactly the late share (see _bad_count) are moved one or two working days past their
    due date, within the same month, so a late dossier never sits overdue in a month-end stock."""
    status = _draw(S_STATUS, 10_000)
    on_time = (_draw(S_ON_TIME, 100) < 25) | (pl.col("days_eff") == 0)
    taken = (
        pl.when(on_time)
        .then(pl.col("days_eff"))
        .otherwise(_draw(S_TAKEN, 1_000_000) * pl.col("days_eff") // 1_000_000)
    )
    slots = slots.with_columns(
        state=pl.when(status < REFUSED_PER_10K)
        .then(pl.lit("refused"))
        .when(status < REFUSED_PER_10K + WITHDRAWN_PER_10K)
        .then(pl.lit("withdrawn"))
        .otherwise(pl.lit("resolved")),
        done=_business(pl.col("base"), taken),
    )
    slots = slots.with_columns(completed_at=_time_in_day(pl.col("done"), S_CLOCK + 200))
    resolved = pl.col("state") == "resolved"
    cell = ["agency", "done_month"]
    slots = slots.with_columns(
        done_month=_month_index(pl.col("done")),
        late_day=_business(pl.col("due"), 1 + _draw(S_LATE_DAYS, 2)),
    )
    candidate = (
        resolved
        & (pl.col("done") == pl.col("due"))
        & (_month_index(pl.col("late_day")) == pl.col("done_month"))
    )
    n_resolved = resolved.cast(pl.Int64).sum().over(cell)
    quota = _bad_count(pl.col("late"), n_resolved, 2000 + pl.col("done_month") // 12)
    slots = slots.with_columns(candidate=candidate, quota=quota).with_columns(
        late_rank=pl.when("candidate").then(_rank(S_LATE, *cell, "candidate"))
    )
    short = (
        slots.filter(pl.col("candidate"))
        .group_by(cell)
        .agg(pl.len().alias("c"), pl.col("quota").first())
        .filter(pl.col("c") < pl.col("quota"))
    )
    if short.height:
        raise RuntimeError(f"too few on-time dossiers to mark late: {short.head()}")
    is_late = pl.col("candidate") & (pl.col("late_rank") < pl.col("quota"))
    slots = slots.with_columns(
        done=pl.when(is_late).then("late_day").otherwise("done"),
        completed_at=pl.when(is_late)
        .then(_time_in_day(pl.col("late_day"), S_CLOCK + 300))
        .otherwise("completed_at"),
    )
    return slots.with_columns(
        completed_at=pl.when(pl.col("state") == "withdrawn").then(None).otherwise("completed_at"),
        done=pl.when(pl.col("state") == "withdrawn").then(None).otherwise("done"),
    ).drop("candidate", "quota", "late_rank", "late_day", "done_month")


def _time_in_day(day: pl.Expr, stream: int) -> pl.Expr:
    """A moment of `day` between the later of receipt and 07:30, and 17:00."""
    start = pl.max_horizontal(
        pl.col("received_at"), day.cast(pl.Datetime("us")) + pl.duration(minutes=450)
    )
    end = day.cast(pl.Datetime("us")) + pl.duration(hours=17)
    span = (end - start).dt.total_seconds().clip(lower_bound=0)
    return start + pl.duration(seconds=span * _draw(stream, 1000) // 1000)


def _flags(slots: pl.DataFrame, year: int) -> pl.DataFrame:
    """Digitised, electronic result, payment, rating, hand-over and status texts.

    Flags counted by receipt (digitised, paid online) take exactly floor(share × n) of each
    agency-month, and the slots repeat from year to year, so those counts repeat too. Flags
    counted by completion date follow each agency's completions in date order and mark the
    i-th when floor(share × i) steps up, so every month, quarter and year holds its share to
    within one dossier; 2024 shares are three points higher, which absorbs that one dossier.
    """
    resolved = pl.col("state") == "resolved"
    receipt = ["agency", "month"]
    better = 0.03 if year >= 2024 else 0.0
    e_share = pl.col("kind").replace_strict(E_RESULT, return_dtype=pl.Float64) + better
    digitized_share = pl.col("kind").replace_strict(DIGITIZED, return_dtype=pl.Float64)
    slots = slots.with_columns(
        digitized=_rank(S_DIGITIZED, *receipt) < _share_floor(digitized_share, pl.col("n")),
        order=_mix(pl.col("key"), S_E_RESULT),
    )
    slots = slots.sort("agency", "done", "order", nulls_last=True)
    nth = resolved.cast(pl.Int64).cum_sum().over("agency")
    slots = slots.with_columns(
        e_result=resolved & _steps(e_share, nth),
        rated=resolved & _steps(pl.lit(RATED), nth),
    )
    nth_rated = pl.col("rated").cast(pl.Int64).cum_sum().over("agency")
    slots = slots.with_columns(
        satisfied=pl.col("rated") & _steps(pl.lit(SATISFIED + better), nth_rated)
    )
    online_fee = pl.col("online") & pl.col("fee")
    paid_quota = _share_floor(PAID_ONLINE, online_fee.cast(pl.Int64).sum().over(receipt))
    paid_rank = pl.when(online_fee).then(_rank(S_PAID, *receipt, "online", "fee"))
    happy = _draw(S_RATING_TEXT, 100) < 62
    slots = slots.with_columns(
        paid_online=pl.when(~pl.col("fee"))
        .then(pl.lit(""))
        .when(online_fee & (paid_rank < paid_quota))
        .then(pl.lit("Có"))
        .otherwise(pl.lit("Không")),
        satisfaction=pl.when("satisfied")
        .then(pl.when(happy).then(pl.lit("Rất hài lòng")).otherwise(pl.lit("Hài lòng")))
        .when("rated")
        .then(
            pl.when(_draw(S_RATING_TEXT, 3) == 0)
            .then(pl.lit("Không hài lòng"))
            .otherwise(pl.lit("Bình thường"))
        )
        .otherwise(pl.lit("")),
    )
    # hand-over (Ngày trả kết quả): often the same day, else the next working day
    cutoff = datetime(year + 1, 1, 15)
    next_day = _business(pl.col("done"), 1).cast(pl.Datetime("us")) + pl.duration(
        seconds=27_000 + _draw(S_RETURNED, 14_400)
    )
    soon = pl.col("completed_at") + pl.duration(seconds=600 + _draw(S_RETURNED + 100, 5_400))
    returned = (
        pl.when(pl.col("state") == "refused")
        .then("completed_at")
        .when(resolved & (_draw(S_RETURNED + 200, 100) < 55))
        .then(soon)
        .when(resolved & (_draw(S_RETURNED + 200, 100) < 97))
        .then(next_day)
    )
    slots = slots.with_columns(returned_at=returned).with_columns(
        returned_at=pl.when(pl.col("returned_at") < cutoff).then("returned_at")
    )
    status = (
        pl.when(pl.col("state") == "refused")
        .then(pl.lit("Trả lại"))
        .when(pl.col("state") == "withdrawn")
        .then(
            pl.when(_draw(S_WITHDRAWN_TEXT, 2) == 0)
            .then(pl.lit("Rút hồ sơ"))
            .otherwise(pl.lit("Công dân rút hồ sơ"))
        )
        .when(pl.col("returned_at").is_null())
        .then(pl.lit("Đã có kết quả"))
        .otherwise(pl.lit("Đã trả kết quả"))
    )
    return slots.with_columns(status=status)


def _agency_info(agencies: list[LsAgency]) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "agency": [a.index for a in agencies],
            "agency_code": [a.code for a in agencies],
            "agency_name": [a.name for a in agencies],
            "level": [a.level for a in agencies],
        }
    )


def _dossier_codes(slots: pl.DataFrame, agencies: list[LsAgency]) -> pl.DataFrame:
    """Mã hồ sơ: receiving unit, receipt date (yymmdd), the unit's sequence number that day."""
    info = _agency_info(agencies)
    slots = slots.join(info, on="agency").sort("received_at", "key")
    sequence = pl.int_range(1, pl.len() + 1).over("agency", "day")
    return slots.with_columns(
        dossier_code=pl.concat_str(
            "agency_code",
            pl.lit("-"),
            pl.col("day").dt.strftime("%y%m%d"),
            pl.lit("-"),
            sequence.cast(pl.String).str.zfill(4),
        ),
    )


# --- Lạng Sơn's report rows: the aggregates of the same dossiers -----------------------------


def _lang_son_report_rows(
    agencies: list[LsAgency], dossiers: dict[int, pl.DataFrame]
) -> pl.DataFrame:
    """Per agency and month of 2022–2024, counted exactly as the warehouse counts dossiers:
    received by receipt month, resolved by completion month (early / on time / late by calendar
    date), pending = received by the month's last day and not completed by then (refused and
    withdrawn dossiers never pend), in time when due on or after that day."""
    every = pl.concat([d.select(
        "agency", "received_at", "due", "done", "state", "online"
    ) for d in dossiers.values()])  # fmt: skip
    received = every.group_by("agency", month=_month_index(pl.col("received_at"))).agg(
        received_online=pl.col("online").sum(),
        received_offline=(~pl.col("online")).sum(),
    )
    outcome = (
        pl.when(pl.col("done") < pl.col("due"))
        .then(pl.lit("early"))
        .when(pl.col("done") == pl.col("due"))
        .then(pl.lit("on_time"))
        .otherwise(pl.lit("late"))
    )
    resolved = (
        every.filter(pl.col("state") == "resolved")
        .group_by("agency", month=_month_index(pl.col("done")))
        .agg(
            resolved_total=pl.len(),
            resolved_early=(outcome == "early").sum(),
            resolved_on_time=(outcome == "on_time").sum(),
            resolved_late=(outcome == "late").sum(),
        )
    )
    stock = (
        every.filter(pl.col("state") == "resolved")
        .with_columns(start=_month_index(pl.col("received_at")), stop=_month_index(pl.col("done")))
        .filter(pl.col("stop") > pl.col("start"))
        .join(pl.DataFrame({"offset": range(12)}), how="cross")  # a dossier pends < 12 months
        .with_columns(month=pl.col("start") + pl.col("offset"))
        .filter(pl.col("month") < pl.col("stop"))
        .with_columns(month_end=_month_end(pl.col("month")))
        .group_by("agency", "month")
        .agg(
            pending_total=pl.len(),
            pending_in_time=(pl.col("due") >= pl.col("month_end")).sum(),
            pending_overdue=(pl.col("due") < pl.col("month_end")).sum(),
        )
    )
    months = range((YEARS[0] - 2000) * 12, (YEARS[-1] - 2000 + 1) * 12)  # see _month_index
    grid = pl.DataFrame({"agency": [a.index for a in agencies]}).join(
        pl.DataFrame({"month": list(months)}), how="cross"
    )
    rows = grid
    for part in (received, resolved, stock):
        rows = rows.join(part, on=["agency", "month"], how="left")
    rows = (
        rows.fill_null(0).sort("agency", "month").with_columns(pl.exclude("agency").cast(pl.Int64))
    )
    rows = _december_2022_overdue(rows.with_columns(
        year=2000 + pl.col("month") // 12, month=pl.col("month") % 12 + 1
    ))  # fmt: skip
    info = _agency_info(agencies)
    rows = rows.join(info, on="agency").with_columns(
        portal=pl.lit(LANG_SON_PORTAL), sector=pl.lit("locality")
    )
    return _with_totals(rows)


def _month_end(month_index: pl.Expr) -> pl.Expr:
    """The last day of month `month_index` (months since January 2000)."""
    first = pl.date(2000 + month_index // 12, month_index % 12 + 1, 1)
    return first.dt.month_end()


def _december_2022_overdue(rows: pl.DataFrame) -> pl.DataFrame:
    """The stock left at the end of 2022 was mostly overdue (see the module docstring)."""
    december = (pl.col("year") == 2022) & (pl.col("month") == 12)
    overdue = _bad_count(OVERDUE_DECEMBER[2022], pl.col("pending_total"), 2022)
    return rows.with_columns(
        pending_overdue=pl.when(december).then(overdue).otherwise("pending_overdue"),
    ).with_columns(pending_in_time=pl.col("pending_total") - pl.col("pending_overdue"))


def _with_totals(rows: pl.DataFrame) -> pl.DataFrame:
    """Carried over = the previous month's pending stock; the template's totals add up."""
    rows = rows.sort("agency", "year", "month")
    carried = pl.col("pending_total").shift(1).over("agency")
    return rows.with_columns(
        carried_over=pl.coalesce(carried, pl.col("pending_total")).cast(pl.Int64),
    ).with_columns(
        received_total=pl.col("carried_over")
        + pl.col("received_online")
        + pl.col("received_offline"),
        resolved_total=pl.col("resolved_early")
        + pl.col("resolved_on_time")
        + pl.col("resolved_late"),
        pending_total=pl.col("pending_in_time") + pl.col("pending_overdue"),
    )


# =============================================================================================
# The other portals: agencies and their report rows, as a function of a few calibrated knobs


@dataclass(frozen=True)
class PortalInfo:
    code: str
    name: str
    sector: str
    province_code: str | None


def _portal_list() -> list[PortalInfo]:
    """Lạng Sơn first, then the other provinces (T + GSO code), then ministries (B01 …)."""
    portals = [PortalInfo(LANG_SON_PORTAL, "Cổng dịch vụ công tỉnh Lạng Sơn", "locality", "20")]
    for p in PROVINCES:
        if p.gso_code != LANG_SON_GSO:
            name = f"Cổng dịch vụ công {p.styled}"
            portals.append(PortalInfo(_province_portal(p), name, "locality", p.gso_code))
    for m in MINISTRIES:
        portals.append(PortalInfo(m.code, f"Cổng dịch vụ công {m.name}", "ministry", None))
    return portals


def _province_portal(province: Province) -> str:
    return f"T{province.gso_code}"


# (code suffix, name, level, share of the province's volume, rate offset, pending stock as a
# share of a month's resolved, online factor); districts and communes are named from provinces.py
PROVINCE_UNITS = (
    ("18", "Sở Tư pháp {styled}", "Tỉnh", 0.100, +0.02, 0.25, 1.1),
    ("21", "Sở Tài nguyên và Môi trường {styled}", "Tỉnh", 0.220, -0.08, 0.80, 0.6),
    ("23", "Sở Kế hoạch và Đầu tư {styled}", "Tỉnh", 0.080, +0.02, 0.20, 1.4),
    ("25", "Sở Giao thông vận tải {styled}", "Tỉnh", 0.170, +0.02, 0.15, 1.3),
    ("40", "{capital}", "Huyện", 0.250, -0.02, 0.40, 0.9),
    ("41", "{rural}", "Huyện", 0.162, -0.01, 0.40, 0.8),
    ("40.01", "{capital_ward}", "Xã", 0.010, +0.02, 0.05, 1.0),
    ("41.01", "{rural_commune}", "Xã", 0.008, +0.02, 0.05, 0.9),
)
DOSSIERS_PER_PERSON = 0.30  # a year, for the units above (synthetic)
# ministry code → (dossiers resolved in 2022, on-time rate before calibration)
MINISTRY_DESIGN = {
    "B01": (60_000, 0.55), "B02": (900_000, 0.35), "B03": (250_000, 0.85),
    "B04": (40_000, 0.60), "B05": (300_000, 0.40), "B06": (300_000, 0.70),
    "B07": (1_200_000, 0.45), "B08": (600_000, 0.65), "B09": (200_000, 0.50),
    "B10": (500_000, 0.40), "B11": (50_000, 0.45), "B12": (80_000, 0.30),
    "B13": (120_000, 0.75), "B14": (150_000, 0.55), "B15": (40_000, 0.80),
    "B16": (200_000, 0.35), "B17": (150_000, 0.70), "B18": (300_000, 0.30),
    "B19": (100_000, 0.85), "B20": (10_000, 0.90),
}  # fmt: skip
FAST_MINISTRY = 0.60  # ministries at or above this rate grew in 2023 (the mix that lifts them)


def _slow_provinces() -> set[str]:
    """The provinces given slow rates and a year-end surge: drawn by a fixed hash (not any
    real ranking) until they hold SLOW_SHARE of the population outside Lạng Sơn."""
    others = [p for p in PROVINCES if p.gso_code != LANG_SON_GSO]
    total = sum(p.population_m for p in others)
    chosen, held = set(), 0.0
    for p in sorted(others, key=lambda p: _hash("slow", p.gso_code)):
        if held + p.population_m > SLOW_SHARE * total + 0.3:
            continue
        chosen.add(p.gso_code)
        held += p.population_m
        if held >= SLOW_SHARE * total - 0.3:
            break
    return chosen


def _reporting_agencies() -> pl.DataFrame:
    """One row per reporting agency outside Lạng Sơn, with its fixed parameters."""
    slow = _slow_provinces()
    rows = []
    for p in PROVINCES:
        if p.gso_code == LANG_SON_GSO:
            continue
        is_slow = p.gso_code in slow
        u = _unit("rate", p.gso_code)
        low, high = SLOW_RATES if is_slow else STEADY_RATES
        province_rate = low + (high - low) * u
        mean_offset = sum(unit[3] * unit[4] for unit in PROVINCE_UNITS)
        names = {
            "styled": p.styled,
            "capital": _unit_name(p.capital),
            "rural": _unit_name(p.rural),
            "capital_ward": _unit_name(p.capital_ward),
            "rural_commune": _unit_name(p.rural_commune),
        }
        online = 0.5 + _unit("online", p.gso_code)
        for suffix, template, level, share, offset, kappa, online_factor in PROVINCE_UNITS:
            code = f"{_province_portal(p)}.{suffix}"
            rows.append(
                _agency_row(
                    portal=_province_portal(p), sector="locality", code=code,
                    name=template.format(**names), level=level,
                    profile="year_end" if is_slow else "steady", slow=is_slow,
                    volume=p.population_m * 1e6 * DOSSIERS_PER_PERSON * share,
                    rate=province_rate + offset - mean_offset, kappa=kappa,
                    online_2022=0.10 * online * online_factor,
                    online_2023=0.37 * (0.6 + 0.8 * _unit("online23", p.gso_code)) * online_factor,
                )
            )  # fmt: skip
    for m in MINISTRIES:
        volume, rate = MINISTRY_DESIGN[m.code]
        shares = _split(1000, [1 + _unit("unit", m.code, u) for u in m.units])
        online = 0.15 + 0.3 * _unit("online", m.code)
        for k, (unit, share) in enumerate(zip(m.units, shares, strict=True)):
            offset = 0.06 * (_unit("offset", m.code, unit) - 0.5)
            rows.append(
                _agency_row(
                    portal=m.code, sector="ministry", code=f"{m.code}.{k + 1:02d}", name=unit,
                    level="Bộ", profile="ministry", slow=rate >= FAST_MINISTRY,
                    volume=volume * share / 1000, rate=rate + offset, kappa=0.5,
                    online_2022=online, online_2023=online * 1.2 + 0.04,
                )
            )  # fmt: skip
    return pl.DataFrame(rows).with_row_index("agency").with_columns(pl.col("agency").cast(pl.Int64))


def _agency_row(**values: object) -> dict[str, object]:
    """Fill in the parameters that follow from the others and a stable hash of the code."""
    code = str(values["code"])
    rate = min(0.998, max(0.05, float(values["rate"])))  # type: ignore[arg-type]
    return values | {
        "rate": rate,
        "early": 0.55 + 0.3 * _unit("early", code),
        "overdue": 0.03 + 0.25 * (1 - rate),
        "received_ratio": 0.97 + 0.06 * _unit("received", code),
    }


@dataclass(frozen=True)
class Knobs:
    """The few numbers the calibration solves for (see _calibrate)."""

    slow_shift: float = 0.0  # added to the slow provinces' on-time rates
    q4_scale: float = SCALE_2023[3]  # locality volume in Q4 2023 / Q4 2022
    online_2022: float = 1.0  # scale of the localities' 2022 online shares
    online_2023: float = 1.0
    ministry_shift: float = 0.0  # added to every ministry's on-time rate
    ministry_growth: float = 1.2  # 2023 volume / 2022 of the faster ministries

    def as_dict(self) -> dict[str, float]:
        return dict(self.__dict__)


def _month_frame() -> pl.DataFrame:
    """The 36 report months with each profile's share of its year."""
    rows = []
    profiles = {name: _year_weights(name, (1, 1, 1, 1)) for name in QUARTER_PROFILE}
    for year in YEARS:
        for m in range(12):
            for name, weights in profiles.items():
                rows.append((year, m + 1, m // 3 + 1, name, weights[m]))
    return pl.DataFrame(rows, schema=["year", "month", "quarter", "profile", "share"], orient="row")


def _report_plan(agencies: pl.DataFrame, knobs: Knobs) -> pl.DataFrame:
    """Report rows (all eleven counts) of every agency outside Lạng Sơn for 2022–2024.

    Every agency keeps its rates in every month (late and overdue counts rounded as
    _bad_count says). 2023 volumes are 2022's times the quarter factors and the slow
    provinces' growth (ministries: the faster ministries' growth); 2024 repeats 2023.
    """
    col = pl.col
    scale = pl.lit(pl.Series([*SCALE_2023[:3], knobs.q4_scale])).gather(col("quarter") - 1)
    locality = col("sector") == "locality"
    growth = (
        pl.when(locality)
        .then(scale * pl.when("slow").then(GROWTH_SLOW_PROVINCES).otherwise(1.0))
        .otherwise(pl.when("slow").then(knobs.ministry_growth).otherwise(1.0))
    )
    shift = pl.when(locality).then(pl.when("slow").then(knobs.slow_shift).otherwise(0.0))
    rate = (col("rate") + shift.otherwise(knobs.ministry_shift)).clip(0.05, 0.998)
    online_2022 = col("online_2022") * pl.when(locality).then(knobs.online_2022).otherwise(1.0)
    online_2023 = col("online_2023") * pl.when(locality).then(knobs.online_2023).otherwise(1.0)
    online_2022 = online_2022.clip(0.005, 0.9)
    online_2023 = pl.max_horizontal(online_2023.clip(0.02, 0.95), online_2022 + 0.03)
    december = col("month") == 12
    overdue_share = (
        pl.when(december & (col("year") == 2022))
        .then(OVERDUE_DECEMBER[2022])
        .when(december)
        .then(OVERDUE_DECEMBER[2023])
        .otherwise(col("overdue"))
    )
    plan = agencies.join(_month_frame(), on="profile").with_columns(
        resolved_total=(
            col("volume") * col("share") * pl.when(col("year") == 2022).then(1.0).otherwise(growth)
        )
        .round()
        .cast(pl.Int64),
        rate_now=rate,
        sigma=pl.when(col("year") == 2022).then(online_2022).otherwise(online_2023),
    )
    plan = plan.with_columns(
        resolved_late=_bad_count(1 - col("rate_now"), col("resolved_total"), col("year")),
        new=(col("resolved_total") * col("received_ratio")).round().cast(pl.Int64),
        pending_total=(col("resolved_total") * col("kappa")).round().cast(pl.Int64),
    )
    plan = plan.with_columns(
        resolved_early=_share_floor(col("early"), col("resolved_total") - col("resolved_late")),
        received_online=_share_floor(col("sigma"), col("new")),
        pending_overdue=_bad_count(overdue_share, col("pending_total"), col("year")),
    ).with_columns(
        resolved_on_time=col("resolved_total") - col("resolved_late") - col("resolved_early"),
        received_offline=col("new") - col("received_online"),
        pending_in_time=col("pending_total") - col("pending_overdue"),
        agency_code=col("code"),
        agency_name=col("name"),
    )
    return _with_totals(plan)


# --- calibration -----------------------------------------------------------------------------


def _bisect(
    measure: Callable[[float], float], target: float, lo: float, hi: float, *, decimals: int
) -> float:
    """The knob value whose measured rate rounds to `target`, for a monotone measure.

    Measures are sums of whole counts, so they move in tiny steps; the search stops within a
    tenth of the rounding step, which leaves the rounded figure exact.
    """
    f_lo, f_hi = measure(lo), measure(hi)
    rising = f_hi > f_lo
    if not (min(f_lo, f_hi) <= target <= max(f_lo, f_hi)):
        raise ValueError(f"target {target} outside [{f_lo:.4f}, {f_hi:.4f}] on [{lo}, {hi}]")
    tolerance = 0.1 * 10**-decimals
    for _ in range(80):
        mid = (lo + hi) / 2
        value = measure(mid)
        if abs(value - target) <= tolerance:
            return mid
        if (value < target) == rising:
            lo = mid
        else:
            hi = mid
    raise ValueError(f"no knob value gives {target} (last {value:.6f})")


def _sector_rate(rows: pl.DataFrame, sector: str, year: int, metric: str) -> float:
    """A sector's national rate for a year from report rows, pooled as mart.kpi pools it."""
    part = rows.filter((pl.col("sector") == sector) & (pl.col("year") == year))
    if metric == "on_time_rate":
        numerator = part["resolved_early"].sum() + part["resolved_on_time"].sum()
        return 100 * numerator / part["resolved_total"].sum()
    online = part["received_online"].sum()
    return 100 * online / (online + part["received_offline"].sum())


def _calibrate(agencies: pl.DataFrame, lang_son_rows: pl.DataFrame) -> Knobs:
    """Solve the knobs, one at a time, for the published national figures (TARGET_*).

    Each knob moves one figure monotonically, and the order keeps earlier figures fixed: the
    rate shifts set 2022, then the 2023 mix (growth, Q4 scale) sets 2023; online shares last.
    """
    columns = ["sector", "year", *COUNTS]
    fixed = lang_son_rows.select(columns)

    def measure(knobs: Knobs, sector: str, year: int, metric: str) -> float:
        plan = _report_plan(agencies.filter(pl.col("sector") == sector), knobs).select(columns)
        return _sector_rate(pl.concat([plan, fixed]), sector, year, metric)

    knobs = Knobs()
    (m22, m23), (l22, l23) = TARGET_ON_TIME["ministry"], TARGET_ON_TIME["locality"]
    shift = _bisect(
        lambda x: measure(_with(knobs, ministry_shift=x), "ministry", 2022, "on_time_rate"),
        m22, -0.2, 0.3, decimals=2,
    )  # fmt: skip
    knobs = _with(knobs, ministry_shift=shift)
    growth = _bisect(
        lambda x: measure(_with(knobs, ministry_growth=x), "ministry", 2023, "on_time_rate"),
        m23, 1.0, 4.0, decimals=2,
    )  # fmt: skip
    knobs = _with(knobs, ministry_growth=growth)
    shift = _bisect(
        lambda x: measure(_with(knobs, slow_shift=x), "locality", 2022, "on_time_rate"),
        l22, -0.1, 0.1, decimals=2,
    )  # fmt: skip
    knobs = _with(knobs, slow_shift=shift)
    q4 = _bisect(
        lambda x: measure(_with(knobs, q4_scale=x), "locality", 2023, "on_time_rate"),
        l23, 1.0, 3.0, decimals=2,
    )  # fmt: skip
    knobs = _with(knobs, q4_scale=q4)
    online = _bisect(
        lambda x: measure(_with(knobs, online_2022=x), "locality", 2022, "online_rate"),
        TARGET_ONLINE[0], 0.3, 2.0, decimals=1,
    )  # fmt: skip
    knobs = _with(knobs, online_2022=online)
    online = _bisect(
        lambda x: measure(_with(knobs, online_2023=x), "locality", 2023, "online_rate"),
        TARGET_ONLINE[1], 0.3, 2.0, decimals=1,
    )  # fmt: skip
    return _with(knobs, online_2023=online)


def _with(knobs: Knobs, **changes: float) -> Knobs:
    return Knobs(**(knobs.as_dict() | changes))


# =============================================================================================
# Writing the exports: report tables in the contract's shapes, messy as portals are


@dataclass(frozen=True)
class ReportRecord:
    code: str
    name: str
    level: str
    period_from: date
    period_to: date
    counts: dict[str, int]


LEVEL_ORDER = {"Tỉnh": 0, "Huyện": 1, "Xã": 2, "Bộ": 3}
SECTIONS = {
    "Tỉnh": ("I", "Sở, ban, ngành"),
    "Huyện": ("II", "UBND cấp huyện"),
    "Xã": ("III", "UBND cấp xã"),
    "Bộ": ("I", "Đơn vị thuộc bộ"),
}
# formats of the portals' report exports, in turn (Lạng Sơn's is its own Biểu 06 workbook)
REPORT_FORMATS = (
    "csv-vn",
    "json",
    "html-xls",
    "csv-canonical",
    "csv-vn",
    "xlsx-flat",
    "csv-utf16",
    "json-pages",
)


def _report_records(rows: pl.DataFrame) -> list[ReportRecord]:
    """A portal's report rows by period, then level, then agency, as tables list them."""
    ordered = rows.with_columns(
        level_order=pl.col("level").replace_strict(LEVEL_ORDER, return_dtype=pl.Int64)
    ).sort("year", "month", "level_order", "agency")
    records = []
    for row in ordered.iter_rows(named=True):
        first = date(row["year"], row["month"], 1)
        last = date(row["year"], row["month"], calendar.monthrange(row["year"], row["month"])[1])
        counts = {c: int(row[c]) for c in COUNTS}
        records.append(
            ReportRecord(row["agency_code"], row["agency_name"], row["level"], first, last, counts)
        )
    return records


def _write_report(folder: Path, portal: PortalInfo, records: list[ReportRecord]) -> DemoFile:
    """The portal's report export: every agency and month of 2022–2024 in one file."""
    if portal.code == LANG_SON_PORTAL:
        return _report_bieu06_xlsx(folder, portal, records)
    index = [p.code for p in _portal_list()].index(portal.code)
    shape = REPORT_FORMATS[index % len(REPORT_FORMATS)]
    writer = {
        "csv-vn": _report_csv_vn,
        "json": _report_json,
        "html-xls": _report_html,
        "csv-canonical": _report_csv_canonical,
        "xlsx-flat": _report_xlsx_flat,
        "csv-utf16": _report_csv_utf16,
        "json-pages": _report_json_pages,
    }[shape]
    return writer(folder, portal, records)


def _vn_number(value: int) -> str:
    """1234567 → "1.234.567" (Vietnamese thousands separator)."""
    return f"{value:,}".replace(",", ".")


def _dmy(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def _sectioned(
    records: list[ReportRecord],
    data: Callable[[int, ReportRecord], list[str]],
    section: Callable[[str, str], list[str]],
) -> list[list[str]]:
    """Rows grouped by period and level, a section row (Sở, ban, ngành …) before each group."""
    rows: list[list[str]] = []
    current: tuple[date, str] | None = None
    number = 0
    for record in records:
        if current != (record.period_from, record.level):
            current = (record.period_from, record.level)
            rows.append(section(*SECTIONS[record.level]))
            number = 0
        number += 1
        rows.append(data(number, record))
    return rows


def _totals(records: list[ReportRecord]) -> dict[str, int]:
    return {c: sum(r.counts[c] for r in records) for c in COUNTS}


def _csv_text(rows: list[list[str]], *, separator: str, newline: str) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=separator, lineterminator=newline)
    writer.writerows(rows)
    return buffer.getvalue()


JOINED_HEADER = [
    "Số hồ sơ nhận giải quyết - Tổng số",
    "Số hồ sơ nhận giải quyết - Số kỳ trước chuyển qua",
    "Số hồ sơ nhận giải quyết - Trực tuyến",
    "Số hồ sơ nhận giải quyết - Trực tiếp, dịch vụ bưu chính công ích",
    "Số hồ sơ đã giải quyết - Tổng số",
    "Số hồ sơ đã giải quyết - Trả trước hạn",
    "Số hồ sơ đã giải quyết - Trả đúng hạn",
    "Số hồ sơ đã giải quyết - Trả quá hạn",
    "Số hồ sơ đang giải quyết - Tổng số",
    "Số hồ sơ đang giải quyết - Trong hạn",
    "Số hồ sơ đang giải quyết - Quá hạn",
]


def _report_csv_vn(folder: Path, portal: PortalInfo, records: list[ReportRecord]) -> DemoFile:
    """UTF-8 with BOM, `,`, CRLF; joined two-level headers; Vietnamese thousands; dd/mm/yyyy;
    section rows; a totals row (Tổng cộng) over the whole file."""
    width = 5 + len(COUNTS)
    header = ["STT", "Mã đơn vị", "Tên đơn vị", "Từ ngày", "Đến ngày", *JOINED_HEADER]

    def data(number: int, r: ReportRecord) -> list[str]:
        counts = [_vn_number(r.counts[c]) for c in COUNTS]
        return [str(number), r.code, r.name, _dmy(r.period_from), _dmy(r.period_to), *counts]

    def section(numeral: str, label: str) -> list[str]:
        return [numeral, "", label] + [""] * (width - 3)

    totals = _totals(records)
    rows = [header, *_sectioned(records, data, section)]
    rows.append(["", "", "Tổng cộng", "", "", *[_vn_number(totals[c]) for c in COUNTS]])
    name = "bao-cao-tthc.csv"
    text = _csv_text(rows, separator=",", newline="\r\n")
    (folder / name).write_bytes(codecs.BOM_UTF8 + text.encode("utf-8"))
    return DemoFile(name, "report", "csv")


def _report_csv_canonical(
    folder: Path, portal: PortalInfo, records: list[ReportRecord]
) -> DemoFile:
    """`;`, LF, no BOM; the canonical column names and ISO dates (a vendor's API dump)."""
    header = ["agency_code", "agency_name", "period_from", "period_to", *COUNTS]
    rows = [header]
    for r in records:
        rows.append(
            [r.code, r.name, r.period_from.isoformat(), r.period_to.isoformat()]
            + [str(r.counts[c]) for c in COUNTS]
        )
    name = "report.csv"
    (folder / name).write_text(_csv_text(rows, separator=";", newline="\n"), encoding="utf-8")
    return DemoFile(name, "report", "csv")


def _report_csv_utf16(folder: Path, portal: PortalInfo, records: list[ReportRecord]) -> DemoFile:
    """UTF-16 LE with BOM, tab-separated, CRLF (Excel's "Unicode text"); headers joined with
    "/", names in decomposed Unicode (NFD), no agency code."""
    header = [
        "Đơn vị", "Từ ngày", "Đến ngày",
        "Số hồ sơ tiếp nhận/Tổng số", "Số hồ sơ tiếp nhận/Từ kỳ trước",
        "Số hồ sơ tiếp nhận/Trực tuyến",
        "Số hồ sơ tiếp nhận/Trực tiếp, dịch vụ bưu chính công ích",
        "Đã giải quyết/Tổng số", "Đã giải quyết/Trước hạn", "Đã giải quyết/Đúng hạn",
        "Đã giải quyết/Quá hạn", "Đang giải quyết/Tổng số", "Đang giải quyết/Trong hạn",
        "Đang giải quyết/Quá hạn",
    ]  # fmt: skip
    rows = [[unicodedata.normalize("NFD", h) for h in header]]
    for r in records:
        name = unicodedata.normalize("NFD", r.name)
        rows.append(
            [name, _dmy(r.period_from), _dmy(r.period_to)] + [str(r.counts[c]) for c in COUNTS]
        )
    name = "bao_cao_tong_hop.csv"
    text = _csv_text(rows, separator="\t", newline="\r\n")
    (folder / name).write_bytes(codecs.BOM_UTF16_LE + text.encode("utf-16-le"))
    return DemoFile(name, "report", "csv")


def _json_record(r: ReportRecord) -> dict[str, object]:
    return {
        "agency_code": r.code,
        "agency_name": r.name,
        "period_from": r.period_from.isoformat(),
        "period_to": r.period_to.isoformat(),
        **r.counts,
    }


def _report_json(folder: Path, portal: PortalInfo, records: list[ReportRecord]) -> DemoFile:
    """A portal API's answer: a top-level array, canonical keys, ISO dates."""
    name = "bao-cao.json"
    payload = [_json_record(r) for r in records]
    (folder / name).write_text(json.dumps(payload, ensure_ascii=False) + "\n", encoding="utf-8")
    return DemoFile(name, "report", "json")


def _report_json_pages(folder: Path, portal: PortalInfo, records: list[ReportRecord]) -> DemoFile:
    """A paged API: the demo server answers `paged/<name>?page=N` with page N of this array as
    `{"data": [...], "page": N, "total_pages": M}` (warehouse/demo/server.py)."""
    name = "paged/bao-cao.json"
    (folder / "paged").mkdir(exist_ok=True)
    payload = [_json_record(r) for r in records]
    (folder / name).write_text(json.dumps(payload, ensure_ascii=False) + "\n", encoding="utf-8")
    return DemoFile(name, "report", "json-pages")


# --- Biểu 06 with a three-level header (HTML saved as .xls, and Lạng Sơn's workbook) ---------

Cell = tuple[str, int, int]  # text, rowspan, colspan


def _bieu06_header(*, with_code: bool, split_postal: bool) -> list[list[Cell]]:
    """The three header rows of Biểu số 06/VPCP/KSTT, with the period as two columns."""
    received_new = 3 if split_postal else 2
    first: list[Cell] = [("STT", 3, 1)]
    if with_code:
        first.append(("Mã đơn vị", 3, 1))
    first += [
        ("Tên đơn vị", 3, 1),
        ("Từ ngày", 3, 1),
        ("Đến ngày", 3, 1),
        ("Số hồ sơ nhận giải quyết", 1, 2 + received_new),
        ("Số hồ sơ đã giải quyết", 1, 4),
        ("Số hồ sơ đang giải quyết", 1, 3),
    ]
    second: list[Cell] = [
        ("Tổng số", 2, 1),
        ("Số kỳ trước chuyển qua", 2, 1),
        ("Số mới tiếp nhận", 1, received_new),
        ("Tổng số", 2, 1),
        ("Trả trước hạn", 2, 1),
        ("Trả đúng hạn", 2, 1),
        ("Trả quá hạn", 2, 1),
        ("Tổng số", 2, 1),
        ("Trong hạn", 2, 1),
        ("Quá hạn", 2, 1),
    ]
    third: list[Cell] = [("Trực tuyến", 1, 1)]
    if split_postal:
        third += [("Trực tiếp", 1, 1), ("Qua BCCI", 1, 1)]
    else:
        third.append(("Trực tiếp, dịch vụ bưu chính công ích", 1, 1))
    return [first, second, third]


def _bieu06_counts(counts: dict[str, int], *, split_postal: bool, blank_zero: bool) -> list[str]:
    """The counts in the template's column order (offline split into counter and post)."""
    offline = [counts["received_offline"]]
    if split_postal:
        postal = _share_floor_int(0.04, counts["received_offline"])
        offline = [counts["received_offline"] - postal, postal]
    values = [
        counts["received_total"],
        counts["carried_over"],
        counts["received_online"],
        *offline,
        *[counts[c] for c in COUNTS[4:]],
    ]
    return ["" if blank_zero and v == 0 else _vn_number(v) for v in values]


def _share_floor_int(share: float, n: int) -> int:
    return math.floor(share * n + 1e-9)


def _column_numbers(first_count: int, received_parts: int, width: int) -> list[str]:
    """The "(1) (2) … (5)=(6)+(7)+(8) …" row printed under the header: each total names its
    parts (received: carried over and the new ones; resolved: three; pending: two)."""
    numbers = [f"({i})" for i in range(1, width + 1)]
    resolved = first_count + 1 + received_parts
    for total, parts in ((first_count, received_parts), (resolved, 3), (resolved + 4, 2)):
        terms = "+".join(f"({total + 1 + k})" for k in range(1, parts + 1))
        numbers[total] = f"({total + 1})={terms}"
    return numbers


def _issuer(portal: PortalInfo) -> str:
    """The banner's issuing body: "UBND TỈNH BẮC GIANG", "BỘ TƯ PHÁP"."""
    body = portal.name.removeprefix("Cổng dịch vụ công ").upper()
    return f"UBND {body}" if portal.sector == "locality" else body


def _report_html(folder: Path, portal: PortalInfo, records: list[ReportRecord]) -> DemoFile:
    """An HTML table saved as .xls (what many one-stop systems export): banner rows, a merged
    three-level header, a column-number row, section rows, blank zeros, totals, signatures."""
    header = _bieu06_header(with_code=False, split_postal=True)
    width = sum(colspan for _, _, colspan in header[0])
    body: list[str] = []

    def row(cells: Iterable[str]) -> str:
        return "<tr>" + "".join(f"<td>{escape(c)}</td>" for c in cells) + "</tr>"

    def wide(text: str) -> str:
        return f'<tr><td colspan="{width}" align="center"><b>{escape(text)}</b></td></tr>'

    body += [
        wide(_issuer(portal)),
        wide("BÁO CÁO TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH"),
        wide("(Biểu số 06/VPCP/KSTT, số liệu từng tháng)"),
        row(["Đơn vị tính: hồ sơ"] + [""] * (width - 1)),
    ]
    for level in header:
        cells = "".join(
            f'<th rowspan="{rs}" colspan="{cs}">{escape(text)}</th>' for text, rs, cs in level
        )
        body.append(f"<tr>{cells}</tr>")
    body.append(row(_column_numbers(4, 4, width)))

    def data(number: int, r: ReportRecord) -> list[str]:
        counts = _bieu06_counts(r.counts, split_postal=True, blank_zero=True)
        return [str(number), r.name, _dmy(r.period_from), _dmy(r.period_to), *counts]

    def section(numeral: str, label: str) -> list[str]:
        return [numeral, label] + [""] * (width - 2)

    body += [row(cells) for cells in _sectioned(records, data, section)]
    totals = _bieu06_counts(_totals(records), split_postal=True, blank_zero=False)
    body.append(row(["", "Tổng cộng", "", "", *totals]))
    body.append(row(["", "Người lập biểu"]))  # signatures sit outside the count columns
    body.append(row(["", "THỦ TRƯỞNG ĐƠN VỊ"]))
    html = (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">'
        '<title>BaoCaoTTHC</title></head><body>\n<table border="1">\n'
        + "\n".join(body)
        + "\n</table></body></html>\n"
    )
    name = "BaoCaoTTHC.xls"
    (folder / name).write_text(html, encoding="utf-8")
    return DemoFile(name, "report", "html-xls")


def _report_bieu06_xlsx(folder: Path, portal: PortalInfo, records: list[ReportRecord]) -> DemoFile:
    """Lạng Sơn's workbook: Biểu 06 with merged three-level header, unit codes, sections."""
    header = _bieu06_header(with_code=True, split_postal=False)
    width = 5 + len(COUNTS)
    sheet = XlsxSheet("Bieu06")
    sheet.banner(_issuer(portal), width)
    sheet.banner("BÁO CÁO TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH", width)
    sheet.banner("(Biểu số 06/VPCP/KSTT, số liệu từng tháng)", width)
    sheet.row(["Đơn vị tính: hồ sơ"])
    sheet.merged_header(header)
    sheet.row(_column_numbers(5, 3, width))

    def data(number: int, r: ReportRecord) -> list[object]:
        counts: list[object] = [r.counts[c] for c in COUNTS]
        return [number, r.code, r.name, _dmy(r.period_from), _dmy(r.period_to), *counts]

    def section(numeral: str, label: str) -> list[object]:
        return [numeral, "", label]

    for cells in _sectioned(records, data, section):  # type: ignore[arg-type]
        sheet.row(cells)
    totals = _totals(records)
    sheet.row(["", "", "Tổng cộng", "", "", *[totals[c] for c in COUNTS]])
    sheet.row([])
    sheet.row(["", "", "Người lập biểu"])  # signatures sit outside the count columns
    sheet.row(["", "", "THỦ TRƯỞNG ĐƠN VỊ"])
    name = "bao-cao-tthc.xlsx"
    (folder / name).write_bytes(sheet.workbook())
    return DemoFile(name, "report", "xlsx")


def _report_xlsx_flat(folder: Path, portal: PortalInfo, records: list[ReportRecord]) -> DemoFile:
    """A flat workbook: one title line, a one-row header joined with ":", counts partly stored
    as text with thousands separators (as vendors' exports do)."""
    header = ["Mã đơn vị", "Tên đơn vị", "period_from", "period_to"] + [
        h.replace(" - ", ": ") for h in JOINED_HEADER
    ]
    sheet = XlsxSheet("Sheet1")
    sheet.row([f"TỔNG HỢP TÌNH HÌNH GIẢI QUYẾT TTHC - {portal.name.upper()}"])
    sheet.row([])
    sheet.row(header)
    for r in records:
        counts: list[object] = [
            _vn_number(v) if v >= 1000 and i % 2 == 0 else v
            for i, v in enumerate(r.counts[c] for c in COUNTS)
        ]
        sheet.row([r.code, r.name, _dmy(r.period_from), _dmy(r.period_to), *counts])
    name = "bao_cao_tthc.xlsx"
    (folder / name).write_bytes(sheet.workbook())
    return DemoFile(name, "report", "xlsx")


class XlsxSheet:
    """A one-sheet workbook written by hand (inline strings, merged cells, no styles).

    The warehouse reads XLSX with calamine; writing the few XML parts directly keeps the
    generator free of spreadsheet dependencies, and stored (uncompressed) zip entries with a
    fixed timestamp keep the bytes identical from run to run.
    """

    def __init__(self, title: str) -> None:
        self.title = title
        self.rows: list[list[object]] = []
        self.merges: list[str] = []

    def row(self, cells: list[object]) -> None:
        self.rows.append(list(cells))

    def banner(self, text: str, width: int) -> None:
        self.merges.append(f"A{len(self.rows) + 1}:{_column(width - 1)}{len(self.rows) + 1}")
        self.row([text])

    def merged_header(self, levels: list[list[Cell]]) -> None:
        """Header rows from (text, rowspan, colspan) cells, laid out as HTML lays them out."""
        top = len(self.rows)
        grid: dict[tuple[int, int], str] = {}
        taken: set[tuple[int, int]] = set()
        for r, level in enumerate(levels):
            c = 0
            for text, rowspan, colspan in level:
                while (r, c) in taken:
                    c += 1
                grid[(r, c)] = text
                for dr in range(rowspan):
                    for dc in range(colspan):
                        taken.add((r + dr, c + dc))
                if rowspan > 1 or colspan > 1:
                    first = f"{_column(c)}{top + r + 1}"
                    last = f"{_column(c + colspan - 1)}{top + r + rowspan}"
                    self.merges.append(f"{first}:{last}")
                c += colspan
        width = max(c for _, c in taken) + 1
        for r in range(len(levels)):
            self.row([grid.get((r, c), "") for c in range(width)])

    def workbook(self) -> bytes:
        return _xlsx_bytes(self.title, self.rows, self.merges)


def _column(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    name = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        name = chr(65 + remainder) + name
    return name


def _xlsx_bytes(title: str, rows: list[list[object]], merges: list[str]) -> bytes:
    cells_xml = []
    for r, cells in enumerate(rows, start=1):
        out = []
        for c, value in enumerate(cells):
            ref = f"{_column(c)}{r}"
            if value is None or value == "":
                continue
            if isinstance(value, int | float):
                out.append(f'<c r="{ref}"><v>{value}</v></c>')
            else:
                text = escape(str(value))
                out.append(
                    f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'
                )
        cells_xml.append(f'<row r="{r}">{"".join(out)}</row>')
    merge_xml = ""
    if merges:
        merge_xml = (
            f'<mergeCells count="{len(merges)}">'
            + "".join(f'<mergeCell ref="{m}"/>' for m in merges)
            + "</mergeCells>"
        )
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    package = "http://schemas.openxmlformats.org/package/2006/relationships"
    office = "application/vnd.openxmlformats"
    declaration = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    parts = {
        "[Content_Types].xml": (
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            f'<Default Extension="rels" ContentType="{office}-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" '
            f'ContentType="{office}-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" '
            f'ContentType="{office}-officedocument.spreadsheetml.worksheet+xml"/>'
            "</Types>"
        ),
        "_rels/.rels": (
            f'<Relationships xmlns="{package}"><Relationship Id="rId1" '
            f'Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            f'<workbook xmlns="{main}" xmlns:r="{rel}"><sheets>'
            f'<sheet name="{escape(title)}" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            f'<Relationships xmlns="{package}"><Relationship Id="rId1" '
            f'Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
        ),
        "xl/worksheets/sheet1.xml": (
            f'<worksheet xmlns="{main}"><sheetData>{"".join(cells_xml)}</sheetData>'
            f"{merge_xml}</worksheet>"
        ),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for name, xml in parts.items():
            info = zipfile.ZipInfo(name, date_time=(2025, 1, 15, 0, 0, 0))
            archive.writestr(info, (declaration + xml).encode("utf-8"))
    return buffer.getvalue()


# --- Lạng Sơn's dossier lists and catalogue --------------------------------------------------

DOSSIER_HEADERS = {  # canonical column → header text, one vendor release per year
    2023: {
        "dossier_code": "Mã hồ sơ", "procedure_code": "Mã TTHC", "procedure_name": "Tên TTHC",
        "field_name": "Lĩnh vực", "agency_code": "Mã cơ quan",
        "agency_name": "Cơ quan giải quyết", "level": "Cấp thực hiện",
        "channel": "Hình thức nộp", "service_level": "Mức độ DVC",
        "received_at": "Ngày tiếp nhận", "due_at": "Ngày hẹn trả",
        "completed_at": "Ngày có kết quả", "returned_at": "Ngày trả kết quả",
        "status": "Trạng thái", "digitized": "Số hóa hồ sơ", "e_result": "Kết quả điện tử",
        "paid_online": "Thanh toán trực tuyến", "satisfaction": "Mức độ hài lòng",
    },
    2024: {
        "dossier_code": "Số hồ sơ", "procedure_code": "Mã thủ tục",
        "procedure_name": "Tên thủ tục", "field_name": "Lĩnh vực", "agency_code": "Mã đơn vị",
        "agency_name": "Cơ quan tiếp nhận", "level": "Cấp", "channel": "Kênh tiếp nhận",
        "service_level": "Mức độ", "received_at": "Ngày nhận", "due_at": "Hạn xử lý",
        "completed_at": "Ngày hoàn thành", "returned_at": "Ngày trả", "status": "Tình trạng",
        "digitized": "Đã số hóa", "e_result": "Cấp kết quả điện tử",
        "paid_online": "Thanh toán trực tuyến", "satisfaction": "Đánh giá",
    },
}  # fmt: skip


def _write_lang_son(folder: Path, lang_son: LangSon) -> list[DemoFile]:
    files = [_dossier_csv(folder, lang_son.dossiers[year], year) for year in DOSSIER_YEARS]
    files.append(_catalogue_xlsx(folder, lang_son))
    return files


def _dossier_csv(folder: Path, dossiers: pl.DataFrame, year: int) -> DemoFile:
    """One year's dossier list: 2023 as UTF-8 with BOM, `,`, dd/mm/yyyy HH:MM:SS and Có/Không;
    2024 (a later vendor release) with `;`, ISO date-times, 1/0 and other header synonyms."""
    yes, no = ("Có", "Không") if year == 2023 else ("1", "0")
    timestamp = "%d/%m/%Y %H:%M:%S" if year == 2023 else "%Y-%m-%dT%H:%M:%S"
    flag = lambda c: pl.when(pl.col(c)).then(pl.lit(yes)).otherwise(pl.lit(no))  # noqa: E731
    frame = dossiers.sort("received_at", "key").select(
        "dossier_code", "procedure_code", "procedure_name", "field_name", "agency_code",
        "agency_name", "level", "channel", pl.col("service_level").fill_null(""),
        *[pl.col(c).dt.strftime(timestamp).fill_null("") for c in ("received_at", "due_at")],
        *[pl.col(c).dt.strftime(timestamp).fill_null("") for c in ("completed_at", "returned_at")],
        "status",
        flag("digitized").alias("digitized"),
        flag("e_result").fill_null(False).alias("e_result"),
        pl.col("paid_online").replace({"Có": yes, "Không": no}),
        "satisfaction",
    ).with_columns(
        pl.when(pl.col(pl.String) != "").then(pl.col(pl.String))  # empty cells, not ""
    ).rename(DOSSIER_HEADERS[year])  # fmt: skip
    name = f"ho-so-{year}.csv"
    with (folder / name).open("wb") as out:
        frame.write_csv(
            out,
            separator="," if year == 2023 else ";",
            include_bom=year == 2023,
            line_terminator="\r\n" if year == 2023 else "\n",
        )
    return DemoFile(name, "dossiers", "csv")


def _catalogue_xlsx(folder: Path, lang_son: LangSon) -> DemoFile:
    """The online-service catalogue (danh mục DVC trực tuyến) as published with its decision."""
    agencies = {a.index: a for a in lang_son.agencies}
    services = lang_son.services.join(lang_son.procedures, on="procedure")
    sheet = XlsxSheet("DanhMuc")
    width = 9
    sheet.banner("DANH MỤC DỊCH VỤ CÔNG TRỰC TUYẾN TOÀN TRÌNH, MỘT PHẦN", width)
    sheet.banner(
        "(Kèm theo Quyết định số 2468/QĐ-UBND ngày 20/12/2022 của Chủ tịch UBND tỉnh Lạng Sơn)",
        width,
    )
    sheet.row([])
    sheet.row(["STT", "Mã TTHC", "Tên TTHC", "Lĩnh vực", "Mã cơ quan", "Cơ quan thực hiện",
               "Cấp thực hiện", "Mức độ DVC", "Ngày áp dụng"])  # fmt: skip
    for number, row in enumerate(services.iter_rows(named=True), start=1):
        agency = agencies[row["agency"]]
        sheet.row(
            [number, row["procedure_code"], row["procedure_name"], row["field_name"], agency.code,
             agency.name, agency.level, row["service_level"], _dmy(CATALOGUE_VALID_FROM)]
        )  # fmt: skip
    name = "danh-muc-dvc.xlsx"
    (folder / name).write_bytes(sheet.workbook())
    return DemoFile(name, "catalogue", "xlsx")


# =============================================================================================
# Configuration entries for the demo portals


def _config_toml(manifest: DemoManifest, skip: set[str]) -> str:
    """`[[portals]]` (except those in `skip`, already configured) and `[[sources]]` entries."""
    lines = [
        "# The demo portals and their exports, written by warehouse/demo/generate.py",
        "# (generate_demo; regenerate with DemoManifest.config_toml()). Served by",
        "# `cchc portal-demo` under ${CCHC_DEMO_URL}/<portal>/<file>. Portal codes other than",
        "# H37 (Lạng Sơn's real DVCQG code) are synthetic: T + GSO code, B01… for ministries.",
        "",
    ]
    for portal in manifest.portals:
        if portal.code in skip:
            continue
        lines += ["[[portals]]", f'code = "{portal.code}"', f'name = "{portal.name}"']
        lines.append(f'sector = "{portal.sector}"')
        if portal.province_code:
            lines.append(f'province_code = "{portal.province_code}"')
        lines.append("")
    for portal in manifest.portals:
        for file in portal.files:
            stem = file.name.rsplit(".", 1)[0].replace("/", "-")
            lines += [
                "[[sources]]",
                f'portal = "{portal.code}"',
                f'name = "{portal.code}-{stem}"',
                f'kind = "{file.kind}"',
                f'url = "${{CCHC_DEMO_URL}}/{portal.code}/{file.name}"',
            ]
            if file.format == "json-pages":
                lines.append('page_param = "page"')
            lines.append("")
    return "\n".join(lines)
