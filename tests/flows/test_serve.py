"""`cchc serve`: the nightly deployment on a real Prefect server; a run triggered through it
executes and loads, and stopping the service stops the server it started."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import requests

EXPORTS = Path(__file__).parents[1] / "fixtures" / "exports"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


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
    config = tmp_path / "cchc.toml"
    config.write_text(
        f"""
[[portals]]
code = "H37"
name = "Cổng dịch vụ công tỉnh Lạng Sơn"
sector = "locality"

[[sources]]
portal = "H37"
url = "{EXPORTS / "report_bieu06_quarter.xlsx"}"

[schedule]
cron = "0 2 * * *"
timezone = "Asia/Ho_Chi_Minh"
""",
        encoding="utf-8",
    )
    warehouse = tmp_path / "data" / "warehouse.duckdb"
    port = free_port()
    api = f"http://127.0.0.1:{port}/api"
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    service = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "warehouse.cli",
            "serve",
            "--port",
            str(port),
            "--config",
            str(config),
            "--warehouse",
            str(warehouse),
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deployment = wait_for(
            lambda: (
                requests.get(f"{api}/deployments/name/nightly/nightly", timeout=5).json()
                if requests.get(f"{api}/deployments/name/nightly/nightly", timeout=5).ok
                else None
            ),
            240,
            "the nightly deployment",
        )
        schedule = deployment["schedules"][0]["schedule"]
        assert (schedule["cron"], schedule["timezone"]) == ("0 2 * * *", "Asia/Ho_Chi_Minh")
        run = requests.post(
            f"{api}/deployments/{deployment['id']}/create_flow_run", json={}, timeout=10
        ).json()
        state = wait_for(
            lambda: (
                (s := requests.get(f"{api}/flow_runs/{run['id']}", timeout=5).json()["state"])
                and s["type"] in ("COMPLETED", "FAILED", "CRASHED")
                and s["type"]
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
