"""What the HTTP source tests share: the token, a source, a fetch whose waits are recorded.

A plain module, imported by name like tests/kpi_support.py; the fixtures are in http_fixtures.py.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import requests

from warehouse.config import Source
from warehouse.sources.http import Fetched, fetch_source

TOKEN = "s3cr3t-T0ken/with+chars"
TOKEN_CORE = "s3cr3t-T0ken"  # the part every encoding of the token keeps
PATH = "/api/exports/dossiers.xlsx"


class Waits(list[float]):
    """The `sleep` given to fetch_source: records each wait instead of waiting."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


class RecordingSession(requests.Session):
    """A real session that also keeps the keyword arguments of every request it sends."""

    def __init__(self) -> None:
        super().__init__()
        self.calls: list[dict[str, Any]] = []

    def request(self, method: str, url: str, *args: Any, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        self.calls.append({"method": method, "url": url, **kwargs})
        return super().request(method, url, *args, **kwargs)


def source_for(url: str, **options: Any) -> Source:
    return Source(portal="H37", name="H37-dossiers", url=url, **options)


def fetch(
    source: Source, tmp_path: Path, waits: Waits, *, jitter: Any = None, **kwargs: Any
) -> Fetched:
    """fetch_source with recorded waits and, unless given, no jitter (waits = their ceilings)."""
    return fetch_source(
        source,
        download_dir=tmp_path / "downloads",
        state_dir=tmp_path / "state",
        sleep=waits,
        jitter=jitter or (lambda ceiling: ceiling),
        **kwargs,
    )


def files_in(folder: Path) -> list[str]:
    """Every entry, hidden ones included: a leftover `.partial-*` must show up here."""
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []
