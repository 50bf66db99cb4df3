"""Unit tests of warehouse/parse/values.py: the contract's date, count and vocabulary forms."""

from __future__ import annotations

import random
import unicodedata
from datetime import datetime

import polars as pl
import pytest

from warehouse.parse.text import clean_text_columns
from warehouse.parse.values import (
    map_vocabulary_expr,
    parse_count_expr,
    parse_datetime_expr,
    parse_datetime_series,
)
from warehouse.parse.vocabulary import load_vocabulary


def via_expr(values: list[str | None], *, excel_serials: bool) -> pl.Series:
    frame = pl.DataFrame({"v": values}, schema={"v": pl.String})
    return frame.select(parse_datetime_expr(pl.col("v"), excel_serials=excel_serials)).to_series()


def via_series(values: list[str | None], *, excel_serials: bool) -> pl.Series:
    series = pl.Series("v", values, dtype=pl.String)
    return parse_datetime_series(series, excel_serials=excel_serials)


# Every date form of spec §3, as portals and fastexcel print them, with its reading.
DATE_FORMS: list[tuple[str, datetime | None]] = [
    ("05/01/2023", datetime(2023, 1, 5)),
    ("05/01/2023 08:30", datetime(2023, 1, 5, 8, 30)),
    ("05/01/2023 08:30:15", datetime(2023, 1, 5, 8, 30, 15)),
    ("5/1/2023", datetime(2023, 1, 5)),
    ("5/1/2023 8:30", datetime(2023, 1, 5, 8, 30)),
    ("2023-01-05", datetime(2023, 1, 5)),
    ("2023-01-05T08:30", datetime(2023, 1, 5, 8, 30)),
    ("2023-01-05T08:30:15", datetime(2023, 1, 5, 8, 30, 15)),
    ("2023-01-05 08:30:15", datetime(2023, 1, 5, 8, 30, 15)),  # fastexcel's print of a cell
    ("2023-01-05 08:30", datetime(2023, 1, 5, 8, 30)),
    ("05/01/2023\u00a008:30", datetime(2023, 1, 5, 8, 30)),
    ("05/01/2023  08:30", datetime(2023, 1, 5, 8, 30)),
    (" 31/12/2022 23:59:59 ", datetime(2022, 12, 31, 23, 59, 59)),
    ("29/02/2024", datetime(2024, 2, 29)),
    ("31/02/2023", None),
    ("29/02/2023", None),
    ("13/13/2023", None),
    ("05/01/2023 25:00", None),
    ("không rõ", None),
    ("05-01-2023", None),
    ("2023/01/05", None),
    ("", None),
]


@pytest.mark.parametrize(("text", "expected"), DATE_FORMS)
@pytest.mark.parametrize("excel_serials", [False, True])
def test_parse_datetime_expr_reads_every_contract_form(
    text: str, expected: datetime | None, excel_serials: bool
) -> None:
    assert via_expr([text], excel_serials=excel_serials).to_list() == [expected]


@pytest.mark.parametrize(("text", "expected"), DATE_FORMS)
def test_parse_datetime_series_reads_every_contract_form(
    text: str, expected: datetime | None
) -> None:
    assert via_series([text], excel_serials=False).to_list() == [expected]


def test_null_stays_null() -> None:
    assert via_expr([None], excel_serials=True).to_list() == [None]
    assert via_series([None, None], excel_serials=True).to_list() == [None, None]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("44931.375", datetime(2023, 1, 5, 9, 0)),
        ("44931", datetime(2023, 1, 5)),
        ("44931.5", datetime(2023, 1, 5, 12, 0)),
        ("0", None),
    ],
)
def test_excel_serials_only_when_asked(text: str, expected: datetime | None) -> None:
    assert via_expr([text], excel_serials=True).to_list() == [expected]
    assert via_series([text], excel_serials=True).to_list() == [expected]
    assert via_expr([text], excel_serials=False).to_list() == [None]
    assert via_series([text], excel_serials=False).to_list() == [None]


def test_parse_datetime_series_keeps_the_name_and_length() -> None:
    series = pl.Series("received_at", ["05/01/2023", None, "x"], dtype=pl.String)
    parsed = parse_datetime_series(series, excel_serials=False)
    assert parsed.name == "received_at"
    assert parsed.dtype == pl.Datetime("us")
    assert parsed.to_list() == [datetime(2023, 1, 5), None, None]


# --- parse_datetime_series ≡ parse_datetime_expr -----------------------------------------------

MIXABLE = [text for text, _ in DATE_FORMS] + ["44931.375", "44931", None]


def _columns() -> list[list[str | None]]:
    """Columns of mixed forms, each form once in first place, plus seeded random mixes."""
    columns: list[list[str | None]] = []
    for i in range(len(MIXABLE)):  # every form leads once, the rest follow in order
        columns.append(MIXABLE[i:] + MIXABLE[:i])
    # The first value's layout is in a minority: one ISO date, then many dd/mm/yyyy HH:MM.
    columns.append(["2023-01-05", *[f"{d:02d}/01/2023 08:{d:02d}" for d in range(1, 29)]])
    columns.append([None, None, "05/01/2023", "2023-01-06T07:00", "2023-01-07T07:00", "x"])
    columns.append(["05/01/2023 08:30", *["2023-02-01 10:00:00"] * 5, "44931.375", "31/02/2023"])
    rng = random.Random(20230105)
    for _ in range(40):
        columns.append([rng.choice(MIXABLE) for _ in range(rng.randint(1, 30))])
    return columns


