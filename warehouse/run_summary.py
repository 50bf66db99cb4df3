"""What a night did, in words: the nightly flow's log lines and its summary artifact, the
markdown table the Prefect UI shows for the run, built from the flow's small summaries.

Times are Vietnam's (Asia/Ho_Chi_Minh) with their offset written out, +07:00, so they read the
same on a server in UTC and in a browser anywhere.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from warehouse.clock import VIETNAM
from warehouse.numbers import counted

if TYPE_CHECKING:
    import polars as pl

ALERT_FIELDS = ("alert_id", "severity", "portal_code", "message_vi", "message_en")
LISTED_ALERTS = 50  # open alerts the artifact lists, worst first; the rest are counted
FILE_STATES = ("loaded", "duplicate", "refused", "failed")  # ingest's outcomes of a file


@dataclass(frozen=True)
class NightTotals:
    """What a night pulled and loaded, added up over its portals: the console's summary lines
    and the Prefect artifact's table say the same numbers."""

    sources: int  # pulled, ok or not
    sources_failed: int
    sources_unchanged: int  # answered "not modified": nothing fetched
    files: dict[str, int]  # per FILE_STATES
    rows_loaded: int
    rows_rejected: int

    @property
    def sources_ok(self) -> int:
        return self.sources - self.sources_failed


def night_totals(summary: dict) -> NightTotals:
    """The totals of the flow's summary (its `extracted`, `failed_sources` and `loaded`)."""
    extracted, loaded = summary["extracted"], summary["loaded"]
    files = dict.fromkeys(FILE_STATES, 0)
    for portal in loaded:
        for state, n in portal["files"].items():
            files[state] = files.get(state, 0) + n
    return NightTotals(
        sources=len(extracted) + len(summary["failed_sources"]),
        sources_failed=len(summary["failed_sources"])
        + sum(1 for e in extracted if e["status"] == "failed"),
        sources_unchanged=sum(1 for e in extracted if e["status"] == "unchanged"),
        files=files,
        rows_loaded=sum(p["rows_loaded"] for p in loaded),
        rows_rejected=sum(p["rows_rejected"] for p in loaded),
    )


def vietnam_time(moment: datetime | None = None) -> str:
    """'2026-11-10 02:00:05+07:00': `moment` (now if None) in Vietnam's time. A naive moment
    is Vietnam's already, as the warehouse stores them."""
    moment = moment or datetime.now(VIETNAM)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=VIETNAM)
    return moment.astimezone(VIETNAM).isoformat(sep=" ", timespec="seconds")


def alert_changes(
    before: pl.DataFrame, after: pl.DataFrame, *, opened: Iterable[int], resolved: Iterable[int]
) -> dict[str, list[dict]]:
    """The alerts a check run opened and resolved (their ids, as checks.run_checks counted
    them) and those left open (worst first), each as its id, severity, portal and sentences: an
    opened one worded from the open alerts after the run, a resolved one from those before it."""

    def listed(frame: pl.DataFrame, ids: set) -> list[dict]:
        rows = frame.select(ALERT_FIELDS).iter_rows(named=True)
        return [row for row in rows if row["alert_id"] in ids]

    return {
        "opened": listed(after, set(opened)),
        "resolved": listed(before, set(resolved)),
        "open": after.select(ALERT_FIELDS).to_dicts(),
    }


def source_lines(loaded: Iterable[dict]) -> list[str]:
    """The load in lines an analyst reads: one per source that brought something (a file
    loaded, refused or failed, rows loaded or rejected), then one counting the sources that
    brought nothing new (unchanged at the portal, or every file already loaded)."""
    lines, quiet = [], 0
    for portal in loaded:
        for name, counts in portal.get("sources", {}).items():
            files, rows, rejected = counts["files"], counts["rows_loaded"], counts["rows_rejected"]
            if set(files) <= {"duplicate"} and not rows and not rejected:
                quiet += 1
                continue
            tally = ", ".join(f"{n} {state}" for state, n in sorted(files.items()))
            lines.append(
                f"{name} ({portal['portal']}): {counted(sum(files.values()), 'file')} "
                f"({tally}); {counted(rows, 'row')} loaded, {rejected:,} rejected"
            )
    if quiet:
        lines.append(f"{counted(quiet, 'source')} brought nothing new")
    return lines


