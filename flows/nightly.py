"""The nightly job: pull every source, load, rebuild the indicators, check, notify.

Coarse tasks that pass paths and small summaries; the work itself is in warehouse.pipeline.
`progress`, when the caller passes one (`cchc run` on a terminal), is handed to every stage;
it is left out of the tasks' cache keys and is not stored with the run (it is not data).
"""

# No `from __future__ import annotations` here: a served deployment loads this file by path and
# Prefect builds the parameter model from the annotations, which must be real types.
from dataclasses import asdict
from datetime import date, datetime
from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.cache_policies import DEFAULT
from prefect.states import State

from warehouse import pipeline, prefect_env
from warehouse.clock import judging_moment, vietnam_now
from warehouse.config import load_config
from warehouse.db import write_session
from warehouse.pipeline import Progress
from warehouse.sources.errors import SourceError, is_transient

# the default cache key (inputs, task source, run) without the progress callback, which does
# not change a task's result and cannot be hashed
WITHOUT_PROGRESS = DEFAULT - "progress"


def _transient_failure(task: object, task_run: object, state: State) -> bool:
    """Prefect retries an extract only when it may succeed later (see SourceError.transient):
    a 404 or a file refused for its size is asked for once, a 503 or a timeout once more."""
    return is_transient(state.data if isinstance(state.data, BaseException) else None)


@task(
    name="extract",
    task_run_name="extract {source_name}",
    retries=1,
    retry_delay_seconds=5,
    retry_condition_fn=_transient_failure,
    cache_policy=WITHOUT_PROGRESS,
)
def extract(
    source_name: str,
    config_path: str | None,
    data_dir: str,
    progress: Progress | None = None,
    as_of: date | None = None,
) -> dict:
    source = next(s for s in load_config(config_path).sources if s.name == source_name)
    result = pipeline.extract(source, Path(data_dir), progress, as_of)
    if result.status == "failed":  # after the HTTP layer's own retries
        raise SourceError(str(result.error), transient=result.transient)
    return asdict(result)


@task(name="load", cache_policy=WITHOUT_PROGRESS)
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
    return [asdict(item) for item in loaded]


@task(name="marts", cache_policy=WITHOUT_PROGRESS)
def marts(warehouse: str, config_path: str | None, progress: Progress | None = None) -> float:
    return pipeline.build_marts(Path(warehouse), load_config(config_path), progress)


@task(name="checks", cache_policy=WITHOUT_PROGRESS)
def checks(
    warehouse: str, config_path: str | None, now: datetime, progress: Progress | None = None
) -> dict:
    return pipeline.check(Path(warehouse), load_config(config_path), now=now, progress=progress)


@task(name="notify", cache_policy=WITHOUT_PROGRESS)
def notify(
    warehouse: str, config_path: str | None, now: datetime, progress: Progress | None = None
) -> dict:
    config = load_config(config_path)
    return pipeline.send_alerts(Path(warehouse), config, now=now, progress=progress)


@flow(name="nightly")
def nightly(
    config_path: str | None,
    warehouse: str,
    as_of: datetime | None = None,
    progress: Progress | None = None,
) -> dict:
    logger = get_run_logger()
    sources = load_config(config_path).sources
    data_dir = str(Path(warehouse).parent)
    # the run's day: POST bodies ask for its period and the scoreboard's snapshot is dated by it
    run_day = judging_moment(as_of, load_config(config_path).as_of).date()
    futures = [extract.submit(s.name, config_path, data_dir, progress, run_day) for s in sources]
    extracted, failed_sources = [], []
    for source, future in zip(sources, futures, strict=True):
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
        now = judging_moment(as_of, load_config(config_path).as_of)
        check_run = checks(str(working), config_path, now, progress)
        notified = notify(str(working), config_path, now, progress)
    return {
        "extracted": extracted,
        "failed_sources": failed_sources,
        "loaded": loaded,
        "marts_seconds": marts_seconds,
        "checks": check_run,
        "notify": notified,
        "prefect_start_seconds": prefect_env.server_start_seconds,  # 0.0: a running server
    }