@pytest.mark.parametrize("excel_serials", [False, True])
def test_parse_datetime_series_equals_parse_datetime_expr_on_mixed_columns(
    excel_serials: bool,
) -> None:
    for column in _columns():
        fast = via_series(column, excel_serials=excel_serials)
        slow = via_expr(column, excel_serials=excel_serials)
        assert fast.to_list() == slow.to_list(), column


@pytest.mark.parametrize(
    "column",
    [
        ["05/01/2023", "05/01/23"],  # → year 23 instead of null (bad_date)
        ["2023-01-05", "23-01-05"],  # → year 23 instead of null
        ["05/01/2023 08:30", "05/01/2023 8:5"],  # → 08:05 instead of null
    ],
)
def test_parse_datetime_series_rejects_what_parse_datetime_expr_rejects(
    column: list[str | None],
) -> None:
    slow = via_expr(column, excel_serials=False)
    assert slow[1] is None
    fast = via_series(column, excel_serials=False)
    assert fast.to_list() == slow.to_list()


# --- parse_count_expr --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("0", 0),
        ("1234", 1234),
        ("1.234", 1234),
        ("1,234", 1234),
        ("1,234,567", 1234567),
        ("1.234.567", 1234567),
        ("1234.0", 1234),
        ("1234,00", 1234),
        ("12 %", 12),
        ("12%", 12),
        (" 15 ", 15),
        ("12,5", None),
        ("1.5", None),
        ("28,59", None),
        ("-5", None),
        ("-1.234", None),
        ("mười", None),
        ("1.23", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_count_expr(text: str | None, expected: int | None) -> None:
    frame = pl.DataFrame({"v": [text]}, schema={"v": pl.String})
    parsed = frame.select(parse_count_expr(pl.col("v"))).to_series()
    assert parsed.dtype == pl.Int64
    assert parsed.to_list() == [expected]


# --- map_vocabulary_expr -----------------------------------------------------------------------


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def mapped(values: list[str | None], vocabulary: str, dtype: pl.DataType) -> list[object]:
    """As the pipeline does it: clean the column, then map it."""
    frame = clean_text_columns(pl.DataFrame({"v": values}, schema={"v": pl.String}), ["v"])
    mapping = load_vocabulary().values[vocabulary]
    return frame.select(map_vocabulary_expr(pl.col("v"), mapping, dtype)).to_series().to_list()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Trực tuyến", "online"),
        ("Trực tiếp", "in_person"),
        ("Dịch vụ bưu chính công ích", "postal"),
        ("BCCI", "postal"),
        ("bcci", "postal"),
        ("Bưu chính", "postal"),
        ("BƯU CHÍNH", "postal"),
        (nfd("Bưu chính"), "postal"),
        ("Bưu\u00a0chính ", "postal"),
        ("Fax", None),
        ("Bưu điện", None),
        (None, None),
    ],
)
def test_map_channel(text: str | None, expected: str | None) -> None:
    assert mapped([text], "channel", pl.String) == [expected]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Đã trả kết quả", "resolved"),
        ("Đã có kết quả", "resolved"),
        ("Đang xử lý", "pending"),
        ("Chờ bổ sung", "suspended"),
        ("CHỜ BỔ SUNG", "suspended"),
        (nfd("Chờ bổ sung"), "suspended"),
        (nfd("CHỜ  BỔ SUNG"), "suspended"),
        ("Tạm dừng", "suspended"),
        ("Trả lại", "refused"),
        ("Rút hồ sơ", "withdrawn"),
        ("Công dân rút hồ sơ", "withdrawn"),
        (nfd("công dân RÚT hồ sơ"), "withdrawn"),
        ("Cong dan rut ho so", None),  # vocabularies keep diacritics
        ("Đã hủy", None),
    ],
)
def test_map_status(text: str, expected: str | None) -> None:
    assert mapped([text], "status", pl.String) == [expected]


def test_map_yes_no_to_booleans() -> None:
    values = ["Có", "x", "X", "1", "true", "TRUE", "Không", nfd("KHÔNG"), "0", "false", "?", None]
    assert mapped(values, "yes_no", pl.Boolean) == [
        True,
        True,
        True,
        True,
        True,
        True,
        False,
        False,
        False,
        False,
        None,
        None,
    ]


def test_map_vocabulary_expr_ignores_case_on_cleaned_text() -> None:
    mapping = load_vocabulary().values["service_level"]
    frame = pl.DataFrame({"v": ["Toàn trình", "TOÀN TRÌNH", "một phần", "Mức 4"]})
    result = frame.select(map_vocabulary_expr(pl.col("v"), mapping, pl.String)).to_series()
    assert result.to_list() == ["full", "full", "partial", None]


def test_map_vocabulary_series_matches_the_expression_on_every_form() -> None:
    from warehouse.parse.values import map_vocabulary_series
    from warehouse.parse.vocabulary import load_vocabulary

    channel = load_vocabulary().values["channel"]
    texts = ["Trực tuyến", "TRỰC TUYẾN", "BCCI", "bưu chính", "Fax", None, "Trực tiếp", "Fax"]
    column = pl.Series("channel", texts, dtype=pl.String)
    by_expr = column.to_frame().select(map_vocabulary_expr(pl.col("channel"), channel, pl.String))
    assert (
        map_vocabulary_series(column, channel, pl.String).to_list() == by_expr.to_series().to_list()
    )
    assert map_vocabulary_series(column, channel, pl.String).to_list()[:5] == [
        "online",
        "online",
        "postal",
        "postal",
        None,
    ]
    empty = pl.Series("channel", [None, None], dtype=pl.String)
    assert map_vocabulary_series(empty, channel, pl.String).to_list() == [None, None]
