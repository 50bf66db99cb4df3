"""Why a file was refused (FileResult.reason) and its rejected rows read back from the warehouse
(warehouse/ingest_outcome.py), each reason a code with its words in labels.toml."""

from __future__ import annotations

import re
from pathlib import Path

from warehouse.db import open_writer
from warehouse.ingest import ingest_file
from warehouse.ingest_outcome import rejected_sample
from warehouse.labels import REFUSAL_LABELS, REJECT_LABELS, label

from conftest import EXPORTS

ROOT = Path(__file__).resolve().parents[1]

# Where the code writes a reason: a rule's second argument, a record's "reason", a SQL
# conflict's 'code' AS reason, a scoreboard unit's problem, a refusal's first argument.
REJECT_WRITES = [
    re.compile(r'RowRule\(\s*[^,()]+,\s*"(\w+)"'),
    re.compile(r'unreadable_rule\((?:[^,()]+,\s*){3}"(\w+)"'),
    re.compile(r'"reason": "(\w+)"'),
    re.compile(r"'(\w+)' AS reason"),
    re.compile(r'\.problem\([^,()]+,\s*(?:[^,()]|\([^()]*\))+,\s*"(\w+)"'),
]
REFUSAL_WRITES = [re.compile(r'RefusedFile\(\s*"(\w+)"'), re.compile(r'reason="(\w+)"')]


def written_codes(patterns: list[re.Pattern[str]]) -> set[str]:
    files = [*(ROOT / "warehouse").rglob("*.py"), *(ROOT / "sql").rglob("*.sql")]
    return {
        code
        for file in files
        for pattern in patterns
        for code in pattern.findall(file.read_text(encoding="utf-8"))
    }


def test_every_reason_the_code_writes_has_words_in_both_languages() -> None:
    rejects = written_codes(REJECT_WRITES)
    assert {"not_in_vocabulary", "bad_date", "duplicate_conflict", "bad_shape"} <= rejects
    assert rejects - set(REJECT_LABELS) == set()
    refusals = written_codes(REFUSAL_WRITES) | {"kind_not_detected"}  # UnreadableFile's default
    assert {"required_column_missing", "too_large", "no_period"} <= refusals
    assert refusals - set(REFUSAL_LABELS) == set()
    for vi, en in [*REJECT_LABELS.values(), *REFUSAL_LABELS.values()]:
        assert vi and en and vi != en


def test_a_refusal_says_its_reason_and_the_sample_holds_the_first_rejected_rows(
    warehouse: Path, lang_son
) -> None:
    files = [EXPORTS / "dossiers_rejects.csv", EXPORTS / "refused_dossiers_no_received_at.csv"]
    with open_writer(warehouse) as con:
        results = [ingest_file(con, f, lang_son, data_dir=warehouse.parent) for f in files]
        rejected = rejected_sample(con, results, per_file=3)
    refusal = results[1]
    assert (refusal.status, refusal.reason) == ("refused", "required_column_missing")
    assert results[0].reason is None
    assert label(REFUSAL_LABELS, refusal.reason) == (
        "thiếu cột bắt buộc",
        "a required column is missing",
    )
    assert "received_at" in (refusal.error or "")
    assert [(c.file, c.row, c.column, c.value, c.reason) for c in rejected] == [
        (files[0].name, 3, "dossier_code", None, "missing_required"),
        (files[0].name, 4, "agency_name", None, "missing_required"),
        (files[0].name, 5, "channel", "Fax", "not_in_vocabulary"),
    ]
    assert {c.file_id for c in rejected} == {results[0].file_id}
    assert rejected[2].words == (
        "giá trị không có trong danh mục",
        "a value outside its vocabulary",
    )
