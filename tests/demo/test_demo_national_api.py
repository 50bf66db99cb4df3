"""The demo portal's national API (warehouse/demo/server.py, national_api.py) over real HTTP on
127.0.0.1: POST answers chosen by the JSON body, the landing page's cookie, the firewall page
without it and an envelope whose code is not OK for a body it has no answer for."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import requests

from warehouse import pipeline
from warehouse.config import Source
from warehouse.demo.national_api import API, LANDING, NATIONAL_PORTAL, answer_key
from warehouse.demo.server import serving

BODY = {"timeType": "year", "year": 2026, "departmentType": "ADMINISTRATIVE_UNIT"}
ANSWER = {"code": "OK", "data": {"evaluation": [{"departmentCode": "H37", "groupScores": {}}]}}
URL = f"/{NATIONAL_PORTAL}/{API}/service-results"


def _tree(root: Path) -> Path:
    folder = root / NATIONAL_PORTAL / API / "service-results"
    folder.mkdir(parents=True)
    (folder / f"{answer_key(BODY)}.json").write_text(json.dumps(ANSWER), encoding="utf-8")
    return root


def test_the_answer_is_chosen_by_the_body_after_the_landing_page(tmp_path: Path) -> None:
    with serving(_tree(tmp_path)) as base:
        session = requests.Session()
        refused = session.post(base + URL, json=BODY, timeout=10)
        assert refused.status_code == 200 and b"Request Rejected" in refused.content
        assert session.get(base + LANDING, timeout=10).status_code == 200
        answered = session.post(base + URL, json=BODY, timeout=10)
        assert answered.json() == ANSWER
        other = session.post(base + URL, json=BODY | {"year": 2025}, timeout=10)
        assert other.json()["code"] != "OK" and other.json()["data"] is None


def test_the_extractor_pulls_it_with_its_session(tmp_path: Path) -> None:
    with serving(_tree(tmp_path / "portal")) as base:
        source = Source(
            portal=NATIONAL_PORTAL, name="DVCQG-service-results", url=base + URL,
            kind="scoreboard", method="POST", session_url=base + LANDING,
            body={"timeType": "year", "year": "{year}", "departmentType": "ADMINISTRATIVE_UNIT"},
        )  # fmt: skip
        got = pipeline.extract(source, tmp_path / "data", as_of=date(2026, 11, 10))
    assert (got.status, got.request, got.error) == ("new", BODY, None)
    assert json.loads(Path(got.paths[0]).read_bytes()) == ANSWER
