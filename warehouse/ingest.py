"""Ingest one export file: archive it, parse it, load it in one transaction, record the outcome.

Every file ends as exactly one ops.files row: `loaded`, `duplicate` (same bytes already loaded
for the portal, nothing changes), `refused` (kind, format or required columns not found; kept
in the archive with the reason) or `failed` (an error mid-load; the transaction rolled back, so
nothing of the file remains in the warehouse). A national scoreboard answer is a snapshot of
its day: the same bytes seen on another day (or asked for another period) load as that day's
snapshot, `duplicate_of` naming the file that first held them.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import duckdb
import polars as pl

from warehouse.archive import ArchivedFile, archive_file
from warehouse.clock import vietnam_now
from warehouse.config import Portal
from warehouse.load import load_parsed_export
from warehouse.parse.export import NOTHING_STATED, ParsedExport, ParseOptions, parse_export
from warehouse.parse.headers import RefusedFile
from warehouse.parse.scoreboard import ParsedScoreboard, parse_scoreboard, sniff_scoreboard
from warehouse.parse.scoreboard_request import Period, request_period
from warehouse.sources.answers import envelope_failure
from warehouse.sqlfiles import run_sql_file

log = logging.getLogger(__name__)


@dataclass
class FileResult:
    path: Path
    status: str  # loaded | duplicate | refused | failed
    file_id: int
    error: str | None = None  # why it is not loaded, or whose duplicate it is
    reason: str | None = None  # a refused file's refusal code, as ops.files.reason keeps it
    warnings: list[str] = field(default_factory=list)  # about a loaded file (ops.file_warnings)
    # what was read: kind and format, then rows (read = loaded + rejected)
    kind: str | None = None
    format: str | None = None
    rows_read: int | None = None
    rows_loaded: int | None = None
    rows_rejected: int | None = None


def ingest_file(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    portal: Portal,
    *,
    data_dir: Path,
    source: str | None = None,
    fetched_at: datetime | None = None,
    parse_options: ParseOptions = NOTHING_STATED,
    archived: ArchivedFile | None = None,
    exported_on: date | None = None,
    request: Mapping[str, object] | None = None,
    snapshot_date: date | None = None,
) -> FileResult:
    """Load `path` for `portal` into the warehouse open on `con` (the single writer).

    `archived` is the file's copy from `archived_ahead`; without it the file is archived here.
    `exported_on` is the day the export was taken where someone states it (`--exported-on`):
    the portal's coverage reaches that day (mart.coverage); unstated, coverage follows the
    data's own dates and never the load time. A national scoreboard answer takes its period
    from `request` (the JSON body that asked for it) and is dated `snapshot_date` (the run's
    as-of day; default the day it was fetched).
    """
    fetched_at = fetched_at or vietnam_now()
    archived = archived or archive_file(path, data_dir / "raw")
    file_id = int(run_sql_file(con, "load/shared/next_file_id.sql").fetchone()[0])
    record = {
        "file_id": file_id,
        "portal_code": portal.code,
        "source": source or str(path),
        "sha256": archived.sha256,
        "bytes": archived.bytes,
        "kind": None,
        "format": None,
        "fetched_at": fetched_at,
        "loaded_at": vietnam_now(),
        "rows_read": None,
        "rows_loaded": None,
        "rows_rejected": None,
        "status": "loaded",
        "error": None,
        "reason": None,
        "archive_path": str(archived.path),
        "duplicate_of": None,
        "exported_on": exported_on,
    }
    result = FileResult(path=path, status="loaded", file_id=file_id)
    try:
        answer = sniff_scoreboard(archived.path, portal.limits)  # None: another kind
        period = None if answer is None else _answer_period(answer, request)
    except RefusedFile as refusal:
        record["kind"] = "scoreboard" if refusal.reason in ("not_data", "no_period") else None
        return _refused(con, record, result, refusal)
    snapshot = snapshot_date or fetched_at.date()
    earlier = run_sql_file(
        con,
        "load/shared/find_loaded_file.sql",
        {"portal_code": portal.code, "sha256": archived.sha256},
    ).fetchone()
    same = earlier
    if earlier and period is not None:  # the same bytes are another snapshot unless same day
        same = _same_snapshot(con, portal.code, archived.sha256, period, snapshot)
    if same:
        result.status = "duplicate"
        result.error = f"same content as file {same[0]}"
        _record(con, record | {"status": "duplicate", "duplicate_of": same[0]})
        return result
    record["duplicate_of"] = earlier[0] if earlier else None
    parsed: ParsedExport | ParsedScoreboard
    try:
        if answer is not None and period is not None:
            parsed = parse_scoreboard(
                answer, period=period, snapshot_date=snapshot, request=request
            )
        else:
            parsed = parse_export(
                archived.path,
                work_dir=data_dir / "tmp",
                exported_on=exported_on or fetched_at.date(),
                options=parse_options,  # --sheet and --agency, or the source's
                limits=portal.limits,  # [limits] of cchc.toml
                vocabulary=portal.vocabulary,  # the words of [vocabulary]
            )
    except RefusedFile as refusal:
        return _refused(con, record, result, refusal)
    result.kind, result.format = parsed.kind, parsed.format
    record |= {"kind": parsed.kind, "format": parsed.format}
    con.begin()
    try:
        _set_context(con, record, portal, exported_on or fetched_at.date())
        counts = load_parsed_export(con, parsed, file_id, portal.code)
        if isinstance(parsed, ParsedScoreboard):
            _record_scoreboard(con, file_id, parsed, request)
        record |= {
            "rows_read": counts.rows_read,
            "rows_loaded": counts.rows_loaded,
            "rows_rejected": counts.rows_rejected,
            "loaded_at": vietnam_now(),
        }
        _record(con, record)
        _record_details(con, file_id, parsed)
        con.commit()
    except Exception as error:  # any failure: nothing of this file may remain
        con.rollback()
        # the reason in words for the console and ops.files; the traceback only at debug level
        log.error("loading %s failed: %s: %s", path.name, type(error).__name__, error)
        log.debug("loading %s failed", path, exc_info=True)
        result.status, result.error = "failed", f"{type(error).__name__}: {error}"
        _record(con, record | {"status": "failed", "error": result.error})
        return result
    result.rows_read = counts.rows_read
    result.rows_loaded = counts.rows_loaded
    result.rows_rejected = counts.rows_rejected
    result.warnings = [warning.message for warning in parsed.warnings]
    return result


def _refused(
    con: duckdb.DuckDBPyConnection, record: dict, result: FileResult, refusal: RefusedFile
) -> FileResult:
    result.status, result.error, result.kind = "refused", str(refusal), record["kind"]
    result.reason = refusal.reason
    _record(con, record | {"status": "refused", "error": str(refusal), "reason": refusal.reason})
    return result


def _answer_period(answer: Mapping[str, object], request: Mapping[str, object] | None) -> Period:
    """The period of a scoreboard answer; RefusedFile when it is the API's failure (`not_data`,
    whatever was asked) or nothing says what it was asked for (`no_period`)."""
    failed = envelope_failure(answer)
    if failed is not None:
        raise RefusedFile("not_data", f"not data: {failed}")
    return request_period(request)


def _same_snapshot(
    con: duckdb.DuckDBPyConnection, portal_code: str, sha256: str, period: Period, day: date
) -> tuple | None:
    """The loaded file that already holds these bytes as the same period's snapshot that day."""
    params = {
        "portal_code": portal_code,
        "sha256": sha256,
        "period_grain": period.grain,
        "period_start": period.start,
        "snapshot_date": day,
    }
    return run_sql_file(con, "load/shared/find_scoreboard_snapshot.sql", params).fetchone()


