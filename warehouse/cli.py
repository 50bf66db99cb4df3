"""The `cchc` command: typer commands that call the warehouse modules, and nothing else."""

from __future__ import annotations

import json
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from warehouse.config import ConfigError, load_config, resolve_warehouse

app = typer.Typer(
    help="cchc-warehouse: Vietnam's administrative-reform (CCHC) indicators, loaded nightly.",
    no_args_is_help=True,
    rich_markup_mode="rich",
)
console = Console()
err = Console(stderr=True)


def _error(message: str) -> None:
    """Errors are printed as they are: a path or TOML key in brackets is not rich markup."""
    err.print(message, style="red", markup=False, highlight=False)


WarehouseOption = Annotated[
    Path | None,
    typer.Option(
        "--warehouse",
        help="DuckDB file \\[default: $CCHC_WAREHOUSE, else data/warehouse.duckdb].",
        show_default=False,
    ),
]
ConfigOption = Annotated[
    Path | None,
    typer.Option(
        "--config",
        help="cchc.toml \\[default: $CCHC_CONFIG, else the built-in demo configuration].",
        show_default=False,
    ),
]


AsOfOption = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        help="Judge as of this date, YYYY-MM-DD \\[default: \\[run] as_of of the configuration, "
        "else now].",
        show_default=False,
    ),
]


def _moment(as_of: str | None, settings):  # type: ignore[no-untyped-def]
    """The one clock: --as-of, else [run] as_of, else now (warehouse/clock.py)."""
    from warehouse.clock import judging_moment, parse_as_of

    try:
        return judging_moment(parse_as_of(as_of) if as_of else None, settings.as_of)
    except ValueError as error:
        _error(f"--as-of: {error}")
        raise typer.Exit(1) from None


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Export files or folders of them.")],
    portal: Annotated[str, typer.Option("--portal", help="Portal code from the configuration.")],
    sheet: Annotated[
        str | None, typer.Option(help="Sheet to read in workbooks (default: first with data).")
    ] = None,
    agency: Annotated[
        str | None,
        typer.Option(help="Agency of per-field report tables whose banner names none."),
    ] = None,
    no_checks: Annotated[
        bool,
        typer.Option(
            "--no-checks", help="Skip the checks (the indicators are rebuilt all the same)."
        ),
    ] = False,
    exported_on: Annotated[
        str | None,
        typer.Option(
            "--exported-on",
            help="The day the export was taken, YYYY-MM-DD, when the file does not say it: "
            "the portal's coverage reaches that day.",
            show_default=False,
        ),
    ] = None,
    as_of: AsOfOption = None,
    warehouse: WarehouseOption = None,
    config: ConfigOption = None,
) -> None:
    """Load local export files (any kind and format of the export contract).

    Example: [bold]cchc ingest exports/ho-so-2023.xlsx exports/bao-cao/ --portal H37[/bold]

    Exit status: 0 all loaded; 3 some files refused or rows rejected; 1 a file failed.
    """
    from datetime import date

    from warehouse.archive import archived_ahead

    try:
        settings = load_config(config)
        portal_config = settings.portal(portal)
    except ConfigError as error:
        _error(str(error))
        raise typer.Exit(1) from None
    moment = _moment(as_of, settings)
    try:
        export_day = date.fromisoformat(exported_on) if exported_on else None
    except ValueError:
        _error(f"--exported-on {exported_on}: use a date such as 2025-06-30")
        raise typer.Exit(1) from None
    files = _expand(paths)
    if not files:
        _error("no files to load")
        raise typer.Exit(1)
    target = resolve_warehouse(warehouse)
    results = []
    with archived_ahead(files, target.parent) as copies:  # first: Polars and DuckDB load meanwhile
        from warehouse import pipeline
        from warehouse.db import open_writer
        from warehouse.ingest import ingest_file

        # the same stages as the nightly flow: load each file, rebuild the indicators, judge
        with open_writer(target) as con:
            for path, copy in zip(files, copies, strict=True):
                results.append(
                    ingest_file(
                        con,
                        path,
                        portal_config,
                        data_dir=target.parent,
                        sheet=sheet,
                        default_agency=agency,
                        archived=copy.result(),
                        exported_on=export_day,
                    )
                )
            pipeline.refresh_indicators(con)  # the indicators follow every load
            check_run = None if no_checks else pipeline.judge(con, settings, now=moment)
    _print_ingest_summary(results)
    if check_run is not None:
        _print_check_summary(check_run)
    if any(r.status == "failed" for r in results):
        raise typer.Exit(1)
    if any(r.status == "refused" or (r.rows_rejected or 0) > 0 for r in results):
        raise typer.Exit(3)


