"""Parsed batches → staging → core tables, inside the caller's one transaction per file.

Each kind runs the same sequence of SQL files: stage every batch (Arrow, INSERT ... BY NAME),
resolve in-file conflicts, upsert the dimensions, then merge the facts.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from warehouse.parse.export import ParsedExport
from warehouse.sqlfiles import run_sql_file

STEPS = {
    "dossiers": [
        "load/dossiers/10_conflicts.sql",
        "load/dossiers/20_stage_dims.sql",
        "load/shared/upsert_agencies.sql",
        "load/shared/upsert_procedures.sql",
        "load/dossiers/40_facts.sql",
    ],
    "report": [
        "load/reports/10_conflicts.sql",
        "load/reports/20_stage_dims.sql",
        "load/shared/upsert_agencies.sql",
        "load/reports/40_facts.sql",
    ],
    "catalogue": [
        "load/catalogue/10_conflicts.sql",
        "load/catalogue/20_stage_dims.sql",
        "load/shared/upsert_agencies.sql",
        "load/shared/upsert_procedures.sql",
        "load/catalogue/40_facts.sql",
    ],
}
STAGE_FOLDER = {"dossiers": "dossiers", "report": "reports", "catalogue": "catalogue"}


@dataclass(frozen=True)
class LoadCounts:
    rows_read: int
    rows_loaded: int
    rows_rejected: int


def load_parsed_export(
    con: duckdb.DuckDBPyConnection, parsed: ParsedExport, file_id: int
) -> LoadCounts:
    """Stage and merge one parsed file; `load_context` must already describe it."""
    folder = STAGE_FOLDER[parsed.kind]
    run_sql_file(con, f"load/{folder}/00_stage_table.sql")
    staged = 0
    for rows, rejects in parsed.batches:
        if rows.height:
            con.register("incoming", rows.to_arrow())
            run_sql_file(con, f"load/{folder}/stage_batch.sql")
            con.unregister("incoming")
            staged += rows.height
        if rejects.height:
            con.register("incoming_rejects", rejects.to_arrow())
            run_sql_file(con, "load/shared/insert_rejects.sql")
            con.unregister("incoming_rejects")
    for step in STEPS[parsed.kind]:
        run_sql_file(con, step)
    rejected = run_sql_file(con, "load/shared/count_rejected.sql", {"file_id": file_id}).fetchone()
    rows_rejected = int(rejected[0]) if rejected else 0
    conflicts = run_sql_file(con, "load/shared/count_conflicts.sql", {"file_id": file_id})
    conflict_rows = int(conflicts.fetchone()[0])
    rows_read = staged + rows_rejected - conflict_rows
    return LoadCounts(rows_read, rows_read - rows_rejected, rows_rejected)