def _record_scoreboard(
    con: duckdb.DuckDBPyConnection,
    file_id: int,
    parsed: ParsedScoreboard,
    request: Mapping[str, object] | None,
) -> None:
    params = {
        "file_id": file_id,
        "request": json.dumps(request, ensure_ascii=False) if request is not None else None,
        "answer": parsed.shape,
        "group_code": parsed.group,
        "period_grain": parsed.period.grain,
        "period_start": parsed.period.start,
        "period_end": parsed.period.end,
        "snapshot_date": parsed.snapshot_date,
    }
    run_sql_file(con, "load/shared/record_scoreboard_file.sql", params)


def _set_context(
    con: duckdb.DuckDBPyConnection, record: dict, portal: Portal, exported_on: date
) -> None:
    run_sql_file(
        con,
        "load/shared/context.sql",
        {
            "context": {
                "file_id": record["file_id"],
                "portal_code": portal.code,
                "loaded_at": record["loaded_at"],
                "exported_on": exported_on,
                "sector": portal.sector,
                "province_code": portal.province_code,
                "dvcqg_code": portal.dvcqg_code,
            }
        },
    )


def _record(con: duckdb.DuckDBPyConnection, record: dict) -> None:
    run_sql_file(con, "load/shared/record_file.sql", record)


def _record_details(
    con: duckdb.DuckDBPyConnection, file_id: int, parsed: ParsedExport | ParsedScoreboard
) -> None:
    columns = pl.DataFrame(
        parsed.column_map(),
        schema={"position": pl.Int32, "header_text": pl.String, "canonical_column": pl.String},
        orient="row",
    )
    warnings = pl.DataFrame(
        [(w.code, w.message) for w in parsed.warnings],
        schema={"code": pl.String, "message": pl.String},
        orient="row",
    )
    params = {"file_id": file_id}
    run_sql_file(con, "load/shared/record_file_columns.sql", params, incoming=columns.to_arrow())
    run_sql_file(con, "load/shared/record_file_warnings.sql", params, incoming=warnings.to_arrow())
