"""Files that appear whole or not at all, because a loader may read them at any moment.

A nightly fetch can be stopped mid-write (a timeout, a full disk, a killed job); renaming a
complete, synced temporary file from the same folder means a reader sees either the previous
file or the new one, never half of an export or of a state file.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def commit(temp: Path, target: Path) -> None:
    """Move a complete temporary file into place; it is removed if the move fails."""
    try:
        os.replace(temp, target)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def write_atomically(target: Path, data: bytes) -> None:
    handle, name = tempfile.mkstemp(dir=target.parent, prefix=".partial-")
    try:
        with os.fdopen(handle, "wb") as sink:
            sink.write(data)
            sink.flush()
            os.fsync(sink.fileno())
        os.replace(name, target)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise
