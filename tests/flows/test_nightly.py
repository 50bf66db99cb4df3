"""The nightly job as a real Prefect flow run on a temporary server, in a child process like
cron."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from warehouse.numbers import counted
from warehouse.server_process import free_port

from flow_support import write_config

EXPORTS = Path(__file__).parents[1] / "fixtures" / "exports"


@pytest.fixture(scope="session")
def prefect_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One Prefect home for the session: its database is migrated once, not per test."""
    return tmp_path_factory.mktemp("prefect")


def test_one_failing_source_does_not_stop_the_others(
    tmp_path: Path, httpserver: HTTPServer, prefect_home: Path
) -> None:
    report = (EXPORTS / "report_bieu06_quarter.xlsx").read_bytes()

    def portal(request: Request) -> Response:  # a portal that honours conditional GET
        if request.headers.get("If-None-Match") == '"v1"':
            return Response(status=304)
        return Response(report, headers={"ETag": '"v1"'}, mimetype="application/vnd.ms-excel")

    httpserver.expect_request("/H37/bao-cao.xlsx").respond_with_handler(portal)
    # Cao Bằng's portal has no source: it delivers nothing, so the checks find it stale
    config = write_config(
        tmp_path,
        f"""
[[portals]]
code = "H14"
name = "Cổng dịch vụ công tỉnh Cao Bằng"
sector = "locality"

[[sources]]
portal = "H37"
name = "H37-reports"
url = "http://127.0.0.1:{httpserver.port}/H37/bao-cao.xlsx"

[[sources]]
portal = "H37"
name = "H37-folder"
url = "{EXPORTS / "dossiers_semicolon_bom.csv"}"

[[sources]]
portal = "H37"
name = "H37-down"
url = "http://127.0.0.1:9/ho-so.csv"
retries = 0
connect_timeout = 1
""",
    )
    warehouse = tmp_path / "data" / "warehouse.duckdb"
    # a record `cchc serve` left for this data folder when it died: its server answers no more
    record = {"api_url": f"http://127.0.0.1:{free_port()}/api", "pid": os.getpid()}
    record["data_dir"] = str(warehouse.parent.resolve())
    (prefect_home / "cchc-serve.json").write_text(json.dumps(record))
    command = [sys.executable, "-m", "warehouse.cli", "run", "--config", str(config)]
    command += ["--warehouse", str(warehouse)]
    env = os.environ | {"PREFECT_HOME": str(prefect_home), "COLUMNS": "200"}
    env.pop("PREFECT_API_URL", None)
    first = subprocess.run(command, capture_output=True, text=True, env=env, timeout=400)
    assert first.returncode == 3, first.stdout + first.stderr
    # the stale record ignored, a temporary server started, its cost shown apart
    assert re.search(r"Prefect: \d+\.\d s to start a temporary server", first.stdout)
    # the run log says what each source brought, with the times in Vietnam's
    log = first.stdout + first.stderr
    assert re.search(r"night started at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d\+07:00", log)
    assert "H37-reports (H37): 1 file (1 loaded); 9 rows loaded, 0 rejected" in log
    assert "H37-down" in first.stdout + first.stderr or "ho-so.csv" in first.stdout
    with duckdb.connect(str(warehouse), read_only=True) as con:
        statuses = con.execute("SELECT status, count(*) FROM ops.files GROUP BY ALL").fetchall()
        assert sorted(statuses) == [("loaded", 2)]
        assert con.execute("SELECT count(*) FROM core.fact_report").fetchone()[0] == 9
        assert con.execute("SELECT count(*) FROM mart.kpi").fetchone()[0] > 0
        rows = con.execute("SELECT sum(rows_loaded) FROM ops.files").fetchone()[0]
        still_open = con.execute("SELECT count(*) FROM ops.alerts WHERE status = 'open'")
        open_alerts = still_open.fetchone()[0]
    # the night's totals are its sources' added up, as ops.files has them
    totals = rf"files: 2 loaded, 0 duplicate, 0 refused, 0 failed; {rows:,} rows loaded, 0 rejected"
    assert re.search(totals, first.stdout), first.stdout
    # the open alerts first, as the night's checks left them in the published warehouse
    assert f"{counted(open_alerts, 'open alert')}, worst first:" in first.stdout.splitlines()
    stale = "[warn] Cổng dịch vụ công tỉnh Cao Bằng: Cổng H14: không có tệp mới từ trước tới nay"
    assert stale in first.stdout.splitlines(), first.stdout
    assert (tmp_path / "data" / "downloads" / "H37" / "H37-reports.xlsx").exists()

    second = subprocess.run(command, capture_output=True, text=True, env=env, timeout=400)
    assert second.returncode == 3
    assert "1 unchanged" in second.stdout  # the report was not downloaded again (ETag)
    if_none_match = [r.headers.get("If-None-Match") for r, _ in httpserver.log]
    assert if_none_match == [None, '"v1"']
