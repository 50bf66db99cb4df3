"""A national scoreboard answer (Decision 766, the National Public Service Portal's JSON) → units.

The fourth kind of file, told by its content like the other three: a JSON envelope
`{"code": …, "data": {…}}` whose data has one of the scoreboard's shapes (scoreboard_shapes).
Its group is told by the metric codes or counts it carries (scoreboard.toml), its period by the
request that asked for it (scoreboard_request), its snapshot date by the day it was taken. Each
unit of the answer is one row (`source_row`: the root first, then its units in order) carrying
its facts (group, metric, numerator, denominator, ratio, score, max score); a unit with a bad
value is rejected whole with every reason, like a dossier row, and the others load.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import polars as pl

from warehouse.config import Limits
from warehouse.parse.file_warnings import FileWarning
from warehouse.parse.headers import RefusedFile
from warehouse.parse.rejects import REJECT_SCHEMA, ParsedBatch
from warehouse.parse.scoreboard_request import Period, request_text
from warehouse.parse.scoreboard_shapes import Unit, read_units, unknown_groups, vocabulary
from warehouse.sources.answers import envelope_failure

PEEK = 64 * 1024
# An envelope starts with its code, or says `"data": {` early: a paged export's data is a list.
_ENVELOPE = re.compile(rb'^\s*\{\s*"code"\s*:|"data"\s*:\s*\{')
FACT = pl.Struct(
    {
        "group_code": pl.String,
        "metric_code": pl.String,
        "numerator": pl.Float64,
        "denominator": pl.Float64,
        "ratio": pl.Float64,
        "score": pl.Float64,
        "max_score": pl.Float64,
    }
)
UNIT_SCHEMA = {
    "source_row": pl.Int64,
    "unit_id": pl.String,
    "unit_code": pl.String,
    "unit_name": pl.String,
    "unit_type": pl.String,
    "unit_level": pl.String,
    "parent_unit_code": pl.String,
    "facts": pl.List(FACT),
}


@dataclass
class ParsedScoreboard:
    """What the loader needs of a scoreboard answer (the same surface as ParsedExport)."""

    shape: str  # service-results | list | tree
    group: str | None  # the group a list or tree answer is about
    period: Period
    snapshot_date: date
    batches: Iterator[ParsedBatch]
    warnings: list[FileWarning] = field(default_factory=list)
    kind: str = "scoreboard"
    format: str = "json"

    def column_map(self) -> list[tuple[int, str, str | None]]:
        return []  # JSON keys, not header columns: docs/indicators.md says what each loads into


def sniff_scoreboard(path: Path, limits: Limits | None = None) -> dict[str, Any] | None:
    """The answer's JSON when `path` is a national scoreboard answer (or the API's word that a
    request failed), else None so the other kinds are tried. Read whole only when its first
    bytes look like an envelope, and only within [limits]; RefusedFile when it is one but too
    large or broken."""
    limits = limits or Limits()
    with path.open("rb") as handle:
        head = handle.read(PEEK)
    head = head.removeprefix(b"\xef\xbb\xbf")
    if not _ENVELOPE.search(head):
        return None
    size = path.stat().st_size
    if size > limits.max_uncompressed_mb * 1024 * 1024:
        raise RefusedFile("too_large", f"a JSON answer of {size:,} bytes, over [limits]")
    data = path.read_bytes()
    values = data.count(b":") + data.count(b",")  # every value but the first is after one
    if values > limits.max_cells:
        raise RefusedFile(
            "too_large",
            f"the JSON answer holds about {values:,} values, more than [limits] max_cells = "
            f"{limits.max_cells:,}",
        )
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except (ValueError, RecursionError) as error:  # ValueError: bad JSON or bytes not UTF-8
        raise RefusedFile("damaged_file", f"a JSON answer that cannot be read: {error}") from None
    if not isinstance(document, dict):
        return None
    if envelope_failure(document) is not None:
        return document
    body = document.get("data")
    return document if isinstance(body, Mapping) and shape_of(body) else None


def shape_of(data: Mapping[str, Any]) -> str | None:
    """service-results (provinces with groupScores), list (overview/evaluation with metrics)
    or tree (parent/children); None for any other answer."""
    evaluation = data.get("evaluation")
    first = evaluation[0] if isinstance(evaluation, list) and evaluation else None
    if isinstance(first, Mapping) and "groupScores" in first:
        return "service-results"
    if "overview" in data or isinstance(evaluation, list):
        return "list"
    if "parent" in data or "children" in data:
        return "tree"
    return None


def parse_scoreboard(
    document: Mapping[str, Any],
    *,
    period: Period,
    snapshot_date: date,
    request: Mapping[str, Any] | None,
) -> ParsedScoreboard:
    """The answer's units as one batch (rows, rejects); RefusedFile when it is no data."""
    failed = envelope_failure(document)
    if failed is not None:
        raise RefusedFile("not_data", f"not data: {failed}")
    data = document["data"]
    shape = shape_of(data)
    assert shape is not None  # sniff_scoreboard hands on nothing else
    group = None if shape == "service-results" else _group(shape, data)
    units = list(read_units(shape, data, group))
    request = request or {}
    provinces = shape == "service-results"
    defaults = {  # what the request says of the units: the provinces' type, the root's id
        "unit_type": request_text(request, "departmentType") if provinces else None,
        "unit_id": None if provinces else request_text(request, "rootDepartmentId"),
    }
    rows, rejects = _frames(units, defaults)
    rows = rows.with_columns(  # what every unit of the answer shares, for the load's SQL
        pl.lit(shape).alias("answer"),
        pl.lit(period.grain).alias("period_grain"),
        pl.lit(period.start, dtype=pl.Date).alias("period_start"),
        pl.lit(period.end, dtype=pl.Date).alias("period_end"),
        pl.lit(snapshot_date, dtype=pl.Date).alias("snapshot_date"),
    )
    parsed = ParsedScoreboard(shape, group, period, snapshot_date, iter([(rows, rejects)]))
    parsed.warnings = _warnings(shape, data, units)
    return parsed


