"""The nightly job: pull every source, load, rebuild the indicators, check, notify.

Coarse tasks that pass paths and small summaries; the work itself is in warehouse.pipeline.
"""

# No `from __future__ import annotations` here: a served deployment loads this file by path and
# Prefect builds the parameter model from the annotations, which must be real types.
from dataclasses import asdict
from datetime import datetime
from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.states import State

from warehouse import pipeline, prefect_env
from warehouse.clock import judging_moment, vietnam_now
from warehouse.config import load_config
from warehouse.db import write_session
from warehouse.sources.errors import SourceError, is_transient


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
)
def extract(source_name: str, config_path: str | None, data_dir: str) -> dict:
    source = next(s for s in load_config(config_path).sources if s.name == source_name)
    result = pipeline.extract(source, Path(data_dir))
    if result.status == "failed":  # after the HTTP layer's own retries
        raise SourceError(str(result.error), transient=result.transient)
    return asdict(result)


@task(name="load")
def load(extracted: list[dict], config_path: str | None, warehouse: str) -> list[dict]:
    items = [pipeline.Extracted(**item) for item in extracted]
    loaded = pipeline.load(
        items, load_config(config_path), Path(warehouse), fetched_at=vietnam_now()
    )
    return [asdict(item) for item in loaded]


@task(name="marts")
def marts(warehouse: str) -> float:
    return pipeline.build_marts(Path(warehouse))


@task(name="checks")
def checks(warehouse: str, config_path: str | None, now: datetime) -> dict:
    return pipeline.check(Path(warehouse), load_config(config_path), now=now)


@task(name="notify")
def notify(warehouse: str, config_path: str | None, now: datetime) -> dict:
    return pipeline.send_alerts(Path(warehouse), load_config(config_path), now=now)


@flow(name="nightly")
def nightly(config_path: str | None, warehouse: str, as_of: datetime | None = None) -> dict:
    logger = get_run_logger()
    sources = load_config(config_path).sources
    data_dir = str(Path(warehouse).parent)
    futures = [extract.submit(s.name, config_path, data_dir) for s in sources]
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
        loaded = load(extracted, config_path, str(working))
        marts_seconds = marts(str(working))
        # after the load, so tonight's files count as delivered: --as-of, [run] as_of, or now
        now = judging_moment(as_of, load_config(config_path).as_of)
        check_run = checks(str(working), config_path, now)
        notified = notify(str(working), config_path, now)
    return {
        "extracted": extracted,
        "failed_sources": failed_sources,
        "loaded": loaded,
        "marts_seconds": marts_seconds,
        "checks": check_run,
        "notify": notified,
        "prefect_start_seconds": prefect_env.server_start_seconds,  # 0.0: a running server
    }
