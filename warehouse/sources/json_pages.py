"""Paged JSON exports (`{"data": [...], "page": N, "total_pages": M}`) as one raw file.

A portal API pages one logical export; the warehouse keeps it as one file so its rows are
numbered across pages (object k of the export is row k) and the export loads in one
transaction, never half of it.
"""

from __future__ import annotations

import json


class PagingError(ValueError):
    """The pages do not make one complete export."""


def combine_json_pages(pages: list[bytes]) -> bytes:
    """Pages 1..M in order → one `{"data": [...], "page": 1, "total_pages": 1}` document."""
    records: list[object] = []
    expected_total = None
    for position, raw in enumerate(pages, start=1):
        page = json.loads(raw)
        if not isinstance(page, dict) or not isinstance(page.get("data"), list):
            raise PagingError(f'page {position} is not {{"data": [...], "page": N, ...}}')
        number = page.get("page", position)
        total = page.get("total_pages", len(pages))
        if number != position:
            raise PagingError(f"page {position} says it is page {number}")
        if expected_total is not None and total != expected_total:
            raise PagingError(f"page {position} says {total} pages, page 1 said {expected_total}")
        expected_total = total
        records.extend(page["data"])
    if expected_total is not None and expected_total != len(pages):
        raise PagingError(f"got {len(pages)} pages of {expected_total}")
    document = {"data": records, "page": 1, "total_pages": 1, "pages_combined": len(pages)}
    return json.dumps(document, ensure_ascii=False).encode("utf-8")
