"""The `cchc` command: typer commands that call the warehouse modules, and nothing else."""

import sys
from pathlib import Path
from typing import Annotated

import typer

from warehouse.cli_help import (
    App,
    AsOfOption,
    ConfigOption,
    NotifyFlag,
    VerboseFlag,
    VersionFlag,
    WarehouseOption,
    exit_1_on,
    fail,
    moment_of,
    resolve_warehouse,
    settings_of,
)

app = App(
    help="cchc-warehouse: Vietnam's administrative-reform (CCHC) indicators, loaded nightly.",
    no_args_is_help=True,
    rich_markup_mode="rich",
)


@app.callback()
def main(
    show_version: VersionFlag = False,
) -> None:
    """cchc-warehouse: Vietnam's administrative-reform (CCHC) indicators, loaded nightly."""


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Export files or folders of them.")],
    portal: Annotated[str, typer.Option("--portal", metavar="<code>", help="A portal's code.")],
    sheet: Annotated[
        str | None,
        typer.Option(
            metavar="<name>", help="Sheet to read in workbooks \\[default: the first with data]."
        ),
    ] = None,
    agency: Annotated[
        str | None,
        typer.Option(
            metavar="<name>",
            help="Agency of per-field report tables whose banner names none \\[default: none].",
        ),
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
            metavar="<date>",
            help="The day the export was taken, YYYY-MM-DD, when the file does not say it: "
            "the portal's coverage reaches that day \\[default: the data's own dates].",
            show_default=False,
        ),
    ] = None,
    request: Annotated[
        str | None,
        typer.Option(
            "--request",
            metavar="<json>",
            help="National scoreboard answers: the JSON body that asked for them (their period), "
            'e.g. \'{"timeType": "year", "year": 2026}\'; dated by --as-of \\[default: none].',
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
    from warehouse.config import ConfigError, load_config
    from warehouse.console import print_check_summary, print_ingest_summary

    with exit_1_on(ConfigError):
        settings = load_config(config)
        portal_config = settings.portal(portal)
    moment = moment_of(as_of, settings)
    with exit_1_on(
        ValueError, prefix=f"--exported-on {exported_on}: use a date such as 2025-06-30; "
    ):
        export_day = date.fromisoformat(exported_on) if exported_on else None
    with exit_1_on(ValueError, prefix="--request: not JSON: "):
        import json

        body = json.loads(request) if request is not None else None
    from warehouse.sources.errors import SourceError
    from warehouse.sources.files import expand_paths

    with exit_1_on(FileNotFoundError, SourceError):
        files = expand_paths(paths)
    if not files:
        fail("no files to load")
    target = resolve_warehouse(warehouse)
    results = []
    with archived_ahead(files, target.parent) as copies:  # first: Polars and DuckDB load meanwhile
        from warehouse import pipeline
        from warehouse.db import open_writer
        from warehouse.ingest import ingest_file
        from warehouse.ingest_outcome import rejected_sample
        from warehouse.parse.export import ParseOptions

        # the same stages as the nightly flow: load each file, rebuild the indicators, judge
        with open_writer(target) as con:
            for path, copy in zip(files, copies, strict=True):
                results.append(
                    ingest_file(
                        con,
                        path,
                        portal_config,
                        data_dir=target.parent,
                        parse_options=ParseOptions(sheet=sheet, default_agency=agency),
                        archived=copy.result(),
                        exported_on=export_day,
                        request=body,
                        snapshot_date=moment.date(),
                    )
                )
            pipeline.refresh_indicators(con, settings)  # the indicators follow every load
            check_run = None if no_checks else pipeline.judge(con, settings, now=moment)
            rejected = rejected_sample(con, results)  # the first rejected rows of each file
    print_ingest_summary(results, rejected)
    if check_run is not None:
        print_check_summary(check_run)
    if any(r.status == "failed" for r in results):
        raise typer.Exit(1)
    if any(r.status == "refused" or (r.rows_rejected or 0) > 0 for r in results):
        raise typer.Exit(3)


@app.command()
def checks(
    as_json: Annotated[bool, typer.Option("--json", help="Print open alerts as JSON.")] = False,
    fail_on: Annotated[
        str | None,
        typer.Option(
            "--fail-on",
            metavar="<warn|fail>",
            help="Exit 2 when an alert of this severity or worse is open \\[default: exit 0].",
        ),
    ] = None,
    notify: NotifyFlag = False,
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
    from warehouse.console import print_alert_table, print_check_summary
    from warehouse.db import open_writer
    from warehouse.query_output import json_text

    if fail_on not in (None, "warn", "fail"):
        fail(f"--fail-on {fail_on}: use warn or fail")
    settings = settings_of(config)
    moment = moment_of(as_of, settings)
    with open_writer(resolve_warehouse(warehouse)) as con:
        pipeline.refresh_indicators(con, settings)
        run = pipeline.judge(con, settings, now=moment)
        if notify:
            _notify(con, settings, moment)
        alerts = open_alerts(con)
    if as_json:
        sys.stdout.write(json_text(alerts))
    else:
        print_check_summary(run)
        print_alert_table(alerts)
    severities = set(alerts["severity"].to_list())
    if (fail_on == "fail" and "fail" in severities) or (fail_on == "warn" and severities):
        raise typer.Exit(2)


def _notify(con, settings, moment) -> None:  # type: ignore[no-untyped-def]
    from warehouse.console import print_notify_result
    from warehouse.notify import notify_pending

    names = settings.portal_names
    print_notify_result(
        notify_pending(con, list(settings.notify_urls), now=moment, portal_names=names)
    )


@app.command()
def run(
    verbose: VerboseFlag = False,
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
    from warehouse.console import print_night_alerts, print_run_summary, run_progress
    from warehouse.demo.portal import demo_portal
    from warehouse.prefect_env import configure_prefect, run_server

    target = resolve_warehouse(warehouse)
    # None: the flow takes [run] as_of, else the moment its load ends
    with exit_1_on(ValueError, prefix="--as-of: "):
        moment = parse_as_of(as_of) if as_of else None
    configure_prefect(target.parent)
    # the Prefect server first, before Prefect is imported: a temporary one starts meanwhile
    with run_server() as prefect_ready, demo_portal(config, target.parent):
        settings = settings_of(config)
        from flows.nightly import nightly

        prefect_ready()
        moment = moment or settings.as_of
        with run_progress(len(settings.sources)) as progress:
            state = nightly(
                str(settings.path), str(target), moment, progress=progress, return_state=True
            )
    if not state.is_completed():
        fail(f"the nightly run failed: {state.message}")
    summary, names = state.result(), settings.portal_names
    # the open alerts first, then the night in short
    print_night_alerts(summary["checks"]["alerts"]["open"], names)
    print_run_summary(summary, names, verbose=verbose)
    if summary["failed_sources"] or any(item["failed"] for item in summary["loaded"]):
        raise typer.Exit(3)


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

    from warehouse.console import console
    from warehouse.demo.portal import demo_portal
    from warehouse.prefect_env import configure_prefect, prefect_server

    # a service manager stops us with SIGTERM: exit through the finally blocks, so the Prefect
    # server we started and the demo portal stop with us
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    target = resolve_warehouse(warehouse)
    configure_prefect(target.parent)
    with prefect_server(port) as api_url, demo_portal(config, target.parent):
        settings = settings_of(config)
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


@app.command("portal-demo")
def portal_demo(
    port: Annotated[int, typer.Option("--port", help="Port on 127.0.0.1.")] = 8765,
    warehouse: WarehouseOption = None,
    config: ConfigOption = None,
) -> None:
    """Serve the built-in demo exports over HTTP on 127.0.0.1, as a portal would.

    Example: [bold]cchc portal-demo --port 8765[/bold], then open http://127.0.0.1:8765/H37/
    """
    from warehouse.console import console
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
    out: Annotated[Path, typer.Option("--out", metavar="<file>", help="The HTML file to write.")],
    as_of: AsOfOption = None,
    warehouse: WarehouseOption = None,
    config: ConfigOption = None,
) -> None:
    """Write a self-contained HTML report with charts (opens offline), read-only.

    Example: [bold]cchc report --out bao-cao-cchc.html[/bold]
    """
    from warehouse.console import console
    from warehouse.report import build_report

    settings = settings_of(config)
    with exit_1_on(FileNotFoundError):
        written = build_report(
            resolve_warehouse(warehouse),
            out,
            portal_names=settings.portal_names,
            as_of=moment_of(as_of, settings).date(),
        )
    console.print(f"report written to {written}")


@app.command()
def export(
    out: Annotated[Path, typer.Option("--out", metavar="<folder>", help="Folder for the files.")],
    fmt: Annotated[
        str, typer.Option("--format", metavar="<parquet>", help="The only format.")
    ] = "parquet",
    warehouse: WarehouseOption = None,
    config: ConfigOption = None,
) -> None:
    """Write the core and mart tables as Parquet files, one per table, read-only.

    Example: [bold]cchc export --format parquet --out exports/[/bold]
    """
    from warehouse.console import console
    from warehouse.export import export_parquet
    from warehouse.numbers import counted

    if fmt != "parquet":
        fail(f"--format {fmt}: only parquet is supported")
    with exit_1_on(FileNotFoundError):
        written = export_parquet(resolve_warehouse(warehouse), out)
    console.print(f"{counted(len(written), 'table')} written to {out}")


@app.command()
def init(
    path: Annotated[Path, typer.Argument(help="Where to write it.")] = Path("cchc.toml"),
    portal: Annotated[
        list[str] | None,
        typer.Option("--portal", metavar="<code>", help="A portal to write (repeatable)."),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
) -> None:
    """Write a commented cchc.toml with one example portal and source (or --portal's), to edit.

    Example: [bold]cchc init --portal H37 && cchc run --config cchc.toml[/bold]
    """
    from warehouse.console import console
    from warehouse.init_config import render_configuration

    if path.exists() and not force:
        fail(f"{path} exists: edit it, or pass --force to overwrite it")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_configuration(portal or ()), encoding="utf-8")
    console.print(
        f"wrote {path}: edit its [[portals]] and [[sources]], then `cchc run --config {path}`",
        markup=False,
    )


@app.command()
def explain(
    alert_id: Annotated[int, typer.Argument(help="An alert's id (`cchc checks` lists them).")],
    drill: Annotated[
        list[str] | None,
        typer.Option(
            "--drill",
            metavar="<code>",
            help="Split this child's own change one level further down; repeat to go deeper "
            "\\[default: none].",
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    warehouse: WarehouseOption = None,
    config: ConfigOption = None,
) -> None:
    """Why a fall happened: the alert's change split over the units one level down into rate,
    mix and interaction effects, largest first; --drill follows one of them further.

    Example: [bold]cchc explain 1 --drill 20[/bold]
    """
    from warehouse.console import print_explanation
    from warehouse.db import open_reader
    from warehouse.explain import ExplainError, explain

    with exit_1_on(ExplainError, FileNotFoundError):
        con = open_reader(resolve_warehouse(warehouse))
        explanation = explain(con, alert_id, drill or [])
    print_explanation(explanation, as_json)


@app.command()
def sql(
    query: Annotated[str, typer.Argument(help="One SQL query, run read-only.")],
    fmt: Annotated[
        str,
        typer.Option("--format", metavar="<table|csv|json>", help="How to print the rows."),
    ] = "table",
    out: Annotated[
        Path | None,
        typer.Option(
            "--out", metavar="<file>", help="Write to this file \\[default: the terminal]."
        ),
    ] = None,
    warehouse: WarehouseOption = None,
    config: ConfigOption = None,
) -> None:
    """Run a read-only query on the warehouse.

    Example: [bold]cchc sql "SELECT status, count(*) FROM core.fact_dossier GROUP BY ALL"[/bold]
    """
    import duckdb

    from warehouse.db import open_reader
    from warehouse.query_output import FORMATS, import_table_printer, print_query

    if fmt not in FORMATS:
        fail(f"--format {fmt}: use table, csv or json")
    table_printer = import_table_printer() if fmt == "table" else None
    with exit_1_on(duckdb.Error, FileNotFoundError):
        con = open_reader(resolve_warehouse(warehouse))
        statements = con.extract_statements(query)
        if len(statements) > 1:  # duckdb would run them all and show only the last
            fail(
                f"cchc sql runs one statement at a time; this holds {len(statements)}: "
                "run each on its own"
            )
        print_query(con.sql(query), fmt, out, table_printer)  # fetching may raise too


if __name__ == "__main__":
    app()
