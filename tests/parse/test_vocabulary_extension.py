"""Unit tests of warehouse/parse/vocabulary_extension.py: a configuration adds words, never
changes what one means."""

from __future__ import annotations

import pytest

from warehouse.parse.text import fold_key, value_key
from warehouse.parse.vocabulary import load_vocabulary
from warehouse.parse.vocabulary_extension import VocabularyError, read_extension

EXTENSION = {
    "values": {
        "status": {"Đang giải quyết": "pending", "Hoàn thành": "resolved", "Quá hạn": "pending"},
        "channel": {"Nộp trực tuyến": "online"},
        "yes_no": {"Đã số hóa": True},
    },
    "dossiers": {"columns": {"received_at": ["Ngày nộp hồ sơ"]}},
    "report": {
        "leaves": {"pending": {"pending_overdue": ["Trễ hạn"]}},
        "sections": {"Xã": ["Cấp cơ sở"]},
    },
}


def test_added_words_mean_what_the_configuration_says_and_the_built_ins_stay() -> None:
    words = load_vocabulary(read_extension(EXTENSION))
    status = words.values["status"]
    assert status[value_key("ĐANG GIẢI QUYẾT")] == "pending"
    assert status[value_key("Hoàn thành")] == "resolved"
    assert status[value_key("Đã trả kết quả")] == "resolved"  # built-in, still there
    assert words.values["channel"][value_key("Nộp trực tuyến")] == "online"
    assert words.values["yes_no"][value_key("Đã số hóa")] is True
    assert words.kinds["dossiers"].columns[fold_key("Ngay nop ho so")] == "received_at"
    assert words.kinds["dossiers"].columns[fold_key("Ngày tiếp nhận")] == "received_at"
    assert words.report.leaves["pending"][fold_key("Trễ hạn")] == "pending_overdue"
    assert words.report.sections[fold_key("Cấp cơ sở")] == "Xã"
    # a rejected value's message lists the added texts too
    assert "Đang giải quyết" in words.value_texts["status"]
    # the built-in vocabulary is not changed by building an extended one
    assert value_key("Đang giải quyết") not in load_vocabulary().values["status"]
    assert fold_key("Ngày nộp hồ sơ") not in load_vocabulary().kinds["dossiers"].columns


def test_a_word_that_already_means_the_same_adds_nothing() -> None:
    same = {
        "values": {"status": {"ĐANG XỬ LÝ": "pending"}},
        "dossiers": {"columns": {"dossier_code": ["Số hồ sơ"]}},
    }
    assert read_extension(same) == ()


@pytest.mark.parametrize(
    ("extension", "message"),
    [
        (  # a built-in status word with another meaning
            {"values": {"status": {"Đang xử lý": "resolved"}}},
            '[vocabulary.values.status] "Đang xử lý" = "resolved": "Đang xử lý" already means '
            '"pending"',
        ),
        (  # the same text twice (case aside) with two meanings
            {"values": {"status": {"Quá hạn": "pending", "QUÁ HẠN": "resolved"}}},
            '"QUÁ HẠN" already means "pending"',
        ),
        (  # a header that already names another column
            {"dossiers": {"columns": {"agency_code": ["Đơn vị"]}}},
            '[vocabulary.dossiers.columns] agency_code "Đơn vị": "Đơn vị" already means '
            '"agency_name"',
        ),
        (  # a canonical value the warehouse does not have
            {"values": {"status": {"Quá hạn": "overdue"}}},
            'the value must be one of "resolved", "pending", "suspended"',
        ),
        ({"values": {"yes_no": {"Rồi": 1}}}, "must be one of true, false"),
        ({"dossiers": {"columns": {"deadline": ["Hạn"]}}}, "deadline: not a name of this table"),
        ({"values": {"colour": {"Đỏ": "red"}}}, "[vocabulary.values.colour] is not a vocabulary"),
        ({"statuses": {"Quá hạn": "pending"}}, "[vocabulary.statuses] is not a vocabulary"),
        ({"dossiers": {"columns": {"received_at": 3}}}, "write the texts as a list"),
    ],
)
def test_a_wrong_or_conflicting_entry_is_refused_naming_its_key(
    extension: dict, message: str
) -> None:
    with pytest.raises(VocabularyError) as error:
        read_extension(extension)
    assert message in str(error.value)
