"""`cchc serve`: the nightly deployment on a real Prefect server, started once for the module.

A run triggered through the deployment executes and loads; a `cchc run` meanwhile uses that
server instead of starting one; each night leaves its summary as a markdown artifact, read
back through the Prefect client; stopping the service stops the server it started.
"""

from __future__ import annotations

import json
import re
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest
import requests

from warehouse.server_process import free_port

from flow_support import (
    BIEU06_SOURCE,
    cchc_process,
    descendants,
    listening_ports,
    write_config,
)

VIETNAM_TIME = r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\+07:00"


@dataclass
class Service:
    process: subprocess.Popen
    api: str
    port: int
    config: Path
    warehouse: Path


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


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    """One `cchc serve` for the module (its server's start is the slow part), stopped at the
    end if the last test has not stopped it."""
    folder = tmp_path_factory.mktemp("serve")
    config = write_config(
        folder,
        BIEU06_SOURCE
        + """
[schedule]
cron = "0 2 * * *"
timezone = "Asia/Ho_Chi_Minh"
""",
    )
    warehouse = folder / "data" / "warehouse.duckdb"
    port = free_port()
    process = cchc_process(
        "serve", "--port", str(port), "--config", str(config), "--warehouse", str(warehouse)
    )
    try:
        yield Service(process, f"http://127.0.0.1:{port}/api", port, config, warehouse)
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=60)


@pytest.fixture(scope="module")
def prefect_client(service: Service, tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """A Prefect client of the served server, in this process (a Prefect home of its own)."""
    from prefect.client.orchestration import get_client
    from prefect.settings import PREFECT_API_URL, PREFECT_HOME, temporary_settings

    home = tmp_path_factory.mktemp("client")
    settings = {PREFECT_API_URL: service.api, PREFECT_HOME: home}
    with temporary_settings(settings), get_client(sync_client=True) as client:
        yield client


def deployment(service: Service) -> dict:
    return wait_for(
        lambda: answer("GET", f"{service.api}/deployments/name/nightly/nightly"),
        240,
        "the deployment",
    )


def summary_artifact(client, flow_run_id: str) -> str:  # type: ignore[no-untyped-def]
    """The markdown of the `nightly-summary` artifact a flow run created."""
    from prefect.client.schemas.filters import (
        ArtifactFilter,
        ArtifactFilterKey,
        FlowRunFilter,
        FlowRunFilterId,
    )

    found = client.read_artifacts(
        artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=["nightly-summary"])),
        flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[flow_run_id])),
    )
    assert [artifact.type for artifact in found] == ["markdown"]
    return found[0].data


def table_row(markdown: str, label: str) -> str:
    """The value of the summary table's row whose label ends with `label`."""
    rows = [line.split("|")[1:-1] for line in markdown.splitlines() if line.startswith("| ")]
    values = [value.strip() for name, value, *_ in rows if name.strip().endswith(label)]
    assert len(values) == 1, (label, markdown)
    return values[0]


def test_the_service_records_its_server_for_runs_of_the_same_data_folder(
    service: Service,
) -> None:
    deployment(service)  # the service is up
    record = json.loads((service.warehouse.parent / "prefect" / "cchc-serve.json").read_text())
    assert record["api_url"] == service.api
    assert record["pid"] == service.process.pid
    assert record["data_dir"] == str(service.warehouse.parent.resolve())


def test_a_run_triggered_through_the_served_deployment_loads_and_says_what_it_did(
    service: Service, prefect_client
) -> None:  # type: ignore[no-untyped-def]
    found = deployment(service)
    schedule = found["schedules"][0]["schedule"]
    assert (schedule["cron"], schedule["timezone"]) == ("0 2 * * *", "Asia/Ho_Chi_Minh")
    create = f"{service.api}/deployments/{found['id']}/create_flow_run"
    run = wait_for(lambda: answer("POST", create), 60, "a run created through it")
    state = wait_for(
        lambda: (
            (got := answer("GET", f"{service.api}/flow_runs/{run['id']}"))
            and got["state"]["type"] in ("COMPLETED", "FAILED", "CRASHED")
            and got["state"]["type"]
        ),
        240,
        "the triggered run",
    )
    assert state == "COMPLETED"
    with duckdb.connect(str(service.warehouse), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM core.fact_report").fetchone()[0] == 9

    markdown = summary_artifact(prefect_client, run["id"])
    assert table_row(markdown, "sources ok") == "1"
    assert table_row(markdown, "sources failed") == "0"
    assert table_row(markdown, "rows loaded") == "9"
    assert table_row(markdown, "rows rejected") == "0"
    assert table_row(markdown, "alerts opened").isdigit()
    assert table_row(markdown, "alerts open").isdigit()
    assert table_row(markdown, "Prefect") == f"server at {service.api} (running: cchc serve)"
    assert len(re.findall(VIETNAM_TIME, markdown)) == 3  # started, finished, as of

    def run_messages() -> list[str]:
        """This run's log lines (the server answers 200 lines at most: other runs' must not
        crowd them out)."""
        from prefect.client.schemas.filters import LogFilter, LogFilterFlowRunId

        only_this_run = LogFilter(flow_run_id=LogFilterFlowRunId(any_=[run["id"]]))
        return [m.message for m in prefect_client.read_logs(log_filter=only_this_run)]

    # the served process may send its last log lines after the run's final state: wait for them
    messages = wait_for(
        lambda: (
            (lines := run_messages()) and any(m.startswith("alerts: ") for m in lines) and lines
        ),
        30,
        "the run's last log lines",
    )
    assert any(m.startswith("night started at ") and "+07:00" in m for m in messages)
    assert any("(H37): 1 file (1 loaded); 9 rows loaded, 0 rejected" in m for m in messages)
    assert any(m.startswith("alerts: ") for m in messages)


def test_a_cchc_run_meanwhile_uses_the_served_server_and_starts_none(
    service: Service, prefect_client
) -> None:  # type: ignore[no-untyped-def]
    deployment(service)
    before = {str(run.id) for run in prefect_client.read_flow_runs()}
    run = cchc_process(
        "run", "--config", str(service.config), "--warehouse", str(service.warehouse), capture=True
    )
    listened = set()
    while run.poll() is None:  # whatever the run starts, none of it may listen
        listened |= {port for pid in descendants(run.pid) for port in listening_ports(pid)}
        time.sleep(0.1)
    output = run.stdout.read().decode()
    assert run.returncode == 0, output
    assert listened == set()
    assert f"Prefect: server at {service.api} (running: cchc serve)" in output

    new = [r for r in prefect_client.read_flow_runs() if str(r.id) not in before]
    assert [r.state.type.value for r in new] == ["COMPLETED"]  # recorded by the served server
    markdown = summary_artifact(prefect_client, str(new[0].id))
    assert table_row(markdown, "rows loaded") == "0"  # the same file, already loaded
    assert table_row(markdown, "Prefect") == f"server at {service.api} (running: cchc serve)"


def test_stopping_the_service_stops_its_server_and_removes_its_record(service: Service) -> None:
    deployment(service)
    service.process.send_signal(signal.SIGTERM)
    service.process.wait(timeout=60)
    with socket.socket() as probe:  # the server it started is gone with it
        assert probe.connect_ex(("127.0.0.1", service.port)) != 0
    assert not (service.warehouse.parent / "prefect" / "cchc-serve.json").exists()
