# ruff: noqa: E501  (reference data: one province or unit per line)
"""Reference lists of the demo data: the 63 provinces of 2022–2024, Lạng Sơn's agencies, 20 ministries.

The demo's story is told with the units of 2022–2024, before the 2025 merger of provinces and
the end of the district level: province names and statistics-office (GSO) codes are the real
ones of the time (Thừa Thiên Huế was still a province), and district, ward and commune names
come from the legacy (63-province) table of `vietnamadminunits`, copied here so that the demo's
bytes never change when that package's data does (a test checks the codes and names against
it). Today's provinces come from warehouse/admin_units.py (today.py); the communes of today that
take over Lạng Sơn's districts' work from 1 July 2025 are copied here too, from the same
package's table of today's units (a test checks them as well). Population (millions, about
2022) only weights the synthetic volumes. Ministry and unit names are real names of the
2021–2026 Government before its 2025 restructuring; every number attached to any of them is
synthetic (see generate.py).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Province:
    """A province of 2022–2024 and the four local units the demo reports for it."""

    gso_code: str
    name: str  # "Tỉnh Bắc Giang", "Thành phố Hà Nội"
    population_m: float
    capital: str  # district-level unit of the provincial capital: "Thành phố Bắc Giang"
    capital_ward: str  # its first ward
    rural: str  # the first rural district: "Huyện Yên Thế"
    rural_commune: str  # its first commune

    @property
    def short_name(self) -> str:
        """The name without its "Tỉnh" / "Thành phố" prefix."""
        return self.name.removeprefix("Tỉnh ").removeprefix("Thành phố ")

    @property
    def styled(self) -> str:
        """How agency names end: "tỉnh Bắc Giang", "thành phố Hà Nội"."""
        prefix = "thành phố" if self.name.startswith("Thành phố") else "tỉnh"
        return f"{prefix} {self.short_name}"


# fmt: off
PROVINCES: tuple[Province, ...] = (
    Province("01", "Thành phố Hà Nội", 8.44, "Quận Ba Đình", "Phường Phúc Xá", "Huyện Sóc Sơn", "Xã Bắc Sơn"),
    Province("02", "Tỉnh Hà Giang", 0.90, "Thành phố Hà Giang", "Phường Quang Trung", "Huyện Đồng Văn", "Xã Lũng Cú"),
    Province("04", "Tỉnh Cao Bằng", 0.54, "Thành phố Cao Bằng", "Phường Sông Hiến", "Huyện Bảo Lâm", "Xã Đức Hạnh"),
    Province("06", "Tỉnh Bắc Kạn", 0.32, "Thành phố Bắc Kạn", "Phường Nguyễn Thị Minh Khai", "Huyện Pác Nặm", "Xã Bằng Thành"),
    Province("08", "Tỉnh Tuyên Quang", 0.80, "Thành phố Tuyên Quang", "Phường Phan Thiết", "Huyện Lâm Bình", "Xã Phúc Yên"),
    Province("10", "Tỉnh Lào Cai", 0.77, "Thành phố Lào Cai", "Phường Duyên Hải", "Huyện Bát Xát", "Xã A Mú Sung"),
    Province("11", "Tỉnh Điện Biên", 0.63, "Thành phố Điện Biên Phủ", "Phường Noong Bua", "Huyện Mường Nhé", "Xã Sín Thầu"),
    Province("12", "Tỉnh Lai Châu", 0.48, "Thành phố Lai Châu", "Phường Quyết Thắng", "Huyện Tam Đường", "Xã Thèn Sin"),
    Province("14", "Tỉnh Sơn La", 1.29, "Thành phố Sơn La", "Phường Chiềng Lề", "Huyện Quỳnh Nhai", "Xã Mường Chiên"),
    Province("15", "Tỉnh Yên Bái", 0.84, "Thành phố Yên Bái", "Phường Yên Thịnh", "Huyện Lục Yên", "Xã Tân Phượng"),
    Province("17", "Tỉnh Hòa Bình", 0.88, "Thành phố Hòa Bình", "Phường Thái Bình", "Huyện Đà Bắc", "Xã Nánh Nghê"),
    Province("19", "Tỉnh Thái Nguyên", 1.33, "Thành phố Thái Nguyên", "Phường Quan Triều", "Huyện Định Hóa", "Xã Linh Thông"),
    Province("20", "Tỉnh Lạng Sơn", 0.80, "Thành phố Lạng Sơn", "Phường Hoàng Văn Thụ", "Huyện Tràng Định", "Xã Khánh Long"),
    Province("22", "Tỉnh Quảng Ninh", 1.38, "Thành phố Hạ Long", "Phường Hà Khánh", "Huyện Bình Liêu", "Xã Hoành Mô"),
    Province("24", "Tỉnh Bắc Giang", 1.90, "Thành phố Bắc Giang", "Phường Thọ Xương", "Huyện Yên Thế", "Xã Đồng Tiến"),
    Province("25", "Tỉnh Phú Thọ", 1.50, "Thành phố Việt Trì", "Phường Dữu Lâu", "Huyện Đoan Hùng", "Xã Hùng Xuyên"),
    Province("26", "Tỉnh Vĩnh Phúc", 1.20, "Thành phố Vĩnh Yên", "Phường Tích Sơn", "Huyện Lập Thạch", "Xã Quang Sơn"),
    Province("27", "Tỉnh Bắc Ninh", 1.49, "Thành phố Bắc Ninh", "Phường Vũ Ninh", "Huyện Yên Phong", "Xã Dũng Liệt"),
    Province("30", "Tỉnh Hải Dương", 1.94, "Thành phố Hải Dương", "Phường Cẩm Thượng", "Huyện Nam Sách", "Xã Nam Hưng"),
    Province("31", "Thành phố Hải Phòng", 2.09, "Quận Hồng Bàng", "Phường Quán Toan", "Huyện An Lão", "Xã Bát Trang"),
    Province("33", "Tỉnh Hưng Yên", 1.29, "Thành phố Hưng Yên", "Phường Lam Sơn", "Huyện Văn Lâm", "Xã Lạc Đạo"),
    Province("34", "Tỉnh Thái Bình", 1.88, "Thành phố Thái Bình", "Phường Lê Hồng Phong", "Huyện Quỳnh Phụ", "Xã An Khê"),
    Province("35", "Tỉnh Hà Nam", 0.88, "Thành phố Phủ Lý", "Phường Quang Trung", "Huyện Thanh Liêm", "Xã Liêm Phong"),
    Province("36", "Tỉnh Nam Định", 1.88, "Thành phố Nam Định", "Phường Vị Xuyên", "Huyện Vụ Bản", "Xã Hiển Khánh"),
    Province("37", "Tỉnh Ninh Bình", 1.01, "Thành phố Tam Điệp", "Phường Bắc Sơn", "Huyện Nho Quan", "Xã Xích Thổ"),
    Province("38", "Tỉnh Thanh Hóa", 3.72, "Thành phố Thanh Hóa", "Phường Hàm Rồng", "Huyện Mường Lát", "Xã Tam Chung"),
    Province("40", "Tỉnh Nghệ An", 3.42, "Thành phố Vinh", "Phường Đông Vĩnh", "Huyện Quế Phong", "Xã Thông Thụ"),
    Province("42", "Tỉnh Hà Tĩnh", 1.32, "Thành phố Hà Tĩnh", "Phường Nam Hà", "Huyện Hương Sơn", "Xã Sơn Hồng"),
    Province("44", "Tỉnh Quảng Bình", 0.91, "Thành phố Đồng Hới", "Phường Hải Thành", "Huyện Minh Hóa", "Xã Dân Hóa"),
    Province("45", "Tỉnh Quảng Trị", 0.65, "Thành phố Đông Hà", "Phường Đông Giang", "Huyện Vĩnh Linh", "Xã Vĩnh Thái"),
    Province("46", "Tỉnh Thừa Thiên Huế", 1.16, "Thị xã Hương Thủy", "Phường Phú Bài", "Huyện Quảng Điền", "Xã Quảng Thái"),
    Province("48", "Thành phố Đà Nẵng", 1.22, "Quận Liên Chiểu", "Phường Hòa Hiệp Bắc", "Huyện Hòa Vang", "Xã Hòa Bắc"),
    Province("49", "Tỉnh Quảng Nam", 1.52, "Thành phố Tam Kỳ", "Phường Tân Thạnh", "Huyện Tây Giang", "Xã Ch'ơm"),
    Province("51", "Tỉnh Quảng Ngãi", 1.25, "Thành phố Quảng Ngãi", "Phường Lê Hồng Phong", "Huyện Bình Sơn", "Xã Bình Thuận"),
    Province("52", "Tỉnh Bình Định", 1.50, "Thành phố Quy Nhơn", "Phường Nhơn Bình", "Huyện An Lão", "Xã An Hưng"),
    Province("54", "Tỉnh Phú Yên", 0.88, "Thành phố Tuy Hòa", "Phường 1", "Huyện Đồng Xuân", "Xã Đa Lộc"),
    Province("56", "Tỉnh Khánh Hòa", 1.25, "Thành phố Nha Trang", "Phường Vĩnh Hòa", "Huyện Cam Lâm", "Xã Cam Tân"),
    Province("58", "Tỉnh Ninh Thuận", 0.60, "Thành phố Phan Rang - Tháp Chàm", "Phường Đô Vinh", "Huyện Bác Ái", "Xã Phước Bình"),
    Province("60", "Tỉnh Bình Thuận", 1.25, "Thành phố Phan Thiết", "Phường Mũi Né", "Huyện Tuy Phong", "Xã Phan Dũng"),
    Province("62", "Tỉnh Kon Tum", 0.58, "Thành phố Kon Tum", "Phường Quang Trung", "Huyện Đắk Glei", "Xã Đăk Blô"),
    Province("64", "Tỉnh Gia Lai", 1.59, "Thành phố Pleiku", "Phường Yên Đỗ", "Huyện KBang", "Xã Kon Pne"),
    Province("66", "Tỉnh Đắk Lắk", 1.91, "Thành phố Buôn Ma Thuột", "Phường Tân Lập", "Huyện Ea H'leo", "Xã Ea H'leo"),
    Province("67", "Tỉnh Đắk Nông", 0.67, "Thành phố Gia Nghĩa", "Phường Nghĩa Đức", "Huyện Đăk Glong", "Xã Quảng Sơn"),
    Province("68", "Tỉnh Lâm Đồng", 1.33, "Thành phố Đà Lạt", "Phường 7", "Huyện Đam Rông", "Xã Đạ Tông"),
    Province("70", "Tỉnh Bình Phước", 1.03, "Thị xã Phước Long", "Phường Thác Mơ", "Huyện Bù Gia Mập", "Xã Bù Gia Mập"),
    Province("72", "Tỉnh Tây Ninh", 1.19, "Thành phố Tây Ninh", "Phường 1", "Huyện Tân Biên", "Xã Tân Lập"),
    Province("74", "Tỉnh Bình Dương", 2.76, "Thành phố Thủ Dầu Một", "Phường Hiệp Thành", "Huyện Bàu Bàng", "Xã Trừ Văn Thố"),
    Province("75", "Tỉnh Đồng Nai", 3.26, "Thành phố Biên Hòa", "Phường Trảng Dài", "Huyện Tân Phú", "Xã Đắc Lua"),
    Province("77", "Tỉnh Bà Rịa - Vũng Tàu", 1.18, "Thành phố Vũng Tàu", "Phường 1", "Huyện Châu Đức", "Xã Bàu Chinh"),
    Province("79", "Thành phố Hồ Chí Minh", 9.39, "Quận 1", "Phường Tân Định", "Huyện Củ Chi", "Xã Phú Mỹ Hưng"),
    Province("80", "Tỉnh Long An", 1.73, "Thành phố Tân An", "Phường 5", "Huyện Tân Hưng", "Xã Hưng Hà"),
    Province("82", "Tỉnh Tiền Giang", 1.79, "Thành phố Mỹ Tho", "Phường 5", "Huyện Tân Phước", "Xã Tân Hòa Đông"),
    Province("83", "Tỉnh Bến Tre", 1.30, "Thành phố Bến Tre", "Phường Phú Khương", "Huyện Châu Thành", "Xã Tân Thạch"),
    Province("84", "Tỉnh Trà Vinh", 1.02, "Thành phố Trà Vinh", "Phường 4", "Huyện Càng Long", "Xã Mỹ Cẩm"),
    Province("86", "Tỉnh Vĩnh Long", 1.03, "Thành phố Vĩnh Long", "Phường 9", "Huyện Long Hồ", "Xã Đồng Phú"),
    Province("87", "Tỉnh Đồng Tháp", 1.60, "Thành phố Cao Lãnh", "Phường 1", "Huyện Tân Hồng", "Xã Tân Hộ Cơ"),
    Province("89", "Tỉnh An Giang", 1.91, "Thành phố Long Xuyên", "Phường Mỹ Bình", "Huyện An Phú", "Xã Khánh An"),
    Province("91", "Tỉnh Kiên Giang", 1.75, "Thành phố Rạch Giá", "Phường Vĩnh Thanh", "Huyện Kiên Lương", "Xã Kiên Bình"),
    Province("92", "Thành phố Cần Thơ", 1.25, "Quận Ninh Kiều", "Phường Cái Khế", "Huyện Vĩnh Thạnh", "Xã Vĩnh Bình"),
    Province("93", "Tỉnh Hậu Giang", 0.73, "Thành phố Vị Thanh", "Phường I", "Huyện Châu Thành A", "Xã Tân Hòa"),
    Province("94", "Tỉnh Sóc Trăng", 1.20, "Thành phố Sóc Trăng", "Phường 5", "Huyện Châu Thành", "Xã Hồ Đắc Kiện"),
    Province("95", "Tỉnh Bạc Liêu", 0.92, "Thành phố Bạc Liêu", "Phường 2", "Huyện Hồng Dân", "Xã Ninh Quới"),
    Province("96", "Tỉnh Cà Mau", 1.20, "Thành phố Cà Mau", "Phường 9", "Huyện U Minh", "Xã Khánh Hòa"),

)
# fmt: on

LANG_SON_GSO = "20"
LANG_SON_PORTAL = "H37"  # its unit code on the National Public Service Portal (DVCQG)


@dataclass(frozen=True)
class Department:
    """A provincial department (Sở, ban, ngành) of Lạng Sơn and what it handles online."""

    code: str
    name: str
    fields: tuple[str, ...]
    services: int  # online services (procedures) in the 2023 catalogue
    volume: int  # dossiers received in 2023


# fmt: off
LANG_SON_DEPARTMENTS: tuple[Department, ...] = (
    Department("H37.11", "Sở Nội vụ tỉnh Lạng Sơn", ("Công chức, viên chức", "Thi đua, khen thưởng", "Tôn giáo", "Văn thư và lưu trữ"), 38, 900),
    Department("H37.12", "Sở Ngoại vụ tỉnh Lạng Sơn", ("Lãnh sự",), 6, 260),
    Department("H37.13", "Sở Tài chính tỉnh Lạng Sơn", ("Quản lý công sản", "Quản lý giá", "Tin học và thống kê tài chính"), 18, 700),
    Department("H37.14", "Sở Giáo dục và Đào tạo tỉnh Lạng Sơn", ("Giáo dục và Đào tạo", "Văn bằng, chứng chỉ", "Thi, tuyển sinh"), 55, 1_500),
    Department("H37.15", "Sở Văn hóa, Thể thao và Du lịch tỉnh Lạng Sơn", ("Văn hóa", "Thể dục thể thao", "Du lịch", "Di sản văn hóa"), 70, 800),
    Department("H37.16", "Sở Khoa học và Công nghệ tỉnh Lạng Sơn", ("Hoạt động khoa học và công nghệ", "Tiêu chuẩn, đo lường, chất lượng", "An toàn bức xạ và hạt nhân"), 40, 420),
    Department("H37.17", "Sở Thông tin và Truyền thông tỉnh Lạng Sơn", ("Báo chí", "Xuất bản, in và phát hành", "Bưu chính"), 28, 380),
    Department("H37.18", "Sở Tư pháp tỉnh Lạng Sơn", ("Lý lịch tư pháp", "Quốc tịch", "Công chứng", "Luật sư", "Hộ tịch"), 85, 6_500),
    Department("H37.19", "Sở Lao động - Thương binh và Xã hội tỉnh Lạng Sơn", ("Việc làm", "Người có công", "Bảo trợ xã hội", "Giáo dục nghề nghiệp"), 52, 2_400),
    Department("H37.20", "Sở Nông nghiệp và Phát triển nông thôn tỉnh Lạng Sơn", ("Thú y", "Trồng trọt", "Lâm nghiệp", "Thủy lợi"), 68, 1_300),
    Department("H37.21", "Sở Tài nguyên và Môi trường tỉnh Lạng Sơn", ("Đất đai", "Môi trường", "Tài nguyên nước", "Khoáng sản"), 62, 5_200),
    Department("H37.22", "Ban Quản lý Khu kinh tế cửa khẩu Đồng Đăng - Lạng Sơn", ("Đầu tư tại Việt Nam", "Lao động", "Xuất nhập khẩu"), 24, 1_900),
    Department("H37.23", "Sở Kế hoạch và Đầu tư tỉnh Lạng Sơn", ("Thành lập và hoạt động của doanh nghiệp", "Đầu tư tại Việt Nam", "Thành lập và hoạt động của hợp tác xã"), 65, 4_300),
    Department("H37.24", "Thanh tra tỉnh Lạng Sơn", ("Giải quyết khiếu nại", "Tiếp công dân"), 4, 150),
    Department("H37.25", "Sở Giao thông vận tải tỉnh Lạng Sơn", ("Đường bộ", "Đường thủy nội địa"), 48, 12_000),
    Department("H37.26", "Sở Xây dựng tỉnh Lạng Sơn", ("Hoạt động xây dựng", "Nhà ở", "Quy hoạch xây dựng"), 30, 950),
    Department("H37.27", "Sở Công Thương tỉnh Lạng Sơn", ("Lưu thông hàng hóa trong nước", "Điện", "Xúc tiến thương mại", "An toàn thực phẩm"), 40, 2_100),
    Department("H37.28", "Sở Y tế tỉnh Lạng Sơn", ("Khám bệnh, chữa bệnh", "Dược phẩm", "An toàn thực phẩm", "Y tế dự phòng"), 55, 3_300),
)
# fmt: on


@dataclass(frozen=True)
class District:
    """A district of Lạng Sơn (UBND cấp huyện), two of its communes (UBND cấp xã), and the
    commune of today that takes over the district's work from 1 July 2025."""

    code: str
    name: str  # "Huyện Cao Lộc"
    successor: str  # "Xã Cao Lộc": a commune (xã, phường) of today's Lạng Sơn
    volume: int  # dossiers received in 2023 by the district
    communes: tuple[tuple[str, str, int], ...]  # (code, name, dossiers received in 2023)


