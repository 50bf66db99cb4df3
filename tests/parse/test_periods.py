"""Unit tests of warehouse/parse/periods.py: the reporting period a banner states (spec §1b)."""

from __future__ import annotations

import unicodedata
from datetime import date

import pytest

from warehouse.parse.periods import find_banner_period, parse_period

Q1_2023 = (date(2023, 1, 1), date(2023, 3, 31))
JANUARY_2023 = (date(2023, 1, 1), date(2023, 1, 31))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Kỳ báo cáo: Tháng 01/2023", JANUARY_2023),
        ("Tháng 01/2023", JANUARY_2023),
        ("tháng 1 năm 2023", JANUARY_2023),
        ("THÁNG 2/2024", (date(2024, 2, 1), date(2024, 2, 29))),
        ("Tháng 02 năm 2023", (date(2023, 2, 1), date(2023, 2, 28))),
        ("Tháng 12/2022", (date(2022, 12, 1), date(2022, 12, 31))),
        ("Quý I/2023", Q1_2023),
        ("Kỳ báo cáo: Quý I năm 2023", Q1_2023),
        ("Quý II/2023", (date(2023, 4, 1), date(2023, 6, 30))),
        ("Quý III/2023", (date(2023, 7, 1), date(2023, 9, 30))),
        ("Quý IV năm 2022", (date(2022, 10, 1), date(2022, 12, 31))),
        ("Quý 2/2023", (date(2023, 4, 1), date(2023, 6, 30))),
        ("quý 4 năm 2023", (date(2023, 10, 1), date(2023, 12, 31))),
        ("Năm 2023", (date(2023, 1, 1), date(2023, 12, 31))),
        ("Kỳ báo cáo: năm 2022", (date(2022, 1, 1), date(2022, 12, 31))),
        (
            "Từ ngày 15/12/2022 đến ngày 14/12/2023",
            (date(2022, 12, 15), date(2023, 12, 14)),
        ),
        (
            "(Từ ngày 15/12/2022 đến ngày 14/03/2023)",
            (date(2022, 12, 15), date(2023, 3, 14)),
        ),
        (
            "Kỳ báo cáo: Quý I/2023 (Từ ngày 15/12/2022 đến ngày 14/03/2023)",
            (date(2022, 12, 15), date(2023, 3, 14)),
        ),
        ("Lạng Sơn, ngày 05 tháng 01 năm 2024", None),
        ("Hà Nội, ngày 5 tháng 1 năm 2024", None),
        ("Tháng 13/2023", None),
        ("Từ ngày 31/02/2023 đến ngày 14/03/2023", None),
        ("BÁO CÁO TÌNH HÌNH GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH", None),
        ("Đơn vị tính: hồ sơ", None),
        ("", None),
    ],
)
def test_parse_period(text: str, expected: tuple[date, date] | None) -> None:
    assert parse_period(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Kỳ báo cáo: Quý I/2023",
        "Kỳ báo cáo:\u00a0Quý  I / 2023",
        "KỲ BÁO CÁO: QUÝ I/2023",
    ],
)
def test_parse_period_in_nfd_and_other_spellings(text: str) -> None:
    assert parse_period(unicodedata.normalize("NFD", text)) == Q1_2023
    assert parse_period(text) == Q1_2023


def test_parse_period_of_an_nfd_range_and_month() -> None:
    nfd = unicodedata.normalize("NFD", "Từ ngày 15/12/2022 đến ngày 14/12/2023")
    assert parse_period(nfd) == (date(2022, 12, 15), date(2023, 12, 14))
    nfd = unicodedata.normalize("NFD", "tháng 1 năm 2023")
    assert parse_period(nfd) == JANUARY_2023


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        # the Kỳ báo cáo line wins over a title that names the year
        (
            [
                "UBND TỈNH LẠNG SƠN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                "Lạng Sơn, ngày 05 tháng 01 năm 2024",
                "BÁO CÁO TÌNH HÌNH GIẢI QUYẾT TTHC NĂM 2023",
                "Kỳ báo cáo: Quý IV/2023",
            ],
            (date(2023, 10, 1), date(2023, 12, 31)),
        ),
        # a Kỳ báo cáo line in NFD is read all the same
        (["Năm 2021", unicodedata.normalize("NFD", "KỲ BÁO CÁO: Tháng 01/2023")], JANUARY_2023),
        # without one, the first line that names a period
        (
            [
                "SỞ TƯ PHÁP",
                "Lạng Sơn, ngày 05 tháng 01 năm 2024",
                "BÁO CÁO TÌNH HÌNH GIẢI QUYẾT TTHC",
                "Từ ngày 15/12/2022 đến ngày 14/12/2023",
                "Năm 2022",
            ],
            (date(2022, 12, 15), date(2023, 12, 14)),
        ),
        (["SỞ TƯ PHÁP", "Lạng Sơn, ngày 05 tháng 01 năm 2024"], None),  # no period at all
        ([], None),
    ],
)
def test_find_banner_period(lines: list[str], expected: tuple[date, date] | None) -> None:
    assert find_banner_period(lines) == expected


@pytest.mark.parametrize(
    "dateline",
    [
        "Lạng Sơn, ngày      tháng      năm 2024",
        "Lạng Sơn, ngày ... tháng 01 năm 2024",
    ],
)
def test_a_blank_signing_date_line_names_no_period(dateline: str) -> None:
    assert parse_period(dateline) is None
    lines = [dateline, "BÁO CÁO TÌNH HÌNH GIẢI QUYẾT TTHC QUÝ IV NĂM 2023"]
    assert find_banner_period(lines) == (date(2023, 10, 1), date(2023, 12, 31))
