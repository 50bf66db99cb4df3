"""What `cchc ingest` tells a person about the files it just loaded, beyond the counts: why a
refused file was refused and a sample of its rejected rows (file, row, column, value, reason).

Both are read back from ops.files and ops.rejects, so the console says what the warehouse
keeps; each reason is a code whose words, Vietnamese and English, come from labels.toml
([refusal], [reject]), the one place a clumsy phrase is mended.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from warehouse.labels import REFUSAL_LABELS, REJECT_LABELS, Label, label
from warehouse.sqlfiles import run_sql_file

if TYPE_CHECKING:
    import duckdb

    from warehouse.ingest import FileResult

REJECTS_PER_FILE = 5  # rows shown per file; the rest stay in ops.rejects


@dataclass(frozen=True)
class Refusal:
    file: str
    reason: str | None  # ops.files.reason: kind_not_detected | required_column_missing | ...
    message: str  # ops.files.error: the specifics, in English

    @property
    def words(self) -> Label:
        return label(REFUSAL_LABELS, self.reason or "refused") or ("", "")


@dataclass(frozen=True)
class RejectedCell:
    file: str
    row: int  # as a person sees it in the file
    column: str  # canonical column of the export contract
    value: str | None  # the raw text rejected
    reason: str  # ops.rejects.reason: missing_required | not_in_vocabulary | ...
    message: str  # ops.rejects.message: the specifics, in English

    @property
    def words(self) -> Label:
        return label(REJECT_LABELS, self.reason) or ("", "")


@dataclass(frozen=True)
class IngestOutcome:
    refusals: list[Refusal]
    rejected: list[RejectedCell]  # the first REJECTS_PER_FILE of each file, in row order


def ingest_outcome(
    con: duckdb.DuckDBPyConnection, results: list[FileResult], per_file: int = REJECTS_PER_FILE
) -> IngestOutcome:
    """The refusals and a sample of the rejected rows of `results`, read on the writer `con`."""
    names = {r.file_id: r.path.name for r in results}
    params = {"file_ids": list(names)}
    reasons = dict(run_sql_file(con, "ingest/refusal_reasons.sql", params).fetchall())
    refusals = [
        Refusal(r.path.name, reasons.get(r.file_id), r.error or "")
        for r in results
        if r.status == "refused"
    ]
    rows = run_sql_file(con, "ingest/sample_rejects.sql", params | {"per_file": per_file})
    rejected = [
        RejectedCell(names[file_id], row, column, value, reason, message)
        for file_id, row, column, value, reason, message in rows.fetchall()
    ]
    return IngestOutcome(refusals, rejected)
