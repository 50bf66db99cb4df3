"""The stages of the nightly job as plain functions, so they run and test without Prefect.

flows/nightly.py only orders them and lets Prefect record, retry and schedule them. Stages
hand each other paths and small summaries, never data frames.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from warehouse.config import Config, ConfigError, Source, with_expanded_urls
from warehouse.sources.errors import SourceError

if TYPE_CHECKING:
    import duckdb

    from warehouse.checks import CheckRun

log = logging.getLogger(__name__)

# Who watches the stages, passed by the caller (`cchc run` on a terminal draws a progress
# display): called as (step, state) with step a source name or a stage ("load", "marts",
# "checks", "notify") and state "start", "done" or, for a source, "failed".
Progress = Callable[[str, str], None]


def _tell(progress: Progress | None, step: str, state: str) -> None:
    if progress is not None:
        progress(step, state)


@dataclass
class Extracted:
    source: str
    portal: str
    status: str  # new | unchanged | failed
    paths: list[str] = field(default_factory=list)
    url: str = ""  # the redacted URL of an HTTP source; empty for folders and files
    error: str | None = None
    transient: bool = False  # a failure worth another try later (SourceError.transient)
    seconds: float = 0.0
    request: dict | None = None  # the JSON body a POST source sent (its answer's period)
    as_of: str | None = None  # the run's as-of day (ISO): the snapshot date of its answers


@dataclass
class Loaded:
    portal: str
    files: dict[str, int] = field(default_factory=dict)  # status → count
    rows_loaded: int = 0
    rows_rejected: int = 0
    failed: list[str] = field(default_factory=list)
    seconds: float = 0.0
    # per source of the portal: {"files": {status: count}, "rows_loaded": n, "rows_rejected": n}
    sources: dict[str, dict] = field(default_factory=dict)


def extract(
    source: Source,
    data_dir: Path,
    progress: Progress | None = None,
    as_of: date | None = None,
) -> Extracted:
    """Bring one source's export into data/downloads (HTTP) or point at it (folders).

    `as_of` is the run's day: a POST body's placeholders are filled from it, and the loader
    dates the answer's snapshot by it (default: today in Vietnam)."""
    from warehouse.clock import vietnam_now
    from warehouse.sources.files import collect_files  # here: `cchc checks` needs no requests
    from warehouse.sources.http import fetch_source, is_http, redact

    started = time.perf_counter()
    _tell(progress, source.name, "start")
    day = as_of or vietnam_now().date()
    result = Extracted(
        source=source.name, portal=source.portal, status="new", as_of=day.isoformat()
    )
    try:
        source = with_expanded_urls(source)
        if is_http(source):
            result.url = redact(source.url)
            fetched = fetch_source(
                source,
                download_dir=data_dir / "downloads" / source.portal,
                state_dir=data_dir / "state" / "http",
                as_of=day,
            )
            result.status = fetched.status
            result.paths = [str(fetched.path)] if fetched.path else []
            result.request = fetched.request
        else:  # a folder or file: each file is recorded under its own path
            result.paths = [str(p) for p in collect_files(source, download_dir=data_dir)]
    except (SourceError, ConfigError) as error:
        result.status, result.error = "failed", str(error)
        result.transient = isinstance(error, SourceError) and error.transient
    result.seconds = round(time.perf_counter() - started, 3)
    _tell(progress, source.name, "done" if result.status != "failed" else "failed")
    return result


def load(
    extracted: list[Extracted],
    config: Config,
    warehouse: Path,
    *,
    fetched_at: datetime,
    progress: Progress | None = None,
) -> list[Loaded]:
    """Ingest every extracted file, one transaction per file.

    `warehouse` here and in the stages below is the run's working copy (db.write_session),
    published by the flow once every stage is done, so readers never see half a night.
    """
    from warehouse.archive import archived_ahead
    from warehouse.db import connect_working
    from warehouse.ingest import ingest_file
    from warehouse.parse.export import ParseOptions

    _tell(progress, "load", "start")
    sources = {s.name: s for s in config.sources}
    summaries: dict[str, Loaded] = {}
    paths = [Path(path) for item in extracted for path in item.paths]
    with archived_ahead(paths, warehouse.parent) as copies, connect_working(warehouse) as con:
        copy_in_order = iter(copies)  # the loop below visits the paths in the same order
        for item in extracted:
            started = time.perf_counter()
            summary = summaries.setdefault(item.portal, Loaded(portal=item.portal))
            source = sources[item.source]
            counts = summary.sources.setdefault(
                item.source, {"files": {}, "rows_loaded": 0, "rows_rejected": 0}
            )
            for path in item.paths:
                result = ingest_file(
                    con,
                    Path(path),
                    config.portal(item.portal),
                    data_dir=warehouse.parent,
                    source=item.url or path,
                    fetched_at=fetched_at,
                    parse_options=ParseOptions(sheet=source.sheet, default_agency=source.agency),
                    archived=next(copy_in_order).result(),
                    request=item.request,
                    snapshot_date=date.fromisoformat(item.as_of) if item.as_of else None,
                )
                if source.format and result.format and result.format != source.format:
                    log.warning(  # the content decides; the difference is worth a look
                        "%s: configured as %s, the file is %s", path, source.format, result.format
                    )
                counts["files"][result.status] = counts["files"].get(result.status, 0) + 1
                counts["rows_loaded"] += result.rows_loaded or 0
                counts["rows_rejected"] += result.rows_rejected or 0
                if result.status == "failed":
                    summary.failed.append(f"{Path(path).name}: {result.error}")
            summary.seconds += round(time.perf_counter() - started, 3)
    _tell(progress, "load", "done")
    return [_added_up(summary) for summary in summaries.values()]


def _added_up(summary: Loaded) -> Loaded:
    """The portal's files and rows: its sources' tallies added up (each file counted once)."""
    for counts in summary.sources.values():
        for status, files in counts["files"].items():
            summary.files[status] = summary.files.get(status, 0) + files
        summary.rows_loaded += counts["rows_loaded"]
        summary.rows_rejected += counts["rows_rejected"]
    return summary


def refresh_indicators(
    con: duckdb.DuckDBPyConnection, config: Config, progress: Progress | None = None
) -> float:
    """Stage: record the configured portals and rebuild the marts (coverage, indicators,
    comparisons) on the writer `con`."""
    from warehouse.marts import refresh_marts

    started = time.perf_counter()
    _tell(progress, "marts", "start")
    refresh_marts(con, config.portals.values())
    _tell(progress, "marts", "done")
    return round(time.perf_counter() - started, 3)


def judge(
    con: duckdb.DuckDBPyConnection,
    config: Config,
    *,
    now: datetime,
    progress: Progress | None = None,
) -> CheckRun:
    """Stage: run the checks as of `now` and keep ops.alerts, on the writer `con`."""
    from warehouse.checks import run_checks

    started = time.perf_counter()
    _tell(progress, "checks", "start")
    result = run_checks(con, config, now=now)
    _tell(progress, "checks", "done")
    return replace(result, seconds=round(time.perf_counter() - started, 3))


def build_marts(warehouse: Path, config: Config, progress: Progress | None = None) -> float:
    """refresh_indicators on a write session's working copy (the flow's task)."""
    from warehouse.db import connect_working

    with connect_working(warehouse) as con:
        return refresh_indicators(con, config, progress)


def check(
    warehouse: Path, config: Config, *, now: datetime, progress: Progress | None = None
) -> dict:
    """judge on a write session's working copy (the flow's task), with the alerts it opened
    and resolved and those left open, in words, for the run's log and summary."""
    from warehouse.checks import open_alerts
    from warehouse.db import connect_working
    from warehouse.run_summary import alert_changes

    with connect_working(warehouse) as con:
        before = open_alerts(con)
        run = judge(con, config, now=now, progress=progress)
        changes = alert_changes(
            before, open_alerts(con), opened=run.opened_ids, resolved=run.resolved_ids
        )
        return asdict(run) | {"alerts": changes}


def send_alerts(
    warehouse: Path, config: Config, *, now: datetime, progress: Progress | None = None
) -> dict:
    """Send the pending digests; a failing target is reported, never raised."""
    from warehouse.db import connect_working
    from warehouse.notify import notify_pending

    started = time.perf_counter()
    _tell(progress, "notify", "start")
    names = config.portal_names
    with connect_working(warehouse) as con:
        result = notify_pending(con, list(config.notify_urls), now=now, portal_names=names)
    _tell(progress, "notify", "done")
    return {
        "seconds": round(time.perf_counter() - started, 3),
        "digests": result.sends,
        "alerts_sent": result.alerts_sent,
        "failed_targets": [t.target for t in result.targets if not t.ok],
    }
