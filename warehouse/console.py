"""What `cchc` prints: the summaries of ingest, checks and run, the open alerts
and, on a terminal, the progress display of a run. The commands decide; this module draws."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from itertools import groupby
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from warehouse.numbers import counted

if TYPE_CHECKING:
    import polars as pl

    from warehouse.checks import CheckRun
    from warehouse.explain import Explanation
    from warehouse.ingest import FileResult
    from warehouse.ingest_outcome import RejectedCell
    from warehouse.notify import NotifyResult
    from warehouse.pipeline import Progress

console = Console()
err = Console(stderr=True)

INGEST_STYLES = {"loaded": "green", "duplicate": "cyan", "refused": "yellow", "failed": "red"}
RUN_STAGES = ("load", "marts", "checks", "notify")  # the stages after the extracts, in order


def print_error(message: str) -> None:
    """Errors are printed as they are: a path or TOML key in brackets is not rich markup."""
    err.print(message, style="red", markup=False, highlight=False)


def print_ingest_summary(results: list[FileResult], rejected: list[RejectedCell]) -> None:
    """One row per file, then in full lines (never squeezed into a column) why a file failed
    or was refused, its warnings, and the first rejected rows of each file with their reason in
    Vietnamese and English; the totals last."""
    table = Table(title="cchc ingest", show_lines=False)
    for column in ("file", "kind", "format", "status", "read", "loaded", "rejected"):
        justify = "right" if column in ("read", "loaded", "rejected") else "left"
        table.add_column(column, justify=justify, overflow="fold")
    for r in results:
        counts = (r.rows_read, r.rows_loaded, r.rows_rejected)
        table.add_row(
            Text(r.path.name),
            r.kind or "",
            r.format or "",
            Text(r.status, style=INGEST_STYLES[r.status]),
            *(f"{n:,}" if n is not None else "" for n in counts),
        )
    console.print(table)
    from warehouse.labels import REFUSAL_LABELS, label  # here: `cchc sql` reads no labels

    for r in results:
        if r.status == "failed":
            console.print(Text(f"failed {r.path.name}: {r.error}", style="red"))
        elif r.status == "refused":
            vi, en = label(REFUSAL_LABELS, r.reason) or ("", "")
            words = f"{vi} / {en}: " if vi else ""
            console.print(Text.assemble((f"refused {r.path.name}: {words}", "yellow"), r.error))
        for warning in r.warnings:
            console.print(Text(f"warning {r.path.name}: {warning}", style="dim"))
    _print_rejected(rejected, {r.file_id: r.rows_rejected or 0 for r in results})
    files = {s: sum(1 for r in results if r.status == s) for s in INGEST_STYLES}
    rows_loaded = sum(r.rows_loaded or 0 for r in results)
    rows_rejected = sum(r.rows_rejected or 0 for r in results)
    console.print(
        f"{counted(len(results), 'file')}: {_files_and_rows(files, rows_loaded, rows_rejected)}"
        + (" (see ops.rejects)" if rows_rejected else "")
    )


def _files_and_rows(files: Mapping[str, int], rows_loaded: int, rows_rejected: int) -> str:
    """The files by what became of them, then the rows: the totals of `cchc ingest` and of a
    night (`cchc run`), worded once."""
    return (
        f"{files['loaded']} loaded, {files['duplicate']} duplicate, {files['refused']} refused, "
        f"{files['failed']} failed; {counted(rows_loaded, 'row')} loaded, "
        f"{rows_rejected:,} rejected"
    )


def _print_rejected(rejected: list[RejectedCell], rejected_rows: dict[int, int]) -> None:
    """Per file: 'row 3, status "Đang giải quyết": <lý do> / <reason>' and the details."""
    for file_id, cells in groupby(rejected, key=lambda cell: cell.file_id):  # in file order
        cells = list(cells)
        shown = len({cell.row for cell in cells})
        total = rejected_rows.get(file_id, shown)
        more = f"the first {shown} of {total:,}" if total > shown else "all"
        name = cells[0].file
        console.print(
            Text(f"rejected rows of {name} ({more}; every one is in ops.rejects):", "bold")
        )
        for cell in cells:
            value = "empty" if cell.value is None else f'"{cell.value}"'
            vi, en = cell.words
            console.print(Text(f"  row {cell.row:,}, {cell.column} {value}: {vi} / {en}"))
            if not cell.message.endswith(" is required"):  # the words said it already
                console.print(Text(f"      {cell.message}", style="dim"))


def print_check_summary(run: CheckRun) -> None:
    console.print(
        f"checks: {counted(run.breaches, 'breach', 'breaches')}; alerts {run.opened} opened, "
        f"{run.escalated} escalated, {run.resolved} resolved; {run.open_alerts} open "
        "(see `cchc checks`)"
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


def print_open_alerts(alerts: Iterable[Mapping[str, Any]], portal_names: Mapping[str, str]) -> None:
    """The open alerts after a run: one line each, Vietnamese, then English dimmed; an alert
    of one portal starts with the portal's name (the message names its agency, not its portal)."""
    for alert in alerts:
        style = "red" if alert["severity"] == "fail" else "yellow"
        name = portal_names.get(alert["portal_code"] or "")
        where = f"{name}: " if name and name not in (alert["message_vi"] or "") else ""
        console.print(Text(f"[{alert['severity']}] {where}{alert['message_vi']}", style=style))
        if alert["message_en"]:
            console.print(Text(f"        {alert['message_en']}", style="dim"))


