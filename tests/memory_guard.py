"""Run a command in a child process under a hard memory limit, so a regression cannot take the
machine down: the child fails (MemoryError, or an allocation abort) instead of swapping or
waking the OOM killer. Used by the hostile-input tests; any test may use it.

    result = run_guarded(["-m", "warehouse.cli", "ingest", str(path), "--portal", "H37"])
    assert result.peak_mib < 2048
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_LIMIT = int(2.5 * 1024**3)  # address space, so a little above the 2 GiB RSS target
# glibc reserves 64 MiB of address space per thread arena (DuckDB, Polars and the archive all
# start threads): counted by RLIMIT_AS though never used, so the child keeps to two arenas.
_CHILD_ENV = {"MALLOC_ARENA_MAX": "2"}

# The child sets its own limit before anything else runs (preexec_fn is unsafe in a parent
# with threads, as DuckDB and Polars start them), then runs the Python arguments it was given.
_BOOT = (
    "import atexit, os, resource, runpy, sys; "
    "atexit.register(lambda: open(os.environ['CCHC_GUARD_PEAK'], 'w').write("
    "next(l.split()[1] for l in open('/proc/self/status') if l.startswith('VmHWM')))); "
    "limit = int(sys.argv.pop(1)); "
    "resource.setrlimit(resource.RLIMIT_AS, (limit, limit)); "
    "args = sys.argv[1:]; "
    "sys.argv = args[1:] if args[0] == '-m' else args; "
    "runpy.run_module(args[1], run_name='__main__', alter_sys=True) if args[0] == '-m' "
    "else runpy.run_path(args[0], run_name='__main__')"
)


@dataclass
class GuardedRun:
    returncode: int
    stdout: str
    stderr: str
    peak_mib: float  # the child's own peak resident memory (VmHWM at exit, else ru_maxrss)
    seconds: float


def run_guarded(
    args: list[str],
    *,
    limit_bytes: int = DEFAULT_LIMIT,
    timeout: float = 300,
    env: dict[str, str] | None = None,
    cwd: Path = REPO,
) -> GuardedRun:
    """`python <args>` (e.g. `["-m", "warehouse.cli", "ingest", ...]`) under RLIMIT_AS."""
    started = time.perf_counter()
    out_path = Path(os.environ.get("TMPDIR", "/tmp")) / f"guard-{os.getpid()}-{time.time_ns()}"
    with open(f"{out_path}.out", "w+b") as out, open(f"{out_path}.err", "w+b") as err:
        child = subprocess.Popen(
            [sys.executable, "-c", _BOOT, str(limit_bytes), *args],
            stdout=out,
            stderr=err,
            cwd=cwd,
            env={**os.environ, **_CHILD_ENV, "CCHC_GUARD_PEAK": f"{out_path}.peak", **(env or {})},
        )
        deadline = started + timeout
        while True:
            pid, status, usage = os.wait4(child.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                child.kill()
                pid, status, usage = os.wait4(child.pid, 0)
                break
            time.sleep(0.05)
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(errors="replace"), err.read().decode(errors="replace")
    # ru_maxrss survives exec, so a child forked from a big parent would report the parent's
    # size: the child's own high-water mark (VmHWM, reset by exec) is read first
    peak_file = Path(f"{out_path}.peak")
    peak_kib = int(peak_file.read_text()) if peak_file.exists() else usage.ru_maxrss
    for suffix in (".out", ".err", ".peak"):
        Path(f"{out_path}{suffix}").unlink(missing_ok=True)
    return GuardedRun(
        returncode=child.returncode,
        stdout=stdout,
        stderr=stderr,
        peak_mib=peak_kib / 1024,
        seconds=time.perf_counter() - started,
    )
