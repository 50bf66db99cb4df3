"""Unit tests of warehouse/parse/text.py: one rule for "the same text" (spec §3)."""

from __future__ import annotations

import unicodedata

import polars as pl
import pytest

from warehouse.parse.text import clean_text, clean_text_columns, fold_key, value_key


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def is_nfc(text: str) -> bool:
    return unicodedata.is_normalized("NFC", text)


# --- clean_text --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (nfd("Sở Tư pháp"), "Sở Tư pháp"),
        ("Sở\u00a0Tư\u00a0pháp", "Sở Tư pháp"),
        ("  Sở  Tư   pháp  ", "Sở Tư pháp"),
        ("Sở\tTư\r\npháp", "Sở Tư pháp"),
        (nfd("  Đang\u00a0\u00a0xử lý "), "Đang xử lý"),
        ("", ""),
        ("   ", ""),
        (None, ""),
        (1234, "1234"),
    ],
)
def test_clean_text(raw: object, expected: str) -> None:
    cleaned = clean_text(raw)
    assert cleaned == expected
    assert is_nfc(cleaned)


def test_clean_text_keeps_case_and_diacritics() -> None:
    assert clean_text("TRẢ LẠI") == "TRẢ LẠI"
    assert clean_text("Hài lòng") != clean_text("Hai long")


# --- fold_key ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "variant",
    [
        "Mã hồ sơ",
        nfd("Mã hồ sơ"),
        "MÃ HỒ SƠ",
        "MA HO SO",
        "Ma ho so",
        "ma_ho_so",
        " Mã\u00a0hồ  sơ ",
        nfd("mã_HỒ_sơ"),
    ],
)
def test_fold_key_makes_one_header_of_every_spelling(variant: str) -> None:
    assert fold_key(variant) == "ma ho so"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Đơn vị", "don vi"),
        ("ĐÃ SỐ HÓA", "da so hoa"),
        (nfd("Đã số hóa"), "da so hoa"),
        ("Ngày tiếp nhận", "ngay tiep nhan"),
        ("ngay_tiep_nhan", "ngay tiep nhan"),
        ("Số hồ sơ đã giải quyết - Trả đúng hạn", "so ho so da giai quyet tra dung han"),
        ("Trực tiếp, dịch vụ bưu chính công ích", "truc tiep dich vu buu chinh cong ich"),
        ("(3)=(4)+(5)+(6)", "3 4 5 6"),
        ("resolved_on_time", "resolved on time"),
        (None, ""),
        ("  --  ", ""),
    ],
)
def test_fold_key(text: object, expected: str) -> None:
    assert fold_key(text) == expected


def test_fold_key_keeps_words_apart() -> None:
    # Diacritics are dropped, but different words must stay different keys.
    assert fold_key("Mức độ") != fold_key("Mức độ hài lòng")
    assert fold_key("Ngày trả") != fold_key("Ngày trả kết quả")


# --- value_key ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "variant",
    ["Chờ bổ sung", nfd("Chờ bổ sung"), "CHỜ BỔ SUNG", nfd("CHỜ  BỔ\u00a0SUNG "), " chờ bổ  sung"],
)
def test_value_key_ignores_case_form_and_spacing(variant: str) -> None:
    assert value_key(variant) == "chờ bổ sung"
    assert is_nfc(value_key(variant))


def test_value_key_keeps_diacritics_and_lowers_d_bar() -> None:
    assert value_key("ĐÃ TRẢ KẾT QUẢ") == "đã trả kết quả"
    # Unlike header keys, vocabulary keys must keep the marks: "Hài lòng" is not "Hai long".
    assert value_key("Hài lòng") != value_key("Hai long")
    assert value_key(None) == ""


# --- clean_text_columns ------------------------------------------------------------------------


def test_clean_text_columns_nfd_column_becomes_nfc() -> None:
    frame = pl.DataFrame({"name": [nfd("Sở Tư pháp"), "Sở Y tế", nfd("UBND xã Đồng Đăng")]})
    cleaned = clean_text_columns(frame, ["name"])
    assert cleaned["name"].to_list() == ["Sở Tư pháp", "Sở Y tế", "UBND xã Đồng Đăng"]
    assert all(is_nfc(v) for v in cleaned["name"].to_list())


def test_clean_text_columns_irregular_spaces_become_single_spaces() -> None:
    frame = pl.DataFrame(
        {"name": ["Sở  Tư pháp", "Sở\u00a0Y tế", " Sở Xây dựng", "Sở Nội vụ ", "Sở\tCông Thương"]}
    )
    cleaned = clean_text_columns(frame, ["name"])
    assert cleaned["name"].to_list() == [
        "Sở Tư pháp",
        "Sở Y tế",
        "Sở Xây dựng",
        "Sở Nội vụ",
        "Sở Công Thương",
    ]


def test_clean_text_columns_leaves_a_clean_column_byte_identical() -> None:
    clean = ["Sở Tư pháp", "H37.18-230105-0001", "Đã trả kết quả", None]
    frame = pl.DataFrame({"clean": clean, "dirty": [nfd("Sở Y tế"), "a  b", " c", None]})
    cleaned = clean_text_columns(frame, ["clean", "dirty"])
    assert cleaned["clean"].to_list() == clean
    assert [v.encode() if v else v for v in cleaned["clean"].to_list()] == [
        v.encode() if v else v for v in clean
    ]
    assert cleaned["dirty"].to_list() == ["Sở Y tế", "a b", "c", None]


def test_clean_text_columns_empty_becomes_null() -> None:
    frame = pl.DataFrame({"clean": ["a", ""], "spaces": ["b", "  \u00a0 "]})
    cleaned = clean_text_columns(frame, ["clean", "spaces"])
    assert cleaned["clean"].to_list() == ["a", None]
    assert cleaned["spaces"].to_list() == ["b", None]


def test_clean_text_columns_touches_only_the_named_columns() -> None:
    frame = pl.DataFrame({"named": ["a  b"], "other": ["a  b"]})
    cleaned = clean_text_columns(frame, ["named", "missing"])
    assert cleaned["named"].to_list() == ["a b"]
    assert cleaned["other"].to_list() == ["a  b"]
    assert cleaned.columns == ["named", "other"]


def test_clean_text_columns_agrees_with_clean_text() -> None:
    values = [
        nfd("Trực tuyến"),
        "Trực\u00a0tiếp",
        "  Dịch vụ  bưu chính công ích ",
        "BCCI",
        nfd(" Công dân\trút hồ sơ"),
        "",
        "   ",
        None,
        "Đã có kết quả",
    ]
    cleaned = clean_text_columns(pl.DataFrame({"v": values}, schema={"v": pl.String}), ["v"])
    expected = [clean_text(v) or None for v in values]
    assert cleaned["v"].to_list() == expected
