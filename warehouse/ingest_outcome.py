"""What `cchc ingest` shows of the rows it rejected: a sample of each file's (file, row, column,
value, reason), read back from ops.rejects, so the console says what the warehouse keeps. Each
reason is a code whose words, Vietnamese and English, come from labels.toml ([reject]; a refused
file's [refusal] words follow its FileResult.reason), the one place a clumsy phrase is mended.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from warehouse.labels import REJECT_LABELS, Label, label
from warehouse.sqlfiles import run_sql_file

if TYPE_CHECKING:
    import duckdb

    from warehouse.ingest import FileResult

REJECTS_PER_FILE = 5  # rows shown per file; the rest stay in ops.rejects


@dataclass(frozen=True)
class RejectedCell:
    file_id: int
    file: str  # the file's name, as the person gave it
    row: int  # as a person sees it in the file
    column: str  # canonical column of the export contract
    value: str | None  # the raw text rejected
    reason: str  # ops.rejects.reason: missing_required | not_in_vocabulary | ...
    message: str  # ops.rejects.message: the specifics, in English

    @property
    def words(self) -> Label:
        return label(REJECT_LABELS, self.reason) or ("", "")


def rejected_sample(
    con: duckdb.DuckDBPyConnection, results: list[FileResult], per_file: int = REJECTS_PER_FILE
) -> list[RejectedCell]:
    """The first `per_file` rejected cells of each of `results`' files, in file and row order,
    read on the writer `con`."""
    names = {r.file_id: r.path.name for r in results}
    params = {"file_ids": list(names), "per_file": per_file}
    rows = run_sql_file(con, "ingest/sample_rejects.sql", params)
    return [
        RejectedCell(file_id, names[file_id], row, column, value, reason, message)
        for file_id, row, column, value, reason, message in rows.fetchall()
    ]
