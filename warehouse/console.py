"""What `cchc` prints: the summaries of ingest, checks and run, the open alerts, query results
and, on a terminal, the progress display of a run. The commands decide; this module draws."""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console
from rich.table import Table
from rich.text import Text

if TYPE_CHECKING:
    import polars as pl

    from warehouse.checks import CheckRun
    from warehouse.explain import Explanation
    from warehouse.ingest import FileResult
    from warehouse.notify import NotifyResult
    from warehouse.pipeline import Progress

console = Console()
err = Console(stderr=True)

INGEST_STYLES = {"loaded": "green", "duplicate": "cyan", "refused": "yellow", "failed": "red"}
RUN_STAGES = ("load", "marts", "checks", "notify")  # the stages after the extracts, in order


def print_error(message: str) -> None:
    """Errors are printed as they are: a path or TOML key in brackets is not rich markup."""
    err.print(message, style="red", markup=False, highlight=False)


def print_ingest_summary(results: list[FileResult]) -> None:
    table = Table(title="cchc ingest", show_lines=False)
    for column in ("file", "kind", "format", "status", "read", "loaded", "rejected", "note"):
        justify = "right" if column in ("read", "loaded", "rejected") else "left"
        table.add_column(column, justify=justify, overflow="fold")
    for r in results:
        note = r.error or "; ".join(r.warnings)
        counts = (r.rows_read, r.rows_loaded, r.rows_rejected)
        table.add_row(
            Text(r.path.name),
            r.kind or "",
            r.format or "",
            Text(r.status, style=INGEST_STYLES[r.status]),
            *(f"{n:,}" if n is not None else "" for n in counts),
            Text(note),
        )
    console.print(table)
    totals = {s: sum(1 for r in results if r.status == s) for s in INGEST_STYLES}
    rows = sum(r.rows_loaded or 0 for r in results)
    rejected = sum(r.rows_rejected or 0 for r in results)
    console.print(
        f"{len(results)} files: {totals['loaded']} loaded, {totals['duplicate']} duplicate, "
        f"{totals['refused']} refused, {totals['failed']} failed; "
        f"{rows:,} rows loaded, {rejected:,} rejected (see ops.rejects)"
    )


def print_check_summary(run: CheckRun) -> None:
    console.print(
        f"checks: {run.breaches} breaches; alerts {run.opened} opened, {run.escalated} "
        f"escalated, {run.resolved} resolved; {run.open_alerts} open (see `cchc checks`)"
    )


def print_alert_table(alerts: pl.DataFrame) -> None:
    """The open alerts as `cchc checks` shows them: severity, check, message in both languages."""
    table = Table("severity", "check", "message", title="open alerts", show_lines=True)
    for alert in alerts.iter_rows(named=True):
        style = "red" if alert["severity"] == "fail" else "yellow"
        table.add_row(
            Text(alert["severity"], style=style),
            alert["check_id"],
            Text(f"{alert['message_vi']}\n{alert['message_en']}".strip()),
        )
    console.print(table)


def print_open_alerts(alerts: pl.DataFrame) -> None:
    """The open alerts after a run: one line each, Vietnamese, then English dimmed."""
    for alert in alerts.iter_rows(named=True):
        style = "red" if alert["severity"] == "fail" else "yellow"
        console.print(Text(f"[{alert['severity']}] {alert['message_vi']}", style=style))
        if alert["message_en"]:
            console.print(Text(f"        {alert['message_en']}", style="dim"))


def print_notify_result(result: NotifyResult) -> None:
    for target in result.targets:
        state = "sent" if target.ok else f"failed, retried next run: {target.error}"
        console.print(Text(f"notify {target.target}: {target.alerts_sent} alerts {state}"))


def print_run_summary(summary: dict) -> None:
    table = Table(title="cchc run", show_lines=False)
    for column in ("portal", "files", "rows loaded", "rejected", "seconds", "problems"):
        table.add_column(column, overflow="fold")
    failed_by_portal: dict[str, list[str]] = {}
    for failure in summary["failed_sources"]:
        failed_by_portal.setdefault(failure["portal"], []).append(failure["error"])
    for item in summary["loaded"]:
        files = ", ".join(f"{n} {status}" for status, n in sorted(item["files"].items()))
        problems = item["failed"] + failed_by_portal.pop(item["portal"], [])
        table.add_row(
            item["portal"],
            files,
            f"{item['rows_loaded']:,}",
            f"{item['rows_rejected']:,}",
            f"{item['seconds']:.1f}",
            Text("; ".join(problems)),
        )
    for portal, errors in failed_by_portal.items():
        table.add_row(portal, "", "", "", "", Text("; ".join(e[:300] for e in errors)))
    console.print(table)
    unchanged = sum(1 for e in summary["extracted"] if e["status"] == "unchanged")
    load_seconds = sum(item["seconds"] for item in summary["loaded"])
    extract_seconds = max((e["seconds"] for e in summary["extracted"]), default=0.0)
    console.print(
        f"{len(summary['extracted'])} sources pulled ({unchanged} unchanged), "
        f"{len(summary['failed_sources'])} failed; time per stage: extract "
        f"{extract_seconds:.1f} s (longest source), load {load_seconds:.1f} s, indicators "
        f"{summary['marts_seconds']:.1f} s, checks {summary['checks']['seconds']:.1f} s, "
        f"notify {summary['notify']['seconds']:.1f} s"
    )
    checks = summary["checks"]
    console.print(
        f"alerts: {checks['opened']} opened, {checks['escalated']} escalated, "
        f"{checks['resolved']} resolved, {checks['open_alerts']} open; "
        f"{summary['notify']['digests']} digests sent"
    )


