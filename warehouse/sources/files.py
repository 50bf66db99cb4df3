"""Local sources: a `file://` URL or a path, naming one export file or a folder of them.

Nothing is copied here: the archive step copies every file (hashing it on the way), so a
second copy would only double the disk traffic of a large folder.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

from warehouse.config import Source
from warehouse.sources.errors import SourceError

log = logging.getLogger("warehouse.sources.files")

# Office lock files (`~$x.xlsx`), editor backups (`x~`) and half-finished downloads: an
# export being written or opened right now, which would load as a broken or partial file.
_TEMP_PREFIXES = ("~$", ".~lock.")
_TEMP_SUFFIXES = ("~", ".tmp", ".temp", ".part", ".partial", ".crdownload", ".download")


def collect_files(source: Source, *, download_dir: Path) -> list[Path]:
    """The export files of a local source, sorted, as they are on disk.

    `download_dir` is unused: it keeps the signature of `fetch_source`, so the caller treats
    every kind of source alike. A folder is read recursively because portals that drop files
    on a share often sort them into year or month sub-folders.
    """
    del download_dir
    root = local_path(source.url)
    if not root.exists():
        raise SourceError(f"source {source.name}: {root} does not exist")
    if root.is_file():
        return [root]  # named explicitly: taken even if its name looks temporary
    if not root.is_dir():
        raise SourceError(f"source {source.name}: {root} is neither a file nor a folder")
    files = sorted(_walk(root, source.name))
    if not files:
        log.warning("source %s: no export files in %s", source.name, root)
    return files


def local_path(url: str) -> Path:
    """`file:///srv/x%20y.csv`, `file://localhost/srv/x.csv` or a plain path → a Path.

    A `file://` URL with another host is refused: it would silently read a local file that
    merely has the same path as the one on the named machine.
    """
    if not url.lower().startswith("file:"):
        return Path(url).expanduser()
    parts = urlsplit(url)
    if parts.netloc not in ("", "localhost"):
        raise SourceError(
            f"{url}: a file:// URL names a file on this machine; mount the share and use "
            f"file:///path (host {parts.netloc!r} is not supported)"
        )
    return Path(url2pathname(parts.path))  # decodes %20, %C3%A1, ... once


def is_skipped(name: str) -> bool:
    """Hidden and temporary files are not exports, whatever their extension says."""
    lowered = name.lower()
    return (
        name.startswith(".")
        or lowered.startswith(_TEMP_PREFIXES)
        or (lowered.endswith(_TEMP_SUFFIXES))
    )


def _walk(root: Path, name: str) -> list[Path]:
    """Every non-hidden file under root; symlinked folders are not followed (no loops)."""

    def fail(error: OSError) -> None:
        raise SourceError(f"source {name}: cannot read {error.filename}: {error.strerror}")

    found = []
    for folder, subfolders, files in os.walk(root, onerror=fail):
        subfolders[:] = [d for d in subfolders if not d.startswith(".")]
        found.extend(Path(folder, f) for f in files if not is_skipped(f))
    return [path for path in found if path.is_file()]


def expand_paths(paths: list[Path]) -> list[Path]:
    """`cchc ingest` arguments: a file as given, a folder as every export under it (the same
    walk as a folder source: hidden and temporary files are not exports), in name order."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(_walk(path, str(path))))
        elif path.is_file():
            files.append(path)
        else:
            raise FileNotFoundError(f"{path}: no such file or folder")
    return files
