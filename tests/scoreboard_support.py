"""What the national scoreboard tests share: the committed answers, the requests that asked for
them, a national portal, and loading an answer as the snapshot of a given day."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from warehouse.config import Config, Portal
from warehouse.ingest import FileResult

from conftest import FIXTURES, ingest
from kpi_support import checks_config

ANSWERS = FIXTURES / "scoreboard"
H15 = "0190a1c2-5b7e-7c11-9d2e-15a000000001"  # Đắk Lắk's departmentId in the answers
YEAR_2026 = {"timeType": "year", "year": 2026}
# the body each committed answer was asked with (docs/portal-exports.md §1d)
REQUESTS: dict[str, dict[str, Any]] = {
    "service-results.json": YEAR_2026 | {"departmentType": "ADMINISTRATIVE_UNIT"},
    "dvc-progress-tree.json": YEAR_2026 | {"rootDepartmentId": H15, "currentPage": 1},
    "formality-online-payment-tree.json": YEAR_2026 | {"rootDepartmentId": H15},
    "dossier-digitized.json": YEAR_2026 | {"rootDepartmentId": H15, "pageSize": 200},
    "handling-satisfaction.json": {
        "fromDate": "2026-01-01",
        "toDate": "2026-12-31",
        "rootDepartmentId": H15,
    },
}
NATIONAL = Portal(code="DVCQG", name="Cổng Dịch vụ công quốc gia", sector="national")


def scoreboard_config(**checks: object) -> Config:
    """The check tests' configuration (kpi_support) with the national portal beside it."""
    config = checks_config(**checks)
    config.portals["DVCQG"] = NATIONAL
    return config


def answer(name: str) -> dict[str, Any]:
    return json.loads((ANSWERS / name).read_text(encoding="utf-8"))


def write_answer(path: Path, document: dict[str, Any]) -> Path:
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return path


def load_answer(
    warehouse: Path,
    path: Path | str,
    day: date,
    request: dict[str, Any] | None = None,
) -> FileResult:
    """One answer (a committed one by name, or a file) loaded as the snapshot of `day`."""
    path = ANSWERS / path if isinstance(path, str) else path
    body = request if request is not None else REQUESTS[path.name]
    (result,) = ingest(warehouse, path, portal=NATIONAL, request=body, snapshot_date=day)
    return result
