"""What `cchc run` prints at the end: the open alerts first, in words with portal names, then
the night in a few lines; a table only for what failed, or for every portal with --verbose."""

from __future__ import annotations

import io

import polars as pl
import pytest
from rich.console import Console

from warehouse import console as printing

NAMES = {"H37": "Cổng dịch vụ công tỉnh Lạng Sơn", "H14": "Cổng dịch vụ công tỉnh Cao Bằng"}


def night(*, failed: bool) -> dict:
    """A run summary as flows/nightly.py returns it: two portals, three sources."""
    extracted = [
        {"source": "H37-ho-so", "portal": "H37", "status": "new", "error": None, "seconds": 1.5},
        {"source": "H37-bao-cao", "portal": "H37", "status": "unchanged", "error": None,
         "seconds": 0.2},
    ]  # fmt: skip
    failed_sources = []
    if failed:
        failed_sources.append({"source": "H14-ho-so", "portal": "H14", "error": "HTTP 404"})
    else:
        extracted.append(
            {"source": "H14-ho-so", "portal": "H14", "status": "new", "error": None,
             "seconds": 0.7}
        )  # fmt: skip
    loaded = [
        {"portal": "H37", "files": {"loaded": 1, "duplicate": 1}, "rows_loaded": 1,
         "rows_rejected": 2, "failed": [], "seconds": 2.0},
    ]  # fmt: skip
    if not failed:
        loaded.append(
            {"portal": "H14", "files": {"loaded": 1}, "rows_loaded": 1_000, "rows_rejected": 0,
             "failed": [], "seconds": 1.0}
        )  # fmt: skip
    return {
        "extracted": extracted,
        "failed_sources": failed_sources,
        "loaded": loaded,
        "marts_seconds": 3.0,
        "checks": {"opened": 1, "escalated": 0, "resolved": 2, "open_alerts": 1, "seconds": 0.5},
        "notify": {"seconds": 0.1, "digests": 1},
        "prefect_line": "reused the server at http://127.0.0.1:4200/api",
    }


@pytest.fixture
def screen(monkeypatch: pytest.MonkeyPatch) -> io.StringIO:
    out = io.StringIO()
    monkeypatch.setattr(printing, "console", Console(file=out, width=120, color_system=None))
    return out


def test_a_quiet_night_is_four_lines_and_prefect_s_without_a_table(screen: io.StringIO) -> None:
    printing.print_run_summary(night(failed=False), NAMES)
    lines = screen.getvalue().splitlines()
    assert lines[:3] == [
        "sources: 3 sources pulled, 3 ok (1 unchanged), 0 failed",
        "files: 2 loaded, 1 duplicate, 0 refused, 0 failed; 1,001 rows loaded, 2 rejected",
        "alerts: 1 opened, 0 escalated, 2 resolved; 1 open; 1 digest sent",
    ]
    assert lines[3].startswith("time: extract 1.5 s (longest source), load 3.0 s")
    # Prefect's own cost apart from the night's work
    assert lines[4] == "Prefect: reused the server at http://127.0.0.1:4200/api"
    assert len(lines) == 5  # no table of every portal


def test_only_what_failed_gets_a_table_with_the_portal_s_name(screen: io.StringIO) -> None:
    printing.print_run_summary(night(failed=True), NAMES)
    text = screen.getvalue()
    assert "what failed" in text and "H14 · Cổng dịch vụ công tỉnh Cao Bằng" in text
    assert "HTTP 404" in text and "H37 ·" not in text  # the portal that loaded is not listed
    assert "sources: 3 sources pulled, 2 ok (1 unchanged), 1 failed" in text
    assert "1 row loaded" in text


def test_verbose_adds_every_portal_s_load(screen: io.StringIO) -> None:
    printing.print_run_summary(night(failed=False), NAMES, verbose=True)
    text = screen.getvalue()
    assert "H37 · Cổng dịch vụ công tỉnh Lạng Sơn" in text and "1 duplicate, 1 loaded" in text
    assert "H14 · Cổng dịch vụ công tỉnh Cao Bằng" in text and "1,000" in text


def test_an_open_alert_of_one_portal_names_it(screen: io.StringIO) -> None:
    alerts = pl.DataFrame(
        {
            "severity": ["fail", "warn"],
            "portal_code": ["H37", None],
            "message_vi": ["Tỷ lệ đúng hạn — cơ quan Sở Tư pháp: giảm 3,20 điểm %", "Toàn quốc"],
            "message_en": ["on-time rate fell 3.20 points", ""],
        }
    )
    printing.print_open_alerts(alerts.to_dicts(), NAMES)
    lines = screen.getvalue().splitlines()
    assert lines[0] == (
        "[fail] Cổng dịch vụ công tỉnh Lạng Sơn: Tỷ lệ đúng hạn — cơ quan Sở Tư pháp: giảm 3,20 "
        "điểm %"
    )
    assert lines[1].strip() == "on-time rate fell 3.20 points"
    assert lines[2] == "[warn] Toàn quốc"  # the nation belongs to no portal


def test_the_night_s_open_alerts_come_under_their_count(screen: io.StringIO) -> None:
    fields = ("alert_id", "severity", "portal_code", "message_vi", "message_en")
    rows = [(7, "fail", "H14", "Giảm", ""), (3, "warn", None, "Toàn quốc", "Nation")]
    open_alerts = [dict(zip(fields, row, strict=True)) for row in rows]
    printing.print_night_alerts(open_alerts, NAMES)
    assert screen.getvalue().splitlines() == [
        "2 open alerts, worst first:",
        "[fail] Cổng dịch vụ công tỉnh Cao Bằng: Giảm",
        "[warn] Toàn quốc",
        "        Nation",
    ]
    screen.truncate(0), screen.seek(0)
    printing.print_night_alerts([], NAMES)
    assert screen.getvalue() == "no open alerts\n"
