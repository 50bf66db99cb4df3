"""Parsed batches → core tables, inside the caller's one transaction per file.

Each kind is a sequence of SQL steps declared once, in sql/load/steps.toml: files run once per
file (start), for each batch (batch, through the kind's batch loader, which hands each file what
it reads as `incoming`) and once at the end to settle in-file conflicts, the dimensions and
earlier versions (finish).
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import cache
from typing import TypeVar

import duckdb
import polars as pl

from warehouse.dossier_batches import StepParams, load_dossier_batch
from warehouse.parse.export import ParsedExport
from warehouse.parse.vocabulary import DOSSIER_CONTENT_COLUMNS
from warehouse.sqlfiles import SQL_DIR, run_sql_file

STEPS_FILE = "load/steps.toml"
# Given to every load step that names it: the columns a dossier's content is compared on, and
# up to how many rows a dossier file's repeats are found by probing for its own codes
# (sql/load/dossiers/30_repeats.sql; larger files group all of the portal's codes once).
STEP_PARAMS = {"dossier_content": list(DOSSIER_CONTENT_COLUMNS), "repeat_probe_rows": 100_000}
# (connection, the batch's rows, the kind's batch steps, the file's step parameters): runs the
# steps on one batch, leaving it where the finish steps expect it
BatchLoader = Callable[[duckdb.DuckDBPyConnection, pl.DataFrame, tuple[str, ...], StepParams], None]


@dataclass(frozen=True)
class KindSteps:
    """How one kind loads: SQL files once per file, per batch, and once to finish."""

    start: tuple[str, ...]
    batch: tuple[str, ...]
    finish: tuple[str, ...]


@cache
def kind_steps() -> dict[str, KindSteps]:
    """sql/load/steps.toml, each name as `run_sql_file` takes it (`load/...`)."""
    manifest = tomllib.loads((SQL_DIR / STEPS_FILE).read_text(encoding="utf-8"))
    return {
        kind: KindSteps(
            **{
                phase: tuple(f"load/{name}" for name in phases[phase])
                for phase in ("start", "batch", "finish")
            }
        )
        for kind, phases in manifest.items()
    }


def load_staged_batch(
    con: duckdb.DuckDBPyConnection, rows: pl.DataFrame, steps: tuple[str, ...], params: StepParams
) -> None:
    """Hand the batch whole to each batch step as `incoming` (it stages the batch)."""
    for step in steps:
        run_sql_file(con, step, params, incoming=rows.to_arrow())


# Dossier lists can hold millions of rows, so their batches go straight to the fact table
# (warehouse/dossier_batches.py) and the file is settled at the end; reports and catalogues
# are small and are staged whole.
BATCH_LOADERS: dict[str, BatchLoader] = {
    "dossiers": load_dossier_batch,
    "report": load_staged_batch,
    "catalogue": load_staged_batch,
    "scoreboard": load_staged_batch,
}


T = TypeVar("T")


def prefetched(items: Iterator[T]) -> Iterator[T]:
    """Produce the next item on a second thread while the caller works on the current one.

    Polars (parsing batch n + 1) and DuckDB (staging batch n) both release the GIL, so on two
    cores the two overlap instead of taking turns. One item ahead keeps memory bounded.
    """
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="parse") as pool:
        pending = pool.submit(next, items, None)
        while (item := pending.result()) is not None:
            pending = pool.submit(next, items, None)
            yield item


@dataclass(frozen=True)
class LoadCounts:
    rows_read: int
    rows_loaded: int
    rows_rejected: int


def load_parsed_export(
    con: duckdb.DuckDBPyConnection, parsed: ParsedExport, file_id: int, portal_code: str
) -> LoadCounts:
    """Load one parsed file inside the caller's transaction; `load_context` describes it."""
    steps, load_batch = kind_steps()[parsed.kind], BATCH_LOADERS[parsed.kind]
    for step in steps.start:
        run_sql_file(con, step, STEP_PARAMS)
    batch_params = {"portal_code": portal_code, "file_id": file_id}
    staged = 0
    for rows, rejects in prefetched(parsed.batches):
        if rows.height:
            load_batch(con, rows, steps.batch, batch_params)
            staged += rows.height
        if rejects.height:
            run_sql_file(con, "load/shared/insert_rejects.sql", incoming=rejects.to_arrow())
    for step in steps.finish:
        run_sql_file(con, step, STEP_PARAMS)
    rejected = run_sql_file(con, "load/shared/count_rejected.sql", {"file_id": file_id}).fetchone()
    rows_rejected = int(rejected[0]) if rejected else 0
    conflicts = run_sql_file(con, "load/shared/count_conflicts.sql", {"file_id": file_id})
    conflict_rows = int(conflicts.fetchone()[0])
    rows_read = staged + rows_rejected - conflict_rows
    return LoadCounts(rows_read, rows_read - rows_rejected, rows_rejected)