def _expand(paths: list[Path]) -> list[Path]:
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(p for p in path.rglob("*") if p.is_file()))
        elif path.is_file():
            files.append(path)
        else:
            _error(f"{path}: no such file or folder")
            raise typer.Exit(1)
    return files


def _print_ingest_summary(results: list) -> None:
    table = Table(title="cchc ingest", show_lines=False)
    for column in ("file", "kind", "format", "status", "read", "loaded", "rejected", "note"):
        justify = "right" if column in ("read", "loaded", "rejected") else "left"
        table.add_column(column, justify=justify, overflow="fold")
    styles = {"loaded": "green", "duplicate": "cyan", "refused": "yellow", "failed": "red"}
    for r in results:
        note = r.error or "; ".join(r.warnings)
        counts = (r.rows_read, r.rows_loaded, r.rows_rejected)
        table.add_row(
            Text(r.path.name),
            r.kind or "",
            r.format or "",
            Text(r.status, style=styles[r.status]),
            *(f"{n:,}" if n is not None else "" for n in counts),
            Text(note),
        )
    console.print(table)
    totals = {s: sum(1 for r in results if r.status == s) for s in styles}
    rows = sum(r.rows_loaded or 0 for r in results)
    rejected = sum(r.rows_rejected or 0 for r in results)
    console.print(
        f"{len(results)} files: {totals['loaded']} loaded, {totals['duplicate']} duplicate, "
        f"{totals['refused']} refused, {totals['failed']} failed; "
        f"{rows:,} rows loaded, {rejected:,} rejected (see ops.rejects)"
    )


def _print_check_summary(run) -> None:  # type: ignore[no-untyped-def]
    console.print(
        f"checks: {run.breaches} breaches; alerts {run.opened} opened, {run.escalated} "
        f"escalated, {run.resolved} resolved; {run.open_alerts} open (see `cchc checks`)"
    )


@app.command()
def checks(
    as_json: Annotated[bool, typer.Option("--json", help="Print open alerts as JSON.")] = False,
    fail_on: Annotated[
        str | None,
        typer.Option("--fail-on", help="warn or fail: exit 2 when such an alert is open."),
    ] = None,
    notify: Annotated[
        bool, typer.Option("--notify", help="Also send the digest to the configured targets.")
    ] = False,
    as_of: AsOfOption = None,
    warehouse: WarehouseOption = None,
    config: ConfigOption = None,
) -> None:
    """Rebuild the indicators, run the checks on what is loaded and print the open alerts.

    Example: [bold]cchc checks --fail-on fail[/bold]

    Exit status: 0; with --fail-on warn|fail, 2 when an alert of that severity (or worse) is open.
    """
    from warehouse import pipeline
    from warehouse.checks import open_alerts
    from warehouse.db import open_writer

    if fail_on not in (None, "warn", "fail"):
        _error(f"--fail-on {fail_on}: use warn or fail")
        raise typer.Exit(1)
    try:
        settings = load_config(config)
    except ConfigError as error:
        _error(str(error))
        raise typer.Exit(1) from None
    moment = _moment(as_of, settings)
    with open_writer(resolve_warehouse(warehouse)) as con:
        pipeline.refresh_indicators(con)
        run = pipeline.judge(con, settings, now=moment)
        if notify:
            _notify(con, settings, moment)
        alerts = open_alerts(con)
    if as_json:
        sys.stdout.write(
            json.dumps(alerts.to_dicts(), ensure_ascii=False, default=str, indent=2) + "\n"
        )
    else:
        _print_check_summary(run)
        table = Table("severity", "check", "message", title="open alerts", show_lines=True)
        for alert in alerts.iter_rows(named=True):
            style = "red" if alert["severity"] == "fail" else "yellow"
            table.add_row(
                Text(alert["severity"], style=style),
                alert["check_id"],
                Text(f"{alert['message_vi']}\n{alert['message_en']}".strip()),
            )
        console.print(table)
    severities = set(alerts["severity"].to_list())
    if (fail_on == "fail" and "fail" in severities) or (fail_on == "warn" and severities):
        raise typer.Exit(2)


def _notify(con, settings, moment) -> None:  # type: ignore[no-untyped-def]
    from warehouse.notify import notify_pending

    names = {code: portal.name for code, portal in settings.portals.items()}
    result = notify_pending(con, list(settings.notify_urls), now=moment, portal_names=names)
    for target in result.targets:
        state = "sent" if target.ok else f"failed, retried next run: {target.error}"
        console.print(Text(f"notify {target.target}: {target.alerts_sent} alerts {state}"))