# fmt: off
LANG_SON_DISTRICTS: tuple[District, ...] = (
    District("H37.40", "Thành phố Lạng Sơn", "Phường Lương Văn Tri", 5_200, (("H37.40.01", "Phường Hoàng Văn Thụ", 1_500), ("H37.40.05", "Xã Mai Pha", 900))),
    District("H37.42", "Huyện Tràng Định", "Xã Tràng Định", 2_700, (("H37.42.01", "Thị trấn Thất Khê", 1_000), ("H37.42.02", "Xã Đoàn Kết", 650))),
    District("H37.43", "Huyện Bình Gia", "Xã Bình Gia", 2_300, (("H37.43.01", "Xã Hưng Đạo", 700), ("H37.43.02", "Xã Vĩnh Yên", 620))),
    District("H37.44", "Huyện Văn Lãng", "Xã Văn Lãng", 2_400, (("H37.44.01", "Thị trấn Na Sầm", 950), ("H37.44.02", "Xã Trùng Khánh", 640))),
    District("H37.39", "Huyện Cao Lộc", "Xã Cao Lộc", 3_300, (("H37.39.01", "Thị trấn Đồng Đăng", 1_200), ("H37.39.12", "Xã Hợp Thành", 800))),
    District("H37.45", "Huyện Văn Quan", "Xã Yên Phúc", 2_300, (("H37.45.01", "Thị trấn Văn Quan", 900), ("H37.45.02", "Xã Trấn Ninh", 610))),
    District("H37.46", "Huyện Bắc Sơn", "Xã Vũ Lăng", 2_500, (("H37.46.01", "Thị trấn Bắc Sơn", 950), ("H37.46.02", "Xã Long Đống", 660))),
    District("H37.41", "Huyện Hữu Lũng", "Xã Yên Bình", 3_600, (("H37.41.01", "Thị trấn Hữu Lũng", 1_100), ("H37.41.02", "Xã Hữu Liên", 700))),
    District("H37.47", "Huyện Chi Lăng", "Xã Bằng Mạc", 2_900, (("H37.47.01", "Thị trấn Đồng Mỏ", 1_000), ("H37.47.02", "Xã Vân An", 640))),
    District("H37.48", "Huyện Lộc Bình", "Xã Lộc Bình", 3_000, (("H37.48.01", "Thị trấn Na Dương", 1_000), ("H37.48.02", "Xã Mẫu Sơn", 600))),
    District("H37.49", "Huyện Đình Lập", "Xã Châu Sơn", 1_900, (("H37.49.01", "Thị trấn Đình Lập", 800), ("H37.49.02", "Xã Bắc Xa", 560))),
)
# fmt: on


