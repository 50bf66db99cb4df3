"""JSON: an array of objects, or one page of a paged API (`{"data": [...], ...}`)."""

from __future__ import annotations

import json
from pathlib import Path

from warehouse.config import Limits
from warehouse.parse.formats.raw import Row, UnreadableFile


def read_json_rows(path: Path, limits: Limits | None = None) -> list[Row]:
    """A top-level array of objects, or one page `{"data": [...], "page": N, ...}`.

    The keys (in first-seen order) become a header row numbered 0, so record k is row k: row
    numbers in rejects count records from 1, as the contract's convention for JSON says.
    """
    limits = limits or Limits()
    data = path.read_bytes()
    values = data.count(b'":')  # every key ends so; a close upper bound of the cells
    if values > limits.max_cells:
        raise UnreadableFile(
            f"the JSON file holds about {values:,} values, more than [limits] max_cells = "
            f"{limits.max_cells:,}",
            reason="too_large",
        )
    try:
        payload = json.loads(data)
    except json.JSONDecodeError as error:
        raise UnreadableFile(
            f"invalid JSON at line {error.lineno} column {error.colno}: {error.msg}"
        ) from None
    records = payload.get("data") if isinstance(payload, dict) else payload
    if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
        raise UnreadableFile('JSON that is neither an array of objects nor {"data": [...]}')
    del data, payload
    keys: dict[str, None] = {}
    for record in records:
        keys.update(dict.fromkeys(record))
    header = list(keys)
    rows: list[Row] = [(0, header)]
    for number, record in enumerate(records, start=1):
        rows.append((number, [_json_text(record.get(k)) for k in header]))
    return rows


def _json_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)