def _group(shape: str, data: Mapping[str, Any]) -> str:
    """The group a list or tree answer is about: the one its metric codes (or counts) name."""
    known = vocabulary().list_metrics if shape == "list" else vocabulary().tree_fields
    votes: Counter[str] = Counter()
    root, children = ("overview", "evaluation") if shape == "list" else ("parent", "children")
    records = [data.get(root), *(data.get(children) or [])]
    for record in (r for r in records if isinstance(r, Mapping)):
        if shape == "list":
            metrics = record.get("metrics")
            names = [m.get("code") for m in metrics or [] if isinstance(m, Mapping)]
        else:
            names = list(record)
        votes.update(known[n] for n in names if isinstance(n, str) and n in known)
    if not votes:
        what = "metric codes" if shape == "list" else "counts"
        raise RefusedFile(
            "kind_not_detected",
            f"a national scoreboard {shape} answer whose {what} name no group of Decision 766 "
            "(warehouse/parse/scoreboard.toml)",
        )
    return votes.most_common(1)[0][0]


def _frames(
    units: list[Unit], defaults: Mapping[str, str | None]
) -> tuple[pl.DataFrame, pl.DataFrame]:
    rows, rejects = [], []
    for unit in units:
        if unit.problems:
            rejects.extend(_rejects(unit))
            continue
        rows.append(
            {
                "source_row": unit.row,
                "unit_id": unit.unit_id or (defaults["unit_id"] if unit.is_root else None),
                "unit_code": unit.unit_code,
                "unit_name": unit.unit_name,
                "unit_type": unit.unit_type or defaults["unit_type"],
                "unit_level": unit.unit_level,
                "parent_unit_code": unit.parent_unit_code,
                "facts": unit.facts,
            }
        )
    return (
        pl.DataFrame(rows, schema=UNIT_SCHEMA, orient="row"),
        pl.DataFrame(rejects, schema=REJECT_SCHEMA, orient="row"),
    )


def _rejects(unit: Unit) -> Iterator[dict[str, Any]]:
    who = f"{unit.where}" + (f", {unit.unit_code}" if unit.unit_code else "")
    for column, value, reason, what in unit.problems:
        yield {
            "row_number": unit.row,
            "column_name": column,
            "value": value,
            "reason": reason,
            "message": f"row {unit.row} ({who}), {column}: {what}; the unit is not loaded",
        }


def _warnings(shape: str, data: Mapping[str, Any], units: list[Unit]) -> list[FileWarning]:
    warnings = []
    if not units:
        warnings.append(FileWarning("blank_rows", "the answer lists no unit; it has no data rows"))
    known = vocabulary().list_metrics
    unknown = sorted(
        {str(f["metric_code"]) for u in units for f in u.facts if f["metric_code"]}
        - set(known)
        - {c["metric"] for c in vocabulary().tree_counts}
    )
    if shape == "service-results":
        unknown = unknown_groups(data)
    if unknown:
        message = "codes scoreboard.toml does not know, loaded as given: " + ", ".join(unknown)
        warnings.append(FileWarning("unknown_metrics", message))
    pagination = data.get("pagination")
    if isinstance(pagination, Mapping):
        pages = pagination.get("totalPages")
        if isinstance(pages, int) and not isinstance(pages, bool) and pages > 1:
            message = (
                f"the answer is one page of {pages}: units on the other pages are not in it "
                "(ask with a larger pageSize)"
            )
            warnings.append(FileWarning("incomplete_answer", message))
    return warnings
