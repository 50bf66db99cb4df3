"""The Prefect server a `cchc run` starts dies with the run, even on `kill -9` (Linux).

Real processes: a `cchc run` child, its server found through /proc, a SIGKILL, then a look at
every process the run had started and at the port the server listened on.
"""

from __future__ import annotations

import os
import signal
import socket
import sys
import time
from pathlib import Path

import pytest

from flow_support import BIEU06_SOURCE, cchc_process, write_config

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="uses /proc")


def stat_of(pid: int) -> list[str] | None:
    """/proc/<pid>/stat after the command name: [state, ppid, pgid, ...]; None when gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return None
    return text.rpartition(")")[2].split()


def alive(pid: int) -> bool:
    """Running or sleeping; a zombie (killed, not yet reaped by init) holds nothing and runs
    nothing, so it does not count."""
    stat = stat_of(pid)
    return stat is not None and stat[0] not in ("Z", "X")


def descendants(root: int) -> set[int]:
    parents = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (stat := stat_of(int(entry.name))):
            parents[int(entry.name)] = int(stat[1])
    found, frontier = set(), {root}
    while frontier:
        frontier = {pid for pid, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def group_members(pgid: int) -> set[int]:
    pids = [int(entry.name) for entry in Path("/proc").iterdir() if entry.name.isdigit()]
    stats = {pid: stat_of(pid) for pid in pids}
    return {pid for pid, st in stats.items() if st and st[0] not in "ZX" and int(st[2]) == pgid}


def listening_ports(pid: int) -> set[int]:
    """TCP ports on 127.0.0.1 that `pid` listens on (its socket inodes in /proc/net/tcp)."""
    inodes = set()
    try:
        for fd in Path(f"/proc/{pid}/fd").iterdir():
            try:
                target = os.readlink(fd)
            except OSError:
                continue
            if target.startswith("socket:["):
                inodes.add(target[8:-1])
    except (FileNotFoundError, PermissionError):
        return set()
    ports = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        local, state, inode = fields[1], fields[3], fields[9]
        if state == "0A" and inode in inodes:  # 0A: LISTEN
            ports.add(int(local.split(":")[1], 16))
    return ports


def accepts(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(1)
        return probe.connect_ex(("127.0.0.1", port)) == 0


def test_kill_9_of_a_run_takes_its_prefect_server_with_it(tmp_path: Path) -> None:
    config = write_config(tmp_path, BIEU06_SOURCE)
    warehouse = tmp_path / "data" / "warehouse.duckdb"
    run = cchc_process("run", "--config", str(config), "--warehouse", str(warehouse))
    try:
        deadline = time.monotonic() + 240
        server = port = None
        while port is None:
            assert run.poll() is None, "the run ended before its server was seen"
            assert time.monotonic() < deadline, "no process of the run listened in time"
            for pid in descendants(run.pid):
                if ports := listening_ports(pid):
                    server, port = pid, min(ports)
                    break
            time.sleep(0.2)
        assert accepts(port)
        started = descendants(run.pid)  # the server and anything it started
        group = int(stat_of(server)[2])

        os.kill(run.pid, signal.SIGKILL)
        run.wait(timeout=10)
        killed_at = time.monotonic()
        while time.monotonic() - killed_at < 5 and (
            any(alive(pid) for pid in started) or group_members(group) or accepts(port)
        ):
            time.sleep(0.1)
        assert [pid for pid in started if alive(pid)] == []
        assert group_members(group) == set()
        assert not accepts(port)
    finally:
        if run.poll() is None:
            run.kill()
            run.wait()
