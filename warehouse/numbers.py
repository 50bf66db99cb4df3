"""Numbers and periods as Vietnamese and English readers write them: 90,75% and 90.75%;
"Quý I/2023" and "Q1 2023"; "năm 2024 (đến ngày 30/06)" and "year 2024 to 30 Jun".

Alert messages and the report both format with these, so the page and the digests agree to the
digit.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

QUARTERS = ("I", "II", "III", "IV")
MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def counted(n: int, one: str, many: str | None = None) -> str:
    """'1 row', '2 rows', '1,234 rows': an English noun agrees with its number (Vietnamese has
    no plural, so the Vietnamese words from labels.toml need no such care)."""
    return f"{n:,} {one if n == 1 else many or one + 's'}"


def _rounded(value: float, decimals: int) -> Decimal:
    """Half-up on the decimal the reader sees (repr), not on the binary float: 1.005 → 1.01."""
    exact = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    rounded = exact.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    return rounded.copy_abs() if rounded.is_zero() else rounded  # never "-0,00"


def format_en_number(value: float, decimals: int | None = None) -> str:
    """1503 → '1,503'; 90.75 → '90.75'. Integers get no decimals, other numbers two."""
    if decimals is None:
        decimals = 0 if isinstance(value, int) else 2
    return f"{_rounded(value, decimals):,.{decimals}f}"


def format_vn_number(value: float, decimals: int | None = None) -> str:
    """90.75 → '90,75'; 1503 → '1.503': Vietnamese writes a decimal comma and dot thousands."""
    return format_en_number(value, decimals).translate(str.maketrans(",.", ".,"))


def format_vn_delta_pp(delta: float) -> str:
    """-1.61 → 'giảm 1,61 điểm %'; 0.4 → 'tăng 0,40 điểm %' (percentage points, in words)."""
    size = _rounded(delta, 2)
    if size.is_zero():
        return "không đổi"
    return f"{'giảm' if size < 0 else 'tăng'} {format_vn_number(abs(delta), 2)} điểm %"


def format_en_delta_pp(delta: float) -> str:
    """-1.61 → 'fell 1.61 points'; 0.4 → 'rose 0.40 points'."""
    size = _rounded(delta, 2)
    if size.is_zero():
        return "unchanged"
    return f"{'fell' if size < 0 else 'rose'} {format_en_number(abs(delta), 2)} points"


def format_vn_period(grain: str | None, start: date, *, first_word: bool = True) -> str:
    """'năm 2023', 'Quý I/2023', 'Tháng 01/2023': how official reports name their periods."""
    if grain == "year":
        return f"{'Năm' if first_word else 'năm'} {start.year}"
    if grain == "quarter":
        return f"Quý {QUARTERS[(start.month - 1) // 3]}/{start.year}"
    if grain == "month":
        return f"Tháng {start.month:02d}/{start.year}"
    return start.isoformat()


def format_en_period(grain: str | None, start: date) -> str:
    """'2023', 'Q1 2023', '01/2023' (the grain word is added by the comparison)."""
    if grain == "year":
        return str(start.year)
    if grain == "quarter":
        return f"Q{(start.month - 1) // 3 + 1} {start.year}"
    if grain == "month":
        return f"{start.month:02d}/{start.year}"
    return start.isoformat()


def format_vn_comparison(
    grain: str | None, start: date, baseline: date | None, covered_to: date | None = None
) -> str:
    """'năm 2023 so với năm 2022'; year to date: 'năm 2024 (đến ngày 30/06) so với cùng kỳ năm
    2023'."""
    return _comparison(
        format_vn_period(grain, start, first_word=False),
        f" ({format_vn_covered_to(covered_to)})" if covered_to is not None else None,
        "so với cùng kỳ" if covered_to is not None else "so với",
        format_vn_period(grain, baseline, first_word=False) if baseline is not None else None,
    )


def format_en_comparison(
    grain: str | None, start: date, baseline: date | None, covered_to: date | None = None
) -> str:
    """'year 2023 vs 2022', 'Q1 2023 vs Q1 2022'; year to date: 'year 2024 to 30 Jun vs the
    same span of 2023'."""
    word = {"year": "year ", "month": "month "}.get(grain or "", "")
    return _comparison(
        f"{word}{format_en_period(grain, start)}",
        f" {format_en_covered_to(covered_to)}" if covered_to is not None else None,
        "vs the same span of" if covered_to is not None else "vs",
        format_en_period(grain, baseline) if baseline is not None else None,
    )


def _comparison(period: str, covered: str | None, versus: str, baseline: str | None) -> str:
    """The period (and how far it is covered), then what it is compared with, if anything."""
    text = period + (covered or "")
    return text if baseline is None else f"{text} {versus} {baseline}"


def format_vn_covered_to(covered_to: date) -> str:
    """'đến ngày 30/06': how far a partly covered period is counted."""
    return f"đến ngày {covered_to.day:02d}/{covered_to.month:02d}"


def format_en_covered_to(covered_to: date) -> str:
    """'to 30 Jun'."""
    return f"to {covered_to.day} {MONTHS_EN[covered_to.month - 1]}"