def alert_lines(checks: dict) -> list[str]:
    """The alerts a night opened and resolved, in both languages, after a line of counts."""
    words = checks.get("alerts", {})
    lines = [
        f"alerts: {checks['opened']} opened, {checks['resolved']} resolved, "
        f"{checks['open_alerts']} open"
    ]
    for change in ("opened", "resolved"):
        for alert in words.get(change, []):
            lines.append(f"{change} [{alert['severity']}] {_sentences(alert, ' / ')}")
    return lines


def summary_markdown(summary: dict) -> str:
    """The night as the Prefect UI shows it: a table of what came in and what the checks
    found, the open alerts in words (tonight's marked new), then the sources that failed."""
    checks, failed = summary["checks"], summary["failed_sources"]
    words = checks.get("alerts", {})
    totals = night_totals(summary)
    file_counts = " / ".join(f"{totals.files[state]:,}" for state in FILE_STATES)
    night = [
        ("Nguồn lấy được · sources ok", f"{totals.sources_ok:,}"),
        ("Nguồn lỗi · sources failed", f"{totals.sources_failed:,}"),
        ("Tệp · files " + " / ".join(FILE_STATES), file_counts),
        ("Dòng đã nạp · rows loaded", f"{totals.rows_loaded:,}"),
        ("Dòng bị loại · rows rejected", f"{totals.rows_rejected:,}"),
        ("Tính chỉ số · indicators (marts)", f"{summary['marts_seconds']:.1f} s"),
        ("Kiểm tra · checks", f"{checks['seconds']:.1f} s"),
        ("Cảnh báo mới · alerts opened", f"{checks['opened']:,}"),
        ("Cảnh báo đã hết · alerts resolved", f"{checks['resolved']:,}"),
        ("Cảnh báo đang mở · alerts open", f"{checks['open_alerts']:,}"),
        ("Prefect", summary["prefect_line"]),
    ]  # fmt: skip
    day = summary["started_at"][:10]
    lines = [
        f"# Đêm {day} · the night of {day}",
        "",
        f"Bắt đầu · started {summary['started_at']}, xong · finished {summary['finished_at']}; "
        f"kiểm tra tính đến · checks as of {summary['as_of']} (Asia/Ho_Chi_Minh).",
        *_table(("", ""), night, align="|---|---:|"),
    ]
    opened = {alert["alert_id"] for alert in words.get("opened", [])}
    if listed := words.get("open", [])[:LISTED_ALERTS]:
        alerts = [
            ("mới · new" if a["alert_id"] in opened else "", a["severity"], _sentences(a, "<br>"))
            for a in listed
        ]
        lines += ["", "## Cảnh báo đang mở · open alerts"]
        lines += _table(("", "mức · severity", "cảnh báo · alert"), alerts)
        if (more := checks["open_alerts"] - len(listed)) > 0:
            lines += ["", f"… {counted(more, 'more open alert')} (`cchc checks`)."]
    if failed:
        lines += ["", "## Nguồn lỗi · failed sources"]
        lines += _table(
            ("nguồn · source", "cổng · portal", "lỗi · error"),
            [(f["source"], f["portal"], f["error"][:300]) for f in failed],
        )
    return "\n".join(lines) + "\n"


def _table(header: tuple[str, ...], rows: Iterable[tuple], align: str = "") -> list[str]:
    """A markdown table after an empty line; a pipe or newline inside a cell is escaped."""
    lines = ["", "| " + " | ".join(header) + " |", align or "|" + "---|" * len(header)]
    return lines + ["| " + " | ".join(_cell(str(v)) for v in row) + " |" for row in rows]


def _sentences(alert: dict, between: str) -> str:
    return between.join(text for text in (alert["message_vi"], alert["message_en"]) if text)


def _cell(text: str) -> str:
    """Text inside a markdown table cell: a pipe would end the cell, a newline the row."""
    return text.replace("|", "\\|").replace("\r", " ").replace("\n", " ")