def print_notify_result(result: NotifyResult) -> None:
    for target in result.targets:
        state = "sent" if target.ok else f"failed, retried next run: {target.error}"
        sent = counted(len(target.alerts_sent if target.ok else target.alerts_failed), "alert")
        console.print(Text(f"notify {target.target}: {sent} {state}"))


def print_run_summary(
    summary: dict, portal_names: Mapping[str, str], *, verbose: bool = False
) -> None:
    """The night in a few lines (sources, files and rows, alerts, time per stage, Prefect),
    after a table of what failed, if anything did; `verbose` adds a table of every portal's
    load. The totals are the Prefect artifact's (run_summary.night_totals)."""
    from warehouse.run_summary import night_totals

    def portal(code: str) -> str:
        return f"{code} · {portal_names[code]}" if code in portal_names else code

    if verbose:
        table = Table(title="cchc run", show_lines=False)
        for column in ("portal", "files", "rows loaded", "rejected", "seconds"):
            table.add_column(column, overflow="fold")
        for item in summary["loaded"]:
            tally = ", ".join(f"{n} {status}" for status, n in sorted(item["files"].items()))
            rows = (f"{item['rows_loaded']:,}", f"{item['rows_rejected']:,}")
            table.add_row(Text(portal(item["portal"])), tally, *rows, f"{item['seconds']:.1f}")
        console.print(table)
    failures = [(f["portal"], f["source"], f["error"]) for f in summary["failed_sources"]]
    failures += [(e["portal"], e["source"], e["error"] or "") for e in summary["extracted"]
                 if e["status"] == "failed"]  # fmt: skip
    failures += [(i["portal"], "", problem) for i in summary["loaded"] for problem in i["failed"]]
    if failures:
        table = Table("portal", "source", "problem", title="what failed", show_lines=True)
        for code, source, problem in failures:
            table.add_row(Text(portal(code)), Text(source), Text(problem, style="red"))
        console.print(table)
    totals = night_totals(summary)
    checks, notified = summary["checks"], summary["notify"]
    console.print(
        f"sources: {counted(totals.sources, 'source')} pulled, {totals.sources_ok} ok "
        f"({totals.sources_unchanged} unchanged), {totals.sources_failed} failed\n"
        f"files: {_files_and_rows(totals.files, totals.rows_loaded, totals.rows_rejected)}\n"
        f"alerts: {checks['opened']} opened, {checks['escalated']} escalated, "
        f"{checks['resolved']} resolved; {checks['open_alerts']} open; "
        f"{counted(notified['digests'], 'digest')} sent",
        highlight=False,
    )
    load_seconds = sum(item["seconds"] for item in summary["loaded"])
    extract_seconds = max((e["seconds"] for e in summary["extracted"]), default=0.0)
    console.print(
        f"time: extract {extract_seconds:.1f} s (longest source), load {load_seconds:.1f} s, "
        f"indicators {summary['marts_seconds']:.1f} s, checks {checks['seconds']:.1f} s, "
        f"notify {notified['seconds']:.1f} s",
        style="dim",
    )
    # apart: Prefect's own cost is not the night's work
    console.print(f"Prefect: {summary['prefect_line']}", style="dim", highlight=False)


def print_night_alerts(open_alerts: list[dict], portal_names: Mapping[str, str]) -> None:
    """The alerts a night left open, as its checks listed them in the run's summary (the end
    of `cchc run`), under a line that counts them."""
    heading = f"{counted(len(open_alerts), 'open alert')}, worst first:" if open_alerts else ""
    console.print(Text(heading or "no open alerts", style="bold"))
    print_open_alerts(open_alerts, portal_names)


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

    import logging

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
        import json

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
        f"{counted(explanation.children.height, 'child', 'children')}; effects add up to "
        f"{total:+.9f} points"
    )