@dataclass(frozen=True)
class Ministry:
    """A ministry (or ministerial-level agency) of 2022–2024 and some of its units."""

    code: str  # synthetic portal code, "B01" …
    name: str
    units: tuple[str, ...]


# fmt: off
MINISTRIES: tuple[Ministry, ...] = (
    Ministry("B01", "Bộ Quốc phòng", ("Cục Kinh tế", "Cục Đối ngoại", "Văn phòng Bộ Quốc phòng")),
    Ministry("B02", "Bộ Công an", ("Cục Quản lý xuất nhập cảnh", "Cục Cảnh sát giao thông", "Cục Cảnh sát quản lý hành chính về trật tự xã hội")),
    Ministry("B03", "Bộ Ngoại giao", ("Cục Lãnh sự", "Cục Lễ tân Nhà nước")),
    Ministry("B04", "Bộ Nội vụ", ("Ban Thi đua - Khen thưởng Trung ương", "Ban Tôn giáo Chính phủ", "Vụ Tổ chức phi chính phủ")),
    Ministry("B05", "Bộ Tư pháp", ("Cục Hộ tịch, quốc tịch, chứng thực", "Trung tâm Lý lịch tư pháp quốc gia", "Cục Đăng ký quốc gia giao dịch bảo đảm")),
    Ministry("B06", "Bộ Kế hoạch và Đầu tư", ("Cục Quản lý đăng ký kinh doanh", "Cục Đầu tư nước ngoài")),
    Ministry("B07", "Bộ Tài chính", ("Tổng cục Hải quan", "Tổng cục Thuế", "Cục Quản lý, giám sát bảo hiểm")),
    Ministry("B08", "Bộ Công Thương", ("Cục Xuất nhập khẩu", "Cục Hóa chất", "Cục Điều tiết điện lực")),
    Ministry("B09", "Bộ Nông nghiệp và Phát triển nông thôn", ("Cục Thú y", "Cục Bảo vệ thực vật", "Cục Trồng trọt")),
    Ministry("B10", "Bộ Giao thông vận tải", ("Cục Đường bộ Việt Nam", "Cục Hàng hải Việt Nam", "Cục Hàng không Việt Nam", "Cục Đăng kiểm Việt Nam")),
    Ministry("B11", "Bộ Xây dựng", ("Cục Quản lý hoạt động xây dựng", "Cục Giám định nhà nước về chất lượng công trình xây dựng")),
    Ministry("B12", "Bộ Tài nguyên và Môi trường", ("Cục Quản lý tài nguyên nước", "Cục Kiểm soát ô nhiễm môi trường", "Cục Biển và Hải đảo Việt Nam")),
    Ministry("B13", "Bộ Thông tin và Truyền thông", ("Cục Viễn thông", "Cục Tần số vô tuyến điện", "Cục Xuất bản, In và Phát hành")),
    Ministry("B14", "Bộ Lao động - Thương binh và Xã hội", ("Cục Quản lý lao động ngoài nước", "Cục Việc làm", "Cục An toàn lao động")),
    Ministry("B15", "Bộ Văn hóa, Thể thao và Du lịch", ("Cục Điện ảnh", "Cục Nghệ thuật biểu diễn", "Cục Du lịch Quốc gia Việt Nam")),
    Ministry("B16", "Bộ Khoa học và Công nghệ", ("Cục Sở hữu trí tuệ", "Tổng cục Tiêu chuẩn Đo lường Chất lượng", "Cục An toàn bức xạ và hạt nhân")),
    Ministry("B17", "Bộ Giáo dục và Đào tạo", ("Cục Quản lý chất lượng", "Cục Hợp tác quốc tế")),
    Ministry("B18", "Bộ Y tế", ("Cục Quản lý Dược", "Cục Quản lý Khám, chữa bệnh", "Cục An toàn thực phẩm")),
    Ministry("B19", "Ngân hàng Nhà nước Việt Nam", ("Cơ quan Thanh tra, giám sát ngân hàng", "Vụ Quản lý ngoại hối")),
    Ministry("B20", "Ủy ban Dân tộc", ("Vụ Chính sách dân tộc", "Văn phòng Ủy ban Dân tộc")),
)
# fmt: on
