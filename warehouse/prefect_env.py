"""Prefect's settings and servers for this project; nothing here imports Prefect.

Prefect reads its settings when imported, so the CLI calls `configure_prefect` first: its home
lives in the data folder (runs, logs and its SQLite database stay with the warehouse), nothing
calls out, and a server gets time to start on a slow machine. `cchc serve` keeps a server and
says so in a record under that home; `cchc run` uses $PREFECT_API_URL, else that server, else
starts a temporary one of its own (run_server).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager, suppress
from dataclasses import asdict, dataclass
from pathlib import Path

import requests

from warehouse import server_process
from warehouse.sources.atomic import write_atomically

SERVE_RECORD = "cchc-serve.json"  # in PREFECT_HOME: the server `cchc serve` keeps, while it runs


@dataclass
class PrefectServer:
    """The Prefect API a run talks to, where it came from and what having it cost."""

    api_url: str
    origin: str  # configured ($PREFECT_API_URL) | served (`cchc serve`'s record) | temporary
    start_seconds: float = 0.0  # a temporary server: from its launch until it answered
    waited_seconds: float = 0.0  # of those, what the run waited (the rest overlapped its start)


# The server of this process's run (set by run_server); the nightly flow puts it in its summary.
current: PrefectServer | None = None
_data_dir: str | None = None  # the data folder configure_prefect was given: whose server is whose


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
    global _data_dir
    for name, value in defaults.items():
        os.environ.setdefault(name, value)
    _data_dir = str(data_dir.resolve())


def server_in_use() -> dict:
    """The run's Prefect server for its summary; a run of the served deployment (a process
    `cchc serve` started) has none recorded here and uses the server it was given."""
    server = current or PrefectServer(os.environ.get("PREFECT_API_URL", ""), "served")
    return asdict(server)


def describe(server: dict) -> str:
    """The Prefect line of a run's summary: what the server cost, or whose it was."""
    if server["origin"] == "temporary":
        return (
            f"{server['start_seconds']:.1f} s to start a temporary server "
            f"({server['waited_seconds']:.1f} s of it waited for)"
        )
    whose = {"configured": "$PREFECT_API_URL", "served": "cchc serve"}[server["origin"]]
    return f"server at {server['api_url']} (running: {whose})"


