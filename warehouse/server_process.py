"""A Prefect server as a child process tied to this one: started in its own process group,
killed by the kernel when we die (Linux), stopped in order when we are done.

`cchc serve` starts `prefect server start` this way; `cchc run` starts the same uvicorn app as
Prefect's no-server mode, with what a one-run server cannot use left out. Nothing here imports
Prefect, whose settings must be read after PREFECT_API_URL is set.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import importlib.metadata
import importlib.util
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from contextlib import suppress
from pathlib import Path

import requests

_PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def start_one_run_server(port: int) -> subprocess.Popen[bytes]:
    """The server of one `cchc run` on 127.0.0.1:`port`, tied to this process."""
    return start_tied(uvicorn_command(port), ephemeral_environment())


def uvicorn_command(port: int) -> list[str]:
    """The command Prefect's no-server mode runs (prefect.server.api.server), found without
    importing Prefect, whose settings must be read after PREFECT_API_URL is set."""
    spec = importlib.util.find_spec("prefect")
    assert spec is not None and spec.origin is not None, "prefect is not installed"
    app_dir = Path(spec.origin).parent.parent
    return [
        sys.executable,
        "-m",
        "uvicorn",
        "--app-dir",
        str(app_dir),
        "--factory",
        "prefect.server.api.server:create_app",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--log-level",
        "error",
        "--lifespan",
        "on",
    ]


def ephemeral_environment() -> dict[str, str]:
    """As Prefect's no-server mode (no UI, the services of an ephemeral server), less what a
    server that lives for one run cannot use: automations (the trigger and action services:
    nothing stays to act on them), and the database migrations once this Prefect version has
    migrated the database in PREFECT_HOME (Alembic's check costs a tenth of a second or more
    of every start). The run recorders stay: `cchc serve`'s UI shows these runs later."""
    environment = os.environ | {
        "PREFECT_UI_ENABLED": "0",
        "PREFECT__SERVER_EPHEMERAL": "1",
        "PREFECT__SERVER_FINAL": "1",
        "PREFECT_SERVER_SERVICES_TRIGGERS_ENABLED": "false",
    }
    if (marker := migrated_marker()) is not None and marker.exists():
        environment.setdefault("PREFECT_API_DATABASE_MIGRATE_ON_START", "false")
    return environment


def migrated_marker() -> Path | None:
    """A file saying this Prefect version migrated the SQLite database of PREFECT_HOME; None
    when the database is configured elsewhere (its migrations are not ours to skip)."""
    home = Path(os.environ["PREFECT_HOME"])
    if os.environ.get("PREFECT_API_DATABASE_CONNECTION_URL") or not (home / "prefect.db").exists():
        return None
    return home / f".cchc-migrated-{importlib.metadata.version('prefect')}"


def note_migrated() -> None:
    """After a server answered, its start has migrated the database (or found it migrated)."""
    if (marker := migrated_marker()) is not None:
        marker.touch()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_tied(command: list[str], env: dict[str, str]) -> subprocess.Popen[bytes]:
    """Start `command` in its own process group, killed by the kernel when we die.

    PR_SET_PDEATHSIG (Linux) sends the child SIGKILL when the thread that forked it exits, so
    this must run on a thread that lives as long as the process (the CLI's main thread). The
    own process group lets `stop` kill everything the server started, and keeps a Ctrl+C on
    the terminal from reaching the server before we stop it in order.
    """
    parent = os.getpid()
    prctl: Callable[..., int] | None = None
    if sys.platform.startswith("linux"):
        prctl = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True).prctl

    def tie_to_parent() -> None:  # in the child, between fork and exec: no allocation, no locks
        if prctl is not None and prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
            os._exit(126)
        if os.getppid() != parent:  # we died before the line above took effect
            os._exit(1)

    return subprocess.Popen(command, env=env, process_group=0, preexec_fn=tie_to_parent)


def wait_until_healthy(server: subprocess.Popen[bytes], api_url: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while True:
        if server.poll() is not None:
            raise RuntimeError(f"the Prefect server exited with status {server.returncode}")
        try:
            if requests.get(f"{api_url}/health", timeout=(1, 2)).ok:
                return
        except requests.RequestException:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"the Prefect server did not answer on {api_url}")
        time.sleep(0.2)


def stop(server: subprocess.Popen[bytes], *, grace: float) -> None:
    """SIGTERM to the server's process group, then SIGKILL to whatever is left of it."""
    signal_group(server, signal.SIGTERM)
    with suppress(subprocess.TimeoutExpired):
        server.wait(timeout=grace)
    signal_group(server, signal.SIGKILL)  # the server after `grace`, or a child it left
    server.wait()


def signal_group(server: subprocess.Popen[bytes], sig: signal.Signals) -> None:
    with suppress(ProcessLookupError, PermissionError):
        os.killpg(server.pid, sig)  # its group: it was started with process_group=0
