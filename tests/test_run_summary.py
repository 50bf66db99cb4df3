"""The night in words (warehouse/run_summary.py): the artifact's markdown, the log lines, the
alerts a check run opened and resolved, and times in Vietnam's zone."""

from __future__ import annotations

from datetime import UTC, datetime

import polars as pl

from warehouse.run_summary import (
    alert_changes,
    alert_lines,
    source_lines,
    summary_markdown,
    vietnam_time,
)


def alert(alert_id: int, vi: str, en: str = "", severity: str = "warn") -> dict:
    return {"alert_id": alert_id, "severity": severity, "portal_code": "H37",
            "message_vi": vi, "message_en": en}  # fmt: skip


def night(**changes: object) -> dict:
    opened = alert(2, "Giảm | mạnh", "Fell | hard", "fail")
    words = {"opened": [opened], "resolved": [], "open": [opened, alert(1, "Cũ")]}
    summary = {
        "extracted": [{"source": "a", "status": "new"}, {"source": "b", "status": "unchanged"}],
        "failed_sources": [{"source": "c", "portal": "H37", "error": "404 | gone\nnever"}],
        "loaded": [
            {"portal": "H37", "files": {"loaded": 1, "duplicate": 2}, "rows_loaded": 1234,
             "rows_rejected": 5, "sources": {}},
        ],
        "marts_seconds": 3.25,
        "checks": {"seconds": 1.5, "opened": 1, "resolved": 0, "open_alerts": 2, "alerts": words},
        "prefect_line": "4.1 s to start a temporary server (1.0 s of it waited for)",
        "started_at": "2026-11-10 02:00:05+07:00",
        "finished_at": "2026-11-10 02:00:40+07:00",
        "as_of": "2026-11-10 23:59:00+07:00",
    }  # fmt: skip
    return summary | changes


def test_the_summary_table_says_what_the_night_did() -> None:
    markdown = summary_markdown(night())
    rows = {
        cells[1].strip(): cells[2].strip()
        for line in markdown.splitlines()
        if line.startswith("| ") and len(cells := line.split("|")) == 4
    }
    assert rows["Nguồn lấy được · sources ok"] == "2"
    assert rows["Nguồn lỗi · sources failed"] == "1"
    assert rows["Tệp · files loaded / duplicate / refused / failed"] == "1 / 2 / 0 / 0"
    assert rows["Dòng đã nạp · rows loaded"] == "1,234"
    assert rows["Dòng bị loại · rows rejected"] == "5"
    assert rows["Tính chỉ số · indicators (marts)"] == "3.2 s"
    assert rows["Cảnh báo mới · alerts opened"] == "1"
    assert rows["Cảnh báo đang mở · alerts open"] == "2"
    assert rows["Prefect"].startswith("4.1 s to start a temporary server")
    assert "started 2026-11-10 02:00:05+07:00" in markdown
    # the open alerts worst first, tonight's marked new; a pipe in a sentence stays in its cell
    assert "| mới · new | fail | Giảm \\| mạnh<br>Fell \\| hard |" in markdown
    assert "|  | warn | Cũ |" in markdown
    assert "| c | H37 | 404 \\| gone never |" in markdown  # a newline would end the row


def test_a_quiet_night_has_no_alert_or_failure_section() -> None:
    checks = {"seconds": 0.1, "opened": 0, "resolved": 0, "open_alerts": 0, "alerts": {}}
    markdown = summary_markdown(night(failed_sources=[], checks=checks))
    assert "open alerts" not in markdown and "failed sources" not in markdown


def test_log_lines_name_each_source_that_brought_something_and_count_the_rest() -> None:
    loaded = [
        {"portal": "H37", "sources": {
            "H37-ho-so": {"files": {"loaded": 1}, "rows_loaded": 1, "rows_rejected": 2},
            "H37-old": {"files": {"duplicate": 1}, "rows_loaded": 0, "rows_rejected": 0},
            "H37-same": {"files": {}, "rows_loaded": 0, "rows_rejected": 0},
        }},
        {"portal": "T01", "sources": {
            "T01-bad": {"files": {"refused": 1}, "rows_loaded": 0, "rows_rejected": 0},
        }},
    ]  # fmt: skip
    assert source_lines(loaded) == [
        "H37-ho-so (H37): 1 file (1 loaded); 1 row loaded, 2 rejected",
        "T01-bad (T01): 1 file (1 refused); 0 rows loaded, 0 rejected",
        "2 sources brought nothing new",
    ]


def test_alert_lines_say_the_alerts_opened_and_resolved_in_both_languages() -> None:
    checks = {"opened": 1, "resolved": 1, "open_alerts": 1, "alerts": {
        "opened": [alert(3, "Mới", "New")], "resolved": [alert(1, "Cũ", "")]}}  # fmt: skip
    assert alert_lines(checks) == [
        "alerts: 1 opened, 1 resolved, 1 open",
        "opened [warn] Mới / New",
        "resolved [warn] Cũ",
    ]


def test_alert_changes_word_the_alerts_the_run_counted() -> None:
    before = pl.DataFrame([alert(1, "một"), alert(2, "hai")])
    after = pl.DataFrame([alert(2, "hai"), alert(3, "ba")])
    changes = alert_changes(before, after, opened=[3], resolved=[1])
    assert [a["alert_id"] for a in changes["opened"]] == [3]
    assert [a["message_vi"] for a in changes["resolved"]] == ["một"]  # its words from before
    assert [a["alert_id"] for a in changes["open"]] == [2, 3]


def test_times_are_vietnams_with_their_offset() -> None:
    assert vietnam_time(datetime(2026, 11, 9, 19, 0, 5, tzinfo=UTC)) == "2026-11-10 02:00:05+07:00"
    assert vietnam_time(datetime(2026, 11, 10, 23, 59)) == "2026-11-10 23:59:00+07:00"  # naive
    assert vietnam_time().endswith("+07:00")