@app.command()
def run(
    as_of: AsOfOption = None,
    warehouse: WarehouseOption = None,
    config: ConfigOption = None,
) -> None:
    """The nightly job once, as a Prefect flow run: pull every source, load, rebuild the
    indicators, run the checks, send the alerts.

    Example: [bold]cchc run[/bold] (the built-in demo portal, offline)

    Exit status: 0 done (alerts or not); 1 the run failed; 3 some sources failed.
    """
    from warehouse.clock import parse_as_of
    from warehouse.prefect_env import configure_prefect, run_server

    target = resolve_warehouse(warehouse)
    try:  # None: the flow takes [run] as_of, else the moment its load ends
        moment = parse_as_of(as_of) if as_of else None
    except ValueError as error:
        _error(f"--as-of: {error}")
        raise typer.Exit(1) from None
    configure_prefect(target.parent)
    with _demo_portal(config, target.parent):
        try:
            settings = load_config(config)
        except ConfigError as error:
            _error(str(error))
            raise typer.Exit(1) from None
        # a Prefect server that dies with this process, before Prefect is imported (see there)
        with run_server():
            from flows.nightly import nightly

            config_path = str(settings.path)
            moment = moment or settings.as_of
            with _run_progress(settings):
                state = nightly(config_path, str(target), moment, return_state=True)
    if not state.is_completed():
        _error(f"the nightly run failed: {state.message}")
        raise typer.Exit(1)
    summary = state.result()
    _print_run_summary(summary)
    _print_open_alerts(target)
    if summary["failed_sources"] or any(item["failed"] for item in summary["loaded"]):
        raise typer.Exit(3)


@contextmanager
def _run_progress(settings):  # type: ignore[no-untyped-def]
    """On a terminal, a rich progress display per source and stage instead of Prefect's log
    lines (which still go to the Prefect run history); elsewhere, the plain log lines."""
    import logging

    from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from warehouse import pipeline

    if not console.is_terminal:
        yield
        return
    stages = ["load", "marts", "checks", "notify"]
    progress = Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=False,
    )
    sources = len(settings.sources)
    extract_task = progress.add_task(f"extract {sources} sources", total=sources)
    stage_tasks = {stage: progress.add_task(stage, total=1, start=False) for stage in stages}
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
    pipeline.on_progress = update
    try:
        with progress:
            yield
    finally:
        pipeline.on_progress = None
        prefect_logger.setLevel(level)


@contextmanager
def _demo_portal(config: Path | None, data_dir: Path):  # type: ignore[no-untyped-def]
    """With the built-in demo configuration, serve the demo exports on 127.0.0.1 for the run."""
    import os

    if config or os.environ.get("CCHC_CONFIG"):
        yield
        return
    from warehouse.demo.server import serving
    from warehouse.demo.site import demo_exports

    with serving(demo_exports(data_dir)) as base_url:
        previous = os.environ.get("CCHC_DEMO_URL")
        os.environ["CCHC_DEMO_URL"] = base_url
        try:
            yield
        finally:
            if previous is None:
                os.environ.pop("CCHC_DEMO_URL", None)
            else:
                os.environ["CCHC_DEMO_URL"] = previous


def _print_run_summary(summary: dict) -> None:
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


@app.command()
def serve(
    port: Annotated[
        int, typer.Option("--port", help="Port of the Prefect server started when none is set.")
    ] = 4200,
    warehouse: WarehouseOption = None,
    config: ConfigOption = None,
) -> None:
    """Serve the `nightly` deployment on its schedule, with run history in the Prefect UI.

    Uses the Prefect server of $PREFECT_API_URL, or starts one on 127.0.0.1:PORT (its
    database in the data folder). Runs until stopped.

    Example: [bold]cchc serve[/bold], then open http://127.0.0.1:4200
    """
    import signal

    from warehouse.prefect_env import configure_prefect, prefect_server

    # a service manager stops us with SIGTERM: exit through the finally blocks, so the Prefect
    # server we started and the demo portal stop with us
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    target = resolve_warehouse(warehouse)
    configure_prefect(target.parent)
    with prefect_server(port) as api_url, _demo_portal(config, target.parent):
        try:
            settings = load_config(config)
        except ConfigError as error:
            _error(str(error))
            raise typer.Exit(1) from None
        from prefect.schedules import Cron

        from flows.nightly import nightly

        console.print(
            f"serving `nightly` ({settings.schedule_cron}, {settings.schedule_timezone}) "
            f"against {api_url}"
        )
        nightly.serve(
            name="nightly",
            schedules=[Cron(settings.schedule_cron, timezone=settings.schedule_timezone)],
            parameters={"config_path": str(settings.path), "warehouse": str(target.resolve())},
        )


