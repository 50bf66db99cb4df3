"""warehouse/numbers.py: every number people read, Vietnamese style (decimal comma, dot
thousands) and English, pinned case by case."""

from __future__ import annotations

from datetime import date

import pytest

from warehouse import numbers


@pytest.mark.parametrize(
    ("value", "decimals", "vn", "en"),
    [
        (90.75, None, "90,75", "90.75"),
        (1503, None, "1.503", "1,503"),
        (1234567.891, None, "1.234.567,89", "1,234,567.89"),
        (0.4, 2, "0,40", "0.40"),
        (-1.61, None, "-1,61", "-1.61"),
        (1.005, 2, "1,01", "1.01"),  # half-up on what the reader sees, not on the binary float
        (-0.001, 2, "0,00", "0.00"),  # never "-0,00"
        (92.0, 0, "92", "92"),
    ],
)
def test_numbers(value: float, decimals: int | None, vn: str, en: str) -> None:
    assert numbers.format_vn_number(value, decimals) == vn
    assert numbers.format_en_number(value, decimals) == en


@pytest.mark.parametrize(
    ("delta", "vn", "en"),
    [
        (-1.61, "giảm 1,61 điểm %", "fell 1.61 points"),
        (0.4, "tăng 0,40 điểm %", "rose 0.40 points"),
        (-12.345, "giảm 12,35 điểm %", "fell 12.35 points"),
        (0.001, "không đổi", "unchanged"),
    ],
)
def test_deltas_in_words(delta: float, vn: str, en: str) -> None:
    assert numbers.format_vn_delta_pp(delta) == vn
    assert numbers.format_en_delta_pp(delta) == en


@pytest.mark.parametrize(
    ("grain", "start", "baseline", "vn", "en"),
    [
        (
            "year",
            date(2023, 1, 1),
            date(2022, 1, 1),
            "năm 2023 so với năm 2022",
            "year 2023 vs 2022",
        ),
        (
            "quarter",
            date(2023, 1, 1),
            date(2022, 1, 1),
            "Quý I/2023 so với Quý I/2022",
            "Q1 2023 vs Q1 2022",
        ),
        ("quarter", date(2023, 10, 1), None, "Quý IV/2023", "Q4 2023"),
        (
            "month",
            date(2023, 1, 1),
            date(2022, 1, 1),
            "Tháng 01/2023 so với Tháng 01/2022",
            "month 01/2023 vs 01/2022",
        ),
    ],
)
def test_periods(grain: str, start: date, baseline: date | None, vn: str, en: str) -> None:
    assert numbers.format_vn_comparison(grain, start, baseline) == vn
    assert numbers.format_en_comparison(grain, start, baseline) == en