@contextmanager
def prefect_server(port: int, *, start_timeout: float = 180) -> Iterator[str]:
    """The Prefect API for `cchc serve`: $PREFECT_API_URL if set, else a server started for the
    duration; either way recorded in PREFECT_HOME so a `cchc run` meanwhile uses it.

    Scheduling needs a real server (the no-server mode cannot schedule); its database lives in
    PREFECT_HOME, so run history survives restarts of `cchc serve`.
    """
    configured = os.environ.get("PREFECT_API_URL")
    if configured:
        with _serve_record(configured, server_pid=None):
            yield configured
        return
    api_url = f"http://127.0.0.1:{port}/api"
    command = [sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1"]
    server = server_process.start_tied([*command, "--port", str(port)], os.environ.copy())
    try:
        server_process.wait_until_healthy(server, api_url, start_timeout)
        os.environ["PREFECT_API_URL"] = api_url
        with _serve_record(api_url, server_pid=server.pid):
            yield api_url
    finally:
        server_process.stop(server, grace=30)


@contextmanager
def run_server(*, start_timeout: float = 180) -> Iterator[Callable[[], PrefectServer]]:
    """The Prefect API for one `cchc run`, as a function that returns it once it answers.

    $PREFECT_API_URL if set; else the server `cchc serve` keeps for this data folder, if its
    record is there and the server answers; else a temporary server that cannot outlive this
    process, even when it is killed with SIGKILL (see `_temporary_server`). A temporary server
    is launched on entry and waited for only when the function is called, so the caller can
    import Prefect and its flow meanwhile (about 2 s of the 4 to 6 s a start takes).
    """
    global current
    configured = os.environ.get("PREFECT_API_URL")
    served = None if configured else served_api_url()
    try:
        if configured:
            current = PrefectServer(configured, "configured")
            yield lambda: current
        elif served:
            current = PrefectServer(served, "served")
            os.environ["PREFECT_API_URL"] = served
            try:
                with _api_url_if_imported(served):
                    yield lambda: current
            finally:
                _drain_prefect()
                os.environ.pop("PREFECT_API_URL", None)
        else:
            with _temporary_server(start_timeout) as ready:
                yield ready
    finally:
        current = None


def served_api_url() -> str | None:
    """The API URL `cchc serve` recorded for this data folder, if its process is alive and
    the server answers /health; a stale record (a crashed service, a reused pid, another data
    folder sharing PREFECT_HOME) is ignored."""
    try:
        record = json.loads(_record_path().read_text(encoding="utf-8"))
        api_url, pid = record["api_url"], int(record["pid"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if record.get("data_dir") != _data_dir or not _alive(pid):
        return None
    try:
        healthy = requests.get(f"{api_url}/health", timeout=(1, 5)).ok
    except requests.RequestException:
        return None
    return api_url if healthy else None


@contextmanager
def _serve_record(api_url: str, *, server_pid: int | None) -> Iterator[None]:
    """PREFECT_HOME/cchc-serve.json names the served server while the block runs; it is
    removed afterwards if it is still ours."""
    path = _record_path()
    record = {
        "api_url": api_url,
        "pid": os.getpid(),  # the `cchc serve` process
        "server_pid": server_pid,  # the server it started, or None for $PREFECT_API_URL's
        "data_dir": _data_dir,
    }
    write_atomically(path, json.dumps(record).encode("utf-8"))
    try:
        yield
    finally:
        with suppress(OSError, ValueError):
            if json.loads(path.read_text(encoding="utf-8")).get("pid") == os.getpid():
                path.unlink()


def _record_path() -> Path:
    return Path(os.environ["PREFECT_HOME"]) / SERVE_RECORD


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, another user's
        return True
    return True


@contextmanager
def _temporary_server(start_timeout: float) -> Iterator[Callable[[], PrefectServer]]:
    """A Prefect server for this run only, launched now, waited for when `ready` is called.

    Prefect's own no-server mode starts the same server (uvicorn on 127.0.0.1, no UI, its
    database in PREFECT_HOME) but as a plain child, which a `kill -9` of the run leaves running
    and listening. Started here it is tied to us (server_process.start_tied); it is one
    process (one uvicorn worker, Prefect's services run inside it), and its process group is
    killed when the run ends. PREFECT_API_URL names it from the launch, so a Prefect imported
    while it starts reads it; a port taken meanwhile means another launch on another port.
    """
    launched = time.perf_counter()

    def launch() -> tuple[subprocess.Popen[bytes], str]:
        port = server_process.free_port()
        server = server_process.start_one_run_server(port)
        os.environ["PREFECT_API_URL"] = api_url = f"http://127.0.0.1:{port}/api"
        return server, api_url

    server, api_url = launch()
    settings = ExitStack()

    def ready() -> PrefectServer:
        nonlocal server, api_url
        global current
        if current is not None:
            return current
        waiting = time.perf_counter()
        for attempt in range(3):
            try:
                server_process.wait_until_healthy(server, api_url, start_timeout)
                break
            except RuntimeError:
                server_process.stop(server, grace=5)
                if attempt == 2 or server.returncode not in (1, 3):  # 1, 3: port taken
                    raise
            server, api_url = launch()
        server_process.note_migrated()
        settings.enter_context(_api_url_if_imported(api_url))
        done = time.perf_counter()
        current = PrefectServer(
            api_url, "temporary", round(done - launched, 3), round(done - waiting, 3)
        )
        return current

    try:
        yield ready
    finally:
        if current is not None:
            _drain_prefect()
        settings.close()
        os.environ.pop("PREFECT_API_URL", None)
        server_process.stop(server, grace=10)


@contextmanager
def _api_url_if_imported(api_url: str) -> Iterator[None]:
    """Prefect freezes its settings when imported: if it already is (a test calling the CLI in
    its own process, or a second launch on another port), the environment variable alone would
    be ignored."""
    if "prefect" not in sys.modules:
        yield
        return
    from prefect.settings import PREFECT_API_URL, temporary_settings

    with temporary_settings(updates={PREFECT_API_URL: api_url}):
        yield


def _drain_prefect() -> None:
    """Send the run's last log lines and events while the server is still there."""
    if "prefect" not in sys.modules:
        return
    from prefect._internal.concurrency.services import QueueService

    QueueService.drain_all(timeout=10)
