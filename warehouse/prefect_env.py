"""Prefect's settings for this project, applied before Prefect is first imported.

Prefect reads its settings when imported, so the CLI calls `configure_prefect` first: its home
lives in the data folder (runs, logs and its SQLite database stay with the warehouse), nothing
calls out, and the no-server mode gets time to start on a slow machine.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import importlib.util
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import requests

_PR_SET_PDEATHSIG = 1  # <linux/prctl.h>

# What starting the Prefect server for this process's run cost, in seconds (0.0 when a running
# server was used): the nightly flow puts it in its summary as `prefect_start_seconds`.
server_start_seconds = 0.0


def configure_prefect(data_dir: Path) -> None:
    home = (data_dir / "prefect").resolve()
    home.mkdir(parents=True, exist_ok=True)  # Prefect makes the folder, not its parents
    defaults = {
        "PREFECT_HOME": str(home),
        "DO_NOT_TRACK": "1",
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "180",
        "PREFECT_CLI_PROMPT": "false",
    }
    for name, value in defaults.items():
        os.environ.setdefault(name, value)


@contextmanager
def prefect_server(port: int, *, start_timeout: float = 180) -> Iterator[str]:
    """The Prefect API to use: $PREFECT_API_URL if set, else a server started for the duration.

    Scheduling needs a real server (the no-server mode cannot schedule); its database lives in
    PREFECT_HOME, so run history survives restarts of `cchc serve`.
    """
    configured = os.environ.get("PREFECT_API_URL")
    if configured:
        yield configured
        return
    api_url = f"http://127.0.0.1:{port}/api"
    command = [sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1"]
    server = _start_tied([*command, "--port", str(port)], os.environ.copy())
    try:
        _wait_until_healthy(server, api_url, start_timeout)
        os.environ["PREFECT_API_URL"] = api_url
        yield api_url
    finally:
        _stop(server, grace=30)


@contextmanager
def run_server(*, start_timeout: float = 180) -> Iterator[str]:
    """The Prefect API for one `cchc run`: $PREFECT_API_URL if set, else a temporary server that
    cannot outlive this process, even when it is killed with SIGKILL.

    Prefect's own no-server mode starts the same server (uvicorn on 127.0.0.1, no UI, its
    database in PREFECT_HOME) but as a plain child, which a `kill -9` of the run leaves running
    and listening. Started here it is tied to us (see `_start_tied`); it is one process (one
    uvicorn worker, Prefect's services run inside it), and its process group is killed when
    the run ends. Its start-up time is kept in `server_start_seconds`.
    """
    global server_start_seconds
    configured = os.environ.get("PREFECT_API_URL")
    if configured:
        server_start_seconds = 0.0
        yield configured
        return
    started = time.perf_counter()
    for attempt in range(3):  # a port taken between choosing it and binding it: choose again
        port = _free_port()
        api_url = f"http://127.0.0.1:{port}/api"
        server = _start_tied(_uvicorn_command(port), _ephemeral_environment())
        try:
            _wait_until_healthy(server, api_url, start_timeout)
            break
        except RuntimeError:
            _stop(server, grace=5)
            if attempt == 2 or server.returncode not in (1, 3):
                raise
    server_start_seconds = round(time.perf_counter() - started, 3)
    os.environ["PREFECT_API_URL"] = api_url
    try:
        with _api_url_if_imported(api_url):
            yield api_url
    finally:
        _drain_prefect()
        os.environ.pop("PREFECT_API_URL", None)
        _stop(server, grace=10)


@contextmanager
def _api_url_if_imported(api_url: str) -> Iterator[None]:
    """Prefect freezes its settings when imported: if it already is (a test calling the CLI in
    its own process), the environment variable alone would be ignored."""
    if "prefect" not in sys.modules:
        yield
        return
    from prefect.settings import PREFECT_API_URL, temporary_settings

    with temporary_settings(updates={PREFECT_API_URL: api_url}):
        yield


def _uvicorn_command(port: int) -> list[str]:
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


def _ephemeral_environment() -> dict[str, str]:
    """As Prefect's no-server mode: no UI, the services of an ephemeral server."""
    return os.environ | {
        "PREFECT_UI_ENABLED": "0",
        "PREFECT__SERVER_EPHEMERAL": "1",
        "PREFECT__SERVER_FINAL": "1",
    }


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _start_tied(command: list[str], env: dict[str, str]) -> subprocess.Popen[bytes]:
    """Start `command` in its own process group, killed by the kernel when we die.

    PR_SET_PDEATHSIG (Linux) sends the child SIGKILL when the thread that forked it exits, so
    this must run on a thread that lives as long as the process (the CLI's main thread). The
    own process group lets `_stop` kill everything the server started, and keeps a Ctrl+C on
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


def _wait_until_healthy(server: subprocess.Popen[bytes], api_url: str, timeout: float) -> None:
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


def _stop(server: subprocess.Popen[bytes], *, grace: float) -> None:
    """SIGTERM to the server's process group, then SIGKILL to whatever is left of it."""
    _signal_group(server, signal.SIGTERM)
    with suppress(subprocess.TimeoutExpired):
        server.wait(timeout=grace)
    _signal_group(server, signal.SIGKILL)  # the server after `grace`, or a child it left
    server.wait()


def _signal_group(server: subprocess.Popen[bytes], sig: signal.Signals) -> None:
    with suppress(ProcessLookupError, PermissionError):
        os.killpg(server.pid, sig)  # its group: it was started with process_group=0


def _drain_prefect() -> None:
    """Send the run's last log lines and events while the server is still there."""
    if "prefect" not in sys.modules:
        return
    from prefect._internal.concurrency.services import QueueService

    QueueService.drain_all(timeout=10)
