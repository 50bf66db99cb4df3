"""What a killed load leaves (its working copy, archives nobody recorded) goes at the next write,
and a load waiting for the lock keeps its archive all the same. Real processes, real SIGKILL."""

from __future__ import annotations

import fcntl
import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from datagen import write_dossier_csv

from warehouse.archive import archive_file, discard_uncommitted
from warehouse.db import discard_uncommitted_archives

from conftest import EXPORTS, ingest, query

CLI = [sys.executable, "-m", "warehouse.cli"]


def archive_of(data: Path, sha: str) -> list[Path]:
    return sorted((data / "raw" / sha[:2]).glob(f"{sha}.*"))


def sha_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def wait_until(check, timeout: float, what: str) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


def test_a_killed_load_leaves_nothing_after_the_next_write(warehouse: Path, tmp_path: Path) -> None:
    data = warehouse.parent
    committed = EXPORTS / "dossiers_semicolon_bom.csv"
    ingest(warehouse, committed)
    big = write_dossier_csv(tmp_path / "ho-so-2023.csv", 300_000)
    big_sha = sha_of(big)
    working = data / f".{warehouse.name}.next"

    load = subprocess.Popen(
        [*CLI, "ingest", str(big), "--portal", "H37", "--no-checks", "--warehouse", str(warehouse)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_until(lambda: working.exists() and archive_of(data, big_sha), 120, "the load")
        time.sleep(0.5)  # inside the load now
        assert load.poll() is None, "the load ended before it could be killed"
        os.kill(load.pid, signal.SIGKILL)
        load.wait(timeout=10)
    finally:
        if load.poll() is None:
            load.kill()
    assert working.exists() and archive_of(data, big_sha)  # what the kill left
    assert query(warehouse, f"SELECT count(*) FROM ops.files WHERE sha256 = '{big_sha}'") == [(0,)]

    # the next write, in a new process: `cchc checks` opens a write session
    done = subprocess.run(
        [*CLI, "checks", "--warehouse", str(warehouse)], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert not working.exists()
    assert archive_of(data, big_sha) == []  # never recorded: removed
    assert len(archive_of(data, sha_of(committed))) == 1  # recorded: kept
    assert [p.name for p in (data / "raw").iterdir() if p.name.startswith(".")] == []


def test_a_load_waiting_for_the_lock_keeps_its_archive(warehouse: Path, tmp_path: Path) -> None:
    """Another writer's cleaner runs while a second `cchc ingest` waits for the lock with its
    copy already archived: a cleaner started later removes that copy, and the waiting load
    archives it again once it holds the lock and records it."""
    data = warehouse.parent
    ingest(warehouse, EXPORTS / "report_bieu06_quarter.xlsx")
    export = tmp_path / "ho-so.csv"
    export.write_bytes((EXPORTS / "dossiers_semicolon_bom.csv").read_bytes())
    sha = sha_of(export)

    lock = (data / f".{warehouse.name}.lock").open("w")
    fcntl.flock(lock, fcntl.LOCK_EX)  # a writer holds the lock
    before_waiting = time.time()
    waiting = subprocess.Popen(
        [*CLI, "ingest", str(export), "--portal", "H37", "--warehouse", str(warehouse)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        wait_until(lambda: archive_of(data, sha), 60, "the waiting load's archive")
        assert waiting.poll() is None  # blocked on the lock
        # a cleaner that started before the waiting load leaves its copy alone ...
        assert discard_uncommitted_archives(warehouse, older_than=before_waiting) == []
        copies = archive_of(data, sha)
        assert len(copies) == 1
        # ... one that started after it removes it, as a killed load's
        assert discard_uncommitted_archives(warehouse, older_than=time.time() + 1) == copies
        assert archive_of(data, sha) == []
    finally:
        fcntl.flock(lock, fcntl.LOCK_UN)
        lock.close()
    output, _ = waiting.communicate(timeout=120)
    assert waiting.returncode in (0, 3), output
    recorded = query(warehouse, f"SELECT status, archive_path FROM ops.files WHERE sha256='{sha}'")
    assert recorded[0][0] == "loaded", output
    assert Path(recorded[0][1]).read_bytes() == export.read_bytes()  # archived again


def test_a_copy_being_written_is_left_alone(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    being_written = raw / ".incoming-abc"
    being_written.write_bytes(b"half")
    handle = os.open(being_written, os.O_RDONLY)
    fcntl.flock(handle, fcntl.LOCK_EX)  # as archive_file holds it while copying
    later = time.time() + 10
    assert discard_uncommitted(raw, set(), older_than=later) == []
    fcntl.flock(handle, fcntl.LOCK_UN)
    os.close(handle)
    assert discard_uncommitted(raw, set(), older_than=later) == [being_written]
    assert not being_written.exists()


def test_recorded_and_own_archives_stay(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    source = tmp_path / "a.csv"
    source.write_bytes(b"x\n1\n")
    archived = archive_file(source, raw)
    assert discard_uncommitted(raw, set()) == []  # this process's own: newer than its start
    assert discard_uncommitted(raw, {archived.sha256}, older_than=time.time() + 10) == []
    assert archived.path.exists()
