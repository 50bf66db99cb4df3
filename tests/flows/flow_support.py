"""What the flow tests share: a cchc.toml with Lạng Sơn's portal and the sources a test names,
`cchc` started as a process of its own, and a look through /proc at what a process started."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

EXPORTS = Path(__file__).parents[1] / "fixtures" / "exports"
LANG_SON = """[[portals]]
code = "H37"
name = "Cổng dịch vụ công tỉnh Lạng Sơn"
sector = "locality"
province_code = "20"
"""
# One source: the committed Biểu 06 report of Lạng Sơn (9 report rows), read from its file.
BIEU06_SOURCE = f"""
[[sources]]
portal = "H37"
url = "{EXPORTS / "report_bieu06_quarter.xlsx"}"
"""


def write_config(folder: Path, body: str) -> Path:
    """folder/cchc.toml: Lạng Sơn's portal, then `body` (its [[sources]] and other tables)."""
    path = folder / "cchc.toml"
    path.write_text(LANG_SON + body, encoding="utf-8")
    return path


def cchc_process(*args: str, capture: bool = False) -> subprocess.Popen:
    """`cchc ARGS` in a child process, its output discarded (`capture`: on its stdout, 200
    columns wide); without $PREFECT_API_URL, so it starts the Prefect server it needs itself,
    and without $PREFECT_HOME, so its Prefect home is its data folder's, as a person's would be."""
    env = {k: v for k, v in os.environ.items() if k not in ("PREFECT_API_URL", "PREFECT_HOME")}
    command = [sys.executable, "-m", "warehouse.cli", *args]
    if capture:
        env["COLUMNS"] = "200"
        return subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    return subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


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
