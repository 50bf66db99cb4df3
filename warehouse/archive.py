"""The raw layer: every file kept as it arrived, named by its sha256 under data/raw/.

Files are archived before they are loaded, and a load can be killed in between, so a writer
removes the archives no warehouse recorded when it starts (`discard_uncommitted`).
"""

from __future__ import annotations

import fcntl
import hashlib
import logging
import os
import tempfile
import time
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

_CHUNK = 4 << 20  # measured: 1 MiB reads took twice as long for a 600 MB file
_INCOMING = ".incoming-"
# Archives this process writes are newer than this; see `discard_uncommitted`.
PROCESS_STARTED = time.time()

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ArchivedFile:
    sha256: str
    bytes: int
    path: Path


def archive_file(source: Path, raw_dir: Path) -> ArchivedFile:
    """Copy `source` into the archive while hashing it (one read), then rename atomically.

    The copy is made before anything is parsed, so a file that later fails or is refused is
    still kept, and a reader never sees a half-written archive file.
    """
    raw_dir.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    size = 0
    handle, temp_name = tempfile.mkstemp(dir=raw_dir, prefix=_INCOMING)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)  # "being written": a cleaner leaves it alone
        buffer = bytearray(_CHUNK)
        view = memoryview(buffer)
        with os.fdopen(handle, "wb") as sink, source.open("rb", buffering=0) as reader:
            while read := reader.readinto(buffer):
                digest.update(view[:read])
                sink.write(view[:read])
                size += read
            sha = digest.hexdigest()
            target = raw_dir / sha[:2] / f"{sha}{source.suffix.lower()}"
            if target.exists():
                os.unlink(temp_name)
                os.utime(target)  # ours now: newer than PROCESS_STARTED, like a fresh copy
            else:  # renamed while still locked: no moment when a cleaner may take it
                target.parent.mkdir(exist_ok=True)
                os.replace(temp_name, target)
    except BaseException:
        if os.path.exists(temp_name):
            os.unlink(temp_name)
        raise
    return ArchivedFile(sha256=sha, bytes=size, path=target)


class ArchiveAhead:
    """A file's copy being made ahead of its load; `result()` hands it over, checked."""

    def __init__(self, future: Future[ArchivedFile], source: Path, raw_dir: Path) -> None:
        self.future = future
        self.source = source
        self.raw_dir = raw_dir

    def result(self) -> ArchivedFile:
        """The archived copy, there when this returns. Call it holding the writer lock.

        The copy was made before the lock was taken, so another writer's session may have
        discarded it as uncommitted meanwhile (see `discard_uncommitted`): it is then made
        again, now, and no cleaner can remove it before this session records it, because
        cleaners run only under the writer lock.
        """
        try:
            archived = self.future.result()
        except OSError:
            if not self.source.exists():
                raise  # the file itself is missing: the caller reports that
            log.info("%s: archiving again (its copy in progress was removed)", self.source)
            return archive_file(self.source, self.raw_dir)
        if archived.path.exists():
            return archived
        log.info("%s: archiving again (its copy was removed while waiting)", self.source)
        return archive_file(self.source, self.raw_dir)


@contextmanager
def archived_ahead(paths: Sequence[Path], data_dir: Path) -> Iterator[list[ArchiveAhead]]:
    """Archive the files one after another on a background thread, starting now.

    Copying and hashing a large export is mostly waiting on the disk and hashlib, which leave
    the interpreter free: done ahead, it overlaps with importing Polars and DuckDB, opening the
    warehouse and loading the files before it, instead of holding up each load (measured: 1–2 s
    for a 600 MB file). This module imports nothing heavy so that callers can start it first.
    Leaving early cancels the archives not yet started.
    """
    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="archive")
    raw_dir = data_dir / "raw"
    try:
        yield [
            ArchiveAhead(pool.submit(archive_file, path, raw_dir), path, raw_dir) for path in paths
        ]
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def discard_uncommitted(
    raw_dir: Path, committed: Iterable[str], *, older_than: float = PROCESS_STARTED
) -> list[Path]:
    """Remove the archives of files no warehouse recorded, left by a load that was killed.

    Call it holding the writer lock, with `committed` the sha256 of every ops.files row.
    An archive is removed when its sha256 is not committed and it was last written before
    `older_than` (by default this process's start, so a caller never removes its own copies
    still to be recorded); a `.incoming-` copy when no process is writing it (its writer
    holds an flock on it until it is renamed into place) and it is as old.

    Another process waiting for the lock may have archived its files before we started, so
    this can remove a copy that a live process is about to record. That is allowed on
    purpose, instead of guessing from ages and pids which copies are still wanted: the waiting
    process checks its copies once it holds the lock and archives again whatever is gone
    (`ArchiveAhead.result`), and from then on no cleaner can run until it has recorded them.
    The cost is one more copy of a file in a rare race; the archive never loses a file that
    gets an ops.files row, and a killed load's copies do not pile up.
    """
    keep = set(committed)
    removed: list[Path] = []
    if not raw_dir.is_dir():
        return removed
    for entry in raw_dir.iterdir():
        if entry.name.startswith(_INCOMING):
            if _unwritten_before(entry, older_than):
                removed.append(entry)
        elif entry.is_dir() and len(entry.name) == 2:
            for archived in entry.iterdir():
                sha = archived.name.partition(".")[0]
                if sha not in keep and _modified_before(archived, older_than):
                    archived.unlink(missing_ok=True)
                    removed.append(archived)
    for entry in removed:
        log.info("removed %s: no warehouse recorded it (a load was stopped)", entry)
    return removed


def _modified_before(path: Path, moment: float) -> bool:
    try:
        return path.stat().st_mtime < moment
    except FileNotFoundError:
        return False


def _unwritten_before(temp: Path, moment: float) -> bool:
    """Remove a `.incoming-` copy nobody is writing (no flock on it) and older than `moment`."""
    try:
        handle = os.open(temp, os.O_RDONLY)
    except FileNotFoundError:
        return False
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False  # its writer is alive
        if os.fstat(handle).st_mtime >= moment:
            return False
        temp.unlink(missing_ok=True)
        return True
    finally:
        os.close(handle)
