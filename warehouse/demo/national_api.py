"""The demo's national portal API: where its answers live and how a request picks one.

The National Public Service Portal answers POST requests under /api/v1/reporting/evaluation/
(docs/portal-exports.md §1d); the demo portal serves them under /DVCQG/ beside the province
portals, one answer file per request it knows, named by the request's body (answer_key), and
wants the session cookie its landing page sets, as the real one may: without it the API answers
the web firewall's page (status 200, HTML), and a body it has no answer for gets an envelope
whose code is not "OK". Both are failed requests to the extractor, never data.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping

NATIONAL_PORTAL = "DVCQG"
NATIONAL_NAME = "Cổng Dịch vụ công quốc gia"
API = "api/v1/reporting/evaluation"
LANDING = f"/{NATIONAL_PORTAL}/"  # the landing page: its cookie goes with the API requests
COOKIE = "dvcqg_demo_session"
COOKIE_VALUE = "demo-2026"
_KEY = re.compile(r"[A-Za-z0-9_.-]{1,200}")

LANDING_PAGE = (
    "<!doctype html><html lang=vi><meta charset=utf-8><title>Cổng Dịch vụ công quốc gia</title>"
    "<p>Cổng Dịch vụ công quốc gia (bản mô phỏng của cchc-warehouse).</p></html>"
).encode()
FIREWALL_PAGE = (
    b"<html><head><title>Request Rejected</title></head><body>The requested URL was rejected. "
    b"Please consult with your administrator.<br><br>Your support ID is: 0000000000000000000"
    b"</body></html>"
)


def answer_key(body: Mapping[str, object]) -> str | None:
    """The name of the answer a filled request body asks for (without .json): its period
    (timeType, year, quarter or month; or fromDate and toDate) and whom (rootDepartmentId, else
    departmentType), e.g. `year-2026-ADMINISTRATIVE_UNIT`; None when it names no such file."""
    grain = body.get("timeType")
    if grain is not None:
        when = [grain, body.get("year"), body.get(str(grain)) if grain != "year" else None]
    else:
        when = [body.get("fromDate"), body.get("toDate")]
    who = body.get("rootDepartmentId") or body.get("departmentType")
    key = "-".join(str(part) for part in (*when, who) if part is not None)
    return key if _KEY.fullmatch(key) and ".." not in key else None


def error_envelope(message: str) -> bytes:
    """The API's answer to a request it cannot serve: code not "OK", no data."""
    document = {"code": "NOT_FOUND", "message": message, "data": None}
    return json.dumps(document, ensure_ascii=False).encode("utf-8")
