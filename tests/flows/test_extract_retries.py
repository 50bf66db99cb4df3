"""Prefect retries an extract only for a transient failure: a real `cchc run` against real HTTP."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from flow_support import write_config

EXPORTS = Path(__file__).parents[1] / "fixtures" / "exports"


def test_permanent_failures_are_asked_once_and_a_503_then_200_loads(
    tmp_path: Path, httpserver: HTTPServer
) -> None:
    report = (EXPORTS / "report_bieu06_quarter.xlsx").read_bytes()
    answers = iter([Response("busy", status=503)])

    def flaky(request: Request) -> Response:  # 503 once, then the export
        return next(answers, None) or Response(report, mimetype="application/vnd.ms-excel")

    httpserver.expect_request("/H37/bao-cao.xlsx").respond_with_handler(flaky)
    httpserver.expect_request("/H37/missing.xlsx").respond_with_data("gone", status=404)
    httpserver.expect_request("/H37/huge.csv").respond_with_handler(
        lambda request: Response(iter([b"x" * 800] * 3))  # streamed, no Content-Length
    )
    base = f"http://127.0.0.1:{httpserver.port}/H37"
    config = write_config(
        tmp_path,
        f"""
[[sources]]
portal = "H37"
name = "H37-flaky"
url = "{base}/bao-cao.xlsx"
retries = 0          # the HTTP layer gives up at once: Prefect's retry gets the 200

[[sources]]
portal = "H37"
name = "H37-missing"
url = "{base}/missing.xlsx"

[[sources]]
portal = "H37"
name = "H37-huge"
url = "{base}/huge.csv"
max_bytes = 1000
""",
    )
    warehouse = tmp_path / "data" / "warehouse.duckdb"
    command = [sys.executable, "-m", "warehouse.cli", "run", "--config", str(config)]
    command += ["--warehouse", str(warehouse)]
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"} | {"COLUMNS": "200"}
    done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=400)
    output = done.stdout + done.stderr
    asked = [request.path for request, _ in httpserver.log]
    assert asked.count("/H37/missing.xlsx") == 1, output  # 404: permanent, asked once
    assert asked.count("/H37/huge.csv") == 1, output  # over max_bytes: not streamed twice
    assert asked.count("/H37/bao-cao.xlsx") == 2, output  # 503, then Prefect's retry: 200
    assert done.returncode == 3, output  # two sources failed, the third loaded
    assert "HTTP 404" in output and "over max_bytes" in output
    with duckdb.connect(str(warehouse), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM core.fact_report").fetchone()[0] == 9
        assert con.execute("SELECT status FROM ops.files").fetchall() == [("loaded",)]
