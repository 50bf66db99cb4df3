"""Which Prefect server a `cchc run` uses, and that the one it starts dies with it.

A server `cchc serve` recorded is used while its process lives and it answers /health (an
HTTP server stands in for it); otherwise the run starts its own, which dies with the run even
on `kill -9` (Linux): a `cchc run` child, its server found through /proc, a SIGKILL, then a
look at every process the run had started and at the port the server listened on.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from warehouse import prefect_env
from warehouse.server_process import free_port

from flow_support import (
    BIEU06_SOURCE,
    alive,
    cchc_process,
    descendants,
    group_members,
    listening_ports,
    stat_of,
    write_config,
)

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="uses /proc")


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


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A data folder whose Prefect home is set as configure_prefect sets it, no API URL."""
    folder = tmp_path / "data"
    (folder / "prefect").mkdir(parents=True)
    monkeypatch.setenv("PREFECT_HOME", str(folder / "prefect"))
    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    monkeypatch.setattr(prefect_env, "_data_dir", str(folder.resolve()))
    return folder


def test_a_run_uses_the_server_cchc_serve_recorded_and_starts_none(
    data_dir: Path, httpserver: HTTPServer
) -> None:
    httpserver.expect_request("/api/health").respond_with_json(True)
    api = f"http://127.0.0.1:{httpserver.port}/api"
    record = data_dir / "prefect" / prefect_env.SERVE_RECORD
    children = descendants(os.getpid())
    with prefect_env._serve_record(api, server_pid=None):  # as `cchc serve` records it
        assert json.loads(record.read_text())["pid"] == os.getpid()
        with prefect_env.run_server() as ready:
            server = ready()
            assert (server.api_url, server.origin, server.start_seconds) == (api, "served", 0)
            assert os.environ["PREFECT_API_URL"] == api
            assert descendants(os.getpid()) == children  # nothing started
        assert "PREFECT_API_URL" not in os.environ
    assert not record.exists()  # the service removes its record when it stops


def test_a_stale_record_is_ignored(data_dir: Path, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/api/health").respond_with_json(True)
    answering = f"http://127.0.0.1:{httpserver.port}/api"
    ended = subprocess.Popen(["true"])
    ended.wait()
    closed = f"http://127.0.0.1:{free_port()}/api"  # nothing listens there
    record = data_dir / "prefect" / prefect_env.SERVE_RECORD
    mine = str(data_dir.resolve())
    stale = {
        "its service is gone": {"api_url": answering, "pid": ended.pid, "data_dir": mine},
        "its server is gone": {"api_url": closed, "pid": os.getpid(), "data_dir": mine},
        "another data folder": {"api_url": answering, "pid": os.getpid(), "data_dir": "/x"},
    }
    for why, content in stale.items():
        record.write_text(json.dumps(content))
        assert prefect_env.served_api_url() is None, why
    record.write_text("{not json")
    assert prefect_env.served_api_url() is None
    record.write_text(json.dumps(stale["another data folder"] | {"data_dir": mine}))
    assert prefect_env.served_api_url() == answering  # the same record, once valid, is used


def test_the_summary_line_tells_a_started_server_from_a_running_one() -> None:
    temporary = {"api_url": "http://127.0.0.1:1/api", "origin": "temporary",
                 "start_seconds": 4.26, "waited_seconds": 1.04}  # fmt: skip
    assert prefect_env.describe(temporary) == (
        "4.3 s to start a temporary server (1.0 s of it waited for)"
    )
    served = temporary | {"origin": "served", "start_seconds": 0.0, "waited_seconds": 0.0}
    assert prefect_env.describe(served) == "server at http://127.0.0.1:1/api (running: cchc serve)"
    configured = served | {"origin": "configured"}
    assert prefect_env.describe(configured).endswith("(running: $PREFECT_API_URL)")