def _print_open_alerts(target: Path) -> None:
    from warehouse.checks import open_alerts
    from warehouse.db import open_reader

    with open_reader(target) as con:
        alerts = open_alerts(con)
    for alert in alerts.iter_rows(named=True):
        style = "red" if alert["severity"] == "fail" else "yellow"
        console.print(Text(f"[{alert['severity']}] {alert['message_vi']}", style=style))
        if alert["message_en"]:
            console.print(Text(f"        {alert['message_en']}", style="dim"))


@app.command("portal-demo")
def portal_demo(
    port: Annotated[int, typer.Option("--port", help="Port on 127.0.0.1.")] = 8765,
    warehouse: WarehouseOption = None,
    config: ConfigOption = None,
) -> None:
    """Serve the built-in demo exports over HTTP on 127.0.0.1, as a portal would.

    Example: [bold]cchc portal-demo --port 8765[/bold], then open http://127.0.0.1:8765/H37/
    """
    from warehouse.demo.server import make_server
    from warehouse.demo.site import demo_exports

    root = demo_exports(resolve_warehouse(warehouse).parent)
    server = make_server(root, port, verbose=True)
    console.print(f"demo portal on http://127.0.0.1:{server.server_address[1]}/ (Ctrl+C stops)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


@app.command()
def report(
    out: Annotated[Path, typer.Option("--out", help="The HTML file to write.")],
    as_of: AsOfOption = None,
    warehouse: WarehouseOption = None,
    config: ConfigOption = None,
) -> None:
    """Write a self-contained HTML report with charts (opens offline), read-only.

    Example: [bold]cchc report --out bao-cao-cchc.html[/bold]
    """
    from warehouse.report import build_report

    try:
        settings = load_config(config)
        names = {code: portal.name for code, portal in settings.portals.items()}
        written = build_report(
            resolve_warehouse(warehouse),
            out,
            portal_names=names,
            as_of=_moment(as_of, settings).date(),
        )
    except ConfigError as error:
        _error(str(error))
        raise typer.Exit(1) from None
    except FileNotFoundError as error:
        _error(str(error))
        raise typer.Exit(1) from None
    console.print(f"report written to {written}")


@app.command()
def export(
    out: Annotated[Path, typer.Option("--out", help="Folder for the files.")],
    fmt: Annotated[str, typer.Option("--format", help="parquet (the only format).")] = "parquet",
    warehouse: WarehouseOption = None,
    config: ConfigOption = None,
) -> None:
    """Write the core and mart tables as Parquet files, one per table, read-only.

    Example: [bold]cchc export --format parquet --out exports/[/bold]
    """
    from warehouse.export import export_parquet

    if fmt != "parquet":
        _error(f"--format {fmt}: only parquet is supported")
        raise typer.Exit(1)
    try:
        written = export_parquet(resolve_warehouse(warehouse), out)
    except FileNotFoundError as error:
        _error(str(error))
        raise typer.Exit(1) from None
    console.print(f"{len(written)} tables written to {out}")


@app.command()
def sql(
    query: Annotated[str, typer.Argument(help="One SQL query, run read-only.")],
    fmt: Annotated[
        str, typer.Option("--format", help="table, csv or json.", case_sensitive=False)
    ] = "table",
    out: Annotated[Path | None, typer.Option("--out", help="Write to this file.")] = None,
    warehouse: WarehouseOption = None,
    config: ConfigOption = None,
) -> None:
    """Run a read-only query on the warehouse.

    Example: [bold]cchc sql "SELECT status, count(*) FROM core.fact_dossier GROUP BY ALL"[/bold]
    """
    import duckdb

    from warehouse.db import open_reader

    if fmt not in ("table", "csv", "json"):
        _error(f"--format {fmt}: use table, csv or json")
        raise typer.Exit(1)
    try:
        con = open_reader(resolve_warehouse(warehouse))
        result = con.sql(query)
        frame = result.pl() if result is not None else None
    except (duckdb.Error, FileNotFoundError) as error:
        _error(str(error))
        raise typer.Exit(1) from None
    if frame is None:
        return
    if fmt == "csv":  # text cells starting like a formula get an apostrophe (csv_output)
        from warehouse.csv_output import write_csv

        text = write_csv(frame)
    elif fmt == "json":
        text = json.dumps(frame.to_dicts(), ensure_ascii=False, default=str, indent=2) + "\n"
    else:
        text = None
    if text is not None:
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


if __name__ == "__main__":
    app()
