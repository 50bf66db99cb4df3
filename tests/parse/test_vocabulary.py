"""Unit tests of warehouse/parse/vocabulary.py against the tables of spec §1a, §1b and §1c."""

from __future__ import annotations

import tomllib
from collections import defaultdict

import pytest

from warehouse.parse.text import fold_key, value_key
from warehouse.parse.vocabulary import (
    KINDS,
    VOCABULARY_FILE,
    Vocabulary,
    _synonym_map,
    load_vocabulary,
)

# Spec §1a: canonical column → header texts seen.
DOSSIER_HEADERS: dict[str, list[str]] = {
    "dossier_code": ["Mã hồ sơ", "Số hồ sơ", "Ma ho so"],
    "procedure_code": ["Mã TTHC", "Mã thủ tục", "Mã thủ tục hành chính"],
    "procedure_name": ["Tên TTHC", "Tên thủ tục", "Thủ tục hành chính"],
    "field_name": ["Lĩnh vực"],
    "agency_code": ["Mã cơ quan", "Mã đơn vị"],
    "agency_name": ["Cơ quan giải quyết", "Cơ quan tiếp nhận", "Đơn vị xử lý", "Đơn vị"],
    "level": ["Cấp thực hiện", "Cấp"],
    "channel": ["Hình thức nộp", "Kênh tiếp nhận", "Hình thức tiếp nhận"],
    "service_level": ["Mức độ DVC", "Mức độ dịch vụ công", "Mức độ"],
    "received_at": ["Ngày tiếp nhận", "Ngày nhận", "ngay_tiep_nhan"],
    "due_at": ["Ngày hẹn trả", "Hạn xử lý", "Ngày hẹn trả kết quả"],
    "completed_at": ["Ngày có kết quả", "Ngày hoàn thành", "Ngày xử lý xong"],
    "returned_at": ["Ngày trả kết quả", "Ngày trả"],
    "status": ["Trạng thái", "Tình trạng"],
    "digitized": ["Số hóa hồ sơ", "Đã số hóa"],
    "e_result": ["Kết quả điện tử", "Cấp kết quả điện tử"],
    "paid_online": ["Thanh toán trực tuyến"],
    "satisfaction": ["Mức độ hài lòng", "Đánh giá"],
}

# Spec §1b, columns named by one header text.
REPORT_HEADERS: dict[str, list[str]] = {
    "agency_name": ["Tên đơn vị", "Đơn vị", "Cơ quan"],
    "agency_code": ["Mã đơn vị"],
    "field_name": ["Lĩnh vực"],
    "period_from": ["Từ ngày", "period_from"],
    "period_to": ["Đến ngày", "period_to"],
}

RECEIVED = ["Số hồ sơ nhận giải quyết", "Số hồ sơ tiếp nhận"]
RESOLVED = ["Số hồ sơ đã giải quyết", "Đã giải quyết"]
PENDING = ["Số hồ sơ đang giải quyết", "Số lượng hồ sơ đang giải quyết", "Đang giải quyết"]

# Spec §1b, counts: canonical column → (upper level texts, middle levels, lower level texts).
REPORT_COUNTS: dict[str, tuple[list[str], list[str], list[str]]] = {
    "received_total": (RECEIVED, [], ["Tổng số"]),
    "carried_over": (RECEIVED, [], ["Số kỳ trước chuyển qua", "Từ kỳ trước"]),
    "received_online": (RECEIVED, ["Trong đó", "Số mới tiếp nhận"], ["Trực tuyến"]),
    "received_offline": (
        RECEIVED,
        ["Trong đó"],
        [
            "Trực tiếp, dịch vụ bưu chính công ích",
            "Trực tiếp, dịch vụ bưu chính",
            "Trực tiếp",
            "Qua BCCI",
        ],
    ),
    "resolved_total": (RESOLVED, [], ["Tổng số"]),
    "resolved_early": (RESOLVED, [], ["Trả trước hạn", "Trước hạn"]),
    "resolved_on_time": (RESOLVED, [], ["Trả đúng hạn", "Đúng hạn"]),
    "resolved_late": (RESOLVED, [], ["Trả quá hạn", "Quá hạn"]),
    "pending_total": (PENDING, [], ["Tổng số"]),
    "pending_in_time": (PENDING, [], ["Trong hạn"]),
    "pending_overdue": (PENDING, [], ["Quá hạn"]),
}

# Spec §1c.
CATALOGUE_HEADERS: dict[str, list[str]] = {
    "procedure_code": ["Mã TTHC", "Mã thủ tục"],
    "procedure_name": ["Tên TTHC", "Tên thủ tục"],
    "field_name": ["Lĩnh vực"],
    "agency_name": ["Cơ quan thực hiện", "Cơ quan"],
    "level": ["Cấp thực hiện"],
    "service_level": ["Mức độ", "Mức độ DVC"],
    "valid_from": ["Ngày áp dụng", "Ngày công bố"],
}

# Spec §1a value vocabularies: text → canonical value.
VALUES: dict[str, dict[str, object]] = {
    "level": {"Bộ": "Bộ", "Tỉnh": "Tỉnh", "Huyện": "Huyện", "Xã": "Xã"},
    "channel": {
        "Trực tuyến": "online",
        "Trực tiếp": "in_person",
        "Dịch vụ bưu chính công ích": "postal",
        "BCCI": "postal",
        "Bưu chính": "postal",
    },
    "service_level": {"Toàn trình": "full", "Một phần": "partial"},
    "status": {
        "Đã trả kết quả": "resolved",
        "Đã có kết quả": "resolved",
        "Đang xử lý": "pending",
        "Chờ bổ sung": "suspended",
        "Tạm dừng": "suspended",
        "Trả lại": "refused",
        "Rút hồ sơ": "withdrawn",
        "Công dân rút hồ sơ": "withdrawn",
    },
    "satisfaction": {t: t for t in ("Rất hài lòng", "Hài lòng", "Bình thường", "Không hài lòng")},
    "yes_no": {"Có": True, "Không": False, "x": True, "1": True, "0": False, "true": True},
}


