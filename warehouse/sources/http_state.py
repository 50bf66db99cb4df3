"""What the portal said about the last complete download, so an unchanged export is skipped.

Most nights most exports have not changed; asking with the last ETag / Last-Modified lets the
portal answer 304, and the export is neither downloaded nor loaded again.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from warehouse.config import Source
from warehouse.sources.atomic import write_atomically


def state_path(state_dir: Path, source: Source) -> Path:
    safe = re.sub(r"[^\w.-]+", "_", source.name).strip("._") or "source"
    return state_dir / f"{safe}.http.json"


@dataclass
class HttpState:
    """The validators of the last complete download of one source (ETag, Last-Modified).

    Kept per source in its own small file so parallel fetches never rewrite each other's, and
    tied to the (redacted) URL: when the configured URL changes, the old validators are void.
    """

    path: Path
    url: str
    etag: str | None = None
    last_modified: str | None = None

    @classmethod
    def read(cls, path: Path, url: str) -> HttpState:
        """A missing, unreadable or foreign file means no validators: the next GET is plain."""
        try:
            stored = json.loads(path.read_text(encoding="utf-8"))
        except (FileNotFoundError, ValueError):
            return cls(path, url)
        if not isinstance(stored, dict) or stored.get("url") != url:
            return cls(path, url)
        return cls(path, url, stored.get("etag"), stored.get("last_modified"))

    def headers(self) -> dict[str, str]:
        headers = {}
        if self.etag:
            headers["If-None-Match"] = self.etag
        if self.last_modified:
            headers["If-Modified-Since"] = self.last_modified
        return headers

    def saved(self, etag: str | None, last_modified: str | None, size: int) -> None:
        """Record a download; called only once its file is in place, never before."""
        self.etag, self.last_modified = etag, last_modified
        document = {
            "url": self.url,
            "etag": etag,
            "last_modified": last_modified,
            "bytes": size,
            "fetched_at": datetime.now(UTC).isoformat(timespec="seconds"),
        }
        self.path.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(self.path, json.dumps(document, indent=2).encode("utf-8"))
