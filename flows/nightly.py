"""The nightly job: pull every source, load, rebuild the indicators, check, notify.

Coarse tasks that pass paths and small summaries; the work itself is in warehouse.pipeline.
`progress`, when the caller passes one (`cchc run` on a terminal), is handed to every stage
(it is not data). The night ends with its summary as a markdown artifact for the Prefect UI.
"""

# No `from __future__ import annotations` here: a served deployment loads this file by path and
# Prefect builds the parameter model from the annotations, which must be real types.
from dataclasses import asdict
from datetime import date, datetime
from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE
from prefect.states import State

from warehouse import pipeline, prefect_env, run_summary
from warehouse.clock import judging_moment, vietnam_now
from warehouse.config import Source, load_config
from warehouse.db import write_session
from warehouse.pipeline import Progress
from warehouse.sources.errors import SourceError, is_transient


def _transient_failure(task: object, task_run: object, state: State) -> bool:
    """Prefect retries an extract only when it may succeed later (see SourceError.transient):
    a 404 or a file refused for its size is asked for once, a 503 or a timeout once more."""
    return is_transient(state.data if isinstance(state.data, BaseException) else None)


# No task is cached (NO_CACHE): each is run once per night on purpose, and a cache keyed by
# the run would only write a result file per task run into PREFECT_HOME, never to be read.
@task(
    name="extract",
    task_run_name="extract {source.name}",
    retries=1,
    retry_delay_seconds=5,
    retry_condition_fn=_transient_failure,
    cache_policy=NO_CACHE,
)
def extract(
    source: Source, data_dir: str, progress: Progress | None = None, as_of: date | None = None
) -> dict:
    result = pipeline.extract(source, Path(data_dir), progress, as_of)
    if result.status == "failed":  # after the HTTP layer's own retries
        raise SourceError(str(result.error), transient=result.transient)
    return asdict(result)


@task(name="load", cache_policy=NO_CACHE)
def load(
    extracted: list[dict],
    config_path: str | None,
    warehouse: str,
    progress: Progress | None = None,
) -> list[dict]:
    items = [pipeline.Extracted(**item) for item in extracted]
    config = load_config(config_path)
    loaded = pipeline.load(
        items, config, Path(warehouse), fetched_at=vietnam_now(), progress=progress
    )
    summaries = [asdict(item) for item in loaded]
    for line in run_summary.source_lines(summaries):
        get_run_logger().info(line)
    return summaries


@task(name="marts", cache_policy=NO_CACHE)
def marts(warehouse: str, config_path: str | None, progress: Progress | None = None) -> float:
    return pipeline.build_marts(Path(warehouse), load_config(config_path), progress)


@task(name="checks", cache_policy=NO_CACHE)
def checks(
    warehouse: str, config_path: str | None, now: datetime, progress: Progress | None = None
) -> dict:
    result = pipeline.check(Path(warehouse), load_config(config_path), now=now, progress=progress)
    for line in run_summary.alert_lines(result):
        get_run_logger().info(line)
    return result


@task(name="notify", cache_policy=NO_CACHE)
def notify(
    warehouse: str, config_path: str | None, now: datetime, progress: Progress | None = None
) -> dict:
    config = load_config(config_path)
    return pipeline.send_alerts(Path(warehouse), config, now=now, progress=progress)


@task(name="summarise", cache_policy=NO_CACHE)
def summarise(summary: dict) -> None:
    """The night's summary as a markdown artifact (key `nightly-summary`, one version per
    night), so the Prefect UI shows what it did, and as a last log line."""
    create_markdown_artifact(
        run_summary.summary_markdown(summary),
        key="nightly-summary",
        description=f"cchc nightly run, {summary['started_at']}",
    )
    totals = run_summary.night_totals(summary)  # the artifact's and the console's counts
    get_run_logger().info(
        "night of %s done at %s: %s sources ok, %s failed; Prefect: %s",
        summary["started_at"],
        summary["finished_at"],
        totals.sources_ok,
        totals.sources_failed,
        summary["prefect_line"],
    )


@flow(name="nightly")
def nightly(
    config_path: str | None,
    warehouse: str,
    as_of: datetime | None = None,
    progress: Progress | None = None,
) -> dict:
    logger = get_run_logger()
    started_at = run_summary.vietnam_time()
    config = load_config(config_path)
    data_dir = str(Path(warehouse).parent)
    # the run's day: POST bodies ask for its period and the scoreboard's snapshot is dated by it
    run_day = judging_moment(as_of, config.as_of).date()
    logger.info("night started at %s: %d sources", started_at, len(config.sources))
    futures = [extract.submit(s, data_dir, progress, run_day) for s in config.sources]
    extracted, failed_sources = [], []
    for source, future in zip(config.sources, futures, strict=True):
        future.wait()
        if future.state.is_completed():
            extracted.append(future.result())
        else:
            message = str(future.state.message)
            failed_sources.append(
                {"source": source.name, "portal": source.portal, "error": message}
            )
            logger.error("source %s failed: %s", source.name, message)
    # One write session for the night: readers see last night's state until it is published.
    with write_session(Path(warehouse)) as working:
        loaded = load(extracted, config_path, str(working), progress)
        marts_seconds = marts(str(working), config_path, progress)
        # after the load, so tonight's files count as delivered: --as-of, [run] as_of, or now
        now = judging_moment(as_of, config.as_of)
        check_run = checks(str(working), config_path, now, progress)
        notified = notify(str(working), config_path, now, progress)
    prefect_server = prefect_env.server_in_use()
    summary = {
        "extracted": extracted,
        "failed_sources": failed_sources,
        "loaded": loaded,
        "marts_seconds": marts_seconds,
        "checks": check_run,
        "notify": notified,
        "prefect": prefect_server,
        "prefect_start_seconds": prefect_server["start_seconds"],  # 0.0: a running server
        "prefect_line": prefect_env.describe(prefect_server),
        "started_at": started_at,
        "finished_at": run_summary.vietnam_time(),
        "as_of": run_summary.vietnam_time(now),
    }
    summarise(summary)
    return summary
