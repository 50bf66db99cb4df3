"""Prefect's settings for this project, applied before Prefect is first imported.

Prefect reads its settings when imported, so the CLI calls `configure_prefect` first: its home
lives in the data folder (runs, logs and its SQLite database stay with the warehouse), nothing
calls out, and the no-server mode gets time to start on a slow machine.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import requests


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
    server = subprocess.Popen([*command, "--port", str(port)], env=os.environ.copy())
    try:
        deadline = time.monotonic() + start_timeout
        while True:
            if server.poll() is not None:
                raise RuntimeError(f"the Prefect server exited with status {server.returncode}")
            try:
                if requests.get(f"{api_url}/health", timeout=(1, 2)).ok:
                    break
            except requests.RequestException:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"the Prefect server did not answer on {api_url}")
            time.sleep(0.5)
        os.environ["PREFECT_API_URL"] = api_url
        yield api_url
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