def json_text(frame: pl.DataFrame) -> str:
    """Rows as a JSON array of objects, Vietnamese kept as it is, dates as text."""
    return json.dumps(frame.to_dicts(), ensure_ascii=False, default=str, indent=2) + "\n"


def print_warehouse_alerts(warehouse: Path) -> None:
    """The open alerts of a published warehouse, read-only (the end of `cchc run`)."""
    from warehouse.checks import open_alerts
    from warehouse.db import open_reader

    with open_reader(warehouse) as con:
        alerts = open_alerts(con)
    print_open_alerts(alerts)


def print_query_result(frame: pl.DataFrame, fmt: str, out: Path | None) -> None:
    """A query's rows as `table`, `csv` or `json`, on the terminal or into `out`; a table on
    the terminal ends with the row count."""
    if fmt in ("csv", "json"):
        from warehouse.csv_output import write_csv

        # text cells starting like a formula get an apostrophe (csv_output)
        text = write_csv(frame) if fmt == "csv" else json_text(frame)
        if out:
            out.write_text(text, encoding="utf-8")
        else:
            sys.stdout.write(text)
        return
    table = Table(*frame.columns)
    for row in frame.iter_rows():
        table.add_row(*(Text("" if v is None else str(v)) for v in row))
    if out:
        with out.open("w", encoding="utf-8") as handle:
            Console(file=handle, width=200).print(table)
    else:
        console.print(table)
        console.print(f"{frame.height:,} rows")


@contextmanager
def run_progress(sources: int) -> Iterator[Progress | None]:
    """On a terminal, a rich progress display per source and stage instead of Prefect's log
    lines (which still go to the Prefect run history): yields the callback to hand the run
    (warehouse.pipeline.Progress). Elsewhere, yields None and the plain log lines stay."""
    from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    if not console.is_terminal:
        yield None
        return
    progress = Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=False,
    )
    extract_task = progress.add_task(f"extract {sources} sources", total=sources)
    stage_tasks = {stage: progress.add_task(stage, total=1, start=False) for stage in RUN_STAGES}
    finished: dict[str, str] = {}  # source → done | failed (a retried source counts once)

    def update(step: str, state: str) -> None:
        if step in stage_tasks:
            if state == "start":
                progress.start_task(stage_tasks[step])
            else:
                progress.update(stage_tasks[step], completed=1)
        elif state != "start":
            finished[step] = state
            failures = sum(1 for s in finished.values() if s == "failed")
            label = f"extract {sources} sources" + (f" ({failures} failed)" if failures else "")
            progress.update(extract_task, completed=len(finished), description=label)

    prefect_logger = logging.getLogger("prefect")
    level = prefect_logger.level
    prefect_logger.setLevel(logging.WARNING)
    try:
        with progress:
            yield update
    finally:
        prefect_logger.setLevel(level)


def print_explanation(explanation: Explanation, as_json: bool) -> None:
    """`cchc explain`: the alert's sentence, then its children largest first (d0, d1, r0, r1
    and the three effects, in percentage points), or all of it as JSON."""
    if as_json:
        sys.stdout.write(json.dumps(explanation.as_json(), ensure_ascii=False, indent=2) + "\n")
        return
    from warehouse.cause_text import child_label
    from warehouse.causes import Cause
    from warehouse.numbers import format_en_number

    alert = explanation.alert
    console.print(Text(alert["message_vi"] or "", style="bold"))
    console.print(Text(alert["message_en"] or ""))
    for step in explanation.path:
        console.print(Text(f"→ {step['child_scope']} {step['child_name'] or step['child_code']}"))
    columns = ("child", "code", "d0", "d1", "r0", "r1", "rate", "mix", "interaction", "total")
    table = Table(*columns, title=f"alert {alert['alert_id']}: the change, split one level down")
    for row in explanation.children.iter_rows(named=True):
        cause = Cause(**{k: row[k] for k in Cause.__dataclass_fields__ if k in row})
        table.add_row(
            Text(child_label(cause, vn=True)),
            Text(cause.child_code),  # what --drill takes
            f"{cause.d0:,}",
            f"{cause.d1:,}",
            *(
                "—" if v is None else format_en_number(v, 2)
                for v in (cause.r0, cause.r1, cause.rate_effect, cause.mix_effect,
                          cause.interaction, cause.contribution)
            ),
        )  # fmt: skip
    console.print(table)
    total = sum(explanation.children["contribution"]) if explanation.children.height else 0.0
    console.print(
        f"{explanation.children.height:,} children; effects add up to {total:+.9f} points"
    )
