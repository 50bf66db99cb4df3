"""Parsed batches → core tables, inside the caller's one transaction per file.

Each kind is a sequence of steps (KindSteps): SQL files once per file, a batch loader for each
batch (Arrow into DuckDB with INSERT ... BY NAME), and SQL files that settle in-file conflicts,
the dimensions and earlier versions.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TypeVar

import duckdb
import polars as pl

from warehouse.dossier_batches import load_dossier_batch
from warehouse.parse.export import ParsedExport
from warehouse.sqlfiles import run_sql_file

# (connection, the batch's rows, portal code, file id): puts one batch where `finish` expects it
BatchLoader = Callable[[duckdb.DuckDBPyConnection, pl.DataFrame, str, int], None]


@dataclass(frozen=True)
class KindSteps:
    """How one kind loads: SQL files once per file, a loader per batch, SQL files to finish."""

    start: tuple[str, ...]
    load_batch: BatchLoader
    finish: tuple[str, ...]


def staged_by(sql_file: str) -> BatchLoader:
    """A loader that hands the batch to one SQL file as `incoming`."""

    def load_batch(
        con: duckdb.DuckDBPyConnection, rows: pl.DataFrame, portal_code: str, file_id: int
    ) -> None:
        run_sql_file(con, sql_file, incoming=rows.to_arrow())

    return load_batch


# Dossier lists can hold millions of rows, so their batches go straight to the fact table
# (warehouse/dossier_batches.py) and the file is settled at the end; reports and catalogues
# are small and are staged whole.
STEPS = {
    "dossiers": KindSteps(
        start=(),
        load_batch=load_dossier_batch,
        finish=(
            "load/dossiers/30_repeats.sql",
            "load/dossiers/31_conflicts.sql",
            "load/dossiers/40_versions.sql",
        ),
    ),
    "report": KindSteps(
        start=("load/reports/00_stage_table.sql",),
        load_batch=staged_by("load/reports/stage_batch.sql"),
        finish=(
            "load/reports/10_conflicts.sql",
            "load/reports/20_stage_dims.sql",
            "load/shared/upsert_agencies.sql",
            "load/reports/40_facts.sql",
        ),
    ),
    "catalogue": KindSteps(
        start=("load/catalogue/00_stage_table.sql",),
        load_batch=staged_by("load/catalogue/stage_batch.sql"),
        finish=(
            "load/catalogue/10_conflicts.sql",
            "load/catalogue/20_stage_dims.sql",
            "load/shared/upsert_agencies.sql",
            "load/shared/upsert_procedures.sql",
            "load/catalogue/40_facts.sql",
        ),
    ),
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
    steps = STEPS[parsed.kind]
    for step in steps.start:
        run_sql_file(con, step)
    staged = 0
    for rows, rejects in prefetched(parsed.batches):
        if rows.height:
            steps.load_batch(con, rows, portal_code, file_id)
            staged += rows.height
        if rejects.height:
            run_sql_file(con, "load/shared/insert_rejects.sql", incoming=rejects.to_arrow())
    for step in steps.finish:
        run_sql_file(con, step)
    rejected = run_sql_file(con, "load/shared/count_rejected.sql", {"file_id": file_id}).fetchone()
    rows_rejected = int(rejected[0]) if rejected else 0
    conflicts = run_sql_file(con, "load/shared/count_conflicts.sql", {"file_id": file_id})
    conflict_rows = int(conflicts.fetchone()[0])
    rows_read = staged + rows_rejected - conflict_rows
    return LoadCounts(rows_read, rows_read - rows_rejected, rows_rejected)
