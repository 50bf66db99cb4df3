"""Parsed batches → core tables, inside the caller's one transaction per file.

Each kind is a sequence of SQL files (KindSteps): batches arrive as Arrow and are inserted with
INSERT ... BY NAME; in-file conflicts, the dimensions and earlier versions are settled in SQL.
Dossier batches, which come by the million, go through `load_dossier_batch` instead.
"""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TypeVar

import duckdb

from warehouse.dossier_batches import load_dossier_batch
from warehouse.parse.export import ParsedExport
from warehouse.sqlfiles import run_sql_file


@dataclass(frozen=True)
class KindSteps:
    """The SQL files that load one kind: once per file, once per batch, then to finish."""

    start: tuple[str, ...]
    batch: tuple[str, ...]  # each run with `incoming` = the batch; none for dossiers
    finish: tuple[str, ...]


# Dossier lists can hold millions of rows, so their batches go straight to the fact table
# (warehouse/dossier_batches.py) and the file is settled at the end; reports and catalogues
# are small and are staged whole.
STEPS = {
    "dossiers": KindSteps(
        start=(),
        batch=(),
        finish=(
            "load/dossiers/30_repeats.sql",
            "load/dossiers/31_conflicts.sql",
            "load/dossiers/40_versions.sql",
        ),
    ),
    "report": KindSteps(
        start=("load/reports/00_stage_table.sql",),
        batch=("load/reports/stage_batch.sql",),
        finish=(
            "load/reports/10_conflicts.sql",
            "load/reports/20_stage_dims.sql",
            "load/shared/upsert_agencies.sql",
            "load/reports/40_facts.sql",
        ),
    ),
    "catalogue": KindSteps(
        start=("load/catalogue/00_stage_table.sql",),
        batch=("load/catalogue/stage_batch.sql",),
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
        if rows.height and parsed.kind == "dossiers":
            load_dossier_batch(con, rows, portal_code=portal_code, file_id=file_id)
        elif rows.height:
            batch = rows.to_arrow()
            for step in steps.batch:
                run_sql_file(con, step, incoming=batch)
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
