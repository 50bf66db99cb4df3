"""`cchc serve`: the nightly deployment on a real Prefect server; a run triggered through it
executes and loads, and stopping the service stops the server it started."""

from __future__ import annotations

import signal
import socket
import time
from pathlib import Path

import duckdb
import requests

from flow_support import BIEU06_SOURCE, cchc_process, write_config


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def answer(method: str, url: str) -> dict | None:
    """The server's JSON answer, or None while it is still busy (a loaded machine: retried)."""
    response = requests.request(method, url, json={} if method == "POST" else None, timeout=10)
    return response.json() if response.ok else None


def wait_for(check, timeout: float, what: str):  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if value := check():
                return value
        except requests.RequestException:
            pass
        time.sleep(1)
    raise AssertionError(f"timed out waiting for {what}")


def test_a_run_triggered_through_the_served_deployment_loads(tmp_path: Path) -> None:
    config = write_config(
        tmp_path,
        BIEU06_SOURCE
        + """
[schedule]
cron = "0 2 * * *"
timezone = "Asia/Ho_Chi_Minh"
""",
    )
    warehouse = tmp_path / "data" / "warehouse.duckdb"
    port = free_port()
    api = f"http://127.0.0.1:{port}/api"
    service = cchc_process(
        "serve", "--port", str(port), "--config", str(config), "--warehouse", str(warehouse)
    )
    try:
        deployment = wait_for(
            lambda: answer("GET", f"{api}/deployments/name/nightly/nightly"), 240, "the deployment"
        )
        schedule = deployment["schedules"][0]["schedule"]
        assert (schedule["cron"], schedule["timezone"]) == ("0 2 * * *", "Asia/Ho_Chi_Minh")
        create = f"{api}/deployments/{deployment['id']}/create_flow_run"
        run = wait_for(lambda: answer("POST", create), 60, "a run created through it")
        state = wait_for(
            lambda: (
                (found := answer("GET", f"{api}/flow_runs/{run['id']}"))
                and found["state"]["type"] in ("COMPLETED", "FAILED", "CRASHED")
                and found["state"]["type"]
            ),
            240,
            "the triggered run",
        )
        assert state == "COMPLETED"
        with duckdb.connect(str(warehouse), read_only=True) as con:
            assert con.execute("SELECT count(*) FROM core.fact_report").fetchone()[0] == 9
    finally:
        service.send_signal(signal.SIGTERM)
        service.wait(timeout=60)
    with socket.socket() as probe:  # the server it started is gone with it
        assert probe.connect_ex(("127.0.0.1", port)) != 0