@pytest.fixture(scope="module")
def vocabulary() -> Vocabulary:
    return load_vocabulary()


def test_load_succeeds_for_every_kind(vocabulary: Vocabulary) -> None:
    assert set(vocabulary.kinds) == set(KINDS) == {"dossiers", "report", "catalogue"}
    assert set(vocabulary.report.groups.values()) == {"received", "resolved", "pending"}


def test_no_header_key_names_two_columns_inside_a_kind() -> None:
    """Recomputed from the TOML itself, independently of the loader's own check."""
    raw = tomllib.loads(VOCABULARY_FILE.read_text(encoding="utf-8"))
    tables = [raw[kind]["columns"] for kind in KINDS]
    tables += [raw["report"]["groups"], *raw["report"]["leaves"].values()]
    for table in tables:
        owners: dict[str, set[str]] = defaultdict(set)
        for canonical, synonyms in table.items():
            for text in [canonical, *synonyms]:
                owners[fold_key(text)].add(canonical)
        clashes = {key: names for key, names in owners.items() if len(names) > 1}
        assert clashes == {}


def test_no_value_text_names_two_values() -> None:
    raw = tomllib.loads(VOCABULARY_FILE.read_text(encoding="utf-8"))
    for name, table in raw["values"].items():
        owners: dict[str, set[object]] = defaultdict(set)
        for text, canonical in table.items():
            owners[value_key(text)].add(canonical)
        assert {k: v for k, v in owners.items() if len(v) > 1} == {}, name


def test_the_loader_refuses_a_synonym_naming_two_columns() -> None:
    with pytest.raises(ValueError, match="names both"):
        _synonym_map({"agency_name": ["Đơn vị"], "agency_code": ["DON VI"]})
    assert _synonym_map({"a": ["Đơn vị", "ĐƠN VỊ"]}) == {"a": "a", "don vi": "a"}


@pytest.mark.parametrize(
    ("kind", "table"),
    [("dossiers", DOSSIER_HEADERS), ("report", REPORT_HEADERS), ("catalogue", CATALOGUE_HEADERS)],
)
def test_every_spec_header_text_reaches_its_column(
    vocabulary: Vocabulary, kind: str, table: dict[str, list[str]]
) -> None:
    columns = vocabulary.kinds[kind].columns
    for canonical, texts in table.items():
        for text in [canonical, *texts]:
            assert columns.get(fold_key(text)) == canonical, (kind, text)


@pytest.mark.parametrize(
    ("kind", "table"),
    [("dossiers", DOSSIER_HEADERS), ("catalogue", CATALOGUE_HEADERS)],
)
def test_every_spec_column_is_a_column_of_the_kind(
    vocabulary: Vocabulary, kind: str, table: dict[str, list[str]]
) -> None:
    # The vocabulary may know more (the catalogue also reads agency_code), never less.
    assert set(table) <= set(vocabulary.kinds[kind].header_texts)


@pytest.mark.parametrize("canonical", sorted(REPORT_COUNTS))
def test_every_spec_report_count_is_reachable(vocabulary: Vocabulary, canonical: str) -> None:
    uppers, middles, lowers = REPORT_COUNTS[canonical]
    report = vocabulary.report
    for middle in middles:
        assert fold_key(middle) in report.ignored_levels
    for upper in uppers:
        group = report.groups.get(fold_key(upper))
        assert group is not None, upper
        for lower in lowers:
            assert report.leaves[group].get(fold_key(lower)) == canonical, (upper, lower)
    # A one-row header may also use the canonical name itself.
    assert vocabulary.kinds["report"].columns[fold_key(canonical)] == canonical


def test_report_counts_are_the_spec_counts(vocabulary: Vocabulary) -> None:
    assert set(vocabulary.report.counts) == set(REPORT_COUNTS)
    leaves = {c for group in vocabulary.report.leaves.values() for c in group.values()}
    assert leaves == set(REPORT_COUNTS)


def test_signatures_and_required_columns(vocabulary: Vocabulary) -> None:
    dossiers = vocabulary.kinds["dossiers"]
    assert set(dossiers.required) == {
        "dossier_code",
        "procedure_code",
        "agency_name",
        "received_at",
        "due_at",
    }
    for kind in vocabulary.kinds.values():
        assert set(kind.signature) <= set(kind.columns.values())
        assert set(kind.required) <= set(kind.columns.values())


@pytest.mark.parametrize("name", sorted(VALUES))
def test_spec_value_vocabularies(vocabulary: Vocabulary, name: str) -> None:
    mapping = vocabulary.values[name]
    for text, canonical in VALUES[name].items():
        assert mapping.get(value_key(text)) == canonical, (name, text)


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("Sở, ban, ngành", "Tỉnh"),
        ("Huyện, thị xã, thành phố", "Huyện"),
        ("Xã, phường, thị trấn", "Xã"),
    ],
)
def test_spec_section_rows_set_a_level(vocabulary: Vocabulary, text: str, level: str) -> None:
    assert vocabulary.report.sections[fold_key(text)] == level
